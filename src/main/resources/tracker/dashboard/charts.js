// Line charts on uPlot (shipped in the jar from its webjar, served at /assets/uplot/). Each chart's
// container says what it drew in data-series and data-points, so a test can check the drawing
// against the API's epochs without reading pixels.

import { el, num } from './dom.js';
import { toNumber } from './api.js';

/** Train, val and test in the same colours on every chart (as `tracker show RUN -o svg`), then Tableau's ten. */
const PHASE_COLOURS = { train: '#4e79a7', val: '#f28e2b', test: '#59a14f' };
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const WHOLE_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8];

/** A y tick: short, exponent only where plain digits would not fit (1.2e+04). */
function tick(t) {
  if (t === 0) return '0';
  const a = Math.abs(t);
  return a >= 1e5 || a < 1e-3 ? t.toExponential(1) : String(Number(t.toPrecision(4)));
}

export function colourOf(label, i) {
  return PHASE_COLOURS[label] || PALETTE[i % PALETTE.length];
}

/**
 * A chart of series over a shared x (epochs or steps): series = [{label, values, colour}], values
 * parallel to x, non-finite values drawn as gaps. Returns the container; the uPlot instance is
 * destroyed when the container leaves the page.
 */
export function lineChart({ title, xLabel, x, series, width }) {
  const box = el('div', { class: 'chart' });
  const data = [x, ...series.map((s) => s.values.map((v) => {
    const n = toNumber(v);
    return n === null || !Number.isFinite(n) ? null : n;
  }))];
  box.dataset.series = String(series.length);
  box.dataset.points = String(data.slice(1).reduce((sum, vs) => sum + vs.filter((v) => v !== null).length, 0));
  box.dataset.title = title;
  if (typeof uPlot !== 'function') {
    box.append(el('p', { class: 'error-inline' }, 'the charting library did not load'));
    return box;
  }
  const opts = {
    title,
    width: width || 440,
    height: 240,
    scales: { x: { time: false } },
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    series: [{ label: xLabel, value: (u, v) => (v === null ? '-' : String(v)) },
      ...series.map((s, i) => ({ label: s.label, stroke: s.colour || colourOf(s.label, i), width: 2, spanGaps: false,
        points: { show: x.length <= 40 }, value: (u, v) => num(v) }))],
    // epochs and steps are whole numbers: no tick at 1.5
    axes: [{ label: xLabel, incrs: WHOLE_INCREMENTS }, { size: 64, values: (u, ticks) => ticks.map(tick) }],
  };
  // uPlot measures its target: draw once the box is in the document
  requestAnimationFrame(() => {
    if (!box.isConnected) return;
    const plot = new uPlot(opts, data, box);
    const gone = new MutationObserver(() => {
      if (!box.isConnected) {
        plot.destroy();
        gone.disconnect();
      }
    });
    gone.observe(document.body, { childList: true, subtree: true });
  });
  return box;
}

/**
 * A run's epoch rows ({epoch, "phase.metric": value, ...}) as one chart per metric name with a line
 * per phase: train, val, test first, then any other phase.
 */
export function curvesOf(rows, xKey) {
  const byMetric = new Map();
  for (const r of rows) {
    for (const col of Object.keys(r)) {
      const dot = col.indexOf('.');
      if (col === xKey || col === 'epoch' || col === 'step' || dot < 0) continue;
      const phase = col.slice(0, dot);
      const metric = col.slice(dot + 1);
      if (!byMetric.has(metric)) byMetric.set(metric, new Set());
      byMetric.get(metric).add(phase);
    }
  }
  const rank = (p) => ({ train: 0, val: 1, test: 2 }[p] ?? 3);
  const x = rows.map((r) => r[xKey]);
  return [...byMetric.keys()].sort().map((metric) => {
    const phases = [...byMetric.get(metric)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    return { metric, x, series: phases.map((p) => ({ label: p, values: rows.map((r) => r[p + '.' + metric] ?? null) })) };
  });
}
