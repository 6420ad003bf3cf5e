/*
 * abi.c — the vocabulary of the ABI, read by the JavaScript layers instead of
 * retyped there: the name of every value of the public enums, the limits the
 * core enforces and its constants.  tools/gen-abi.cjs turns them into
 * web/gen/abi.mjs at build time.
 */
#include <math.h>

#include "internal.h"

static const char *const dtype_names[GL_DTYPE_COUNT] = {"float32", "float64"};
static const char *const dist_names[GL_DIST_COUNT] = {"normal", "uniform"};
static const char *const ensemble_names[GL_ENSEMBLE_COUNT] = {"gaussian", "orthogonal"};
static const char *const mlp_stat_names[GL_MLP_NSTAT] = {
    "z_mean", "z_var", "a_mean", "a_var", "grad_a_var", "grad_z_var", "grad_w_var", "unit_spread"};
static const char *const mlp_cfg_names[GL_MLP_NCFG] = {
    "init", "gain", "sigma", "value", "act", "depth", "width", "batch", "dtype", "seed", "bins",
    "hist_tail"};
static const char *const train_cfg_names[GL_TRAIN_NCFG] = {
    "depth",     "width", "act", "init",  "gain",  "sigma", "value", "residual", "norm",      "clip",
    "clip_at",   "optimizer", "lr", "dtype", "seed", "points", "turns", "noise",  "data_seed"};
static const char *const norm_names[GL_NORM_COUNT] = {"none", "batch", "layer"};
static const char *const clip_names[GL_CLIP_COUNT] = {"none", "value", "norm"};
static const char *const optimizer_names[GL_OPTIMIZER_COUNT] = {"sgd", "momentum", "adam"};
static const char *const train_stat_names[GL_TRAIN_NSTAT] = {"loss", "accuracy", "total_norm",
                                                             "clipped"};
static const char *const xd_dist_names[GL_XD_DIST_COUNT] = {"normal", "uniform", "rademacher",
                                                            "laplace", "relu_normal"};
static const char *const xavier_cfg_names[GL_XAVIER_NCFG] = {
    "n_in", "n_out", "sigma", "w_dist", "x_dist", "mu", "gamma", "rho_w", "rho_x", "delta",
    "samples", "dtype", "seed"};
static const char *const xavier_stat_names[GL_XAVIER_NSTAT] = {
    "o_mean",   "o_mean_se",  "o_var",       "o_var_se",   "g_mean",       "g_mean_se",
    "g_var",    "g_var_se",   "w_var",       "w_var_se",   "x_mean",       "x_mean_se",
    "x_sq",     "x_sq_se",    "sigma",       "th_x_mean",  "th_x_var",     "th_x_sq",
    "th_o_mean", "th_o_var_d2l", "th_o_var_ind", "th_o_var", "th_g_var",  "fwd_factor",
    "bwd_factor", "xavier_sigma", "xavier_bound"};
static const char *const profile_names[GL_PROFILE_N] = {"matmul", "draws", "act", "stats", "total"};

/* Each limit's name and value, in enum gl_limit order. */
static const struct {
  const char *name;
  double value;
} limits[GL_LIMIT_COUNT] = {
    {"max_bytes", (double)GL_MAX_BYTES},
    {"max_seed", GL_MAX_SEED},
    {"max_points", GL_MAX_POINTS},
    {"max_bins", GL_MAX_BINS},
    {"matmul_max_dim", GL_MATMUL_MAX_DIM},
    {"sample_max_count", GL_SAMPLE_MAX_COUNT},
    {"chain_max_depth", GL_CHAIN_MAX_DEPTH},
    {"chain_max_samples", GL_CHAIN_MAX_SAMPLES},
    {"matprod_max_n", GL_MATPROD_MAX_N},
    {"matprod_max_steps", GL_MATPROD_MAX_STEPS},
    {"ensemble_max_trials", GL_ENSEMBLE_MAX_TRIALS},
    {"theory_max_n", GL_THEORY_MAX_N},
    {"max_fan", GL_MAX_FAN},
    {"ortho_max_side", GL_ORTHO_MAX_SIDE},
    {"mlp_max_depth", GL_MLP_MAX_DEPTH},
    {"mlp_max_width", GL_MLP_MAX_WIDTH},
    {"mlp_max_batch", GL_MLP_MAX_BATCH},
    {"meanfield_max_depth", GL_MEANFIELD_MAX_DEPTH},
    {"train_max_depth", GL_TRAIN_MAX_DEPTH},
    {"train_min_width", GL_TRAIN_MIN_WIDTH},
    {"train_max_width", GL_TRAIN_MAX_WIDTH},
    {"train_max_points", GL_TRAIN_MAX_POINTS},
    {"train_max_turns", GL_TRAIN_MAX_TURNS},
    {"train_max_steps", GL_TRAIN_MAX_STEPS},
    {"xavier_max_samples", GL_XAVIER_MAX_SAMPLES},
    {"xavier_max_draws", GL_XAVIER_MAX_DRAWS},
    {"xavier_weight_dists", GL_XAVIER_WEIGHT_DISTS},
    {"mlp_weight_cache_bytes", GL_MLP_WEIGHT_CACHE_BYTES},
};

double gl_limit(int which) {
  return which >= 0 && which < GL_LIMIT_COUNT ? limits[which].value : NAN;
}

double gl_leaky_slope(void) { return GL_LEAKY_SLOPE; }

int gl_enum_count(int which) {
  switch (which) {
    case GL_ENUM_ACT: return GL_ACT_COUNT;
    case GL_ENUM_INIT: return GL_INIT_COUNT;
    case GL_ENUM_DTYPE: return GL_DTYPE_COUNT;
    case GL_ENUM_DIST: return GL_DIST_COUNT;
    case GL_ENUM_ENSEMBLE: return GL_ENSEMBLE_COUNT;
    case GL_ENUM_MLP_STAT: return GL_MLP_NSTAT;
    case GL_ENUM_LIMIT: return GL_LIMIT_COUNT;
    case GL_ENUM_MLP_CFG: return GL_MLP_NCFG;
    case GL_ENUM_TRAIN_CFG: return GL_TRAIN_NCFG;
    case GL_ENUM_NORM: return GL_NORM_COUNT;
    case GL_ENUM_CLIP: return GL_CLIP_COUNT;
    case GL_ENUM_OPTIMIZER: return GL_OPTIMIZER_COUNT;
    case GL_ENUM_TRAIN_STAT: return GL_TRAIN_NSTAT;
    case GL_ENUM_XD_DIST: return GL_XD_DIST_COUNT;
    case GL_ENUM_XAVIER_CFG: return GL_XAVIER_NCFG;
    case GL_ENUM_XAVIER_STAT: return GL_XAVIER_NSTAT;
    case GL_ENUM_PROFILE: return GL_PROFILE_N;
    default: return 0;
  }
}

const char *gl_enum_name(int which, int i) {
  if (i < 0 || i >= gl_enum_count(which)) return NULL;
  switch (which) {
    case GL_ENUM_ACT: return gl_act_name(i);
    case GL_ENUM_INIT: return gl_init_name(i);
    case GL_ENUM_DTYPE: return dtype_names[i];
    case GL_ENUM_DIST: return dist_names[i];
    case GL_ENUM_ENSEMBLE: return ensemble_names[i];
    case GL_ENUM_MLP_STAT: return mlp_stat_names[i];
    case GL_ENUM_MLP_CFG: return mlp_cfg_names[i];
    case GL_ENUM_TRAIN_CFG: return train_cfg_names[i];
    case GL_ENUM_NORM: return norm_names[i];
    case GL_ENUM_CLIP: return clip_names[i];
    case GL_ENUM_OPTIMIZER: return optimizer_names[i];
    case GL_ENUM_TRAIN_STAT: return train_stat_names[i];
    case GL_ENUM_XD_DIST: return xd_dist_names[i];
    case GL_ENUM_XAVIER_CFG: return xavier_cfg_names[i];
    case GL_ENUM_XAVIER_STAT: return xavier_stat_names[i];
    case GL_ENUM_PROFILE: return profile_names[i];
    default: return limits[i].name;
  }
}
