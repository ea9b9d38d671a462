// The runs table of an experiment page: filtered, sorted and paged by the server (GET
// .../runs?page=&per_page=&sort=&where=, i.e. `tracker report --view runs`), so an experiment of
// 100,000 runs costs one page of rows. Checked runs (kept across pages) open the comparison.

import { call, experimentPath } from './api.js';
import { el, clear, route, num, duration, plain } from './dom.js';

const PAGE_SIZES = [10, 25, 50, 100, 250];
const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'pruned'];
/** Columns that sort on the server, by the field names `--sort` knows. */
const COLUMNS = [
  ['run', 'run'], ['model', 'model'], ['dataset', 'dataset'], ['trial', 'trial'], ['rep', 'replicate'],
  ['status', 'status'], ['attempt', 'attempt'], ['objective', 'objective'], ['final', 'final'], ['epochs', 'epochs'],
  ['duration', 'duration'],
];

export function runsTable(box, experiment, ctx, signal, metric) {
  const state = { page: 1, perPage: 25, sort: '', model: '', dataset: '', status: '', where: '' };
  const selected = new Set();

  const model = el('select', { id: 'runs-model', 'aria-label': 'model' }, el('option', { value: '' }, 'all models'));
  const dataset = el('select', { id: 'runs-dataset', 'aria-label': 'dataset' }, el('option', { value: '' }, 'all datasets'));
  const status = el('select', { id: 'runs-status', 'aria-label': 'status' }, el('option', { value: '' }, 'any status'),
    STATUSES.map((s) => el('option', { value: s }, s)));
  const where = el('input', { id: 'runs-where', type: 'text', size: 40, spellcheck: 'false',
    placeholder: 'more filters: params.lr<0.01; objective>0.9', 'aria-label': 'filter expressions' });
  const perPage = el('select', { id: 'runs-per-page', 'aria-label': 'runs per page' },
    PAGE_SIZES.map((n) => el('option', { value: n, selected: n === state.perPage }, n + ' a page')));
  const compare = el('button', { type: 'button', id: 'compare', disabled: true, onclick: () => {
    location.hash = route.compare([...selected]);
  } }, 'Compare');
  const clearSel = el('button', { type: 'button', class: 'link', onclick: () => { selected.clear(); load(); } }, 'clear selection');
  const table = el('div', { class: 'scroll' });
  const pager = el('div', { class: 'pager', id: 'runs-pager' });

  const form = el('form', { class: 'filters', id: 'runs-filters' }, model, dataset, status, where, perPage,
    el('button', { type: 'submit' }, 'Filter'), compare, clearSel);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    Object.assign(state, { page: 1, model: model.value, dataset: dataset.value, status: status.value, where: where.value,
      perPage: Number(perPage.value) });
    load();
  });
  for (const s of [model, dataset, status, perPage]) s.addEventListener('change', () => form.requestSubmit());

  box.append(el('h2', {}, 'Runs'), el('p', { class: 'muted' }, 'filtered, sorted and paged on the server; ',
    'filters are ', el('code', {}, 'tracker report --view runs --where'), ' expressions separated by ', el('code', {}, ';'),
    '; click a column to sort; check runs to compare their curves'), form, table, pager);

  let asked = 0; // only the latest request's page is drawn, whatever order the answers come in

  async function load() {
    const mine = ++asked;
    const wheres = [];
    if (state.model) wheres.push('model=' + state.model);
    if (state.dataset) wheres.push('dataset=' + state.dataset);
    if (state.status) wheres.push('status=' + state.status);
    for (const w of state.where.split(';')) if (w.trim()) wheres.push(w.trim());
    try {
      const r = await call(experimentPath(experiment, 'runs'), {
        query: { page: state.page, per_page: state.perPage, sort: state.sort, where: wheres, metric }, signal,
      });
      if (mine === asked) draw(r);
    } catch (e) {
      ctx.showError(e);
    }
  }

  function draw(r) {
    const paramNames = [...new Set(r.runs.flatMap((x) => Object.keys(x.params || {})))].sort();
    const shown = r.metric ? r.metric : null;
    const head = el('tr', {}, el('th', {}, ''), COLUMNS.map(([label, field]) => sortable(label, field)),
      shown ? [sortable('epoch', 'chosen_epoch'), sortable(shown, 'shown')] : null,
      // a parameter named like a column (epochs) says that it is one
      paramNames.map((p) => sortable(COLUMNS.some(([label]) => label === p) ? 'params.' + p : p, 'params.' + p)));
    const rows = r.runs.map((x) => {
      const box = el('input', { type: 'checkbox', class: 'pick', checked: selected.has(x.run), 'aria-label': 'select ' + x.run });
      box.addEventListener('change', () => {
        if (box.checked) selected.add(x.run);
        else selected.delete(x.run);
        updateCompare();
      });
      return el('tr', { dataset: { run: x.run } }, el('td', {}, box),
        el('td', {}, el('a', { href: route.run(x.run) }, x.run.split('/').slice(1).join('/'))),
        el('td', {}, x.model), el('td', {}, x.dataset), el('td', { class: 'num' }, x.trial), el('td', { class: 'num' }, x.replicate),
        el('td', {}, el('span', { class: 'status ' + x.status }, x.status)), el('td', { class: 'num' }, x.attempt),
        el('td', { class: 'num' }, num(x.objective)), el('td', { class: 'num' }, num(x.final)),
        el('td', { class: 'num' }, x.epochs ?? '-'), el('td', { class: 'num' }, duration(x.duration)),
        shown ? [el('td', { class: 'num' }, x.chosen_epoch ?? '-'), el('td', { class: 'num' }, num(x.shown))] : null,
        paramNames.map((p) => el('td', { class: 'param' }, x.params && p in x.params ? plain(x.params[p]) : '')));
    });
    clear(table).append(el('table', { class: 'grid runs', id: 'runs', dataset: { matched: String(r.matched) } },
      el('thead', {}, head), el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 12, class: 'muted' }, 'no run matches')))));
    const pages = Math.max(1, Math.ceil(r.matched / state.perPage));
    clear(pager).append(
      el('button', { type: 'button', id: 'runs-prev', disabled: state.page <= 1, onclick: () => go(state.page - 1) }, '‹ previous'),
      el('span', { id: 'runs-page' }, 'page ' + state.page + ' of ' + pages + ' · ' + r.matched + ' runs match'),
      el('button', { type: 'button', id: 'runs-next', disabled: state.page >= pages, onclick: () => go(state.page + 1) }, 'next ›'));
    updateCompare();
  }

  function sortable(label, field) {
    const mark = state.sort === field ? ' ▲' : state.sort === '-' + field ? ' ▼' : '';
    return el('th', { class: 'sortable', dataset: { sort: field }, title: 'sort by ' + field, onclick: () => {
      // numbers read best high-first; a second click turns the order round
      state.sort = state.sort === '-' + field ? field : '-' + field;
      state.page = 1;
      load();
    } }, label + mark);
  }

  function go(page) {
    state.page = page;
    load();
  }

  function updateCompare() {
    compare.disabled = selected.size < 1;
    compare.textContent = 'Compare ' + selected.size + ' selected';
  }

  return {
    /**
     * The table starts on one cell: listing every run of a large experiment makes the server read
     * all of them (10 s at 100,000 runs, docs/dashboard.md), so that takes choosing "all".
     */
    setCells(models, datasets, first) {
      if (model.options.length === 1) {
        for (const m of models) model.append(el('option', { value: m }, m));
        for (const d of datasets) dataset.append(el('option', { value: d }, d));
        if (first) {
          model.value = state.model = first.model;
          dataset.value = state.dataset = first.dataset;
        }
      }
      load();
    },
    /** Shows one cell's runs (a click on the matrix). */
    showCell(m, d) {
      model.value = m;
      dataset.value = d;
      form.requestSubmit();
    },
    refresh: load,
    /** Runs have finished since this page was drawn: offer to read it again rather than do it every 2 s. */
    markStale() {
      if (pager.querySelector('#runs-stale')) return;
      pager.append(el('button', { type: 'button', id: 'runs-stale', class: 'link', onclick: load }, 'runs have finished since: refresh'));
    },
  };
}
