// drag.js — scripted drags of every slider of a lesson, with the longest
// main-thread task and the longest gap between frames of each.

/** In the page: the lesson's sliders a user can reach (visible, enabled), and
 *  those that are not. */
function discover(panel) {
  const root = document.getElementById(`panel-${panel}`);
  const all = [...root.querySelectorAll('.control input[type=range]')].map((s) => ({
    key: s.closest('.control').dataset.key,
    min: Number(s.min), max: Number(s.max), step: s.step === 'any' ? 0 : Number(s.step) || 1, value: Number(s.value),
    usable: !s.disabled && s.getClientRects().length > 0,
  }));
  return { sliders: all.filter((s) => s.usable), skipped: all.filter((s) => !s.usable).map((s) => s.key) };
}

/** In the page: a scripted drag — `values` as input events, one per animation
 *  frame (~60 Hz; Chromium also delivers a real drag's events once a frame) —
 *  then waits (at most timeout ms) for the last result.  Reports the long
 *  tasks that started during the drag or the wait, the longest gap between
 *  frames, and what the scheduler did meanwhile. */
async function drag([panel, key, values, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const slider = root.querySelector(`.control[data-key="${key}"] input[type=range]`);
  const b = globalThis.__bench;
  const s = globalThis.gradlabTest.scheduler;
  const drawn0 = Number(root.dataset.drawn || 0);
  const stats0 = s.stats();
  const t0 = performance.now();
  const frameGaps = b.watchFrames();
  for (const v of values) {
    await new Promise((ok) => requestAnimationFrame(ok));
    slider.value = String(v);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }
  const tInputs = performance.now();
  const settled = await b.settle(root, timeout);
  const maxGap = frameGaps.stop();
  const t1 = performance.now();
  // Long tasks are reported asynchronously: give the observer a moment.
  await new Promise((ok) => setTimeout(ok, 100));
  const tasks = b.longtasks.filter((e) => e.start >= t0 && e.start <= t1);
  const stats1 = s.stats();
  return {
    events: values.length,
    inputMs: tInputs - t0,
    lastResultMs: t1 - tInputs,
    settled,
    results: Number(root.dataset.drawn || 0) - drawn0,
    submitted: stats1.submitted - stats0.submitted,
    restarts: stats1.restarts - stats0.restarts,
    longtasks: tasks.length,
    maxLongtask: tasks.reduce((m, e) => Math.max(m, e.duration), 0),
    // Long tasks while the events were coming in, and the longest of those
    // after (the wait for the last result, usually its drawing).
    longtasksDuringInput: tasks.filter((e) => e.start <= tInputs).length,
    maxLongtaskAfterInput: tasks.filter((e) => e.start > tInputs).reduce((m, e) => Math.max(m, e.duration), 0),
    maxFrameGap: maxGap,
    noLongtaskApi: !!b.noLongtask,
  };
}

/**
 * The values of a drag of `events` input events across the slider's range:
 * from its value to the farther end in events/2 even steps (snapped to the
 * slider's step), and back to where it started.
 */
export function dragValues({ value, min, max, step }, events) {
  const half = Math.max(1, Math.floor(events / 2));
  const end = max - value >= value - min ? max : min;
  const snap = (v) => {
    const k = step > 0 ? min + Math.round((v - min) / step) * step : v;
    return Number(Math.min(max, Math.max(min, k)).toPrecision(12));
  };
  const at = (i) => snap(value + ((end - value) * i) / half);
  const out = [];
  for (let i = 1; i <= half; i++) out.push(at(i));
  for (let i = half - 1; i >= 1; i--) out.push(at(i));
  out.push(value); // exactly where it started
  return out;
}

/**
 * Drags every usable slider of lesson `panel`, one after the other (each
 * waiting at most timeout ms for its last result).  Returns {drags: [{slider,
 * from, to, ...drag()}], skipped: keys of hidden or disabled sliders}.
 */
export async function dragAll(page, panel, events, timeout, tick) {
  const { sliders, skipped } = await page.evaluate(discover, panel);
  const drags = [];
  for (const s of sliders) {
    const values = dragValues(s, events);
    const r = await page.evaluate(drag, [panel, s.key, values, timeout]);
    drags.push({ slider: s.key, from: s.value, to: values[Math.floor(values.length / 2) - 1], waitLimitMs: timeout, ...r });
    tick();
  }
  return { drags, skipped };
}
