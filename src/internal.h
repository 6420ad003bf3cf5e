/*
 * internal.h — helpers shared by the core's .c files; not part of the API.
 */
#ifndef GRADLAB_INTERNAL_H
#define GRADLAB_INTERNAL_H

#include "gradlab.h"

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

/* Elements of packing space gl_matmul_packed needs for an op(B) of k×n. */
size_t gl_matmul_pack_elems(size_t n, size_t k);
/* gl_matmul without validation or allocation: `pack` holds
 * gl_matmul_pack_elems(n, k) elements of dtype, owned by the caller. */
void gl_matmul_packed(int dtype, int ta, int tb, size_t m, size_t n, size_t k, const void *A,
                      const void *B, void *C, void *pack);

/* float32 tanh and sigmoid within 1 ulp, vectorisable (fastact.c). */
void gl_tanh_f32(size_t n, const float *x, float *y);
void gl_sigmoid_f32(size_t n, const float *x, float *y);

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

#endif
