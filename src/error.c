/* error.c — the last-error message, argument validation and version. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

static char last_error[256] = "no error";

int gl_fail(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  return status;
}

const char *gl_last_error(void) { return last_error; }

const char *gl_version(void) { return "0.1.0"; }

double gl_max_bytes(void) { return (double)GL_MAX_BYTES; }

int gl_dtype_size(int dtype) {
  if (dtype == GL_F32) return (int)sizeof(float);
  if (dtype == GL_F64) return (int)sizeof(double);
  return 0;
}

int gl_check_dtype(int dtype) {
  if (gl_dtype_size(dtype) == 0)
    return gl_fail(GL_EINVAL, "dtype must be 0 (float32) or 1 (float64), got %d", dtype);
  return GL_OK;
}

int gl_check_act(int act) {
  if (act < 0 || act >= GL_ACT_COUNT)
    return gl_fail(GL_EINVAL, "unknown activation %d (valid: 0..%d)", act, GL_ACT_COUNT - 1);
  return GL_OK;
}

int gl_check_count(const char *what, int n, int lo, int hi) {
  if (n < lo) return gl_fail(GL_EINVAL, "%s must be at least %d, got %d", what, lo, n);
  if (n > hi) return gl_fail(GL_ERANGE, "%s must be at most %d, got %d", what, hi, n);
  return GL_OK;
}

int gl_check_finite(const char *what, double v) {
  if (!isfinite(v)) return gl_fail(GL_EINVAL, "%s must be a finite number", what);
  return GL_OK;
}

int gl_check_ptr(const char *what, const void *p) {
  if (p == NULL) return gl_fail(GL_EINVAL, "%s must not be NULL", what);
  return GL_OK;
}

int gl_check_int(const char *what, double v, int lo, int hi, int *out) {
  /* compared as doubles first: casting an out-of-range double to int is undefined */
  if (!isfinite(v) || v != floor(v)) return gl_fail(GL_EINVAL, "%s must be an integer, got %g", what, v);
  if (v < lo) return gl_fail(GL_EINVAL, "%s must be at least %d, got %.15g", what, lo, v);
  if (v > hi) return gl_fail(GL_ERANGE, "%s must be at most %d, got %.15g", what, hi, v);
  *out = (int)v;
  return GL_OK;
}

int gl_check_bytes(double bytes, const char *what_fmt, ...) {
  if (bytes <= (double)GL_MAX_BYTES) return GL_OK;
  char what[160];
  va_list ap;
  va_start(ap, what_fmt);
  vsnprintf(what, sizeof what, what_fmt, ap);
  va_end(ap);
  if (bytes >= (double)SIZE_MAX) /* a size gl_size_mul/gl_size_add saturated: all we know */
    return gl_fail(GL_ERANGE, "%s needs more than %.0f MiB, more than the %.0f MiB cap", what,
                   (double)SIZE_MAX / 1048576.0, (double)GL_MAX_BYTES / 1048576.0);
  return gl_fail(GL_ERANGE, "%s needs %.1f MiB, more than the %.0f MiB cap", what,
                 bytes / 1048576.0, (double)GL_MAX_BYTES / 1048576.0);
}
