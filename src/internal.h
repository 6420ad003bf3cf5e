/*
 * internal.h — helpers shared by the core's .c files; not part of the API.
 */
#ifndef GRADLAB_INTERNAL_H
#define GRADLAB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gradlab.h"

/* Overflow-checked size arithmetic for every size that is multiplied or
 * added before an allocation: a·b and a+b, saturating at SIZE_MAX instead of
 * wrapping.  size_t has 32 bits in wasm, where m,n,k = 1, 2^20, 2^12 would
 * wrap a packing size to a few bytes; SIZE_MAX is past GL_MAX_BYTES, so
 * gl_check_bytes refuses a saturated size as too large. */
static inline size_t gl_size_mul(size_t a, size_t b) {
  return a != 0 && b > SIZE_MAX / a ? SIZE_MAX : a * b;
}
static inline size_t gl_size_add(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* Records a printf-style message for gl_last_error() and returns status. */
int gl_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Validation helpers: each returns GL_OK or records a message and fails. */
int gl_check_dtype(int dtype);
int gl_check_act(int act);
int gl_check_count(const char *what, int n, int lo, int hi);
int gl_check_finite(const char *what, double v);
int gl_check_ptr(const char *what, const void *p);
/* A double that must hold an integer in [lo, hi] (a configuration entry):
 * GL_EINVAL if it is not integral or below lo, GL_ERANGE above hi; stores it
 * in *out on success. */
int gl_check_int(const char *what, double v, int lo, int hi, int *out);
/* The memory cap: GL_OK if bytes ≤ GL_MAX_BYTES, else GL_ERANGE with the one
 * message "<what> needs N MiB, more than the 512 MiB cap", what given
 * printf-style (web/core.js's _with words its own check the same way). */
int gl_check_bytes(double bytes, const char *what_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* GL_OK if |got| (a size derived from an init scheme's parameter: a bound,
 * a std) is finite and at most limit; else GL_ERANGE with a message in the
 * user's terms: the scheme, its parameter (sigma, gain or value), `what`
 * would pass limit, and the parameter's largest value that keeps got within
 * limit, got being proportional to it.  For a size proportional to the
 * parameter's square (width·std²), pass the square roots of got and limit
 * and power = 2, so the message states the limit itself. */
int gl_init_check_size(int init, double gain, double sigma, double value, double got, double limit,
                       int power, const char *what);

/* Every check gl_init_fill makes before drawing a (fan_out × fan_in) weight
 * in dtype (the parameters, the std and bound, their range in the dtype), for
 * a caller that validates a whole configuration before any work. */
int gl_init_check_weights(int init, int fan_in, int fan_out, double gain, double sigma,
                          double value, int dtype);

/* Doubles of scratch gl_random_orthogonal allocates for a rows×cols draw:
 * A (rows·cols) plus τ and sign(R_jj) (min(rows, cols) each). */
static inline size_t gl_ortho_scratch_doubles(size_t rows, size_t cols) {
  return gl_size_add(gl_size_mul(rows, cols), gl_size_mul(2, rows < cols ? rows : cols));
}

/* Elements of packing space gl_matmul_packed needs for an op(B) of k×n
 * (SIZE_MAX if that overflows size_t). */
size_t gl_matmul_pack_elems(size_t n, size_t k);
/* gl_matmul without validation or allocation: `pack` holds
 * gl_matmul_pack_elems(n, k) elements of dtype, owned by the caller. */
void gl_matmul_packed(int dtype, int ta, int tb, size_t m, size_t n, size_t k, const void *A,
                      const void *B, void *C, void *pack);

/* gl_histogram without validation: minmax (may be NULL) holds the data's min
 * and max as gl_stats gives them (NaN-propagating), used for an unset range
 * when both are finite (then every value is finite) instead of a scan. */
void gl_histogram_known(int dtype, size_t n, const void *v, int bins, double *counts,
                        double *range, const double *minmax);

/* gl_histogram_known, except that with tail > 0 an unset range becomes the
 * tail and 1 − tail quantiles of the finite values, and values outside it are
 * left out of the counts instead of joining the end bins (n − Σ counts is
 * then the number of values not shown: outside the range or not finite).
 * scratch: n doubles.  If those quantiles coincide (most values equal) the
 * range is the data's, as gl_histogram_known sets it. */
void gl_histogram_tail(int dtype, size_t n, const void *v, int bins, double *counts, double *range,
                       const double *minmax, double tail, double *scratch);

/* gl_quantiles without validation or allocation: scratch holds n doubles
 * (the finite values, rearranged).  Returns the number of finite values. */
size_t gl_quantiles_known(int dtype, size_t n, const void *v, int nq, const double *p, double *q,
                          double *scratch);

/* float32 tanh and sigmoid within 1 ulp, vectorisable (fastact.c). */
void gl_tanh_f32(size_t n, const float *x, float *y);
void gl_sigmoid_f32(size_t n, const float *x, float *y);

/* train.c's clipping of n gradients g (dtype) in place, torch 1.13 semantics:
 * clip_grad_norm_ with threshold c given the total norm (returns 1 if
 * coef < 1), clip_grad_value_ (returns 1 if an entry was clamped). */
int gl_clip_grad_norm(int dtype, size_t n, void *g, double c, double total);
int gl_clip_grad_value(int dtype, size_t n, void *g, double c);

/* profile.c: the phase timers behind gl_profile.  GL_TIMED(phase, stmt) runs
 * stmt and, while profiling is on, adds its wall time to that phase. */
extern int gl_profile_on;
void gl_profile_add(int phase, double since_ms);
double gl_profile_now(void);
#define GL_TIMED(phase, stmt)                          \
  do {                                                 \
    if (gl_profile_on) {                               \
      const double gl_t0_ = gl_profile_now();          \
      stmt;                                            \
      gl_profile_add((phase), gl_t0_);                 \
    } else {                                           \
      stmt;                                            \
    }                                                  \
  } while (0)

/* Element i of a dtype tensor, read as double / written from double. */
static inline double gl_get(int dtype, const void *v, size_t i) {
  return dtype == GL_F32 ? (double)((const float *)v)[i] : ((const double *)v)[i];
}
static inline void gl_set(int dtype, void *v, size_t i, double x) {
  if (dtype == GL_F32)
    ((float *)v)[i] = (float)x;
  else
    ((double *)v)[i] = x;
}

/* PyTorch's CPU generator (torch_rng.c): the state torch.manual_seed(seed)
 * makes, and the numbers tensor.normal_(mean, std) / tensor.uniform_(from,
 * to) fill a contiguous float32 tensor of n values with (out: caller-owned). */
typedef struct gl_torch_rng {
  uint32_t mt[624];
  int next;       /* next word of mt to temper */
  int has_normal; /* torch's cached second Box–Muller normal */
  double normal;
} gl_torch_rng;
void gl_torch_seed(gl_torch_rng *g, uint64_t seed);
/* One 32-bit output (torch's generator.random()). */
uint32_t gl_torch_random(gl_torch_rng *g);
/* The next value of torch.rand(…, dtype=torch.float64): 53 bits of two outputs. */
double gl_torch_double(gl_torch_rng *g);
void gl_torch_normal(gl_torch_rng *g, size_t n, double mean, double std, float *out);
void gl_torch_uniform(gl_torch_rng *g, size_t n, double from, double to, float *out);
/* torch.nn.init.orthogonal_(w, gain) of a rows×cols weight in dtype: its
 * float32 normals from g, the QR in double (torch's is in the weight's dtype,
 * so the two agree to its rounding). */
int gl_torch_orthogonal(int rows, int cols, double gain, int dtype, gl_torch_rng *g, void *q);
/* Every check gl_init_fill_torch makes of a scheme before drawing: the
 * weights are drawn in float32 whatever the dtype, and must come out finite
 * there (a constant up to FLT_MAX, a uniform's width 2b up to FLT_MAX as
 * torch's uniform_ requires, a normal's std up to FLT_MAX/9: its draws reach
 * 9 std at most). */
int gl_init_check_torch(int init, int fan_in, int fan_out, double gain, double sigma,
                        double value);
/* gl_init_fill with torch's draws: after torch.manual_seed(s), the same calls
 * of torch.nn.init on float32 weights give the same numbers (float64 weights
 * are those float32 draws, widened). */
int gl_init_fill_torch(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                       int dtype, gl_torch_rng *g, void *w);

#endif
