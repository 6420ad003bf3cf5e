// The Vanishing panel in real Chromium: over http and from file://, offline,
// without console errors; controls redraw, state round-trips through the URL,
// bad URL values are clamped with a notice, both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chartData, fileUrl, launch, openApp, startApp, urlParams, watch } from './browser.js';

let app;
let base;
let browser;

before(async () => {
  app = await startApp();
  ({ base, browser } = app);
});
after(() => app?.stop());

const CURVE = '#panel-vanishing canvas[data-chart=curve]';
const CHAIN = '#panel-vanishing canvas[data-chart=chain]';

for (const via of ['http', 'file']) {
  test(`over ${via}: the sigmoid figure has 160 points and its gradient peaks at 0.25 at x = 0, with no error and no outside request`, async () => {
    const page = await browser.newPage();
    const w = watch(page, via === 'http' ? base : null);
    await openApp(page, via === 'http' ? base : fileUrl(), 'lang=en');
    const y = await chartData(page, CURVE, 0);
    const g = await chartData(page, CURVE, 1);
    assert.equal(y.length, 160);
    assert.equal(y[0][0], -8);
    const best = g.reduce((a, b) => (b[1] > a[1] ? b : a));
    assert.equal(best[0], 0);
    assert.equal(best[1], 0.25);
    assert.match(await page.textContent('#panel-vanishing [data-out=curve]'), /0\.25 at x = 0/);
    const legend = await page.evaluate((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets.map((d) => d.label), CURVE);
    assert.deepEqual(legend, ['Sigmoid', 'Grad']);
    await page.selectOption('#panel-vanishing select[name=v_act]', 'relu');
    // the state reaches the URL (once changes pause: the product page has no test hook to flush it)
    await page.waitForFunction(() => /[?&#]v_act=relu(&|$)/.test(location.href), null, { timeout: 5000 });
    assert.equal((await urlParams(page)).v_act, 'relu');
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    await page.close();
  });
}

test('choosing tanh redraws both curves and writes v_act=tanh into the URL', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  await openApp(page, base, 'lang=en');
  await page.selectOption('#panel-vanishing select[name=v_act]', 'tanh');
  await page.waitForFunction((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[0].label === 'Tanh', CURVE);
  const g = await chartData(page, CURVE, 1);
  assert.equal(Math.max(...g.map((p) => p[1])), 1);
  assert.match(await page.textContent('#panel-vanishing [data-out=curve]'), /Largest gradient: 1 at x = 0/);
  assert.equal((await urlParams(page)).v_act, 'tanh');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the chain slider moves by keyboard, redraws the log chart with L points and 0.25^L as best case', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'lang=en&v_depth=10');
  assert.equal((await chartData(page, CHAIN, 0)).length, 10);
  await page.focus('#panel-vanishing input[name=v_depth-slider]');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[0].data.length === 12, CHAIN);
  const bound = await chartData(page, CHAIN, 0);
  assert.ok(Math.abs(bound[11][1] - 0.25 ** 12) < 1e-20);
  const median = await chartData(page, CHAIN, 2);
  assert.ok(median[11][1] < bound[11][1], 'the typical gradient is below the best case');
  assert.equal((await urlParams(page)).v_depth, '12');
  assert.equal(await page.inputValue('#panel-vanishing input[name=v_depth]'), '12');
  await page.close();
});

test('a link reproduces the view: every control is read from the URL and written back unchanged', async () => {
  const page = await browser.newPage();
  const query = 'lang=en&tab=vanishing&embed=0&v_act=relu&v_dtype=float64&v_depth=7&v_dist=uniform&v_mu=0.5&v_sd=2&v_samples=500&v_seed=42';
  await openApp(page, base, query);
  assert.equal(await page.inputValue('#panel-vanishing select[name=v_act]'), 'relu');
  assert.equal(await page.inputValue('#panel-vanishing select[name=v_dtype]'), 'float64');
  assert.equal(await page.inputValue('#panel-vanishing input[name=v_seed]'), '42');
  assert.deepEqual(await urlParams(page), Object.fromEntries(new URLSearchParams(query)));
  const first = await chartData(page, CHAIN, 2);
  const again = await browser.newPage();
  await openApp(again, base, query);
  assert.deepEqual(await chartData(again, CHAIN, 2), first, 'same seed, same curve');
  assert.match(await page.textContent('#panel-vanishing [data-out=chain]'), /exactly 0/);
  await page.close();
  await again.close();
});

test('out-of-range and invalid URL values are clamped or reset with a visible notice, and the page still works', async () => {
  const page = await browser.newPage();
  const w = watch(page, base);
  await openApp(page, base, 'lang=en&v_depth=999&v_act=bogus&v_sd=-3&v_seed=abc&tab=nope');
  const notices = await page.locator('#notices .notice').allTextContents();
  assert.equal(notices.length, 5);
  assert.ok(notices.some((n) => n.includes('v_depth=999') && n.includes('100')));
  assert.equal(await page.inputValue('#panel-vanishing input[name=v_depth]'), '100');
  assert.equal(await page.inputValue('#panel-vanishing select[name=v_act]'), 'sigmoid');
  assert.equal((await chartData(page, CHAIN, 0)).length, 100);
  assert.equal((await urlParams(page)).v_sd, '0.01');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('a typed value outside the range is clamped in the box with a notice beside it', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'lang=en');
  await page.fill('#panel-vanishing input[name=v_depth]', '500');
  await page.press('#panel-vanishing input[name=v_depth]', 'Enter');
  await page.waitForSelector('#panel-vanishing [data-key=v_depth] .notice');
  assert.match(await page.textContent('#panel-vanishing [data-key=v_depth] .notice'), /500 is outside 1…100; using 100/);
  assert.equal(await page.inputValue('#panel-vanishing input[name=v_depth]'), '100');
  assert.equal((await urlParams(page)).v_depth, '100');
  await page.close();
});

test('?lang=zh shows Chinese, the toggle switches to English, and the choice is kept in the URL', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'lang=zh');
  assert.equal(await page.textContent('#panel-vanishing h2'), '梯度消失');
  const label = () => page.evaluate((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[1].label, CURVE);
  assert.equal(await label(), '梯度');
  assert.match(await page.textContent('#panel-vanishing [data-out=curve]'), /最大梯度：0\.25/);
  await page.selectOption('#lang', 'en');
  assert.equal(await page.textContent('#panel-vanishing h2'), 'Vanishing gradients');
  assert.equal(await label(), 'Grad');
  assert.equal((await urlParams(page)).lang, 'en');
  await page.close();
});

test('every chart shows both axis titles from its first draw, in either language', async () => {
  // Chart.js applies option changes at the next update: titles set after the
  // data would only appear after the second draw.  The scale's resolved
  // options are what the last draw used.
  const page = await browser.newPage();
  const drawnTitles = (tab) => page.evaluate((id) => [...document.querySelectorAll(`#panel-${id} canvas`)].map((c) => {
    const { x, y } = globalThis.Chart.getChart(c).scales;
    return [x.options.title.display && x.options.title.text, y.options.title.display && y.options.title.text];
  }), tab);
  for (const tab of ['vanishing', 'exploding', 'init']) {
    await openApp(page, base, `lang=zh&tab=${tab}`);
    const zh = await drawnTitles(tab);
    assert.ok(zh.length > 0, tab);
    for (const [x, y] of zh) assert.ok(x && y, `${tab}: a chart was drawn without axis titles: ${JSON.stringify(zh)}`);
    await page.selectOption('#lang', 'en');
    const en = await drawnTitles(tab);
    for (const [x, y] of en) assert.ok(x && y, `${tab}: a chart lost its axis titles: ${JSON.stringify(en)}`);
    assert.notDeepEqual(en, zh, `${tab}: titles did not change language`);
  }
  await page.close();
});

test('without ?lang the page follows the browser language (zh-CN → Chinese)', async () => {
  const zh = await launch({ locale: 'zh-CN' });
  try {
    await openApp(zh.page, base);
    assert.equal(await zh.page.textContent('#panel-vanishing h2'), '梯度消失');
    assert.equal(await zh.page.getAttribute('html', 'lang'), 'zh-CN');
  } finally {
    await zh.browser.close();
  }
});

test('?embed=1 hides the page chrome for course pages but the language menu, and keeps the panel working', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'lang=en&embed=1&tab=vanishing');
  assert.equal(await page.isVisible('header.top .tagline'), false);
  assert.equal(await page.isVisible('#theme'), false);
  assert.equal(await page.isVisible('#lang'), true, 'a reader of a course page may switch the language');
  assert.equal(await page.getAttribute('#lang', 'aria-label') ?? (await page.textContent('label[for=lang]')), 'Language');
  assert.equal(await page.isVisible('[role=tablist]'), false);
  // the page's h1 stays for screen readers, out of sight
  assert.ok((await page.locator('h1').boundingBox()).width <= 1);
  assert.equal(await page.isVisible('footer'), false);
  assert.equal((await chartData(page, CURVE, 0)).length, 160);
  assert.equal((await urlParams(page)).embed, '1');
  await page.close();
});

test('hovering the curve shows a tooltip with x and both values', async () => {
  const page = await browser.newPage();
  await openApp(page, base, 'lang=en');
  const box = await page.locator(CURVE).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction((sel) => globalThis.Chart.getChart(document.querySelector(sel)).tooltip.getActiveElements().length > 0, CURVE);
  const tip = await page.evaluate((sel) => {
    const t = globalThis.Chart.getChart(document.querySelector(sel)).tooltip;
    return { title: t.title, body: t.body.flatMap((b) => b.lines) };
  }, CURVE);
  assert.match(tip.title.join(' '), /^x = -?\d/);
  assert.equal(tip.body.length, 2);
  assert.match(tip.body[0], /^Sigmoid: \d/);
  assert.match(tip.body[1], /^Grad: \d/);
  await page.close();
});

test('without Web Workers the same jobs run on the main thread and the page still works', async () => {
  const page = await browser.newPage();
  await page.addInitScript(() => { delete globalThis.Worker; });
  const w = watch(page, base);
  await openApp(page, base, 'lang=en&tab=vanishing');
  assert.equal(await page.getAttribute('body', 'data-worker'), '0');
  const g = await chartData(page, CURVE, 1);
  assert.equal(Math.max(...g.map((p) => p[1])), 0.25);
  await page.selectOption('#panel-vanishing select[name=v_act]', 'relu');
  await page.waitForFunction((sel) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[0].label === 'ReLU', CURVE);
  assert.deepEqual(w.errors, []);
  await page.close();
});
