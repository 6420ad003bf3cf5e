// main.js — wires the page: loads the core, reads the state from the URL,
// builds the active panel, keeps the URL in step with every control, and
// switches language.  Bundled by esbuild into web/gen/app.js (a classic
// script, so the page also works from file://).
import { createCore } from './core.js';
import { Compute } from './compute.js';
import { LANGS, applyI18n, browserLang, getLang, setLang, t } from './i18n.js';
import { parseQuery, toQuery } from './state.js';
import { PANELS } from './panels/index.js';

const pageSchema = {
  lang: { type: 'enum', values: LANGS, default: browserLang() },
  tab: { type: 'enum', values: PANELS.map((p) => p.id), default: PANELS[0].id },
  embed: { type: 'bool', default: false }, // course pages: hide the page chrome
};
const schema = Object.assign({}, pageSchema, ...PANELS.map((p) => p.schema));

/** Query string of the page: the hash wins (file:// fallback), else the search. */
function currentQuery() {
  return location.hash.length > 1 ? location.hash.slice(1) : location.search;
}

/**
 * The keys a link carries: the page's, every key of the panel on show (so the
 * link reproduces that view exactly, seed included), and whatever the learner
 * changed elsewhere.
 */
function linkSchema(state) {
  const keep = {};
  for (const [k, spec] of Object.entries(schema)) {
    const panel = PANELS.find((p) => k in p.schema);
    if (!panel || panel.id === state.tab || state[k] !== spec.default) keep[k] = spec;
  }
  return keep;
}

/**
 * Writes the state into the URL, at most every URL_EVERY ms (rewriting the URL
 * costs a few ms, too much for every event of a drag); the last write of a
 * burst always happens.
 */
const URL_EVERY = 150;
let urlTimer = null;
let urlPending = null;
function writeUrl(state) {
  urlPending = state;
  if (urlTimer !== null) return;
  writeUrlNow(state);
  urlPending = null;
  urlTimer = setTimeout(() => {
    urlTimer = null;
    if (urlPending) writeUrl(urlPending);
  }, URL_EVERY);
}

function writeUrlNow(state) {
  const q = toQuery(linkSchema(state), state);
  try {
    history.replaceState(null, '', `${location.pathname}?${q}`);
  } catch {
    // Some browsers refuse to rewrite file:// URLs; the hash always works.
    location.replace(`#${q}`);
  }
}

function noticeBox() { return document.getElementById('notices'); }

/** Shows a dismissible notice at the top of the page. */
function pageNotice(text) {
  const p = document.createElement('p');
  p.className = 'notice';
  p.setAttribute('role', 'status');
  p.textContent = text;
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'dismiss';
  b.textContent = '×';
  b.setAttribute('aria-label', t('notice.dismiss'));
  b.addEventListener('click', () => p.remove());
  p.append(' ', b);
  noticeBox().append(p);
}

/** Shows a notice under a control (replacing its previous one). */
function controlNotice(text, anchor) {
  anchor.querySelector('.notice')?.remove();
  const p = document.createElement('p');
  p.className = 'notice small';
  p.setAttribute('role', 'status');
  p.textContent = text;
  anchor.append(p);
  setTimeout(() => p.remove(), 8000);
}

/** The panel's own error line (not the panels' other .error boxes). */
function showError(root, e) {
  let box = root.querySelector(':scope > [data-panel-error]');
  if (!box) {
    box = document.createElement('p');
    box.className = 'error';
    box.dataset.panelError = '';
    box.setAttribute('role', 'alert');
    root.prepend(box);
  }
  box.textContent = t('error.core', { msg: e && e.message ? e.message : String(e) });
}
function clearError(root) { root.querySelector(':scope > [data-panel-error]')?.remove(); }

async function start() {
  const { state, notices } = parseQuery(schema, currentQuery());
  setLang(state.lang);
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  applyI18n(document);
  for (const n of notices) pageNotice(t('notice.url', { what: `${n.key}=${n.raw}`, used: n.used }));

  const status = document.getElementById('status');
  if (typeof globalThis.createGradLab !== 'function') {
    status.textContent = t('app.loadFailed', { msg: 'web/gen/gradlab.js is missing: run ./build-wasm.sh' });
    status.className = 'error';
    return;
  }
  status.textContent = '';
  status.hidden = true;
  // Heavy jobs run in a Blob worker built from the source the build embedded
  // (web/gen/worker-src.js), which loads its own core.  Only without a worker
  // is the core compiled here, on first use (it would cost this thread ~80 ms).
  const compute = new Compute(() => createCore(globalThis.createGradLab), globalThis.GRADLAB_WORKER_SRC);
  document.body.dataset.worker = compute.inWorker ? '1' : '0';
  // For the tests and the UI benchmark: the compute queue, and a way to write
  // a URL update still held back by the throttle.
  globalThis.gradlab = {
    compute,
    flushUrl() {
      if (urlPending) writeUrlNow(urlPending);
      urlPending = null;
    },
  };

  const built = {};
  const ctxFor = (panel) => ({
    root: document.getElementById(`panel-${panel.id}`),
    compute,
    state,
    setState(key, value) {
      state[key] = value;
      writeUrl(state);
      built[panel.id].update();
    },
    notify: controlNotice,
    showError,
    clearError,
  });

  function show(id) {
    for (const p of PANELS) {
      const active = p.id === id;
      document.getElementById(`panel-${p.id}`).hidden = !active;
      const tab = document.getElementById(`tab-${p.id}`);
      tab.setAttribute('aria-selected', String(active));
      tab.tabIndex = active ? 0 : -1;
    }
    const panel = PANELS.find((p) => p.id === id);
    if (!built[id]) {
      built[id] = panel.create(ctxFor(panel));
      applyI18n(document.getElementById(`panel-${id}`));
    }
    built[id].update();
  }

  // Tabs: buttons in a tablist; arrow keys move between them.
  const tabs = document.getElementById('tabs');
  PANELS.forEach((p, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = `tab-${p.id}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-controls', `panel-${p.id}`);
    b.dataset.i18n = p.navKey;
    b.textContent = t(p.navKey);
    b.addEventListener('click', () => { state.tab = p.id; writeUrl(state); show(p.id); });
    b.addEventListener('keydown', (ev) => {
      const d = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      const next = PANELS[(i + d + PANELS.length) % PANELS.length];
      document.getElementById(`tab-${next.id}`).focus();
      document.getElementById(`tab-${next.id}`).click();
    });
    tabs.append(b);
  });

  const langSel = document.getElementById('lang');
  langSel.value = getLang();
  langSel.addEventListener('change', () => {
    state.lang = langSel.value;
    setLang(state.lang);
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    applyI18n(document);
    for (const [id, b] of Object.entries(built)) {
      const root = document.getElementById(`panel-${id}`);
      // relabel may draw asynchronously (a large Initialization result)
      Promise.resolve().then(() => b.relabel()).catch((e) => showError(root, e));
    }
    writeUrl(state);
  });

  if (state.embed) document.body.classList.add('embed');
  show(state.tab);
  writeUrl(state);
  document.body.dataset.ready = '1';
}

start();
