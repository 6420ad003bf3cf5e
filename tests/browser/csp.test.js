// csp.test.js — a course site's Content-Security-Policy, sent as a header with
// the page (as an LMS would), in real Chromium:
//   · strict, with blob: workers and 'wasm-unsafe-eval': everything works, in
//     the worker, with no violation and no console error;
//   · worker-src without blob:: the jobs move to the page's own thread, the
//     lessons draw, and the page says so once;
//   · script-src without 'wasm-unsafe-eval': no hang — each lesson says, in the
//     reader's language, that the site forbids WebAssembly and what to allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, useApp, waitIdle, watch } from './browser.js';

const app = useApp();

const BASE = ["default-src 'none'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "object-src 'none'"];
const POLICY = {
  strict: [...BASE, "script-src 'self' 'wasm-unsafe-eval'", 'worker-src blob:'].join('; '),
  noBlob: [...BASE, "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'"].join('; '),
  noWasm: [...BASE, "script-src 'self'", 'worker-src blob:'].join('; '),
};

/** A page whose documents come with `policy` as their Content-Security-Policy header; violations are recorded. */
async function pageWith(policy) {
  const page = await app.browser.newPage();
  await page.route((url) => url.pathname === '/' || url.pathname.endsWith('.html'), async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  await page.addInitScript(() => {
    globalThis.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => globalThis.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}
const violations = (page) => page.evaluate(() => globalThis.__violations);

test('strict CSP with blob: workers and wasm-unsafe-eval: every lesson computes in the worker, no violation', async () => {
  const page = await pageWith(POLICY.strict);
  const w = watch(page, app.base);
  for (const tab of ['vanishing', 'exploding', 'init', 'xavier', 'train']) {
    await openApp(page, app.base, `lang=en&tab=${tab}${tab === 'train' ? '&t_steps=50' : ''}`);
    await waitIdle(page, tab, 60000);
  }
  assert.equal(await page.getAttribute('body', 'data-worker'), '1');
  assert.equal(await page.evaluate(() => globalThis.gradlabTest.scheduler.fellBack), false);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

test('worker-src without blob:: the jobs run on the page thread, the lessons draw, and the page says so once', async () => {
  const page = await pageWith(POLICY.noBlob);
  const w = watch(page, app.base);
  const t0 = Date.now();
  await openApp(page, app.base, 'lang=en&tab=exploding');
  await waitIdle(page, 'exploding', 30000);
  const ms = Date.now() - t0;
  assert.equal(await page.getAttribute('body', 'data-worker'), '0');
  assert.equal(await page.evaluate(() => globalThis.gradlabTest.scheduler.fellBack), true);
  // the other lessons compute too, on the same (main-thread) stand-in
  for (const tab of ['vanishing', 'init']) {
    await page.click(`#tab-${tab}`);
    await page.waitForSelector(`#panel-${tab}[data-drawn]`, { timeout: 30000 });
    await waitIdle(page, tab, 60000);
    assert.equal(await page.locator(`#panel-${tab} [data-panel-error]`).count(), 0, `${tab} shows no error`);
  }
  const notes = await page.locator('#notices .notice').allTextContents();
  assert.equal(notes.filter((s) => s.includes('background worker')).length, 1, `said once: ${notes}`);
  assert.ok((await violations(page)).some((v) => v.startsWith('worker-src')), 'the refusal was the worker');
  // Chromium reports the refused worker on the console; nothing else may be there
  assert.deepEqual(w.errors.filter((e) => !/Content Security Policy/.test(e)), []);
  assert.deepEqual(w.external, []);
  console.log(`  no blob: worker: first lesson drawn ${ms} ms after opening`);
  await page.close();
});

for (const [lang, text] of [['en', 'forbids WebAssembly'], ['zh', '禁止 WebAssembly']]) {
  test(`script-src without wasm-unsafe-eval (${lang}): no hang, each lesson says the site forbids WebAssembly and what to allow`, async () => {
    const page = await pageWith(POLICY.noWasm);
    const w = watch(page, app.base);
    await page.goto(`${app.base}?lang=${lang}&tab=exploding`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    for (const tab of ['exploding', 'vanishing', 'init']) {
      if (tab !== 'exploding') await page.click(`#tab-${tab}`);
      const box = page.locator(`#panel-${tab} [data-panel-error]`);
      await box.waitFor({ timeout: 20000 });
      const msg = await box.textContent();
      assert.ok(msg.includes(text) && msg.includes("'wasm-unsafe-eval'"), msg);
      assert.ok(!/Aborted|CompileError/.test(msg), `no engine text: ${msg}`);
      await page.waitForFunction((p) => !document.getElementById(`panel-${p}`).hasAttribute('aria-busy'), tab, { timeout: 10000 });
    }
    assert.deepEqual(w.external, []);
    await page.close();
  });
}
