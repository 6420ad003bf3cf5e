/* fuzz_abi.c — the ABI's vocabulary at any index: gl_enum_count,
 * gl_enum_name, gl_limit, gl_dtype_size, gl_act_name/gl_init_name and their
 * inverses on arbitrary strings. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  const int which = fz_size(&f, -2, GL_ENUM_COUNT + 1), i = fz_size(&f, -2, 40);
  const int count = gl_enum_count(which);
  const char *name = gl_enum_name(which, i);
  if (which >= 0 && which < GL_ENUM_COUNT) FZ_CHECK(count > 0);
  else FZ_CHECK(count == 0 && name == NULL);
  if (name) FZ_CHECK(i >= 0 && i < count && name[0] != 0);
  const double lim = gl_limit(i);
  FZ_CHECK(i >= 0 && i < GL_LIMIT_COUNT ? lim >= 1 : isnan(lim));
  const int es = gl_dtype_size(i);
  FZ_CHECK(es == 0 || es == 4 || es == 8);
  (void)gl_act_name(i);
  (void)gl_init_name(i);
  char s[32];
  const size_t len = f.n < sizeof s - 1 ? f.n : sizeof s - 1;
  memcpy(s, f.p, len);
  s[len] = 0;
  const int a = gl_act_from_name(s), b = gl_init_from_name(s);
  if (a >= 0) FZ_CHECK(strcmp(gl_act_name(a), s) == 0);
  if (b >= 0) FZ_CHECK(strcmp(gl_init_name(b), s) == 0);
  (void)gl_version();
  (void)gl_max_bytes();
  (void)gl_leaky_slope();
  return 0;
}
