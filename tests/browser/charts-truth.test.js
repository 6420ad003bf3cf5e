// charts-truth.test.js — issue 12, "charts that tell the truth at any setting":
// every log axis labels at least three ticks for the data's range, series
// that draw as one line are told apart (line patterns) and a note says so,
// decided from the data; the Init histograms show every scheme (no spike at
// 0 at width 1024) on a linear density axis unless the reader asks for log,
// and on a log axis an empty bin does not break a line.  State is set
// through the URL hash; one page serves every check of a lesson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, useApp, waitIdle, watch } from './browser.js';

const app = useApp();

/** Opens `hash` (the state, as the URL's fragment) in `page` and waits until lesson `id` has drawn it. */
async function openHash(page, hash, id) {
  await page.goto('about:blank'); // a new hash alone would not reload the page
  await openApp(page, `${app.base}#${hash}`);
  await waitIdle(page, id);
}

/**
 * The y axis of the chart on each canvas matching `sel`, as drawn: its type,
 * its range, the labels of its ticks inside the range, and every dataset's
 * label, dash, points ({x, y}) and values (v where a gap or floor stands for one).
 */
function charts(page, sel) {
  return page.evaluate((s) => [...document.querySelectorAll(s)].map((canvas) => {
    const c = globalThis.Chart.getChart(canvas);
    if (!c) return null;
    const { x, y } = c.scales;
    const labelled = y.ticks.filter((k) => k.label !== '' && k.label != null && k.value >= y.min * (1 - 1e-9) && k.value <= y.max * (1 + 1e-9));
    return {
      name: canvas.dataset.chart,
      type: y.type,
      min: y.min,
      max: y.max,
      xMin: x.min,
      xMax: x.max,
      labels: labelled.map((k) => String(k.label)),
      datasets: c.data.datasets.map((d, i) => ({
        label: d.label, visible: c.isDatasetVisible(i), dash: [...(d.borderDash || [])], width: d.borderWidth,
        pointStyle: d.pointStyle, pointRadius: d.pointRadius, marks: d.$marks || null, points: d.data.map((p) => ({ x: p.x, y: p.y, v: p.v })),
      })),
    };
  }).filter(Boolean), sel);
}

const CHAIN = '#panel-vanishing canvas[data-chart=chain]';
const NOTE = '#panel-vanishing [data-out=coincide]';

test('Vanishing: the chain\'s log axis labels ≥ 3 ticks for sigmoid, tanh, ReLU and GELU at depths 1, 10, 50 and 200 (clamped to 100); the coinciding-series note follows the data', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  const seen = {};
  for (const act of ['sigmoid', 'tanh', 'relu', 'gelu']) {
    // one page load per activation; the other depths through the depth box (a load costs ~2 s)
    await openHash(page, `lang=en&tab=vanishing&v_act=${act}&v_depth=1`, 'vanishing');
    for (const depth of [1, 10, 50, 200]) {
      if (depth > 1) {
        await page.fill('#panel-vanishing input[name=v_depth]', String(depth));
        await page.press('#panel-vanishing input[name=v_depth]', 'Enter');
        await page.waitForFunction(([sel, n]) => globalThis.Chart.getChart(document.querySelector(sel)).data.datasets[0].data.length === n,
          [CHAIN, Math.min(depth, 100)]);
        await waitIdle(page, 'vanishing');
      }
      const [chain] = await charts(page, CHAIN);
      const where = `${act} at depth ${depth}`;
      assert.equal(chain.type, 'logarithmic', where);
      assert.equal(chain.datasets[0].points.length, Math.min(depth, 100), `${where}: one point per layer (the schema's max is 100)`);
      assert.ok(chain.labels.length >= 3, `${where}: labelled ticks ${JSON.stringify(chain.labels)} over ${chain.min}…${chain.max}`);
      const note = await page.locator(NOTE);
      seen[`${act}/${depth}`] = { hidden: await note.isHidden(), text: await note.textContent(), chain };
    }
  }
  // sigmoid: the mean and the median differ by < 8% over 60 decades — one line — and the note names them
  for (const depth of [10, 50, 200]) {
    const s = seen[`sigmoid/${depth}`];
    assert.ok(!s.hidden, `sigmoid at ${depth}: the note shows`);
    assert.match(s.text, /mean over inputs/);
    assert.match(s.text, /median over inputs/);
    assert.match(s.text, /draw as one line/);
  }
  // ReLU: the best case and the median are both exactly 1
  assert.match(seen['relu/50'].text, /“best case \(max φ′\)\^L” and “median over inputs \(typical\)” are equal at every point/);
  // where the series are far apart on the chart there is no note
  for (const key of ['sigmoid/1', 'tanh/50', 'tanh/200', 'gelu/50']) {
    assert.ok(seen[key].hidden, `${key}: no note (${seen[key].text})`);
    assert.equal(seen[key].text, '');
  }
  // the three series never share a line pattern: dotted best case, dashed mean, solid median
  const ds = seen['sigmoid/50'].chain.datasets;
  const patterns = ds.map((d) => JSON.stringify([d.dash, d.width, d.pointStyle, d.pointRadius, d.marks]));
  assert.equal(new Set(patterns).size, 3, `patterns ${patterns.join(' ')}`);
  assert.notDeepEqual(ds[1].dash, ds[2].dash, 'mean and median differ in dash');
  // the note is in the reader's language
  await openHash(page, 'lang=zh&tab=vanishing&v_act=sigmoid&v_depth=50', 'vanishing');
  assert.match(await page.textContent(NOTE), /画成了一条线/);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('Init at width 1024: both histograms show every scheme spread over many bins (no spike at 0) on a linear density axis; log density is an option kept in the URL, with no broken lines', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openHash(page, 'lang=en&tab=init&i_width=1024', 'init');
  const hists = '#panel-init canvas[data-chart=histA], #panel-init canvas[data-chart=histG]';
  const linear = await charts(page, hists);
  assert.equal(linear.length, 2);
  for (const h of linear) {
    assert.equal(h.type, 'linear', `${h.name}: the default density axis is linear`);
    assert.equal(h.datasets.length, 4, `${h.name}: one curve per scheme`);
    for (const d of h.datasets) {
      const filled = d.points.filter((p) => p.y > 0);
      assert.ok(filled.length > 2, `${h.name} ${d.label}: ${filled.length} non-zero bins`);
      const span = filled[filled.length - 1].x - filled[0].x;
      assert.ok(span >= 0.1 * (h.xMax - h.xMin), `${h.name} ${d.label}: spans ${span} of the axis's ${h.xMax - h.xMin}`);
    }
  }
  // the note says what each curve spans, what it leaves out, and which curve is magnified
  const note = await page.textContent('#panel-init [data-out=histGNote]');
  assert.match(note, /from the 0\.1% to the 99\.9% quantile; left out beyond them: normal N\(0, σ²\) \d+ of 32768/);
  const magnified = linear[1].datasets.filter((d) => /\(x ×10[⁰¹²³⁴⁵⁶⁷⁸⁹]+\)$/.test(d.label));
  assert.ok(magnified.length >= 1, 'PyTorch default\'s gradients, ~1000× smaller, are drawn magnified');
  for (const d of magnified) assert.ok(note.includes(`${d.label.replace(/ \(x ×10.*$/, '')}’s values are about 10`), note);
  // log density: a control, kept in the URL
  assert.equal(await page.isChecked('#panel-init input[name=i_hlog]'), false);
  await page.check('#panel-init input[name=i_hlog]');
  await page.waitForFunction(() => globalThis.Chart.getChart(document.querySelector('#panel-init canvas[data-chart=histG]')).scales.y.type === 'logarithmic');
  await waitIdle(page, 'init');
  const logged = await charts(page, hists);
  for (const h of logged) {
    assert.equal(h.type, 'logarithmic', h.name);
    assert.ok(h.labels.length >= 3, `${h.name}: labelled ticks ${h.labels}`);
    for (const d of h.datasets) {
      assert.ok(d.points.every((p) => p.y !== null && p.y > 0), `${h.name} ${d.label}: no gap (an empty bin sits on the floor)`);
      for (const p of d.points) if (p.v === 0) assert.equal(p.y, h.min, 'the floor is the axis\'s bottom');
    }
  }
  const hash = await page.evaluate(() => { globalThis.gradlabTest?.flushUrl(); return location.hash + location.search; });
  assert.match(hash, /i_hlog=1/);
  // the other log axes of the lesson label ≥ 3 ticks too
  for (const c of await charts(page, '#panel-init canvas[data-chart=fwd], #panel-init canvas[data-chart=bwd], #panel-init canvas[data-chart=dilemma]')) {
    assert.ok(c.labels.length >= 3, `${c.name}: ${c.labels}`);
  }
  // no two slots draw one line at the defaults: no note
  assert.ok(await page.isHidden('#panel-init [data-out=fwdSame]'));
  // in Chinese, the control; and the same scheme in two slots draws one line: a note, and markers that differ
  await openHash(page, 'lang=zh&tab=init&i_hlog=1&i_s2=normal', 'init');
  assert.equal(await page.isChecked('#panel-init input[name=i_hlog]'), true);
  assert.match(await page.textContent('#panel-init [data-key=i_hlog] label'), /密度用对数坐标/);
  for (const which of ['fwd', 'bwd']) {
    assert.match(await page.textContent(`#panel-init [data-out=${which}Same]`), /“正态 N\(0, σ²\)”和“正态 N\(0, σ²\)”在每一点上都相等，画成了一条线/);
    const [c] = await charts(page, `#panel-init canvas[data-chart=${which}]`);
    const slots = c.datasets.filter((d) => !d.label.startsWith('_'));
    assert.notEqual(slots[0].marks.style, slots[1].marks.style, `${which}: the two slots' markers differ`);
    assert.notEqual(slots[0].marks.at, slots[1].marks.at, `${which}: at different points`);
  }
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('Exploding: the norm chart\'s log axis labels ≥ 3 ticks as the lesson opens', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'tab=exploding&lang=en');
  await waitIdle(page, 'exploding');
  const [norm] = await charts(page, '#panel-exploding canvas[data-chart=norm]');
  assert.ok(norm.labels.length >= 3, `labels ${norm.labels} over ${norm.min}…${norm.max}`);
  await page.close();
});
