/* global document, fetch, window */
// DOM helpers of the console's page. Values only ever become text nodes or attributes, never HTML, so
// whatever the API returns is shown as the text it is.

const SVG = 'http://www.w3.org/2000/svg';

/** An element with text children (strings become text nodes) and properties. */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (key === 'className') node.className = value;
    else if (key === 'onClick') node.addEventListener('click', value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

export function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function fillBody(table, rows, columns, emptyText) {
  const body = table.querySelector('tbody');
  body.replaceChildren(...rows);
  if (rows.length === 0)
    body.append(el('tr', {}, el('td', { colspan: String(columns), className: 'empty' }, emptyText)));
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function time(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleTimeString();
}

export function status(value) {
  return el('span', { className: `status status-${value}` }, value);
}

export async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (response.status === 401) {
    // the session ended (expired, or the token changed): back to the login form
    window.location.assign('/login');
    throw new Error(`${path}: log in first`);
  }
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${body.error ?? response.status}`);
  return body;
}

/** Which side of a journey's experiment a decision is about, as `tactful explain` says it. */
export function sideText(r) {
  const sides = [...(r.holdout === true ? ['holdout'] : []), ...(r.branch ? [`branch ${r.branch}`] : [])];
  return sides.length === 0 ? '' : ` [${sides.join(', ')}]`;
}
