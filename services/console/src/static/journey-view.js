/* global document, CSSStyleSheet */
// The journeys as diagrams with their live numbers: the Mermaid source the console computes (the same
// diagram as `tactful journeys diagram`, the counts written under each stage), and the same numbers as a
// table per journey. Mermaid measures text in a live document and styles its SVG with a <style> element
// and `style` attributes, which this page's Content-Security-Policy refuses: it runs in a hidden frame of
// the console (`/diagram-board`, whose policy takes inline styles), and each drawing is moved here with
// its styles applied through the CSSOM (an adopted style sheet, `element.style`), which the policy does
// not govern. Mermaid's strict mode keeps every label text.
import { el, fillBody } from './dom.js';

const drawn = new Map();
const styles = new Map();
let sheet = null;
let serial = 0;
let configured = false;

/** The SVG Mermaid made, with its styles moved to the page's adopted style sheet and the CSSOM. */
function adopt(svgText, board, css) {
  // parsed in the frame, whose policy lets it read the styles; a parser of this page's would refuse them
  const holder = board.createElement('div');
  holder.innerHTML = svgText;
  const svg = holder.querySelector('svg');
  for (const style of [...svg.querySelectorAll('style')]) {
    css.push(style.textContent ?? '');
    style.remove();
  }
  const styled = [...svg.querySelectorAll('[style]')].map((node) => {
    const value = node.getAttribute('style');
    node.removeAttribute('style');
    return [node, value];
  });
  const node = document.importNode(svg, true);
  const copies = [svg, ...svg.querySelectorAll('*')];
  const imported = [node, ...node.querySelectorAll('*')];
  for (const [original, value] of styled) imported[copies.indexOf(original)].style.cssText = value;
  if (svg.getAttribute('style') !== null) node.style.cssText = svg.getAttribute('style');
  return node;
}

/** One adopted sheet holds the rules of the diagrams on the page, each scoped to its own SVG's id. */
function applyStyles() {
  if (sheet === null) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync([...styles.values()].join('\n'));
}

/** Mermaid, loaded in the frame it lays the diagrams out in, and that frame's document, once ready. */
async function boardMermaid() {
  const frame = document.getElementById('diagram-board');
  const ready = () => frame.contentDocument?.readyState === 'complete' && frame.contentWindow.mermaid;
  if (!ready()) await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const mermaid = frame.contentWindow.mermaid;
  if (!mermaid) throw new Error('the diagram library did not load');
  if (!configured) {
    // strict: labels are text, never HTML; SVG text labels, with nothing in a foreignObject
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', htmlLabels: false });
    configured = true;
  }
  return { mermaid, board: frame.contentDocument };
}

async function draw(container, source) {
  const key = container.dataset.key;
  if (drawn.get(key) === source && container.querySelector('svg') !== null) return;
  const { mermaid, board } = await boardMermaid();
  const { svg } = await mermaid.render(`journey-diagram-${++serial}`, source);
  const css = [];
  container.replaceChildren(adopt(svg, board, css));
  drawn.set(key, source);
  styles.set(key, css.join('\n'));
  applyStyles();
  container.dataset.drawn = 'true';
}

const percent = (rate) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

function stageRows(view) {
  return view.stages.flatMap((s) => {
    const customers = s.customers === null ? '' : s.customers;
    const first = el(
      'tr',
      { 'data-stage': s.stage },
      el('td', {}, s.stage),
      el('td', { className: 'num', 'data-count': 'customers' }, s.final ? '' : customers),
    );
    const sends = s.sends.map((t) =>
      el(
        'tr',
        { 'data-stage': s.stage, 'data-template': t.template },
        el('td', { className: 'muted' }, `✉ ${t.template}`),
        el('td', {}),
        el('td', { className: 'num', 'data-count': 'sent' }, t.sent),
        el('td', { className: 'num', 'data-count': 'opened' }, `${t.opened} (${percent(t.openRate)})`),
        el('td', { className: 'num', 'data-count': 'clicked' }, `${t.clicked} (${percent(t.clickRate)})`),
        el('td', { className: 'num', 'data-count': 'replied' }, `${t.replied} (${percent(t.replyRate)})`),
      ),
    );
    for (let i = 0; i < 4; i += 1) first.append(el('td', {}));
    return [first, ...sends];
  });
}

function card(view) {
  const key = `${view.journey}@${view.version}`;
  const title = `${view.journey} v${view.version}${view.name ? `: ${view.name}` : ''}`;
  const state =
    view.file === null ? 'orphaned: its file is not loaded' : view.latest ? 'entered now' : 'older';
  const table = el(
    'table',
    { className: 'journey-stages' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['stage', 'here now', 'sent', 'opened', 'clicked', 'replied'].map((h, i) =>
          el('th', { className: i === 0 ? '' : 'num' }, h),
        ),
      ),
    ),
    el('tbody', {}),
  );
  fillBody(table, stageRows(view), 6, 'no stage');
  const diagram = el('div', { className: 'journey-diagram', 'data-key': key });
  const node = el(
    'article',
    { className: 'journey-view', 'data-journey': view.journey, 'data-version': String(view.version) },
    el('h3', {}, title, ' ', el('span', { className: 'muted' }, `· ${view.customers} in it now · ${state}`)),
    view.mermaid === null ? el('p', { className: 'problem' }, 'no diagram: the file is gone') : diagram,
    table,
  );
  return { node, diagram: view.mermaid === null ? null : [diagram, view.mermaid] };
}

/** Draws every journey's card; a diagram is drawn again only when its numbers changed. */
export async function renderJourneyViews({ journeys }) {
  const list = document.getElementById('journey-views');
  const old = new Map([...list.querySelectorAll('.journey-diagram')].map((d) => [d.dataset.key, d]));
  const cards = journeys.map(card);
  // keep the drawn diagram of a card that stays, so a refresh does not flicker
  for (const c of cards)
    if (c.diagram && old.has(c.diagram[0].dataset.key)) {
      c.node.replaceChild(old.get(c.diagram[0].dataset.key), c.diagram[0]);
      c.diagram[0] = old.get(c.diagram[0].dataset.key);
    }
  list.replaceChildren(...cards.map((c) => c.node));
  if (journeys.length === 0) list.append(el('p', { className: 'muted' }, 'no journey loaded'));
  const shown = new Set(journeys.map((j) => `${j.journey}@${j.version}`));
  for (const key of [...drawn.keys()])
    if (!shown.has(key)) {
      drawn.delete(key);
      styles.delete(key);
    }
  for (const c of cards) if (c.diagram) await draw(...c.diagram);
}
