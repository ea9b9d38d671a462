// Building pages from elements and text nodes, never from HTML strings: every piece of data goes in as a text node or a property, so a
// name, parameter value or note that holds markup is shown as the characters it is.

/**
 * el('td', {class: 'num', dataset: {mean: '0.5'}}, 'text', otherNode): an element with attributes
 * and children. Strings become text nodes; null and false children are skipped. Never pass
 * 'style' (the page's Content-Security-Policy forbids style attributes): use classes, or
 * element.style properties afterwards.
 */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'href') e.setAttribute('href', safeHref(v));
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'value' || k === 'hidden') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

export function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Links go only to the dashboard's own routes: anything else would be a way out of it (javascript:). */
function safeHref(h) {
  return typeof h === 'string' && h.startsWith('#/') ? h : '#/';
}

/** An SVG element (the parallel coordinates, the progress bars' legend). */
export function svg(tag, attrs, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// Routes. Run ids hold slashes and '@' (NAME@V/MODEL/DATASET/N): each is one encoded segment.
export const route = {
  experiments: () => '#/',
  experiment: (name, query) => '#/e/' + encodeURIComponent(name) + queryString(query),
  run: (id) => '#/r/' + encodeURIComponent(id),
  compare: (ids) => '#/compare' + queryString({ run: ids }),
};

export function queryString(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

/**
 * Numbers as the reports write them for people (tracker.report.Numbers): three decimals, or three
 * significant digits from 1000 and below 0.001; "nan", "inf", "-inf"; "-" for no value. Java rounds
 * the shortest decimal form of a double half up (0.0005 -> 0.001), where JavaScript's toFixed
 * rounds its exact binary value; rounding the digits of String(x) gives Java's answer.
 */
export function num(x) {
  if (x === null || x === undefined) return '-';
  if (typeof x !== 'number') x = Number(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (a >= 1000 || (a < 0.001 && a !== 0)) return sign + significant(a, 3);
  return sign + fixed(a, 3);
}

export function meanStd(mean, std, n) {
  return num(mean) + (n > 1 ? ' ± ' + num(std) : '');
}

/** The decimal digits of a positive double's shortest form, and the exponent of the first: 0.0155 -> ['155', -2]. */
function digitsOf(a) {
  const [m, e] = a.toExponential().split('e');
  return [m.replace('.', ''), Number(e)];
}

/** Keeps the first k digits of a digit string, half up: [digits as BigInt, whether it carried to one more digit]. */
function roundDigits(digits, k) {
  if (k < 0) return [0n, false];
  let kept = BigInt((digits.slice(0, k) || '0').padEnd(k, '0') || '0');
  if (digits.length > k && digits[k] >= '5') kept += 1n;
  return [kept, kept.toString().length > Math.max(k, 1)];
}

/** Like Java's %.{f}f. */
function fixed(a, f) {
  const [digits, e] = digitsOf(a);
  const [kept] = roundDigits(digits, e + 1 + f);
  const s = kept.toString().padStart(f + 1, '0');
  return f === 0 ? s : s.slice(0, s.length - f) + '.' + s.slice(s.length - f);
}

/** Like Java's %.{p}g: plain from 1e-4 up to 10^p (after rounding), else d.dde±XX. */
function significant(a, p) {
  let [digits, e] = digitsOf(a);
  let [kept, carried] = roundDigits(digits, p);
  if (carried) {
    kept /= 10n;
    e += 1;
  }
  const d = kept.toString();
  const rounded = Number(d[0] + '.' + d.slice(1) + 'e' + e);
  if (rounded >= 1e-4 && rounded < 10 ** p) {
    const decimals = Math.max(0, p - 1 - e);
    return decimals === 0 ? d.padEnd(e + 1, '0') : fixed(rounded, decimals);
  }
  const exp = (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  return d[0] + '.' + d.slice(1) + 'e' + exp;
}

/** Seconds as people read a duration: 42s, 3m 20s, 2h 05m. */
export function duration(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '-';
  if (s < 60) return (s < 10 ? s.toFixed(1) : Math.round(s)) + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + String(Math.round(s % 60)).padStart(2, '0') + 's';
  return Math.floor(m / 60) + 'h ' + String(m % 60).padStart(2, '0') + 'm';
}

/** A parameter or other value as text: strings as they are, numbers as JSON writes them. */
export function plain(v) {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function time(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/**
 * Run counts by status as a bar shows them: pruned runs (early stopping ended them) next to the
 * completed ones - done, not failed - as in the terminal's progress bar.
 */
export const BAR_STATUSES = ['completed', 'pruned', 'failed', 'cancelled', 'running', 'pending'];

/** Finished runs of these counts: every status but pending and running. */
export function finishedCount(counts) {
  return (counts.completed || 0) + (counts.pruned || 0) + (counts.failed || 0) + (counts.cancelled || 0);
}

/** A stacked bar of run counts: completed, pruned, failed, cancelled, running, pending (widths set through CSSOM, allowed by the CSP). */
export function progressBar(counts) {
  const total = counts.total ?? BAR_STATUSES.reduce((s, k) => s + (counts[k] || 0), 0);
  const bar = el('div', { class: 'bar', role: 'img' });
  const parts = [];
  for (const k of BAR_STATUSES) {
    const n = counts[k] || 0;
    if (n > 0) parts.push(n + ' ' + k);
    if (!n || !total) continue;
    const seg = el('span', { class: 'seg ' + k });
    seg.style.width = (100 * n / total) + '%';
    bar.append(seg);
  }
  bar.setAttribute('aria-label', parts.join(', ') || 'no runs');
  bar.title = parts.join(', ') || 'no runs';
  return bar;
}
