/* global document */
// The journey report on the console's page: read on request (a click on a journey), since each one is a
// read of N.audit and N.events; values become text only, as everywhere on the page.
import { el, fillBody, getJson } from './dom.js';

const pct = (p) => `${(p * 100).toFixed(1)}%`;
const pts = (d) => `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(1)}`;

function rate(interval) {
  if (interval === null) return '–';
  return `${pct(interval.estimate)} (${(interval.low * 100).toFixed(1)}–${(interval.high * 100).toFixed(1)})`;
}

function uplift(interval) {
  if (interval === null) return '';
  return `${pts(interval.estimate)} pts (${pts(interval.low)} to ${pts(interval.high)})`;
}

function templates(perTemplate) {
  const entries = Object.entries(perTemplate);
  return entries.length === 0 ? '–' : entries.map(([t, n]) => `${t} ${n}`).join(' · ');
}

function renderReport({ report, read, at }) {
  document.getElementById('report-title').textContent =
    `${report.journey}: from ${read.audit} audit records and ${read.events} events, read at ${new Date(at).toLocaleTimeString()}`;
  fillBody(
    document.getElementById('report'),
    report.rows.map((row) =>
      el(
        'tr',
        { 'data-group': row.group },
        el('td', {}, row.group),
        el('td', { className: 'num', 'data-count': 'entered' }, row.entered),
        el('td', { className: 'num', 'data-count': 'sent' }, row.sent),
        el('td', { className: 'num', 'data-count': 'opened' }, row.opened),
        el('td', { className: 'num', 'data-count': 'clicked' }, row.clicked),
        el('td', { className: 'num', 'data-count': 'replied' }, row.replied),
        el('td', { className: 'num', 'data-count': 'converted' }, row.converted),
        el('td', { 'data-count': 'rate' }, rate(row.conversion)),
        el('td', { 'data-count': 'uplift' }, uplift(row.uplift)),
        el('td', {}, templates(row.sentPerTemplate)),
      ),
    ),
    10,
    'nobody entered this journey in the history read',
  );
  document.getElementById('report-method').textContent = report.method;
}

/** Reads a journey's report and shows it in the report section. */
export async function showReport(journey) {
  const title = document.getElementById('report-title');
  document.getElementById('report-section').hidden = false;
  title.textContent = `${journey}: reading N.audit and N.events…`;
  try {
    renderReport(await getJson(`/api/report?journey=${encodeURIComponent(journey)}`));
  } catch (err) {
    title.textContent = `${journey}: ${String(err.message ?? err)}`;
  }
}
