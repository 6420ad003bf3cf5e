// Exporting figures and code, in real Chromium (issue 11, items 4–6):
//   - PNG: the file a learner gets for a figure is PNG_SCALE × devicePixelRatio
//     image pixels per CSS pixel of it (tested at ratio 1 and 2), every pixel
//     opaque, the corner the theme's background (light and dark);
//   - CSV: a title line, the settings URL (opening it reproduces the figure),
//     a header naming the x axis and every plotted series, and exactly the
//     chart's numbers, non-finite ones spelled as the CLI's JSON does
//     (checked against `gradlab matprod --json` on an overflowing product);
//     the heatmap's grid and the decision regions' JSON are complete;
//   - "Copy as PyTorch" copies the lesson's snippet, or shows it in a text
//     box when the clipboard refuses;
//   - the buttons are reachable by keyboard and named after their figure;
//   - no console error, no request outside the page's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { launch, openApp, useApp, waitIdle, watch } from './browser.js';
import { gradlabJson } from '../node/helpers.js';

const app = useApp();

// ---- files -------------------------------------------------------------------------

/** Clicks `button` (a locator) and resolves to the downloaded file: {name, bytes}. */
async function download(page, button) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), button.click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

/**
 * Decodes an 8-bit RGB or RGBA PNG (no interlace): {width, height, pixel(x, y) → [r, g, b, a]}.
 * Undoes the row filters (None, Sub, Up, Average, Paeth) so every alpha is read as stored.
 */
function decodePng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  let at = 8, ihdr = null;
  const idat = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at), type = buf.toString('latin1', at + 4, at + 8), data = buf.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') ihdr = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], color: data[9], interlace: data[12] };
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  assert.equal(ihdr.depth, 8, 'bit depth');
  assert.ok(ihdr.color === 6 || ihdr.color === 2, `colour type ${ihdr.color} (RGBA or RGB)`);
  assert.equal(ihdr.interlace, 0);
  const bpp = ihdr.color === 6 ? 4 : 3, stride = ihdr.width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const px = Buffer.alloc(stride * ihdr.height);
  for (let y = 0; y < ihdr.height; y++) {
    const f = raw[y * (stride + 1)], src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? px[y * stride + i - bpp] : 0, b = y ? px[(y - 1) * stride + i] : 0, c = i >= bpp && y ? px[(y - 1) * stride + i - bpp] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      px[y * stride + i] = (src[i] + pred) & 255;
    }
  }
  return {
    width: ihdr.width, height: ihdr.height, hasAlpha: bpp === 4,
    pixel: (x, y) => { const o = y * stride + x * bpp; return [px[o], px[o + 1], px[o + 2], bpp === 4 ? px[o + 3] : 255]; },
    minAlpha() {
      if (bpp === 3) return 255;
      let m = 255;
      for (let i = 3; i < px.length; i += 4) if (px[i] < m) m = px[i];
      return m;
    },
  };
}

/** The rows of a CSV text (RFC 4180 quoting), '#' comment lines kept apart: {comments, rows}. */
function parseCsv(text) {
  const comments = [], rows = [];
  for (const line of text.split('\n').filter((l) => l.length)) {
    if (line.startsWith('#')) { comments.push(line); continue; }
    const cells = [];
    let cell = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { cells.push(cell); cell = ''; } else cell += ch;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return { comments, rows };
}

/** A CSV cell as a number; only the CLI's spellings are accepted for the non-finite ones. */
function cellNumber(s) {
  if (['Infinity', '-Infinity', 'NaN'].includes(s)) return Number(s);
  assert.match(s, /^-?\d+(\.\d+)?(e[+-]\d+)?$/, `'${s}' is a number as the CLI writes it`);
  return Number(s);
}
const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || a === b;

// ---- the page ----------------------------------------------------------------------

/** What the chart on `canvas` plots: x axis title, each visible series with points ([x, value]: v where the chart shows a gap), bundle lines. */
function chartOnPage(page, canvas) {
  return page.evaluate((sel) => {
    const c = globalThis.Chart.getChart(document.querySelector(sel));
    const series = [];
    c.data.datasets.forEach((d, i) => {
      if (d.data.length && c.isDatasetVisible(i)) series.push({ label: d.label.replace(/^_/, ''), points: d.data.map((p) => [p.x, p.v === undefined ? p.y : p.v]) });
    });
    const bundle = (c.$bundle?.lines || []).filter((l) => l.length).map((l) => l.map((p) => [p.x, p.y]));
    return { x: c.options.scales.x.title.text || 'x', series, bundle };
  }, canvas);
}

/** The figure's box on screen and its title: {width, height, title}. */
function figureBox(page, canvas) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const r = el.getBoundingClientRect();
    return { width: r.width, height: r.height, title: el.title, dpr: devicePixelRatio };
  }, canvas);
}

/** The export buttons of the figure drawn on `canvas`: the group right after its box. */
const buttons = (page, lesson, canvas, format) => page.locator(`#panel-${lesson} #${canvas}-${format}`);

/**
 * Exports the PNG of figure `canvas` (its id) and checks its size, opacity and background;
 * returns the decoded image.
 */
async function checkPng(page, lesson, id, name, bg) {
  const box = await figureBox(page, `#${id}`);
  const file = await download(page, buttons(page, lesson, id, 'png'));
  assert.equal(file.name, `${lesson}-${name}.png`);
  const png = decodePng(file.bytes);
  const scale = 2 * box.dpr;
  assert.equal(png.width, Math.round(box.width * scale), `${name}: width = ${box.width} CSS px × ${scale}`);
  assert.equal(png.height, Math.round(box.height * scale), `${name}: height = ${box.height} CSS px × ${scale}`);
  assert.equal(png.minAlpha(), 255, `${name}: every pixel opaque`);
  assert.deepEqual(png.pixel(0, 0).slice(0, 3), bg, `${name}: the corner is the theme's background`);
  assert.deepEqual(png.pixel(png.width - 1, png.height - 1).slice(0, 3), bg);
  return png;
}

/** Exports the CSV of a chart and checks it against the chart; returns the parsed file. */
async function checkChartCsv(page, lesson, id, name) {
  const box = await figureBox(page, `#${id}`);
  const file = await download(page, buttons(page, lesson, id, 'csv'));
  assert.equal(file.name, `${lesson}-${name}.csv`);
  const csv = parseCsv(file.bytes.toString('utf8'));
  assert.equal(csv.comments[0], `# GradLab: ${box.title}`);
  const url = new URL(csv.comments[1].slice(2));
  assert.equal(url.searchParams.get('tab'), lesson, 'the settings URL names the lesson');
  const chart = await chartOnPage(page, `#${id}`);
  const lines = [...chart.series.map((s) => s.points), ...chart.bundle];
  assert.equal(csv.rows[0][0], chart.x, 'the first column is the x axis');
  assert.deepEqual(csv.rows[0].slice(1, 1 + chart.series.length), chart.series.map((s) => s.label), 'a column per series, by its label');
  assert.equal(csv.rows[0].length, 1 + lines.length, 'and one per line of the fan');
  lines.forEach((pts, j) => {
    const got = csv.rows.slice(1).filter((r) => r[j + 1] !== '').map((r) => [cellNumber(r[0]), cellNumber(r[j + 1])]);
    const want = pts.map((p, i) => [p, i]).sort((a, b) => a[0][0] - b[0][0] || a[1] - b[1]).map(([p]) => p);
    assert.equal(got.length, want.length, `${csv.rows[0][j + 1]}: every point`);
    want.forEach(([x, y], i) => assert.ok(same(got[i][0], x) && same(got[i][1], y), `${csv.rows[0][j + 1]} at x = ${x}: ${got[i]} ≠ ${[x, y]}`));
  });
  return { csv, url, chart };
}

const LIGHT = [255, 255, 255]; // --bg, web/style.css
const DARK = [13, 17, 23];

test('every chart of Vanishing, Init and Xavier exports an opaque PNG of 2× its size and a CSV of exactly its numbers (light and dark)', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  const cases = [
    { lesson: 'vanishing', query: 'lang=en&tab=vanishing', figures: ['curve', 'chain'], bg: LIGHT },
    { lesson: 'init', query: 'lang=zh&tab=init&theme=dark&i_depth=8&i_width=32', figures: ['fwd', 'bwd', 'histA', 'uniform'], bg: DARK },
    { lesson: 'xavier', query: 'lang=en&tab=xavier&theme=dark&xd_samples=2000', figures: ['hist'], bg: DARK },
  ];
  for (const c of cases) {
    await openApp(page, app.base, c.query);
    await waitIdle(page, c.lesson);
    for (const name of c.figures) {
      const id = `export-${c.lesson}-${name}`;
      await checkPng(page, c.lesson, id, name, c.bg);
      const { url } = await checkChartCsv(page, c.lesson, id, name);
      assert.ok(url.href.startsWith(app.base), `${url} is the page's own`);
    }
  }
  // the settings URL reproduces the figure: open it, export again, same numbers
  await openApp(page, app.base, 'lang=en&tab=vanishing&v_act=tanh&v_depth=7&v_seed=3');
  await waitIdle(page, 'vanishing');
  const first = await checkChartCsv(page, 'vanishing', 'export-vanishing-chain', 'chain');
  await openApp(page, app.base, first.url.search);
  await waitIdle(page, 'vanishing');
  const again = await checkChartCsv(page, 'vanishing', 'export-vanishing-chain', 'chain');
  assert.deepEqual(again.csv.rows, first.csv.rows);
  assert.equal(first.url.searchParams.get('v_act'), 'tanh');
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

test('an overflowing product: the CSV writes Infinity and NaN exactly as `gradlab matprod --json` does', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await page.emulateMedia({ reducedMotion: 'reduce' }); // Play shows every step at once
  await openApp(page, app.base, 'lang=en&tab=exploding&x_sigma=10&x_trials=5');
  await waitIdle(page, 'exploding');
  await page.click('#panel-exploding [data-act=play]');
  await checkPng(page, 'exploding', 'export-exploding-norm', 'norm', LIGHT);
  const { csv } = await checkChartCsv(page, 'exploding', 'export-exploding-norm', 'norm');
  const measured = csv.rows.slice(1).map((r) => r[1]);
  const cli = gradlabJson('matprod', '--sigma', '10').data.norms;
  assert.equal(measured.length, cli.length);
  measured.forEach((cell, k) => assert.equal(cell, String(cli[k]), `k = ${k}`));
  assert.ok(measured.includes('Infinity') && measured.includes('NaN'), 'the product overflowed: both spellings occur');
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

test('a training race: the loss chart (with a lane that turned NaN), a heatmap grid as CSV and the decision regions as JSON', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=train&tr_steps=50&tr_depth=3&tr_width=8&tr_points=32');
  await waitIdle(page, 'train');
  await page.selectOption('#panel-train select[name=tr_preset]', 'exploding');
  await page.fill('#panel-train input[name=tr_steps]', '50');
  await page.press('#panel-train input[name=tr_steps]', 'Enter');
  await waitIdle(page, 'train', 120000);
  await checkPng(page, 'train', 'export-train-loss', 'loss', LIGHT);
  const { csv } = await checkChartCsv(page, 'train', 'export-train-loss', 'loss');
  assert.ok(csv.rows.some((r) => r.includes('NaN')), 'the unclipped lane dies: its NaN loss is in the file');
  await checkPng(page, 'train', 'export-train-heat2', 'heat2', LIGHT);
  const heat = parseCsv((await download(page, buttons(page, 'train', 'export-train-heat2', 'csv'))).bytes.toString('utf8'));
  const depth = Number(await page.inputValue('#panel-train input[name=tr_depth]'));
  assert.deepEqual(heat.rows[0], ['step', ...Array.from({ length: depth + 2 }, (_, l) => `layer ${l}`), 'clipped']);
  assert.equal(heat.rows.length - 1, 50, 'one row per step drawn');
  heat.rows.slice(1).forEach((r, k) => {
    assert.equal(r[0], String(k));
    r.slice(1).forEach(cellNumber);
  });
  assert.ok(heat.rows.slice(1).some((r) => r.at(-1) === '1'), 'lane 2 clips its gradient norm: the clipped column says where');
  await checkPng(page, 'train', 'export-train-regions2', 'regions2', LIGHT);
  const file = await download(page, buttons(page, 'train', 'export-train-regions2', 'json'));
  assert.equal(file.name, 'train-regions2.json');
  const regions = JSON.parse(file.bytes.toString('utf8'));
  assert.equal(new URL(regions.settings).searchParams.get('tr_clip2'), 'norm');
  assert.equal(regions.prob.length, regions.grid);
  assert.ok(regions.prob.every((row) => row.length === regions.grid && row.every((p) => p >= 0 && p <= 1)));
  assert.equal(regions.points.length, 2 * Number(new URL(regions.settings).searchParams.get('tr_points')));
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

test('at devicePixelRatio 2 the PNG has 4× the CSS size (2× device pixels)', async () => {
  const { browser, page } = await launch({ deviceScaleFactor: 2 });
  try {
    const w = watch(page, app.base);
    await openApp(page, app.base, 'lang=en&tab=vanishing');
    await waitIdle(page, 'vanishing');
    assert.equal(await page.evaluate(() => devicePixelRatio), 2);
    const png = await checkPng(page, 'vanishing', 'export-vanishing-curve', 'curve', LIGHT);
    const box = await figureBox(page, '#export-vanishing-curve');
    assert.equal(png.width, Math.round(box.width * 4));
    // the page's own canvas is back at the screen's ratio afterwards
    assert.equal(await page.evaluate(() => document.querySelector('#export-vanishing-curve').width), Math.floor(box.width * 2));
    assert.deepEqual(w.errors, []);
  } finally {
    await browser.close();
  }
});

test('the export buttons are named after their figure and work from the keyboard, in English and Chinese', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=vanishing');
  await waitIdle(page, 'vanishing');
  const png = page.getByRole('button', { name: 'Download PNG The activation and its gradient over x from −8 to 8' });
  assert.equal(await png.count(), 1);
  await png.focus();
  const [d] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(d.suggestedFilename(), 'vanishing-curve.png');
  await page.selectOption('#lang', 'zh');
  assert.equal(await page.getByRole('button', { name: '下载 CSV 激活函数及其梯度，x 从 −8 到 8' }).count(), 1);
  assert.equal(await page.getByRole('group', { name: '激活函数及其梯度，x 从 −8 到 8' }).count(), 1);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('"Copy as PyTorch" copies the lesson\'s snippet, or shows it selected in a text box when the clipboard refuses', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=exploding&x_n=6');
  await waitIdle(page, 'exploding');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.base).origin });
  await page.click('#panel-exploding [data-act=pytorch]');
  await page.waitForFunction(() => document.querySelector('#panel-exploding [data-out=copied]').textContent !== '');
  assert.match(await page.textContent('#panel-exploding [data-out=copied]'), /^Copied/);
  const code = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(code, /^# GradLab — the Exploding lesson/);
  assert.match(code, /\n# Settings: http:\/\/[^\n]*tab=exploding[^\n]*x_n=6/);
  assert.match(code, /\nn, sigma, K, T = 6, 1, 100, 30\n/);
  assert.ok(await page.isHidden('#panel-exploding .copycode textarea'));
  // a clipboard that refuses: the code is shown, focused and selected
  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
  await page.click('#panel-exploding [data-act=pytorch]');
  await page.waitForSelector('#panel-exploding .copycode textarea', { state: 'visible' });
  assert.equal(await page.inputValue('#panel-exploding .copycode textarea'), code);
  assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('#panel-exploding .copycode textarea')), true);
  assert.equal(await page.evaluate(() => { const a = document.activeElement; return a.selectionEnd - a.selectionStart; }), code.length);
  assert.match(await page.textContent('#panel-exploding [data-out=copied]'), /clipboard is not available/);
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});
