#!/usr/bin/env python3
"""test_train_ref.py — the PyTorch reference checked before GradLab is held to it.

Run: python3 tests/torch/test_train_ref.py (ends with "N passed, M failed";
exit 1 on any failure).  A python3 with torch: tests/torch/find-python.sh.
"""
import json
import math
import os
import subprocess
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_ref as tr  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'train_ref.py')


def lane(**kw):
    base = dict(depth=2, width=4, act='tanh', lr=0.1, points=8, turns=1, init='kaiming_normal', seed=3)
    base.update(kw)
    return base


def as_float(v):
    return float(v)  # float('NaN'), float('Infinity') read the script's strings back


class ModelShape(unittest.TestCase):
    def test_state_dict_keys_are_gradlab_tensor_names_for_every_norm(self):
        want_common = ['stem.weight', 'stem.bias', 'hidden.0.weight', 'hidden.0.bias',
                       'hidden.1.weight', 'hidden.1.bias']
        per_norm = {
            'none': [],
            'layer': ['norms.0.weight', 'norms.0.bias', 'norms.1.weight', 'norms.1.bias'],
            'batch': [f'norms.{i}.{k}' for i in range(2)
                      for k in ('weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked')],
        }
        for norm, extra in per_norm.items():
            m = tr.SpiralNet(2, 4, 'relu', False, norm)
            self.assertEqual(list(m.state_dict()), want_common + extra + ['head.weight', 'head.bias'], norm)

    def test_parameter_order_is_state_dict_order_without_buffers(self):
        m = tr.SpiralNet(3, 4, 'gelu', True, 'batch')
        buffers = {n for n, _ in m.named_buffers()}
        self.assertEqual([n for n, _ in m.named_parameters()], [k for k in m.state_dict() if k not in buffers])

    def test_residual_block_adds_phi_of_norm_of_linear_to_its_input(self):
        torch.manual_seed(0)
        m = tr.SpiralNet(1, 4, 'tanh', True, 'layer').double()
        x = torch.randn(5, 2, dtype=torch.float64)
        h0 = torch.tanh(m.stem(x))
        u = torch.tanh(m.norms[0](m.hidden[0](h0)))
        torch.testing.assert_close(m(x), m.head(h0 + u), rtol=0, atol=0)

    def test_relu_backward_is_a_select_a_nan_stops_at_an_off_unit(self):
        # GradLab's gl_act_backward follows this (src/activations.c)
        x = torch.tensor([-1.0, 0.0, 2.0, math.nan], requires_grad=True)
        tr.ACTS['relu']()(x).backward(torch.tensor([math.nan, math.nan, math.nan, 1.0]))
        g = x.grad.tolist()
        self.assertEqual(g[:2], [0.0, 0.0])
        self.assertTrue(math.isnan(g[2]))
        self.assertEqual(g[3], 1.0)

    def test_a_logit_tie_gives_gradients_that_cancel_exactly(self):
        # equal head rows: torch's log_softmax makes p = ½ exactly, so dL/dh = 0 exactly
        m = tr.SpiralNet(1, 4, 'tanh', False, 'none').double()
        with torch.no_grad():
            for lin in (m.stem, m.hidden[0], m.head):
                lin.weight.fill_(0.37)
                lin.bias.zero_()
        X, y = tr.spiral(64, 1)
        loss = torch.nn.functional.cross_entropy(m(torch.tensor(X)), torch.tensor(y))
        loss.backward()
        self.assertEqual(m.stem.weight.grad.abs().max().item(), 0.0)

    def test_activations_are_torchs_leaky_slope_0_01_and_exact_gelu(self):
        x = torch.tensor([-2.0, -0.5, 0.0, 0.7], dtype=torch.float64)
        torch.testing.assert_close(tr.ACTS['leaky_relu']()(x), torch.where(x > 0, x, 0.01 * x), rtol=0, atol=0)
        exact = 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
        torch.testing.assert_close(tr.ACTS['gelu']()(x), exact, rtol=1e-15, atol=0)
        torch.testing.assert_close(tr.ACTS['linear']()(x), x, rtol=0, atol=0)


class Spiral(unittest.TestCase):
    def test_point_i_of_class_c_is_at_radius_i_plus_half_over_p(self):
        X, y = tr.spiral(128, 1)
        r = np.hypot(X[:, 0], X[:, 1])
        np.testing.assert_allclose(r[:128], (np.arange(128) + 0.5) / 128, rtol=1e-15)
        self.assertEqual(list(y), [0] * 128 + [1] * 128)
        self.assertGreater(r.min(), 0, 'no point at the origin')

    def test_class_1_is_class_0_turned_by_pi(self):
        X, _ = tr.spiral(16, 1.5)
        np.testing.assert_allclose(X[16:], -X[:16], atol=1e-15)

    def test_angle_is_two_pi_turns_r(self):
        X, _ = tr.spiral(4, 2)
        r, t = 0.5 / 4, 2 * math.pi * 2 * (0.5 / 4)
        np.testing.assert_allclose(X[0], [r * math.sin(t), r * math.cos(t)], rtol=1e-15)


class BatchNorm(unittest.TestCase):
    def test_running_var_moves_towards_the_unbiased_batch_variance(self):
        ln = tr.Lane(lane(depth=1, norm='batch', dtype='float64'))
        with torch.no_grad():
            pre = ln.model.hidden[0](torch.tanh(ln.model.stem(ln.X)))
        ln.step()
        bn = ln.model.norms[0]
        n = pre.shape[0]
        unbiased = pre.var(0, unbiased=True)
        torch.testing.assert_close(bn.running_var, 0.9 + 0.1 * unbiased, rtol=1e-14, atol=0)
        torch.testing.assert_close(bn.running_mean, 0.1 * pre.mean(0), rtol=1e-14, atol=1e-17)
        biased = pre.var(0, unbiased=False)
        self.assertFalse(torch.allclose(unbiased, biased, rtol=0.5 / n), 'the two variances must differ here')

    def test_training_forward_normalises_with_the_biased_variance(self):
        ln = tr.Lane(lane(depth=1, norm='batch', dtype='float64'))
        with torch.no_grad():
            pre = ln.model.hidden[0](torch.tanh(ln.model.stem(ln.X)))
            ln.model.train()
            out = ln.model.norms[0](pre)
        want = (pre - pre.mean(0)) / torch.sqrt(pre.var(0, unbiased=False) + 1e-5)
        torch.testing.assert_close(out, want, rtol=1e-12, atol=1e-14)


class Gradients(unittest.TestCase):
    def finite_difference_check(self, **kw):
        # the spiral shifted off the origin: on the spiral itself (class 1 = −class 0)
        # an odd φ makes every bias gradient vanish, which would test nothing
        X, y = tr.spiral(8, 1)
        cfg = lane(dtype='float64', X=(X + [0.3, -0.2]).tolist(), y=y.tolist(), **kw)
        got = tr.run_grads(cfg)
        ln = tr.Lane(cfg)
        eps = 1e-6
        errs, scale = [], 0.0
        for name, p in zip(ln.names, ln.params):
            num = torch.empty_like(p)
            with torch.no_grad():
                for i in range(p.numel()):
                    old = p.view(-1)[i].item()
                    losses = []
                    for s in (1, -1):
                        p.view(-1)[i] = old + s * eps
                        ln.model.train()
                        losses.append(float(torch.nn.functional.cross_entropy(ln.model(ln.X), ln.y)))
                    p.view(-1)[i] = old
                    num.view(-1)[i] = (losses[0] - losses[1]) / (2 * eps)
            g = torch.tensor([as_float(v) for v in got['grads'][name]], dtype=torch.float64).view_as(p)
            errs.append((name, float((g - num).norm()), float(num.norm())))
            scale = max(scale, float(num.norm()))
        # central differences with h = 1e-6 are good to ~1e-9 of the gradient's scale
        # a bias in front of BatchNorm has no effect on the loss (the batch mean
        # takes it away)
        zero = {f'hidden.{i}.bias' for i in range(2)} if kw.get('norm') == 'batch' else set()
        for name, err, size in errs:
            if name in zero:
                self.assertLess(size, 1e-9 * scale, name)
            else:
                self.assertGreater(size, 1e-3 * scale, f'{name}: a vanishing gradient tests nothing')
            self.assertLess(err, 1e-6 * size + 1e-9 * scale, (name, kw))

    def test_grads_match_central_differences_in_float64(self):
        for kw in (dict(act='tanh'), dict(act='sigmoid', residual=True), dict(act='gelu', norm='layer'),
                   dict(act='tanh', norm='batch', residual=True), dict(act='sigmoid', norm='batch'),
                   dict(act='linear', norm='layer'), dict(act='leaky_relu', residual=True)):
            with self.subTest(**kw):
                self.finite_difference_check(**kw)

    def test_autograd_gradcheck_of_the_lane_loss(self):
        ln = tr.Lane(lane(dtype='float64', norm='batch', residual=True, act='gelu'))
        names = ln.names

        def loss(*ps):
            out = torch.nn.utils.stateless.functional_call(ln.model, dict(zip(names, ps)), (ln.X,))
            return torch.nn.functional.cross_entropy(out, ln.y)

        inputs = tuple(p.detach().clone().requires_grad_(True) for p in ln.params)
        self.assertTrue(torch.autograd.gradcheck(loss, inputs, eps=1e-6, atol=1e-8, rtol=1e-6))

    def test_total_norm_is_the_two_norm_of_every_gradient_incl_biases_and_gamma_beta(self):
        out = tr.run_grads(lane(norm='layer', dtype='float64'))
        s = sum(as_float(v) ** 2 for g in out['grads'].values() for v in g)
        self.assertAlmostEqual(as_float(out['total_norm']), math.sqrt(s), delta=1e-14 * math.sqrt(s))
        self.assertIn('norms.1.bias', out['grads'])


class Clipping(unittest.TestCase):
    def params_with_grads(self, values):
        ps = []
        for v in values:
            p = torch.nn.Parameter(torch.zeros(len(v)))
            p.grad = torch.tensor(v, dtype=torch.float32)
            ps.append(p)
        return ps

    def test_clip_grad_norm_with_an_infinite_total_gives_nan_and_zero_gradients(self):
        ps = self.params_with_grads([[math.inf, 1.0], [-2.0, 0.0]])
        total = torch.nn.utils.clip_grad_norm_(ps, 1.0)
        self.assertEqual(float(total), math.inf)
        g = [x for p in ps for x in p.grad.tolist()]
        self.assertTrue(math.isnan(g[0]), 'inf · 0 = NaN')
        self.assertEqual(g[1:], [0.0, -0.0, 0.0], 'finite · (1/inf) = 0')

    def test_clip_grad_norm_with_a_nan_total_makes_every_gradient_nan(self):
        ps = self.params_with_grads([[math.nan, 1.0], [2.0]])
        torch.nn.utils.clip_grad_norm_(ps, 1.0)
        self.assertTrue(all(math.isnan(x) for p in ps for x in p.grad.tolist()))

    def test_clip_grad_norm_scales_by_c_over_total_plus_1e_6(self):
        ps = self.params_with_grads([[3.0], [4.0]])
        torch.nn.utils.clip_grad_norm_(ps, 1.0)
        coef = np.float32(1.0) / (np.float32(5.0) + np.float32(1e-6))
        self.assertEqual([p.grad.item() for p in ps], [float(np.float32(3) * coef), float(np.float32(4) * coef)])

    def test_clip_grad_value_clamps_and_nan_stays_nan(self):
        ps = self.params_with_grads([[math.nan, 0.3, -0.3, 0.01, math.inf]])
        torch.nn.utils.clip_grad_value_(ps, 0.05)
        g = ps[0].grad.tolist()
        self.assertTrue(math.isnan(g[0]))
        self.assertEqual(g[1:], [float(np.float32(0.05)), -float(np.float32(0.05)), float(np.float32(0.01)),
                                 float(np.float32(0.05))])

    def test_a_lane_that_explodes_reports_non_finite_values_as_strings(self):
        out = tr.run_steps(lane(depth=8, width=8, act='relu', init='kaiming_normal', gain=6.0, lr=10.0,
                                steps=6, snapshots=[], clip='norm', clip_at=1e30))
        self.assertTrue(any(isinstance(v, str) for v in out['loss']), out['loss'])
        for v in out['loss']:
            self.assertTrue(isinstance(v, float) or v in ('NaN', 'Infinity', '-Infinity'), v)
        json.dumps(out, allow_nan=False)


class Optimizers(unittest.TestCase):
    def test_momentum_buffer_is_the_clipped_gradient_after_the_first_step(self):
        out = tr.run_steps(lane(optimizer='momentum', clip='norm', clip_at=0.01, steps=1, snapshots=[0],
                                grads_at_snapshots=True, dtype='float64'))
        nxt = out['snapshots'][0]['next']
        total = as_float(nxt['total_norm'])
        self.assertGreater(total, 0.01)
        coef = 0.01 / (total + 1e-6)
        for name, g in nxt['grads'].items():
            np.testing.assert_allclose(nxt['optimizer'][name]['momentum_buffer'], np.array(g) * coef, rtol=1e-15)
        self.assertEqual(out['snapshots'][0]['optimizer'], {}, 'no state before the first step')

    def test_adam_first_step_moves_every_weight_by_about_lr(self):
        cfg = lane(optimizer='adam', lr=1e-3, steps=1, snapshots=[0], dtype='float64')
        out = tr.run_steps(cfg)
        s = out['snapshots'][0]
        before = np.array(s['params']['hidden.0.weight'])
        after = np.array(s['next']['params']['hidden.0.weight'])
        np.testing.assert_allclose(np.abs(after - before), 1e-3, rtol=1e-4)
        self.assertEqual(s['next']['optimizer']['hidden.0.weight']['step'], 1.0)

    def test_sgd_step_is_p_minus_lr_g(self):
        cfg = lane(steps=1, snapshots=[0], grads_at_snapshots=True, dtype='float64', lr=0.3)
        s = tr.run_steps(cfg)['snapshots'][0]
        for name, g in s['next']['grads'].items():
            np.testing.assert_allclose(s['next']['params'][name],
                                       np.array(s['params'][name]) - 0.3 * np.array(g), rtol=1e-15, atol=1e-17)


class Steps(unittest.TestCase):
    def test_losses_are_steps_plus_one_the_last_after_the_last_update(self):
        cfg = lane(steps=4, snapshots=[], norm='batch')
        out = tr.run_steps(cfg)
        self.assertEqual(len(out['loss']), 5)
        self.assertEqual(len(out['total_norm']), 4)
        again = tr.run_steps({**cfg, 'steps': 5})
        self.assertEqual(again['loss'][:5], out['loss'], 'loss[4] is step 5\'s forward loss')

    def test_one_step_from_an_exported_state_reproduces_the_trajectory_bit_for_bit(self):
        for opt in ('sgd', 'momentum', 'adam'):
            for norm in ('batch', 'layer'):
                with self.subTest(optimizer=opt, norm=norm):
                    cfg = lane(optimizer=opt, norm=norm, residual=True, lr=0.01, steps=7, snapshots=[5],
                               clip='value', clip_at=0.05)
                    s = tr.run_steps(cfg)['snapshots'][0]
                    again = tr.run_steps({**cfg, 'params': s['params'], 'optimizer_state': s['optimizer'],
                                          'steps': 1, 'snapshots': [0]})['snapshots'][0]
                    self.assertEqual(again['next']['params'], s['next']['params'])
                    self.assertEqual(again['next']['optimizer'], s['next']['optimizer'])
                    self.assertEqual(again['next']['loss'], s['next']['loss'])

    def test_snapshots_hold_running_statistics_and_the_step_count(self):
        s = tr.run_steps(lane(norm='batch', optimizer='adam', steps=0, snapshots=[5]))['snapshots'][0]
        self.assertEqual(s['step'], 5)
        self.assertEqual(s['params']['norms.0.num_batches_tracked'], 5)
        self.assertEqual(s['optimizer']['stem.weight']['step'], 5.0)
        self.assertNotEqual(s['params']['norms.1.running_var'], [1.0] * 4)

    def test_float32_values_are_written_exactly(self):
        out = tr.run_grads(lane())
        for g in out['grads'].values():
            for v in g:
                self.assertEqual(float(np.float32(v)), v)


class Spread(unittest.TestCase):
    def test_reversing_the_batch_leaves_real_gradients_and_moves_the_zero_ones(self):
        out = tr.run_grads(lane(dtype='float64', norm='batch', spread=True))
        g = {k: np.linalg.norm(np.array(v, dtype=float)) for k, v in out['grads'].items()}
        sp = {k: as_float(v) for k, v in out['spread']['grads'].items()}
        self.assertLess(sp['hidden.1.weight'], 1e-12 * g['hidden.1.weight'])
        # a bias in front of BatchNorm has gradient 0: what torch reports is rounding
        self.assertLess(g['hidden.1.bias'], 1e-12 * g['hidden.1.weight'])
        self.assertGreater(sp['hidden.1.bias'], 0.01 * g['hidden.1.bias'])

    def test_the_reversed_batch_is_the_same_mathematics(self):
        out = tr.run_grads(lane(dtype='float64', spread=True))
        self.assertLess(as_float(out['spread']['loss']), 1e-15)

    def test_steps_report_a_loss_spread_per_step_and_one_per_snapshot(self):
        out = tr.run_steps(lane(norm='layer', optimizer='momentum', steps=3, snapshots=[0, 4], spread=True))
        self.assertEqual(len(out['loss_spread']), 4)
        self.assertEqual(len(out['loss']), 6, 'steps run to the last snapshot + 1')
        nxt = out['snapshots'][1]['next']['spread']
        self.assertIn('norms.0.weight', nxt['params'])
        self.assertEqual(set(nxt['optimizer']['head.weight']), {'momentum_buffer'})
        self.assertLess(max(as_float(v) for v in out['loss_spread']), 1e-5)

    def test_the_twin_does_not_disturb_the_lane(self):
        cfg = lane(norm='batch', optimizer='adam', steps=6, snapshots=[2])
        for kind in ('reversed', 'float64'):
            self.assertEqual(tr.run_steps({**cfg, 'spread': kind})['loss'], tr.run_steps(cfg)['loss'], kind)

    def test_a_float64_twin_measures_float32_error(self):
        cfg = lane(depth=3, width=8, norm='batch', optimizer='adam', steps=3, snapshots=[2], spread='float64')
        out = tr.run_steps(cfg)
        s = out['snapshots'][0]
        # float32 rounding: about 1e-7 of the parameters, never 0, never large
        w = np.linalg.norm(np.array(s['next']['params']['hidden.1.weight'], dtype=float))
        d = as_float(s['next']['spread']['params']['hidden.1.weight'])
        self.assertTrue(1e-10 * w < d < 1e-5 * w, (d, w))
        self.assertEqual(set(s['next']['spread']['optimizer']['stem.weight']), {'exp_avg', 'exp_avg_sq'})
        g = tr.run_grads({**cfg, 'mode': 'grads'})
        self.assertLess(as_float(g['spread']['loss']), 1e-6)
        self.assertGreater(as_float(g['spread']['loss']), 0)

    def test_an_unknown_spread_is_bad_input(self):
        with self.assertRaisesRegex(tr.BadInput, 'spread must be'):
            tr.run_grads(lane(spread='sideways'))


class CommandLine(unittest.TestCase):
    def call(self, args, request):
        return subprocess.run([sys.executable, SCRIPT, *args], input=json.dumps(request),
                              capture_output=True, text=True, timeout=120)

    def test_lanes_share_top_level_fields_and_keep_their_order(self):
        X, y = tr.spiral(6, 1)
        req = {'mode': 'grads', 'X': X.tolist(), 'y': y.tolist(), 'depth': 1, 'width': 4, 'lr': 0.1,
               'init': 'xavier_normal', 'lanes': [{'name': 'a', 'act': 'tanh'}, {'name': 'b', 'act': 'relu'}]}
        r = self.call([], req)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual([x['name'] for x in out['lanes']], ['a', 'b'])

    def test_params_and_data_given_are_used_as_given(self):
        base = lane(dtype='float64', norm='batch')
        s = tr.run_steps({**base, 'steps': 0, 'snapshots': [3]})['snapshots'][0]
        X, y = tr.spiral(8, 1)
        r = self.call(['grads'], {**base, 'params': s['params'], 'X': X.reshape(-1).tolist(), 'y': y.tolist()})
        self.assertEqual(r.returncode, 0, r.stderr)
        want = tr.run_grads({**base, 'params': s['params']})
        self.assertEqual(json.loads(r.stdout), want)

    def test_dump_file_supplies_x_y_and_the_tensors(self):
        import tempfile
        base = lane(norm='layer')
        s = tr.run_steps({**base, 'steps': 0, 'snapshots': [0]})['snapshots'][0]
        X, y = tr.spiral(8, 1)
        with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
            json.dump({'X': X.tolist(), 'y': y.tolist(), **s['params']}, f)
        try:
            r = self.call(['grads', '--dump', f.name], {k: v for k, v in base.items() if k not in ('init', 'seed')})
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)['grads'], tr.run_grads({**base, 'params': s['params']})['grads'])

    def test_non_finite_inputs_are_read_from_gradlab_strings(self):
        base = lane(depth=1)
        s = tr.run_steps({**base, 'steps': 0, 'snapshots': [0]})['snapshots'][0]
        s['params']['head.bias'][0] = 'Infinity'  # logit 0 = ∞: loss ∞ − ∞ = NaN for class 0
        r = self.call(['grads'], {**base, 'params': s['params']})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)['loss'], 'NaN')

    def test_bad_input_is_one_line_and_exit_2(self):
        for req, pattern in (({'depth': 2, 'width': 4, 'act': 'swish', 'lr': 0.1, 'points': 4, 'turns': 1},
                              'act must be one of'),
                             ({**lane(), 'params': {'stem.weight': [0.0]}}, 'unknown|needs|missing'),
                             ({**lane(), 'mode': 'nope'}, 'mode must be one of')):
            r = self.call(['grads'] if 'mode' not in req else [], req)
            self.assertEqual(r.returncode, 2, r.stdout)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertRegex(r.stderr, pattern)


if __name__ == '__main__':
    torch.set_num_threads(1)
    result = unittest.main(exit=False, verbosity=2).result
    bad = len(result.failures) + len(result.errors)
    print(f'{result.testsRun - bad} passed, {bad} failed')
    sys.exit(1 if bad or not result.wasSuccessful() else 0)
