// phone.test.js — every lesson on a phone, at 320, 390 and 430 px (the issue's
// range: its ends and a common width), in English and Chinese, idle (after its
// first results are drawn): no horizontal scroll;
// every control a finger can hit (≥ 24×24 CSS px, or spaced as WCAG 2.5.8's
// exception allows); text boxes and menus at ≥ 16 px (below it iOS zooms
// in); the tab bar one row with the active tab in view; a matrix in a box of
// its own that scrolls, no entry broken over lines; and the first chart before
// the first setting that drives it (or within the first screenful).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watch } from './browser.js';
import { serve } from '../../tools/serve.js';
import { LESSONS } from '../../web/lessons/index.js';

const HEIGHT = 800;

/** In the page: what of the open lesson breaks a rule on a phone (a list of strings). */
function phoneProblems(width) {
  const panel = document.querySelector('section.panel:not([hidden])');
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  };
  const name = (e) => `${e.tagName.toLowerCase()}${e.type ? `[${e.type}]` : ''}${e.name ? `[name=${e.name}]` : ''}${e.dataset.act ? `[data-act=${e.dataset.act}]` : ''}${e.id ? `#${e.id}` : ''} "${(e.textContent || '').trim().slice(0, 20)}"`;
  const problems = [];
  const sw = document.documentElement.scrollWidth;
  if (sw > width) problems.push(`scrollWidth ${sw}`);
  // targets: every visible control of the page but a glossary term (inline in a sentence: exempt)
  const targets = [...document.querySelectorAll('input, select, button, summary, textarea, a[href]')]
    .filter((e) => visible(e) && !e.closest('.term') && !e.closest('p, li')?.matches('.prose, .prose *'));
  const rects = targets.map((e) => e.getBoundingClientRect());
  const centre = (r) => [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
  const small = (r) => r.width < 24 - 0.01 || r.height < 24 - 0.01;
  targets.forEach((e, i) => {
    const r = rects[i];
    if (!small(r)) return;
    // WCAG 2.5.8's spacing exception: a 24 px circle on its centre meets no other
    // target, nor another small target's circle
    const [cx, cy] = centre(r);
    const clash = rects.some((o, j) => {
      if (j === i) return false;
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      if (Math.hypot(dx, dy) < 12) return true;
      if (!small(o)) return false;
      const [ox, oy] = centre(o);
      return Math.hypot(ox - cx, oy - cy) < 24;
    });
    if (clash) problems.push(`target ${name(e)} is ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
  });
  for (const e of document.querySelectorAll('select, textarea, input:not([type=range], [type=checkbox], [type=radio], [type=hidden])')) {
    if (!visible(e)) continue;
    const fs = parseFloat(getComputedStyle(e).fontSize);
    if (fs < 16) problems.push(`font ${fs}px on ${name(e)}`);
  }
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const tops = new Set(tabs.map((b) => b.offsetTop));
  if (tops.size !== 1) problems.push(`tabs on ${tops.size} rows`);
  const active = document.querySelector('[role=tab][aria-selected=true]').getBoundingClientRect();
  const bar = document.querySelector('[role=tablist]').getBoundingClientRect();
  if (active.left < bar.left - 0.5 || active.right > bar.right + 0.5) problems.push(`active tab at ${active.left.toFixed(0)}…${active.right.toFixed(0)} outside ${bar.left.toFixed(0)}…${bar.right.toFixed(0)}`);
  // a matrix (Exploding's M_k) scrolls inside its own box, each number on one line
  for (const table of panel.querySelectorAll('table.matrix')) {
    if (!visible(table)) continue;
    let box = table.parentElement;
    while (box !== panel && !/auto|scroll/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (box === panel) problems.push('a matrix outside any box that scrolls sideways');
    const broken = [...table.querySelectorAll('td')].filter((td) => {
      const r = document.createRange();
      r.selectNodeContents(td);
      return new Set([...r.getClientRects()].map((q) => Math.round(q.top))).size > 1;
    });
    if (broken.length) problems.push(`${broken.length} matrix entries broken over lines ("${broken[0].textContent}")`);
  }
  const chart = [...panel.querySelectorAll('canvas, table.derivation')].find(visible);
  const control = [...panel.querySelectorAll('input, select')].find(visible);
  const y = (e) => e.getBoundingClientRect().top + scrollY;
  if (chart && control && y(chart) > y(control) && y(chart) > innerHeight) {
    problems.push(`first chart at ${y(chart).toFixed(0)} px, below the first control (${y(control).toFixed(0)} px) and the first screen`);
  }
  return problems;
}

for (const width of [320, 390, 430]) {
  test(`at ${width} px every lesson fits, with targets ≥ 24 px, 16 px text boxes, one row of tabs and the chart before its settings (en, zh)`, async () => {
    const { server, url } = await serve({ port: 0, testHooks: true });
    const { browser, page } = await launch({ width, height: HEIGHT });
    try {
      const w = watch(page, url);
      const found = [];
      for (const lang of ['en', 'zh']) {
        for (const { id } of LESSONS) {
          await page.goto(`${url}?lang=${lang}&tab=${id}${id === 'train' ? '&tr_steps=50' : ''}`);
          await page.waitForSelector(`#panel-${id}[data-drawn]`, { timeout: 60000 });
          await page.waitForFunction((p) => !document.getElementById(`panel-${p}`).hasAttribute('aria-busy'), id, { timeout: 60000 });
          for (const p of await page.evaluate(phoneProblems, width)) found.push(`${id} (${lang}): ${p}`);
        }
      }
      // Exploding's matrices in scientific notation with negative exponents ('-7.1144e-10'):
      // without a box of their own their entries broke after the 'e-' at 320 px
      await page.goto(`${url}?lang=en&tab=exploding&controls=0&x_sigma=0.3&x_steps=30`);
      await page.waitForSelector('#panel-exploding[data-drawn]', { timeout: 60000 });
      assert.match(await page.textContent('#panel-exploding table.matrix td'), /e-\d\d$/);
      for (const p of await page.evaluate(phoneProblems, width)) found.push(`exploding, tiny entries: ${p}`);
      assert.deepEqual(found, []);
      assert.deepEqual(w.errors, []);
    } finally {
      await browser.close();
      server.close();
    }
  });
}
