/*
 * native_bench.c — the native half of `npm run bench`: the GradLab core built
 * natively (CMake target gradlab_bench) runs the same workloads as the wasm
 * build, on request, so that bench/run.js can interleave the implementations
 * run by run (on a shared machine the speed of a core drifts by 2× within
 * seconds: only runs taken side by side compare).
 *
 *   gradlab_bench        reads lines "WORKLOAD REPS" on stdin (WORKLOAD one of
 *                        mlp, mlpprof, train, mm64, mm256, mm512, peak; 1 ≤ REPS ≤ 100000), runs the
 *                        workload REPS times and answers with one JSON line:
 *                        {"ms": [each run's milliseconds], ...}; for mlp also
 *                        two statistics of the last run, so that run.js can
 *                        check the work was the same.  Exits at end of input;
 *                        a bad line gets {"error": "..."} and exit status 2.
 *
 * Workloads (see bench/README.md):
 *   mlp    gl_mlp_stats: depth 50, width 256, batch 128, float32, xavier_normal,
 *          tanh — weight init and RNG included, as in the wasm build;
 *   mlpprof  the same with gl_profile's phase timers on; its line also has
 *          "phases_ms": the REPS runs' matmul, draws, act, stats, total;
 *   train  gl_train_step of the lesson's default lane (ReLU + Kaiming normal,
 *          depth 20, width 32, 128 points per class, float32, SGD lr 0.1), with
 *          the per-layer gradient norms and relative updates the lesson reads;
 *          the state is made anew every TRAIN_RESTART steps, outside the timing,
 *          so that every run is a step of the first 300 of a run (as the race);
 *   mmN    gl_matmul: C = A·B, n×n float32 (packing included, as in wasm);
 *   peak   this CPU's float32 FMA peak: PEAK_CHAINS independent chains
 *          acc ← acc·m + c of the widest FMA the build targets (AVX-512F,
 *          else AVX2 FMA, else a plain multiply-add), PEAK_ITERS steps each;
 *          its answer adds "flops" (per run) and "isa".  The library is not
 *          involved: it is the ceiling the native and wasm rows are read against.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradlab.h"

enum { MLP_DEPTH = 50, MLP_WIDTH = 256, MLP_BATCH = 128, MAX_REPS = 100000 };
enum { TRAIN_DEPTH = 20, TRAIN_RESTART = 300 };

/* Monotonic wall clock in milliseconds. */
static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

/* One run of a workload: returns a GL status. */
typedef int (*workload_fn)(void *ctx);

/* ---- workloads ------------------------------------------------------------ */

static int run_mlp(void *ctx) {
  double *stats = ctx;
  const double cfg[GL_MLP_NCFG] = {
      [GL_MLP_CFG_INIT] = GL_INIT_XAVIER_NORMAL, [GL_MLP_CFG_GAIN] = NAN,      [GL_MLP_CFG_SIGMA] = 1,
      [GL_MLP_CFG_ACT] = GL_TANH,                [GL_MLP_CFG_DEPTH] = MLP_DEPTH, [GL_MLP_CFG_WIDTH] = MLP_WIDTH,
      [GL_MLP_CFG_BATCH] = MLP_BATCH,            [GL_MLP_CFG_DTYPE] = GL_F32,    [GL_MLP_CFG_SEED] = 1};
  return gl_mlp_stats(cfg, stats, NULL, NULL);
}

/* The training workload: its state, and the steps taken since it was made. */
typedef struct train_ctx {
  double cfg[GL_TRAIN_NCFG], bytes, report[GL_TRAIN_NSTAT];
  double norms[TRAIN_DEPTH + 2], rel[TRAIN_DEPTH + 2];
  void *state;
  int steps;
} train_ctx;

static int train_setup(train_ctx *t) {
  const double cfg[GL_TRAIN_NCFG] = {
      [GL_TRAIN_CFG_DEPTH] = TRAIN_DEPTH, [GL_TRAIN_CFG_WIDTH] = 32,
      [GL_TRAIN_CFG_ACT] = GL_RELU,       [GL_TRAIN_CFG_INIT] = GL_INIT_KAIMING_NORMAL,
      [GL_TRAIN_CFG_GAIN] = NAN,          [GL_TRAIN_CFG_SIGMA] = 1,
      [GL_TRAIN_CFG_CLIP_AT] = NAN,       [GL_TRAIN_CFG_OPTIMIZER] = GL_OPT_SGD,
      [GL_TRAIN_CFG_LR] = 0.1,            [GL_TRAIN_CFG_DTYPE] = GL_F32,
      [GL_TRAIN_CFG_POINTS] = 128,        [GL_TRAIN_CFG_TURNS] = 1};
  memcpy(t->cfg, cfg, sizeof cfg);
  t->bytes = gl_train_bytes(t->cfg);
  if (!(t->bytes > 0) || !(t->state = malloc((size_t)t->bytes))) return 1;
  t->steps = TRAIN_RESTART; /* made on the first run */
  return 0;
}

/* One step; the state is made anew (untimed, by the caller) every TRAIN_RESTART steps. */
static int run_train(void *ctx) {
  train_ctx *t = ctx;
  t->steps++;
  return gl_train_step(t->state, t->report, t->norms, t->rel);
}

static int train_restart_if_due(train_ctx *t) {
  if (t->steps < TRAIN_RESTART) return 0;
  t->steps = 0;
  return gl_train_init(t->cfg, t->state, t->bytes);
}

typedef struct mm_ctx {
  int n;
  float *a, *b, *c;
} mm_ctx;

static int run_mm(void *ctx) {
  const mm_ctx *m = ctx;
  return gl_matmul(GL_F32, 0, 0, m->n, m->n, m->n, m->a, m->b, m->c);
}

/* ---- the native FMA peak ------------------------------------------------------ */

/* Independent chains: FMA latency (4–5 cycles) × 2 FMA ports needs ≥ 10 in flight. */
enum { PEAK_CHAINS = 12, PEAK_ITERS = 2000000 };

#if defined(__AVX512F__) || defined(__FMA__)
#include <immintrin.h>
#endif
#if defined(__AVX512F__)
#define PEAK_ISA "avx512f"
#define PEAK_LANES 16
typedef __m512 peak_v;
#define PEAK_SET(x) _mm512_set1_ps(x)
#define PEAK_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define PEAK_SUM(v) _mm512_reduce_add_ps(v)
#elif defined(__FMA__) && defined(__AVX__)
#define PEAK_ISA "avx2-fma"
#define PEAK_LANES 8
typedef __m256 peak_v;
#define PEAK_SET(x) _mm256_set1_ps(x)
#define PEAK_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
static float peak_sum(__m256 v) {
  float f[8];
  _mm256_storeu_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#define PEAK_SUM(v) peak_sum(v)
#else
#define PEAK_ISA "scalar"
#define PEAK_LANES 1
typedef float peak_v;
#define PEAK_SET(x) (x)
#define PEAK_FMA(a, b, c) ((a) * (b) + (c))
#define PEAK_SUM(v) (v)
#endif
#define PEAK_FLOPS ((double)PEAK_CHAINS * PEAK_ITERS * PEAK_LANES * 2)

/* The chains converge to c/(1 − m), so nothing overflows or goes subnormal;
 * the sum is returned so that the compiler keeps every chain. */
static volatile float peak_sink;
static int run_peak(void *ctx) {
  (void)ctx;
  const peak_v m = PEAK_SET(0.999f), c = PEAK_SET(0.001f);
  peak_v acc[PEAK_CHAINS];
  for (int j = 0; j < PEAK_CHAINS; j++) acc[j] = PEAK_SET((float)j);
  for (int i = 0; i < PEAK_ITERS; i++)
    for (int j = 0; j < PEAK_CHAINS; j++) acc[j] = PEAK_FMA(acc[j], m, c);
  float sum = 0;
  for (int j = 0; j < PEAK_CHAINS; j++) sum += PEAK_SUM(acc[j]);
  peak_sink = sum;
  return 0;
}

/* ---- main ------------------------------------------------------------------- */

static int fail(const char *what) {
  printf("{\"error\": \"%s: %s\"}\n", what, gl_last_error());
  return 1;
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc != 1) {
    fprintf(stderr, "usage: gradlab_bench < commands (lines \"WORKLOAD REPS\", see bench/native_bench.c)\n");
    return 2;
  }
  static double stats[MLP_DEPTH * GL_MLP_NSTAT], ms[MAX_REPS];
  static const int sizes[] = {64, 256, 512};
  static train_ctx train;
  if (train_setup(&train)) return fail("train");
  mm_ctx mm[3];
  for (int s = 0; s < 3; s++) {
    const size_t nn = (size_t)sizes[s] * (size_t)sizes[s];
    mm[s] = (mm_ctx){sizes[s], malloc(nn * sizeof(float)), malloc(nn * sizeof(float)),
                     malloc(nn * sizeof(float))};
    if (!mm[s].a || !mm[s].b || !mm[s].c) return fail("out of memory");
    if (gl_sample(GL_DIST_NORMAL, GL_F32, 1, 0, 1, (int)nn, mm[s].a) ||
        gl_sample(GL_DIST_NORMAL, GL_F32, 2, 0, 1, (int)nn, mm[s].b))
      return fail("inputs");
  }
  char line[128], name[32];
  int reps;
  while (fgets(line, sizeof line, stdin)) {
    workload_fn fn = NULL;
    void *ctx = NULL;
    if (sscanf(line, "%31s %d", name, &reps) == 2 && reps >= 1 && reps <= MAX_REPS) {
      if (!strcmp(name, "mlp") || !strcmp(name, "mlpprof")) fn = run_mlp, ctx = stats;
      if (!strcmp(name, "train")) fn = run_train, ctx = &train;
      if (!strcmp(name, "peak")) fn = run_peak;
      for (int s = 0; s < 3; s++) {
        char mmname[16];
        snprintf(mmname, sizeof mmname, "mm%d", sizes[s]);
        if (!strcmp(name, mmname)) fn = run_mm, ctx = &mm[s];
      }
    }
    if (!fn) {
      line[strcspn(line, "\n\"\\")] = 0;
      printf("{\"error\": \"bad command '%s': want WORKLOAD REPS\"}\n", line);
      return 2;
    }
    const int profiled = !strcmp(name, "mlpprof");
    double phases[GL_PROFILE_N];
    gl_profile(profiled, NULL);
    for (int i = 0; i < reps; i++) {
      if (fn == run_train && train_restart_if_due(&train)) return fail(name);
      const double t0 = now_ms();
      if (fn(ctx)) return fail(name);
      ms[i] = now_ms() - t0;
    }
    printf("{\"ms\": [");
    for (int i = 0; i < reps; i++) printf("%s%.6f", i ? ", " : "", ms[i]);
    gl_profile(0, phases);
    if (profiled) {
      printf("], \"phases_ms\": [");
      for (int p = 0; p < GL_PROFILE_N; p++) printf("%s%.6f", p ? ", " : "", phases[p]);
    }
    if (fn == run_mlp)
      printf("], \"a_var_last\": %.9g, \"grad_z_var_first\": %.9g}\n",
             stats[(MLP_DEPTH - 1) * GL_MLP_NSTAT + GL_MLP_A_VAR], stats[GL_MLP_GRAD_Z_VAR]);
    else if (fn == run_peak)
      printf("], \"flops\": %.0f, \"isa\": \"%s\"}\n", PEAK_FLOPS, PEAK_ISA);
    else
      printf("]}\n");
    fflush(stdout);
  }
  for (int s = 0; s < 3; s++) free(mm[s].a), free(mm[s].b), free(mm[s].c);
  free(train.state);
  return 0;
}
