// honest-controls.test.js — a control that cannot change the view is disabled
// and says why (en and zh), and moving it starts no job; it comes back when
// the setting that made it inert changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSubmits, openApp, submits, useApp, waitIdle, watch } from './browser.js';

const app = useApp();

/** {disabled, why, describedBy} of the control of global key `key`. */
function control(page, key) {
  return page.evaluate((k) => {
    const root = document.querySelector(`section.panel:not([hidden]) .control[data-key="${k}"]`);
    const input = root.querySelector('input, select');
    const why = root.querySelector('.why');
    return { disabled: input.disabled, why: why.hidden ? '' : why.textContent, describedBy: input.getAttribute('aria-describedby') === why.id };
  }, key);
}
const inertSoon = (page, key, on) => page.waitForFunction(([k, v]) => {
  const i = document.querySelector(`section.panel:not([hidden]) .control[data-key="${k}"] input, section.panel:not([hidden]) .control[data-key="${k}"] select`);
  return i && i.disabled === v;
}, [key, on], { timeout: 10000 });

test('Initialization: Gain is disabled with its reason while each scheme uses its default gain, and moving it starts no job', async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  await openApp(page, app.base, 'lang=en&tab=init');
  await waitIdle(page, 'init');
  await inertSoon(page, 'i_gain', true);
  const gain = await control(page, 'i_gain');
  assert.deepEqual(gain, { disabled: true, why: 'Each scheme’s default gain is in use (the box above).', describedBy: true });
  assert.equal((await control(page, 'i_value')).why, 'No scheme shown is constant.');
  assert.equal((await control(page, 'i_depth')).disabled, false);
  await countSubmits(page);
  await page.evaluate(() => {
    const s = document.querySelector('#panel-init [name="i_gain-slider"]');
    s.value = '0.5';
    s.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForTimeout(300);
  assert.deepEqual(await submits(page), {}, 'no job for an inert control');
  // untick the default: the gain is read again, the control comes back
  await page.click('#panel-init .control[data-key="i_gdef"] input');
  await inertSoon(page, 'i_gain', false);
  assert.deepEqual(await control(page, 'i_gain'), { disabled: false, why: '', describedBy: false });
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('Training (zh): the threshold of a lane without clipping and the lanes not raced are disabled, with reasons in Chinese', async () => {
  const page = await app.browser.newPage();
  await openApp(page, app.base, 'lang=zh&tab=train&tr_steps=50&tr_lanes=2');
  await inertSoon(page, 'tr_clipat1', true);
  assert.equal((await control(page, 'tr_clipat1')).why, '这条赛道没有开启梯度裁剪。');
  assert.equal((await control(page, 'tr_act3')).why, '这条赛道不在比赛中（见“赛道数”）。');
  assert.equal((await control(page, 'tr_act2')).disabled, false);
  await page.close();
});
