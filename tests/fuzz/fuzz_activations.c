/* fuzz_activations.c — gl_act_forward/backward, gl_arange_count,
 * gl_activation_curve, gl_chain_grad, gl_act_max_grad, gl_calculate_gain. */
#include "fuzz.h"

enum { N = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  const int act = fz_size(&f, 0, GL_ACT_COUNT - 1), dtype = fz_size(&f, 0, 1);
  double x[N], y[N], g[N], dx[N];
  const int n = fz_size(&f, 0, N);
  for (int i = 0; i < N; i++) x[i] = fz_double(&f, -20, 20), g[i] = fz_double(&f, -2, 2);
  if (dtype == GL_F32) { /* the same bytes as float32 */
    for (int i = 0; i < N; i++) ((float *)x)[i] = (float)x[i], ((float *)g)[i] = (float)g[i];
  }
  memset(y, 0, sizeof y);
  /* the buffers hold N entries: a larger n comes with NULL buffers, which must be refused */
  double *bx = n <= N ? x : NULL, *by = n <= N ? y : NULL, *bg = n <= N ? g : NULL, *bd = n <= N ? dx : NULL;
  if (FZ(gl_act_forward(act, dtype, n, bx, by)) == GL_OK) FZ_CHECK(n >= 0 && n <= N);
  if (FZ(gl_act_backward(act, dtype, n, bx, by, bg, bd)) == GL_OK) FZ_CHECK(n >= 0 && n <= N);
  (void)gl_act_max_grad(act);
  const double gain = gl_calculate_gain(act);
  if (isnan(gain)) FZ_CHECK(gl_last_error()[0] != 0);

  /* arange: the count, then a curve at exactly that count when small */
  const double from = fz_double(&f, -10, 10), to = fz_double(&f, -10, 10), step = fz_double(&f, -2, 2);
  int count = -1;
  if (FZ(gl_arange_count(from, to, step, &count)) == GL_OK) {
    FZ_CHECK(count >= 0 && count <= GL_MAX_POINTS);
    if (count <= N) {
      int argmax = -1;
      double cx[N], cy[N], cg[N];
      if (FZ(gl_activation_curve(act, dtype, from, to, step, count, cx, cy, cg, &argmax)) == GL_OK)
        FZ_CHECK(count == 0 || (argmax >= 0 && argmax < count));
    }
  }
  /* a capacity that is not the count must be refused */
  {
    double cx[N], cy[N], cg[N];
    int argmax;
    const int cap = fz_range(&f, 0, N);
    if (FZ(gl_activation_curve(act, dtype, from, to, step, cap, cx, cy, cg, &argmax)) == GL_OK) FZ_CHECK(cap == count);
  }

  /* the chain of stacked activations */
  {
    enum { D = 32, S = 64 };
    double bound[D], mean[D], median[D], zero[D];
    const int depth = fz_size(&f, 1, D), samples = fz_size(&f, 1, S), dist = fz_size(&f, 0, 1);
    const double a = fz_double(&f, -5, 5), b = fz_double(&f, -5, 5), seed = fz_double(&f, 0, 1000);
    const int ok_sizes = depth >= 1 && depth <= D && samples >= 1 && samples <= S;
    if (ok_sizes || depth > GL_CHAIN_MAX_DEPTH || depth < 1 || samples < 1 || samples > GL_CHAIN_MAX_SAMPLES) {
      if (FZ(gl_chain_grad(act, dtype, dist, a, b, depth, samples, seed, bound, mean, median, zero)) == GL_OK) {
        FZ_CHECK(ok_sizes);
        for (int l = 0; l < depth; l++) FZ_CHECK(!(zero[l] < 0) && !(zero[l] > 1));
      }
    }
  }
  return 0;
}
