/*
 * gradlab.h — the whole public C API of the GradLab core.
 *
 * The same files build natively (CMake, ctest) and to WebAssembly (emcc); no
 * core file includes <emscripten.h>.  The functions exported to JavaScript are
 * listed in src/exports.txt: that list is the documented ABI.
 *
 * Conventions
 *  - Every function that can fail returns an int status (GL_OK = 0); on failure
 *    gl_last_error() describes why.  Nothing aborts, exits or writes out of
 *    bounds on bad input; sizes are validated before anything is allocated.
 *  - Output buffers are owned by the caller.  The core never returns malloc'd
 *    memory; what it allocates internally it frees on every exit path.
 *  - `dtype` selects the element type of the void* tensors: GL_F32 (float, the
 *    default, as PyTorch) or GL_F64 (double).  Statistics are accumulated and
 *    returned in double whatever the dtype.
 *  - Seeds are doubles holding a non-negative integer ≤ 2^53, so they cross the
 *    wasm boundary without 64-bit integer legalisation.
 */
#ifndef GRADLAB_H
#define GRADLAB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status, errors, limits ------------------------------------------- */

enum gl_status { GL_OK = 0, GL_EINVAL = 1, GL_ERANGE = 2, GL_ENOMEM = 3 };

/* Element types of tensors. */
enum gl_dtype { GL_F32 = 0, GL_F64 = 1 };
#define GL_DTYPE_COUNT 2

/* Limits.  Each is enforced by the C function named and returned by
 * gl_limit(GL_LIMIT_…) so that the JavaScript layers read, never retype, them. */
/* Cap on the memory one call may need (bytes): its own allocations, and for
 * gl_mlp_stats also the caller's outputs (gl_mlp_bytes counts both). */
#define GL_MAX_BYTES ((size_t)512 << 20)
/* Largest seed: integers up to 2^53 are exact in a double. */
#define GL_MAX_SEED 9007199254740992.0
/* Most points an activation curve may have (gl_arange_count). */
#define GL_MAX_POINTS 1000000
/* Most histogram bins (gl_histogram, gl_mlp_stats). */
#define GL_MAX_BINS 1000
/* Largest m, n, k of gl_matmul. */
#define GL_MATMUL_MAX_DIM (1 << 20)
/* Most samples of one gl_sample call (INT32_MAX / 8: a float64 buffer stays < 2 GiB). */
#define GL_SAMPLE_MAX_COUNT (INT32_MAX / 8)
/* gl_chain_grad: most stacked activations and most input samples. */
#define GL_CHAIN_MAX_DEPTH 1000
#define GL_CHAIN_MAX_SAMPLES 1000000
/* gl_matprod / gl_matprod_ensemble: largest n, most steps, most trials. */
#define GL_MATPROD_MAX_N 64
#define GL_MATPROD_MAX_STEPS 10000
#define GL_ENSEMBLE_MAX_TRIALS 100000
/* gl_matprod_theory: largest n. */
#define GL_THEORY_MAX_N 4096
/* Largest fan_in or fan_out of an init scheme (the product is further capped by GL_MAX_BYTES). */
#define GL_MAX_FAN 65536
/* Largest side of gl_random_orthogonal and of an orthogonal init's fans (a
 * 4096×4096 draw is already ~10¹¹ flops). */
#define GL_ORTHO_MAX_SIDE 4096
/* gl_mlp_stats: most layers, widest layer, largest batch. */
#define GL_MLP_MAX_DEPTH 1000
#define GL_MLP_MAX_WIDTH 4096
#define GL_MLP_MAX_BATCH 4096
/* gl_mlp_stats keeps the weights for the backward pass up to this many bytes;
 * past it each W_l is drawn again (an orthogonal init then pays its QR twice:
 * web/budget.js counts it). */
#define GL_MLP_WEIGHT_CACHE_BYTES ((double)(64u << 20))
/* gl_meanfield: most layers. */
#define GL_MEANFIELD_MAX_DEPTH 100000
/* gl_train_*: most hidden blocks, narrowest and widest width, most points per
 * class of the spiral, most turns. */
#define GL_TRAIN_MAX_DEPTH 100
#define GL_TRAIN_MIN_WIDTH 4
#define GL_TRAIN_MAX_WIDTH 128
#define GL_TRAIN_MAX_POINTS 1024
#define GL_TRAIN_MAX_TURNS 4
/* Most steps of one race: not a check of gl_train_step (one step a call) but
 * the bound the lesson and `gradlab train` loop to, kept here with the others. */
#define GL_TRAIN_MAX_STEPS 2000
/* gl_xavier_check: largest n_in or n_out is GL_MAX_FAN; most trials, and most
 * random draws of one call (trials·(n_in + n_out)). */
#define GL_XAVIER_MAX_SAMPLES 1000000
#define GL_XAVIER_MAX_DRAWS ((double)(1 << 26))
/* gl_xavier_check: the weight families are the first GL_XAVIER_WEIGHT_DISTS
 * values of enum gl_xd_dist (the zero-mean ones). */
#define GL_XAVIER_WEIGHT_DISTS 4

/* The limits above, in the order gl_limit and gl_enum_name(GL_ENUM_LIMIT, …) use. */
enum gl_limit {
  GL_LIMIT_MAX_BYTES = 0,
  GL_LIMIT_MAX_SEED,
  GL_LIMIT_MAX_POINTS,
  GL_LIMIT_MAX_BINS,
  GL_LIMIT_MATMUL_MAX_DIM,
  GL_LIMIT_SAMPLE_MAX_COUNT,
  GL_LIMIT_CHAIN_MAX_DEPTH,
  GL_LIMIT_CHAIN_MAX_SAMPLES,
  GL_LIMIT_MATPROD_MAX_N,
  GL_LIMIT_MATPROD_MAX_STEPS,
  GL_LIMIT_ENSEMBLE_MAX_TRIALS,
  GL_LIMIT_THEORY_MAX_N,
  GL_LIMIT_MAX_FAN,
  GL_LIMIT_ORTHO_MAX_SIDE,
  GL_LIMIT_MLP_MAX_DEPTH,
  GL_LIMIT_MLP_MAX_WIDTH,
  GL_LIMIT_MLP_MAX_BATCH,
  GL_LIMIT_MEANFIELD_MAX_DEPTH,
  GL_LIMIT_TRAIN_MAX_DEPTH,
  GL_LIMIT_TRAIN_MIN_WIDTH,
  GL_LIMIT_TRAIN_MAX_WIDTH,
  GL_LIMIT_TRAIN_MAX_POINTS,
  GL_LIMIT_TRAIN_MAX_TURNS,
  GL_LIMIT_TRAIN_MAX_STEPS,
  GL_LIMIT_XAVIER_MAX_SAMPLES,
  GL_LIMIT_XAVIER_MAX_DRAWS,
  GL_LIMIT_XAVIER_WEIGHT_DISTS,
  GL_LIMIT_MLP_WEIGHT_CACHE_BYTES,
  GL_LIMIT_COUNT
};

/* Leaky ReLU's negative slope, as torch.nn.LeakyReLU's default. */
#define GL_LEAKY_SLOPE 0.01

/* Message describing the last failure (static storage, never NULL). */
const char *gl_last_error(void);
/* Version string of the core, e.g. "0.1.0" (static storage). */
const char *gl_version(void);
/* GL_MAX_BYTES, for callers that allocate buffers for the core. */
double gl_max_bytes(void);
/* Bytes per element of dtype, or 0 if dtype is not a gl_dtype. */
int gl_dtype_size(int dtype);
/* The value of limit `which` (enum gl_limit) as a double, NaN if unknown. */
double gl_limit(int which);
/* GL_LEAKY_SLOPE, the slope gl_act_forward uses for x < 0 with GL_LEAKY_RELU. */
double gl_leaky_slope(void);

/* The enumerations whose names gl_enum_name gives (the ABI's vocabulary). */
enum gl_enum {
  GL_ENUM_ACT = 0,      /* enum gl_act: "sigmoid", … */
  GL_ENUM_INIT = 1,     /* enum gl_init: "normal", … */
  GL_ENUM_DTYPE = 2,    /* enum gl_dtype: "float32", "float64" */
  GL_ENUM_DIST = 3,     /* enum gl_dist: "normal", "uniform" */
  GL_ENUM_ENSEMBLE = 4, /* enum gl_ensemble: "gaussian", "orthogonal" */
  GL_ENUM_MLP_STAT = 5, /* enum gl_mlp_stat: "z_mean", … */
  GL_ENUM_LIMIT = 6,    /* enum gl_limit: "max_bytes", … */
  GL_ENUM_MLP_CFG = 7,  /* enum gl_mlp_cfg: "init", "gain", … */
  GL_ENUM_TRAIN_CFG = 8,  /* enum gl_train_cfg: "depth", "width", … */
  GL_ENUM_NORM = 9,       /* enum gl_norm: "none", "batch", "layer" */
  GL_ENUM_CLIP = 10,      /* enum gl_clip: "none", "value", "norm" */
  GL_ENUM_OPTIMIZER = 11, /* enum gl_optimizer: "sgd", "momentum", "adam" */
  GL_ENUM_TRAIN_STAT = 12, /* enum gl_train_stat: "loss", "accuracy", … */
  GL_ENUM_XD_DIST = 13,    /* enum gl_xd_dist: "normal", "uniform", … */
  GL_ENUM_XAVIER_CFG = 14, /* enum gl_xavier_cfg: "n_in", "n_out", … */
  GL_ENUM_XAVIER_STAT = 15, /* enum gl_xavier_stat: "o_mean", … */
  GL_ENUM_PROFILE = 16      /* enum gl_profile_phase: "matmul", … */
};
#define GL_ENUM_COUNT 17

/* Number of values of enumeration `which` (enum gl_enum), or 0 if unknown. */
int gl_enum_count(int which);
/* Name (snake_case, static storage) of value i of enumeration `which`, or NULL. */
const char *gl_enum_name(int which, int i);

/* ---- matrix product ---------------------------------------------------- */

/* C (m×n) = op(A)·op(B) for row-major dtype matrices: op(A) is A (m×k) or,
 * if ta, Aᵀ with A stored k×m; op(B) is B (k×n) or, if tb, Bᵀ with B stored
 * n×k.  Each entry is summed over k in order (identical rows give identical
 * results).  Packed SIMD kernel; allocates packing space for op(B). */
int gl_matmul(int dtype, int ta, int tb, int m, int n, int k, const void *A, const void *B,
              void *C);

/* ---- random numbers ---------------------------------------------------- */

/* xoshiro256** generator state (Blackman & Vigna 2018), seeded by splitmix64. */
typedef struct gl_rng {
  uint64_t s[4];
} gl_rng;

/* Seeds r from a 64-bit integer (every seed, including 0, is valid). */
void gl_rng_init(gl_rng *r, uint64_t seed);
/* Next 64 raw bits. */
uint64_t gl_rng_next(gl_rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double gl_rng_uniform(gl_rng *r);
/* Uniform float in [0, 1) with 24 random bits. */
float gl_rng_uniformf(gl_rng *r);
/* Standard normal double (256-layer ziggurat, tables in ziggurat_tables.h). */
double gl_rng_normal(gl_rng *r);
/* n standard normals times scale into out (dtype), the numbers gl_rng_normal
 * would give in turn, caller-owned; the fast way to fill a tensor. */
void gl_rng_normal_fill(gl_rng *r, int dtype, size_t n, double scale, void *out);
/* Checks that seed is an integer in [0, 2^53] and stores it in *out. */
int gl_seed_from_double(double seed, uint64_t *out);

/* Sampling distributions. */
enum gl_dist { GL_DIST_NORMAL = 0, GL_DIST_UNIFORM = 1 };
#define GL_DIST_COUNT 2

/* Fills out[0..n) (dtype) with i.i.d. samples from a fresh generator seeded
 * with `seed`: normal → N(a, b²) (b ≥ 0); uniform → U[a, b) (a < b).
 * float32 samples are the float64 samples rounded, so both dtypes agree
 * (except that a uniform value rounding up to b becomes the largest value of
 * the dtype below b). */
int gl_sample(int dist, int dtype, double seed, double a, double b, int n, void *out);

/* Population statistics of v[0..n) (dtype) accumulated in float64:
 * out[0..4] = count, mean, variance, min, max.  Non-finite entries propagate. */
int gl_stats(int dtype, int n, const void *v, double *out);

/* Counts of the finite v[0..n) (dtype) in `bins` equal bins over
 * [range[0], range[1]]; values outside go to the end bins, non-finite ones are
 * skipped.  If the range is not finite with lo < hi it is replaced by the
 * data's min and max and written back (widened to v ± |v|/2, or ±½ at 0, if
 * they coincide, so the bins have a width).
 * counts holds `bins` doubles (1 ≤ bins ≤ GL_MAX_BINS). */
int gl_histogram(int dtype, int n, const void *v, int bins, double *counts, double *range);

/* q[0..nq) = the p[k]-quantiles (0 ≤ p[k] ≤ 1) of the finite v[0..n)
 * (dtype), as torch.quantile's default 'linear': with m finite values sorted
 * x_0 ≤ … ≤ x_{m−1} and h = p·(m − 1), x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋);
 * NaN if no value is finite.  1 ≤ nq ≤ GL_MAX_BINS; allocates (and frees) n
 * doubles, refused past GL_MAX_BYTES.  q is owned by the caller. */
int gl_quantiles(int dtype, int n, const void *v, int nq, const double *p, double *q);

/* ---- activations ------------------------------------------------------- */

enum gl_act {
  GL_SIGMOID = 0,
  GL_TANH = 1,
  GL_RELU = 2,
  GL_LEAKY_RELU = 3, /* negative slope GL_LEAKY_SLOPE, as torch.nn.LeakyReLU */
  GL_GELU = 4,       /* exact erf form, as torch.nn.GELU() */
  GL_LINEAR = 5
};
#define GL_ACT_COUNT 6

/* Name of an activation ("sigmoid", …) or NULL; and the inverse (-1 if unknown). */
const char *gl_act_name(int act);
int gl_act_from_name(const char *name);

/* y = φ(x) elementwise, n entries of dtype.  x and y may alias. */
int gl_act_forward(int act, int dtype, int n, const void *x, void *y);

/* Vector–Jacobian product dx = g ⊙ φ'(x), as autograd computes x.grad after
 * y.backward(g).  Sigmoid and tanh use the saved output y (s·(1−s), 1−y²);
 * the others use x.  relu' (0) = 0 as in PyTorch.  dx may alias g. */
int gl_act_backward(int act, int dtype, int n, const void *x, const void *y, const void *g,
                    void *dx);

/* Number of points of torch.arange(from, to, step) in *n (GL_ERANGE past
 * GL_MAX_POINTS; GL_EINVAL for a zero/non-finite step or a wrong direction). */
int gl_arange_count(double from, double to, double step, int *n);

/* The curve of the Vanishing panel: x = arange(from, to, step) (x_i = from +
 * i·step computed in float64, then rounded to dtype, as PyTorch), y = φ(x),
 * grad = d(Σy)/dx from the backward pass with upstream ones.  `n` is the
 * capacity of each buffer and must equal the arange count.  *argmax receives
 * the index of the largest gradient (first one on ties). */
int gl_activation_curve(int act, int dtype, double from, double to, double step, int n, void *x,
                        void *y, void *grad, int *argmax);

/* Largest value of φ' over the real line (0.25 for sigmoid, 1 for tanh, …). */
double gl_act_max_grad(int act);

/* The gradient that survives a chain of `depth` stacked activations:
 * for `samples` inputs x ~ dist(a, b) (as gl_sample), computes
 * g_l = d φ(φ(…φ(x))) / dx after l = 1..depth layers by backward passes in dtype.
 * Writes, for l = 1..depth (index l−1): bound[l] = (max φ')^l, the best case;
 * mean[l] = mean of |g_l|; median[l] = median of |g_l|; zero[l] = fraction of
 * samples whose gradient is exactly 0.  Buffers hold `depth` doubles each. */
int gl_chain_grad(int act, int dtype, int dist, double a, double b, int depth, int samples,
                  double seed, double *bound, double *mean, double *median, double *zero);

/* ---- special functions ------------------------------------------------- */

/* Digamma ψ(x) = Γ'(x)/Γ(x) for x > 0 (NaN otherwise), to ~2e-15 relative
 * (~4e-16 absolute near its root x ≈ 1.4616); ψ(+∞) = +∞. */
double gl_digamma(double x);

/* ---- products of random matrices (Exploding panel) --------------------- */

enum gl_ensemble { GL_ENS_GAUSSIAN = 0, GL_ENS_ORTHOGONAL = 1 };
#define GL_ENSEMBLE_COUNT 2

/* Fills q (rows×cols, row-major, dtype) with `scale` times a Haar-random
 * matrix with orthonormal rows (rows ≤ cols) or columns (rows ≥ cols), as
 * torch.nn.init.orthogonal_: Householder QR of a Gaussian (max×min) matrix,
 * the signs of diag(R) folded into Q so Q is uniform, transposed if rows < cols.
 * Square when rows = cols.  Allocates a scratch of rows·cols + 2·min(rows, cols)
 * doubles, freed before returning. */
int gl_random_orthogonal(int rows, int cols, double scale, int dtype, gl_rng *r, void *q);

/* One trajectory M_0, M_k = M_{k−1}·W_k (k = 1..steps), every matrix n×n with
 * i.i.d. N(0, σ²) entries (or σ·Q, Q Haar-orthogonal), computed in dtype.
 * norms[0..steps] receive the Frobenius norms computed in float64 from the
 * entries; first and last (n×n, dtype, may be NULL) receive M_0 and M_steps;
 * traj (may be NULL) receives the top-left block×block corner of every M_k,
 * (steps+1)·block² entries of dtype; *overflow_step receives the first k at
 * which an entry is non-finite, or −1 (overflow_step must not be NULL).  Seeded from `seed` (trial 1 of
 * gl_matprod_ensemble with the same seed). */
int gl_matprod(int n, int steps, double sigma, int ensemble, int dtype, double seed, int block,
               double *norms, void *first, void *last, void *traj, int *overflow_step);

/* `trials` independent trajectories in float64 with per-step renormalisation
 * (so nothing overflows): mean_log[k] = mean over trials of ln‖M_k‖ (k =
 * 0..steps).  fan (may be NULL) receives ln‖M_k‖ of the first fan_count trials,
 * fan_count·(steps+1) doubles, trial-major.  Trial 1 uses the same stream as
 * gl_matprod with the same seed. */
int gl_matprod_ensemble(int n, int steps, double sigma, int ensemble, int trials, double seed,
                        double *mean_log, int fan_count, double *fan);

/* Theory per multiplication: *typical = ln σ + ½(ln 2 + ψ(n/2)) (Newman 1986,
 * top Lyapunov exponent), *rms = ½ ln(nσ²) (E‖MW‖² = nσ²‖M‖²), both ln σ for
 * the orthogonal ensemble; *critical_sigma = σ keeping the typical norm flat. */
int gl_matprod_theory(int n, double sigma, int ensemble, double *typical, double *rms,
                      double *critical_sigma);

/* ---- initialization (semantics of torch.nn.init) ----------------------- */

enum gl_init {
  GL_INIT_NORMAL = 0,          /* N(0, σ²) */
  GL_INIT_UNIFORM = 1,         /* U(−σ√3, σ√3): std σ */
  GL_INIT_XAVIER_UNIFORM = 2,  /* bound gain·√(6/(fan_in+fan_out)) */
  GL_INIT_XAVIER_NORMAL = 3,   /* std gain·√(2/(fan_in+fan_out)) */
  GL_INIT_KAIMING_UNIFORM = 4, /* bound gain·√(3/fan_in), gain default √2 */
  GL_INIT_KAIMING_NORMAL = 5,  /* std gain/√fan_in, gain default √2 */
  GL_INIT_LECUN_NORMAL = 6,    /* std 1/√fan_in */
  GL_INIT_ORTHOGONAL = 7,      /* as torch.nn.init.orthogonal_, gain default 1 */
  GL_INIT_TORCH_DEFAULT = 8,   /* nn.Linear's own: U(−1/√fan_in, 1/√fan_in) */
  GL_INIT_CONSTANT = 9         /* every weight = value */
};
#define GL_INIT_COUNT 10

/* Name of an init scheme ("xavier_uniform", …) or NULL; inverse (-1 if unknown). */
const char *gl_init_name(int init);
int gl_init_from_name(const char *name);

/* torch.nn.init.calculate_gain(act): sigmoid 1, tanh 5/3, relu √2,
 * leaky_relu √(2/(1+0.01²)), linear 1; NaN with GL_EINVAL for gelu and any
 * unknown act (torch raises "Unsupported nonlinearity gelu"). */
double gl_calculate_gain(int act);

/* The scheme's default gain (√2 for kaiming_*, 1 otherwise). */
double gl_init_default_gain(int init);

/* Bits of gl_init_uses: the parameters a scheme reads. */
enum gl_init_param { GL_USES_GAIN = 1, GL_USES_SIGMA = 2, GL_USES_VALUE = 4 };
/* Which of gain, sigma, value the scheme reads (GL_USES_* bits; 0 for an
 * unknown scheme).  Only those are validated: pass anything for the others. */
int gl_init_uses(int init);

/* Theoretical std and uniform bound (NaN when the scheme is not uniform) of
 * the scheme for a (fan_out × fan_in) weight.  A NaN gain means "default". */
int gl_init_theory(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                   double *std, double *bound);

/* Fills w (fan_out × fan_in, row-major as nn.Linear.weight, dtype) from r. */
int gl_init_fill(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                 int dtype, gl_rng *r, void *w);

/* Draws one (fan_out × fan_in) matrix with a fresh generator seeded by seed
 * into w (may be NULL: then a scratch buffer is used) and writes its
 * statistics as gl_stats does into stats[0..4]. */
int gl_init_sample(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                   int dtype, double seed, void *w, double *stats);

/* ---- deep MLP statistics (Initialization panel) ------------------------ */

/* Per-layer statistics written by gl_mlp_stats, GL_MLP_NSTAT doubles a layer. */
enum gl_mlp_stat {
  GL_MLP_Z_MEAN = 0,
  GL_MLP_Z_VAR = 1,
  GL_MLP_A_MEAN = 2,
  GL_MLP_A_VAR = 3,
  GL_MLP_GRAD_A_VAR = 4,
  GL_MLP_GRAD_Z_VAR = 5,
  GL_MLP_GRAD_W_VAR = 6,
  GL_MLP_UNIT_SPREAD = 7 /* max over batch rows of (max − min over the layer's units) of a_l */
};
#define GL_MLP_NSTAT 8

/* The configuration of gl_mlp_stats: GL_MLP_NCFG doubles indexed by this
 * enum (one array instead of a long argument list; new options extend it).
 * Entries marked "integer" must hold an integral value. */
enum gl_mlp_cfg {
  GL_MLP_CFG_INIT = 0,  /* integer: enum gl_init */
  GL_MLP_CFG_GAIN = 1,  /* the scheme's gain, NaN for its default (read if it uses gain) */
  GL_MLP_CFG_SIGMA = 2, /* std of normal/uniform (read if the scheme uses sigma) */
  GL_MLP_CFG_VALUE = 3, /* every weight of constant (read only by constant) */
  GL_MLP_CFG_ACT = 4,   /* integer: enum gl_act, after every layer */
  GL_MLP_CFG_DEPTH = 5, /* integer 1..GL_MLP_MAX_DEPTH: layers L */
  GL_MLP_CFG_WIDTH = 6, /* integer 1..GL_MLP_MAX_WIDTH: units per layer */
  GL_MLP_CFG_BATCH = 7, /* integer 1..GL_MLP_MAX_BATCH: rows of the input */
  GL_MLP_CFG_DTYPE = 8, /* integer: enum gl_dtype of the arithmetic */
  GL_MLP_CFG_SEED = 9,  /* integer in [0, 2^53] */
  GL_MLP_CFG_BINS = 10, /* integer 0..GL_MAX_BINS: histogram bins per layer, 0 for none */
  GL_MLP_CFG_HIST_TAIL = 11, /* in [0, 0.5): share of values each histogram leaves out at each
                              * end (its range: the tail and 1 − tail quantiles); 0: min..max */
  GL_MLP_NCFG = 12
};

/* Every byte a gl_mlp_stats call with this cfg needs at most: its own
 * allocations (the orthogonal scheme's scratch counted whatever the scheme,
 * so the figure depends on depth, width, batch, dtype and bins only) plus the
 * caller's stats, hist and hist_range.  NaN (and gl_last_error) if one of
 * those five entries is invalid. */
double gl_mlp_bytes(const double *cfg);

/* Forward and backward pass of an MLP of `depth` layers of width `width`, no
 * biases: a_0 = X (batch × width, i.i.d. N(0,1)), z_l = a_{l−1}·W_lᵀ,
 * a_l = φ(z_l); upstream ∂ℓ/∂a_L i.i.d. N(0,1).  Weights from the init scheme.
 * One generator seeded by seed draws, in order, X, W_1..W_L, then ∂ℓ/∂a_L.
 * cfg: GL_MLP_NCFG doubles (enum gl_mlp_cfg), read only.
 * stats (depth·GL_MLP_NSTAT doubles, layer-major, caller-owned) receive
 * population statistics over all entries, accumulated in float64.
 * If bins > 0, histograms at every layer: hist (depth·2·bins doubles,
 * layer-major: for layer l, bins counts of a_l then bins counts of ∂ℓ/∂z_l)
 * and hist_range (depth·4 doubles: a lo, a hi, ∂z lo, ∂z hi of each layer,
 * in/out): a range that is not finite with lo < hi is replaced by that
 * layer's data range and written back, as gl_histogram does; with a hist_tail
 * > 0 by its hist_tail and 1 − hist_tail quantiles (gl_quantiles), and the
 * values outside are then left out of the counts (batch·width − Σ counts of a
 * histogram: the values it does not show).  hist and hist_range may be NULL
 * when bins = 0. */
int gl_mlp_stats(const double *cfg, double *stats, double *hist, double *hist_range);

/* Where gl_mlp_stats spends its time, for the benchmark (enum gl_profile_phase
 * indexes GL_PROFILE_N doubles, in ms): enable ≠ 0 starts accumulating the
 * phases of every later gl_mlp_stats call, enable = 0 stops; out (may be NULL)
 * receives what was accumulated since the previous call, which starts again
 * from 0.  "Other" is TOTAL minus the four phases (allocation, layout,
 * copies).  Off by default: the timers then cost one branch each. */
enum gl_profile_phase {
  GL_PROFILE_MATMUL = 0, /* gl_matmul_packed: z = a·Wᵀ, ∂W, ∂a */
  GL_PROFILE_DRAWS,      /* X, every W_l (the init scheme) and ∂ℓ/∂a_L */
  GL_PROFILE_ACT,        /* φ forward, φ' backward */
  GL_PROFILE_STATS,      /* moments, unit spread, histograms */
  GL_PROFILE_TOTAL,      /* the whole of gl_mlp_stats */
  GL_PROFILE_N
};
int gl_profile(int enable, double *out);

/* Mean-field theory (Poole et al. 2016; Schoenholz et al. 2017) by
 * quadrature (Gauss–Legendre panels, closed-form tails; see meanfield.c):
 * q_1 = σ_w²·q_x, q_l = σ_w²·E[φ(√q_{l−1} Z)²]
 * for the variance of z_l, and backward Var(∂z_L) = E[φ'(z_L)²]·g_var,
 * Var(∂z_l) = σ_w²·E[φ'(z_l)²]·Var(∂z_{l+1}).  sw2 = width·Var(W).
 * z_var and grad_z_var receive `depth` doubles each. */
int gl_meanfield(int act, double sw2, double q_x, double g_var, int depth, double *z_var,
                 double *grad_z_var);

/* E[f(√q·Z)] for Z ~ N(0,1) by quadrature (Gauss–Hermite is far off for
 * large q, see meanfield.c); f = φ² (which = 0) or φ'² (which = 1). */
double gl_gauss_expect(int act, int which, double q);

/* ---- training (Remedies lesson) ------------------------------------------ */

/* The model (train.c): stem Linear(2, W) → φ; `depth` blocks
 * u = φ(Norm(Linear(W, W)(h))), h ← h + u with `residual`, else h ← u; head
 * Linear(W, 2); softmax cross-entropy (mean) over the full batch of a 2-arm
 * spiral.  Weights by the init scheme with each layer's fans, biases 0,
 * norm γ = 1, β = 0.  PyTorch semantics throughout (see train.c). */
enum gl_norm { GL_NORM_NONE = 0, GL_NORM_BATCH = 1, GL_NORM_LAYER = 2 };
#define GL_NORM_COUNT 3
enum gl_clip { GL_CLIP_NONE = 0, GL_CLIP_VALUE = 1, GL_CLIP_NORM = 2 };
#define GL_CLIP_COUNT 3
/* SGD; SGD with momentum 0.9; Adam (β 0.9/0.999, eps 1e-8). */
enum gl_optimizer { GL_OPT_SGD = 0, GL_OPT_MOMENTUM = 1, GL_OPT_ADAM = 2 };
#define GL_OPTIMIZER_COUNT 3

/* The configuration of gl_train_*: GL_TRAIN_NCFG doubles indexed by this enum.
 * Entries marked "integer" must hold an integral value. */
enum gl_train_cfg {
  GL_TRAIN_CFG_DEPTH = 0,     /* integer 1..GL_TRAIN_MAX_DEPTH: hidden blocks L */
  GL_TRAIN_CFG_WIDTH = 1,     /* integer GL_TRAIN_MIN_WIDTH..GL_TRAIN_MAX_WIDTH: units W */
  GL_TRAIN_CFG_ACT = 2,       /* integer: enum gl_act, after the stem and in every block */
  GL_TRAIN_CFG_INIT = 3,      /* integer: enum gl_init of every Linear weight */
  GL_TRAIN_CFG_GAIN = 4,      /* the scheme's gain, NaN for its default (read if it uses gain) */
  GL_TRAIN_CFG_SIGMA = 5,     /* std of normal/uniform (read if the scheme uses sigma) */
  GL_TRAIN_CFG_VALUE = 6,     /* every weight of constant (read only by constant) */
  GL_TRAIN_CFG_RESIDUAL = 7,  /* integer 0/1: h ← h + u instead of h ← u */
  GL_TRAIN_CFG_NORM = 8,      /* integer: enum gl_norm between Linear and φ in every block */
  GL_TRAIN_CFG_CLIP = 9,      /* integer: enum gl_clip */
  GL_TRAIN_CFG_CLIP_AT = 10,  /* > 0, finite: the value or norm threshold (read if clip ≠ none) */
  GL_TRAIN_CFG_OPTIMIZER = 11, /* integer: enum gl_optimizer */
  GL_TRAIN_CFG_LR = 12,       /* > 0, finite: learning rate */
  GL_TRAIN_CFG_DTYPE = 13,    /* integer: enum gl_dtype of parameters and arithmetic */
  GL_TRAIN_CFG_SEED = 14,     /* integer in [0, 2^53]: the weights */
  GL_TRAIN_CFG_POINTS = 15,   /* integer 1..GL_TRAIN_MAX_POINTS: points per class (batch 2·points) */
  GL_TRAIN_CFG_TURNS = 16,    /* in (0, GL_TRAIN_MAX_TURNS]: turns of each spiral arm */
  GL_TRAIN_CFG_NOISE = 17,    /* ≥ 0, finite: uniform noise ±noise on each coordinate */
  GL_TRAIN_CFG_DATA_SEED = 18, /* integer in [0, 2^53]: the noise */
  GL_TRAIN_NCFG = 19
};

/* What gl_train_step reports, GL_TRAIN_NSTAT doubles indexed by this enum. */
enum gl_train_stat {
  GL_TRAIN_LOSS = 0,       /* mean cross-entropy of this step's forward pass (before the update) */
  GL_TRAIN_ACCURACY = 1,   /* fraction of points whose larger logit is their class, same pass */
  GL_TRAIN_TOTAL_NORM = 2, /* 2-norm of every parameter gradient (weights, biases, γ, β), before clipping */
  GL_TRAIN_CLIPPED = 3     /* 1 if clipping acted (norm: coef < 1; value: an entry clamped), else 0 */
};
#define GL_TRAIN_NSTAT 4

/* Bytes of the caller-owned training state for cfg (GL_TRAIN_NCFG doubles),
 * or NaN (and gl_last_error) if cfg is invalid or the state passes the
 * GL_MAX_BYTES cap.  The state holds no pointers: it may be copied or moved. */
double gl_train_bytes(const double *cfg);
/* Fills `state` (state_bytes ≥ gl_train_bytes(cfg), 8-byte aligned, caller-owned)
 * with the spiral data and freshly initialised parameters; step count 0. */
int gl_train_init(const double *cfg, void *state, double state_bytes);
/* One training step: zero-grad → forward (training mode) → backward → clip →
 * update.  stats (GL_TRAIN_NSTAT doubles) receive the step's report;
 * grad_norms and rel_updates (depth + 2 doubles each, one per Linear from stem
 * to head, may be NULL) receive ‖∂L/∂W_l‖ (Frobenius, before clipping) and
 * ‖W_l,new − W_l,old‖/‖W_l,old‖ from the stored weights (exactly 0 when every
 * W + ΔW rounds back to W: the update was lost).  Non-finite values propagate. */
int gl_train_step(void *state, double *stats, double *grad_norms, double *rel_updates);
/* Loss and accuracy (out[0], out[1]) of a training-mode forward pass at the
 * current parameters (batch statistics, running statistics left alone). */
int gl_train_evaluate(void *state, double *out);
/* Probability of class 1 for m points (m×2 doubles, row-major) into prob (m
 * doubles), in eval mode (BatchNorm uses its running statistics). */
int gl_train_predict(void *state, int m, const double *points, double *prob);
/* Number of tensors of the model's state_dict (gl_train_tensor_info order). */
int gl_train_tensor_count(const void *state);
/* Name (PyTorch state_dict key, NUL-terminated, into name[0..cap), cap ≥ 32) and
 * shape (shape[0] rows, shape[1] columns or 0 for a vector) of tensor t:
 * stem.weight, stem.bias, hidden.i.weight, hidden.i.bias (i < depth), then per
 * block norms.i.weight, norms.i.bias (and norms.i.running_mean,
 * norms.i.running_var for batch norm), then head.weight, head.bias. */
int gl_train_tensor_info(const void *state, int t, char *name, int cap, int *shape);
/* Copies tensor t (dtype, row-major) out of / into the state. */
int gl_train_get(const void *state, int t, void *out);
int gl_train_set(void *state, int t, const void *in);
/* The data: X (2·points × 2, dtype; class 0 rows first) and y (2·points int32);
 * gl_train_set_data replaces them (every y must be 0 or 1). */
int gl_train_data(const void *state, void *X, int32_t *y);
int gl_train_set_data(void *state, const void *X, const int32_t *y);
/* Per hidden layer h_0 (stem) … h_depth: max over points of (max − min over
 * the layer's units), from a training-mode forward pass at the current
 * parameters; out holds depth + 1 doubles.  0 = every unit identical. */
int gl_train_unit_spread(void *state, double *out);
/* Loss (*loss) of a training-mode forward pass at the current parameters
 * (batch statistics; running statistics untouched) and every parameter
 * gradient of it, before any clipping, left in the state for gl_train_get_grad. */
int gl_train_gradients(void *state, double *loss);
/* Copies tensor t's gradient (dtype, row-major; zeros for running statistics)
 * out: after gl_train_gradients, or after gl_train_step (then clipped). */
int gl_train_get_grad(const void *state, int t, void *out);
/* The optimizer's state of parameter tensor t (dtype, row-major), as torch
 * names it: which = 0 the momentum buffer (momentum) or exp_avg (Adam), 1
 * exp_avg_sq (Adam).  EINVAL for running statistics or a moment the
 * optimizer does not keep. */
int gl_train_get_moment(const void *state, int t, int which, void *out);
int gl_train_set_moment(void *state, int t, int which, const void *in);
/* Steps taken, the optimizer's step count (torch's state['step']; momentum
 * starts its buffer at step 1, Adam's bias correction uses it), into *steps /
 * set to an integer in [0, 2^53]. */
int gl_train_get_steps(const void *state, double *steps);
int gl_train_set_steps(void *state, double steps);

/* ---- the Xavier derivation, checked by Monte-Carlo (xavier.c) ------------ */

/* Families of w_ij and x_j, each scaled to the mean and std asked for:
 * normal; uniform (mean ± std·√3); rademacher (mean ± std, each with
 * probability ½); laplace (scale std/√2, heavy-tailed); relu_normal
 * (x = max(0, z), z ~ N(mean, std²): not zero-mean, inputs only). */
enum gl_xd_dist {
  GL_XD_NORMAL = 0,
  GL_XD_UNIFORM = 1,
  GL_XD_RADEMACHER = 2,
  GL_XD_LAPLACE = 3,
  GL_XD_RELU_NORMAL = 4
};
#define GL_XD_DIST_COUNT 5

/* The configuration of gl_xavier_check: GL_XAVIER_NCFG doubles indexed by
 * this enum.  Entries marked "integer" must hold an integral value. */
enum gl_xavier_cfg {
  GL_XAVIER_CFG_N_IN = 0,    /* integer 1..GL_MAX_FAN: terms of o_i = Σ_j w_ij x_j */
  GL_XAVIER_CFG_N_OUT = 1,   /* integer 1..GL_MAX_FAN: terms of ∂L/∂x_j = Σ_i w_ij ∂L/∂o_i */
  GL_XAVIER_CFG_SIGMA = 2,   /* std σ of every w_ij, ≥ 0; NaN for Xavier's √(2/(n_in + n_out)) */
  GL_XAVIER_CFG_W_DIST = 3,  /* integer: enum gl_xd_dist of w, one of the first GL_XAVIER_WEIGHT_DISTS */
  GL_XAVIER_CFG_X_DIST = 4,  /* integer: enum gl_xd_dist of x */
  GL_XAVIER_CFG_MU = 5,      /* finite: mean of x (of z for relu_normal) */
  GL_XAVIER_CFG_GAMMA = 6,   /* ≥ 0, finite: std of x (of z for relu_normal) */
  GL_XAVIER_CFG_RHO_W = 7,   /* in [0, 1]: probability that a row of W is one repeated draw */
  GL_XAVIER_CFG_RHO_X = 8,   /* in [0, 1]: probability that x is one repeated draw */
  GL_XAVIER_CFG_DELTA = 9,   /* ≥ 0, finite: std δ of the upstream gradients ∂L/∂o_i ~ N(0, δ²) */
  GL_XAVIER_CFG_SAMPLES = 10, /* integer 2..GL_XAVIER_MAX_SAMPLES: independent trials */
  GL_XAVIER_CFG_DTYPE = 11,  /* integer: enum gl_dtype of w, x and the dot products */
  GL_XAVIER_CFG_SEED = 12,   /* integer in [0, 2^53] */
  GL_XAVIER_NCFG = 13
};

/* What gl_xavier_check writes, GL_XAVIER_NSTAT doubles indexed by this enum:
 * measured figures (each with its standard error, _SE) and the formulas'
 * values, all in float64. */
enum gl_xavier_stat {
  GL_XAVIER_O_MEAN = 0,      /* measured E[o] */
  GL_XAVIER_O_MEAN_SE = 1,
  GL_XAVIER_O_VAR = 2,       /* measured Var[o] */
  GL_XAVIER_O_VAR_SE = 3,
  GL_XAVIER_G_MEAN = 4,      /* measured E[∂L/∂x_j] */
  GL_XAVIER_G_MEAN_SE = 5,
  GL_XAVIER_G_VAR = 6,       /* measured Var[∂L/∂x_j] */
  GL_XAVIER_G_VAR_SE = 7,
  GL_XAVIER_W_VAR = 8,       /* measured mean of w_ij² (E[w] = 0: its variance) */
  GL_XAVIER_W_VAR_SE = 9,
  GL_XAVIER_X_MEAN = 10,     /* measured E[x_j] */
  GL_XAVIER_X_MEAN_SE = 11,
  GL_XAVIER_X_SQ = 12,       /* measured E[x_j²] */
  GL_XAVIER_X_SQ_SE = 13,
  GL_XAVIER_SIGMA = 14,      /* the σ used (Xavier's when the cfg said NaN) */
  GL_XAVIER_TH_X_MEAN = 15,  /* E[x_j] of the family */
  GL_XAVIER_TH_X_VAR = 16,   /* Var[x_j] of the family: d2l's γ² */
  GL_XAVIER_TH_X_SQ = 17,    /* E[x_j²] = Var[x_j] + E[x_j]² */
  GL_XAVIER_TH_O_MEAN = 18,  /* E[o] = n_in·E[w]·E[x] = 0 */
  GL_XAVIER_TH_O_VAR_D2L = 19, /* d2l's n_in·σ²·Var[x]: assumes E[x] = 0 and independence */
  GL_XAVIER_TH_O_VAR_IND = 20, /* n_in·σ²·E[x²]: independence, any E[x] */
  GL_XAVIER_TH_O_VAR = 21,   /* exact: n_in·σ²·E[x²] + n_in(n_in−1)·ρ_w·σ²·(ρ_x·Var[x] + E[x]²) */
  GL_XAVIER_TH_G_VAR = 22,   /* n_out·σ²·δ² */
  GL_XAVIER_FWD_FACTOR = 23, /* n_in·σ²: Var[o]/E[x²] with independent weights */
  GL_XAVIER_BWD_FACTOR = 24, /* n_out·σ² */
  GL_XAVIER_XAVIER_SIGMA = 25, /* √(2/(n_in + n_out)) */
  GL_XAVIER_XAVIER_BOUND = 26, /* √(6/(n_in + n_out)): U(−a, a) has variance a²/3 */
  GL_XAVIER_NSTAT = 27
};

/* Monte-Carlo check of d2l's Xavier derivation.  Each of `samples` trials
 * draws a row w_i· (n_in weights) and an input x (n_in entries) and computes
 * o = Σ_j w_ij x_j in dtype (forward); then, for the backward pass, a column
 * w_·j (n_out weights, independent) and upstream gradients δ_i ~ N(0, δ²),
 * and g = Σ_i w_ij δ_i.  With probability ρ_w a row is one draw repeated
 * n_in times (else n_in independent draws); likewise x with ρ_x: each entry
 * keeps its family's law, two entries are correlated ρ.  One generator
 * seeded by seed draws everything, forward trials first.  Standard errors:
 * of a mean s/√N, of a variance √((m₄ − m₂²)/N) from the sample's central
 * moments (trials are independent; E[x²] and E[w²] from per-trial means).
 * cfg: GL_XAVIER_NCFG doubles (enum gl_xavier_cfg), read only; stats:
 * GL_XAVIER_NSTAT doubles (enum gl_xavier_stat); if bins > 0, hist (bins
 * doubles) receives counts of o over range (2 doubles, written: mean ± 4 of
 * the exact formula's std), values outside in the end bins.  No allocation;
 * GL_ERANGE past GL_XAVIER_MAX_DRAWS draws. */
int gl_xavier_check(const double *cfg, double *stats, int bins, double *hist, double *range);

#ifdef __cplusplus
}
#endif

#endif /* GRADLAB_H */
