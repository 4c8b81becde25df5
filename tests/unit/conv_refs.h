/*
** conv_refs.h — reads tests/unit/conv_refs.txt, the PyTorch references that
** tests/unit/make_conv_refs.py writes for test_conv2d.c, test_pool.c and
** test_batchnorm.c, and compares results with them.
*/
#ifndef CONV_REFS_H
#define CONV_REFS_H

#include <stdint.h>
#include <stdio.h>

enum { REF_MAX_PARAMS = 24, REF_MAX_ARRAYS = 48 };

typedef struct ref_array {
  char name[48];
  int64_t count;
  double *values; /* float32 arrays hold values that are exactly floats */
} ref_array;

typedef struct ref_case {
  char op[32], name[64];
  int n_params;
  char keys[REF_MAX_PARAMS][32];
  double params[REF_MAX_PARAMS];
  int n_arrays;
  ref_array arrays[REF_MAX_ARRAYS];
} ref_case;

/* The next case of the file: 1, or 0 at its end; exits with a message if
   the file is malformed. */
int ref_next(FILE *f, const char *path, ref_case *c);
void ref_free(ref_case *c);
/* A parameter of the case line (exits if missing). */
double ref_param(const ref_case *c, const char *key);
int64_t ref_int(const ref_case *c, const char *key);
/* An array by name, NULL if the case has none (required: exits). */
const ref_array *ref_find(const ref_case *c, const char *name);
const ref_array *ref_need(const ref_case *c, const char *name, int64_t count);
/* Fresh copies of a float32 array's values (malloc'd): the inputs, which
   PyTorch's float64 results were computed from exactly. */
float *ref_copy_f32(const ref_array *a);
double *ref_copy_f64(const ref_array *a);

/* How far got is from want: the largest |got - want| / (|want| + scale)
   over the elements, scale being the mean of |want| (an element that
   cancels to near 0 is measured against the array's typical size). */
double ref_error_f32(const float *got, const ref_array *want);
/* The same with the scale given: where the elements are differences of
   much larger terms, the size of those terms. */
double ref_error_f32_scaled(const float *got, const ref_array *want, double scale);
double ref_error_f64(const double *got, const ref_array *want);

/* ---- shared by the three tests ---- */

/* Counts a result; prints one line for a failure. */
void ref_check(int ok, const char *what, const char *detail);
/* Prints "N passed, N failed"; the exit status: 1 when anything failed. */
int ref_report(void);
/* splitmix64 from the given seed (each test has its own). */
void ref_rng_seed(uint64_t seed);
uint64_t ref_next_u64(void);
/* An output array of n floats with NaN inside (every element must be
   written) and a pattern of REF_GUARD values after it (must be untouched). */
enum { REF_GUARD = 16 };
float *ref_guarded(int64_t n);
int ref_guard_ok(const float *p, int64_t n);

#endif
