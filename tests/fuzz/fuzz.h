/*
 * fuzz.h — what every libFuzzer harness of tests/fuzz/ shares: a reader that
 * decodes the fuzz bytes into the C API's arguments, and the contract checks.
 *
 * The contract (src/gradlab.h): a call returns GL_OK, or GL_EINVAL, GL_ERANGE
 * or GL_ENOMEM with a non-empty gl_last_error(); it never crashes, never reads
 * or writes out of bounds (ASan), never hits undefined behaviour (UBSan).
 * Sizes decoded here are either small and valid (so a run takes microseconds)
 * or hostile and invalid (negative, past a limit, fractional, NaN): a harness
 * never asks for a valid but large computation.
 */
#ifndef GRADLAB_FUZZ_H
#define GRADLAB_FUZZ_H

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradlab.h"

/* The fuzz bytes, read front to back; past the end every read gives 0. */
typedef struct fz {
  const uint8_t *p;
  size_t n;
} fz;

static uint8_t fz_byte(fz *f) {
  if (f->n == 0) return 0;
  f->n--;
  return *f->p++;
}

static uint64_t fz_u64(fz *f) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | fz_byte(f);
  return v;
}

/* An integer in [lo, hi] (lo ≤ hi, a small range). */
static int fz_range(fz *f, int lo, int hi) {
  const unsigned span = (unsigned)(hi - lo) + 1u;
  const unsigned v = (unsigned)fz_byte(f) << 8 | fz_byte(f);
  return lo + (int)(v % span);
}

/* Integers an API must refuse or handle at its edges. */
static const int fz_hostile_ints[] = {INT_MIN, -1000000, -1, 0, 1, 2, 3, 1 << 16, 1 << 20, 1 << 30, INT_MAX};

/* Mostly a valid size in [lo, hi]; one time in eight a hostile integer. */
static int fz_size(fz *f, int lo, int hi) {
  if ((fz_byte(f) & 7) == 7)
    return fz_hostile_ints[fz_byte(f) % (sizeof fz_hostile_ints / sizeof *fz_hostile_ints)];
  return fz_range(f, lo, hi);
}

/* Doubles every numeric parameter should meet: the edges of the format. */
static const double fz_edges[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-300, 4.9e-324, 2.2250738585072014e-308,
                                  1e300, -1e300, 1e154, 1e308, DBL_MAX, -DBL_MAX, 3.4e38, 3.5e38,
                                  INFINITY, -INFINITY, NAN, 9007199254740992.0, 9007199254740993.0,
                                  4294967296.0, 2147483648.0, 0.1, 1e-8};

/* A double: mostly in [lo, hi], sometimes an edge of the format or any bit pattern. */
static double fz_double(fz *f, double lo, double hi) {
  const uint8_t sel = fz_byte(f);
  if (sel < 160) return lo + (hi - lo) * (double)fz_range(f, 0, 65535) / 65535.0;
  if (sel < 240) return fz_edges[fz_byte(f) % (sizeof fz_edges / sizeof *fz_edges)];
  double d;
  const uint64_t bits = fz_u64(f);
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* A configuration entry that must be an integer in [lo, hi]: mostly one, sometimes hostile. */
static double fz_cfg_int(fz *f, int lo, int hi) {
  if ((fz_byte(f) & 15) == 15) return fz_double(f, lo - 1.5, hi + 1.5);
  return (double)fz_range(f, lo, hi);
}

/* Fails the run (libFuzzer reports the input) with a reason. */
#define FZ_FAIL(...)                                   \
  do {                                                 \
    fprintf(stderr, "fuzz contract broken: ");         \
    fprintf(stderr, __VA_ARGS__);                      \
    fprintf(stderr, "\n");                             \
    abort();                                           \
  } while (0)

/* A status obeys the contract: GL_OK, or an error code with a message. */
static int fz_status(int st, const char *call) {
  if (st == GL_OK) return st;
  if (st != GL_EINVAL && st != GL_ERANGE && st != GL_ENOMEM) FZ_FAIL("%s returned status %d", call, st);
  const char *msg = gl_last_error();
  if (!msg || !msg[0]) FZ_FAIL("%s failed (%d) with an empty message", call, st);
  return st;
}
#define FZ(call) fz_status((call), #call)

/* A condition that must hold on GL_OK. */
#define FZ_CHECK(cond)                                                     \
  do {                                                                     \
    if (!(cond)) FZ_FAIL("%s:%d: %s", __FILE__, __LINE__, #cond);          \
  } while (0)

#endif /* GRADLAB_FUZZ_H */
