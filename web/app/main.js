// main.js — the app shell: builds the tabs and one section per lesson from the
// registry, reads the state from the URL and keeps the URL in step, switches
// language, and owns the one scheduler every lesson's jobs go through.
// Bundled by esbuild into web/gen/app.js (a classic script, so the page also
// works from file://); entry.js calls start() with the lessons of
// web/lessons/index.js.
import { createCore, CoreError } from '../core.js';
import { LANGS, addMessages, applyI18n, browserLang, getLang, setLang, t } from '../i18n.js';
import { parseQuery, toQuery } from '../state.js';
import { pageSchema, registerLessons } from './registry.js';
import { Scheduler, RESTART_AFTER, poolSize } from './scheduler.js';
import { LocalWorker, jobTable } from './jobs.js';
import { mountLesson } from './runtime.js';
import { THEMES, setTheme, onThemeChange } from '../theme.js';
import { rethemeCharts } from '../charts.js';
import { FIG_PATTERN, figureIds, present } from './figures.js';
import { reportHeight } from './frame.js';
import { mountShare } from './share.js';
import { groupControls, orderForPhone, revealTab } from './layout.js';
import { markTerms } from '../glossary.js';

/** Query string of the page: the hash wins (file:// fallback), else the search. */
function currentQuery() {
  return location.hash.length > 1 ? location.hash.slice(1) : location.search;
}

/** The release core as a classic script, loaded only when jobs must run on this thread. */
const CORE_SCRIPT = 'web/gen/gradlab.js';
let mainCore = null;
let mainCoreLoaded = null; // the core once mainCore has resolved
function loadMainCore() {
  if (!mainCore) {
    mainCore = new Promise((resolve, reject) => {
      if (typeof globalThis.createGradLab === 'function') return resolve();
      const s = document.createElement('script');
      s.src = CORE_SCRIPT;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`${CORE_SCRIPT} could not be loaded: run ./build-wasm.sh`));
      document.head.append(s);
    }).then(() => createCore(globalThis.createGradLab)).then((c) => (mainCoreLoaded = c));
  }
  return mainCore;
}

/**
 * The scheduler: jobs run in a pool of Blob workers built from the source the
 * build embedded (web/gen/worker-src.js: the wasm glue and worker.js), each
 * loading its own core once; `workers` of them (poolSize of the machine's
 * cores unless given).  Without a worker (a browser that refuses Blob
 * workers) they run on this thread, which then loads the core on demand.
 */
function makeScheduler(lessons, workers, onFallback) {
  const coreError = (status, message) => new CoreError(status, message);
  const src = globalThis.GRADLAB_WORKER_SRC;
  const local = { spawn: () => new LocalWorker(jobTable(lessons), loadMainCore), size: 1 };
  if (src && typeof Worker === 'function' && typeof Blob === 'function') {
    try {
      // the first worker was started by worker-src.js (web/app/early-worker.js)
      let early = globalThis.GRADLAB_EARLY_WORKER;
      globalThis.GRADLAB_EARLY_WORKER = null; // one page, one taker
      const url = early?.url ?? URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
      const spawn = () => {
        const w = early?.worker ?? new Worker(url);
        early = null;
        return w;
      };
      const size = workers ?? poolSize(globalThis.navigator?.hardwareConcurrency);
      // a host that refuses the worker (CSP worker-src without blob:) moves the jobs here
      const scheduler = new Scheduler({ spawn, size, coreError, fallback: local, onFallback });
      return { scheduler, inWorker: !scheduler.fellBack };
    } catch {
      // fall through to the main thread
    }
  }
  return { scheduler: new Scheduler({ spawn: local.spawn, coreError }), inWorker: false };
}

/**
 * Writes the state into the URL once changes have paused for URL_QUIET ms and
 * no job is computing (or URL_MAX_WAIT ms have passed), just after a frame:
 * a slider's drag rewrites it once, at its end.  history.replaceState is a
 * call to Chromium's browser process that brings style and layout up to date
 * (the history entry keeps the scroll position): ~2 ms on an idle machine,
 * 20–60 ms on 2 cores while the worker computes on one of them — a long task
 * in the middle of a training race.  (Chromium also refuses more than 200
 * rewrites in 10 s.)  Leaving the page writes what is still pending.
 */
const URL_QUIET = 250;
const URL_MAX_WAIT = 10000;

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

/** The lesson's own error line (not its other .error boxes). */
function showError(root, e) {
  let box = root.querySelector(':scope > [data-panel-error]');
  if (!box) {
    box = document.createElement('p');
    box.className = 'error';
    box.dataset.panelError = '';
    box.setAttribute('role', 'alert');
    root.prepend(box);
  }
  box.textContent = e && e.name === 'WasmRefused' ? t('error.wasmRefused')
    : t('error.core', { msg: e && e.message ? e.message : String(e) });
}
function clearError(root) { root.querySelector(':scope > [data-panel-error]')?.remove(); }

/** The specs of the page's own keys (PAGE_KEYS), for lessons `ids`; lang defaults to `lang`. */
export function pageSpecs(ids, lang) {
  return {
    lang: { type: 'enum', values: LANGS, default: lang },
    tab: { type: 'enum', values: ids, default: ids[0] },
    embed: { type: 'bool', default: false }, // course pages: hide the page chrome
    // What of the lesson an embed shows (web/app/figures.js, docs/embed.md): one
    // figure, no prose, no controls; langlock hides the language menu.  How the
    // view is presented, not the view: in a link only when not the default.
    fig: { type: 'string', pattern: FIG_PATTERN, maxLength: 32, default: '', presentation: true },
    prose: { type: 'bool', default: true, presentation: true },
    controls: { type: 'bool', default: true, presentation: true },
    langlock: { type: 'bool', default: false, presentation: true },
    // light | dark, or auto: prefers-color-scheme.  A reader's preference, not
    // part of the view: in a link only when chosen.
    theme: { type: 'enum', values: THEMES, default: 'auto', preference: true },
  };
}

/**
 * Starts the app with `lessons` (in tab order); options.workers sets the
 * pool's size (the test build's benchmark compares pools).  Returns the
 * internals a test build exposes ({scheduler, inWorker, flushUrl, mainCore});
 * the product entry ignores them.
 */
export function start(lessons, { workers } = {}) {
  const registered = registerLessons(lessons);
  for (const r of registered) addMessages(r.lesson.messages, `lesson '${r.lesson.id}'`);
  const ids = registered.map((r) => r.lesson.id);
  const schema = pageSchema(registered, pageSpecs(ids, browserLang()));
  const ownerOf = new Map();
  for (const r of registered) for (const g of Object.keys(r.keys)) ownerOf.set(g, r.lesson.id);
  // The learner's answers are not part of the view: in the link only once given.
  const answerKeys = new Set(registered.map((r) => r.answersKey).filter(Boolean));
  for (const r of registered) if (r.answersKey) ownerOf.set(r.answersKey, r.lesson.id);

  const { state, notices } = parseQuery(schema, currentQuery());
  setTheme(state.theme);
  setLang(state.lang);
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  applyI18n(document);
  for (const n of notices) pageNotice(t('notice.url', { what: `${n.key}=${n.raw}`, used: n.used }));

  const status = document.getElementById('status');
  if (typeof globalThis.GRADLAB_WORKER_SRC !== 'string') {
    status.textContent = t('app.loadFailed', { msg: 'web/gen/worker-src.js is missing: run ./build-wasm.sh' });
    status.className = 'error';
    return null;
  }
  status.textContent = '';
  status.hidden = true;
  const { scheduler, inWorker } = makeScheduler(lessons, workers, () => {
    document.body.dataset.worker = '0';
    pageNotice(t('notice.noWorker'));
  });
  document.body.dataset.worker = inWorker ? '1' : '0';

  // ---- the URL -------------------------------------------------------------
  // A link carries the page's keys, every key of the lesson on show (so it
  // reproduces that view exactly, seed included), and whatever the learner
  // changed elsewhere; a preference of the reader (the theme) only when chosen.
  const linkSchema = () => {
    const keep = {};
    for (const [k, spec] of Object.entries(schema)) {
      const owner = ownerOf.get(k);
      if ((spec.preference || spec.presentation) && state[k] === spec.default) continue;
      if (!owner || (owner === state.tab && !answerKeys.has(k)) || state[k] !== spec.default) keep[k] = spec;
    }
    return keep;
  };
  let urlTimer = null;
  let urlPending = false;
  const writeUrlNow = () => {
    urlPending = false;
    const q = toQuery(linkSchema(), state);
    try {
      history.replaceState(null, '', `${location.pathname}?${q}`);
    } catch {
      // Some browsers refuse to rewrite file:// URLs; the hash always works.
      location.replace(`#${q}`);
    }
  };
  let urlSince = 0; // when the oldest unwritten change was made
  const writeUrl = () => {
    if (!urlPending) urlSince = performance.now();
    urlPending = true;
    clearTimeout(urlTimer);
    const attempt = () => {
      if (!scheduler.idle && performance.now() - urlSince < URL_MAX_WAIT) {
        urlTimer = setTimeout(attempt, URL_QUIET);
        return;
      }
      // In a task of its own just after a frame is drawn: style and layout
      // are then up to date and replaceState adds only its call to the
      // browser.  Made inside the frame's requestAnimationFrame callback, it
      // brought them up to date itself and the frame's rendering (a training
      // race's heatmaps and charts) came in the same task: 50–84 ms tasks
      // when URL_MAX_WAIT made it write while Training's lanes computed.
      requestAnimationFrame(() => setTimeout(() => {
        urlTimer = null;
        if (urlPending) writeUrlNow();
      }, 0));
    };
    urlTimer = setTimeout(attempt, URL_QUIET);
  };
  addEventListener('pagehide', () => { if (urlPending) writeUrlNow(); });

  // ---- one section per lesson, built on first show ----------------------------
  const main = document.querySelector('main');
  const tabs = document.getElementById('tabs');
  const mounted = {};
  const sections = {};
  for (const r of registered) {
    const { id } = r.lesson;
    const section = document.createElement('section');
    section.id = `panel-${id}`;
    section.className = 'panel';
    section.setAttribute('role', 'tabpanel');
    section.setAttribute('aria-labelledby', `tab-${id}`);
    section.hidden = true;
    main.append(section);
    sections[id] = section;
  }
  const env = { scheduler, state, onChange: writeUrl, notify: controlNotice, pageNotice, showError, clearError, controlsShown: state.controls };

  function show(id) {
    for (const r of registered) {
      const active = r.lesson.id === id;
      sections[r.lesson.id].hidden = !active;
      const tab = document.getElementById(`tab-${r.lesson.id}`);
      tab.setAttribute('aria-selected', String(active));
      tab.tabIndex = active ? 0 : -1;
    }
    revealTab(document.getElementById(`tab-${id}`));
    if (!mounted[id]) {
      const r = registered.find((x) => x.lesson.id === id);
      mounted[id] = mountLesson(r, sections[id], env);
      mounted[id].update(); // builds the view, then runs every job
      groupControls(sections[id]);
      orderForPhone(sections[id]);
      applyI18n(sections[id]);
      markTerms(sections[id], id);
      mounted[id].relabel();
    }
  }

  // Tabs: buttons in a tablist; arrow keys move to the next and previous
  // (wrapping), Home and End to the first and last.
  const TAB_KEYS = { ArrowRight: (i, n) => (i + 1) % n, ArrowLeft: (i, n) => (i - 1 + n) % n, Home: () => 0, End: (i, n) => n - 1 };
  registered.forEach((r, i) => {
    const { id, navKey } = r.lesson;
    const b = document.createElement('button');
    b.type = 'button';
    b.id = `tab-${id}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-controls', `panel-${id}`);
    b.dataset.i18n = navKey;
    b.textContent = t(navKey);
    b.addEventListener('click', () => { state.tab = id; writeUrl(); show(id); });
    b.addEventListener('keydown', (ev) => {
      const to = TAB_KEYS[ev.key];
      if (!to) return;
      ev.preventDefault(); // Home/End would scroll the page
      const next = registered[to(i, registered.length)].lesson.id;
      document.getElementById(`tab-${next}`).focus();
      document.getElementById(`tab-${next}`).click();
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
    for (const id of Object.keys(mounted)) markTerms(sections[id], id);
    for (const m of Object.values(mounted)) m.relabel();
    writeUrl();
    frame?.report();
  });

  // The theme: the choice in the URL, 'auto' following the system as it changes.
  const themeSel = document.getElementById('theme');
  themeSel.value = state.theme;
  themeSel.addEventListener('change', () => {
    state.theme = themeSel.value;
    setTheme(state.theme);
    writeUrl();
  });
  onThemeChange(() => {
    rethemeCharts();
    for (const m of Object.values(mounted)) m.relabel(); // canvases drawn by hand, too
  });

  show(state.tab);
  // fig, prose, controls and langlock apply to the lesson the page opens on
  if (!present(document.body, sections[state.tab], state)) {
    const ids = figureIds(sections[state.tab]).join(', ');
    pageNotice(t('embed.noFig', { fig: state.fig, lesson: t(registered.find((r) => r.lesson.id === state.tab).lesson.navKey), ids }));
  }
  // In an iframe: the course page around it learns the content's height.
  const frame = reportHeight();
  mountShare(document.getElementById('share'), {
    // a link to the view: every key of the link but how an embed presents it
    link: () => {
      const keep = linkSchema();
      for (const k of ['embed', ...Object.keys(schema).filter((g) => schema[g].presentation)]) delete keep[k];
      return toQuery(keep, state);
    },
    section: () => sections[state.tab],
    presentation: () => state,
  });
  writeUrl();
  document.body.dataset.ready = '1';
  return {
    scheduler,
    get inWorker() { return inWorker && !scheduler.fellBack; },
    RESTART_AFTER,
    flushUrl() { if (urlPending) writeUrlNow(); },
    mainCore: () => mainCoreLoaded,
  };
}
