// embed.test.js — GradLab in a course page, in real Chromium, with the course
// page on one origin (http://localhost:B, a tiny server of this test) and
// GradLab on another (http://127.0.0.1:A, tools/serve.js):
//   · each loader embed (a whole lesson, one figure, one figure without prose
//     and controls) is as tall as its content, within 2 px, at 1280 and 390 px,
//     after a language switch inside it and after a control change; the
//     measured heights are printed;
//   · a height message from any other window (another GradLab frame, a
//     course-page frame, the course page itself) moves no iframe, and a hello
//     from a window that is not the embed's parent is not answered;
//   · the loader creates an iframe only when its box nears the viewport;
//   · a plain iframe without the loader keeps its height and scrolls;
//   · the Share dialog opened inside an embed makes the iframe tall enough for it;
//   · no console error, no request outside the two origins;
// and in GradLab itself: fig / prose / controls show what docs/embed.md says
// (its figure table is checked against the lessons), an unknown figure says so,
// and the Share dialog opens and closes by keyboard, speaks en and zh, copies
// a link that reopens the same view, and falls back to a selected text box
// when the clipboard is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { serve } from '../../tools/serve.js';
import { fileUrl, launch, openApp, urlParams, waitIdle, watch } from './browser.js';

let gl; // GradLab: {server, url}
let course; // the course page's server
let courseBase;
let browser;
let context;

/** The course page: three loader embeds, a plain iframe, a frame of the course's own, and a lazy embed far below. */
const coursePage = (glBase) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Week 4: numerical stability</title><link rel="icon" href="data:,">
<style>body { margin: 0; padding: 0 8px; font-family: sans-serif; } .spacer { height: 4000px; }</style></head>
<body>
<h1>Week 4</h1>
<div id="e-lesson" data-gradlab="lang=en&amp;tab=vanishing" data-title="Vanishing gradients"></div>
<div id="e-fig" data-gradlab="lang=en&amp;tab=exploding&amp;fig=norms"></div>
<div id="e-bare" data-gradlab="lang=en&amp;tab=init&amp;fig=fwd&amp;prose=0&amp;controls=0&amp;i_depth=10"></div>
<iframe id="plain" src="${glBase}?embed=1&amp;lang=en&amp;tab=xavier" title="plain" width="600" height="400"></iframe>
<iframe id="foreign" src="/foreign.html" title="another frame" width="200" height="50"></iframe>
<div class="spacer"></div>
<div id="e-lazy" data-gradlab="lang=zh&amp;tab=vanishing&amp;fig=chain"></div>
<script>
  // every message the course page receives, for the test to read
  window.__msgs = [];
  addEventListener('message', (e) => window.__msgs.push({ origin: e.origin, data: e.data }));
</script>
<script src="${glBase}web/gen/embed.js"></script>
</body></html>`;

before(async () => {
  gl = await serve({ port: 0, testHooks: true });
  course = createServer((req, res) => {
    const body = req.url === '/foreign.html'
      ? '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>foreign</title><link rel="icon" href="data:,"></head><body>x</body></html>'
      : req.url === '/' ? coursePage(gl.url) : null;
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  await new Promise((ok) => course.listen(0, '127.0.0.1', ok));
  courseBase = `http://localhost:${course.address().port}/`;
  ({ browser, context } = await launch({ width: 1280, height: 900 }));
});
after(async () => {
  await browser?.close();
  gl?.server.close();
  course?.close();
});

/** The iframe of loader box `box` and its frame. */
async function embedOf(page, box) {
  const handle = await page.waitForSelector(`${box} iframe`, { timeout: 15000 });
  return { handle, frame: await handle.contentFrame() };
}

/** Waits until the embedded page has drawn its lesson and nothing is pending. */
async function drawn(frame) {
  await frame.waitForSelector('body[data-ready="1"] section.panel:not([hidden])[data-drawn]', { state: 'attached', timeout: 60000 });
  await frame.waitForFunction(() => {
    const s = document.querySelector('section.panel:not([hidden])');
    return !s.hasAttribute('aria-busy') && !s.hasAttribute('data-draw-pending');
  }, null, { timeout: 60000, polling: 50 });
}

/** Opens the course page in a new tab, watched for console errors and requests outside the two origins. */
async function openCourse() {
  const page = await context.newPage();
  const watched = watch(page, [gl.url, courseBase]);
  await page.goto(courseBase);
  return { page, watched };
}

/** Asserts that the course page saw no console error and no outside request, and closes it. */
async function closeClean({ page, watched }) {
  assert.deepEqual(watched.errors, []);
  assert.deepEqual(watched.external, []);
  await page.close();
}

/** Scrolls loader box `box` into view; resolves to its embed ({handle, frame}) once that has drawn. */
async function shownEmbed(page, box) {
  await page.locator(box).scrollIntoViewIfNeeded();
  const embed = await embedOf(page, box);
  await embed.handle.scrollIntoViewIfNeeded();
  await drawn(embed.frame);
  return embed;
}

/**
 * {iframe, content, scroll}: the iframe's height in the course page; the
 * content's height measured inside it independently of GradLab's own
 * measure — the top of an empty block appended to the body for the moment
 * (below every child and the margins that collapse through them) plus the
 * body's padding, border and margin below; and how far the document would
 * scroll inside the frame (> 0: it does not fit).
 */
async function heights({ handle, frame }) {
  const iframe = await handle.evaluate((f) => f.getBoundingClientRect().height);
  const inner = await frame.evaluate(() => {
    const px = (el, p) => parseFloat(getComputedStyle(el)[p]) || 0;
    const b = document.body;
    const mark = document.createElement('div');
    mark.style.height = '0';
    mark.style.clear = 'both';
    b.append(mark);
    const bottom = mark.getBoundingClientRect().top + scrollY;
    mark.remove();
    const content = bottom + px(b, 'paddingBottom') + px(b, 'borderBottomWidth') + px(b, 'marginBottom');
    return { content, scroll: document.documentElement.scrollHeight - document.documentElement.clientHeight };
  });
  return { iframe, ...inner };
}

/** Waits (≤ 15 s) until the iframe fits its content within 2 px on two readings 250 ms apart; resolves to the last reading. */
async function settled(embed) {
  // Chromium does not render a cross-origin frame out of view (no frames, no
  // ResizeObserver): as for a reader, the embed is measured where it is seen.
  await embed.handle.scrollIntoViewIfNeeded();
  const end = Date.now() + 15000;
  let last = null;
  let fits = 0;
  while (Date.now() < end) {
    last = await heights(embed);
    fits = Math.abs(last.iframe - last.content) <= 2 ? fits + 1 : 0;
    if (fits >= 2) return last;
    await new Promise((ok) => setTimeout(ok, 250));
  }
  return last;
}

const EMBEDS = {
  '#e-lesson': { what: 'whole lesson (vanishing)', change: async (f) => f.selectOption('select[name=v_act]', 'relu') },
  '#e-fig': {
    what: 'one figure (exploding, fig=norms)',
    change: async (f) => { await f.fill('input[name=x_n]', '8'); await f.press('input[name=x_n]', 'Enter'); },
  },
  '#e-bare': { what: 'fig=fwd, prose=0, controls=0 (init)', change: null },
};

test('loader embeds fit their content within 2 px at 1280 and 390 px, after a language switch and after a control change', async (t) => {
  const course = await openCourse();
  const { page } = course;
  const rows = [];
  const misfits = [];
  const record = (box, when, h) => {
    rows.push(`${box.padEnd(10)} ${when.padEnd(22)} iframe ${h.iframe.toFixed(1).padStart(7)} px  content ${h.content.toFixed(1).padStart(7)} px  Δ ${(h.iframe - h.content).toFixed(1).padStart(5)}`);
    if (!(Math.abs(h.iframe - h.content) <= 2) || h.scroll > 2) misfits.push(`${box} ${when}: ${JSON.stringify(h)}`);
  };
  const embeds = {};
  for (const box of Object.keys(EMBEDS)) embeds[box] = await shownEmbed(page, box);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    for (const box of Object.keys(EMBEDS)) record(box, `en, ${width} px`, await settled(embeds[box]));
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const [box, how] of Object.entries(EMBEDS)) {
    const { frame, handle } = embeds[box];
    await handle.scrollIntoViewIfNeeded();
    await frame.selectOption('#lang', 'zh');
    await frame.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    record(box, 'zh, 1280 px', await settled(embeds[box]));
    if (how.change) {
      await how.change(frame);
      await drawn(frame);
      record(box, 'zh, control changed', await settled(embeds[box]));
    }
  }
  for (const r of rows) t.diagnostic(r);
  assert.deepEqual(misfits, []);
  // the embeds answered the loader's hello with its id, from GradLab's origin
  const ids = await page.evaluate((o) => window.__msgs.filter((m) => m.origin === o && m.data?.type === 'gradlab:height').map((m) => m.data.id), gl.url.slice(0, -1));
  for (const id of ['gradlab-1', 'gradlab-2', 'gradlab-3']) assert.ok(ids.includes(id), `${id} echoed: ${[...new Set(ids)]}`);
  await closeClean(course);
});

test('a height message from any other window moves no iframe; a hello from a window other than the parent is not answered', async () => {
  const course = await openCourse();
  const { page } = course;
  const fig = await shownEmbed(page, '#e-fig');
  const before = await settled(fig);
  const forged = { type: 'gradlab:height', version: 1, height: 4321 };
  // GradLab's origin, but not the embed's window: the plain iframe
  const plain = await (await page.$('#plain')).contentFrame();
  await plain.waitForSelector('body[data-ready="1"]', { state: 'attached' });
  await plain.evaluate((m) => parent.postMessage(m, '*'), forged);
  // another window of the course's origin, and the course page itself
  const foreign = await (await page.$('#foreign')).contentFrame();
  await foreign.evaluate((m) => parent.postMessage(m, '*'), forged);
  await page.evaluate((m) => window.postMessage(m, '*'), forged);
  // a hello sent into the embed by a window that is not its parent
  await foreign.evaluate(() => {
    for (let i = 0; i < parent.frames.length; i++) parent.frames[i].postMessage({ type: 'gradlab:hello', version: 1, id: 'forged' }, '*');
  });
  await page.waitForTimeout(600);
  const after = await heights(fig);
  assert.equal(after.iframe, before.iframe, 'the embed kept its height');
  assert.ok(Math.abs(after.iframe - 4321) > 100);
  const answered = await page.evaluate(() => window.__msgs.filter((m) => m.data?.id === 'forged').length);
  assert.equal(answered, 0, 'no height message carries the forged id');
  // the plain iframe: no loader, its own fixed height, and it scrolls
  const plainBox = await page.$eval('#plain', (f) => f.clientHeight); // inside its border
  assert.equal(plainBox, 400);
  assert.ok(await plain.evaluate(() => document.documentElement.scrollHeight > 600), 'the plain iframe scrolls');
  await closeClean(course);
});

test('the loader creates an iframe only when its box nears the viewport, then sizes it', async (t) => {
  const course = await openCourse();
  const { page } = course;
  await page.waitForSelector('#e-lesson iframe');
  await page.waitForTimeout(500);
  assert.equal(await page.$('#e-lazy iframe'), null, 'below the fold: no iframe yet');
  const lazy = await shownEmbed(page, '#e-lazy');
  const h = await settled(lazy);
  t.diagnostic(`#e-lazy (zh, fig=chain) iframe ${h.iframe.toFixed(1)} px, content ${h.content.toFixed(1)} px`);
  assert.ok(Math.abs(h.iframe - h.content) <= 2, JSON.stringify(h));
  assert.equal(await lazy.frame.getAttribute('html', 'lang'), 'zh-CN');
  await closeClean(course);
});

test('the Share dialog opened inside an embed gets room: the iframe grows to hold it, and shrinks back when it closes', async (t) => {
  const course = await openCourse();
  // the smallest embed (one figure, no prose, no controls): shorter than the dialog
  const bare = await shownEmbed(course.page, '#e-bare');
  const closed = await settled(bare);
  await bare.frame.click('#share');
  const need = await bare.frame.$eval('dialog.share[open]', (d) => d.scrollHeight);
  assert.ok(need > closed.iframe, `the dialog (${need} px) is taller than the closed embed (${closed.iframe} px)`);
  await course.page.waitForFunction(([sel, h]) => document.querySelector(sel).getBoundingClientRect().height >= h, ['#e-bare iframe', need]);
  const open = await heights(bare);
  t.diagnostic(`#e-bare: ${closed.iframe} px closed, ${open.iframe} px with the dialog open (dialog ${need} px)`);
  await bare.frame.press('dialog.share', 'Escape');
  const again = await settled(bare);
  assert.ok(Math.abs(again.iframe - closed.iframe) <= 2, `${again.iframe} vs ${closed.iframe}`);
  await closeClean(course);
});

/** The figure ids of each lesson as the page defines them. */
async function figureIds(page, lesson) {
  await openApp(page, gl.url, `lang=en&tab=${lesson}&tr_steps=20&tr_depth=3&tr_width=8&tr_points=32`);
  return page.evaluate((l) => {
    const ids = [];
    for (const el of document.querySelectorAll(`#panel-${l} [data-fig]`)) for (const id of el.dataset.fig.split(/\s+/)) if (!ids.includes(id)) ids.push(id);
    return ids;
  }, lesson);
}

test('docs/embed.md lists every figure id of every lesson, and only those; each chart belongs to a figure', async () => {
  const doc = readFileSync(new URL('../../docs/embed.md', import.meta.url), 'utf8');
  // rows of the figure table: | `lesson` | `id` | what it shows |
  const documented = {};
  for (const m of doc.matchAll(/^\| `(\w+)` \| `(\w+)` \|/gm)) (documented[m[1]] ||= []).push(m[2]);
  const page = await context.newPage();
  const found = {};
  for (const lesson of ['vanishing', 'exploding', 'init', 'xavier', 'train']) {
    found[lesson] = await figureIds(page, lesson);
    const orphans = await page.evaluate((l) => [...document.querySelectorAll(`#panel-${l} canvas`)]
      .filter((c) => !c.closest('[data-fig]')).map((c) => c.dataset.chart || c.className), lesson);
    assert.deepEqual(orphans, [], `${lesson}: every canvas is in a figure`);
  }
  assert.deepEqual(documented, found);
  await page.close();
});

test('fig= shows one figure and the controls that drive it; prose=0 and controls=0 hide text and controls; an unknown fig says so', async () => {
  const page = await context.newPage();
  const visible = (sel) => page.isVisible(`#panel-init ${sel}`);
  await openApp(page, gl.url, 'lang=en&embed=1&tab=init&fig=histA&i_depth=5');
  assert.equal(await visible('canvas[data-chart=histA]'), true);
  assert.equal(await visible('[data-box=hist]'), true, 'its layer control');
  assert.equal(await visible('[data-box=main]'), true, 'the network it is drawn from');
  for (const sel of ['canvas[data-chart=fwd]', 'canvas[data-chart=histG]', 'canvas[data-chart=dilemma]', '[data-box=dilemma]', 'p.prose', 'details.prose', 'section.questions']) {
    assert.equal(await visible(sel), false, sel);
  }
  assert.equal(await visible('h2'), true, 'the lesson title stays');
  await openApp(page, gl.url, 'lang=en&embed=1&tab=init&fig=histA&i_depth=5&controls=0');
  assert.equal(await visible('[data-box=hist]'), false);
  assert.equal(await visible('canvas[data-chart=histA]'), true);
  await openApp(page, gl.url, 'lang=en&embed=1&tab=init&prose=0&i_depth=5');
  assert.equal(await visible('p.prose'), false);
  assert.equal(await visible('details.prose'), false);
  assert.equal(await visible('canvas[data-chart=dilemma]'), true);
  assert.equal(await visible('[data-box=main]'), true);
  // the presentation keys stay in the embed's own URL, and only when not the default
  const u = await urlParams(page);
  assert.equal(u.prose, '0');
  assert.equal(u.fig, undefined);
  assert.equal(u.controls, undefined);
  // an unknown figure: a visible notice naming it and the lesson's figures; the whole lesson below
  await openApp(page, gl.url, 'lang=en&embed=1&tab=init&fig=nope&i_depth=5');
  const notice = await page.textContent('#notices .notice');
  assert.match(notice, /has no figure “nope”; its figures are fwd, bwd, histA, histG, dilemma, uniform/);
  assert.equal(await visible('canvas[data-chart=fwd]'), true);
  await openApp(page, gl.url, 'lang=zh&embed=1&tab=init&fig=nope&i_depth=5');
  assert.match(await page.textContent('#notices .notice'), /没有图“nope”/);
  // langlock: no language menu; controls=0 on Exploding shows the whole trajectory (no Play button to press)
  await openApp(page, gl.url, 'lang=en&embed=1&tab=exploding&langlock=1&controls=0');
  assert.equal(await page.isVisible('#lang'), false);
  assert.equal(await page.isVisible('#share'), true);
  assert.match(await page.textContent('#panel-exploding [data-out=now]'), /^k = 100\b/);
  await page.close();
});

const DIALOG = 'dialog.share';

test('Share dialog: opens and closes by keyboard, keeps Tab inside, returns the focus; en and zh', async () => {
  const page = await context.newPage();
  await openApp(page, gl.url, 'lang=en&tab=exploding&x_n=8&x_seed=7');
  await page.focus('#share');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${DIALOG}[open]`);
  const inside = () => page.evaluate((s) => document.querySelector(s).contains(document.activeElement), DIALOG);
  assert.ok(await inside(), 'focus moves into the dialog');
  assert.equal(await page.textContent('#share-title'), 'Share or embed this view');
  assert.equal(await page.getAttribute(DIALOG, 'aria-labelledby'), 'share-title');
  // the page behind is inert: Tab never lands outside the dialog
  const outside = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    // (the body: the focus is in the browser's own UI, past the last element)
    const where = await page.evaluate((s) => {
      const a = document.activeElement;
      return document.querySelector(s).contains(a) || a === document.body ? null : a.outerHTML.slice(0, 60);
    }, DIALOG);
    if (where) outside.push(where);
  }
  assert.deepEqual(outside, []);
  await page.keyboard.press('Escape');
  await page.waitForSelector(`${DIALOG}:not([open])`, { state: 'attached' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'share', 'focus returns to the button');
  // Chinese
  await page.selectOption('#lang', 'zh');
  await page.click('#share');
  assert.equal(await page.textContent('#share-title'), '分享或嵌入当前视图');
  assert.equal(await page.textContent('#share-copy-link'), '复制');
  assert.equal(await page.textContent('#share-label-jupyter'), 'Jupyter 笔记本单元格');
  assert.match(await page.textContent('#share-size'), /^按当前宽度，嵌入区域为 \d+ × \d+ 像素/);
  await page.click(`${DIALOG} button.close`);
  await page.close();
});

test('Share dialog: the copied link reopens the same view (settings, seed, chart); the snippets follow the form', async () => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gl.url });
  const page = await context.newPage();
  await openApp(page, gl.url, 'lang=en&tab=exploding&x_n=8&x_seed=7&x_sigma=0.5&x_trials=5&embed=1&fig=norms');
  await waitIdle(page, 'exploding');
  await page.click('#share');
  await page.click('#share-copy-link');
  await page.waitForFunction(() => /^Copied: Link to this view\.$/.test(document.getElementById('share-status').textContent));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, await page.inputValue('#share-link'));
  for (const k of ['embed', 'fig', 'prose', 'controls']) assert.ok(!new URLSearchParams(new URL(link).search).has(k), `the link leaves out ${k}`);
  const state = async (p) => Object.fromEntries(Object.entries(await urlParams(p)).filter(([k]) => k.startsWith('x_') || k === 'tab' || k === 'lang'));
  // the whole measured trajectory: Play under reduced motion shows every step at once
  const trajectory = async (p) => {
    await p.emulateMedia({ reducedMotion: 'reduce' });
    await p.click('#panel-exploding button[data-act=play]', { force: true });
    await p.waitForFunction(() => /^k = 100\b/.test(document.querySelector('#panel-exploding [data-out=now]').textContent));
    return p.evaluate(() => globalThis.Chart.getChart(document.querySelector('#panel-exploding canvas[data-chart=norm]')).data.datasets[0].data.map((d) => d.y));
  };
  const there = await context.newPage();
  await openApp(there, link);
  await waitIdle(there, 'exploding');
  assert.deepEqual(await state(there), await state(page));
  assert.equal(await there.evaluate(() => document.body.classList.contains('embed')), false, 'the link opens the full page');
  const mine = await trajectory(there);
  assert.equal(mine.length, 101);
  await there.close();
  await page.click(`${DIALOG} button.close`);
  assert.deepEqual(await trajectory(page), mine, 'the same trajectory: the same seed');
  await page.click('#share');
  // the snippets follow the form: one figure, no prose
  await page.selectOption('#share-fig', 'norms');
  await page.check('#share-prose');
  const loader = await page.inputValue('#share-loader');
  assert.match(loader, new RegExp(`^<script src="${gl.url}web/gen/embed.js" defer></script>\n<div data-gradlab="[^"]*fig=norms&amp;prose=0"></div>$`));
  const height = Number(await page.getAttribute(DIALOG, 'data-height'));
  assert.match(await page.inputValue('#share-iframe'), new RegExp(`embed=1" title="GradLab" width="100%" height="${height}"`));
  assert.match(await page.inputValue('#share-jupyter'), new RegExp(`^from IPython.display import IFrame\nIFrame\\("${gl.url}\\?[^"]*fig=norms&prose=0&embed=1", width="100%", height=${height}\\)$`));
  assert.match(await page.textContent('#share-size'), new RegExp(`× ${height} px`));
  await page.close();
});

test('Share dialog from file://: the link points at the file; without a clipboard the text is selected and a visible line says to press Ctrl+C', async () => {
  const page = await context.newPage();
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await openApp(page, fileUrl(), 'lang=en&tab=vanishing&v_depth=7');
  await page.click('#share');
  assert.match(await page.inputValue('#share-link'), /^file:\/\/\/.*\/index\.html\?lang=en&tab=vanishing&.*v_depth=7/);
  await page.click('#share-copy-iframe');
  assert.match(await page.textContent('#share-status'), /press Ctrl\+C/);
  assert.equal(await page.isVisible('#share-status'), true);
  const sel = await page.evaluate(() => {
    const b = document.getElementById('share-iframe');
    return { focused: document.activeElement === b, whole: b.selectionStart === 0 && b.selectionEnd === b.value.length && b.value.length > 0 };
  });
  assert.deepEqual(sel, { focused: true, whole: true });
  await page.close();
});
