// screenshots.mjs — `node tools/screenshots.mjs`: what students see, for
// reviewers: every lesson at 390 px (a phone) and 1280 px, light (English)
// and dark (Chinese), whole pages, into docs/screenshots/ (regenerate after a
// UI change; never edit by hand).  Builds nothing: run ./build-wasm.sh first.
// Prints each page's scrollWidth (a phone page must not scroll sideways).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/browser.js';
import { serve } from './serve.js';
import { LESSONS } from '../web/lessons/index.js';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });
const { server, url } = await serve({ port: 0 });
try {
  for (const width of [390, 1280]) {
    for (const [lang, theme] of [['en', 'light'], ['zh', 'dark']]) {
      const { browser, page } = await launch({ width, height: width === 390 ? 844 : 900 });
      try {
        for (const { id } of LESSONS) {
          await page.goto(`${url}?tab=${id}&lang=${lang}&theme=${theme}`);
          await page.waitForSelector(`#panel-${id}[data-drawn]`, { timeout: 60000 });
          await page.waitForFunction((p) => !document.getElementById(`panel-${p}`).hasAttribute('aria-busy'), id, { timeout: 60000 });
          await page.waitForTimeout(500); // the last frame's paint
          const sw = await page.evaluate(() => document.documentElement.scrollWidth);
          const file = `${id}-${width}-${theme}.png`;
          await page.screenshot({ path: path.join(OUT, file), fullPage: true });
          console.log(`${file}  scrollWidth ${sw}${sw > width ? '  (scrolls sideways)' : ''}`);
        }
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  server.close();
}
