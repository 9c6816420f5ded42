// The lag chart of the console's page: a hand-drawn SVG (no chart library), an hour wide.
import { el, svg } from './dom.js';

const HOUR_MS = 3_600_000;
const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0a7ea4', '#9a6700', '#57606a'];

function chartSeries(lag, chosen) {
  const groups = lag.history.groups;
  if (chosen !== '' && groups[chosen])
    return Object.entries(groups[chosen].partitions)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, values]) => ({ name, values }));
  return Object.entries(groups)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, g]) => ({ name, values: g.total }));
}

function niceMax(value) {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Draws the lag of the last hour into `container` as an inline SVG, one line per group (their total lag)
 * or, when `chosen` names a group, one per partition of it; the legend goes into `legendContainer`.
 */
export function drawLagChart(container, legendContainer, lag, chosen) {
  // drawn at the container's own width, so text keeps its size and the plot fills the card
  const width = Math.max(400, container.clientWidth || 900);
  const height = 220;
  const pad = { left: 48, right: 12, top: 10, bottom: 24 };
  const end = lag.at ?? Date.now();
  const start = end - HOUR_MS;
  const series = chartSeries(lag, chosen);
  const peak = Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null)));
  const top = niceMax(peak);
  const x = (t) => pad.left + ((t - start) / HOUR_MS) * (width - pad.left - pad.right);
  const y = (v) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'lag over the last hour',
  });
  for (const v of [0, top / 2, top]) {
    chart.append(svg('line', { class: 'axis', x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    chart.append(svg('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  for (const minutes of [60, 45, 30, 15, 0]) {
    const at = end - minutes * 60_000;
    chart.append(
      svg(
        'text',
        { x: x(at), y: height - 6, 'text-anchor': 'middle' },
        minutes === 0 ? 'now' : `−${minutes} min`,
      ),
    );
  }
  const legend = [];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    // a gap in the samples (the group absent, a failed sample) breaks the line instead of bridging it
    let points = [];
    const flush = () => {
      if (points.length === 1)
        chart.append(svg('circle', { cx: points[0][0], cy: points[0][1], r: 2, fill: color }));
      if (points.length > 1)
        chart.append(
          svg('polyline', {
            points: points.map((p) => p.join(',')).join(' '),
            fill: 'none',
            stroke: color,
            'stroke-width': 2,
            'data-series': s.name,
          }),
        );
      points = [];
    };
    s.values.forEach((v, j) => {
      const at = lag.history.at[j];
      if (v === null || at < start) flush();
      else points.push([x(at).toFixed(1), y(v).toFixed(1)]);
    });
    flush();
    const swatch = el('i');
    swatch.style.background = color;
    legend.push(el('span', {}, swatch, s.name));
  });
  container.replaceChildren(chart);
  legendContainer.replaceChildren(...legend);
}
