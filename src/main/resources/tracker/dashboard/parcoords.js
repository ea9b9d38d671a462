// Parallel coordinates of one model x dataset cell: an axis per parameter and a last one for the
// objective, a line per completed run coloured by its objective, drawn as plain SVG. The runs come
// from the server's runs view (where=model=M, where=dataset=D), at most one page of the best.

import { call, experimentPath, toNumber } from './api.js';
import { el, svg, clear, num, plain, route } from './dom.js';

const MAX_RUNS = 1000; // the API's largest page; the best runs by the objective when a cell has more
const WIDTH = 860;
const HEIGHT = 300;
const PAD = { top: 28, bottom: 30, left: 40, right: 60 };

export function parallelCoordinates(box, experiment, ctx, signal) {
  const model = el('select', { id: 'pc-model', 'aria-label': 'model' });
  const dataset = el('select', { id: 'pc-dataset', 'aria-label': 'dataset' });
  const note = el('span', { class: 'small muted', id: 'pc-note' });
  const plot = el('div', { class: 'parcoords', id: 'parcoords' });
  box.append(el('div', { class: 'row' }, el('h2', {}, 'Parameters against the objective'), model, dataset, note), plot);
  model.addEventListener('change', () => load());
  dataset.addEventListener('change', () => load());
  let higherIsBetter = true;
  let objective = 'objective';

  let asked = 0; // only the answer to the latest question is drawn (a quick second click must not be overdrawn by the first)

  async function load() {
    if (!model.value || !dataset.value) return;
    const mine = ++asked;
    try {
      const r = await call(experimentPath(experiment, 'runs'), {
        query: { where: ['model=' + model.value, 'dataset=' + dataset.value, 'status=completed'],
          sort: higherIsBetter ? '-objective' : 'objective', per_page: MAX_RUNS }, signal,
      });
      if (mine !== asked) return;
      const runs = r.runs.filter((x) => Number.isFinite(toNumber(x.objective)));
      note.textContent = runs.length + ' completed runs with a value' + (r.matched > MAX_RUNS ? ' (the best ' + MAX_RUNS + ' of ' + r.matched + ')' : '');
      draw(runs);
    } catch (e) {
      ctx.showError(e);
    }
  }

  function draw(runs) {
    clear(plot);
    plot.dataset.lines = String(runs.length);
    if (runs.length === 0) {
      plot.append(el('p', { class: 'muted' }, 'no completed run in this cell yet'));
      return;
    }
    const names = [...new Set(runs.flatMap((x) => Object.keys(x.params || {})))].sort();
    const axes = names.map((n) => axis(n, runs.map((x) => (x.params || {})[n])));
    axes.push(axis(objective, runs.map((x) => toNumber(x.objective)), true));
    plot.dataset.axes = String(axes.length);
    const innerW = WIDTH - PAD.left - PAD.right;
    const x = (i) => PAD.left + (axes.length === 1 ? innerW / 2 : (i * innerW) / (axes.length - 1));
    const y = (t) => PAD.top + (1 - t) * (HEIGHT - PAD.top - PAD.bottom);
    const root = svg('svg', { viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, class: 'pc', role: 'img',
      'aria-label': 'parallel coordinates of ' + model.value + ' on ' + dataset.value });
    const objAxis = axes[axes.length - 1];
    const lines = svg('g', { class: 'lines' });
    // worst first, so the best lines are drawn last, on top
    const order = runs.map((r, i) => i).sort((a, b) => goodness(objAxis, runs[a]) - goodness(objAxis, runs[b]));
    for (const i of order) {
      const r = runs[i];
      const pts = axes.map((a, k) => {
        const t = a.pos(k === axes.length - 1 ? toNumber(r.objective) : (r.params || {})[a.key]);
        return t === null ? null : x(k).toFixed(1) + ',' + y(t).toFixed(1);
      });
      const g = goodness(objAxis, r);
      const line = svg('polyline', { points: pts.filter((p) => p !== null).join(' '), class: 'pc-line', stroke: ramp(g),
        onclick: () => { location.hash = route.run(r.run); } },
      svg('title', {}, r.run + '\n' + Object.entries(r.params || {}).map(([k, v]) => k + '=' + plain(v)).join(' ') + '\n' + objective + ' ' + num(toNumber(r.objective))));
      lines.append(line);
    }
    root.append(lines);
    axes.forEach((a, k) => {
      const g = svg('g', { class: 'axis' });
      g.append(svg('line', { x1: x(k), x2: x(k), y1: y(0), y2: y(1) }));
      g.append(svg('text', { x: x(k), y: PAD.top - 12, 'text-anchor': 'middle', class: 'axis-name' }, a.name));
      for (const [t, label] of a.ticks) {
        g.append(svg('text', { x: x(k) + 5, y: y(t) + 4, class: 'tick' }, label));
      }
      root.append(g);
    });
    plot.append(root);
  }

  function goodness(objAxis, r) {
    const t = objAxis.pos(toNumber(r.objective));
    return t === null ? 0 : higherIsBetter ? t : 1 - t;
  }

  return {
    setCells(matrix) {
      higherIsBetter = matrix.higherIsBetter !== false;
      objective = (matrix.objective || 'objective').replace(/ \(.*\)$/, '');
      if (model.options.length === 0) {
        for (const m of matrix.models) model.append(el('option', { value: m }, m));
        for (const d of matrix.datasets) dataset.append(el('option', { value: d }, d));
        const first = matrix.cells.find((c) => c.mean !== null) || matrix.cells[0];
        if (first) {
          model.value = first.model;
          dataset.value = first.dataset;
        }
        load();
      }
    },
    show(m, d) {
      model.value = m;
      dataset.value = d;
      load();
      box.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  };
}

/**
 * An axis for the values one parameter takes: numbers on a linear scale (logarithmic when they are
 * positive and span more than two decades, as learning rates do), anything else as evenly spaced
 * categories in sorted order. pos(value) is 0..1 from the bottom, or null for a missing value.
 */
function axis(name, values, numeric) {
  const present = values.filter((v) => v !== undefined && v !== null);
  const allNumbers = numeric || (present.length > 0 && present.every((v) => typeof v === 'number'));
  if (allNumbers) {
    const finite = present.filter((v) => Number.isFinite(v));
    let lo = Math.min(...finite);
    let hi = Math.max(...finite);
    const log = !numeric && lo > 0 && hi / lo > 100;
    const f = log ? Math.log10 : (v) => v;
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    const a = f(lo);
    const b = f(hi);
    const pos = (v) => (typeof v !== 'number' || !Number.isFinite(v) ? null : b === a ? 0.5 : (f(v) - a) / (b - a));
    const label = finite.every(Number.isInteger) ? (v) => String(Math.round(v)) : num; // depth 3, not 3.000
    const ticks = b === a ? [[0.5, label(lo)]] : [[0, label(lo)], [0.5, label(log ? 10 ** ((a + b) / 2) : (lo + hi) / 2)], [1, label(hi)]];
    return { key: name, name: name + (log ? ' (log)' : ''), pos, ticks };
  }
  const cats = [...new Set(present.map(plain))].sort();
  const pos = (v) => (v === undefined || v === null ? null : cats.length === 1 ? 0.5 : cats.indexOf(plain(v)) / (cats.length - 1));
  const every = Math.max(1, Math.ceil(cats.length / 12));
  const ticks = cats.filter((c, i) => i % every === 0).map((c) => [pos(c), c.length > 14 ? c.slice(0, 13) + '…' : c]);
  return { key: name, name, pos, ticks };
}

/** Poor (light orange) to good (dark blue) runs. */
function ramp(t) {
  const a = [253, 174, 97];
  const b = [44, 123, 182];
  const c = a.map((v, k) => Math.round(v + t * (b[k] - v)));
  return 'rgb(' + c.join(',') + ')';
}
