// latency.js — slider → painted chart: one input event, timed in the page up
// to the frame that shows its result, and split into its parts with the
// scheduler's events.
import { settle } from './page.js';
import { median, quantile } from '../lib/stats.js';

/** In the page: one latency sample.  Moves the slider to `value` after a random
 *  phase within the frame (a real input event lands anywhere in a frame), then
 *  times input → data-drawn incremented → next frame painted.  The sample's
 *  job is the lesson's job whose 'done' event arrived last before the draw. */
function latencySample([panel, key, value, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const slider = root.querySelector(`.control[data-key="${key}"] input[type=range]`);
  const b = globalThis.__bench;
  return new Promise((ok) => setTimeout(() => {
    b.events = [];
    const drawn = b.nextDraw(root, Number(root.dataset.drawn || 0), timeout);
    slider.value = String(value);
    const t0 = performance.now();
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    ok(drawn.then(async (t1) => {
      if (t1 === null) return { timeout: true };
      const done = b.events.filter((e) => e.type === 'done' && e.lane.startsWith(`${panel}/`) && e.t <= t1).pop();
      const submit = done && b.events.find((e) => e.type === 'submit' && e.id === done.id);
      const t2 = await b.afterPaint();
      return {
        drawn: t1 - t0,
        painted: t2 - t0,
        job: done ? done.lane : null,
        // input → job handed to the scheduler (the update may wait for the next frame)
        schedule: submit ? submit.t - t0 : null,
        // job handed over → result back on the main thread (queue + worker compute + messaging)
        worker: submit ? done.t - submit.t : null,
        // of which the job's own time where it ran (the rest: messages, waiting)
        compute: done && typeof done.ms === 'number' ? done.ms : null,
        // result back → chart drawn (Chart.js update, tables, readouts)
        draw: done ? t1 - done.t : null,
        // chart drawn → the frame that shows it has been painted
        paint: t2 - t1,
      };
    }));
  }, Math.random() * (1000 / 60)));
}

/** One sample from node: resolves to latencySample's result ({timeout: true} on a timeout). */
export function sample(page, panel, key, value, timeout) {
  return page.evaluate(latencySample, [panel, key, value, timeout]);
}

/** The slider's {value, min, max} in the page. */
export function sliderRange(page, panel, key) {
  return page.evaluate(([p, k]) => {
    const s = document.querySelector(`#panel-${p} .control[data-key="${k}"] input[type=range]`);
    return { value: Number(s.value), max: Number(s.max), min: Number(s.min) };
  }, [panel, key]);
}

/**
 * n latency samples of slider `key`, alternating one step off its value and
 * back (so each is computed at the setting measured), then the slider is left
 * where it was.  Returns {slider, values, samples, timeouts, median, p95, max,
 * drawnMedian, drawnP95, parts: medians of schedule/worker/compute/draw/paint}.
 */
export async function measureLatency(page, panel, key, n, timeout, tick) {
  const { value, max } = await sliderRange(page, panel, key);
  const other = value + 1 <= max ? value + 1 : value - 1;
  const samples = [];
  let timeouts = 0;
  for (let i = 0; i < n; i++) {
    const r = await sample(page, panel, key, i % 2 ? value : other, timeout);
    if (r.timeout) { timeouts++; await settle(page, panel, timeout); } else samples.push(r);
    tick(i);
  }
  await settle(page, panel, timeout);
  if (n % 2) await sample(page, panel, key, value, timeout);
  const painted = samples.map((s) => s.painted);
  const drawn = samples.map((s) => s.drawn);
  return {
    slider: key, values: [value, other], samples: samples.length, timeouts,
    median: median(painted), p95: quantile(painted, 0.95), max: painted.length ? Math.max(...painted) : null,
    drawnMedian: median(drawn), drawnP95: quantile(drawn, 0.95),
    jobs: [...new Set(samples.map((s) => s.job).filter(Boolean))],
    // Medians of the parts (they need not add up to the median of the whole).
    parts: Object.fromEntries(['schedule', 'worker', 'compute', 'draw', 'paint'].map((k) => [k, median(samples.map((x) => x[k]).filter((x) => x !== null))])),
  };
}
