// The Xavier-derivation lesson in real Chromium: over http and from file://,
// offline and without console errors; every step is MathML (KaTeX, rendered
// at build time: no font or stylesheet is fetched), the core's Monte-Carlo
// figures agree with their formulas within 3 SE, a control or preset reruns
// them (and d2l's formula then disagrees), en/zh, and the URL round-trips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileUrl, openApp, startApp, urlParams, waitIdle, watch } from './browser.js';

let app;
before(async () => { app = await startApp(); });
after(() => app?.stop());

const PANEL = '#panel-xavier';

/** Every row of the table: {row, agree, m, se, f, math (a <math> element inside)}. */
const rows = (page) => page.$$eval(`${PANEL} tbody tr`, (trs) => trs.map((tr) => ({
  row: tr.dataset.row, agree: tr.dataset.agree, m: Number(tr.dataset.m), se: Number(tr.dataset.se), f: Number(tr.dataset.f),
  math: tr.querySelector('.math math') !== null, verdict: tr.querySelector('[data-cell=verdict]').textContent,
})));

/** The drawn table's rows by name, once the lesson has computed and drawn. */
async function drawn(page) {
  await waitIdle(page, 'xavier');
  return Object.fromEntries((await rows(page)).map((r) => [r.row, r]));
}

for (const via of ['http', 'file']) {
  test(`over ${via}: ten steps as MathML, each Monte-Carlo figure within 3 SE of its formula, no error and no outside request`, async () => {
    const page = await app.browser.newPage();
    const w = watch(page, via === 'http' ? app.base : null);
    await openApp(page, via === 'http' ? app.base : fileUrl(), 'lang=en&tab=xavier');
    const r = await drawn(page);
    assert.deepEqual(Object.keys(r), ['model', 'mean', 'varD2l', 'varInd', 'varDep', 'xsq', 'fwd', 'bwd', 'compromise', 'uniform']);
    assert.ok(Object.values(r).every((x) => x.math), 'every step is a <math> element');
    // MathML laid out by the browser: the formula has a real size
    const box = await page.locator(`${PANEL} tr[data-row=varD2l] math`).boundingBox();
    assert.ok(box.width > 100 && box.height > 10, JSON.stringify(box));
    for (const k of ['mean', 'varD2l', 'varInd', 'varDep', 'xsq', 'bwd', 'uniform']) {
      const x = r[k];
      assert.equal(x.agree, '1', `${k}: ${x.m} ± ${x.se} vs ${x.f}`);
      assert.ok(Math.abs(x.m - x.f) <= 3 * x.se + 1e-6 * Math.abs(x.f), k);
      assert.ok(x.se > 0 && x.se < 0.05 * Math.max(Math.abs(x.f), Math.sqrt(1.6)), `${k}: SE ${x.se} is small`);
      assert.match(x.verdict, /^agrees \(/);
    }
    // 256 → 64 with Xavier σ: Var[o] = 256 · 2/320 = 1.6, backward 64 · 2/320 = 0.4
    assert.ok(Math.abs(r.varD2l.f - 1.6) < 1e-12 && Math.abs(r.bwd.f - 0.4) < 1e-12);
    assert.match(await page.textContent(`${PANEL} tr[data-row=compromise]`), /n_in σ² = 1\.6, n_out σ² = 0\.4/);
    assert.match(await page.textContent(`${PANEL} [data-out=honest]`), /neither is 1/);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    await page.close();
  });
}

test('the "x not zero-mean" preset reruns the core: d2l\'s n_in σ² γ² disagrees, n_in σ² E[x²] agrees, and the URL says μ = 1', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=xavier');
  const before = await drawn(page);
  await page.click(`${PANEL} button[data-preset=mean]`);
  await page.waitForFunction((sel) => document.querySelector(`${sel} tr[data-row=varD2l]`).dataset.agree === '0', PANEL);
  const r = await drawn(page);
  assert.notEqual(r.varInd.m, before.varInd.m);
  assert.equal(r.varInd.agree, '1');
  assert.equal(r.varDep.agree, '1');
  assert.ok(Math.abs(r.varInd.f - 3.2) < 1e-12, 'n_in σ² (γ² + μ²) = 1.6 · 2');
  assert.ok(Math.abs(r.varD2l.m - r.varD2l.f) > 10 * r.varD2l.se);
  assert.match(r.varD2l.verdict, /^disagrees/);
  assert.equal((await urlParams(page)).xd_mu, '1');
  assert.equal(await page.inputValue(`${PANEL} input[name=xd_mu]`), '1');
  await page.click(`${PANEL} button[data-preset=relu]`);
  await page.waitForFunction((sel) => Math.abs(Number(document.querySelector(`${sel} tr[data-row=xsq]`).dataset.f) - 0.5) < 1e-12, PANEL);
  const relu = await drawn(page);
  assert.equal(relu.xsq.agree, '1', 'E[x²] = ½E[z²] measured');
  assert.equal(relu.varD2l.agree, '0');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the keyboard moves n_in and the Xavier checkbox; unticked, σ is read from its own control', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=xavier&xd_nin=64&xd_nout=64');
  let r = await drawn(page);
  assert.equal(await page.textContent(`${PANEL} tr[data-row=fwd] [data-cell=verdict]`), '= 1');
  await page.focus(`${PANEL} input[name=xd_xs]`);
  await page.keyboard.press('Space');
  await page.fill(`${PANEL} input[name=xd_sigma]`, '0.25');
  await page.press(`${PANEL} input[name=xd_sigma]`, 'Enter');
  await page.waitForFunction((sel) => Math.abs(Number(document.querySelector(`${sel} tr[data-row=varD2l]`).dataset.f) - 4) < 1e-12, PANEL);
  r = await drawn(page);
  assert.equal(r.varD2l.agree, '1');
  assert.equal(await page.textContent(`${PANEL} tr[data-row=fwd] [data-cell=verdict]`), 'not 1');
  const u = await urlParams(page);
  assert.equal(u.xd_xs, '0');
  assert.equal(u.xd_sigma, '0.25');
  await page.close();
});

test('a link reproduces the view: the same query gives the same figures, and is written back unchanged', async () => {
  const query = 'lang=en&tab=xavier&embed=0&xd_nin=100&xd_nout=300&xd_xs=0&xd_sigma=0.1&xd_wd=laplace&xd_xd=uniform&xd_mu=0.5&xd_gamma=2&xd_rhow=0.25&xd_rhox=0.5&xd_delta=0.5&xd_samples=5000&xd_seed=42&xd_dtype=float64';
  const page = await app.browser.newPage();
  await openApp(page, app.base, query);
  const first = await drawn(page);
  assert.deepEqual(await urlParams(page), Object.fromEntries(new URLSearchParams(query)));
  assert.equal(await page.inputValue(`${PANEL} select[name=xd_wd]`), 'laplace');
  assert.equal(first.varDep.agree, '1');
  const again = await app.browser.newPage();
  await openApp(again, app.base, query);
  assert.deepEqual(await drawn(again), first);
  await page.close();
  await again.close();
});

test('?lang=zh shows the lesson in Chinese with the same MathML, and the toggle switches back', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=zh&tab=xavier');
  await drawn(page);
  assert.equal(await page.textContent('#tab-xavier'), 'Xavier 初始化的推导');
  assert.equal(await page.textContent(`${PANEL} h2`), 'Xavier 初始化的推导');
  assert.match(await page.textContent(`${PANEL} tr[data-row=varD2l] [data-cell=verdict]`), /^一致/);
  assert.equal(await page.locator(`${PANEL} .math math`).count(), 10);
  await page.selectOption('#lang', 'en');
  await page.waitForFunction((sel) => /^agrees/.test(document.querySelector(`${sel} tr[data-row=varD2l] [data-cell=verdict]`).textContent), PANEL);
  assert.equal(await page.textContent('#tab-xavier'), 'Xavier derivation');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('too much work is refused by the core with its message, and the page keeps working', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=xavier&xd_nin=4096&xd_nout=4096&xd_samples=100000');
  await waitIdle(page, 'xavier');
  assert.match(await page.textContent(`${PANEL} [data-out=refused]`), /draws, more than the cap/);
  await page.fill(`${PANEL} input[name=xd_samples]`, '1000');
  await page.press(`${PANEL} input[name=xd_samples]`, 'Enter');
  await page.waitForFunction((sel) => document.querySelector(`${sel} [data-out=refused]`).hidden, PANEL);
  assert.equal((await drawn(page)).varD2l.agree, '1');
  assert.deepEqual(w.errors, []);
  await page.close();
});
