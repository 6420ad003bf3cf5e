/*
 * native_dump.c — prints results of the native core as JSON so the Node tests
 * can check that the wasm build agrees with it (within tolerances: the two
 * builds use different libm).  Usage: gradlab_native_dump <what>
 *   samples   normal and uniform samples, float64, seed 42
 *   curves    activation curves over arange(-8, 8, 0.1), both dtypes
 */
#include <stdio.h>
#include <string.h>

#include "gradlab.h"

static void print_array(const char *name, const double *v, int n, int last) {
  printf("\"%s\":[", name);
  for (int i = 0; i < n; i++) printf("%s%.17g", i ? "," : "", v[i]);
  printf("]%s", last ? "" : ",");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: gradlab_native_dump samples|curves\n");
    return 2;
  }
  if (strcmp(argv[1], "samples") == 0) {
    double normal[1000], uniform[1000];
    if (gl_sample(GL_DIST_NORMAL, GL_F64, 42, 0, 1, 1000, normal) ||
        gl_sample(GL_DIST_UNIFORM, GL_F64, 42, -1, 1, 1000, uniform)) {
      fprintf(stderr, "%s\n", gl_last_error());
      return 1;
    }
    printf("{");
    print_array("normal", normal, 1000, 0);
    print_array("uniform", uniform, 1000, 1);
    printf("}\n");
    return 0;
  }
  if (strcmp(argv[1], "curves") == 0) {
    enum { N = 160 };
    printf("{");
    for (int act = 0; act < GL_ACT_COUNT; act++) {
      double x[N], y[N], g[N];
      int argmax;
      if (gl_activation_curve(act, GL_F64, -8, 8, 0.1, N, x, y, g, &argmax)) {
        fprintf(stderr, "%s\n", gl_last_error());
        return 1;
      }
      printf("\"%s\":{", gl_act_name(act));
      print_array("y", y, N, 0);
      print_array("grad", g, N, 1);
      printf("}%s", act + 1 < GL_ACT_COUNT ? "," : "");
    }
    printf("}\n");
    return 0;
  }
  fprintf(stderr, "unknown dump '%s'\n", argv[1]);
  return 2;
}
