// The dashboard's entry: sign-in, the hash router, the error banner. Each page is a function that
// fills the main element and returns what stops it (its timers, its pending requests) when the
// route changes.

import { call, storedKey, storeKey, forgetKey, ApiError } from './api.js';
import { el, clear, append, route } from './dom.js';
import { experimentsPage } from './experiments.js';
import { experimentPage } from './experiment.js';
import { runPage } from './run.js';
import { comparePage } from './compare.js';

const main = document.getElementById('app');
const banner = document.getElementById('error');
const who = document.getElementById('who');
const crumbs = document.getElementById('crumbs');

let stopPage = null;
let session = null; // {role, id, experiments} of the key, from GET /api/v1/

/** Shows an API error (message and hint) above the page; a 401 sends the user back to sign in. */
export function showError(e) {
  if (e && e.name === 'AbortError') return;
  if (e instanceof ApiError && e.status === 401) {
    signOut(e.message);
    return;
  }
  clear(banner);
  append(banner, [el('strong', {}, 'Error: '), e instanceof Error ? e.message : String(e)]);
  if (e && e.hint) banner.append(el('div', { class: 'hint' }, e.hint));
  banner.append(el('button', { class: 'link', type: 'button', onclick: () => { banner.hidden = true; } }, 'dismiss'));
  banner.hidden = false;
}

function hideError() {
  banner.hidden = true;
  clear(banner);
}

export function setCrumbs(...parts) {
  clear(crumbs);
  for (const p of parts) {
    crumbs.append(el('span', { class: 'sep' }, '/'));
    crumbs.append(p.href ? el('a', { href: p.href }, p.text) : el('span', {}, p.text));
  }
}

export function isAdmin() {
  return session && session.role === 'admin';
}

function signOut(message) {
  forgetKey();
  session = null;
  render(message);
}

function signInPage(message) {
  setCrumbs();
  clear(who);
  const input = el('input', { type: 'password', id: 'api-key', name: 'key', autocomplete: 'off', required: true,
    placeholder: 'trk_…', spellcheck: 'false' });
  const form = el('form', { class: 'signin', id: 'signin' },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'Paste an API key (', el('code', {}, 'tracker keys create --role reader'),
      '). It is kept in this tab only and sent with each request.'),
    message ? el('p', { class: 'error-inline', id: 'signin-message' }, message) : null,
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    storeKey(input.value.trim());
    render();
  });
  clear(main).append(form);
  input.focus();
}

async function render(message) {
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  hideError();
  if (!storedKey()) {
    signInPage(message);
    return;
  }
  if (!session) {
    try {
      const me = await call('');
      if (me.key.role === 'worker') {
        // a worker key may claim and log, never read: every page would be a refusal
        forgetKey();
        signInPage('This is a worker key: it can claim and log runs but not read them. Sign in with a reader or admin key.');
        return;
      }
      session = me.key;
      clear(who);
      append(who, [el('span', { class: 'role', id: 'role', dataset: { role: session.role } }, session.role),
        el('span', { class: 'muted' }, ' key ' + session.id + ' · ' + (me.version || '')),
        el('button', { type: 'button', id: 'sign-out', class: 'link', onclick: () => signOut() }, 'sign out')]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        forgetKey();
        signInPage(e.message);
      } else {
        clear(main);
        showError(e);
      }
      return;
    }
  }
  const [path, query] = splitHash(location.hash);
  const parts = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const page = document.createElement('div');
  page.className = 'page';
  clear(main).append(page);
  const ctx = { query, admin: isAdmin(), showError, setCrumbs };
  if (parts.length === 0) stopPage = experimentsPage(page, ctx);
  else if (parts[0] === 'e' && parts.length === 2) stopPage = experimentPage(page, parts[1], ctx);
  else if (parts[0] === 'r' && parts.length === 2) stopPage = runPage(page, parts[1], ctx);
  else if (parts[0] === 'compare') stopPage = comparePage(page, query.getAll('run'), ctx);
  else {
    page.append(el('p', {}, 'No such page. '), el('a', { href: route.experiments() }, 'All experiments'));
  }
}

function splitHash(hash) {
  const h = hash.replace(/^#/, '') || '/';
  const q = h.indexOf('?');
  return q < 0 ? [h, new URLSearchParams()] : [h.slice(0, q), new URLSearchParams(h.slice(q + 1))];
}

window.addEventListener('hashchange', () => render());
render();
