// The Exploding panel in real Chromium: over http and from file://, offline,
// without console errors; the chart matches the core run in Node; Play, Step
// and Reset animate the product; overflow is shown; the σ buttons, the URL
// round-trip, clamping, Chinese and the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chartData, fileUrl, openApp, startApp, urlParams, watch } from './browser.js';
import { loadCore } from '../../lib/node-core.js';
import { torchFormatter, torchScalar } from '../../web/torchprint.js';

let app;
let base;
let browser;
let core;

before(async () => {
  app = await startApp();
  ({ base, browser } = app);
  // The page loads the release core (web/gen/gradlab.js); compare with the same build.
  core = await loadCore('release');
});
after(() => app?.stop());

const P = '#panel-exploding';
const CHART = `${P} canvas[data-chart=norm]`;
const SCI = /^-?\d\.\d{4}e[+-]\d{2}$/; // PyTorch's scientific notation
const FIXED = /^-?\d+\.\d{4}$/; // PyTorch's fixed notation

/** Number of points of the measured series (dataset 0), or -1 before the chart has data. */
const measuredCount = (page) => page.evaluate((sel) => {
  const c = globalThis.Chart.getChart(document.querySelector(sel));
  return c && c.data.datasets[0] ? c.data.datasets[0].data.length : -1;
}, CHART);

/**
 * Shows the whole trajectory: the lesson opens at k = 0, and Play under
 * reduced motion shows every step at once (no frames to wait for).
 */
async function showWhole(page) {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.click(`${P} button[data-act=play]`);
  await page.emulateMedia({ reducedMotion: null });
}

/** Waits until the measured series has exactly n points (the panel draws on the next frame). */
const waitMeasured = (page, n, timeout = 15000) => page.waitForFunction(([sel, k]) => {
  const c = globalThis.Chart.getChart(document.querySelector(sel));
  return !!c && !!c.data.datasets[0] && c.data.datasets[0].data.length === k;
}, [CHART, n], { timeout });

const relErr = (a, b) => Math.abs(a - b) / Math.abs(b);

for (const via of ['http', 'file']) {
  test(`over ${via}: the default figure has 101 measured points ending at the core's ‖M_100‖ (near 1e25), with no error and no outside request`, async () => {
    const page = await browser.newPage();
    const w = watch(page, via === 'http' ? base : null);
    await openApp(page, via === 'http' ? base : fileUrl(), 'tab=exploding&lang=en');
  await showWhole(page);
    await waitMeasured(page, 101);
    const measured = await chartData(page, CHART, 0);
    const ref = core.matprod({ n: 4, steps: 100, sigma: 1, ensemble: 'gaussian', dtype: 'float32', seed: 0 });
    assert.deepEqual(measured.map((p) => p[0]), Array.from({ length: 101 }, (_, k) => k));
    // The page and Node run the same wasm on the same seed; 1e-6 allows for
    // nothing but formatting — any different draw would be off by O(1).
    const last = measured[100][1];
    assert.ok(relErr(last, ref.norms[100]) < 1e-6, `chart ${last} vs core ${ref.norms[100]}`);
    // typical growth 100 × 0.558 ≈ e^56 ≈ 1e24, ±4σ of the walk (σ ≈ 5 in ln)
    assert.ok(last > 1e15 && last < 1e33, `‖M_100‖ = ${last}`);
    assert.ok(relErr(measured[0][1], ref.norms[0]) < 1e-6);
    // as torch prints a 0-d tensor of it (tests/node/torchprint.test.js holds that to torch)
    assert.equal(await page.textContent(`${P} [data-out=now]`), `k = 100: ‖M_k‖ = ${torchScalar(ref.norms[100])}.`);
    assert.match(torchScalar(ref.norms[100]), SCI);
    assert.match(await page.textContent(`${P} [data-out=overflow]`), /No entry overflowed in float32/);
    assert.equal(await page.textContent(`${P} h2`), 'Exploding gradients');
    assert.equal(await page.isVisible(`${P}`), true);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    await page.close();
  });
}

test('the fan draws the 30 default trials, each with 101 points equal to the core\'s, and the y axis takes in all of them', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en');
  await showWhole(page);
  await waitMeasured(page, 101);
  const got = await page.evaluate((sel) => {
    const c = globalThis.Chart.getChart(document.querySelector(sel));
    return { lines: c.$bundle.lines.map((l) => l.map((p) => p.y)), min: c.scales.y.min, max: c.scales.y.max };
  }, CHART);
  // The worker's seed and trials are the panel's defaults: seed 0, 30 trials.
  const ref = core.matprodEnsemble({ n: 4, steps: 100, sigma: 1, ensemble: 'gaussian', trials: 30, seed: 0, fan: 30 });
  assert.equal(got.lines.length, 30);
  for (let t = 0; t < 30; t++) {
    assert.equal(got.lines[t].length, 101);
    for (const k of [0, 50, 100]) {
      const want = Math.exp(ref.fan[t][k]);
      assert.ok(relErr(got.lines[t][k], want) < 1e-9, `trial ${t}, k = ${k}: ${got.lines[t][k]} vs ${want}`);
    }
  }
  const ys = got.lines.flat();
  assert.ok(got.min <= Math.min(...ys) && got.max >= Math.max(...ys), `axis [${got.min}, ${got.max}] misses part of the fan`);
  await page.close();
});

test('at 1000 steps each line of the fan is drawn with one point in 5 (≤ 250 a line), each the core\'s value at its step', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en&x_steps=1000&x_trials=3');
  await showWhole(page);
  await waitMeasured(page, 1001);
  const lines = await page.evaluate((sel) => globalThis.Chart.getChart(document.querySelector(sel)).$bundle.lines
    .map((l) => l.map((p) => [p.x, p.y])), CHART);
  const ref = core.matprodEnsemble({ n: 4, steps: 1000, sigma: 1, ensemble: 'gaussian', trials: 3, seed: 0, fan: 3 });
  assert.equal(lines.length, 3);
  for (let t = 0; t < 3; t++) {
    assert.equal(lines[t].length, 201);
    lines[t].forEach(([x, y], i) => {
      assert.equal(x, 5 * i);
      assert.ok(relErr(y, Math.exp(ref.fan[t][x])) < 1e-9, `trial ${t}, step ${x}`);
    });
  }
  await page.close();
});

test('the fan\'s mean is labelled by its number of trials, a single trial as one (en, zh)', async () => {
  const labels = async (query) => {
    const page = await browser.newPage();
    await openApp(page, base, `tab=exploding&${query}`);
    await showWhole(page);
    await waitMeasured(page, 101);
    const got = await page.evaluate((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets
      .map((d) => d.label), CHART);
    await page.close();
    return got;
  };
  assert.ok((await labels('lang=en&x_trials=30')).includes('mean of ln‖M_k‖ over 30 trials'));
  const one = await labels('lang=en&x_trials=1');
  assert.ok(one.includes('ln‖M_k‖ of the one trial'), one.join(' | '));
  assert.ok(!one.some((l) => /over 1 trials/.test(l)), one.join(' | '));
  assert.ok((await labels('lang=zh&x_trials=1')).includes('唯一一次试验的 ln‖M_k‖'));
});

test('bundle lines alone set a log axis to their own range; with data they widen it, skipping what a log axis cannot show', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en');
  const got = await page.evaluate(async (url) => {
    const { lineChart, setBundle, setSeries } = await import(`${url}web/charts.js`);
    const canvas = document.createElement('canvas');
    const box = document.createElement('div');
    box.style.cssText = 'width: 400px; height: 300px';
    box.append(canvas);
    document.body.append(box);
    const chart = lineChart(canvas, { yLog: true });
    const fan = [[{ x: 0, y: 1e28 }, { x: 1, y: null }, { x: 2, y: 3e31 }], [{ x: 0, y: -5 }, { x: 1, y: 0 }, { x: 2, y: NaN }]];
    setBundle(chart, fan);
    setSeries(chart, []);
    const alone = [chart.scales.y.min, chart.scales.y.max];
    setSeries(chart, [{ label: 'data', points: [{ x: 0, y: 1e-3 }, { x: 2, y: 1 }] }]);
    const withData = [chart.scales.y.min, chart.scales.y.max];
    chart.destroy();
    box.remove();
    return { alone, withData };
  }, base);
  // log ticks round the ends outwards to whole decades
  assert.ok(got.alone[0] <= 1e28 && got.alone[0] >= 1e27, `alone: min ${got.alone[0]}`);
  assert.ok(got.alone[1] >= 3e31 && got.alone[1] <= 1e32, `alone: max ${got.alone[1]}`);
  assert.ok(got.withData[0] <= 1e-3 && got.withData[0] > 1e-4, `with data: min ${got.withData[0]}`);
  assert.ok(got.withData[1] >= 3e31 && got.withData[1] <= 1e32, `with data: max ${got.withData[1]}`);
  await page.close();
});

test('the lesson opens at k = 0 and Play animates: partway the measured line has more than 1 and fewer than 101 points, then it reaches 101', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  await openApp(page, base, 'tab=exploding&lang=en&x_speed=5');
  // it opens at k = 0, paused, as the text says ("Press play")
  await waitMeasured(page, 1);
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 0:/);
  assert.equal(await page.textContent(`${P} button[data-act=play]`), 'Play');
  await page.click(`${P} button[data-act=play]`);
  assert.equal(await page.textContent(`${P} button[data-act=play]`), 'Pause');
  // 5 steps/s: after 0.5 s about 1 + 2.5 multiplications are shown; the whole
  // run would need 20 s, so anything from 2 to 100 means "animating".
  await page.waitForTimeout(500);
  const partway = await measuredCount(page);
  assert.ok(partway > 1 && partway < 101, `after 0.5 s: ${partway} points`);
  // Pause freezes it.
  await page.click(`${P} button[data-act=play]`);
  const paused = await measuredCount(page);
  await page.waitForTimeout(400);
  assert.equal(await measuredCount(page), paused, 'paused: no more points');
  assert.equal(await page.textContent(`${P} button[data-act=play]`), 'Play');
  // Resume, then speed up while playing: the animation continues where it was
  // (a new speed must not restart or jump to the end) and finishes at 101.
  await page.click(`${P} button[data-act=play]`);
  await page.fill(`${P} input[name=x_speed]`, '500');
  await page.press(`${P} input[name=x_speed]`, 'Enter');
  await waitMeasured(page, 101, 10000);
  assert.equal((await urlParams(page)).x_speed, '500');
  await page.waitForFunction((sel) => document.querySelector(sel).textContent === 'Play', `${P} button[data-act=play]`);
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 100:/);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('Step advances by exactly one multiplication and stops at the last one', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en&x_steps=3');
  await showWhole(page);
  await waitMeasured(page, 4);
  await page.click(`${P} button[data-act=reset]`);
  await waitMeasured(page, 1);
  for (const n of [2, 3, 4]) {
    await page.click(`${P} button[data-act=step]`);
    assert.equal(await measuredCount(page), n, 'Step draws synchronously');
    assert.match(await page.textContent(`${P} [data-out=curTitle]`), new RegExp(`after ${n - 1} multiplications`));
  }
  await page.click(`${P} button[data-act=step]`);
  assert.equal(await measuredCount(page), 4, 'no step past K');
  await page.close();
});

test('the matrix tables show each matrix as torch prints it: M_0 ~ N(0, 1) in fixed notation, M_100 ~ 1e25 in scientific, M_0 matching the core', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en');
  await showWhole(page);
  await waitMeasured(page, 101);
  const cur = await page.locator(`${P} table[data-out=cur] td`).allTextContents();
  const first = await page.locator(`${P} table[data-out=first] td`).allTextContents();
  assert.equal(cur.length, 16);
  assert.equal(first.length, 16);
  // torch picks one notation per matrix: fixed while the entries span less
  // than a factor 1000 within [1e-4, 1e8], scientific otherwise.
  for (const c of first) assert.match(c, FIXED);
  for (const c of cur) assert.match(c, SCI);
  const ref = core.matprod({ n: 4, steps: 100, seed: 0 });
  const fmt = torchFormatter(ref.first);
  assert.deepEqual(first, Array.from(ref.first, (v) => fmt.format(v).trim()));
  // M_100 has entries of order 1e25 or so (|entry| ≤ ‖M‖).
  assert.ok(cur.some((c) => /e\+2[3-5]$/.test(c)), `M_100: ${cur.join(' ')}`);
  assert.equal(await page.locator(`${P} table[data-out=cur] td.bad`).count(), 0);
  await page.close();
});

test('x_steps=300 overflows float32: the readout names the step, and inf/nan cells are marked bad', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  await openApp(page, base, 'tab=exploding&lang=en&x_steps=300');
  await showWhole(page);
  await waitMeasured(page, 301);
  const ov = core.matprod({ n: 4, steps: 300, seed: 0 }).overflowStep;
  assert.ok(Number.isInteger(ov));
  const text = await page.textContent(`${P} [data-out=overflow]`);
  assert.match(text, new RegExp(`At step ${ov} an entry became (inf|inf / nan): float32 overflowed`));
  assert.match(text, /3\.4028e\+38/);
  const cells = await page.locator(`${P} table[data-out=cur] td`).evaluateAll((tds) => tds.map((td) => [td.textContent, td.className]));
  assert.equal(cells.length, 16);
  assert.ok(cells.some(([t]) => t === 'inf' || t === 'nan' || t === '-inf'), 'M_300 has non-finite entries');
  for (const [t, cls] of cells) {
    const bad = t === 'inf' || t === '-inf' || t === 'nan';
    assert.equal(cls === 'bad', bad, `cell '${t}' has class '${cls}'`);
  }
  // The measured series stops on a log axis at the overflow (null after it).
  const measured = await chartData(page, CHART, 0);
  assert.ok(measured[ov - 1][1] > 1e30);
  assert.equal(measured[ov][1], null);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the σ* button sets σ to the critical value ≈ 0.5724 and the URL follows', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en');
  await showWhole(page);
  await waitMeasured(page, 101);
  await page.click(`${P} button[data-act=critical]`);
  const want = core.matprodTheory({ n: 4, sigma: 1 }).critical_sigma;
  await page.waitForFunction(() => new URLSearchParams(location.search).get('x_sigma') !== '1');
  const v = Number(await page.inputValue(`${P} input[name=x_sigma]`));
  // The page rounds to 6 significant digits: |error| ≤ 5e-7.
  assert.ok(Math.abs(v - want) < 1e-6, `σ input ${v}, σ* ${want}`);
  assert.ok(Math.abs(v - 0.5724) < 1e-4);
  assert.equal((await urlParams(page)).x_sigma, String(v));
  // At σ* the typical trajectory is flat: the 50-trial mean ln-norm moves by
  // far less than at σ = 1 (where it gains ≈ 56 in 100 steps).
  await page.waitForFunction((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[1].data[100].y < 1e3, CHART);
  const mean = await chartData(page, CHART, 3);
  const drift = Math.log(mean[100][1]) - Math.log(mean[0][1]);
  assert.ok(Math.abs(drift) < 5, `ln-mean drift over 100 steps at σ*: ${drift}`);
  await page.close();
});

test('with x_n=16 the 1/√n button sets σ = 0.25', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en&x_n=16&x_trials=5');
  await showWhole(page);
  await waitMeasured(page, 101);
  await page.click(`${P} button[data-act=invsqrt]`);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('x_sigma') === '0.25');
  assert.equal(await page.inputValue(`${P} input[name=x_sigma]`), '0.25');
  assert.equal((await urlParams(page)).x_n, '16');
  await page.close();
});

test('a link reproduces the view: every x_* key from the query comes back unchanged, and the chart follows it', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  const query = 'lang=en&tab=exploding&x_n=8&x_sigma=0.7&x_steps=50&x_seed=7&x_dtype=float64&x_ensemble=orthogonal&x_trials=10&x_speed=100';
  await openApp(page, base, query);
  await showWhole(page);
  await waitMeasured(page, 51);
  const got = await urlParams(page);
  for (const [k, v] of new URLSearchParams(query)) assert.equal(got[k], v, `URL key ${k}`);
  assert.equal(await page.inputValue(`${P} input[name=x_n]`), '8');
  assert.equal(await page.inputValue(`${P} select[name=x_dtype]`), 'float64');
  assert.equal(await page.inputValue(`${P} select[name=x_ensemble]`), 'orthogonal');
  // 0.7·Q keeps shapes: ‖M_k‖ = 0.7^k·‖M_0‖ = 0.7^(k+1)·√8 exactly in theory;
  // float64 rounding over 50 steps stays below 1e-12 relative.
  const measured = await chartData(page, CHART, 0);
  for (const k of [0, 10, 50]) {
    const want = 0.7 ** (k + 1) * Math.sqrt(8);
    assert.ok(relErr(measured[k][1], want) < 1e-12, `k ${k}: ${measured[k][1]} vs ${want}`);
  }
  assert.match(await page.textContent(`${P} [data-out=theory]`), /exactly σ/);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('invalid URL values (x_n=999, x_dtype=bogus) are clamped or reset with notices, and the page still works', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  await openApp(page, base, 'tab=exploding&lang=en&x_n=999&x_dtype=bogus&x_trials=2');
  const notices = await page.locator('#notices .notice').allTextContents();
  assert.equal(notices.length, 2, notices.join(' | '));
  assert.ok(notices.some((n) => n.includes('x_n=999') && n.includes('64')), notices.join(' | '));
  assert.ok(notices.some((n) => n.includes('x_dtype=bogus') && n.includes('float32')), notices.join(' | '));
  assert.equal(await page.inputValue(`${P} input[name=x_n]`), '64');
  assert.equal(await page.inputValue(`${P} select[name=x_dtype]`), 'float32');
  await showWhole(page);
  await waitMeasured(page, 101, 30000);
  const p = await urlParams(page);
  assert.equal(p.x_n, '64');
  assert.equal(p.x_dtype, 'float32');
  // A 64×64 top-left corner is cut to 6×6 in the tables.
  assert.equal(await page.locator(`${P} table[data-out=cur] td`).count(), 36);
  assert.match(await page.textContent(`${P} [data-out=corner]`), /6×6 corner of 64×64/);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('?lang=zh shows the Chinese title 梯度爆炸 and no console error', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  await openApp(page, base, 'tab=exploding&lang=zh');
  await showWhole(page);
  await waitMeasured(page, 101);
  assert.equal(await page.textContent(`${P} h2`), '梯度爆炸');
  assert.equal(await page.textContent(`${P} button[data-act=play]`), '播放');
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 100：/);
  const label = await page.evaluate((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[0].label, CHART);
  assert.equal(label, '实测 ‖M_k‖（float32）');
  await page.selectOption('#lang', 'en');
  assert.equal(await page.textContent(`${P} h2`), 'Exploding gradients');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the n slider works by keyboard: ArrowRight makes n = 5 and redraws the chart and tables for 5×5', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'tab=exploding&lang=en');
  await showWhole(page);
  await waitMeasured(page, 101);
  await page.focus(`${P} input[name=x_n-slider]`);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('x_n') === '5');
  assert.equal(await page.inputValue(`${P} input[name=x_n]`), '5');
  const ref = core.matprod({ n: 5, steps: 100, seed: 0 });
  await page.waitForFunction(([sel, want]) => {
    const d = globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[0].data;
    return d.length === 101 && Math.abs(d[100].y / want - 1) < 1e-6;
  }, [CHART, ref.norms[100]]);
  assert.equal(await page.locator(`${P} table[data-out=cur] td`).count(), 25);
  // Buttons are reachable by Tab and fire on Enter.
  await page.focus(`${P} button[data-act=reset]`);
  await page.keyboard.press('Enter');
  await waitMeasured(page, 1);
  await page.close();
});
