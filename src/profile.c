/*
 * profile.c — the phase timers of gl_profile: where a gl_mlp_stats call spends
 * its time (matmul, draws, activation, statistics), so that the benchmark can
 * print the breakdown for the wasm and the native build of the same code.
 * Wall time from the monotonic clock (under Emscripten, performance.now or
 * Node's hrtime); off by default, when each GL_TIMED site costs one branch.
 */
#include <string.h>
#include <time.h>

#include "internal.h"

int gl_profile_on = 0;
static double phase_ms[GL_PROFILE_N];

double gl_profile_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

void gl_profile_add(int phase, double since_ms) {
  phase_ms[phase] += gl_profile_now() - since_ms;
}

int gl_profile(int enable, double *out) {
  if (out) memcpy(out, phase_ms, sizeof phase_ms);
  memset(phase_ms, 0, sizeof phase_ms);
  gl_profile_on = enable != 0;
  return GL_OK;
}
