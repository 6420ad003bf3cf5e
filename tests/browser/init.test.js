// The Initialization panel in real Chromium: over http and from file://,
// offline, without console errors; the measured per-layer variances agree with
// the mean-field theory, controls (slider, buttons, keyboard) redraw and reach
// the URL, the memory cap is shown without breaking the page, bad URL values
// are clamped with a notice, both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chartData, fileUrl, openApp, startApp, urlParams, waitIdle, watch } from './browser.js';

let app;
let base;
let browser;

before(async () => {
  app = await startApp();
  ({ base, browser } = app);
});
after(() => app?.stop());

const PANEL = '#panel-init';
const FWD = `${PANEL} canvas[data-chart=fwd]`;
const BWD = `${PANEL} canvas[data-chart=bwd]`;
const HIST_A = `${PANEL} canvas[data-chart=histA]`;
const HIST_G = `${PANEL} canvas[data-chart=histG]`;
const UNIFORM = `${PANEL} canvas[data-chart=uniform]`;
// The panel computes four MLPs per update: give it time, but never sleep blindly.
const SLOW = { timeout: 30000 };

/** Opens the Initialization tab and waits until the panel has drawn once. */
async function openInit(page, where, query = '') {
  await openApp(page, where, `tab=init${query ? `&${query}` : ''}`);
  await page.waitForFunction(
    (p) => document.querySelector(`${p} [data-out=dilemma]`)?.textContent.length > 0,
    PANEL, SLOW,
  );
}

/** watch() from browser.js, remembered per page so waitDrawn can report errors already seen. */
const watched = new WeakMap();
function watchPage(page, origin) {
  const w = watch(page, origin);
  watched.set(page, w);
  return w;
}

/** [{label, n}] for every dataset of the chart on `sel`. */
function datasets(page, sel) {
  return page.evaluate((s) => globalThis.Chart.getChart(document.querySelector(s)).data.datasets
    .map((d) => ({ label: d.label, n: d.data.length })), sel);
}

/** Points [[x, y]] of the dataset of `sel` whose label is exactly `label`. */
async function seriesByLabel(page, sel, label) {
  const all = await datasets(page, sel);
  const i = all.findIndex((d) => d.label === label);
  assert.ok(i >= 0, `no dataset '${label}' in ${sel}; have ${all.map((d) => d.label).join(' | ')}`);
  return chartData(page, sel, i);
}

/**
 * Waits until pred(arg) holds in the page.  If the panel shows its generic
 * error box instead (an update threw) or the page throws an uncaught
 * exception, fails at once with that message rather than a bare timeout.
 */
async function waitDrawn(page, pred, arg) {
  const seen = watched.get(page)?.errors ?? [];
  assert.deepEqual(seen, [], 'the page threw or logged an error before redrawing');
  const never = () => new Promise(() => {});
  const ok = page.waitForFunction(pred, arg, SLOW).then(() => null);
  ok.catch(() => {});
  const boxed = page.waitForSelector(`${PANEL} > .error:not([data-out])`, SLOW)
    .then(async (h) => `the panel shows an error instead of redrawing: ${await h.textContent()}`, never);
  const thrown = page.waitForEvent('pageerror', SLOW)
    .then((e) => `the page threw instead of redrawing: ${e.message}`, never);
  const msg = await Promise.race([ok, boxed, thrown]);
  assert.equal(msg, null, msg);
}

/** Waits until every dataset of the chart on `sel` has n points (and there is at least one). */
function waitPoints(page, sel, n) {
  return waitDrawn(page, ([s, k]) => {
    const c = globalThis.Chart.getChart(document.querySelector(s));
    return c && c.data.datasets.length > 0 && c.data.datasets.every((d) => d.data.length === k);
  }, [sel, n]);
}

/** Texts of the legend items Chart.js shows for the chart on `sel`. */
function legend(page, sel) {
  return page.evaluate((s) => globalThis.Chart.getChart(document.querySelector(s)).legend.legendItems
    .map((it) => it.text), sel);
}

const EN = {
  normal: 'normal N(0, σ²)',
  xavier_normal: 'Xavier (Glorot) normal',
  kaiming_normal: 'Kaiming (He) normal',
  torch_default: 'PyTorch nn.Linear default',
};
const DEFAULT_NAMES = [EN.normal, EN.xavier_normal, EN.kaiming_normal, EN.torch_default];

for (const via of ['http', 'file']) {
  test(`over ${via}: the forward chart shows the 4 default schemes measured and in theory, i_depth points each, with no error and no outside request`, async () => {
    const page = await browser.newPage();
    const w = watchPage(page, via === 'http' ? base : null);
    await openInit(page, via === 'http' ? base : fileUrl(), 'lang=en&i_depth=12');
    assert.equal(await page.isVisible(PANEL), true);
    assert.equal(await page.textContent(`${PANEL} h2`), 'Parameter initialization');
    await waitPoints(page, FWD, 12);
    const ds = await datasets(page, FWD);
    const measured = ds.filter((d) => !d.label.startsWith('_'));
    const theory = ds.filter((d) => d.label.startsWith('_'));
    assert.deepEqual(measured.map((d) => d.label), DEFAULT_NAMES);
    assert.deepEqual(theory.map((d) => d.label), DEFAULT_NAMES.map((n) => `_${n} (theory)`));
    for (const d of ds) assert.equal(d.n, 12, `${d.label} has one point per layer`);
    assert.deepEqual(await legend(page, FWD), DEFAULT_NAMES, 'theory lines stay out of the legend');
    const first = await chartData(page, FWD, 0);
    assert.deepEqual(first.map((p) => p[0]), Array.from({ length: 12 }, (_, i) => i + 1), 'x is the layer 1…L');
    assert.ok(first.every((p) => p[1] === null || (Number.isFinite(p[1]) && p[1] > 0)), 'variances are positive or a gap');
    await waitPoints(page, BWD, 12);
    assert.equal((await datasets(page, BWD)).length, 8);
    assert.equal(await page.locator(`${PANEL} [data-out=memory]`).count(), 1, 'the memory box survives the first draw');
  assert.equal(await page.isHidden(`${PANEL} [data-out=memory]`), true, 'and stays hidden under the cap');
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    await page.close();
  });
}

test('with ReLU, Kaiming keeps Var(z_l) flat over 10 layers while Xavier halves it at every layer, in measurement and in theory', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base,
    'lang=en&i_act=relu&i_s1=kaiming_normal&i_s2=xavier_normal&i_s3=none&i_s4=none&i_width=256&i_batch=128&i_depth=10');
  await waitPoints(page, FWD, 10);
  assert.equal((await datasets(page, FWD)).length, 4, 'two schemes, each measured and in theory');
  const kaiming = await seriesByLabel(page, FWD, EN.kaiming_normal);
  const xavier = await seriesByLabel(page, FWD, EN.xavier_normal);
  // Measured: 128 samples × 256 units give a variance estimate per layer with a
  // relative error of a few percent, compounded over 9 layers through random
  // 256-wide matrices (each σ_w² draw itself varies by ≈ √(2/256) ≈ 9%): a
  // factor 3 around 1 for Kaiming and a factor 4 around 2^-9 for Xavier are
  // far outside that noise yet far from the other scheme's behaviour.
  const kRatio = kaiming[9][1] / kaiming[0][1];
  assert.ok(kRatio > 1 / 3 && kRatio < 3, `Kaiming z_var(10)/z_var(1) = ${kRatio} should stay within a factor 3 of 1`);
  const xRatio = xavier[9][1] / xavier[0][1];
  assert.ok(xRatio > 2 ** -9 / 4 && xRatio < 2 ** -9 * 4, `Xavier z_var(10)/z_var(1) = ${xRatio} should be ≈ 2^-9 = ${2 ** -9}`);
  // Theory (mean field): σ_w² = 2 with ReLU keeps q constant; σ_w² = 1 halves it.
  const kTheory = await seriesByLabel(page, FWD, `_${EN.kaiming_normal} (theory)`);
  const xTheory = await seriesByLabel(page, FWD, `_${EN.xavier_normal} (theory)`);
  for (const [, y] of kTheory) assert.ok(Math.abs(y / kTheory[0][1] - 1) < 1e-9, `Kaiming theory is flat: ${y} vs ${kTheory[0][1]}`);
  for (let l = 1; l < 10; l++) {
    const r = xTheory[l][1] / xTheory[l - 1][1];
    assert.ok(Math.abs(r - 0.5) < 1e-6, `Xavier theory halves from layer ${l} to ${l + 1}: ratio ${r}`);
  }
  // The measurement follows its own theory at layer 1 (a 128×256 sample of z).
  assert.ok(Math.abs(kaiming[0][1] / kTheory[0][1] - 1) < 0.3, `Kaiming layer 1: ${kaiming[0][1]} vs theory ${kTheory[0][1]}`);
  assert.ok(Math.abs(xavier[0][1] / xTheory[0][1] - 1) < 0.3, `Xavier layer 1: ${xavier[0][1]} vs theory ${xTheory[0][1]}`);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the depth slider moves by keyboard, redraws both charts with the new number of layers and writes i_depth to the URL', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en&i_depth=30');
  await waitPoints(page, FWD, 30);
  await page.focus(`${PANEL} input[name=i_depth-slider]`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await waitPoints(page, FWD, 32);
  await waitPoints(page, BWD, 32);
  assert.equal((await datasets(page, FWD)).length, 8);
  assert.equal((await urlParams(page)).i_depth, '32');
  assert.equal(await page.inputValue(`${PANEL} input[name=i_depth]`), '32');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('with GELU the gain button is disabled and says that torch.nn.init.calculate_gain has no gain for it (en, zh)', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  const button = `${PANEL} button[data-act=recommend]`;
  await openInit(page, base, 'lang=en&i_act=gelu');
  assert.equal((await page.textContent(button)).trim(), 'No recommended gain for GELU (erf): torch.nn.init.calculate_gain has none');
  assert.equal(await page.isDisabled(button), true);
  await openInit(page, base, 'lang=zh&i_act=gelu');
  assert.match(await page.textContent(button), /没有推荐增益.*calculate_gain/);
  assert.equal(await page.isDisabled(button), true);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the "Gain recommended for tanh: 1.667" button unchecks the default gain and sets the gain to 5/3, in the box and in the URL', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en');
  const button = `${PANEL} button[data-act=recommend]`;
  assert.equal((await page.textContent(button)).trim(), 'Gain recommended for tanh: 1.667');
  assert.equal(await page.isChecked(`${PANEL} input[name=i_gdef]`), true);
  // Xavier's theory line starts at σ_w² = n·gain²·2/(2n) = gain²: 1 before, (5/3)² after.
  const xTheory = `_${EN.xavier_normal} (theory)`;
  assert.ok(Math.abs((await seriesByLabel(page, FWD, xTheory))[0][1] - 1) < 1e-9, 'default gain 1');
  await page.click(button);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('i_gdef') === '0', null, SLOW);
  assert.equal(await page.isChecked(`${PANEL} input[name=i_gdef]`), false);
  const gain = Number(await page.inputValue(`${PANEL} input[name=i_gain]`));
  assert.equal(gain.toPrecision(6), (5 / 3).toPrecision(6));
  const url = await urlParams(page);
  assert.equal(url.i_gdef, '0');
  assert.equal(Number(url.i_gain).toPrecision(6), (5 / 3).toPrecision(6));
  await waitDrawn(page, ([s, l]) => {
    const d = globalThis.Chart.getChart(document.querySelector(s)).data.datasets.find((x) => x.label === l);
    return Math.abs(d.data[0].y - 25 / 9) < 1e-3;
  }, [FWD, xTheory]);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('constant init in scheme 4 makes every hidden unit identical (spread exactly 0) while the random schemes show a positive spread', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en&i_depth=8');
  const rows = () => page.locator(`${PANEL} [data-out=sym] li`).allTextContents();
  assert.equal((await rows()).length, 4);
  assert.ok((await rows()).every((r) => !r.includes('exactly 0')), 'no random scheme is symmetric');
  await page.click(`${PANEL} button[data-act=constant]`);
  await waitDrawn(page, (p) => [...document.querySelectorAll(`${p} [data-out=sym] li`)]
    .some((li) => li.textContent.startsWith('constant:')), PANEL);
  assert.equal(await page.inputValue(`${PANEL} select[name=i_s4]`), 'constant');
  assert.equal((await urlParams(page)).i_s4, 'constant');
  const sym = await rows();
  assert.equal(sym.length, 4);
  assert.equal(sym[3], 'constant: every hidden unit of every layer is identical (spread exactly 0) — the network behaves like one unit per layer.');
  for (const [i, name] of [EN.normal, EN.xavier_normal, EN.kaiming_normal].entries()) {
    const m = sym[i].match(/^(.+): largest spread between units, over all layers: (\S+)$/);
    assert.ok(m, `row ${i + 1} reports a spread: ${sym[i]}`);
    assert.equal(m[1], name);
    assert.ok(Number(m[2]) > 0, `${name} spread ${m[2]} is positive`);
  }
  // Constant weights are not random: no theory line for them, and the page says why.
  const labels = (await datasets(page, FWD)).map((d) => d.label);
  assert.ok(labels.includes('constant') && !labels.includes('_constant (theory)'));
  assert.match(await page.textContent(`${PANEL} [data-out=notheory]`), /No mean-field line for constant init/);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('the histograms have one curve per active scheme and their caption follows the chosen layer, clamped to the depth', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en&i_depth=12&i_s3=none');
  const names = [EN.normal, EN.xavier_normal, EN.torch_default];
  // a scheme whose values are 10^k times smaller is drawn magnified and says so: "… (x ×10²)"
  const scheme = (d) => d.label.replace(/ \(x ×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+\)$/, '');
  assert.deepEqual((await datasets(page, HIST_A)).map(scheme), names);
  assert.deepEqual((await datasets(page, HIST_G)).map(scheme), names);
  for (const d of await datasets(page, HIST_A)) assert.equal(d.n, 60, 'one point per bin');
  assert.equal(await page.textContent(`${PANEL} [data-out=histA]`), 'activations a_l at layer 10');
  assert.equal(await page.textContent(`${PANEL} [data-out=histG]`), 'gradients ∂ℓ/∂z_l at layer 10');
  const layer10 = await chartData(page, HIST_A, 0);
  await page.fill(`${PANEL} input[name=i_hl]`, '3');
  await page.press(`${PANEL} input[name=i_hl]`, 'Enter');
  await waitDrawn(page, (p) => document.querySelector(`${p} [data-out=histA]`).textContent.endsWith('layer 3'), PANEL);
  assert.equal(await page.textContent(`${PANEL} [data-out=histG]`), 'gradients ∂ℓ/∂z_l at layer 3');
  assert.notDeepEqual(await chartData(page, HIST_A, 0), layer10, 'the histogram is of another layer');
  assert.equal((await urlParams(page)).i_hl, '3');
  // A layer beyond the depth shows the last layer.
  await page.fill(`${PANEL} input[name=i_hl]`, '50');
  await page.press(`${PANEL} input[name=i_hl]`, 'Enter');
  await waitDrawn(page, (p) => document.querySelector(`${p} [data-out=histA]`).textContent.endsWith('layer 12'), PANEL);
  assert.equal((await datasets(page, HIST_A)).length, 3);
  assert.deepEqual(w.errors, []);
  await page.close();

  const deep = await browser.newPage();
  await openInit(deep, base, 'lang=en&i_depth=5&i_hl=40');
  assert.equal(await deep.textContent(`${PANEL} [data-out=histA]`), 'activations a_l at layer 5');
  assert.equal((await datasets(deep, HIST_G)).length, 4);
  await deep.close();
});

test('the Xavier compromise for n_in = 256, n_out = 64: σ = √(2/320), a = √(6/320), and every sampled weight lies in ±a', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en&i_nin=256&i_nout=64');
  const dil = await page.textContent(`${PANEL} [data-out=dilemma]`);
  assert.equal(Math.sqrt(2 / 320).toPrecision(4), '0.07906');
  assert.match(dil, /Xavier takes σ = 0\.07906 /);
  assert.match(dil, /1\/√n_in = 0\.0625;/);
  assert.match(dil, /1\/√n_out = 0\.125;/);
  const uni = await page.textContent(`${PANEL} [data-out=uniform]`);
  assert.equal(Math.sqrt(6 / 320).toPrecision(4), '0.1369');
  assert.match(uni, /^a = 0\.1369 /);
  assert.match(uni, /the sampled 16384 weights/);
  const a = Math.sqrt(6 / 320);
  const sampled = await seriesByLabel(page, UNIFORM, 'sampled weights');
  assert.ok(sampled.length > 0);
  for (const [x, y] of sampled) {
    if (Math.abs(x) > a * 1.01) assert.ok(y === null || y === 0, `no mass at w = ${x} outside ±a (y = ${y})`);
  }
  // The densities integrate to 1: no sampled weight fell outside the bins.
  const width = sampled[1][0] - sampled[0][0];
  const mass = sampled.reduce((s, [, y]) => s + (y ?? 0) * width, 0);
  assert.ok(Math.abs(mass - 1) < 1e-9, `histogram mass ${mass} should be 1`);
  // min and max in the readout are inside ±a too.
  const [, min, max] = uni.match(/min (\S+), max (\S+?)\.$/);
  assert.ok(Number(min) >= -a && Number(max) <= a, `min ${min}, max ${max} within ±${a}`);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('a network past the work budget is lowered before it runs: the width control shows the value used and says why, in en and zh', async () => {
  // Issue 14, item 2: float64 at depth 200 × width 1024 × batch 256 (four
  // networks, ~27 times the budget; the memory cap is never reached on the page)
  for (const [lang, said] of [['en', /^Width n: 1024 with these settings is more work than the page runs at once \(about 19 s\); using (\d+)\.$/],
    ['zh', /^宽度 n：在当前设置下 1024 的计算量超过页面一次运行的上限（约 19 秒），已改用 (\d+)。$/]]) {
    const page = await browser.newPage();
    const w = watchPage(page, base);
    await openInit(page, base, `lang=${lang}&i_dtype=float64&i_depth=200&i_width=1024&i_batch=256`);
    // values from the link: the notice stays at the top of the page (one, for the width)
    const notices = await page.locator('#notices .notice').allTextContents();
    assert.equal(notices.length, 1, notices.join('\n'));
    const used = notices[0].replace(/\s*×$/, '').match(said);
    assert.ok(used, notices[0]);
    assert.equal(await page.inputValue(`${PANEL} input[name=i_width]`), used[1]);
    assert.ok(Number(used[1]) < 1024 && Number(used[1]) > 50);
    await waitPoints(page, FWD, 200);
    await waitIdle(page, 'init');
    assert.equal((await urlParams(page)).i_width, used[1]);
    assert.equal(await page.isHidden(`${PANEL} [data-out=memory]`), true, 'no refusal: nothing past the memory cap ran');
    // a change within the budget is taken as typed; one past it is lowered with a notice under the control
    await page.fill(`${PANEL} input[name=i_width]`, '32');
    await page.press(`${PANEL} input[name=i_width]`, 'Enter');
    await waitIdle(page, 'init');
    assert.equal(await page.inputValue(`${PANEL} input[name=i_width]`), '32');
    await page.fill(`${PANEL} input[name=i_width]`, '1000');
    await page.press(`${PANEL} input[name=i_width]`, 'Enter');
    const under = page.locator(`${PANEL} [data-key=i_width] .notice`);
    await under.waitFor();
    assert.match(await under.textContent(), lang === 'en' ? /^Width n: 1000 with these settings/ : /^宽度 n：在当前设置下 1000 /);
    assert.equal(await page.inputValue(`${PANEL} input[name=i_width]`), used[1]);
    await waitIdle(page, 'init');
    assert.deepEqual(w.errors, []);
    await page.close();
  }
});

test('a link reproduces the view: every i_* key is read from the URL and written back unchanged', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  const query = 'lang=en&tab=init&i_s1=orthogonal&i_s2=lecun_normal&i_s3=kaiming_uniform&i_s4=uniform&i_act=relu'
    + '&i_depth=12&i_width=64&i_batch=32&i_sigma=0.2&i_gdef=0&i_gain=1.5&i_value=-0.25&i_seed=7&i_dtype=float64'
    + '&i_fwd=a_var&i_bwd=grad_w_var&i_hl=4&i_nin=100&i_nout=300';
  await openApp(page, base, query);
  await waitPoints(page, FWD, 12);
  const want = Object.fromEntries(new URLSearchParams(query));
  const got = await urlParams(page);
  for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `${k} comes back unchanged`);
  assert.equal(await page.inputValue(`${PANEL} select[name=i_s1]`), 'orthogonal');
  assert.equal(await page.inputValue(`${PANEL} select[name=i_fwd]`), 'a_var');
  assert.equal(await page.inputValue(`${PANEL} input[name=i_gain]`), '1.5');
  assert.equal(await page.isChecked(`${PANEL} input[name=i_gdef]`), false);
  assert.equal(await page.inputValue(`${PANEL} input[name=i_nout]`), '300');
  assert.equal(await page.textContent(`${PANEL} [data-out=histA]`), 'activations a_l at layer 4');
  // a_var has no theory line: only the four measured curves.
  assert.deepEqual((await datasets(page, FWD)).map((d) => d.label),
    ['orthogonal', 'LeCun normal', 'Kaiming (He) uniform', 'uniform U(−σ√3, σ√3)']);
  assert.equal(await page.locator('#notices .notice').count(), 0);
  const first = await chartData(page, FWD, 0);
  const again = await browser.newPage();
  await openApp(again, base, query);
  await waitPoints(again, FWD, 12);
  assert.deepEqual(await chartData(again, FWD, 0), first, 'same seed, same curve');
  assert.deepEqual(w.errors, []);
  await page.close();
  await again.close();
});

test('invalid and out-of-range i_* values in the URL are reset or clamped with a notice each, and the panel still draws', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en&i_s1=bogus&i_width=99999&i_sigma=abc&i_depth=6');
  const notices = await page.locator('#notices .notice').allTextContents();
  assert.equal(notices.length, 3, notices.join('\n'));
  assert.ok(notices.some((n) => n.includes('i_s1=bogus') && n.includes('reset to normal')), notices.join('\n'));
  assert.ok(notices.some((n) => n.includes('i_width=99999') && n.includes('1024')), notices.join('\n'));
  assert.ok(notices.some((n) => n.includes('i_sigma=abc') && n.includes('0.05')), notices.join('\n'));
  assert.equal(await page.inputValue(`${PANEL} select[name=i_s1]`), 'normal');
  assert.equal(await page.inputValue(`${PANEL} input[name=i_width]`), '1024');
  assert.equal(await page.inputValue(`${PANEL} input[name=i_sigma]`), '0.05');
  const url = await urlParams(page);
  assert.deepEqual([url.i_s1, url.i_width, url.i_sigma], ['normal', '1024', '0.05']);
  await waitPoints(page, FWD, 6);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('?lang=zh shows the panel in Chinese, and switching to English relabels the chart legend', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=zh');
  assert.equal(await page.textContent(`${PANEL} h2`), '参数初始化');
  assert.ok((await legend(page, FWD)).includes('Xavier（Glorot）正态'));
  assert.equal(await page.textContent(`${PANEL} [data-key=i_s1] label`), '方法 1');
  await page.selectOption('#lang', 'en');
  await waitDrawn(page, (s) => globalThis.Chart.getChart(document.querySelector(s)).legend.legendItems
    .some((it) => it.text === 'Xavier (Glorot) normal'), FWD);
  assert.deepEqual(await legend(page, FWD), DEFAULT_NAMES);
  assert.equal(await page.textContent(`${PANEL} h2`), 'Parameter initialization');
  assert.equal(await page.textContent(`${PANEL} [data-key=i_s1] label`), 'Scheme 1');
  assert.equal((await page.textContent(`${PANEL} button[data-act=recommend]`)).trim(), 'Gain recommended for tanh: 1.667');
  assert.equal((await urlParams(page)).lang, 'en');
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('Tab reaches the scheme selects, and ArrowDown on a focused select changes the scheme and redraws the chart', async () => {
  const page = await browser.newPage();
  const w = watchPage(page, base);
  await openInit(page, base, 'lang=en&i_depth=6');
  await page.focus('#lang');
  let name = null;
  for (let i = 0; i < 30 && name !== 'i_s1'; i++) {
    await page.keyboard.press('Tab');
    name = await page.evaluate(() => document.activeElement?.getAttribute('name'));
  }
  assert.equal(name, 'i_s1', 'the first scheme select is reachable by Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'i_s2', 'the next Tab reaches scheme 2');
  assert.equal(await page.inputValue(`${PANEL} select[name=i_s2]`), 'xavier_normal');
  await page.keyboard.press('ArrowDown');
  // The option after xavier_normal in the list is kaiming_uniform.
  await waitDrawn(page, (s) => globalThis.Chart.getChart(document.querySelector(s)).data.datasets
    .some((d) => d.label === 'Kaiming (He) uniform'), FWD);
  assert.equal(await page.inputValue(`${PANEL} select[name=i_s2]`), 'kaiming_uniform');
  assert.equal((await urlParams(page)).i_s2, 'kaiming_uniform');
  const labels = (await datasets(page, FWD)).map((d) => d.label).filter((l) => !l.startsWith('_'));
  assert.deepEqual(labels, [EN.normal, 'Kaiming (He) uniform', EN.kaiming_normal, EN.torch_default]);
  await waitPoints(page, FWD, 6);
  assert.deepEqual(w.errors, []);
  await page.close();
});

/**
 * The order in which the charts of the next redraw are updated, with a
 * 'probe' message posted when the first one starts: where the probe falls
 * shows where the drawing let other tasks (input) in.  Each chart update is
 * made to cost `cost` ms — on top of Chart.js's own work, or instead of it
 * when `real` is false — so that the test does not depend on this machine's
 * speed.
 */
async function redrawOrder(page, query, depth, cost, real = true) {
  await openInit(page, base, query);
  return page.evaluate(async ([panel, d, ms, drawReally]) => {
    const root = document.querySelector(panel);
    const order = [];
    const C = globalThis.Chart;
    const update = C.prototype.update;
    let probed;
    const probe = new Promise((resolve) => { probed = resolve; });
    C.prototype.update = function (mode) {
      if (order.length === 0) {
        const { port1, port2 } = new MessageChannel();
        port1.onmessage = () => {
          order.push('probe');
          port1.close();
          probed();
        };
        port2.postMessage(null);
      }
      order.push(this.canvas.dataset.chart);
      const until = performance.now() + ms;
      while (performance.now() < until) { /* a slow chart */ }
      return drawReally ? update.call(this, mode) : undefined;
    };
    const before = Number(root.dataset.drawn);
    const slider = root.querySelector('.control[data-key="i_depth"] input[name="i_depth-slider"]');
    slider.value = String(d);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    while (Number(root.dataset.drawn) === before) await new Promise((r) => setTimeout(r, 10));
    await probe; // a timer may run before the probe's message: wait for it either way
    C.prototype.update = update;
    return order;
  }, [PANEL, depth, cost, real]);
}

test('a drawing lets input in once it has drawn for ~12 ms: slow charts are drawn in several tasks, quick ones in one', async () => {
  const page = await browser.newPage();
  // Charts of 25 ms each: the drawing yields after every chart.
  const slow = await redrawOrder(page, 'lang=en&i_depth=30', 31, 25);
  assert.deepEqual(slow.filter((c) => c !== 'probe'), ['fwd', 'bwd', 'histA', 'histG']);
  assert.equal(slow.indexOf('probe'), 1, `the probe gets in right after the first chart: ${slow.join(', ')}`);
  // Charts that cost nothing (Chart.js's own drawing left out): all four in one task, the probe after them.
  const quick = await redrawOrder(page, 'lang=en', 21, 0, false);
  assert.deepEqual(quick, ['fwd', 'bwd', 'histA', 'histG', 'probe'], `order: ${quick.join(', ')}`);
  await page.close();
});
