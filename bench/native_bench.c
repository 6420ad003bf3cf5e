/*
 * native_bench.c — the native half of `npm run bench`: times the GradLab core
 * built natively (CMake target gradlab_bench) on the same workloads as the
 * wasm build, and prints one JSON object on stdout for bench/run.js.
 *
 *   gradlab_bench [--warmup N] [--min-runs N] [--min-seconds S] [--only mlp|mm64|mm256|mm512]
 *
 * Workloads (see bench/README.md):
 *   mlp    gl_mlp_stats: depth 50, width 256, batch 128, float32, xavier_normal,
 *          tanh — weight init and RNG included, as in the wasm build;
 *   mmN    gl_matmul: C = A·B, n×n float32 (packing included, as in wasm).
 * Each workload: `warmup` untimed runs, then timed runs until both min_runs
 * runs and min_seconds seconds are done; the median is reported.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradlab.h"

enum { MLP_DEPTH = 50, MLP_WIDTH = 256, MLP_BATCH = 128, MAX_RUNS = 100000 };

typedef struct policy {
  int warmup, min_runs;
  double min_seconds;
} policy;

/* Monotonic wall clock in milliseconds. */
static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int cmp_double(const void *x, const void *y) {
  const double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* One run of a workload: returns a GL status. */
typedef int (*workload_fn)(void *ctx);

/* Times fn under the policy; writes the median, the fastest run and the run count.  Returns a
 * GL status (the first failing run's). */
static int time_median(workload_fn fn, void *ctx, const policy *p, double *median, double *min,
                       int *runs) {
  static double ms[MAX_RUNS];
  int st, n = 0;
  for (int i = 0; i < p->warmup; i++)
    if ((st = fn(ctx))) return st;
  const double start = now_ms();
  while (n < MAX_RUNS && (n < p->min_runs || now_ms() - start < p->min_seconds * 1e3)) {
    const double t0 = now_ms();
    if ((st = fn(ctx))) return st;
    ms[n++] = now_ms() - t0;
  }
  qsort(ms, (size_t)n, sizeof ms[0], cmp_double);
  *min = ms[0];
  *median = n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
  *runs = n;
  return GL_OK;
}

/* ---- workloads ------------------------------------------------------------ */

static int run_mlp(void *ctx) {
  double *stats = ctx;
  return gl_mlp_stats(GL_INIT_XAVIER_NORMAL, NAN, 1, 0, GL_TANH, MLP_DEPTH, MLP_WIDTH, MLP_BATCH,
                      GL_F32, 1, 0, 0, stats, NULL, NULL, NULL);
}

typedef struct mm_ctx {
  int n;
  float *a, *b, *c;
} mm_ctx;

static int run_mm(void *ctx) {
  const mm_ctx *m = ctx;
  return gl_matmul(GL_F32, 0, 0, m->n, m->n, m->n, m->a, m->b, m->c);
}

/* ---- main ------------------------------------------------------------------- */

static int fail(const char *what) {
  fprintf(stderr, "gradlab_bench: %s: %s\n", what, gl_last_error());
  return 1;
}

int main(int argc, char **argv) {
  policy p = {2, 5, 0.5};
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(argv[i], "--warmup") && v)
      p.warmup = atoi(v), i++;
    else if (!strcmp(argv[i], "--min-runs") && v)
      p.min_runs = atoi(v), i++;
    else if (!strcmp(argv[i], "--min-seconds") && v)
      p.min_seconds = atof(v), i++;
    else if (!strcmp(argv[i], "--only") && v)
      only = v, i++;
    else {
      fprintf(stderr,
              "usage: gradlab_bench [--warmup N] [--min-runs N] [--min-seconds S] [--only W]\n");
      return 2;
    }
  }
  if (p.warmup < 0 || p.min_runs < 1 || !(p.min_seconds >= 0)) {
    fprintf(stderr, "gradlab_bench: warmup ≥ 0, min-runs ≥ 1 and min-seconds ≥ 0 please\n");
    return 2;
  }

  double median, min;
  int runs, first = 1;
  printf("{\"results\": [");
  if (!only || !strcmp(only, "mlp")) {
    static double stats[MLP_DEPTH * GL_MLP_NSTAT];
    if (time_median(run_mlp, stats, &p, &median, &min, &runs)) return fail("mlp");
    /* Two figures of the last run, so run.js can check the work was the same. */
    printf("\n  {\"workload\": \"mlp\", \"ms_median\": %.6f, \"ms_min\": %.6f, "
           "\"runs\": %d, \"a_var_last\": %.9g, \"grad_z_var_first\": %.9g}",
           median, min, runs, stats[(MLP_DEPTH - 1) * GL_MLP_NSTAT + GL_MLP_A_VAR],
           stats[GL_MLP_GRAD_Z_VAR]);
    first = 0;
  }
  static const int sizes[] = {64, 256, 512};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    char name[16];
    snprintf(name, sizeof name, "mm%d", sizes[s]);
    if (only && strcmp(only, name)) continue;
    mm_ctx m = {sizes[s], NULL, NULL, NULL};
    const size_t nn = (size_t)m.n * (size_t)m.n;
    m.a = malloc(nn * sizeof(float));
    m.b = malloc(nn * sizeof(float));
    m.c = malloc(nn * sizeof(float));
    int st = !m.a || !m.b || !m.c ? GL_ENOMEM : GL_OK;
    if (!st) st = gl_sample(GL_DIST_NORMAL, GL_F32, 1, 0, 1, (int)nn, m.a);
    if (!st) st = gl_sample(GL_DIST_NORMAL, GL_F32, 2, 0, 1, (int)nn, m.b);
    if (!st) st = time_median(run_mm, &m, &p, &median, &min, &runs);
    free(m.a);
    free(m.b);
    free(m.c);
    if (st) return fail(name);
    printf("%s\n  {\"workload\": \"%s\", \"ms_median\": %.6f, \"ms_min\": %.6f, \"runs\": %d}",
           first ? "" : ",", name, median, min, runs);
    first = 0;
  }
  printf("\n]}\n");
  return 0;
}
