// web/science.js: what the page and the CLI share about initialization.
// Runs against GRADLAB_BUILD=release and =debug.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { INITS } from '../../web/core.js';
import { coreInitArgs, hasMeanField, initNetwork, initParams, usedParams } from '../../web/science.js';
import { gradlabJson } from './helpers.js';

let core;
before(async () => { core = await loadCore(); });

// ---- initParams ---------------------------------------------------------------

test('initParams keeps only what a scheme reads: gain for kaiming_normal, sigma for normal, value for constant', () => {
  const given = { gain: 2, sigma: 0.5, value: 0.1 };
  assert.deepEqual(initParams('kaiming_normal', given), { gain: 2, sigma: null, value: null });
  assert.deepEqual(initParams('normal', given), { gain: null, sigma: 0.5, value: null });
  assert.deepEqual(initParams('constant', given), { gain: null, sigma: null, value: 0.1 });
  assert.deepEqual(initParams('lecun_normal', given), { gain: null, sigma: null, value: null });
  assert.deepEqual(initParams('torch_default', given), { gain: null, sigma: null, value: null });
});

test('initParams defaults: gain NaN (the scheme\'s own), sigma 1, value 0', () => {
  assert.ok(Number.isNaN(initParams('xavier_uniform').gain));
  assert.equal(initParams('uniform').sigma, 1);
  assert.equal(initParams('constant').value, 0);
  assert.throws(() => initParams('he'), RangeError);
});

test('usedParams resolves the default gain to the core\'s: √2 for kaiming_*, 1 for xavier_* and orthogonal', () => {
  assert.equal(usedParams(core, 'kaiming_uniform', {}).gain, Math.SQRT2);
  assert.equal(usedParams(core, 'xavier_normal', {}).gain, 1);
  assert.equal(usedParams(core, 'orthogonal', { gain: 3 }).gain, 3);
  assert.equal(usedParams(core, 'normal', { gain: 3 }).gain, null);
  for (const init of INITS) {
    const args = coreInitArgs(usedParams(core, init, {}));
    assert.ok(core.initTheory({ init, fanIn: 8, fanOut: 8, ...args }).std >= 0, init);
  }
});

// ---- initNetwork ----------------------------------------------------------------

const NET = { act: 'tanh', depth: 6, width: 64, batch: 16, seed: 3 };

test('initNetwork: the core\'s statistics, σ_w² = width·std², and mean-field theory for that σ_w²', () => {
  const net = initNetwork(core, { init: 'xavier_normal', ...NET, bins: 8 });
  assert.deepEqual(net.stats, core.mlpStats({ init: 'xavier_normal', ...NET, bins: 8 }));
  assert.equal(net.stats.hists.length, NET.depth);
  const th = core.initTheory({ init: 'xavier_normal', fanIn: 64, fanOut: 64 });
  assert.deepEqual(net.th, th);
  assert.equal(net.sw2, 64 * th.std * th.std);
  assert.ok(Math.abs(net.sw2 - 1) < 1e-12, 'xavier on a square layer: σ_w² = 1');
  assert.deepEqual(net.theory, core.meanfield({ act: 'tanh', sw2: net.sw2, qx: 1, gVar: 1, depth: NET.depth }));
  assert.deepEqual(net.params, { gain: 1, sigma: null, value: null });
});

test('initNetwork: no mean-field theory for a constant init, whose units are identical', () => {
  assert.equal(hasMeanField('constant'), false);
  const net = initNetwork(core, { init: 'constant', value: 0.05, ...NET });
  assert.equal(net.theory, null);
  assert.equal(net.stats.hists, null);
  for (const l of net.stats.layers) assert.equal(l.unit_spread, 0);
  for (const init of INITS.filter((i) => i !== 'constant')) assert.equal(hasMeanField(init), true, init);
});

test('initNetwork ignores the parameters a scheme does not read, as the core does', () => {
  const a = initNetwork(core, { init: 'kaiming_normal', sigma: 123, value: 7, ...NET });
  const b = initNetwork(core, { init: 'kaiming_normal', ...NET });
  assert.deepEqual(a, b);
});

test('gradlab init-stats reports initNetwork\'s numbers (the CLI uses science.js)', () => {
  const { data } = gradlabJson('init-stats', '--init', 'uniform', '--sigma', '0.2', '--act', 'relu', '--depth', '5',
    '--width', '32', '--batch', '8', '--seed', '9', '--hist-layer', '4', '--bins', '6');
  const net = initNetwork(core, { init: 'uniform', sigma: 0.2, act: 'relu', depth: 5, width: 32, batch: 8, seed: 9, bins: 6 });
  const rel = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  data.theory.forEach((t, i) => assert.ok(rel(t.z_var, net.theory.zVar[i]) && rel(t.grad_z_var, net.theory.gradZVar[i]), `layer ${i + 1}`));
  data.layers.forEach((l, i) => assert.ok(rel(l.z_var, net.stats.layers[i].z_var), `layer ${i + 1}`));
  assert.deepEqual(data.hist.a.counts, Array.from(net.stats.hists[3].a.counts));
  assert.equal(data.hist.grad_z.lo, net.stats.hists[3].gz.lo);
  assert.deepEqual([data.gain, data.sigma, data.value], [null, 0.2, null]);
});
