// The model x dataset matrix of `tracker report -o json` as a heatmap: each cell's mean ± std
// written as the terminal table writes it, its marks (* best, ~ not significantly worse), its
// progress, and a colour for where it lies between its dataset's worst and best.

import { el, clear, meanStd, progressBar, finishedCount } from './dom.js';

/** The table: models as rows, datasets as columns, then average rank and wins; onCell(cell) on a click. */
export function matrixTable(m, onCell) {
  const byKey = new Map(m.cells.map((c) => [c.model + '\u0000' + c.dataset, c]));
  const ranks = new Map((m.ranks || []).map((r) => [r.model, r]));
  const scale = colourScale(m);
  const head = el('tr', {}, el('th', {}, 'model'), m.datasets.map((d) => el('th', { class: 'num' }, d)),
    el('th', { class: 'num' }, 'avg rank'), el('th', { class: 'num' }, 'wins'));
  const rows = m.models.map((model) => el('tr', {}, el('th', { class: 'rowhead' }, model),
    m.datasets.map((dataset) => {
      const c = byKey.get(model + '\u0000' + dataset);
      return c ? cell(c, scale, onCell) : el('td', { class: 'none' });
    }),
    el('td', { class: 'num' }, ranks.has(model) ? num2(ranks.get(model).averageRank) : '-'),
    el('td', { class: 'num' }, ranks.has(model) ? ranks.get(model).wins : '-')));
  return el('table', { class: 'matrix', id: 'matrix' }, el('thead', {}, head), el('tbody', {}, rows));
}

/** Each cell's runs by status (report?view=progress): redrawn only where the counts changed. */
export function cellProgress(box, cells) {
  const tds = new Map([...box.querySelectorAll('td.cell')].map((td) => [td.dataset.model + '/' + td.dataset.dataset, td]));
  for (const c of cells) {
    const td = tds.get(c.model + '/' + c.dataset);
    if (!td) continue;
    const counts = [c.completed, c.pruned || 0, c.failed, c.cancelled, c.running, c.pending].join(' ');
    if (td.dataset.counts === counts) continue; // unchanged: leave the cell as it is
    td.dataset.counts = counts;
    const done = finishedCount(c);
    td.dataset.done = done;
    td.dataset.total = c.total;
    td.dataset.running = c.running;
    const p = td.querySelector('.cell-progress');
    clear(p).append(progressBar(c), el('span', { class: 'done' }, done + '/' + c.total));
    td.classList.toggle('incomplete', done < c.total);
    td.classList.toggle('running', c.running > 0);
  }
}

function cell(c, scale, onCell) {
  const value = c.mean === null
    ? (c.failed > 0 && c.failed === c.done ? 'failed' : '-')
    : meanStd(c.mean, c.std, c.n) + (c.best ? ' *' : c.verdict === 'not_worse' ? ' ~' : '');
  const td = el('td', {
    class: 'cell' + (c.best ? ' best' : '') + (c.verdict === 'not_worse' ? ' tie' : '') + (c.done < c.total ? ' incomplete' : ''),
    title: c.model + ' on ' + c.dataset + (c.trial !== null && c.trial !== undefined ? ', trial ' + c.trial : '')
      + ', n=' + c.n + ', ' + c.done + '/' + c.total + ' finished, ' + c.failed + ' failed',
    dataset: {
      model: c.model, dataset: c.dataset, mean: String(c.mean), std: String(c.std),
      n: String(c.n), best: String(c.best), verdict: String(c.verdict), done: String(c.done), total: String(c.total),
    },
    onclick: () => onCell(c),
  }, el('span', { class: 'value' }, value), el('div', { class: 'cell-progress' }, el('span', { class: 'done' }, c.done + '/' + c.total)));
  const t = scale(c);
  if (t !== null) {
    td.style.backgroundColor = heat(t);
    if (t > 0.55) td.classList.add('dark');
  }
  return td;
}

function num2(x) {
  return x === null || x === undefined ? '-' : x.toFixed(2);
}

/**
 * Per dataset, where a cell's value lies between the dataset's worst (0) and best (1): scores of
 * different datasets are not comparable (as the report's SVG heatmap colours them).
 */
function colourScale(m) {
  const range = new Map();
  for (const c of m.cells) {
    if (typeof c.mean !== 'number' || !Number.isFinite(c.mean)) continue;
    const r = range.get(c.dataset) || { lo: Infinity, hi: -Infinity };
    r.lo = Math.min(r.lo, c.mean);
    r.hi = Math.max(r.hi, c.mean);
    range.set(c.dataset, r);
  }
  const up = m.higherIsBetter !== false;
  return (c) => {
    if (typeof c.mean !== 'number' || !Number.isFinite(c.mean)) return null;
    const r = range.get(c.dataset);
    if (r.hi === r.lo) return 1;
    const t = (c.mean - r.lo) / (r.hi - r.lo);
    return up ? t : 1 - t;
  };
}

/** Light (worst) to dark blue (best), the sequential "Blues" ramp. */
const RAMP = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
function heat(t) {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((v, k) => Math.round(v + f * (RAMP[i + 1][k] - v)));
  return 'rgb(' + c.join(',') + ')';
}

export function legend(m) {
  const swatches = el('span', { class: 'ramp' });
  for (let i = 0; i <= 10; i++) {
    const s = el('span', { class: 'swatch' });
    s.style.backgroundColor = heat(i / 10);
    swatches.append(s);
  }
  const alpha = m.alpha !== undefined ? m.alpha : 0.05;
  return el('div', { class: 'legend', id: 'legend' },
    el('div', {}, 'worst ', swatches, ' best on each dataset (colours compare models within a dataset, not across)'),
    el('div', {}, el('strong', {}, '*'), ' best on the dataset (ties: all of them) · ', el('strong', {}, '~'),
      ' not significantly worse than the best (Welch\'s t-test over replicates, α = ' + alpha + ') · ',
      el('span', { class: 'done' }, 'k/n'), ' runs finished of planned · ', el('strong', {}, '-'), ' no value yet'),
    m.rankedDatasets && m.rankedDatasets.length < m.datasets.length
      ? el('div', { class: 'muted' }, 'average ranks over ' + (m.rankedDatasets.join(', ') || 'no dataset')
        + ' (the datasets every compared model has a value on)') : null,
    el('div', { class: 'muted' }, 'click a cell for its runs and its parameters in parallel coordinates'));
}
