// #/e/NAME[?metric=PHASE.NAME] : one experiment. The model x dataset matrix as a heatmap (GET
// .../report, the numbers and marks of `tracker report -o json`; matrix.js), each cell's progress kept live
// from .../report?view=progress while runs are pending or running, the leaderboard, the runs
// table (runs.js), the parallel coordinates of one cell (parcoords.js), and for admin keys
// requeue and cancel.

import { call, experimentPath, runPath } from './api.js';
import { el, clear, append, route, meanStd, progressBar, finishedCount, plain, duration } from './dom.js';
import { matrixTable, cellProgress, legend } from './matrix.js';
import { runsTable } from './runs.js';
import { parallelCoordinates } from './parcoords.js';

/** How often progress is asked for while anything is pending or running (the issue: live while workers run). */
const LIVE_MS = 2000;
const LEADERBOARD_TOP = 3;
/** The matrix and leaderboard are asked again at most this often while runs finish. */
const MATRIX_GAP_MS = 5000;

export function experimentPage(page, name, ctx) {
  const metric = ctx.query.get('metric') || '';
  ctx.setCrumbs({ text: 'experiments', href: route.experiments() }, { text: name });
  const controller = new AbortController();
  const signal = controller.signal;
  let timer = null;
  let stopped = false;
  let lastFinished = null;
  let changed = false; // runs finished since the matrix was drawn
  let matrixAt = 0; // when it was drawn
  let matrixCost = 0; // how long its report took

  const header = el('section', { class: 'summary', id: 'summary' });
  const matrixBox = el('section', { id: 'matrix-section' });
  const leaderBox = el('section', { id: 'leaderboard-section' });
  const runsBox = el('section', { id: 'runs-section' });
  const coordsBox = el('section', { id: 'parcoords-section' });
  page.append(header, matrixBox, leaderBox, coordsBox, runsBox);

  let report = null; // the matrix report being shown
  const loggedMetrics = [];
  let metricsAsked = false;
  let addMetric = () => {};
  const coords = parallelCoordinates(coordsBox, name, ctx, signal);
  const runs = runsTable(runsBox, name, ctx, signal, metric);

  async function loadAll() {
    try {
      const t0 = performance.now();
      const [show, matrix] = await Promise.all([
        call(experimentPath(name), { signal }),
        call(experimentPath(name, 'report'), { query: { metric }, signal }),
      ]);
      if (stopped) return;
      report = matrix;
      matrixCost = performance.now() - t0;
      matrixAt = performance.now();
      drawHeader(show);
      drawMatrix(matrix);
      runs.setCells(matrix.models, matrix.datasets, matrix.cells.find((c) => c.mean !== null) || matrix.cells[0]);
      coords.setCells(matrix);
      loadLeaderboard();
      await tick();
    } catch (e) {
      ctx.showError(e);
      if (metric && !report) {
        // a metric the runs did not log, or whose direction is unknown: offer the way back
        matrixBox.append(el('p', {}, 'The matrix cannot show ' + metric + '. ',
          el('a', { href: route.experiment(name), id: 'back-to-objective' }, 'Show the objective')));
      }
    }
  }

  /**
   * One round of live progress: per-cell counts every round; the matrix and the leaderboard again
   * when runs have finished since, at most every MATRIX_GAP_MS. On a large experiment each of these
   * reports costs the server a noticeable fraction of a second, so the rounds also space themselves
   * out to several times what the last one took; the runs table only says that it is out of date
   * (reading it again may mean reading every run).
   */
  async function tick() {
    timer = null;
    try {
      const t0 = performance.now();
      const progress = await call(experimentPath(name, 'report'), { query: { view: 'progress' }, signal });
      if (stopped) return;
      let cost = performance.now() - t0;
      const o = progress.overall;
      const finished = finishedCount(o);
      if (lastFinished !== null && finished !== lastFinished) {
        changed = true;
        runs.markStale();
      }
      lastFinished = finished;
      if (changed && performance.now() - matrixAt >= Math.max(MATRIX_GAP_MS, 10 * matrixCost)) {
        changed = false;
        const t1 = performance.now();
        report = await call(experimentPath(name, 'report'), { query: { metric }, signal });
        if (stopped) return;
        matrixCost = performance.now() - t1;
        matrixAt = performance.now();
        cost += matrixCost;
        drawMatrix(report);
        loadLeaderboard();
      }
      drawProgress(progress);
      const live = o.pending + o.running > 0;
      const every = Math.max(LIVE_MS, 5 * cost);
      liveNote.textContent = live ? 'live: updating every ' + Math.round(every / 100) / 10 + ' s' : 'all runs finished';
      liveNote.classList.toggle('on', live);
      if (live) timer = setTimeout(tick, every);
    } catch (e) {
      ctx.showError(e);
    }
  }

  const liveNote = el('span', { id: 'live', class: 'live' });
  const overallBar = el('div', { id: 'overall-progress' });

  function drawHeader(show) {
    clear(header);
    const def = parseObjective(show.definition);
    append(header, [
      el('h1', {}, show.id, ' ', el('span', { class: 'state' }, show.state)),
      def ? el('p', { class: 'muted' }, def) : null,
      el('div', { class: 'row' }, overallBar, liveNote),
      ctx.admin ? adminPanel() : null]);
  }

  function drawProgress(progress) {
    const o = progress.overall;
    clear(overallBar).append(progressBar(o), el('span', { class: 'small' },
      o.completed + ' completed · ' + (o.pruned ? o.pruned + ' pruned · ' : '') + o.failed + ' failed · ' + o.cancelled + ' cancelled · '
      + o.running + ' running · '
      + o.pending + ' pending of ' + o.total + (progress.etaSeconds ? ' · about ' + duration(progress.etaSeconds) + ' left' : '')));
    cellProgress(matrixBox, progress.cells);
  }

  function drawMatrix(m) {
    clear(matrixBox);
    const title = el('div', { class: 'row' }, el('h2', {}, 'Matrix'), metricSelector(m));
    matrixBox.append(title, el('p', { class: 'muted', id: 'shows' }, m.shows || m.objective));
    matrixBox.append(el('div', { class: 'scroll' }, matrixTable(m, (c) => {
      runs.showCell(c.model, c.dataset);
      coords.show(c.model, c.dataset);
    })), legend(m));
  }

  function metricSelector(m) {
    const select = el('select', { id: 'metric', 'aria-label': 'metric shown' },
      el('option', { value: '' }, 'objective: ' + m.objective));
    const shown = new Set();
    const add = (v) => {
      if (shown.has(v) || v === '') return;
      shown.add(v);
      select.append(el('option', { value: v, selected: v === metric }, v));
    };
    if (metric) add(metric);
    add('duration');
    for (const v of loggedMetrics) add(v);
    addMetric = add;
    select.addEventListener('change', () => { location.hash = route.experiment(name, { metric: select.value }); });
    // the metrics runs log, from one completed run (never a scan of all runs), asked once a page
    const first = m.cells.find((c) => c.mean !== null);
    if (first && !metricsAsked) {
      metricsAsked = true;
      call(experimentPath(name, 'runs'), {
        query: { where: ['model=' + first.model, 'dataset=' + first.dataset, 'status=completed'], per_page: 1 }, signal,
      }).then((r) => (r.runs.length ? call(runPath(r.runs[0].run), { signal }) : null))
        .then((run) => {
          if (!run || !run.summary || !run.summary.metrics) return;
          for (const [phase, metrics] of Object.entries(run.summary.metrics)) {
            for (const name of Object.keys(metrics)) {
              loggedMetrics.push(phase + '.' + name);
              addMetric(phase + '.' + name); // to the selector on the page now (the matrix may have been redrawn)
            }
          }
        }).catch(ctx.showError);
    }
    return el('label', { class: 'inline' }, 'metric ', select);
  }

  async function loadLeaderboard() {
    try {
      const lb = await call(experimentPath(name, 'report'), { query: { view: 'leaderboard', top: LEADERBOARD_TOP, metric }, signal });
      if (stopped) return;
      clear(leaderBox);
      leaderBox.append(el('h2', {}, 'Leaderboard'), el('p', { class: 'muted' }, 'the best ' + LEADERBOARD_TOP
        + ' configurations of each cell by ' + lb.objective + ', mean ± std over replicates'));
      const shown = lb.entries.some((e) => e.shown);
      const head = el('tr', {}, ['model', 'dataset', 'rank', 'trial'].map((h) => el('th', {}, h)),
        el('th', { class: 'num' }, 'objective'), el('th', { class: 'num' }, 'n'),
        shown ? el('th', { class: 'num' }, lb.entries.find((e) => e.shown).shown.metric) : null,
        el('th', {}, 'parameters'), el('th', {}, 'a run'));
      const rows = lb.entries.map((e) => el('tr', { class: e.rank === 1 ? 'first' : '' },
        el('td', {}, e.model), el('td', {}, e.dataset), el('td', { class: 'num' }, e.rank), el('td', { class: 'num' }, e.trial),
        el('td', { class: 'num' }, meanStd(e.mean, e.std, e.n)), el('td', { class: 'num' }, e.n),
        shown ? el('td', { class: 'num' }, e.shown ? meanStd(e.shown.mean, e.shown.std, e.shown.n) : '-') : null,
        el('td', { class: 'params' }, paramsText(e.params)),
        el('td', {}, el('a', { href: route.run(e.run) }, e.run.split('/').slice(1).join('/')))));
      leaderBox.append(el('div', { class: 'scroll' }, el('table', { class: 'grid', id: 'leaderboard' },
        el('thead', {}, head), el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'no completed run yet'))))));
    } catch (e) {
      ctx.showError(e);
    }
  }

  function adminPanel() {
    const model = el('select', { id: 'admin-model' }, el('option', { value: '' }, 'all models'));
    const dataset = el('select', { id: 'admin-dataset' }, el('option', { value: '' }, 'all datasets'));
    const running = el('input', { type: 'checkbox', id: 'admin-running' });
    const result = el('span', { class: 'small', id: 'admin-result' });
    for (const m of report.models) model.append(el('option', { value: m }, m));
    for (const d of report.datasets) dataset.append(el('option', { value: d }, d));
    async function act(what, question, form) {
      if (!confirm(question)) return;
      try {
        const r = await call(experimentPath(name, what), { form: { model: model.value, dataset: dataset.value, ...form }, signal });
        result.textContent = what === 'requeue' ? 'requeued ' + r.requeued + ' runs' : 'cancelled ' + ((r.pending || 0) + (r.running || 0)) + ' runs';
        changed = true;
        matrixAt = 0;
        if (!timer) tick();
        runs.refresh();
      } catch (e) {
        ctx.showError(e);
      }
    }
    const scope = () => (model.value || 'every model') + ' on ' + (dataset.value || 'every dataset');
    return el('div', { class: 'admin', id: 'admin' }, el('span', { class: 'badge' }, 'admin'), model, dataset,
      el('button', { type: 'button', id: 'requeue', onclick: () => act('requeue', 'Requeue the failed and cancelled runs of ' + scope() + '?', {}) },
        'Requeue failed & cancelled'),
      el('button', { type: 'button', id: 'cancel', class: 'danger', onclick: () => act('cancel',
        'Cancel the pending' + (running.checked ? ' and running' : '') + ' runs of ' + scope() + '?', { running: running.checked ? 'true' : '' }) },
      'Cancel pending'),
      el('label', { class: 'inline small' }, running, ' also running'), result);
  }

  loadAll();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
}

/** "objective: {metric: acc, phase: val, goal: maximize}" and the description, from the stored definition's text. */
function parseObjective(definition) {
  if (!definition) return null;
  const d = /^description: (.*)$/m.exec(definition);
  if (!d) return null;
  const v = d[1].trim();
  return v.startsWith('"') ? (() => { try { return JSON.parse(v); } catch (e) { return v; } })() : v;
}

export function paramsText(params) {
  return Object.entries(params || {}).map(([k, v]) => k + '=' + plain(v)).join('  ');
}
