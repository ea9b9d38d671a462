// #/compare?run=ID&run=ID… : the curves of several runs overlaid, one metric at a time (a line per
// run), with their parameters side by side. Each run is one GET /api/v1/runs/ID.

import { call, runPath, toNumber } from './api.js';
import { el, clear, route, num, plain } from './dom.js';
import { lineChart, colourOf } from './charts.js';

const MAX_COMPARED = 20;

export function comparePage(page, ids, ctx) {
  ctx.setCrumbs({ text: 'experiments', href: route.experiments() }, { text: 'compare ' + ids.length + ' runs' });
  const controller = new AbortController();
  page.append(el('h1', {}, 'Compare runs'));
  if (ids.length === 0) {
    page.append(el('p', { class: 'muted' }, 'No runs chosen: check runs in an experiment\'s runs table, then press Compare.'));
    return () => {};
  }
  const shown = ids.slice(0, MAX_COMPARED);
  if (ids.length > MAX_COMPARED) page.append(el('p', { class: 'muted' }, 'the first ' + MAX_COMPARED + ' of ' + ids.length + ' runs'));
  const select = el('select', { id: 'compare-metric', 'aria-label': 'metric' });
  const chartBox = el('div', { id: 'compare-chart' });
  const table = el('div', { class: 'scroll' });
  page.append(el('div', { class: 'row' }, el('label', { class: 'inline' }, 'metric ', select)), chartBox, table);

  (async () => {
    try {
      const runs = await Promise.all(shown.map((id) => call(runPath(id), { signal: controller.signal })));
      const columns = new Set();
      for (const r of runs) for (const row of r.epochs || []) for (const k of Object.keys(row)) if (k.includes('.')) columns.add(k);
      const sorted = [...columns].sort((a, b) => phaseRank(a) - phaseRank(b) || a.localeCompare(b));
      for (const c of sorted) select.append(el('option', { value: c }, c));
      const preferred = sorted.find((c) => c.startsWith('val.')) || sorted[0];
      if (preferred) select.value = preferred;
      const draw = () => {
        clear(chartBox);
        if (!select.value) {
          chartBox.append(el('p', { class: 'muted' }, 'these runs have logged no epoch yet'));
          return;
        }
        // one x for all: the union of the runs' epochs, each run's values in its place
        const epochs = [...new Set(runs.flatMap((r) => (r.epochs || []).map((e) => e.epoch)))].sort((a, b) => a - b);
        const series = runs.map((r, i) => {
          const at = new Map((r.epochs || []).map((e) => [e.epoch, e[select.value]]));
          return { label: shortId(r._id), values: epochs.map((e) => (at.has(e) ? at.get(e) : null)), colour: colourOf('', i) };
        });
        chartBox.append(lineChart({ title: select.value, xLabel: 'epoch', x: epochs, series, width: Math.min(1100, page.clientWidth || 900) }));
      };
      select.addEventListener('change', draw);
      draw();
      const names = [...new Set(runs.flatMap((r) => Object.keys(r.params || {})))].sort();
      table.append(el('table', { class: 'grid', id: 'compare-runs' },
        el('thead', {}, el('tr', {}, el('th', {}, 'run'), el('th', {}, 'status'), el('th', { class: 'num' }, 'objective best'),
          names.map((n) => el('th', {}, n)))),
        el('tbody', {}, runs.map((r) => el('tr', {}, el('td', {}, el('a', { href: route.run(r._id) }, r._id)),
          el('td', {}, el('span', { class: 'status ' + r.status }, r.status)),
          el('td', { class: 'num' }, r.summary && r.summary.objective ? num(toNumber(r.summary.objective.best)) : '-'),
          names.map((n) => el('td', {}, r.params && n in r.params ? plain(r.params[n]) : '')))))));
    } catch (e) {
      ctx.showError(e);
    }
  })();
  return () => controller.abort();
}

function phaseRank(column) {
  return { train: 0, val: 1, test: 2 }[column.split('.')[0]] ?? 3;
}

function shortId(id) {
  return id.split('/').slice(1).join('/');
}
