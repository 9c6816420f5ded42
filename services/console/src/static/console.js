/* global document, window, console */
// The ops console's page: reads the JSON API every few seconds and draws the tables and the lag chart.
// Every value from the API is put into the page with textContent or as an SVG attribute, never as HTML,
// so a customer id, a key or a reason that looks like markup is shown as the text it is.
import { duration, el, fillBody, getJson, sideText, status, time } from './dom.js';
import { drawLagChart } from './lag-chart.js';
import { showReport } from './report.js';
import { renderJourneyViews } from './journey-view.js';

let refreshMs = 5000;
let lastLag = null;

// ---- lag ----

function renderHaltSignals(halt) {
  const banner = document.getElementById('halt-signals');
  if (halt === null) {
    banner.dataset.current = 'unknown';
    banner.textContent = 'Halt signals: not sampled yet';
    return;
  }
  banner.dataset.current = String(halt.current);
  const waiting =
    halt.waitingCommands === null ? '' : `; ${halt.waitingCommands} command(s) waiting for the dispatcher`;
  banner.textContent = halt.current
    ? `Halt signals current: ${halt.detail}${waiting}`
    : `Sends held: the dispatcher waits for the halt sentinel (${halt.detail})${waiting}`;
}

function renderLag(lag) {
  lastLag = lag;
  renderHaltSignals(lag.haltSignals);
  const groups = document.getElementById('lag-groups');
  fillBody(
    groups,
    lag.groups.map((g) =>
      el(
        'tr',
        { 'data-group': g.groupId },
        el('td', {}, g.groupId),
        el('td', {}, status(g.status)),
        el('td', {}, g.state),
        el('td', { className: 'num' }, g.members),
        el('td', { className: 'num' }, g.lag),
        el('td', { className: 'muted' }, g.reason),
      ),
    ),
    6,
    lag.at === null ? 'no sample yet' : 'no consumer group in this namespace yet',
  );
  document.getElementById('lag-absent').textContent =
    lag.absent.length > 0 ? `Not running (no members, no committed offsets): ${lag.absent.join(', ')}` : '';
  const partitions = lag.groups.flatMap((g) =>
    g.partitions.map((p) =>
      el(
        'tr',
        {},
        el('td', {}, g.groupId),
        el('td', {}, `${p.topic}[${p.partition}]`),
        el('td', { className: 'num' }, p.committed ?? '–'),
        el('td', { className: 'num' }, p.logEnd ?? '–'),
        el('td', { className: 'num' }, p.lag ?? '–'),
        el('td', { className: 'num' }, p.lag ? duration(p.waitingMs ?? p.stuckMs) : '–'),
        el('td', { title: p.reason }, status(p.status)),
      ),
    ),
  );
  fillBody(document.getElementById('lag-partitions'), partitions, 7, 'no partitions');
  renderSeriesChoice(lag);
  renderChart();
}

function renderChart() {
  const chosen = document.getElementById('lag-series').value;
  drawLagChart(document.getElementById('lag-chart'), document.getElementById('lag-legend'), lastLag, chosen);
}

function renderSeriesChoice(lag) {
  const select = document.getElementById('lag-series');
  const wanted = ['', ...Object.keys(lag.history.groups).sort()];
  const current = [...select.options].map((o) => o.value);
  if (wanted.join('\u0000') === current.join('\u0000')) return;
  const chosen = select.value;
  select.replaceChildren(
    ...wanted.map((value) =>
      el('option', { value }, value === '' ? 'every group (total lag)' : `${value} by partition`),
    ),
  );
  select.value = wanted.includes(chosen) ? chosen : '';
}

// ---- journeys, decisions, dead letters ----

function renderJourneys({ journeys }) {
  fillBody(
    document.getElementById('journeys'),
    journeys.map((j) =>
      el(
        'tr',
        { 'data-journey': j.journey },
        el(
          'td',
          {},
          el(
            'button',
            { className: 'link', type: 'button', onClick: () => showReport(j.journey) },
            j.journey,
          ),
        ),
        el('td', { className: 'num', 'data-count': 'active' }, j.active),
        el(
          'td',
          {},
          ...j.stages.map((s) =>
            el('span', { className: 'stage', 'data-stage': s.stage }, `${s.stage}: ${s.customers}`),
          ),
        ),
        el('td', { className: 'num', 'data-count': 'entered' }, j.entered),
        el('td', { className: 'num', 'data-count': 'completed' }, j.completed),
        el('td', { className: 'num', 'data-count': 'halted' }, j.halted),
        el('td', { className: 'num', 'data-count': 'heldOut' }, j.heldOut),
        el('td', { className: 'num', 'data-count': 'converted' }, j.converted),
      ),
    ),
    8,
    'no customer has entered a journey yet',
  );
}

function customerLink(customerId) {
  return el('button', { className: 'link', type: 'button', onClick: () => explain(customerId) }, customerId);
}

function decisionCells(r) {
  return [
    el('td', { className: `decision decision-${r.decision}` }, r.decision),
    el('td', {}, [r.journey, r.stage].filter(Boolean).join(' / ')),
    el('td', {}, r.template ?? ''),
    el('td', {}, `${r.reason}${sideText(r)}`),
  ];
}

function renderDecisions({ decisions }) {
  fillBody(
    document.getElementById('decisions'),
    decisions.map((r) =>
      el(
        'tr',
        { 'data-decision': r.decision },
        el('td', {}, time(r.at)),
        el('td', {}, customerLink(r.customerId)),
        ...decisionCells(r),
      ),
    ),
    6,
    'no decision recorded yet',
  );
}

function renderDeadLetters({ deadLetters }) {
  fillBody(
    document.getElementById('dead-letters'),
    deadLetters.map((d) =>
      el(
        'tr',
        { 'data-reason': d.reason ?? '' },
        el('td', {}, time(d.at)),
        el('td', { className: 'decision decision-rejected' }, d.reason ?? '?'),
        el('td', {}, d.path ? `${d.message ?? ''} (${d.path})` : (d.message ?? '')),
        el('td', {}, `${d.sourceTopic ?? '?'}[${d.sourcePartition ?? '?'}] @ ${d.sourceOffset ?? '?'}`),
        el('td', { className: 'key' }, d.key ?? '(no key)'),
        el('td', { className: 'num' }, d.bytes),
      ),
    ),
    6,
    'the dead-letter topic is empty',
  );
}

// ---- customer ----

function renderExplanation(x) {
  const result = document.getElementById('customer-result');
  if (!x.known) {
    result.replaceChildren(el('p', { className: 'muted' }, `${x.customerId}: never seen in this namespace`));
    return;
  }
  const s = x.summary;
  const now = [];
  for (const a of s?.active ?? [])
    now.push(
      `in ${a.journey} v${a.version} at ${a.stages.join(', ')} since ${time(a.enteredAt)}` +
        (a.pendingWaits > 0 ? `, ${a.pendingWaits} wait(s) pending` : ''),
    );
  if (s && s.active.length === 0) now.push('in no journey');
  for (const d of s?.deferred ?? []) now.push(`deferred: ${d.template} (${d.journey}) until ${d.dueAt}`);
  for (const h of s?.history ?? [])
    now.push(`left ${h.journey} v${h.version}: ${h.outcome} at ${time(h.lastExitAt)}`);
  now.push(`templates sent: ${s && s.templatesSent.length > 0 ? s.templatesSent.join(', ') : 'none'}`);
  for (const h of x.halts)
    now.push(`halt mark: ${h.type} (${h.eventId}), not yet applied by the orchestrator`);
  const timeline = el(
    'table',
    { id: 'customer-timeline' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['at', 'decision', 'journey / stage', 'template', 'reason', 'event'].map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      ...x.timeline.map((r) =>
        el(
          'tr',
          { 'data-decision': r.decision },
          el('td', {}, time(r.at)),
          ...decisionCells(r),
          el('td', { className: 'muted' }, r.causationId ?? ''),
        ),
      ),
    ),
  );
  result.replaceChildren(
    el('h3', {}, `${x.customerId} · ${s?.status ?? '?'} · state version ${x.version}`),
    el('ul', { id: 'customer-now' }, ...now.map((line) => el('li', {}, line))),
    el('h3', {}, 'Timeline (oldest first)'),
    timeline,
  );
}

async function explain(customerId) {
  document.getElementById('customer-id').value = customerId;
  const result = document.getElementById('customer-result');
  result.replaceChildren(el('p', { className: 'muted' }, `looking up ${customerId}…`));
  try {
    renderExplanation(await getJson(`/api/customer?id=${encodeURIComponent(customerId)}`));
  } catch (err) {
    result.replaceChildren(el('p', { className: 'problem' }, String(err.message ?? err)));
  }
}

// ---- refresh ----

async function refresh() {
  const problems = [];
  const views = [
    ['/api/lag', renderLag],
    ['/api/journeys', renderJourneys],
    ['/api/journey-views', renderJourneyViews],
    ['/api/decisions', renderDecisions],
    ['/api/dead-letters', renderDeadLetters],
  ];
  await Promise.all(
    views.map(async ([path, render]) => {
      try {
        await render(await getJson(path));
      } catch (err) {
        problems.push(String(err.message ?? err));
        console.error(err);
      }
    }),
  );
  if (lastLag?.error) problems.push(`lag: ${lastLag.error}`);
  document.getElementById('problems').textContent = problems.join(' · ');
  document.getElementById('updated').textContent = new Date().toLocaleTimeString();
  document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? '0') + 1);
}

async function start() {
  try {
    const info = await getJson('/api/info');
    document.getElementById('namespace').textContent = info.namespace;
    refreshMs = info.sampleIntervalMs;
    document.getElementById('logout-form').hidden = !info.login;
  } catch (err) {
    document.getElementById('problems').textContent = String(err.message ?? err);
  }
  document.getElementById('lag-series').addEventListener('change', () => lastLag && renderChart());
  document.getElementById('customer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = document.getElementById('customer-id').value.trim();
    if (id !== '') explain(id);
  });
  const loop = async () => {
    await refresh();
    window.setTimeout(loop, Math.max(1000, refreshMs));
  };
  loop();
}

start();
