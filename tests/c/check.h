/*
 * check.h — a minimal test harness for the C unit tests.
 * TEST(name) defines a test; RUN(name) runs it; CHECK* record failures
 * without stopping, so one run reports every broken expectation.
 * main() ends with `return check_summary("area");`.
 */
#ifndef GRADLAB_CHECK_H
#define GRADLAB_CHECK_H

#include <math.h>
#include <stdio.h>

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

static inline int check_summary(const char *area) {
  printf("%s: %d checks, %d failed\n", area, check_count, check_failures);
  return check_failures == 0 ? 0 : 1;
}

#endif
