// "Predict, then check" in real Chromium: a question answered by keyboard
// alone gets its verdict in a live region; committed answers round-trip
// through the URL and are checked again on load; both languages; inside an
// embed; and axe-core (from npm, evaluated from node_modules: nothing is
// fetched) finds no violation in any lesson's questions, in en and zh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openApp, urlParams, useApp, waitIdle, watch } from './browser.js';
import { loadCore } from '../../lib/node-core.js';
import { trainConfig, trainLane } from '../../web/science.js';
import { globalsOf, lanesOf } from '../../web/lessons/train/presets.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const app = useApp();

const Q = (lesson, id) => `#panel-${lesson} [data-question=${id}]`;
/** Waits for question `id`'s verdict (the training race takes a while) and returns {state, text}. */
async function verdict(page, lesson, id, timeout = 30000) {
  const sel = `${Q(lesson, id)} .result`;
  await page.waitForSelector(`${sel}[data-state=right], ${sel}[data-state=wrong]`, { timeout });
  return page.$eval(sel, (el) => ({ state: el.dataset.state, text: el.textContent, role: el.getAttribute('role') }));
}
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { tag: el.tagName, type: el.type, value: el.value, act: el.dataset.act, text: el.textContent };
});

test('a question answered by keyboard alone: Tab into the choices, arrows to pick, Enter to check; the verdict is live and the URL keeps it', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=vanishing');
  // from the last control before the questions, keys only
  await page.focus('#panel-vanishing details.prose summary');
  await page.keyboard.press('Tab');
  assert.deepEqual(await focused(page).then((f) => [f.type, f.value]), ['radio', 'e2']);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal((await focused(page)).value, 'e6');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).act, 'check');
  await page.keyboard.press('Enter');
  const v = await verdict(page, 'vanishing', 'bound');
  assert.equal(v.role, 'status');
  assert.equal(v.state, 'right');
  assert.match(v.text, /^Right\. The computed best case is 9\.537e-7/);
  // focus stays on the button, which now offers to try again; the choices are locked
  assert.deepEqual(await focused(page).then((f) => [f.act, f.text]), ['check', 'Try again']);
  assert.ok(await page.$eval(`${Q('vanishing', 'bound')} input[value=e6]`, (r) => r.checked && r.disabled));
  // the check set the lesson to the question's setting: the chart shows 10 sigmoid layers
  assert.equal(await page.inputValue('#panel-vanishing input[name=v_depth]'), '10');
  // the next question, a wrong answer, with Space
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  assert.equal((await focused(page)).value, 'quarter');
  await page.keyboard.press('Tab');
  await page.keyboard.press(' ');
  const z = await verdict(page, 'vanishing', 'zeros');
  assert.equal(z.state, 'wrong');
  assert.match(z.text, /^Not quite: the computed answer is about half\. 49\.5% got exactly 0/);
  assert.equal((await urlParams(page)).v_q, 'bound-e6_zeros-quarter');
  // Try again withdraws the answer
  await page.keyboard.press('Enter');
  await page.waitForFunction((s) => !document.querySelector(s).dataset.state, `${Q('vanishing', 'zeros')} .result`);
  assert.equal((await urlParams(page)).v_q, 'bound-e6');
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

test('committed answers in the URL are checked again on load, locked, in Chinese', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=zh&tab=vanishing&v_act=sigmoid&v_depth=10&v_q=bound-e6_zeros-quarter');
  const b = await verdict(page, 'vanishing', 'bound');
  assert.equal(b.state, 'right');
  assert.match(b.text, /^正确。计算得到的最好情况是 9\.537e-7/);
  const z = await verdict(page, 'vanishing', 'zeros');
  assert.equal(z.state, 'wrong');
  assert.match(z.text, /^不对：计算得到的答案是 约一半。/);
  assert.ok(await page.$eval(`${Q('vanishing', 'zeros')} input[value=quarter]`, (r) => r.checked && r.disabled));
  // checking from the link did not change the lesson's state (depth stays 10, act sigmoid)
  assert.equal(await page.inputValue('#panel-vanishing input[name=v_depth]'), '10');
  assert.equal(await page.inputValue('#panel-vanishing select[name=v_act]'), 'sigmoid');
  assert.equal(await page.textContent(`${Q('vanishing', 'zeros')} [data-act=check]`), '重新作答');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('in an embed (embed=1), the number question works by keyboard: the overflow step typed, checked with Enter', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=exploding&embed=1');
  assert.equal(await page.isVisible('[role=tablist]'), false);
  const box = `${Q('exploding', 'overflow')} input[type=number]`;
  await page.focus(`${Q('exploding', 'overflow')} input[type=range]`);
  await page.keyboard.press('Home');
  assert.equal(await page.inputValue(box), '10', 'the slider drives the box');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('160');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const v = await verdict(page, 'exploding', 'overflow');
  // 160 is within 10% of the overflow step the run computed at seed 0 (150)
  assert.equal(v.state, 'right');
  assert.match(v.text, /first inf came at k = 150/);
  // the lesson shows the setting: 400 multiplications at σ = 1, with the overflow marked
  assert.equal(await page.inputValue('#panel-exploding input[name=x_steps]'), '400');
  await waitIdle(page, 'exploding');
  assert.match(await page.textContent('#panel-exploding [data-out=overflow]'), /At step 150/);
  const p = await urlParams(page);
  assert.equal(p.x_q, 'overflow-160');
  assert.equal(p.embed, '1');
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

/** What the Xavier lesson's keyboard check reads, per language. */
const XAVIER_TEXT = {
  en: { sigma: /^Right\. At σ = 0\.0625 the core measured Var\[o\] = [\d.]+ against Var\[x\] = 1; .* 1\/√n_in = 0\.0625/, factors: /^Not quite: the computed answer is neither\. Measured Var\[o\]\/Var\[x\] = 1\.[89]\d* and Var\[∂L\/∂x\]\/Var\[∂L\/∂o\] = 0\.1[12]/, retry: 'Try again' },
  zh: { sigma: /^正确。在 σ = 0\.0625 时，核心测得 Var\[o\] = [\d.]+，而 Var\[x\] = 1；.*1\/√n_in = 0\.0625/, factors: /^不对：计算得到的答案是 两个都不能。测得 Var\[o\]\/Var\[x\] = 1\.[89]\d*，Var\[∂L\/∂x\]\/Var\[∂L\/∂o\] = 0\.1[12]/, retry: '重新作答' },
};

for (const lang of ['en', 'zh']) {
  test(`the Xavier lesson's questions by keyboard alone (${lang}): σ = 1/√n_in is right, "both" for 1024 → 64 is wrong, the table shows each setting`, async () => {
    const page = await app.browser.newPage();
    const w = watch(page, app.base);
    await openApp(page, app.base, `lang=${lang}&tab=xavier`);
    await page.focus('#panel-xavier details.prose summary');
    await page.keyboard.press('Tab');
    assert.deepEqual(await focused(page).then((f) => [f.type, f.value]), ['radio', 'inv']);
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).value, 'invsqrt');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).act, 'check');
    await page.keyboard.press('Enter');
    const v = await verdict(page, 'xavier', 'sigma');
    assert.equal(v.role, 'status');
    assert.equal(v.state, 'right');
    assert.match(v.text, XAVIER_TEXT[lang].sigma);
    assert.deepEqual(await focused(page).then((f) => [f.act, f.text]), ['check', XAVIER_TEXT[lang].retry]);
    // the lesson shows the σ the learner chose, Xavier's σ off
    assert.equal(await page.inputValue('#panel-xavier input[name=xd_sigma]'), '0.0625');
    assert.equal(await page.isChecked('#panel-xavier input[name=xd_xs]'), false);
    // the next question but one, by Tab: 'mean', then 'factors'
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).value, 'yes');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).value, 'fwd');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).value, 'both');
    await page.keyboard.press('Tab');
    await page.keyboard.press(' ');
    const f = await verdict(page, 'xavier', 'factors');
    assert.equal(f.state, 'wrong');
    assert.match(f.text, XAVIER_TEXT[lang].factors);
    assert.equal(await page.inputValue('#panel-xavier input[name=xd_nin]'), '1024');
    assert.equal(await page.isChecked('#panel-xavier input[name=xd_xs]'), true);
    assert.equal((await urlParams(page)).xd_q, 'sigma-invsqrt_factors-both');
    // the table agrees with the verdict: the forward factor is not 1
    await waitIdle(page, 'xavier');
    assert.equal(await page.$eval('#panel-xavier tr[data-row=fwd] [data-cell=verdict]', (el) => el.className), 'bad');
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    await page.close();
  });
}

/** A committed answer per lesson (so that verdicts are on show for axe too), right and wrong ones. */
const ANSWERED = {
  vanishing: 'v_q=bound-e6_zeros-quarter',
  exploding: 'x_q=overflow-300_flat-invm1',
  init: 'i_q=relu-kaiming_xavier-stay_constant-no',
  xavier: 'xd_q=sigma-invsqrt_mean-yes_factors-neither_relu-xvar',
  train: 'tr_q=clip-sooner_sigmoid-learns',
};

for (const lang of ['en', 'zh']) {
  test(`axe-core finds no violation in any lesson's questions (${lang}), verdicts on show`, async () => {
    const page = await app.browser.newPage();
    const w = watch(page, app.base);
    for (const [lesson, answers] of Object.entries(ANSWERED)) {
      await openApp(page, app.base, `lang=${lang}&tab=${lesson}&${answers}`);
      const ids = await page.$$eval(`#panel-${lesson} [data-question]`, (els) => els.map((e) => e.dataset.question));
      assert.ok(ids.length >= 2, `${lesson}: ${ids.length} questions`);
      // the training race trains in the worker: its verdicts wait for it, without blocking the page
      for (const id of answers.split('=')[1].split('_').map((e) => e.split('-')[0])) {
        await verdict(page, lesson, id, lesson === 'train' ? 240000 : 30000);
      }
      // evaluated through the DevTools protocol: the page's CSP (rightly) refuses an inline <script>
      if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
      const result = await page.evaluate((sel) => globalThis.axe.run(sel, { resultTypes: ['violations'] }), `#panel-${lesson} section.questions`);
      const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(found, [], `${lesson} (${lang})`);
      assert.ok(result.passes.length > 10, `${lesson}: axe ran its rules (${result.passes.length} passed)`);
    }
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    await page.close();
  });
}

test('the training questions check the race as the lane jobs compute it, in the worker, with the page responsive meanwhile', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  // another preset first: the check must load the race itself
  await openApp(page, app.base, 'lang=en&tab=train&tr_preset=symmetry&tr_lanes=2&tr_depth=4&tr_act1=tanh&tr_init1=constant&tr_value1=0.1&tr_act2=tanh&tr_init2=xavier_uniform');
  assert.equal(await page.evaluate(() => document.body.dataset.worker), '1');
  await page.check(`${Q('train', 'clip')} input[value=later]`);
  await page.click(`${Q('train', 'clip')} [data-act=check]`);
  assert.equal(await page.inputValue('#panel-train select[name=tr_preset]'), 'race');
  // while the race trains, the main thread answers at once
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.ok(Date.now() - t0 < 1000);
  const v = await verdict(page, 'train', 'clip', 240000);
  assert.equal(v.state, 'wrong');
  // the page's figures are the race's: trained again here, in Node's core
  const core = await loadCore();
  const g = globalsOf('race');
  const [plain, clipped] = [1, 2].map((i) => trainLane(core, trainConfig(g, lanesOf('race')[i]), g.steps).stepsToTrained);
  assert.match(v.text, new RegExp(`the computed answer is it reaches loss 0\\.1 sooner\\. Steps to loss 0\\.1: ${plain} without clipping ` +
    `\\(final loss [0-9.]+\\), ${clipped} with it`));
  assert.deepEqual(w.errors, []);
  await page.close();
});
