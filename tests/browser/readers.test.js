// Charts for every reader, in real Chromium, on every lesson in English and
// Chinese: each figure has a non-empty live summary that follows the data; a
// "Data table" button reached and toggled by keyboard alone shows exactly the
// chart's numbers; arrow keys on a focused chart move Chart.js's tooltip
// point by point and line by line, and Escape hides it; with the tables open
// axe-core still finds no violation; at 320 px a table scrolls in its own box.
// One page per language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, openApp, useApp, waitIdle, watch } from './browser.js';

const app = useApp();

/**
 * Per lesson: the query it opens with (small, so it is soon idle), the
 * figure whose table and keys are tried, and a control typed in that changes
 * that figure's data (key, value).
 */
const LESSONS = {
  vanishing: { open: '', fig: 'chain', change: ['v_depth', 10] },
  exploding: { open: '', fig: 'norm', change: ['x_seed', 7] },
  init: { open: 'i_depth=8&i_width=32', fig: 'fwd', change: ['i_depth', 12] },
  xavier: { open: 'xd_samples=2000', fig: 'hist', change: ['xd_mu', 1] },
  train: { open: 'tr_steps=50&tr_depth=3&tr_width=8&tr_points=32', fig: 'loss', change: ['tr_steps', 60] },
};

/** Waits until lesson `id` is idle and its summaries and open tables have caught up. */
async function settled(page, id) {
  await waitIdle(page, id);
  await page.waitForFunction((p) => !document.getElementById(`panel-${p}`).hasAttribute('data-readers-pending'), id, { polling: 50 });
}

/** Every summary of the lesson's shown figures: {name: text}. */
function summaries(page, id) {
  return page.evaluate((p) => Object.fromEntries([...document.querySelectorAll(`#panel-${p} [data-summary]`)]
    .filter((e) => !e.closest('[hidden]')).map((e) => [e.dataset.summary, e.textContent])), id);
}

/** The table of figure `fig` as text cells, and the chart's datasets as {label, points: [[x, value]]}. */
function tableAndChart(page, id, fig) {
  return page.evaluate(([p, f]) => {
    const box = document.querySelector(`#panel-${p} [data-table=${f}]`);
    const rows = [...box.querySelectorAll('tr')].map((tr) => [...tr.cells].map((c) => c.textContent));
    const chart = globalThis.Chart.getChart(document.querySelector(`#panel-${p} canvas[data-chart=${f}]`));
    const sets = chart.data.datasets.map((ds, i) => ({
      label: ds.label.replace(/^_/, ''), shown: chart.isDatasetVisible(i) && ds.data.length > 0,
      points: ds.data.map((q) => [q.x, q.v !== undefined ? q.v : q.y]),
    })).filter((s) => s.shown);
    // the thin lines a bundle draws (the fan of trials) are columns too, after the datasets
    const fan = (chart.$bundle?.lines || []).filter((l) => l.length).map((l) => ({ label: null, points: l.map((q) => [q.x, q.y]) }));
    return { rows, sets: [...sets, ...fan], caption: box.querySelector('caption')?.textContent };
  }, [id, fig]);
}

/** The active tooltip point of the chart: [datasetIndex, index] or null, and what was announced. */
function active(page, id, fig) {
  return page.evaluate(([p, f]) => {
    const canvas = document.querySelector(`#panel-${p} canvas[data-chart=${f}]`);
    const chart = globalThis.Chart.getChart(canvas);
    const a = chart.tooltip.getActiveElements();
    return { at: a.length ? [a[0].datasetIndex, a[0].index] : null, said: document.querySelector(`#panel-${p} [data-say=${f}]`).textContent, focused: document.activeElement === canvas };
  }, [id, fig]);
}

for (const lang of ['en', 'zh']) {
  test(`every figure of every lesson reads out (${lang}): summary, data table by keyboard, tooltips by arrow keys, axe clean with tables open`, async () => {
    const page = await app.browser.newPage();
    const w = watch(page, app.base);
    for (const [id, how] of Object.entries(LESSONS)) {
      await openApp(page, app.base, `lang=${lang}&tab=${id}${how.open ? `&${how.open}` : ''}`);
      await settled(page, id);

      // a summary for every figure, in the page's language, describing its canvas
      const before = await summaries(page, id);
      const figs = await page.evaluate((p) => [...document.querySelectorAll(`#panel-${p} canvas[data-chart], #panel-${p} canvas.heatmap, #panel-${p} canvas.regions`)]
        .filter((c) => !c.closest('[hidden]')).map((c) => ({ described: c.getAttribute('aria-describedby') || '', name: c.dataset.chart || '' })), id);
      assert.ok(figs.length > 0, `${id}: figures`);
      for (const f of figs) {
        const ids = f.described.split(/\s+/);
        assert.ok(ids.some((x) => x.endsWith('-summary')), `${id}/${f.name}: canvas described by its summary`);
        assert.ok(ids.some((x) => x.endsWith('-what')), `${id}/${f.name}: canvas described by its "what you're looking at" line`);
      }
      const dataFigs = await page.evaluate((p) => {
        const ids = new Set();
        for (const e of document.querySelectorAll(`#panel-${p} [data-fig]`)) for (const x of e.dataset.fig.split(/\s+/)) ids.add(x);
        return ids.size;
      }, id);
      assert.ok(Object.keys(before).length >= dataFigs - 1, `${id}: a summary per figure (${Object.keys(before)})`);
      for (const [name, text] of Object.entries(before)) {
        assert.ok(text.length > 20, `${id}/${name}: summary '${text}'`);
        assert.doesNotMatch(text, /undefined|NaN|\{\w+\}|Not drawn|尚未绘制/, `${id}/${name}: '${text}'`);
        if (lang === 'zh') assert.match(text, /[\u4e00-\u9fff]/, `${id}/${name}: Chinese summary '${text}'`);
        else assert.doesNotMatch(text, /[\u4e00-\u9fff]/, `${id}/${name}: English summary '${text}'`);
      }
      const what = await page.evaluate((p) => [...document.querySelectorAll(`#panel-${p} p.what`)].map((e) => e.textContent), id);
      assert.ok(what.length >= Object.keys(before).length - 4 && what.every((s) => s.length > 20), `${id}: "what you're looking at" lines`);

      // a control changes the data: the summary follows, once things are still
      const [key, value] = how.change;
      await page.fill(`#panel-${id} input[name=${key}]`, String(value));
      await page.press(`#panel-${id} input[name=${key}]`, 'Enter');
      await page.waitForFunction((p) => document.getElementById(`panel-${p}`).hasAttribute('data-readers-pending'), id, { polling: 20 }).catch(() => {});
      await settled(page, id);
      const after = await summaries(page, id);
      assert.notEqual(after[how.fig], before[how.fig], `${id}/${how.fig}: the summary follows ${key} = ${value}`);

      // the data table: reached by Tab from the chart, opened by Enter, the chart's numbers
      const fig = how.fig;
      await page.focus(`#panel-${id} canvas[data-chart=${fig}]`);
      let reached = false;
      for (let i = 0; i < 6 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate((f) => document.activeElement?.dataset.tableToggle === f, fig);
      }
      assert.ok(reached, `${id}/${fig}: the Data table button is reached by Tab`);
      const name = await page.evaluate(() => document.activeElement.textContent);
      assert.equal(name, lang === 'zh' ? '数据表' : 'Data table');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`#panel-${id} [data-table=${fig}]:not([hidden]) table`);
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-expanded')), 'true');
      const { rows, sets, caption } = await tableAndChart(page, id, fig);
      assert.ok(caption.length > 5, `${id}/${fig}: caption`);
      const [head, ...body] = rows;
      const labelled = sets.filter((s) => s.label !== null).map((s) => s.label);
      assert.deepEqual(head.slice(1, labelled.length + 1), labelled.slice(0, head.length - 1), `${id}/${fig}: one column per series`);
      const xs = [...new Set(sets.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
      assert.equal(body.length, Math.min(100, xs.length), `${id}/${fig}: one row per x`);
      sets.slice(0, head.length - 1).forEach((s, j) => {
        const byX = new Map(s.points.map(([x, v]) => [x, v]));
        for (const r of body) {
          const x = Number(r[0]);
          const want = byX.has(x) ? String(byX.get(x)) : '';
          assert.equal(r[j + 1], want, `${id}/${fig}: ${s.label} at x = ${r[0]}`);
        }
      });
      // Enter again closes it; open once more for axe below
      await page.keyboard.press('Enter');
      assert.ok(await page.evaluate(([p, f]) => document.querySelector(`#panel-${p} [data-table=${f}]`).hidden, [id, fig]));
      await page.keyboard.press('Enter');

      // tooltips by keyboard: Right, Right, Down, End, Escape
      await page.focus(`#panel-${id} canvas[data-chart=${fig}]`);
      await page.keyboard.press('ArrowRight');
      const a1 = await active(page, id, fig);
      assert.ok(a1.focused && a1.at, `${id}/${fig}: ArrowRight shows a tooltip`);
      assert.ok(a1.said.length > 5, `${id}/${fig}: the point is announced ('${a1.said}')`);
      await page.keyboard.press('ArrowRight');
      const a2 = await active(page, id, fig);
      assert.equal(a2.at[0], a1.at[0], 'Right stays on the line');
      assert.ok(a2.at[1] > a1.at[1], `${id}/${fig}: Right moves to the next point`);
      assert.notEqual(a2.said, a1.said);
      await page.keyboard.press('End');
      const a3 = await active(page, id, fig);
      assert.ok(a3.at[1] >= a2.at[1], 'End goes to the end of the line');
      await page.keyboard.press('ArrowDown');
      const a4 = await active(page, id, fig);
      const lines = await page.evaluate(([p, f]) => globalThis.Chart.getChart(document.querySelector(`#panel-${p} canvas[data-chart=${f}]`))
        .data.datasets.filter((ds) => ds.data.some((q) => q.y !== null) && !ds.label.startsWith('_')).length, [id, fig]);
      if (lines > 1) assert.notEqual(a4.at[0], a3.at[0], `${id}/${fig}: Down changes line`);
      await page.keyboard.press('Escape');
      assert.equal((await active(page, id, fig)).at, null, 'Escape hides the tooltip');

      // axe: in English the whole page with every table of the lesson open; in Chinese the
      // figure tried, its table open (axe's colour check of thousands of cells is most of this
      // file's time; a11y.test.js checks the rest of the Chinese page)
      if (lang === 'en') {
        await page.evaluate((p) => { for (const b of document.querySelectorAll(`#panel-${p} [data-table-toggle][aria-expanded=false]`)) if (!b.closest('[hidden]')) b.click(); }, id);
      }
      const only = lang === 'en' ? null : `#panel-${id} [data-table=${fig}], #panel-${id} [data-table-toggle=${fig}], #panel-${id} canvas[data-chart=${fig}]`;
      assert.deepEqual(await axe(page, only), [], `${id} (${lang}) with its data tables open`);
    }
    assert.deepEqual(w.errors, []);
    await page.close();
  });
}

test('an embedded figure has its summary, its line and its data table', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'embed=1&tab=exploding&fig=norms&lang=zh');
  await settled(page, 'exploding');
  const seen = await page.evaluate(() => {
    const visible = (e) => !!e && e.getClientRects().length > 0;
    return {
      what: visible(document.querySelector('#panel-exploding p.what[id$=norm-what]')),
      summary: document.querySelector('#panel-exploding [data-summary=norm]').textContent,
      button: visible(document.querySelector('#panel-exploding [data-table-toggle=norm]')),
    };
  });
  assert.ok(seen.what, 'the line shows');
  assert.match(seen.summary, /‖M_k‖/);
  assert.ok(seen.button, 'the button shows');
  await page.click('#panel-exploding [data-table-toggle=norm]');
  assert.ok(await page.isVisible('#panel-exploding [data-table=norm] table'));
  assert.deepEqual(await axe(page), []);
  await page.close();
});

test('at 320 px an open data table scrolls inside its own box, never the page', async () => {
  const page = await app.browser.newPage();
  await page.setViewportSize({ width: 320, height: 700 });
  for (const [id, query] of [['exploding', ''], ['train', LESSONS.train.open]]) {
    await openApp(page, app.base, `lang=en&tab=${id}&${query}`);
    await settled(page, id);
    await page.evaluate((p) => { for (const b of document.querySelectorAll(`#panel-${p} [data-table-toggle]`)) if (!b.closest('[hidden]')) b.click(); }, id);
    await page.waitForSelector(`#panel-${id} [data-table]:not([hidden]) table`);
    const { scroll, widest } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll('.table-scroll')].map((e) => e.scrollWidth)),
    }));
    assert.ok(widest > 320, `${id}: a table wider than the screen (${widest} px) is tried`);
    assert.ok(scroll <= 320, `${id}: the page is ${scroll} px wide at 320 px`);
  }
  await page.close();
});
