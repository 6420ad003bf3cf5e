// phone.test.js — every lesson on a phone: no horizontal scroll at 320 and
// 390 px, in English and Chinese, idle (after its first results are drawn).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watch } from './browser.js';
import { serve } from '../../tools/serve.js';
import { LESSONS } from '../../web/lessons/index.js';

for (const width of [320, 390]) {
  test(`at ${width} px no lesson scrolls sideways (en, zh)`, async () => {
    const { server, url } = await serve({ port: 0, testHooks: true });
    const { browser, page } = await launch({ width, height: 800 });
    try {
      const w = watch(page, url);
      const wide = [];
      for (const lang of ['en', 'zh']) {
        for (const { id } of LESSONS) {
          await page.goto(`${url}?lang=${lang}&tab=${id}${id === 'train' ? '&tr_steps=50' : ''}`);
          await page.waitForSelector(`#panel-${id}[data-drawn]`, { timeout: 60000 });
          await page.waitForFunction((p) => !document.getElementById(`panel-${p}`).hasAttribute('aria-busy'), id, { timeout: 60000 });
          const sw = await page.evaluate(() => document.documentElement.scrollWidth);
          if (sw > width) {
            const culprits = await page.evaluate((vw) => [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > vw + 0.5 && getComputedStyle(e).position !== 'fixed')
              .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`), width);
            wide.push(`${id} (${lang}): scrollWidth ${sw} — ${culprits.join(', ')}`);
          }
        }
      }
      assert.deepEqual(wide, []);
      assert.deepEqual(w.errors, []);
    } finally {
      await browser.close();
      server.close();
    }
  });
}
