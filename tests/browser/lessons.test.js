// lessons.test.js — lessons as modules, in real Chromium (test build):
//   · a lesson registered from outside web/lessons (the tiny test lesson) gets
//     its tab, its URL keys and a working job;
//   · a display-only change redraws from the cached result with no job, and
//     within 100 ms; a change that one job reads reruns that job only;
//   · the Exploding animation keeps its place when nothing changes the trajectory;
//   · a pending result is visibly pending on the chart it will replace, and a
//     stale chart never shows the new labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSubmits, openApp, submits, urlParams, useApp, waitIdle, watch } from './browser.js';

const app = useApp();


/** Moves a slider (input event) and resolves to ms from the event to the section's next completed draw. */
function moveAndTime(page, id, key, value) {
  return page.evaluate(([p, k, v]) => new Promise((ok) => {
    const root = document.getElementById(`panel-${p}`);
    const el = root.querySelector(`[name="${k}-slider"]`) || root.querySelector(`select[name="${k}"]`);
    const before = Number(root.dataset.drawn || 0);
    const mo = new MutationObserver(() => {
      if (Number(root.dataset.drawn || 0) > before) { mo.disconnect(); ok(performance.now() - t0); }
    });
    mo.observe(root, { attributes: true, attributeFilter: ['data-drawn'] });
    el.value = String(v);
    const t0 = performance.now();
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  }), [id, key, value]);
}

test('a lesson registered in one place gets its tab, its namespaced URL keys and a working job', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&testlesson=1&tab=tiny&t_n=4');
  assert.equal(await page.textContent('#tab-tiny'), 'Tiny');
  assert.equal(await page.getAttribute('#tab-tiny', 'aria-selected'), 'true');
  await page.waitForFunction(() => document.querySelectorAll('#panel-tiny [data-out] li').length === 4);
  const values = (await page.locator('#panel-tiny [data-out] li').allTextContents()).map(Number);
  assert.ok(values.every(Number.isFinite) && new Set(values).size === 4, `four distinct normals: ${values}`);
  const u = await urlParams(page);
  assert.equal(u.t_n, '4');
  assert.equal(u.t_scale, '1');
  // Its display-only key redraws without a job; its input reruns its job.
  await countSubmits(page);
  await moveAndTime(page, 'tiny', 't_scale', 10);
  const scaled = (await page.locator('#panel-tiny [data-out] li').allTextContents()).map(Number);
  scaled.forEach((v, i) => assert.ok(Math.abs(v - 10 * values[i]) <= 1e-12 * Math.abs(v), `×10: ${v} vs ${values[i]}`));
  assert.deepEqual(await submits(page), {}, 'no job for a display-only key');
  await page.fill('#panel-tiny input[name=t_n]', '2');
  await page.press('#panel-tiny input[name=t_n]', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#panel-tiny [data-out] li').length === 2);
  assert.deepEqual(await submits(page), { 'tiny/draws': 1 });
  // The other tabs are still there, and Chinese labels it.
  assert.equal(await page.locator('[role=tab]').count(), 6);
  await page.selectOption('#lang', 'zh');
  assert.equal(await page.textContent('#tab-tiny'), '小课');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('without ?testlesson the test build has the real lessons only', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en');
  assert.deepEqual(await page.locator('[role=tab]').evaluateAll((els) => els.map((e) => e.id)),
    ['tab-vanishing', 'tab-exploding', 'tab-init', 'tab-xavier', 'tab-train']);
  await page.close();
});

test('Initialization at depth 200 × width 1024: the histogram layer and the plotted statistic redraw in < 100 ms with no job', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=init&i_depth=200&i_width=1024&i_s2=none&i_s3=none&i_s4=none&i_hl=10');
  await waitIdle(page, 'init', 120000);
  await countSubmits(page);
  const caption = '#panel-init [data-out=histA]';
  assert.match(await page.textContent(caption), /layer 10\b/);
  const hist = () => page.evaluate(() => globalThis.Chart.getChart(document.querySelector('#panel-init canvas[data-chart=histA]'))
    .data.datasets[0].data.map((p) => p.y));
  const at10 = await hist();
  const ms = [];
  ms.push(await moveAndTime(page, 'init', 'i_hl', 11));
  assert.match(await page.textContent(caption), /layer 11\b/, 'the caption follows the slider at once');
  assert.notDeepEqual(await hist(), at10, 'and so does the histogram');
  ms.push(await moveAndTime(page, 'init', 'i_fwd', 'a_var'));
  const yTitle = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('#panel-init canvas[data-chart=fwd]')).options.scales.y.title.text);
  assert.match(yTitle, /Var\(a_l\)/);
  ms.push(await moveAndTime(page, 'init', 'i_hl', 200));
  assert.match(await page.textContent(caption), /layer 200\b/);
  assert.deepEqual(await submits(page), {}, 'display-only changes start no job');
  for (const t of ms) assert.ok(t < 100, `display-only redraws took ${ms.map((x) => x.toFixed(1)).join(', ')} ms`);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('a Xavier-section control reruns the xavier job only; a scheme slot reruns its own network only', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=init');
  await waitIdle(page, 'init');
  await countSubmits(page);
  await page.fill('#panel-init input[name=i_nin]', '100');
  await page.press('#panel-init input[name=i_nin]', 'Enter');
  await waitIdle(page, 'init');
  assert.match(await page.textContent('#panel-init [data-out=dilemma]'), /1\/√n_in = 0\.1;/);
  assert.deepEqual(await submits(page), { 'init/xavier': 1 });
  await page.selectOption('#panel-init select[name=i_s3]', 'orthogonal');
  await waitIdle(page, 'init');
  assert.deepEqual(await submits(page), { 'init/xavier': 1, 'init/net3': 1 });
  // σ is read by the normal scheme (slot 1) alone.
  await page.fill('#panel-init input[name=i_sigma]', '0.2');
  await page.press('#panel-init input[name=i_sigma]', 'Enter');
  await waitIdle(page, 'init');
  assert.deepEqual(await submits(page), { 'init/xavier': 1, 'init/net3': 1, 'init/net1': 1 });
  await page.close();
});

test('Exploding: after Reset and five Steps, speed and the number of trials leave the animation at k = 5', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=exploding');
  await waitIdle(page, 'exploding');
  const P = '#panel-exploding';
  await page.click(`${P} [data-act=reset]`);
  for (let i = 0; i < 5; i++) await page.click(`${P} [data-act=step]`);
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 5:/);
  await countSubmits(page);
  await moveAndTime(page, 'exploding', 'x_speed', 3);
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 5:/, 'speed keeps k');
  assert.deepEqual(await submits(page), {});
  await page.fill(`${P} input[name=x_trials]`, '10');
  await page.press(`${P} input[name=x_trials]`, 'Enter');
  await waitIdle(page, 'exploding');
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 5:/, 'the fan keeps k');
  assert.deepEqual(await submits(page), { 'exploding/fan': 1 });
  assert.match(await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('#panel-exploding canvas')).data.datasets[3].label), /10 trials/);
  // A change of the trajectory shows the new one whole, as before.
  await page.fill(`${P} input[name=x_steps]`, '50');
  await page.press(`${P} input[name=x_steps]`, 'Enter');
  await waitIdle(page, 'exploding');
  assert.match(await page.textContent(`${P} [data-out=now]`), /^k = 50:/);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('a slow result is pending on the chart it will replace, which keeps its old labels until the new result is drawn', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=init&i_depth=10&i_hl=10&i_s2=none&i_s3=none&i_s4=none');
  await waitIdle(page, 'init');
  const P = '#panel-init';
  const box = `${P} [data-chart=fwd]`;
  const pointsOf = () => page.evaluate((s) => globalThis.Chart.getChart(document.querySelector(s)).data.datasets[0].data.length, box);
  assert.equal(await pointsOf(), 10);
  // A network that takes seconds: depth 200 × width 1024.
  await page.evaluate(() => {
    globalThis.__seen = [];
    const root = document.getElementById('panel-init');
    const grid = root.querySelector('[data-chart=fwd]').closest('[data-job]');
    new MutationObserver(() => {
      if ('pending' in grid.dataset) {
        globalThis.__seen.push({
          pending: grid.dataset.pending,
          busy: grid.getAttribute('aria-busy'),
          points: globalThis.Chart.getChart(root.querySelector('[data-chart=fwd]')).data.datasets[0].data.length,
          caption: root.querySelector('[data-out=histA]').textContent,
        });
      }
    }).observe(grid, { attributes: true, attributeFilter: ['data-pending'] });
  });
  await page.fill(`${P} input[name=i_width]`, '1024');
  await page.press(`${P} input[name=i_width]`, 'Enter');
  await page.fill(`${P} input[name=i_depth]`, '200');
  await page.press(`${P} input[name=i_depth]`, 'Enter');
  await page.waitForFunction(() => globalThis.__seen.length > 0, null, { timeout: 10000 });
  const [seen] = await page.evaluate(() => globalThis.__seen);
  assert.equal(seen.pending, 'Computing…', 'the chart itself says it is being recomputed');
  assert.equal(seen.busy, 'true');
  assert.equal(seen.points, 10, 'the stale chart still shows the 10 layers it was computed for');
  assert.match(seen.caption, /layer 10\b/);
  await waitIdle(page, 'init', 120000);
  assert.equal(await pointsOf(), 200);
  assert.equal(await page.locator(`${P} [data-pending]`).count(), 0);
  await page.close();
});

test('a job that runs for seconds counts them on what it will replace: Computing…, then 1 s, 2 s (en), 秒 (zh)', async () => {
  for (const [lang, unit] of [['en', ' s'], ['zh', ' 秒']]) {
    const page = await app.browser.newPage();
    await page.addInitScript(() => {
      globalThis.__labels = [];
      new MutationObserver((list) => {
        for (const m of list) {
          const v = m.target.dataset?.pending;
          if (v && globalThis.__labels.at(-1) !== v) globalThis.__labels.push(v);
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-pending'] });
    });
    await openApp(page, app.base, `lang=${lang}&testlesson=1&tab=tiny&t_wait=2600`);
    await waitIdle(page, 'tiny', 30000);
    const labels = await page.evaluate(() => globalThis.__labels);
    const counts = labels.map((l) => Number((l.match(/(\d+)/) || [])[1] ?? 0));
    assert.ok(labels.length >= 3 && counts.includes(1) && counts.includes(2), `${lang}: ${labels}`);
    assert.ok(labels.slice(1).every((l) => l.endsWith(unit)), `${lang}: ${labels}`);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'the count only rises');
    await page.close();
  }
});
