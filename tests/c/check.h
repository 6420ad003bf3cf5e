/*
 * check.h — a minimal test harness for the C unit tests.
 * TEST(name) defines a test; RUN(name) runs it; CHECK* record failures
 * without stopping, so one run reports every broken expectation.
 * main() ends with `return check_summary("area");`.
 */
#ifndef GRADLAB_CHECK_H
#define GRADLAB_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#define CHECK_HAVE_FORK 1
#endif

#include "gradlab.h"

static int check_failures = 0;
static int check_count = 0;
static const char *check_current = "";

#define TEST(name) static void name(void)
#define RUN(name)                                  \
  do {                                             \
    int before_ = check_failures;                  \
    check_current = #name;                         \
    name();                                        \
    printf("%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #name); \
  } while (0)

#define CHECK(cond)                                                           \
  do {                                                                        \
    check_count++;                                                            \
    if (!(cond)) {                                                            \
      check_failures++;                                                       \
      fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__,   \
              check_current, #cond);                                          \
    }                                                                         \
  } while (0)

/* |a − b| ≤ tol, with a message showing both values. */
#define CHECK_NEAR(a, b, tol)                                                   \
  do {                                                                          \
    double a_ = (double)(a), b_ = (double)(b), t_ = (double)(tol);              \
    check_count++;                                                              \
    if (!(fabs(a_ - b_) <= t_)) {                                               \
      check_failures++;                                                         \
      fprintf(stderr, "%s:%d: %s: %s = %.17g, expected %s = %.17g (tol %.3g)\n", \
              __FILE__, __LINE__, check_current, #a, a_, #b, b_, t_);            \
    }                                                                           \
  } while (0)

/* Relative closeness: |a − b| ≤ rel·|b|. */
#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, (rel) * fabs((double)(b)))

/* Makes gl_last_error() hold a known message, so CHECK_FAILS_WITH can tell
 * that the call under test wrote its own. */
static inline const char *check_sentinel_error(void) {
  uint64_t s;
  (void)gl_seed_from_double(-12345.0, &s);
  return gl_last_error();
}

/* The call returns status `expected` and records a fresh, non-empty message. */
#define CHECK_FAILS_WITH(call, expected)                               \
  do {                                                                 \
    char sentinel_[256];                                               \
    strncpy(sentinel_, check_sentinel_error(), sizeof sentinel_ - 1);  \
    sentinel_[sizeof sentinel_ - 1] = '\0';                            \
    CHECK((call) == (expected));                                       \
    CHECK(strlen(gl_last_error()) > 0);                                \
    CHECK(strcmp(gl_last_error(), sentinel_) != 0);                    \
  } while (0)

/* Runs fn in a child process where fork exists, so a crash or a sanitizer
 * abort inside the core is one failed check instead of the end of the run.
 * Returns 1 if fn returned 0. */
static inline int survives(int (*fn)(void)) {
#ifdef CHECK_HAVE_FORK
  fflush(stdout);
  fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) _exit(fn());
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return fn() == 0;
  if (WIFSIGNALED(status))
    fprintf(stderr, "  %s: child killed by signal %d\n", check_current, WTERMSIG(status));
  else if (WEXITSTATUS(status) != 0)
    fprintf(stderr, "  %s: child exited with status %d\n", check_current, WEXITSTATUS(status));
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#else
  return fn() == 0;
#endif
}

/* max |(QᵀQ or QQᵀ) − scale²·I| over the k×k Gram matrix of the short side of
 * a rows×cols row-major q: how far q is from scale × (orthonormal columns if
 * tall, rows if wide).  A reference for the orthogonal-init tests. */
static inline double check_gram_error(int rows, int cols, const double *q, double scale) {
  const int tall = rows >= cols, k = tall ? cols : rows, m = tall ? rows : cols;
  double worst = 0.0;
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++) {
      double s = 0.0;
      for (int i = 0; i < m; i++)
        s += tall ? q[i * cols + a] * q[i * cols + b] : q[a * cols + i] * q[b * cols + i];
      const double e = fabs(s - (a == b ? scale * scale : 0.0));
      if (e > worst) worst = e;
    }
  return worst;
}

static inline int check_summary(const char *area) {
  printf("%s: %d checks, %d failed\n", area, check_count, check_failures);
  return check_failures == 0 ? 0 : 1;
}

#endif
