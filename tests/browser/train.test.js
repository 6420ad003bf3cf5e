// train.test.js — the Training lesson in real Chromium: every preset runs to
// the end without an error; the exploding lane gets its ✕; Play / Step /
// Reset move the shown step; one lane's control reruns that lane only; the
// URL round-trips; Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSubmits, openApp, submits, urlParams, useApp, waitIdle, watch } from './browser.js';

const app = useApp();

const P = '#panel-train';
const LONG = 180000; // a preset of four lanes takes seconds (tens under the debug load of a busy machine)

/** Chooses a preset in the select and waits until every lane has trained. */
async function loadPreset(page, name) {
  await page.selectOption(`${P} select[name=tr_preset]`, name);
  await waitIdle(page, 'train', LONG);
}

const atText = (page) => page.textContent(`${P} [data-out=at]`);
const raceLines = (page) => page.locator(`${P} [data-out=race] li`).allTextContents();
/** Points of dataset i of the loss chart. */
const lossData = (page, i) => page.evaluate(([sel, k]) => globalThis.Chart.getChart(document.querySelector(sel))
  .data.datasets[k].data.map((p) => [p.x, p.y]), [`${P} canvas[data-chart=loss]`, i]);

test('every preset trains all its lanes to the end, without an error', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=train');
  for (const [name, lanes] of [['race', 4], ['vanishing', 4], ['exploding', 4], ['deep', 4], ['symmetry', 2]]) {
    await loadPreset(page, name);
    const lines = await raceLines(page);
    assert.equal(lines.length, lanes, `${name}: ${lines.join(' | ')}`);
    assert.match(await atText(page), /^Step 300 of 300\./, name);
    assert.equal(await page.locator(`${P} .lane:not([hidden])`).count(), lanes);
    assert.equal(await page.locator(`${P} > .error`).count(), 0, `${name}: no error box`);
    if (name === 'race') {
      assert.match(lines[0], /loss 0\.693\d?, .*not below 0\.1/, 'sigmoid with N(0, 0.01) never learns');
      assert.match(lines[3], /below 0\.1 at step \d+/, 'residual + BatchNorm learns');
      assert.match(await page.textContent(`${P} [data-lane="3"] [data-out=remedy]`), /clip the gradient norm to 1/, 'each lane names its remedy');
    }
    if (name === 'symmetry') {
      const readouts = await page.locator(`${P} .lane [data-out=readout]`).allTextContents();
      assert.match(readouts[0], /still identical \(spread exactly 0\)/, 'constant init keeps the units identical');
      assert.doesNotMatch(readouts[1], /spread exactly 0/);
    }
  }
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the unclipped exploding lane turns non-finite: a ✕ on the loss chart and the readout says where', async () => {
  const page = await app.browser.newPage();
  // The preset is chosen while the default race still streams: every lane must
  // end up showing the exploding preset's run, not a stale frame of the race
  // (lane 1 stops at step 2, before it sends any frame).
  await openApp(page, app.base, 'lang=en&tab=train');
  await loadPreset(page, 'exploding');
  const lines = await raceLines(page);
  const m = lines[0].match(/turned non-finite at step (\d+)/);
  assert.ok(m, `lane 1: ${lines[0]}`);
  // datasets: 4 lane lines, ln 2, 0.1, then the 4 crosses
  const cross = await lossData(page, 6);
  assert.equal(cross.length, 1);
  assert.equal(cross[0][0], Number(m[1]));
  assert.deepEqual(await lossData(page, 7), [], 'the clipped lane has no ✕');
  assert.doesNotMatch(lines[1], /non-finite/);
  await page.close();
});

test('Reset, Step and Play move the shown step; the charts show only that far', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=train&tr_lanes=1&tr_steps=100');
  await waitIdle(page, 'train', LONG);
  assert.match(await atText(page), /^Step 100 of 100\./);
  await page.click(`${P} [data-act=reset]`);
  assert.match(await atText(page), /^Step 0 of 100\./);
  await page.click(`${P} [data-act=step]`);
  await page.click(`${P} [data-act=step]`);
  assert.match(await atText(page), /^Step 20 of 100\./);
  assert.equal((await lossData(page, 0)).length, 20, 'the loss shown up to step 20');
  await page.click(`${P} [data-act=play]`);
  assert.equal(await page.textContent(`${P} [data-act=play]`), 'Pause');
  await page.waitForFunction((p) => /^Step 100 of 100\./.test(document.querySelector(`${p} [data-out=at]`).textContent), P, { timeout: 30000 });
  assert.equal(await page.textContent(`${P} [data-act=play]`), 'Play');
  assert.equal((await lossData(page, 0)).length, 101, 'all 100 steps and the loss after the last update');
  await page.close();
});

test('a control of one lane reruns that lane only; a global one reruns every lane; the URL round-trips', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=train&tr_steps=50');
  await waitIdle(page, 'train', LONG);
  await countSubmits(page);
  await page.click(`${P} [data-lane="2"] summary`); // a lane's controls fold away under its name
  await page.selectOption(`${P} select[name=tr_norm2]`, 'layer');
  await waitIdle(page, 'train', LONG);
  assert.deepEqual(await submits(page), { 'train/lane2': 1 });
  await page.selectOption(`${P} select[name=tr_heat]`, 'grad');
  assert.deepEqual(await submits(page), { 'train/lane2': 1 }, 'the heatmap quantity is display-only');
  await page.fill(`${P} input[name=tr_lr]`, '0.05');
  await page.press(`${P} input[name=tr_lr]`, 'Enter');
  await waitIdle(page, 'train', LONG);
  assert.deepEqual(await submits(page),
    { 'train/lane1': 1, 'train/lane2': 2, 'train/lane3': 1, 'train/lane4': 1 }, 'the learning rate reruns every lane');
  const u = await urlParams(page);
  assert.equal(u.tr_lr, '0.05');
  assert.equal(u.tr_norm2, 'layer');
  assert.equal(u.tr_heat, 'grad');
  assert.equal(u.tr_steps, '50');
  // The same link opens the same lanes.
  const again = await app.browser.newPage();
  await openApp(again, app.base, new URLSearchParams(u).toString());
  assert.equal(await again.inputValue(`${P} select[name=tr_norm2]`), 'layer');
  assert.equal(await again.inputValue(`${P} input[name=tr_steps]`), '50');
  await again.close();
  await page.close();
});

test('in Chinese: the tab, the preset caption and the readouts', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=zh&tab=train&tr_steps=50&tr_lanes=2');
  await waitIdle(page, 'train', LONG);
  assert.equal(await page.textContent('#tab-train'), '训练与对策');
  assert.match(await page.textContent(`${P} [data-out=caption]`), /深度 20/);
  assert.match((await raceLines(page))[0], /^赛道 1/);
  await page.close();
});
