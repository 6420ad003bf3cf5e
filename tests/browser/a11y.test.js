// Every reader, in real Chromium: axe-core (from npm, evaluated through the
// DevTools protocol: the page's CSP rightly refuses an inline <script>) finds
// no violation of any impact on any lesson — English and Chinese, light and
// dark, embedded and not, idle and while a job computes; the dark theme
// reaches the page and the charts and follows a manual override kept in the
// URL; the Share / Embed dialog, open, has no violation either; reduced motion
// stops the Exploding animation from moving by itself; tabs answer Home/End; a
// log-scale slider announces the value it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, openApp, urlParams, useApp, waitIdle, watch } from './browser.js';

const app = useApp();

/**
 * Per lesson: the query it opens with (small, so it is soon idle), and the
 * settings that make it compute for a while: in the URL it opens with (every
 * job computing, nothing drawn yet), or typed into the number boxes as a
 * learner would (the last one starts the long job; the old results pending).
 */
const LESSONS = {
  vanishing: { open: '', busy: { v_depth: 100, v_samples: 100000 } },
  exploding: { open: '', busy: { x_n: 64, x_trials: 200, x_steps: 1000 } },
  init: { open: '', busy: { i_depth: 200, i_width: 1024 } },
  // samples × (n_in + n_out) = 64M draws, just under the core's cap (2^26)
  xavier: { open: '', busy: { xd_nin: 512, xd_nout: 128, xd_samples: 100000 } },
  train: { open: 'tr_steps=50&tr_depth=3&tr_width=8&tr_points=32', busy: { tr_depth: 60, tr_width: 128, tr_points: 1024, tr_steps: 2000 } },
};

/**
 * Types each {key: value} into its number box while the page's one worker
 * (opened with testworkers=1) runs a job of the test's own (the test build's
 * scheduler.run), so that the lesson's requests wait behind it: its results
 * are pending for a second or more, however quick its own jobs.  Resolves once
 * they show as pending.
 */
async function compute(page, lesson, values) {
  await page.evaluate(() => {
    globalThis.__events = [];
    globalThis.gradlabTest.scheduler.onEvent((e) => globalThis.__events.push(`${Math.round(performance.now())} ${e.type} ${e.lane}`));
    // 64M draws, just under the core's cap (2^26): ~2 s on a busy 2-core machine
    globalThis.gradlabTest.scheduler.run('xavier/derive', {
      nin: 512, nout: 128, xs: true, sigma: 0.05, wd: 'normal', xd: 'normal', mu: 0, gamma: 1, rhow: 0, rhox: 0, delta: 1,
      samples: 100000, seed: 99, dtype: 'float32',
    }).catch(() => {});
  });
  for (const [key, v] of Object.entries(values)) {
    await page.fill(`#panel-${lesson} input[name=${key}]`, String(v));
    await page.press(`#panel-${lesson} input[name=${key}]`, 'Enter');
  }
  await page.waitForSelector(`#panel-${lesson} [data-pending]`, { state: 'attached', timeout: 10000 }).catch(async (e) => {
    // what the scheduler did meanwhile (ms, event, lane)
    const why = await page.evaluate((l) => [location.search, `aria-busy=${document.getElementById(`panel-${l}`).getAttribute('aria-busy')}`, ...globalThis.__events], lesson);
    throw new Error(`${e.message}\n${why.join('\n')}`);
  });
}

for (const lang of ['en', 'zh']) {
  for (const embed of [0, 1]) {
    test(`axe-core: 0 violations on every lesson (${lang}, ${embed ? 'embedded' : 'page'}), light and dark, idle and computing`, async (t) => {
      const page = await app.browser.newPage();
      const w = watch(page, app.base);
      const table = [];
      const violations = [];
      for (const [lesson, how] of Object.entries(LESSONS)) {
        const query = `lang=${lang}&tab=${lesson}&embed=${embed}`;
        const found = {};
        // opening at a large setting: everything is computing, nothing drawn yet (light)
        await page.emulateMedia({ colorScheme: 'light' });
        const heavy = new URLSearchParams(Object.entries(how.busy).map(([k, v]) => [k, String(v)]));
        await page.goto(`${app.base}?${query}&${heavy}`);
        await page.waitForSelector(`body[data-ready="1"] #panel-${lesson}[aria-busy=true]`, { state: 'attached', timeout: 30000 });
        found['light computing'] = await axe(page);
        // idle, in both themes
        await openApp(page, app.base, `${query}&testworkers=1${how.open ? `&${how.open}` : ''}`);
        await waitIdle(page, lesson, 60000);
        found['light idle'] = await axe(page);
        await page.emulateMedia({ colorScheme: 'dark' });
        found['dark idle'] = await axe(page);
        // a change that computes for a while: the old results pending (dark)
        await compute(page, lesson, how.busy);
        found['dark computing'] = await axe(page);
        for (const [state, v] of Object.entries(found)) {
          table.push(`${lesson.padEnd(9)} ${lang} ${embed ? 'embed' : 'page '} ${state.padEnd(15)} ${v.length}`);
          for (const line of v) violations.push(`${lesson} (${state}): ${line}`);
        }
      }
      for (const row of table) t.diagnostic(row);
      assert.deepEqual(violations, [], `${lang}, embed=${embed}`);
      assert.deepEqual(w.errors, []);
      assert.deepEqual(w.external, []);
      await page.close();
    });
  }
}

test('axe-core: 0 violations with the Share / Embed dialog open (en and zh, page and embed); a figure alone, without prose', async (t) => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  const violations = [];
  for (const lang of ['en', 'zh']) {
    for (const embed of [0, 1]) {
      await openApp(page, app.base, `lang=${lang}&tab=init&embed=${embed}&i_depth=5`);
      await page.click('#share');
      await page.waitForSelector('dialog.share[open]');
      await page.selectOption('#share-fig', 'histA'); // the form's options filled in
      const found = await axe(page);
      t.diagnostic(`share dialog ${lang} ${embed ? 'embed' : 'page '} ${found.length}`);
      violations.push(...found.map((v) => `dialog ${lang} embed=${embed}: ${v}`));
    }
  }
  await openApp(page, app.base, 'lang=en&tab=init&embed=1&fig=histA&prose=0&i_depth=5');
  violations.push(...(await axe(page)).map((v) => `fig=histA prose=0: ${v}`));
  assert.deepEqual(violations, []);
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  await page.close();
});

/** Relative luminance of a CSS rgb() colour. */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const looks = (page) => page.evaluate(() => {
  const chart = globalThis.Chart.getChart(document.querySelector('#panel-vanishing canvas[data-chart=chain]'));
  const rgb = (c) => { // any CSS colour as rgb(…)
    const probe = document.createElement('i');
    probe.style.color = c;
    document.body.append(probe);
    const out = getComputedStyle(probe).color;
    probe.remove();
    return out;
  };
  return {
    theme: document.documentElement.dataset.theme,
    bg: getComputedStyle(document.body).backgroundColor === 'rgba(0, 0, 0, 0)'
      ? getComputedStyle(document.documentElement).backgroundColor : getComputedStyle(document.body).backgroundColor,
    fg: getComputedStyle(document.querySelector('#panel-vanishing h2')).color,
    tick: rgb(chart.options.scales.y.ticks.color),
    series: chart.data.datasets[0].borderColor,
  };
});

test('prefers-color-scheme: dark darkens the page and the charts; the Theme menu overrides it, in the URL only when chosen', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, app.base, 'lang=en&tab=vanishing');
  const dark = await looks(page);
  assert.equal(dark.theme, 'dark');
  assert.ok(luminance(dark.bg) < 0.05, `dark background: ${dark.bg}`);
  assert.ok(luminance(dark.fg) > 0.6, `light text: ${dark.fg}`);
  assert.ok(luminance(dark.tick) > 0.2, `light ticks: ${dark.tick}`);
  assert.equal(await page.inputValue('#theme'), 'auto');
  assert.equal((await urlParams(page)).theme, undefined, 'auto is the default: not in the link');
  // the reader chooses light: the charts redraw in the light colours, and the link keeps the choice
  await page.selectOption('#theme', 'light');
  const light = await looks(page);
  assert.equal(light.theme, 'light');
  assert.ok(luminance(light.bg) > 0.9, `light background: ${light.bg}`);
  assert.ok(luminance(light.tick) < 0.2, `dark ticks: ${light.tick}`);
  assert.notEqual(light.series, dark.series, 'the series take the light palette');
  assert.equal((await urlParams(page)).theme, 'light');
  // the choice wins over the system, from a link too
  await openApp(page, app.base, 'lang=en&tab=vanishing&theme=light');
  assert.equal((await looks(page)).theme, 'light');
  // auto follows the system as it changes
  await page.selectOption('#theme', 'auto');
  assert.equal((await looks(page)).theme, 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  assert.ok(luminance((await looks(page)).tick) < 0.2);
  assert.equal((await urlParams(page)).theme, undefined);
  assert.deepEqual(w.errors, []);
  await page.close();
});

const EXP = '#panel-exploding';
const k = (page) => page.textContent(`${EXP} [data-out=now]`).then((s) => Number(s.match(/^k = (\d+)/)[1]));

test('reduced motion: Exploding opens paused at k = 0; Play shows every step at once, with no animation frame in between, and says so', async () => {
  const page = await app.browser.newPage();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page, app.base, 'lang=en&tab=exploding&x_speed=5');
  assert.equal(await k(page), 0);
  assert.equal(await page.textContent(`${EXP} button[data-act=play]`), 'Play');
  assert.equal(await page.evaluate((s) => globalThis.Chart.getChart(document.querySelector(s)).options.animation, `${EXP} canvas`), false);
  // every k the readout shows from the click on
  await page.evaluate((s) => {
    globalThis.__ks = [];
    new MutationObserver(() => globalThis.__ks.push(document.querySelector(s).textContent.match(/^k = (\d+)/)[1]))
      .observe(document.querySelector(s), { childList: true, characterData: true, subtree: true });
  }, `${EXP} [data-out=now]`);
  await page.click(`${EXP} button[data-act=play]`);
  await page.waitForTimeout(600);
  assert.deepEqual(await page.evaluate(() => globalThis.__ks), ['100'], 'straight to the end');
  assert.equal(await page.textContent(`${EXP} button[data-act=play]`), 'Play');
  assert.match(await page.textContent(`${EXP} [role=status][data-out=anim]`), /^All 100 steps shown at once/);
  // Step and Reset still go one multiplication at a time
  await page.click(`${EXP} button[data-act=reset]`);
  await page.click(`${EXP} button[data-act=step]`);
  assert.equal(await k(page), 1);
  assert.match(await page.textContent(`${EXP} [data-out=anim]`), /^Paused at k = 1:/);
  await page.close();
});

test('with motion allowed, Play (a named button) animates and announces playing, pausing and the end', async () => {
  const page = await app.browser.newPage();
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await openApp(page, app.base, 'lang=zh&tab=exploding&x_speed=50');
  assert.equal(await k(page), 0);
  await page.focus(`${EXP} button[data-act=play]`);
  await page.keyboard.press('Enter');
  assert.match(await page.textContent(`${EXP} [data-out=anim]`), /^从 k = 0 开始播放/);
  await page.waitForFunction((s) => /^播放结束/.test(document.querySelector(s).textContent), `${EXP} [data-out=anim]`);
  assert.equal(await k(page), 100);
  await page.close();
});

test('tabs: Home and End go to the first and last lesson, the arrows wrap; the tab list sits in a named nav landmark', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=init');
  const active = () => page.evaluate(() => [document.activeElement.id, document.querySelector('[role=tab][aria-selected=true]').id]);
  await page.focus('#tab-init');
  await page.keyboard.press('End');
  assert.deepEqual(await active(), ['tab-train', 'tab-train']);
  await page.keyboard.press('Home');
  assert.deepEqual(await active(), ['tab-vanishing', 'tab-vanishing']);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await active(), ['tab-train', 'tab-train']);
  assert.equal(await page.getAttribute('nav:has([role=tablist])', 'aria-label'), 'Lessons');
  assert.equal((await urlParams(page)).tab, 'train');
  await page.close();
});

test('a log-scale slider announces the value its box shows (σ = 0.708, not log10 of it), with the unit where there is one', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=exploding&x_sigma=0.708');
  const text = (name) => page.getAttribute(`${EXP} input[name=${name}-slider]`, 'aria-valuetext');
  assert.equal(await text('x_sigma'), '0.708');
  await page.focus(`${EXP} input[name=x_sigma-slider]`);
  await page.keyboard.press('ArrowRight');
  const shown = await page.inputValue(`${EXP} input[name=x_sigma]`);
  assert.notEqual(shown, '0.708');
  assert.equal(await text('x_sigma'), shown);
  assert.equal(await text('x_speed'), '25 steps/s');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction((s) => document.querySelector(s).getAttribute('aria-valuetext') === '25 步/秒', `${EXP} input[name=x_speed-slider]`);
  await page.close();
});

test('Init while it computes: the four scheme menus and the recommended-gain button keep their names', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=en&tab=init&testworkers=1');
  await compute(page, 'init', { i_depth: 200, i_width: 1024 });
  const names = await page.evaluate(() => {
    const root = document.getElementById('panel-init');
    const label = (el) => (el.labels?.[0]?.textContent || '').trim();
    return {
      selects: [...root.querySelectorAll('select[name^=i_s]')].map(label),
      button: root.querySelector('[data-act=recommend]').textContent.trim(),
      busy: root.getAttribute('aria-busy'),
    };
  });
  assert.deepEqual(names.selects, ['Scheme 1', 'Scheme 2', 'Scheme 3', 'Scheme 4']);
  assert.match(names.button, /^Gain recommended for/);
  assert.equal(names.busy, 'true');
  await page.close();
});
