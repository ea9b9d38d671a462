// #/ : every experiment the key reaches (GET /api/v1/experiments, what `tracker list -o json`
// prints), with its runs by status and a progress bar; refreshed while any has runs to do.

import { call } from './api.js';
import { el, clear, route, progressBar, finishedCount, time } from './dom.js';

const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
/** Shown as a column only when some experiment has pruned runs (early stopping ended them), as `tracker list` does. */
const PRUNED = 'pruned';
const REFRESH_MS = 5000;

export function experimentsPage(page, ctx) {
  ctx.setCrumbs({ text: 'experiments' });
  const body = el('div', { id: 'experiments' }, el('p', { class: 'muted' }, 'Loading…'));
  page.append(el('h1', {}, 'Experiments'), body);
  let timer = null;
  let stopped = false;

  async function load() {
    try {
      const list = await call('experiments');
      if (stopped) return;
      draw(list);
      const busy = list.some((e) => (e.counts.pending || 0) + (e.counts.running || 0) > 0);
      if (busy) timer = setTimeout(load, REFRESH_MS);
    } catch (e) {
      ctx.showError(e);
    }
  }

  function draw(list) {
    clear(body);
    if (list.length === 0) {
      body.append(el('p', { class: 'muted' }, 'No experiments yet: ', el('code', {}, 'tracker create FILE'), ' makes one.'));
      return;
    }
    const statuses = list.some((e) => e.counts[PRUNED] > 0) ? [...STATUSES, PRUNED] : STATUSES;
    const head = el('tr', {}, el('th', {}, 'experiment'), el('th', {}, 'state'), el('th', {}, 'created'),
      el('th', { class: 'num' }, 'cells'), el('th', { class: 'num' }, 'runs'),
      statuses.map((s) => el('th', { class: 'num' }, s)), el('th', { class: 'wide' }, 'progress'));
    const rows = list.map((e) => {
      const total = e.runs;
      const finished = finishedCount(e.counts);
      return el('tr', { dataset: { experiment: e.id } },
        el('td', {}, el('a', { href: route.experiment(e.id), class: 'strong' }, e.id)),
        el('td', {}, e.state),
        el('td', { class: 'muted' }, time(e.createdAt)),
        el('td', { class: 'num' }, e.cells),
        el('td', { class: 'num' }, total),
        statuses.map((s) => el('td', { class: 'num ' + (e.counts[s] ? s : 'zero'), dataset: { status: s } }, e.counts[s] || 0)),
        el('td', { class: 'wide' }, progressBar({ ...e.counts, total }),
          el('span', { class: 'small muted' }, total ? Math.floor(100 * finished / total) + '% finished' : '')));
    });
    body.append(el('table', { class: 'grid' }, el('thead', {}, head), el('tbody', {}, rows)));
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
