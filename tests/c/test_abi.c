/* test_abi.c — the ABI's vocabulary: enum names, limits and constants are the
 * ones the core's own validation uses, so the JavaScript that reads them
 * (web/gen/abi.mjs) cannot drift from C. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"
#include "internal.h"

TEST(every_enum_has_a_name_for_each_value_and_null_past_the_end) {
  const int counts[GL_ENUM_COUNT] = {GL_ACT_COUNT,      GL_INIT_COUNT, GL_DTYPE_COUNT,
                                     GL_DIST_COUNT,     GL_ENSEMBLE_COUNT, GL_MLP_NSTAT,
                                     GL_LIMIT_COUNT,    GL_MLP_NCFG,   GL_TRAIN_NCFG,
                                     GL_NORM_COUNT,     GL_CLIP_COUNT, GL_OPTIMIZER_COUNT,
                                     GL_TRAIN_NSTAT,    GL_XD_DIST_COUNT, GL_XAVIER_NCFG,
                                     GL_XAVIER_NSTAT,   GL_PROFILE_N};
  for (int e = 0; e < GL_ENUM_COUNT; e++) {
    CHECK(gl_enum_count(e) == counts[e]);
    for (int i = 0; i < counts[e]; i++) {
      const char *name = gl_enum_name(e, i);
      CHECK(name != NULL && strlen(name) > 0);
      for (int j = 0; name && j < i; j++) CHECK(strcmp(name, gl_enum_name(e, j)) != 0);
    }
    CHECK(gl_enum_name(e, counts[e]) == NULL && gl_enum_name(e, -1) == NULL);
  }
  CHECK(gl_enum_count(GL_ENUM_COUNT) == 0 && gl_enum_name(GL_ENUM_COUNT, 0) == NULL);
  CHECK(gl_enum_count(-1) == 0);
}

TEST(enum_names_agree_with_the_per_area_name_functions) {
  for (int i = 0; i < GL_ACT_COUNT; i++) CHECK(gl_enum_name(GL_ENUM_ACT, i) == gl_act_name(i));
  for (int i = 0; i < GL_INIT_COUNT; i++) CHECK(gl_enum_name(GL_ENUM_INIT, i) == gl_init_name(i));
  CHECK(strcmp(gl_enum_name(GL_ENUM_DTYPE, GL_F64), "float64") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_DIST, GL_DIST_UNIFORM), "uniform") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_ENSEMBLE, GL_ENS_ORTHOGONAL), "orthogonal") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_MLP_STAT, GL_MLP_UNIT_SPREAD), "unit_spread") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_LIMIT, GL_LIMIT_MLP_MAX_DEPTH), "mlp_max_depth") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_MLP_CFG, GL_MLP_CFG_INIT), "init") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_MLP_CFG, GL_MLP_CFG_BINS), "bins") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_XD_DIST, GL_XD_RELU_NORMAL), "relu_normal") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_XAVIER_CFG, GL_XAVIER_CFG_SEED), "seed") == 0);
  CHECK(strcmp(gl_enum_name(GL_ENUM_XAVIER_STAT, GL_XAVIER_XAVIER_BOUND), "xavier_bound") == 0);
}

TEST(limits_are_the_defines_and_nan_past_the_end) {
  CHECK(gl_limit(GL_LIMIT_MAX_BYTES) == (double)GL_MAX_BYTES && gl_max_bytes() == (double)GL_MAX_BYTES);
  CHECK(gl_limit(GL_LIMIT_MAX_SEED) == 9007199254740992.0);
  CHECK(gl_limit(GL_LIMIT_MAX_BINS) == GL_MAX_BINS);
  CHECK(gl_limit(GL_LIMIT_MLP_MAX_WIDTH) == GL_MLP_MAX_WIDTH);
  CHECK(gl_limit(GL_LIMIT_MEANFIELD_MAX_DEPTH) == GL_MEANFIELD_MAX_DEPTH);
  for (int i = 0; i < GL_LIMIT_COUNT; i++) CHECK(gl_limit(i) >= 1);
  CHECK(isnan(gl_limit(GL_LIMIT_COUNT)) && isnan(gl_limit(-1)));
  CHECK(gl_leaky_slope() == GL_LEAKY_SLOPE);
}

/* The limit a getter reports is the one the validation enforces: at the limit
 * the call passes the size check, one past it fails with GL_ERANGE. */
TEST(each_size_limit_is_the_one_its_function_enforces) {
  double a, b, c, z[4], g[4], s[5], counts[GL_MAX_BINS + 1], range[2] = {0, 1}, v = 0.5;
  const int theory_n = (int)gl_limit(GL_LIMIT_THEORY_MAX_N);
  CHECK(gl_matprod_theory(theory_n, 1, GL_ENS_GAUSSIAN, &a, &b, &c) == GL_OK);
  CHECK(gl_matprod_theory(theory_n + 1, 1, GL_ENS_GAUSSIAN, &a, &b, &c) == GL_ERANGE);
  const int bins = (int)gl_limit(GL_LIMIT_MAX_BINS);
  CHECK(gl_histogram(GL_F64, 1, &v, bins, counts, range) == GL_OK);
  CHECK(gl_histogram(GL_F64, 1, &v, bins + 1, counts, range) == GL_ERANGE);
  const int fan = (int)gl_limit(GL_LIMIT_MAX_FAN);
  CHECK(gl_init_theory(GL_INIT_LECUN_NORMAL, fan, 1, NAN, 0, 0, &a, &b) == GL_OK);
  CHECK(gl_init_theory(GL_INIT_LECUN_NORMAL, fan + 1, 1, NAN, 0, 0, &a, &b) == GL_ERANGE);
  const int side = (int)gl_limit(GL_LIMIT_ORTHO_MAX_SIDE);
  CHECK(gl_init_theory(GL_INIT_ORTHOGONAL, side, 1, NAN, 0, 0, &a, &b) == GL_OK);
  CHECK(gl_init_theory(GL_INIT_ORTHOGONAL, side + 1, 1, NAN, 0, 0, &a, &b) == GL_ERANGE);
  CHECK(gl_meanfield(GL_TANH, 1, 1, 1, (int)gl_limit(GL_LIMIT_MEANFIELD_MAX_DEPTH) + 1, z, g) ==
        GL_ERANGE);
  CHECK(gl_chain_grad(GL_TANH, GL_F32, GL_DIST_NORMAL, 0, 1, (int)gl_limit(GL_LIMIT_CHAIN_MAX_DEPTH) + 1,
                      1, 0, z, z, z, z) == GL_ERANGE);
  CHECK(gl_chain_grad(GL_TANH, GL_F32, GL_DIST_NORMAL, 0, 1, 1,
                      (int)gl_limit(GL_LIMIT_CHAIN_MAX_SAMPLES) + 1, 0, z, z, z, z) == GL_ERANGE);
  CHECK(gl_matprod_ensemble((int)gl_limit(GL_LIMIT_MATPROD_MAX_N) + 1, 1, 1, 0, 1, 0, z, 0, NULL) ==
        GL_ERANGE);
  CHECK(gl_matprod_ensemble(2, (int)gl_limit(GL_LIMIT_MATPROD_MAX_STEPS) + 1, 1, 0, 1, 0, z, 0,
                            NULL) == GL_ERANGE);
  CHECK(gl_matprod_ensemble(2, 1, 1, 0, (int)gl_limit(GL_LIMIT_ENSEMBLE_MAX_TRIALS) + 1, 0, z, 0,
                            NULL) == GL_ERANGE);
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F32, 0, 0, 1, (int)gl_limit(GL_LIMIT_SAMPLE_MAX_COUNT) + 1, s) ==
        GL_ERANGE);
  CHECK(gl_matmul(GL_F32, 0, 0, (int)gl_limit(GL_LIMIT_MATMUL_MAX_DIM) + 1, 1, 1, z, z, z) ==
        GL_ERANGE);
  int n;
  CHECK(gl_arange_count(0, gl_limit(GL_LIMIT_MAX_POINTS), 1, &n) == GL_OK);
  CHECK(gl_arange_count(0, gl_limit(GL_LIMIT_MAX_POINTS) + 1, 1, &n) == GL_ERANGE);
  uint64_t seed;
  CHECK(gl_seed_from_double(gl_limit(GL_LIMIT_MAX_SEED), &seed) == GL_OK);
  CHECK(gl_seed_from_double(gl_limit(GL_LIMIT_MAX_SEED) + 2, &seed) == GL_EINVAL);
}

TEST(init_uses_names_the_parameters_each_scheme_reads) {
  CHECK(gl_init_uses(GL_INIT_NORMAL) == GL_USES_SIGMA);
  CHECK(gl_init_uses(GL_INIT_UNIFORM) == GL_USES_SIGMA);
  CHECK(gl_init_uses(GL_INIT_XAVIER_UNIFORM) == GL_USES_GAIN);
  CHECK(gl_init_uses(GL_INIT_KAIMING_NORMAL) == GL_USES_GAIN);
  CHECK(gl_init_uses(GL_INIT_ORTHOGONAL) == GL_USES_GAIN);
  CHECK(gl_init_uses(GL_INIT_LECUN_NORMAL) == 0);
  CHECK(gl_init_uses(GL_INIT_TORCH_DEFAULT) == 0);
  CHECK(gl_init_uses(GL_INIT_CONSTANT) == GL_USES_VALUE);
  CHECK(gl_init_uses(-1) == 0 && gl_init_uses(GL_INIT_COUNT) == 0);
  /* A parameter the scheme does not read is not validated (NaN passes), one
   * it reads is. */
  double std, bound;
  for (int init = 0; init < GL_INIT_COUNT; init++) {
    const int uses = gl_init_uses(init);
    CHECK((gl_init_theory(init, 8, 8, 1, NAN, 0, &std, &bound) == GL_OK) == !(uses & GL_USES_SIGMA));
    CHECK((gl_init_theory(init, 8, 8, 1, 1, NAN, &std, &bound) == GL_OK) == !(uses & GL_USES_VALUE));
    CHECK((gl_init_theory(init, 8, 8, -1, 1, 0, &std, &bound) == GL_OK) == !(uses & GL_USES_GAIN));
  }
}

TEST(the_memory_cap_has_one_message_whoever_checks_it) {
  double a, b;
  float x = 0;
  const char *what[3] = {"a 65536 x 65536 weight as float64 needs 32768.0 MiB",
                         "the scratch of a 65536 x 65536 sample needs 16384.0 MiB",
                         "the packing of matmul 1x1048576x1048576 needs"};
  CHECK(gl_init_theory(GL_INIT_LECUN_NORMAL, 65536, 65536, NAN, 0, 0, &a, &b) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), what[0]) != NULL);
  CHECK(strstr(gl_last_error(), ", more than the 512 MiB cap") != NULL);
  /* with w = NULL gl_init_sample needs its own float32 scratch: 16 GiB */
  CHECK(gl_init_sample(GL_INIT_LECUN_NORMAL, 65536, 65536, NAN, 0, 0, GL_F32, 0, NULL, &a) ==
        GL_ERANGE);
  CHECK(strstr(gl_last_error(), "a 65536 x 65536 weight as float64") != NULL); /* checked first */
  CHECK(gl_check_bytes(17179869184.0, "the scratch of a %d x %d sample", 65536, 65536) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), what[1]) != NULL);
  CHECK(gl_matmul(GL_F32, 0, 0, 1, 1 << 20, 1 << 20, &x, &x, &x) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), what[2]) != NULL);
  CHECK(strstr(gl_last_error(), ", more than the 512 MiB cap") != NULL);
  CHECK(gl_check_bytes((double)GL_MAX_BYTES, "exactly the cap") == GL_OK);
  printf("     message: %s\n", gl_last_error());
}

TEST(integer_entries_reject_fractions_and_report_the_range) {
  int v = -7;
  CHECK(gl_check_int("depth", 3, 1, 10, &v) == GL_OK && v == 3);
  CHECK(gl_check_int("depth", 2.5, 1, 10, &v) == GL_EINVAL);
  CHECK(strcmp(gl_last_error(), "depth must be an integer, got 2.5") == 0);
  CHECK(gl_check_int("depth", NAN, 1, 10, &v) == GL_EINVAL);
  CHECK(gl_check_int("depth", INFINITY, 1, 10, &v) == GL_EINVAL);
  CHECK(gl_check_int("depth", 0, 1, 10, &v) == GL_EINVAL);
  CHECK(strcmp(gl_last_error(), "depth must be at least 1, got 0") == 0);
  CHECK(gl_check_int("depth", 1e300, 1, 10, &v) == GL_ERANGE); /* no int overflow on the way */
  CHECK(strcmp(gl_last_error(), "depth must be at most 10, got 1e+300") == 0);
  CHECK(gl_check_int("depth", 11, 1, 10, &v) == GL_ERANGE);
  CHECK(strcmp(gl_last_error(), "depth must be at most 10, got 11") == 0);
  CHECK(v == 3);
}

int main(void) {
  RUN(every_enum_has_a_name_for_each_value_and_null_past_the_end);
  RUN(enum_names_agree_with_the_per_area_name_functions);
  RUN(limits_are_the_defines_and_nan_past_the_end);
  RUN(each_size_limit_is_the_one_its_function_enforces);
  RUN(init_uses_names_the_parameters_each_scheme_reads);
  RUN(the_memory_cap_has_one_message_whoever_checks_it);
  RUN(integer_entries_reject_fractions_and_report_the_range);
  return check_summary("abi");
}
