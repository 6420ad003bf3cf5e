#!/usr/bin/env node
// screenshot.js — renders a GradLab URL in headless Chromium to a PNG.
//   node tools/screenshot.js <url-or-query> <out.png> [--width W --height H]
// A bare query ("?tab=exploding") is served from this checkout over http.
import { launch } from '../tests/browser/browser.js';
import { serve } from './serve.js';

const [target = '', out = 'screenshot.png', ...rest] = process.argv.slice(2);
const opt = (name, def) => { const i = rest.indexOf(`--${name}`); return i >= 0 ? Number(rest[i + 1]) : def; };
const { server, url: base } = await serve(0);
const { browser, page } = await launch({ width: opt('width', 1200), height: opt('height', 900) });
try {
  page.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  const url = /^(https?|file):/.test(target) ? target : base + target;
  await page.goto(url);
  await page.waitForSelector('section.panel:not([hidden])[data-drawn]', { timeout: 30000 });
  await page.waitForTimeout(opt('wait', 400));
  await page.screenshot({ path: out, fullPage: rest.includes('--full') });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
}
