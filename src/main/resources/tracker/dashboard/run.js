// #/r/RUN : one run (GET /api/v1/runs/NAME@V/MODEL/DATASET/N, what `tracker show RUN -o json`
// prints): status, parameters, learning curves per metric with a line per phase, provenance,
// attempts, artifacts, notes. Refreshed while the run is pending or running.

import { call, runPath, experimentPath, toNumber } from './api.js';
import { el, clear, append, route, num, plain, time, duration } from './dom.js';
import { lineChart, curvesOf } from './charts.js';

const LIVE_MS = 3000;

export function runPage(page, id, ctx) {
  const experiment = id.split('/')[0];
  ctx.setCrumbs({ text: 'experiments', href: route.experiments() }, { text: experiment, href: route.experiment(experiment) },
    { text: id.split('/').slice(1).join('/') });
  const controller = new AbortController();
  let timer = null;
  let stopped = false;
  let last = null;

  async function load() {
    try {
      const run = await call(runPath(id), { signal: controller.signal });
      if (stopped) return;
      // redrawn only when the run changed: a redraw resets the charts' zoom and the reader's place
      const seen = JSON.stringify(run);
      if (seen !== last) draw(run);
      last = seen;
      if (run.status === 'running' || run.status === 'pending') timer = setTimeout(load, LIVE_MS);
    } catch (e) {
      ctx.showError(e);
    }
  }

  function draw(r) {
    clear(page);
    const objective = r.summary && r.summary.objective;
    append(page, [
      el('h1', {}, el('span', { id: 'run-id' }, r._id), ' ', el('span', { class: 'status ' + r.status, id: 'run-status' }, r.status)),
      el('p', { class: 'muted' }, r.model + ' on ' + r.dataset + ' · trial ' + r.trial + ' · replicate ' + r.replicate + ' · seed ' + r.seed
        + ' · attempt ' + r.attempt + (r.progress ? ' · ' + Math.round(100 * r.progress.fraction) + '% done' : '')
        + (objective ? ' · objective best ' + num(toNumber(objective.best)) + ' at epoch ' + objective.bestEpoch : '')),
      r.message || r.exitCode !== undefined
        ? el('p', { class: 'message' }, r.exitCode !== undefined ? 'exit code ' + r.exitCode + ' ' : '', r.message ? el('span', { id: 'run-message' }, r.message) : null)
        : null,
      ctx.admin ? adminActions(r) : null,
      el('div', { class: 'columns' },
        el('section', {}, el('h2', {}, 'Parameters'), keyValues(r.params, 'params')),
        el('section', {}, el('h2', {}, 'Metrics'), summaryTable(r.summary))),
      curves(r),
      el('div', { class: 'columns' },
        el('section', {}, el('h2', {}, 'Provenance'), keyValues(flatten(r.provenance || {}), 'provenance'),
          el('p', { class: 'small muted' }, 'claimed ' + time(r.claimedAt) + ' · last heartbeat ' + time(r.heartbeatAt)
            + (r.endedAt ? ' · ended ' + time(r.endedAt) : ''))),
        el('section', {}, el('h2', {}, 'Notes and tags'), notes(r),
          el('h2', {}, 'Artifacts'), artifacts(r))),
      el('section', {}, el('h2', {}, 'Attempts'), history(r.history || []))]);
  }

  function curves(r) {
    const section = el('section', { id: 'curves' }, el('h2', {}, 'Learning curves'));
    const byEpoch = (r.epochs || []).length > 0;
    const rows = byEpoch ? r.epochs : r.steps || [];
    if (rows.length === 0) {
      section.append(el('p', { class: 'muted' }, 'no metric logged yet'));
      return section;
    }
    const xKey = byEpoch ? 'epoch' : 'step';
    const charts = el('div', { class: 'charts', id: 'charts' });
    for (const c of curvesOf(rows, xKey)) {
      charts.append(lineChart({ title: c.metric, xLabel: xKey, x: c.x, series: c.series }));
    }
    section.append(el('p', { class: 'muted small' }, 'per ' + xKey + ', one chart per metric, a line per phase'), charts);
    return section;
  }

  function adminActions(r) {
    const result = el('span', { class: 'small', id: 'run-admin-result' });
    async function act(what, form) {
      if (!confirm((what === 'requeue' ? 'Requeue ' : 'Cancel ') + r._id + '?')) return;
      try {
        await call(experimentPath(r.experiment, what), { form: { run: r._id, ...form }, signal: controller.signal });
        clearTimeout(timer);
        load();
      } catch (e) {
        ctx.showError(e);
      }
    }
    // Every finished status but completed; the run's own status is named, so a pruned run (left out
    // of a plain requeue: early stopping ended it on purpose) goes back too when asked here.
    const finished = ['failed', 'timeout', 'out_of_memory', 'node_fail', 'cancelled', 'pruned'].includes(r.status);
    const open = ['pending', 'running'].includes(r.status);
    return el('div', { class: 'admin', id: 'admin' }, el('span', { class: 'badge' }, 'admin'),
      finished ? el('button', { type: 'button', id: 'requeue-run', onclick: () => act('requeue', { status: r.status }) }, 'Requeue this run') : null,
      open ? el('button', { type: 'button', id: 'cancel-run', class: 'danger', onclick: () => act('cancel', { running: r.status === 'running' ? 'true' : '' }) },
        'Cancel this run') : null,
      !finished && !open ? el('span', { class: 'small muted' }, 'a completed run has nothing to requeue or cancel') : null,
      result);
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
}

function keyValues(obj, id) {
  const entries = Object.entries(obj || {});
  if (entries.length === 0) return el('p', { class: 'muted' }, 'none');
  return el('table', { class: 'kv', id }, el('tbody', {}, entries.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, plain(v))))));
}

/** {git: {commit: x}} -> {"git.commit": x} */
function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, prefix + k + '.', out);
    else out[prefix + k] = v;
  }
  return out;
}

function summaryTable(summary) {
  const metrics = summary && summary.metrics;
  if (!metrics || Object.keys(metrics).length === 0) return el('p', { class: 'muted' }, 'none yet');
  const rows = [];
  for (const [phase, ms] of Object.entries(metrics)) {
    for (const [name, s] of Object.entries(ms)) {
      rows.push(el('tr', {}, el('td', {}, phase + '.' + name), el('td', { class: 'num' }, num(toNumber(s.last))),
        el('td', { class: 'num' }, num(toNumber(s.min))), el('td', { class: 'num' }, num(toNumber(s.max)))));
    }
  }
  return el('table', { class: 'grid compact' }, el('thead', {}, el('tr', {}, el('th', {}, 'metric'), el('th', { class: 'num' }, 'last'),
    el('th', { class: 'num' }, 'min'), el('th', { class: 'num' }, 'max'))), el('tbody', {}, rows));
}

function notes(r) {
  const box = el('div', { id: 'notes' });
  if (r.tags && r.tags.length) box.append(el('p', { id: 'tags' }, r.tags.map((t) => el('span', { class: 'tag' }, t))));
  if (r.notes && r.notes.length) {
    box.append(el('ul', { class: 'notes' }, r.notes.map((n) => el('li', {}, el('span', { class: 'muted small' }, time(n.at) + ' '), el('span', { class: 'note' }, n.text)))));
  }
  if (!box.firstChild) box.append(el('p', { class: 'muted' }, 'none'));
  return box;
}

function artifacts(r) {
  const entries = Object.entries(r.artifacts || {});
  if (r.checkpoint) entries.push(['checkpoint', r.checkpoint]);
  if (entries.length === 0) return el('p', { class: 'muted' }, 'none');
  // URIs are shown as text to copy, never as links: a logged "javascript:" must not become one
  return el('table', { class: 'kv', id: 'artifacts' }, el('tbody', {}, entries.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, el('code', {}, plain(v)))))));
}

function history(h) {
  if (h.length === 0) return el('p', { class: 'muted' }, 'not claimed yet');
  const head = el('tr', {}, ['attempt', 'worker', 'claimed', 'ended', 'took', 'how', 'exit code', 'message'].map((t) => el('th', {}, t)));
  return el('table', { class: 'grid', id: 'history' }, el('thead', {}, head), el('tbody', {}, h.map((a) => el('tr', {},
    el('td', { class: 'num' }, a.attempt), el('td', {}, a.worker || '-'), el('td', {}, time(a.claimedAt)), el('td', {}, time(a.endedAt)),
    el('td', { class: 'num' }, a.claimedAt && a.endedAt ? duration((new Date(a.endedAt) - new Date(a.claimedAt)) / 1000) : '-'),
    el('td', {}, a.how || '-'), el('td', { class: 'num' }, a.exitCode ?? ''), el('td', {}, a.message || '')))));
}
