// Talking to the API. The key lives in sessionStorage (gone when the tab closes) and goes in the
// Authorization header of each call; the server sets no cookie, so another site cannot make the
// browser send an admin's key (no cross-site request forgery of requeue or cancel).

const KEY = 'tracker.apiKey';

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** An error the API answered with: its JSON {"error": {"message", "hint", "kind"}} and the HTTP status. */
export class ApiError extends Error {
  constructor(status, message, hint, kind) {
    super(message);
    this.status = status;
    this.hint = hint;
    this.kind = kind;
  }
}

/**
 * GET (or POST with form parameters) /api/v1/PATH; resolves to the parsed JSON, rejects with an
 * ApiError. PATH segments are the caller's to encode, except run ids, which the API takes as
 * paths (/api/v1/runs/NAME@V/MODEL/DATASET/N): runPath() encodes each part on its own.
 */
export async function call(path, { query, form, signal } = {}) {
  await turn(signal);
  try {
    return await ask(path, query, form, signal);
  } finally {
    done();
  }
}

/**
 * One request at a time: each read is a whole report on the server, and on the embedded default
 * at 100,000 runs two of them at once (a leaderboard and a page of 1000 runs) ran its database out
 * of memory (docs/dashboard.md). In a row, the page is as quick: the server has the same cores.
 */
const MAX_IN_FLIGHT = 1;
let inFlight = 0;
const waiting = [];

function turn(signal) {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight++;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const go = () => {
      signal?.removeEventListener('abort', leave);
      inFlight++;
      resolve();
    };
    const leave = () => {
      const i = waiting.indexOf(go);
      if (i >= 0) waiting.splice(i, 1);
      reject(new DOMException('left the page', 'AbortError'));
    };
    signal?.addEventListener('abort', leave);
    waiting.push(go);
  });
}

function done() {
  inFlight--;
  const next = waiting.shift();
  if (next) next();
}

async function ask(path, query, form, signal) {
  const url = '/api/v1/' + path + queryOf(query);
  const init = { headers: { Authorization: 'Bearer ' + (storedKey() || '') }, signal, cache: 'no-store' };
  if (form) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = queryOf(form).slice(1);
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'cannot reach the server: ' + e.message, 'is tracker serve still running?', 'unreachable');
  }
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(fixNonFinite(text)) : null;
  } catch (e) {
    throw new ApiError(res.status, 'the server answered something that is not JSON (HTTP ' + res.status + ')', null, 'internal');
  }
  if (!res.ok) {
    const err = (body && body.error) || {};
    throw new ApiError(res.status, err.message || 'HTTP ' + res.status, err.hint || null, err.kind || null);
  }
  return body;
}

export function runPath(id) {
  return 'runs/' + id.split('/').map(encodeURIComponent).join('/');
}

export function experimentPath(name, what) {
  return 'experiments/' + encodeURIComponent(name) + (what ? '/' + what : '');
}

function queryOf(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) p.append(k, String(one));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

/**
 * The API writes non-finite doubles as the bare words NaN, Infinity and -Infinity (what Python
 * reads back; docs/report-formats.md), which JSON.parse refuses. Outside strings they become
 * strings the pages turn back into numbers (toNumber); inside strings nothing changes.
 */
function fixNonFinite(text) {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (text.startsWith('NaN', i)) {
      out += '"NaN"';
      i += 2;
    } else if (text.startsWith('-Infinity', i)) {
      out += '"-Infinity"';
      i += 8;
    } else if (text.startsWith('Infinity', i)) {
      out += '"Infinity"';
      i += 7;
    } else {
      out += c;
    }
  }
  return out;
}

/** A number from the API: numbers as they are, "NaN" / "Infinity" / "-Infinity" as those values, else null. */
export function toNumber(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return null;
}
