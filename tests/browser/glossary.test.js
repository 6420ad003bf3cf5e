// glossary.test.js — words a student knows: every term of the glossary's one
// table has a name and an explanation in English and Chinese; every lesson
// marks each of its terms, in both languages (and again after the language
// changes); a term focused by keyboard shows its explanation (its
// aria-describedby, visible, under the term, not over it), Escape hides it,
// and the page stays axe-clean with it shown; the Vanishing lesson calls the
// spread of its inputs s, never σ (σ is the sigmoid there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openApp, useApp, watch } from './browser.js';
import { GLOSSARY, termsOf } from '../../web/glossary.js';
import { MESSAGES } from '../../web/i18n.js';
import { LESSONS } from '../../web/lessons/index.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const app = useApp();

test('every term of the table has a name, an explanation and a pattern in English and Chinese, and a lesson that uses it', () => {
  const ids = LESSONS.map((l) => l.id);
  for (const [id, entry] of Object.entries(GLOSSARY)) {
    for (const lang of ['en', 'zh']) {
      assert.ok(MESSAGES[lang][`gl.${id}`]?.length > 20, `gl.${id} (${lang})`);
      assert.ok(MESSAGES[lang][`gl.${id}.term`], `gl.${id}.term (${lang})`);
      assert.ok(entry.find[lang] instanceof RegExp, `${id}: no pattern for ${lang}`);
    }
    assert.ok(entry.lessons.length && entry.lessons.every((l) => ids.includes(l)), `${id}: lessons ${entry.lessons}`);
  }
  // the terms the issue names, at least
  for (const id of ['digamma', 'newman', 'ensemble', 'frobenius', 'rms', 'sigmaStar', 'meanField', 'sw2', 'samples', 'seed',
    'fanIn', 'gain', 'clipping', 'residual', 'batchnorm', 'layernorm', 'lr', 'optimizer', 'chance']) assert.ok(GLOSSARY[id], id);
});

/** In the page: per term of the open lesson, what its mark is ('' when right). */
function marks(expected) {
  const panel = document.querySelector('section.panel:not([hidden])');
  return expected.map((id) => {
    // once in the text, and once more ahead of the charts if they use it first
    const terms = panel.querySelectorAll(`.term[data-term=${id}]`);
    const listed = panel.querySelectorAll(`.glossary-more .term[data-term=${id}]`).length;
    if (terms.length < 1 || terms.length - listed > 1 || listed > 1) return `${id}: marked ${terms.length} times (${listed} in the list)`;
    const term = terms[0];
    const tip = document.getElementById(term.getAttribute('aria-describedby'));
    if (term.tabIndex !== 0) return `${id}: not focusable`;
    if (!tip || tip.textContent.length < 20) return `${id}: aria-describedby names no explanation`;
    return '';
  }).filter(Boolean);
}

test('every lesson marks each of its terms on first use, in English, then in Chinese after the language changes', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  try {
    const wrong = [];
    for (const { id } of LESSONS) {
      await openApp(page, app.base, `lang=en&tab=${id}${id === 'train' ? '&tr_steps=20' : ''}`);
      for (const m of await page.evaluate(marks, termsOf(id))) wrong.push(`${id} (en) ${m}`);
      await page.selectOption('#lang', 'zh');
      for (const m of await page.evaluate(marks, termsOf(id))) wrong.push(`${id} (zh) ${m}`);
      const zhTip = await page.evaluate(() => document.querySelector('section.panel:not([hidden]) .gl-tip').textContent);
      assert.match(zhTip, /[\u4e00-\u9fff]/, `${id}: the explanation follows the language`);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(w.errors, []);
  } finally {
    await page.close();
  }
});

test('a term focused by keyboard shows its explanation under it; Escape hides it; axe finds nothing with it shown', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  try {
    for (const lang of ['en', 'zh']) {
      await openApp(page, app.base, `lang=${lang}&tab=exploding`);
      // the element before the first term in the tab order, then Tab
      await page.evaluate(() => {
        const all = [...document.querySelectorAll('button, select, input, summary, [tabindex="0"]')].filter((e) => !e.disabled && e.getClientRects().length);
        const i = all.findIndex((e) => e.matches('.term'));
        all[i - 1].focus();
      });
      await page.keyboard.press('Tab');
      const shown = await page.evaluate(() => {
        const term = document.activeElement;
        const tip = document.getElementById(term.getAttribute('aria-describedby') || '');
        const a = term.getBoundingClientRect();
        const b = tip?.getBoundingClientRect();
        return {
          isTerm: term.matches('.term'),
          text: tip?.textContent,
          visible: !!tip && !tip.hidden && b.width > 0 && getComputedStyle(tip).visibility === 'visible',
          covers: !!b && !(b.top >= a.bottom || b.bottom <= a.top || b.left >= a.right || b.right <= a.left),
        };
      });
      assert.ok(shown.isTerm, 'Tab reaches the term');
      assert.ok(shown.visible, 'its explanation shows');
      assert.ok(shown.text.length > 20);
      assert.ok(!shown.covers, 'the explanation does not cover the term');
      if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
      const v = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
      assert.deepEqual(v.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).hidden), true, 'Escape hides it');
      assert.ok(await page.evaluate(() => document.activeElement.matches('.term')), 'focus stays on the term');
      // and on hover, a term in a control's label (Ensemble: a tap must not open the menu)
      const label = page.locator('#panel-exploding label .term').first();
      await label.hover();
      assert.equal(await label.locator('.gl-tip').isVisible(), true, 'hover shows it');
    }
    assert.deepEqual(w.errors, []);
  } finally {
    await page.close();
  }
});

test('the Vanishing lesson calls its inputs’ spread s: σ is only the sigmoid there', async () => {
  const page = await app.browser.newPage();
  try {
    for (const lang of ['en', 'zh']) {
      for (const dist of ['normal', 'uniform']) {
        await openApp(page, app.base, `lang=${lang}&tab=vanishing&v_dist=${dist}`);
        const { spread, options, text } = await page.evaluate(() => {
          const panel = document.getElementById('panel-vanishing');
          return {
            spread: panel.querySelector('[data-key=v_sd] label').textContent,
            options: [...panel.querySelectorAll('select[name=v_dist] option')].map((o) => o.textContent),
            text: panel.innerText,
          };
        });
        assert.match(spread, /\bs$/, spread);
        for (const o of options) assert.doesNotMatch(o, /σ/, o);
        assert.ok(options.some((o) => /s²|\bs\)?$|标准差 s/.test(o)), options.join(' | '));
        // every σ on screen is the sigmoid's: σ(x), σ′, σ(1 − σ), σ = ½
        const rest = text.replace(/σ\(1 − σ\)|σ′?\(|σ = ½/g, '');
        assert.ok(!rest.includes('σ'), `a σ that is not the sigmoid's: …${rest.slice(rest.indexOf('σ') - 30, rest.indexOf('σ') + 10)}…`);
        assert.doesNotMatch(text, /N\(μ, σ|std σ|标准差 σ|离散程度 σ|Spread σ/);
      }
    }
  } finally {
    await page.close();
  }
});
