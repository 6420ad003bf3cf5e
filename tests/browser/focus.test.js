// Visible focus everywhere (issue 12, item 4): Tab walks every lesson from its
// tab to the end of its panel, and every element it reaches — tabs, sliders,
// number boxes, menus, checkboxes, buttons, glossary terms, charts — draws a
// focus ring: an outline at least 2 px wide whose colour stands out from the
// page behind it by at least 3:1 (WCAG 1.4.11), in the light and the dark
// theme.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, useApp, waitIdle } from './browser.js';

const app = useApp();
const LESSONS = ['vanishing', 'exploding', 'init', 'xavier', 'train'];
/** Tab presses per lesson at most: more than any lesson has focusable elements. */
const MAX_TABS = 400;

/** In the page: the focused element's ring — {what, width, style, contrast} against the page's background. */
function ring() {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  const rgb = (c) => {
    const probe = document.createElement('i');
    probe.style.color = c;
    document.body.append(probe);
    const m = getComputedStyle(probe).color.match(/[\d.]+/g).map(Number);
    probe.remove();
    return m;
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = getComputedStyle(document.body).backgroundColor;
  const [a, b] = [lum(rgb(cs.outlineColor)), lum(rgb(bg))];
  const what = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
  return {
    what, width: parseFloat(cs.outlineWidth), style: cs.outlineStyle,
    contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    inPanel: !!el.closest('section.panel:not([hidden])'), isTab: el.getAttribute('role') === 'tab',
  };
}

for (const theme of ['light', 'dark']) {
  test(`Tab through every lesson (${theme}): each element reached draws a focus ring ≥ 2 px at ≥ 3:1 against the page`, async (t) => {
    const page = await app.browser.newPage();
    await page.emulateMedia({ colorScheme: theme });
    const bad = [];
    const counts = {};
    for (const lesson of LESSONS) {
      // a small Training race, so that the walk is not racing a long job
      await openApp(page, app.base, `lang=en&tab=${lesson}${lesson === 'train' ? '&tr_steps=50&tr_depth=3&tr_width=8&tr_points=32' : ''}`);
      await waitIdle(page, lesson);
      await page.focus(`#tab-${lesson}`);
      let reached = 0;
      let left = false;
      for (let i = 0; i < MAX_TABS && !left; i++) {
        const r = await page.evaluate(ring);
        if (!r.inPanel && !r.isTab) { left = true; break; }
        reached++;
        if (!(r.style !== 'none' && r.width >= 2 && r.contrast >= 3)) bad.push(`${lesson}: ${r.what} outline ${r.style} ${r.width}px, contrast ${r.contrast.toFixed(2)}`);
        await page.keyboard.press('Tab');
      }
      assert.ok(left, `${lesson}: Tab did not leave the panel within ${MAX_TABS} presses`);
      counts[lesson] = reached;
    }
    t.diagnostic(`elements reached by Tab: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const [lesson, n] of Object.entries(counts)) assert.ok(n >= 8, `${lesson}: only ${n} focusable elements reached`);
    assert.deepEqual(bad, []);
    await page.close();
  });
}
