/*===- kiln_main.c - main() of an executable emitted by Kiln ----*- C -*-===*
 *
 * Reads the model's inputs from .npy files (or one image file, preprocessed
 * for an RGB classifier: image.h), runs it, writes outputs to .npy files
 * and reports latency (and top-5 scores for classifier-like outputs). The
 * generated model file of an executable defines
 *     const kiln_model_desc *const kiln_main_model = &<prefix>_model;
 *
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L

#include "../kiln.h"
#include "../kiln_model_desc.h"
#include "image.h"
#include "json.h"
#include "npy.h"
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const kiln_model_desc *const kiln_main_model;

enum { KILN_EXIT_OK = 0, KILN_EXIT_FAILURE = 1, KILN_EXIT_USAGE = 2 };

/* Tasks a --trace keeps (24 bytes each); ResNet-50 runs ~1500 a run. */
#define KILN_TRACE_CAPACITY ((size_t)1 << 16)

typedef struct kiln_cli {
  const char **input_args; /* raw --input values, in order */
  size_t num_input_args;
  const char **output_args; /* raw --output values, in order */
  size_t num_output_args;
  const char *image; /* --image FILE */
  const char *profile; /* --profile FILE.json */
  const char *times;   /* --times FILE.json: every timed run, in order */
  const char *trace;   /* --trace FILE.json: the last timed run's tasks */
  int no_normalize;  /* --no-normalize: --image scaled to [0, 1] only */
  int threads;       /* 0: leave the default */
  int repeat;        /* 0: single timed run, no warm-up */
  int warmup;        /* -1: the default (1 with --repeat, else 0) */
  int info;
  int help;
} kiln_cli;

static void kiln_print_usage(const char *prog, FILE *out) {
  fprintf(out,
          "usage: %s [options]\n"
          "  --input FILE.npy         the input (models with one input)\n"
          "  --input NAME=FILE.npy    input NAME (repeat once per input)\n"
          "  --output FILE.npy        write the output (models with one "
          "output)\n"
          "  --output NAME=FILE.npy   write output NAME (optional; repeat "
          "per output)\n"
          "  --image FILE             an image (PNG, JPEG, BMP, PPM/PGM) "
          "as the input of\n"
          "                           an RGB model: one input of shape "
          "(1, 3, H, W)\n"
          "  --no-normalize           with --image: scale to [0, 1] only "
          "(for models that\n"
          "                           normalize inside)\n"
          "  --threads N              worker threads for the kernels (N >= "
          "1)\n"
          "  --repeat N               one warm-up run, then N timed runs; "
          "report the median\n"
          "  --warmup N               untimed runs before the timed ones "
          "(default: 1 with\n"
          "                           --repeat, else 0)\n"
          "  --times FILE.json        write the time of every timed run "
          "(ms, in run order)\n"
          "  --profile FILE.json      time every kernel call of the timed "
          "runs and write\n"
          "                           their medians (ns) to FILE.json\n"
          "  --trace FILE.json        the last timed run as a Chrome trace "
          "(chrome://tracing,\n"
          "                           ui.perfetto.dev): kernel calls, and "
          "each task of their\n"
          "                           parallel loops on the thread that ran "
          "it\n"
          "  --info                   print the model's inputs and outputs\n"
          "  --help                   this text\n"
          "Inputs are float32 ('<f4'), C-order .npy files of exactly the "
          "input's shape.\n"
          "--image replaces --input and preprocesses like ImageNet "
          "classifiers:\n"
          "  1. decode to 8-bit RGB (gray replicated, alpha dropped, EXIF "
          "orientation ignored)\n"
          "  2. bilinear resize (half-pixel centers, no antialiasing) so the "
          "shorter side is\n"
          "     S = round(max(H, W) * 256 / 224) (256 for 224x224), the "
          "longer side\n"
          "     floor(S * long / short)\n"
          "  3. center crop to H x W (offset round((size - crop) / 2), ties "
          "to even)\n"
          "  4. v / 255, then (v - mean) / std per channel with mean "
          "(0.485, 0.456, 0.406)\n"
          "     and std (0.229, 0.224, 0.225) (skipped with "
          "--no-normalize)\n"
          "  5. float32 NCHW, channels R, G, B\n",
          prog);
}

static void kiln_format_shape(char *dst, size_t cap, int32_t rank,
                              const int64_t *dims) {
  size_t used = 0;
  used += (size_t)snprintf(dst, cap, "(");
  for (int32_t d = 0; d < rank && used < cap; ++d)
    used += (size_t)snprintf(dst + used, cap - used, "%s%lld", d ? ", " : "",
                             (long long)dims[d]);
  if (used < cap)
    snprintf(dst + used, cap - used, rank == 1 ? ",)" : ")");
}

static void kiln_print_tensor(const kiln_tensor_info *t, const char *kind) {
  char shape[KILN_MAX_RANK * 24 + 8];
  kiln_format_shape(shape, sizeof shape, t->rank, t->dims);
  printf("  %s %s: float32 %s (%zu bytes)\n", kind, t->name, shape,
         t->byte_size);
}

static int kiln_parse_int(const char *opt, const char *text, int min,
                          int *out) {
  char *end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end != '\0' || v < min || v > INT_MAX) {
    fprintf(stderr, "error: %s expects an integer >= %d, got '%s'\n", opt, min,
            text);
    return 1;
  }
  *out = (int)v;
  return 0;
}

static int kiln_parse_args(int argc, char **argv, kiln_cli *cli) {
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      cli->help = 1;
      continue;
    }
    if (strcmp(a, "--info") == 0) {
      cli->info = 1;
      continue;
    }
    if (strcmp(a, "--no-normalize") == 0) {
      cli->no_normalize = 1;
      continue;
    }
    int takes_value = strcmp(a, "--input") == 0 || strcmp(a, "--output") == 0 ||
                      strcmp(a, "--threads") == 0 ||
                      strcmp(a, "--repeat") == 0 || strcmp(a, "--image") == 0 ||
                      strcmp(a, "--profile") == 0 ||
                      strcmp(a, "--warmup") == 0 || strcmp(a, "--times") == 0 ||
                      strcmp(a, "--trace") == 0;
    if (!takes_value) {
      fprintf(stderr, "error: unknown argument '%s' (see --help)\n", a);
      return 1;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "error: %s needs a value (see --help)\n", a);
      return 1;
    }
    const char *v = argv[++i];
    if (strcmp(a, "--input") == 0) {
      cli->input_args[cli->num_input_args++] = v;
    } else if (strcmp(a, "--output") == 0) {
      cli->output_args[cli->num_output_args++] = v;
    } else if (strcmp(a, "--threads") == 0) {
      if (kiln_parse_int(a, v, 1, &cli->threads))
        return 1;
    } else if (strcmp(a, "--repeat") == 0) {
      if (kiln_parse_int(a, v, 1, &cli->repeat))
        return 1;
    } else if (strcmp(a, "--warmup") == 0) {
      if (kiln_parse_int(a, v, 0, &cli->warmup))
        return 1;
    } else if (strcmp(a, "--profile") == 0) {
      cli->profile = v;
    } else if (strcmp(a, "--times") == 0) {
      cli->times = v;
    } else if (strcmp(a, "--trace") == 0) {
      cli->trace = v;
    } else {
      if (cli->image) {
        fprintf(stderr, "error: --image %s: only one --image is allowed\n", v);
        return 1;
      }
      cli->image = v;
    }
  }
  if (cli->image && cli->num_input_args) {
    fprintf(stderr, "error: --image and --input cannot be used together\n");
    return 1;
  }
  if (cli->no_normalize && !cli->image) {
    fprintf(stderr, "error: --no-normalize only applies to --image\n");
    return 1;
  }
  return 0;
}

/* --image feeds models with exactly one input of shape (1, 3, H, W). Prints
 * why not and returns 1 otherwise. */
static int kiln_check_image_model(const kiln_model_desc *desc,
                                  const char *image) {
  if (desc->num_inputs != 1) {
    fprintf(stderr,
            "error: --image %s: the model has %zu inputs; --image needs a "
            "model with one input of shape (1, 3, H, W) (use --input)\n",
            image, desc->num_inputs);
    return 1;
  }
  const kiln_tensor_info *t = &desc->inputs[0];
  if (t->rank == 4 && t->dims[0] == 1 && t->dims[1] == 3 && t->dims[2] >= 1 &&
      t->dims[3] >= 1)
    return 0;
  char shape[KILN_MAX_RANK * 24 + 8];
  kiln_format_shape(shape, sizeof shape, t->rank, t->dims);
  if (t->rank == 4 && t->dims[1] != 3)
    fprintf(stderr,
            "error: --image %s: input '%s' of shape %s has %lld channel(s); "
            "--image gives 3 (RGB, NCHW (1, 3, H, W))\n",
            image, t->name, shape, (long long)t->dims[1]);
  else
    fprintf(stderr,
            "error: --image %s: input '%s' has shape %s; --image needs an "
            "NCHW RGB input of shape (1, 3, H, W)\n",
            image, t->name, shape);
  return 1;
}

/* Resolves "NAME=FILE" or "FILE" against the model's tensors. Returns the
 * tensor index and sets *path, or returns -1 after printing an error. */
static long kiln_bind(const char *opt, const char *arg,
                      const kiln_tensor_info *tensors, size_t count,
                      const char **path) {
  const char *eq = strchr(arg, '=');
  if (eq) {
    size_t len = (size_t)(eq - arg);
    for (size_t i = 0; i < count; ++i)
      if (strlen(tensors[i].name) == len &&
          strncmp(tensors[i].name, arg, len) == 0) {
        *path = eq + 1;
        if (!**path) {
          fprintf(stderr, "error: %s %s: empty file name\n", opt, arg);
          return -1;
        }
        return (long)i;
      }
  }
  if (count == 1) {
    *path = arg; /* a plain path (it may itself contain '=') */
    return 0;
  }
  fprintf(stderr, "error: %s %s: ", opt, arg);
  if (count == 0) {
    fprintf(stderr, "the model has no %ss\n", opt + 2);
    return -1;
  }
  fprintf(stderr,
          "the model has %zu %ss; use %s NAME=FILE.npy with NAME one "
          "of:",
          count, opt + 2, opt);
  for (size_t i = 0; i < count; ++i)
    fprintf(stderr, " %s", tensors[i].name);
  fprintf(stderr, "\n");
  return -1;
}

/* Writes a byte of every page of [p, p + bytes), so its page faults happen
 * now rather than inside timed runs (through a volatile pointer: a memset
 * of fresh malloc memory may become a lazily mapped calloc). */
static void kiln_prefault(void *p, size_t bytes) {
  volatile unsigned char *b = (volatile unsigned char *)p;
  for (size_t i = 0; i < bytes; i += 4096)
    b[i] = 0;
  if (bytes)
    b[bytes - 1] = 0;
}

static double kiln_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int kiln_compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int kiln_compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* --profile: samples[k * runs + r] is kernel k's time in timed run r.
 * Sorts each kernel's samples in place. Returns 0 or prints an error. */
static int kiln_write_profile(const char *path, const kiln_model *model,
                              const char *model_name, uint64_t *samples,
                              size_t kernels, int runs, int warmups) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "error: --profile %s: cannot open for writing: %s\n",
            path, strerror(errno));
    return 1;
  }
  fprintf(f, "{\n  \"model\": ");
  kiln_json_string(f, model_name);
  fprintf(f,
          ",\n  \"unit\": \"ns\",\n  \"runs\": %d,\n  \"warmup_runs\": %d,"
          "\n  \"kernels\": [",
          runs, warmups);
  uint64_t total = 0;
  for (size_t k = 0; k < kernels; ++k) {
    uint64_t *v = samples + k * (size_t)runs;
    qsort(v, (size_t)runs, sizeof(uint64_t), kiln_compare_u64);
    uint64_t median =
        runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2;
    total += median;
    const char *name = "";
    kiln_model_profile(model, k, &name, NULL);
    fprintf(f, "%s\n    {\"index\": %zu, \"name\": ", k ? "," : "", k);
    kiln_json_string(f, name ? name : "");
    fprintf(f,
            ", \"median_ns\": %llu, \"min_ns\": %llu, \"max_ns\": %llu}",
            (unsigned long long)median, (unsigned long long)v[0],
            (unsigned long long)v[runs - 1]);
  }
  fprintf(f, "\n  ],\n  \"sum_of_medians_ns\": %llu\n}\n",
          (unsigned long long)total);
  if (fclose(f) != 0) {
    fprintf(stderr, "error: --profile %s: write failed\n", path);
    return 1;
  }
  return 0;
}

/* --times: every timed run's wall time in run order (before sorting). */
static int kiln_write_times(const char *path, const char *model_name,
                            const double *times, int runs, int warmups,
                            int threads) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "error: --times %s: cannot open for writing: %s\n", path,
            strerror(errno));
    return 1;
  }
  fprintf(f, "{\"model\": ");
  kiln_json_string(f, model_name);
  fprintf(f,
          ", \"unit\": \"ms\", \"threads\": %d, \"warmup_runs\": %d, "
          "\"runs\": %d, \"times_ms\": [",
          threads, warmups, runs);
  for (int r = 0; r < runs; ++r)
    fprintf(f, "%s%.6f", r ? ", " : "", times[r]);
  fprintf(f, "]}\n");
  if (fclose(f) != 0) {
    fprintf(stderr, "error: --times %s: write failed\n", path);
    return 1;
  }
  return 0;
}

/* Prints the top-5 classes of each batch row if the output looks like
 * classifier scores: [B, K] with K >= 5, or [B, K, 1, 1]. */
static void kiln_print_top5(const kiln_tensor_info *t, const float *scores) {
  int64_t batch = 0, classes = 0;
  if (t->rank == 2 && t->dims[1] >= 5) {
    batch = t->dims[0];
    classes = t->dims[1];
  } else if (t->rank == 4 && t->dims[1] >= 2 && t->dims[2] == 1 &&
             t->dims[3] == 1) {
    batch = t->dims[0];
    classes = t->dims[1];
  } else {
    return;
  }
  int k = classes < 5 ? (int)classes : 5;
  for (int64_t b = 0; b < batch; ++b) {
    const float *row = scores + b * classes;
    int64_t best[5];
    int have = 0;
    for (int64_t c = 0; c < classes; ++c) {
      /* Insertion into a sorted top-k; NaN never displaces a number. */
      int pos = have;
      while (pos > 0 &&
             (row[c] > row[best[pos - 1]] ||
              (row[best[pos - 1]] != row[best[pos - 1]] && row[c] == row[c])))
        --pos;
      if (pos >= k)
        continue;
      int last = have < k ? have : k - 1;
      for (int j = last; j > pos; --j)
        best[j] = best[j - 1];
      best[pos] = c;
      if (have < k)
        ++have;
    }
    printf("top-%d %s[%lld]:", k, t->name, (long long)b);
    for (int j = 0; j < have; ++j)
      printf(" %lld (%.6g)%s", (long long)best[j], (double)row[best[j]],
             j + 1 < have ? "," : "");
    printf("\n");
  }
}

int main(int argc, char **argv) {
  const char *prog = argc > 0 && argv[0] ? argv[0] : "kiln_model";
  int rc = KILN_EXIT_FAILURE;
  kiln_model *model = NULL;
  const char **input_paths = NULL, **output_paths = NULL;
  kiln_npy_array *arrays = NULL;
  void **outputs = NULL;
  const void **inputs = NULL;
  size_t *input_bytes = NULL, *output_bytes = NULL;
  double *times = NULL;
  uint64_t *kernel_times = NULL;
  size_t num_kernels = 0;
  kiln_pool_task_event *trace_events = NULL;
  size_t trace_count = 0;
  float *image_tensor = NULL;
  size_t num_in = 0, num_out = 0;
  char err[1024];

  kiln_cli cli;
  memset(&cli, 0, sizeof cli);
  cli.warmup = -1;
  cli.input_args = (const char **)calloc((size_t)argc + 1, sizeof(char *));
  cli.output_args = (const char **)calloc((size_t)argc + 1, sizeof(char *));
  if (!cli.input_args || !cli.output_args) {
    fprintf(stderr, "error: out of memory\n");
    goto done;
  }
  if (kiln_parse_args(argc, argv, &cli)) {
    rc = KILN_EXIT_USAGE;
    goto done;
  }
  if (cli.help) {
    kiln_print_usage(prog, stdout);
    rc = KILN_EXIT_OK;
    goto done;
  }

  if (kiln_model_create(kiln_main_model, &model) != KILN_OK) {
    fprintf(stderr, "error: %s\n", kiln_model_last_error(NULL));
    goto done;
  }
  const kiln_model_desc *desc = kiln_main_model;
  num_in = desc->num_inputs;
  num_out = desc->num_outputs;

  if (cli.info) {
    printf("model %s: %zu input(s), %zu output(s)\n",
           desc->name ? desc->name : "", num_in, num_out);
    for (size_t i = 0; i < num_in; ++i)
      kiln_print_tensor(&desc->inputs[i], "input");
    for (size_t i = 0; i < num_out; ++i)
      kiln_print_tensor(&desc->outputs[i], "output");
    printf("  activation arena: %zu bytes\n", desc->arena_bytes);
    rc = KILN_EXIT_OK;
    goto done;
  }

  /* +1 keeps calloc(0) from returning NULL on models without inputs. */
  input_paths = (const char **)calloc(num_in + 1, sizeof(char *));
  output_paths = (const char **)calloc(num_out + 1, sizeof(char *));
  arrays = (kiln_npy_array *)calloc(num_in + 1, sizeof(kiln_npy_array));
  inputs = (const void **)calloc(num_in + 1, sizeof(void *));
  input_bytes = (size_t *)calloc(num_in + 1, sizeof(size_t));
  outputs = (void **)calloc(num_out + 1, sizeof(void *));
  output_bytes = (size_t *)calloc(num_out + 1, sizeof(size_t));
  if (!input_paths || !output_paths || !arrays || !inputs || !input_bytes ||
      !outputs || !output_bytes) {
    fprintf(stderr, "error: out of memory\n");
    goto done;
  }

  if (cli.image && kiln_check_image_model(desc, cli.image))
    goto done;
  for (size_t a = 0; a < cli.num_input_args; ++a) {
    const char *path = NULL;
    long i =
        kiln_bind("--input", cli.input_args[a], desc->inputs, num_in, &path);
    if (i < 0) {
      rc = KILN_EXIT_USAGE;
      goto done;
    }
    if (input_paths[i]) {
      fprintf(stderr, "error: --input %s: input '%s' is given twice\n",
              cli.input_args[a], desc->inputs[i].name);
      rc = KILN_EXIT_USAGE;
      goto done;
    }
    input_paths[i] = path;
  }
  for (size_t i = 0; i < num_in && !cli.image; ++i)
    if (!input_paths[i]) {
      fprintf(stderr,
              "error: missing --input for model input '%s' (see "
              "--help or --info)\n",
              desc->inputs[i].name);
      rc = KILN_EXIT_USAGE;
      goto done;
    }
  for (size_t a = 0; a < cli.num_output_args; ++a) {
    const char *path = NULL;
    long i = kiln_bind("--output", cli.output_args[a], desc->outputs, num_out,
                       &path);
    if (i < 0) {
      rc = KILN_EXIT_USAGE;
      goto done;
    }
    if (output_paths[i]) {
      fprintf(stderr, "error: --output %s: output '%s' is given twice\n",
              cli.output_args[a], desc->outputs[i].name);
      rc = KILN_EXIT_USAGE;
      goto done;
    }
    output_paths[i] = path;
  }

  if (cli.image) {
    const kiln_tensor_info *t = &desc->inputs[0];
    image_tensor = (float *)malloc(t->byte_size);
    if (!image_tensor) {
      fprintf(stderr, "error: out of memory for input '%s' (%zu bytes)\n",
              t->name, t->byte_size);
      goto done;
    }
    if (kiln_image_read_nchw(cli.image, t->dims[2], t->dims[3],
                             !cli.no_normalize, image_tensor, err,
                             sizeof err)) {
      fprintf(stderr, "error: input '%s': %s\n", t->name, err);
      goto done;
    }
    inputs[0] = image_tensor;
    input_bytes[0] = t->byte_size;
  }
  for (size_t i = 0; i < num_in && !cli.image; ++i) {
    const kiln_tensor_info *t = &desc->inputs[i];
    if (kiln_npy_read(input_paths[i], &arrays[i], err, sizeof err)) {
      fprintf(stderr, "error: input '%s': %s\n", t->name, err);
      goto done;
    }
    int same = arrays[i].rank == t->rank;
    for (int32_t d = 0; same && d < t->rank; ++d)
      same = arrays[i].shape[d] == t->dims[d];
    if (!same) {
      char want[KILN_MAX_RANK * 24 + 8], got[KILN_NPY_MAX_RANK * 24 + 8];
      kiln_format_shape(want, sizeof want, t->rank, t->dims);
      kiln_format_shape(got, sizeof got, arrays[i].rank, arrays[i].shape);
      fprintf(stderr,
              "error: %s: shape %s does not match input '%s' of shape %s\n",
              input_paths[i], got, t->name, want);
      goto done;
    }
    inputs[i] = arrays[i].data;
    input_bytes[i] = arrays[i].count * sizeof(float);
  }
  for (size_t i = 0; i < num_out; ++i) {
    output_bytes[i] = desc->outputs[i].byte_size;
    outputs[i] = malloc(output_bytes[i] ? output_bytes[i] : 1);
    if (!outputs[i]) {
      fprintf(stderr, "error: out of memory for output '%s' (%zu bytes)\n",
              desc->outputs[i].name, output_bytes[i]);
      goto done;
    }
  }

  if (cli.threads > 0 &&
      kiln_model_set_threads(model, cli.threads) != KILN_OK) {
    fprintf(stderr, "error: %s\n", kiln_model_last_error(model));
    goto done;
  }

  int runs = cli.repeat > 0 ? cli.repeat : 1;
  times = (double *)calloc((size_t)runs, sizeof(double));
  if (!times) {
    fprintf(stderr, "error: out of memory\n");
    goto done;
  }
  if (cli.profile || cli.trace) {
    /* The trace's kernel rows are the profile of its run. */
    if (kiln_model_set_profiling(model, 1) != KILN_OK) {
      fprintf(stderr, "error: %s: %s\n", cli.profile ? "--profile" : "--trace",
              kiln_model_last_error(model));
      goto done;
    }
  }
  if (cli.trace) {
    trace_events = (kiln_pool_task_event *)malloc(KILN_TRACE_CAPACITY *
                                                  sizeof *trace_events);
    if (!trace_events) {
      fprintf(stderr, "error: out of memory\n");
      goto done;
    }
    /* Touched now, not during the traced run: there each new page's fault
     * stalled every thread recording a task (17 us inside a MobileNetV2
     * kernel at the 171st event, on a VM). */
    kiln_prefault(trace_events, KILN_TRACE_CAPACITY * sizeof *trace_events);
  }
  if (cli.profile) {
    num_kernels = kiln_model_kernel_count(model);
    kernel_times =
        (uint64_t *)calloc(num_kernels * (size_t)runs + 1, sizeof(uint64_t));
    if (!kernel_times) {
      fprintf(stderr, "error: out of memory\n");
      goto done;
    }
    /* Likewise faulted in before the timed runs (calloc maps it lazily). */
    kiln_prefault(kernel_times,
                  (num_kernels * (size_t)runs + 1) * sizeof(uint64_t));
  }
  int warmups = cli.warmup >= 0 ? cli.warmup : (cli.repeat > 0 ? 1 : 0);
  for (int r = -warmups; r < runs; ++r) {
    int traced = cli.trace && r == runs - 1;
    if (traced)
      kiln_pool_trace_start(trace_events, KILN_TRACE_CAPACITY);
    double start = kiln_now_ms();
    kiln_status st = kiln_model_run(model, inputs, input_bytes,
                                    (void *const *)outputs, output_bytes);
    double stop = kiln_now_ms();
    if (traced)
      trace_count = kiln_pool_trace_stop();
    if (st != KILN_OK) {
      fprintf(stderr, "error: %s\n", kiln_model_last_error(model));
      goto done;
    }
    if (r >= 0)
      times[r] = stop - start;
    for (size_t k = 0; r >= 0 && k < num_kernels; ++k)
      kiln_model_profile(model, k, NULL,
                         &kernel_times[k * (size_t)runs + (size_t)r]);
  }
  if (cli.profile) {
    if (kiln_write_profile(cli.profile, model, desc->name ? desc->name : "",
                           kernel_times, num_kernels, runs, warmups))
      goto done;
    printf("wrote the kernel profile to %s\n", cli.profile);
  }
  if (cli.trace) {
    size_t kept =
        trace_count < KILN_TRACE_CAPACITY ? trace_count : KILN_TRACE_CAPACITY;
    if (kiln_write_trace(cli.trace, model, desc->name ? desc->name : "",
                         cli.threads > 0 ? cli.threads : 1, trace_events, kept,
                         trace_count))
      goto done;
    if (kept < trace_count)
      printf("wrote the trace of the last run (%zu tasks, the first %zu "
             "kept) to %s\n",
             trace_count, kept, cli.trace);
    else
      printf("wrote the trace of the last run (%zu tasks) to %s\n",
             trace_count, cli.trace);
  }
  if (cli.times) {
    if (kiln_write_times(cli.times, desc->name ? desc->name : "", times, runs,
                         warmups, cli.threads))
      goto done;
    printf("wrote the run times to %s\n", cli.times);
  }
  if (cli.repeat > 0) {
    qsort(times, (size_t)runs, sizeof(double), kiln_compare_double);
    double median = runs % 2 ? times[runs / 2]
                             : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
    printf("latency: %.3f ms (median of %d runs after %d warm-up%s; min "
           "%.3f, max %.3f)\n",
           median, runs, warmups, warmups == 1 ? "" : "s", times[0],
           times[runs - 1]);
  } else {
    printf("latency: %.3f ms\n", times[0]);
  }

  for (size_t i = 0; i < num_out; ++i)
    kiln_print_top5(&desc->outputs[i], (const float *)outputs[i]);
  for (size_t i = 0; i < num_out; ++i) {
    if (!output_paths[i])
      continue;
    const kiln_tensor_info *t = &desc->outputs[i];
    if (kiln_npy_write(output_paths[i], (const float *)outputs[i], t->rank,
                       t->dims, err, sizeof err)) {
      fprintf(stderr, "error: output '%s': %s\n", t->name, err);
      goto done;
    }
    printf("wrote %s to %s\n", t->name, output_paths[i]);
  }
  rc = KILN_EXIT_OK;

done:
  if (arrays)
    for (size_t i = 0; i < num_in; ++i)
      kiln_npy_free(&arrays[i]);
  if (outputs)
    for (size_t i = 0; i < num_out; ++i)
      free(outputs[i]);
  free(times);
  free(kernel_times);
  free(trace_events);
  free(image_tensor);
  free(arrays);
  free(outputs);
  free((void *)inputs);
  free(input_bytes);
  free(output_bytes);
  free((void *)input_paths);
  free((void *)output_paths);
  free((void *)cli.input_args);
  free((void *)cli.output_args);
  kiln_model_destroy(model);
  return rc;
}
