// runtime.js — runs one lesson on the page: its jobs, their results, its view.
//
// Each job of a lesson names the state keys it reads (its inputs).  A change
// of state reruns exactly the jobs whose input changed, each in its own lane
// of the scheduler (newest request wins); a change of a key no job reads (a
// display-only key: which statistic to plot, which layer's histogram, the
// animation speed) redraws the view from the cached results in the next
// frame, with no job at all.
//
// While a job is pending, every element of the view that shows its result
// (marked data-job="name …") dims and says so (data-pending, aria-busy), so a
// stale chart is visibly stale where the learner is looking; the view draws a
// job's result with the inputs it was computed from (results[name].input),
// never with newer state, so a stale chart never shows new labels.
//
// The view (lesson.create(ctx)) returns {draw({results, display, relabel}),
// stream?(jobName, frame, input, seq)}: draw() may return a promise
// (drawing a large result in several tasks) resolving to false if a newer
// draw took over; stream()
// receives what a job reports while it runs (its progress values: a training
// job's frames), for the newest request of that job only.  results[name] and
// frames carry the request's seq (rising per job), so a view can tell which
// of a finished result and a streaming run is the newer.
//
// A lesson with questions gets them below its view (web/app/questions.js);
// a check asks ctx.compute() for the results that decide its answer, which
// shares the lesson's own request when the inputs are the same.
import { Cancelled } from './scheduler.js';
import { checkControl, numberControl, selectControl } from '../controls.js';
import { t } from '../i18n.js';
import { fitBudget, inertKeys, jobInput } from './jobs.js';
import { NOMINAL_RATE, WORK_BUDGET } from '../budget.js';
import { mountQuestions } from './questions.js';
import { mountExports } from './export.js';
import { mountReaders } from './readers.js';
import { mountCopyCode } from './copycode.js';
import { toQuery } from '../state.js';

/** A job pending longer than this dims what it will replace (ms): quicker
 *  results would only make the charts flicker. */
const PENDING_AFTER = 120;
/** Longest a result waits for the other results of the same change (ms). */
const HOLD_MAX = 200;

/**
 * Mounts `reg` (an entry of registerLessons) into `root`.  env: {scheduler,
 * state (the page's, global keys), onChange(globalKey), notify(text, anchor),
 * pageNotice(text), showError(root, e), clearError(root), controlsShown (false: controls=0)}.
 * Returns {update(localKey?), relabel()}.
 */
export function mountLesson(reg, root, env) {
  const { lesson } = reg;
  const jobs = Object.entries(lesson.jobs);
  const display = new Set(reg.displayKeys);
  // The lesson's state under its local keys, backed by the page's state.
  const state = new Proxy({}, {
    get: (_, k) => env.state[reg.globalKey(k)],
    set: (_, k, v) => { env.state[reg.globalKey(k)] = v; return true; },
    has: (_, k) => k in lesson.schema,
    ownKeys: () => Object.keys(lesson.schema),
    getOwnPropertyDescriptor: (_, k) => (k in lesson.schema
      ? { value: env.state[reg.globalKey(k)], enumerable: true, configurable: true, writable: true } : undefined),
  });
  // Per job: the key of its newest request, its sequence numbers (newest
  // requested, on show), the update (generation) that sent its unanswered
  // request, and whether a request is unanswered (since when: performance.now()).
  // waiters: ctx.compute() calls waiting for the request of a given key.
  const lanes = Object.fromEntries(jobs.map(([name]) => [name, { key: null, seq: 0, shown: 0, gen: null, pending: false, since: null, waiters: [] }]));
  let generation = 0; // one per update() that sent a request
  const results = {};
  let view = null;
  let questions = null;
  const controlSets = []; // every ctx.controls() group, for syncControls()

  const ctx = {
    root,
    lesson,
    state,
    /** Sets a local key, as a control does. */
    setState(key, value) {
      state[key] = value;
      env.onChange(reg.globalKey(key));
      update(key);
    },
    /** Sets several local keys at once ({key: value}): one change, one round of jobs. */
    setMany(values) {
      for (const [key, value] of Object.entries(values)) state[key] = value;
      env.onChange(null);
      update();
    },
    globalKey: reg.globalKey,
    notify: env.notify,
    /** False when the page hides the controls (controls=0): nothing may wait for a click. */
    controlsShown: env.controlsShown !== false,
    /** Controls for `layout` ({key, kind: 'number'|'select'|'check', labelKey, …}) in `box`. */
    controls(box, layout) {
      const set = buildControls(box, layout, ctx);
      controlSets.push(set);
      return set;
    },
    /** Writes the state back into every control (after a change not made by a control). */
    syncControls() { for (const c of controlSets) c.sync(); },
    /**
     * Resolves to {data, input}: job `name`'s result on the lesson's state
     * with `overrides` ({key: value}) applied.  The lesson's own result or
     * pending request when its input is the same (no second computation);
     * else a request of its own, which changes neither the state nor the charts.
     */
    compute(name, overrides = {}) {
      const job = lesson.jobs[name];
      const input = inputOf(job, overrides);
      const key = JSON.stringify(input);
      const lane = lanes[name];
      if (lane.pending && lane.key === key) return new Promise((resolve, reject) => lane.waiters.push({ key, input, resolve, reject }));
      if (results[name] && results[name].key === key) return Promise.resolve(results[name]);
      return privately(name, input, key);
    },
    /** Asks for a redraw of the cached results in the next frame. */
    redraw: () => requestDraw(false),
    /** The URL of this lesson with every one of its settings (the language and tab too): it reproduces what the lesson computes. */
    settingsUrl() {
      const keys = Object.fromEntries(['lang', 'tab', ...Object.keys(reg.keys)].map((k) => [k, true]));
      return `${location.href.split(/[?#]/)[0]}?${toQuery(keys, { ...env.state, tab: lesson.id })}`;
    },
  };

  // ---- pending: dims what a job's result will replace --------------------
  // One timer for the lesson (not one per job: a change of the seed sends six
  // jobs, and a drag sends them on every event) checks PENDING_AFTER ms after
  // the oldest unmarked request.
  let pendingTimer = null;
  function setPending(name, on) {
    const lane = lanes[name];
    lane.pending = on;
    lane.since = on ? performance.now() : null;
    if (!on) markPending();
    else if (pendingTimer === null) pendingTimer = setTimeout(pendingTick, PENDING_AFTER);
    if (jobs.some(([n]) => lanes[n].pending)) root.setAttribute('aria-busy', 'true');
    else root.removeAttribute('aria-busy');
  }
  /** Marks what has waited PENDING_AFTER ms, and comes back for what has not yet. */
  function pendingTick() {
    pendingTimer = null;
    // One clock reading for both: with two, a request that was 119.9 ms old
    // for markPending() and 120.1 ms old here was neither marked nor waited
    // for, and stayed unmarked however long it computed.
    const now = performance.now();
    markPending(now);
    const next = Math.min(...jobs.map(([n]) => lanes[n]).filter((l) => l.pending && now - l.since < PENDING_AFTER)
      .map((l) => l.since + PENDING_AFTER - now));
    if (Number.isFinite(next)) pendingTimer = setTimeout(pendingTick, Math.max(1, next));
  }
  /**
   * data-pending on every [data-job] element whose jobs are pending past
   * PENDING_AFTER: "Computing…", and from the first second on the seconds it
   * has taken, counted every second, so that a long job (up to the work
   * budget's ~20 s) visibly moves even though it reports no fraction done.
   */
  let elapsedTimer = null;
  function markPending(now = performance.now()) {
    let counting = false;
    for (const el of root.querySelectorAll('[data-job]')) {
      const names = el.dataset.job.split(/\s+/);
      const waiting = names.filter((n) => lanes[n] && lanes[n].pending && now - lanes[n].since >= PENDING_AFTER);
      if (waiting.length) {
        const s = Math.floor(Math.max(...waiting.map((n) => now - lanes[n].since)) / 1000);
        el.dataset.pending = s >= 1 ? t('app.computingFor', { s }) : t('app.computing');
        el.setAttribute('aria-busy', 'true');
        counting = true;
      } else if ('pending' in el.dataset) {
        delete el.dataset.pending;
        el.removeAttribute('aria-busy');
      }
    }
    clearTimeout(elapsedTimer);
    elapsedTimer = counting ? setTimeout(() => markPending(), 1000) : null;
  }

  // ---- jobs ------------------------------------------------------------------
  /** The input of `job` from the state (with `overrides`).  jobInput reads
   *  only the job's inputs: the state, a Proxy whose every read builds a
   *  global key, is spread (all 53 of Training's keys) only under overrides,
   *  a question's check, not on every request of a drag. */
  function inputOf(job, overrides = {}) {
    return jobInput(job, Object.keys(overrides).length ? { ...state, ...overrides } : state);
  }

  /** A request of job `name` outside the lesson's lanes: a lane per input, shared by whoever asks for that input meanwhile. */
  const asked = new Map();
  function privately(name, input, key) {
    const id = `${lesson.id}/${name}`;
    const lane = `${id}?${key}`;
    if (!asked.has(lane)) {
      const p = env.scheduler.submit(lane, id, input).then((data) => ({ data, input, key }));
      asked.set(lane, p);
      const forget = () => asked.delete(lane);
      p.then(forget, forget);
    }
    return asked.get(lane);
  }

  /** Settles the compute() calls waiting for the request of `key` in `lane`: outcome(waiter). */
  function release(lane, key, outcome) {
    const mine = lane.waiters.filter((w) => w.key === key);
    lane.waiters = lane.waiters.filter((w) => w.key !== key);
    mine.forEach(outcome);
  }

  function submit(name, job) {
    const input = inputOf(job);
    const key = JSON.stringify(input);
    const lane = lanes[name];
    if (key === lane.key) return;
    lane.key = key;
    const seq = ++lane.seq;
    const gen = generation;
    lane.gen = gen;
    setPending(name, true);
    const id = `${lesson.id}/${name}`;
    // A streaming job (training) reports frames as it goes: the view gets
    // those of the newest request only.
    const onFrame = view.stream ? (frame) => { if (seq === lane.seq) view.stream(name, frame, input, seq); } : undefined;
    env.scheduler.submit(id, id, input, onFrame).then((data) => {
      release(lane, key, (w) => w.resolve({ data, input, key }));
      // Every result newer than the one on screen is drawn, so a drag keeps
      // redrawing; an older one (overtaken) is not.
      if (seq <= lane.shown) return;
      lane.shown = seq;
      results[name] = { data, input, seq, key };
      if (seq === lane.seq) {
        lane.gen = null;
        setPending(name, false);
      }
      drawWhenBatchDone(gen);
    }, (e) => {
      const cancelled = e instanceof Cancelled || e.name === 'Cancelled';
      // A check waiting for this request still wants its result: it asks on its own.
      release(lane, key, (w) => (cancelled ? privately(name, w.input, key).then(w.resolve, w.reject) : w.reject(e)));
      if (cancelled) return;
      if (seq !== lane.seq) return;
      lane.gen = null;
      setPending(name, false);
      lane.key = null; // the same input may be tried again
      env.showError(root, e);
      drawWhenBatchDone(gen);
    });
  }

  /**
   * Requests a draw for a result of update `gen` once no job sent by that
   * update (or an earlier one) is still unanswered — so the four networks of
   * one change are drawn once, not four times — or after HOLD_MAX ms at most,
   * so one slow job does not hold back the others' results.
   */
  let holdTimer = null;
  function drawWhenBatchDone(gen) {
    const waiting = jobs.some(([n]) => lanes[n].gen !== null && lanes[n].gen <= gen);
    if (!waiting) {
      clearTimeout(holdTimer);
      holdTimer = null;
      requestDraw(false);
    } else if (holdTimer === null) {
      root.dataset.drawPending = '';
      holdTimer = setTimeout(() => { holdTimer = null; requestDraw(false); }, HOLD_MAX);
    }
  }

  // ---- honest controls: one that cannot change any result is disabled, with why
  // (jobs.js inertKeys; the reason from lesson.inertReason(key, state), a
  // message key, else a general one).  Once per task, after the change.
  let inertQueued = false;
  function refreshInert() {
    if (inertQueued) return;
    inertQueued = true;
    nextTask().then(() => {
      inertQueued = false;
      const keys = controlSets.flatMap((c) => Object.keys(c.controls));
      const inert = new Set(inertKeys(lesson, state, keys));
      for (const set of controlSets) {
        for (const [k, c] of Object.entries(set.controls)) {
          c.setInert(inert.has(k) ? t(lesson.inertReason?.(k, state) || 'ctl.inert') : null);
        }
      }
    });
  }

  /**
   * A change past the work budget (web/budget.js) is lowered before any job
   * starts (jobs.js fitBudget): each control lowered shows the value used and
   * why, in the page's language — under the control for a change made there,
   * at the top of the page (to stay until dismissed) for values from the link.
   */
  function keepWithinBudget(key) {
    const clamps = fitBudget(lesson, state, key);
    if (!clamps.length) return;
    for (const { key: k } of clamps) env.onChange(reg.globalKey(k));
    ctx.syncControls();
    for (const c of clamps) {
      const control = controlSets.map((set) => set.controls[c.key]).find(Boolean);
      const text = t('notice.budget', { what: control ? t(control.labelKey) : reg.globalKey(c.key), value: c.from,
        used: c.to, s: Math.round(WORK_BUDGET / NOMINAL_RATE) });
      if (key === undefined || !control) env.pageNotice(text);
      else env.notify(text, control.root);
    }
  }

  /** Reruns the jobs that read `key` (all jobs if none given); redraws for a display-only key. */
  function update(key) {
    const first = !view;
    if (first) build();
    if (key === undefined || jobs.some(([, job]) => job.inputs.includes(key))) keepWithinBudget(key);
    refreshInert();
    generation++;
    for (const [name, job] of jobs) {
      if (key === undefined || job.inputs.includes(key)) submit(name, job);
    }
    if (key === undefined || display.has(key)) requestDraw(false);
    // Answers from the URL are checked once the lesson's first requests are
    // out, so that a check on the same inputs shares them.
    if (first && questions) questions.restore();
  }

  // ---- drawing: at most once a frame, in a task of its own -------------------
  // A drawing runs in its own task (posted, not inside a requestAnimationFrame
  // callback): the frame's own work (style, layout, paint) is then another
  // task, and input is handled between the two.  Drawn in the rAF callback,
  // a chart's update and the frame's rendering made one task of 50–80 ms on
  // a busy 2-core machine.  The next frame paints the drawing, so a change is
  // on screen as soon as it was before.  After a drawing, the next waits for
  // a frame: results arriving faster than frames are drawn once a frame.
  let drawQueued = false;
  let relabelOwed = false;
  let drewThisFrame = false;
  function requestDraw(relabel) {
    relabelOwed ||= relabel;
    root.dataset.drawPending = ''; // tests wait for it to go: nothing left to draw
    if (drawQueued) return;
    drawQueued = true;
    if (drewThisFrame) requestAnimationFrame(() => { nextTask().then(drawNow); });
    else nextTask().then(drawNow);
  }
  async function drawNow() {
    drawQueued = false;
    drewThisFrame = true;
    requestAnimationFrame(() => { drewThisFrame = false; });
    // Drawn once every job has answered; a streaming view draws what it has.
    if (!view.stream && jobs.some(([name]) => !results[name])) {
      if (holdTimer === null) delete root.dataset.drawPending;
      return;
    }
    const relabel = relabelOwed;
    relabelOwed = false;
    const shown = {};
    for (const k of display) shown[k] = state[k];
    let finished = true;
    try {
      finished = (await view.draw({ results, display: shown, relabel })) !== false;
      env.clearError(root);
    } catch (e) {
      env.showError(root, e);
    }
    // How many drawings completed: tests and the UI benchmark wait on it.
    if (finished) root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
    if (!drawQueued && holdTimer === null) delete root.dataset.drawPending;
  }

  function build() {
    view = lesson.create(ctx);
    // Added around the view, not in its template: an export bar after every
    // figure, its readers' side (summary, data table, keys), "Copy as PyTorch" under the title.
    mountReaders(ctx, mountExports(ctx));
    mountCopyCode(ctx);
    if (reg.answersKey) questions = mountQuestions(root, ctx, { key: reg.answersKey, state: env.state, onChange: env.onChange });
  }

  return {
    update,
    // a new language (or theme): every text, the controls' units and every drawing again
    relabel: () => { markPending(); for (const c of controlSets) c.sync(); refreshInert(); requestDraw(true); questions?.relabel(); },
  };
}

/**
 * Builds one control per entry of `layout` ({key, kind: 'number'|'select'|'check',
 * labelKey, optionKey, log, step, sliderMax, unitKey}) into `box`; the widgets carry the
 * global key (data-key, name).  Returns {controls, sync()}: sync() writes the
 * state back into every widget.
 */
function buildControls(box, layout, ctx) {
  const controls = {};
  for (const item of layout) {
    const spec = ctx.lesson.schema[item.key];
    if (!spec) throw new Error(`${ctx.lesson.id}: no state key '${item.key}' for a control`);
    const g = ctx.globalKey(item.key);
    const onChange = (v) => ctx.setState(item.key, v);
    let c;
    if (item.kind === 'select') c = selectControl(g, spec, { ...item, onChange });
    else if (item.kind === 'check') c = checkControl(g, { ...item, onChange });
    else c = numberControl(g, spec, { ...item, onChange, notify: ctx.notify });
    controls[item.key] = { ...c, labelKey: item.labelKey };
    box.append(c.root);
  }
  const sync = () => { for (const [k, c] of Object.entries(controls)) c.set(ctx.state[k]); };
  sync();
  return { controls, sync };
}

/**
 * Resolves in a new task (a MessageChannel message: no timer clamping), so
 * that a long drawing can let the browser handle input between its parts.
 */
export function nextTask() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * A view's guard against redrawing what has not changed: once(name, deps, fn)
 * runs fn only when one of deps (compared with ===) differs from the last
 * call's, or after reset() (a new language relabels everything).
 */
export function drawOnce() {
  const last = new Map();
  const once = (name, deps, fn) => {
    const prev = last.get(name);
    if (prev && prev.length === deps.length && prev.every((d, i) => d === deps[i])) return false;
    last.set(name, deps);
    fn();
    return true;
  };
  once.reset = () => last.clear();
  return once;
}

/**
 * Time-slicing for a drawing in several steps: newDrawing() starts a drawing
 * and returns its goOn(), to await between steps: once the drawing has run
 * for `budget` ms it lets the browser handle other tasks (input) first; it
 * resolves to false when a newer drawing has started meanwhile (the older one
 * should stop).  A chart takes 4–40 ms depending on its size and the
 * machine's load; no task should block input for 50 ms.
 */
export function timeSlicer(budget = 8) {
  let newest = 0;
  return function newDrawing() {
    const me = ++newest;
    let start = performance.now();
    return async () => {
      if (performance.now() - start > budget) {
        await nextTask();
        start = performance.now();
      }
      return me === newest;
    };
  };
}
