// chromium.js — the training workloads in the engine students use: headless
// Chromium (Debian's, through playwright-core, as the browser tests drive it).
//   train  Trainer.step() of the default lane on the page's thread (the same
//          engine and code as a worker; a worker cannot be timed step by step)
//   race   the race preset's four lane jobs submitted to the page's scheduler
//          (web/app/scheduler.js) with the product's worker source, in a pool
//          of 1 worker and of 2, the frames posted to the page as in the lesson
import { launch } from '../../tests/browser/browser.js';
import { serve } from '../../tools/serve.js';
import { TRAIN } from './workloads.js';

/** In the page: median step time (ms) over `rounds` batches of `steps` steps, after a warm-up. */
async function stepTimes([rounds, steps, lane]) {
  const { createCore } = await import('/web/core.js');
  const { raceConfigs } = await import('/bench/lib/train.js');
  const core = await createCore(globalThis.createGradLab);
  const { cfg } = raceConfigs()[lane];
  let tr = core.createTrainer(cfg);
  for (let i = 0; i < 3 * steps; i++) tr.step();
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 5 === 0) { tr.free(); tr = core.createTrainer(cfg); } // stay within a race's first 300 steps
    const t = performance.now();
    for (let i = 0; i < steps; i++) tr.step();
    ms.push((performance.now() - t) / steps);
  }
  tr.free();
  return ms;
}

/** In the page: `races` races in a pool of `size` workers after one untimed
 *  short race; each {ms, frames, maxGapMs}, timed from the submits to the last lane's result. */
async function poolRaces([size, races]) {
  const { Scheduler } = await import('/web/app/scheduler.js');
  const { LESSONS } = await import('/web/lessons/index.js');
  const { defaults } = await import('/web/state.js');
  const { jobInput } = await import('/web/app/jobs.js');
  const lesson = LESSONS.find((l) => l.id === 'train');
  const url = URL.createObjectURL(new Blob([globalThis.GRADLAB_WORKER_SRC], { type: 'text/javascript' }));
  const s = new Scheduler({ size, spawn: () => new Worker(url), restartAfter: Infinity });
  const race = async (over) => {
    const state = { ...defaults(lesson.schema), ...over };
    const t0 = performance.now();
    let last = t0, maxGap = 0, frames = 0;
    const news = () => { const t = performance.now(); maxGap = Math.max(maxGap, t - last); last = t; };
    await Promise.all(Object.entries(lesson.jobs).map(([name, job]) =>
      s.submit(`train/${name}`, `train/${name}`, jobInput(job, state), () => { frames++; news(); }).then(news)));
    return { ms: performance.now() - t0, frames, maxGapMs: maxGap };
  };
  await race({ steps: 50 }); // every worker spawned, its core loaded and warm
  const out = [];
  for (let i = 0; i < races; i++) out.push(await race({}));
  s.restart();
  return out;
}

/**
 * Runs both in Chromium; resolves to {version, stepMs: [per batch], races: {size: [{ms, frames, maxGapMs}]}}
 * with races alternating between pool sizes 1 and 2.
 */
export async function chromiumTrain({ quick, log }) {
  const { server, url } = await serve({ port: 0 });
  const { browser, page } = await launch();
  try {
    await page.goto(`${url}bench/chromium.html`);
    await page.addScriptTag({ url: `${url}web/gen/gradlab.js` });
    await page.addScriptTag({ url: `${url}web/gen/worker-src.js` });
    // worker-src.js starts the page's first compute worker (web/app/early-worker.js); the
    // bench makes its own pools, so that one would only compile a core during the step timing
    await page.evaluate(() => { globalThis.GRADLAB_EARLY_WORKER?.worker.terminate(); });
    const version = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium');
    log(`==> train in ${version}: Trainer.step() on the page's thread`);
    const stepMs = await page.evaluate(stepTimes, [quick ? 5 : 21, 20, TRAIN.lane]);
    const races = { 1: [], 2: [] };
    const n = quick ? 1 : 3;
    for (let i = 0; i < n; i++) {
      for (const size of i % 2 ? [2, 1] : [1, 2]) {
        log(`==> race in ${version}: a pool of ${size} worker${size > 1 ? 's' : ''} (${i + 1} of ${n})`);
        races[size].push(...(await page.evaluate(poolRaces, [size, 1])));
      }
    }
    return { version, stepMs, races };
  } finally {
    await browser.close();
    server.close();
  }
}
