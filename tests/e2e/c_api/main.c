/*===- main.c - Uses a Kiln-compiled model through the public C API -------===*
 *
 *   c_api_main OUT_PREFIX IN_0.raw [IN_1.raw ...]
 *
 * Links against a model compiled with `kiln compile --emit=static|shared -o
 * libnet.{a,so}`, whose generated header net.h declares `net_model`. Reads
 * each input as raw float32 (dense, row-major), runs the model twice (the
 * second run must reproduce the first: the arena is reused), and writes
 * output k to OUT_PREFIX<k>.raw. Then two models of the network run at
 * once on two threads (one run owns the kernel thread pool, the other runs
 * its kernels on its own thread) and must still reproduce the first run
 * bit for bit. Also checks the API's error paths: bad arguments and wrong
 * buffer sizes are reported, not crashed on.
 *
 *===----------------------------------------------------------------------===*/

#include "net.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "c_api_main: check failed: %s: ", #cond);                \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static void *read_file(const char *path, size_t expected_bytes) {
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL, "cannot open %s", path);
  void *buf = malloc(expected_bytes ? expected_bytes : 1);
  CHECK(buf != NULL, "out of memory");
  size_t got = fread(buf, 1, expected_bytes, f);
  int extra = fgetc(f);
  fclose(f);
  CHECK(got == expected_bytes && extra == EOF,
        "%s: expected exactly %zu bytes", path, expected_bytes);
  return buf;
}

static void print_info(const char *kind, size_t i, const kiln_tensor_info *t) {
  printf("%s %zu: name=%s dtype=%d dims=[", kind, i, t->name, (int)t->dtype);
  for (int32_t d = 0; d < t->rank; ++d)
    printf("%s%lld", d ? "," : "", (long long)t->dims[d]);
  printf("] bytes=%zu\n", t->byte_size);
}

/* One model running `runs` times on its own thread; every output must equal
 * `want` (the first run's). */
typedef struct {
  kiln_model *model;
  const void *const *inputs;
  const size_t *in_bytes;
  void *const *want;
  const size_t *out_bytes;
  size_t nout;
  int runs;
  int failures;
  char error[256];
} concurrent_run;

static void *run_repeatedly(void *arg) {
  concurrent_run *r = (concurrent_run *)arg;
  void *got[16];
  for (size_t i = 0; i < r->nout; ++i)
    got[i] = calloc(1, r->out_bytes[i]);
  for (int k = 0; k < r->runs; ++k) {
    kiln_status st =
        kiln_model_run(r->model, r->inputs, r->in_bytes, got, r->out_bytes);
    if (st != KILN_OK) {
      snprintf(r->error, sizeof r->error, "run %d: %s", k,
               kiln_model_last_error(r->model));
      ++r->failures;
      break;
    }
    for (size_t i = 0; i < r->nout; ++i)
      if (memcmp(got[i], r->want[i], r->out_bytes[i]) != 0) {
        snprintf(r->error, sizeof r->error, "run %d: output %zu differs", k,
                 i);
        ++r->failures;
      }
  }
  for (size_t i = 0; i < r->nout; ++i)
    free(got[i]);
  return NULL;
}

int main(int argc, char **argv) {
  CHECK(argc >= 2, "usage: %s OUT_PREFIX IN_0.raw [IN_1.raw ...]", argv[0]);

  /* Error paths first: a NULL descriptor is an error with a message. */
  kiln_model *bad = NULL;
  CHECK(kiln_model_create(NULL, &bad) != KILN_OK, "create(NULL) succeeded");
  CHECK(kiln_model_last_error(NULL) != NULL &&
            kiln_model_last_error(NULL)[0] != '\0',
        "create(NULL) left no error message");
  kiln_model_destroy(NULL); /* documented as allowed */

  kiln_model *m = NULL;
  kiln_status st = kiln_model_create(&net_model, &m);
  CHECK(st == KILN_OK && m != NULL, "create failed (%d): %s", (int)st,
        kiln_model_last_error(NULL));

  size_t nin = kiln_model_input_count(m), nout = kiln_model_output_count(m);
  CHECK(nin == (size_t)(argc - 2), "model has %zu inputs, %d files given", nin,
        argc - 2);
  CHECK(nout >= 1 && nout <= 16, "unexpected output count %zu", nout);

  const void *inputs[16];
  size_t in_bytes[16];
  void *outputs[16], *outputs2[16];
  size_t out_bytes[16];
  CHECK(nin <= 16, "too many inputs");
  for (size_t i = 0; i < nin; ++i) {
    kiln_tensor_info t;
    CHECK(kiln_model_input_info(m, i, &t) == KILN_OK, "input_info(%zu)", i);
    CHECK(t.dtype == KILN_DTYPE_F32 && t.rank >= 1 && t.rank <= KILN_MAX_RANK,
          "input %zu: bad dtype/rank", i);
    print_info("input", i, &t);
    inputs[i] = read_file(argv[2 + i], t.byte_size);
    in_bytes[i] = t.byte_size;
  }
  for (size_t i = 0; i < nout; ++i) {
    kiln_tensor_info t;
    CHECK(kiln_model_output_info(m, i, &t) == KILN_OK, "output_info(%zu)", i);
    print_info("output", i, &t);
    out_bytes[i] = t.byte_size;
    outputs[i] = calloc(1, t.byte_size);
    outputs2[i] = calloc(1, t.byte_size);
    CHECK(outputs[i] && outputs2[i], "out of memory");
  }
  kiln_tensor_info dummy;
  CHECK(kiln_model_output_info(m, nout, &dummy) == KILN_ERROR_INVALID_ARGUMENT,
        "output_info(out of range) not rejected");

  CHECK(kiln_model_set_threads(m, 2) == KILN_OK, "set_threads(2): %s",
        kiln_model_last_error(m));
  CHECK(kiln_model_set_threads(m, 0) != KILN_OK, "set_threads(0) accepted");

  /* A wrong input size must be refused before any kernel runs. */
  size_t saved = in_bytes[0];
  in_bytes[0] = saved - sizeof(float);
  st = kiln_model_run(m, inputs, in_bytes, outputs, out_bytes);
  CHECK(st == KILN_ERROR_SHAPE_MISMATCH, "short input gave status %d", (int)st);
  CHECK(kiln_model_last_error(m)[0] != '\0', "no message for short input");
  printf("short input rejected: %s\n", kiln_model_last_error(m));
  in_bytes[0] = saved;

  st = kiln_model_run(m, inputs, in_bytes, outputs, out_bytes);
  CHECK(st == KILN_OK, "run failed (%d): %s", (int)st, kiln_model_last_error(m));
  st = kiln_model_run(m, inputs, in_bytes, outputs2, out_bytes);
  CHECK(st == KILN_OK, "second run failed (%d): %s", (int)st,
        kiln_model_last_error(m));

  for (size_t i = 0; i < nout; ++i)
    CHECK(memcmp(outputs[i], outputs2[i], out_bytes[i]) == 0,
          "output %zu differs between two runs", i);

  /* Two models at once, 2 threads each. */
  kiln_model *m2 = NULL;
  CHECK(kiln_model_create(&net_model, &m2) == KILN_OK, "second create: %s",
        kiln_model_last_error(NULL));
  CHECK(kiln_model_set_threads(m2, 2) == KILN_OK, "set_threads(m2)");
  concurrent_run a = {m, inputs, in_bytes, outputs, out_bytes, nout, 5, 0, ""};
  concurrent_run b = {m2, inputs, in_bytes, outputs, out_bytes, nout, 5, 0, ""};
  pthread_t other;
  CHECK(pthread_create(&other, NULL, run_repeatedly, &b) == 0,
        "cannot start a thread");
  run_repeatedly(&a);
  pthread_join(other, NULL);
  CHECK(a.failures == 0, "concurrent model 1: %s", a.error);
  CHECK(b.failures == 0, "concurrent model 2: %s", b.error);
  kiln_model_destroy(m2);
  printf("two models at once: ok\n");

  for (size_t i = 0; i < nout; ++i) {
    char path[4096];
    snprintf(path, sizeof path, "%s%zu.raw", argv[1], i);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "cannot write %s", path);
    CHECK(fwrite(outputs[i], 1, out_bytes[i], f) == out_bytes[i], "short write");
    fclose(f);
    free(outputs[i]);
    free(outputs2[i]);
  }
  for (size_t i = 0; i < nin; ++i)
    free((void *)inputs[i]);
  kiln_model_destroy(m);
  printf("c_api_main: ok\n");
  return 0;
}
