/*===- kiln_runtime.c - Kiln runtime C API implementation -------*- C -*-===*
 *
 * Implements kiln.h over a generated kiln_model_desc. Plain C11 + pthread +
 * the Halide runtime: the Kiln driver compiles this file with the target's
 * C compiler when it links a model.
 *
 *===----------------------------------------------------------------------===*/

/* clock_gettime under strict C11. */
#define _POSIX_C_SOURCE 200809L

#include "kiln.h"
#include "kiln_model_desc.h"
#include "kiln_scratch.h"
#include "kiln_thread_pool.h"
#include "kiln_weights.h"

#include "HalideRuntime.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KILN_ARENA_ALIGNMENT 64
#define KILN_ERROR_CAPACITY 1024
#define KILN_HALIDE_ERROR_CAPACITY 1024

/* Per-kernel times of a profiled model: `running` fills during a run and
 * is copied to `last` when the run succeeds. */
typedef struct kiln_profile {
  size_t count;
  uint64_t *running, *last;
  uint64_t mark; /* time of the previous hook call, ns */
  uint64_t running_start, last_start; /* the runs' first marks */
} kiln_profile;

struct kiln_model {
  const kiln_model_desc *desc;
  void *arena; /* KILN_ARENA_ALIGNMENT-aligned, desc->arena_bytes usable */
  /* ABI 3 descriptors with run_weights: the weights the kernels read
   * (kiln_weights_acquire); NULL: desc->run and its embedded weights. */
  const void *weights;
  kiln_profile *profile; /* NULL unless profiling is enabled */
  int threads;           /* threads a run uses (kiln_model_set_threads) */
  char last_error[KILN_ERROR_CAPACITY];
};

/* The profile of the model running on this thread (NULL: not profiling).
 * Thread-local because the glue's hook has no model argument and distinct
 * models may run concurrently on different threads. */
static _Thread_local kiln_profile *kiln_active_profile;

static uint64_t kiln_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void kiln_profile_kernel_done(size_t kernel) {
  kiln_profile *p = kiln_active_profile;
  if (!p || kernel >= p->count)
    return;
  uint64_t now = kiln_now_ns();
  p->running[kernel] = now - p->mark;
  p->mark = now;
}

/* Kernel calls per run; version 1 descriptors predate the fields. */
static size_t kiln_desc_kernel_count(const kiln_model_desc *desc) {
  return desc->abi_version >= 2 && desc->kernel_names ? desc->num_kernels : 0;
}

static void kiln_profile_free(kiln_profile *p) {
  if (!p)
    return;
  free(p->running);
  free(p->last);
  free(p);
}

/* Errors that have no model to live on (kiln_model_create failures, calls
 * with a NULL model). Thread-local so concurrent creates do not mix. */
static _Thread_local char kiln_global_error[KILN_ERROR_CAPACITY];

/* --- Halide error capture -------------------------------------------------
 * Halide reports errors through one process-wide handler, possibly from a
 * worker thread of its pool, so the text goes to a mutex-protected buffer.
 * The sequence number tells a failed run whether the text is fresh. */
static pthread_mutex_t kiln_halide_error_mutex = PTHREAD_MUTEX_INITIALIZER;
static char kiln_halide_error_text[KILN_HALIDE_ERROR_CAPACITY];
static unsigned long kiln_halide_error_seq;

static void kiln_capture_halide_error(void *user_context, const char *msg) {
  (void)user_context;
  pthread_mutex_lock(&kiln_halide_error_mutex);
  snprintf(kiln_halide_error_text, sizeof kiln_halide_error_text, "%s",
           msg ? msg : "(no message)");
  /* Halide messages often end in a newline; the caller adds its own. */
  size_t len = strlen(kiln_halide_error_text);
  while (len > 0 && (kiln_halide_error_text[len - 1] == '\n' ||
                     kiln_halide_error_text[len - 1] == '\r'))
    kiln_halide_error_text[--len] = '\0';
  ++kiln_halide_error_seq;
  pthread_mutex_unlock(&kiln_halide_error_mutex);
}

static unsigned long kiln_halide_error_sequence(void) {
  pthread_mutex_lock(&kiln_halide_error_mutex);
  unsigned long seq = kiln_halide_error_seq;
  pthread_mutex_unlock(&kiln_halide_error_mutex);
  return seq;
}

/* --- error helpers ------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static kiln_status
kiln_fail(kiln_model *model, kiln_status status, const char *fmt, ...) {
  char *dst = model ? model->last_error : kiln_global_error;
  va_list args;
  va_start(args, fmt);
  vsnprintf(dst, KILN_ERROR_CAPACITY, fmt, args);
  va_end(args);
  return status;
}

/* Writes "1x3x224x224" (or "scalar") into dst. */
static void kiln_format_dims(char *dst, size_t cap, const kiln_tensor_info *t) {
  if (cap == 0)
    return;
  dst[0] = '\0';
  if (t->rank == 0) {
    snprintf(dst, cap, "scalar");
    return;
  }
  size_t used = 0;
  for (int32_t d = 0; d < t->rank && used < cap; ++d) {
    int n = snprintf(dst + used, cap - used, d ? "x%lld" : "%lld",
                     (long long)t->dims[d]);
    if (n < 0)
      break;
    used += (size_t)n;
  }
}

/* Checks one tensor description of a descriptor; returns 0 if sound. */
static int kiln_check_tensor_info(const kiln_tensor_info *t, const char *kind,
                                  size_t index) {
  if (!t->name) {
    kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
              "kiln_model_create: %s %zu has no name", kind, index);
    return 1;
  }
  if (t->dtype != KILN_DTYPE_F32) {
    kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
              "kiln_model_create: %s '%s' has unsupported dtype %d", kind,
              t->name, (int)t->dtype);
    return 1;
  }
  if (t->rank < 0 || t->rank > KILN_MAX_RANK) {
    kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
              "kiln_model_create: %s '%s' has rank %d (must be 0..%d)", kind,
              t->name, (int)t->rank, KILN_MAX_RANK);
    return 1;
  }
  size_t elements = 1;
  for (int32_t d = 0; d < t->rank; ++d) {
    int64_t dim = t->dims[d];
    if (dim < 0 || (dim > 0 && elements > SIZE_MAX / 4 / (size_t)dim)) {
      kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                "kiln_model_create: %s '%s' has invalid dim %d = %lld", kind,
                t->name, (int)d, (long long)dim);
      return 1;
    }
    elements *= (size_t)dim;
  }
  if (t->byte_size != elements * sizeof(float)) {
    kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
              "kiln_model_create: %s '%s' declares %zu bytes but its shape "
              "holds %zu bytes",
              kind, t->name, t->byte_size, elements * sizeof(float));
    return 1;
  }
  return 0;
}

/* --- lifecycle ----------------------------------------------------------- */

kiln_status kiln_model_create(const kiln_model_desc *desc, kiln_model **out) {
  if (out)
    *out = NULL;
  if (!desc || !out)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_create: %s is NULL", desc ? "out" : "desc");
  if (desc->abi_version < KILN_MODEL_ABI_VERSION_MIN ||
      desc->abi_version > KILN_MODEL_ABI_VERSION)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_create: model '%s' was generated for ABI "
                     "version %u, this runtime implements versions %u to %u",
                     desc->name ? desc->name : "(unnamed)",
                     (unsigned)desc->abi_version,
                     (unsigned)KILN_MODEL_ABI_VERSION_MIN,
                     (unsigned)KILN_MODEL_ABI_VERSION);
  if (!desc->run)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_create: model '%s' has no run function",
                     desc->name ? desc->name : "(unnamed)");
  if ((desc->num_inputs && !desc->inputs) ||
      (desc->num_outputs && !desc->outputs))
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_create: model '%s' has a NULL %s table",
                     desc->name ? desc->name : "(unnamed)",
                     desc->num_inputs && !desc->inputs ? "input" : "output");
  for (size_t i = 0; i < desc->num_inputs; ++i)
    if (kiln_check_tensor_info(&desc->inputs[i], "input", i))
      return KILN_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < desc->num_outputs; ++i)
    if (kiln_check_tensor_info(&desc->outputs[i], "output", i))
      return KILN_ERROR_INVALID_ARGUMENT;

  kiln_model *model = (kiln_model *)calloc(1, sizeof *model);
  if (!model)
    return kiln_fail(NULL, KILN_ERROR_OUT_OF_MEMORY,
                     "kiln_model_create: out of memory for the model");
  /* aligned_alloc wants a multiple of the alignment; never 0 so the arena
   * pointer is always valid. */
  size_t bytes = desc->arena_bytes;
  if (bytes > SIZE_MAX - KILN_ARENA_ALIGNMENT) {
    free(model);
    return kiln_fail(NULL, KILN_ERROR_OUT_OF_MEMORY,
                     "kiln_model_create: arena of %zu bytes is too large",
                     bytes);
  }
  bytes = (bytes + KILN_ARENA_ALIGNMENT - 1) / KILN_ARENA_ALIGNMENT *
          KILN_ARENA_ALIGNMENT;
  if (bytes == 0)
    bytes = KILN_ARENA_ALIGNMENT;
  model->arena = aligned_alloc(KILN_ARENA_ALIGNMENT, bytes);
  if (!model->arena) {
    free(model);
    return kiln_fail(NULL, KILN_ERROR_OUT_OF_MEMORY,
                     "kiln_model_create: cannot allocate the %zu-byte "
                     "activation arena of model '%s'",
                     desc->arena_bytes, desc->name ? desc->name : "(unnamed)");
  }
  model->desc = desc;
  if (desc->abi_version >= 3 && desc->run_weights && desc->weights)
    model->weights = kiln_weights_acquire(desc);
  model->threads = kiln_pool_default_threads();
  model->last_error[0] = '\0';
  /* The kernels' parallel loops run on Kiln's pool (kiln_thread_pool.h). */
  kiln_pool_acquire();
  /* The kernels' scratch buffers are reused from run to run
   * (kiln_scratch.h). */
  kiln_scratch_acquire();
  /* Route Halide errors into our buffer instead of stderr/abort. */
  halide_set_error_handler(kiln_capture_halide_error);
  *out = model;
  return KILN_OK;
}

void kiln_model_destroy(kiln_model *model) {
  if (!model)
    return;
  kiln_profile_free(model->profile);
  kiln_weights_release(model->desc, model->weights);
  free(model->arena);
  free(model);
  kiln_pool_release();
  kiln_scratch_release();
}

/* --- queries ------------------------------------------------------------- */

size_t kiln_model_input_count(const kiln_model *model) {
  return model ? model->desc->num_inputs : 0;
}

size_t kiln_model_output_count(const kiln_model *model) {
  return model ? model->desc->num_outputs : 0;
}

static kiln_status kiln_tensor_info_at(const kiln_model *cmodel, size_t index,
                                       kiln_tensor_info *out, int is_input) {
  /* last_error is mutable state even on a const model. */
  kiln_model *model = (kiln_model *)(uintptr_t)cmodel;
  const char *fn =
      is_input ? "kiln_model_input_info" : "kiln_model_output_info";
  if (!model)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT, "%s: model is NULL",
                     fn);
  if (!out)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT, "%s: out is NULL", fn);
  size_t count = is_input ? model->desc->num_inputs : model->desc->num_outputs;
  if (index >= count)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "%s: index %zu out of range (model '%s' has %zu %s)", fn,
                     index, model->desc->name ? model->desc->name : "", count,
                     is_input ? "inputs" : "outputs");
  *out = is_input ? model->desc->inputs[index] : model->desc->outputs[index];
  return KILN_OK;
}

kiln_status kiln_model_input_info(const kiln_model *model, size_t index,
                                  kiln_tensor_info *out) {
  return kiln_tensor_info_at(model, index, out, 1);
}

kiln_status kiln_model_output_info(const kiln_model *model, size_t index,
                                   kiln_tensor_info *out) {
  return kiln_tensor_info_at(model, index, out, 0);
}

/* --- run ----------------------------------------------------------------- */

/* Checks the caller's buffers for one side (inputs or outputs). */
static kiln_status kiln_check_buffers(kiln_model *model, const char *kind,
                                      size_t count,
                                      const kiln_tensor_info *infos,
                                      const void *const *ptrs,
                                      const size_t *bytes) {
  if (count == 0)
    return KILN_OK;
  if (!ptrs)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_run: %ss array is NULL (model has %zu %ss)",
                     kind, count, kind);
  if (!bytes)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_run: %s_bytes array is NULL (model has %zu "
                     "%ss)",
                     kind, count, kind);
  for (size_t i = 0; i < count; ++i) {
    const kiln_tensor_info *t = &infos[i];
    if (!ptrs[i])
      return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                       "kiln_model_run: %s %zu '%s' buffer is NULL", kind, i,
                       t->name);
    if (bytes[i] != t->byte_size) {
      char dims[KILN_MAX_RANK * 21 + 8];
      kiln_format_dims(dims, sizeof dims, t);
      return kiln_fail(model, KILN_ERROR_SHAPE_MISMATCH,
                       "kiln_model_run: %s %zu '%s' expects float32[%s] = %zu "
                       "bytes, got %zu bytes",
                       kind, i, t->name, dims, t->byte_size, bytes[i]);
    }
  }
  return KILN_OK;
}

kiln_status kiln_model_run(kiln_model *model, const void *const *inputs,
                           const size_t *input_bytes, void *const *outputs,
                           const size_t *output_bytes) {
  if (!model)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_run: model is NULL");
  const kiln_model_desc *desc = model->desc;
  kiln_status st = kiln_check_buffers(model, "input", desc->num_inputs,
                                      desc->inputs, inputs, input_bytes);
  if (st != KILN_OK)
    return st;
  st = kiln_check_buffers(model, "output", desc->num_outputs, desc->outputs,
                          (const void *const *)outputs, output_bytes);
  if (st != KILN_OK)
    return st;

  unsigned long seq_before = kiln_halide_error_sequence();
  const char *failed_kernel = NULL;
  kiln_profile *profile = model->profile;
  if (profile) {
    kiln_active_profile = profile;
    profile->mark = kiln_now_ns();
    profile->running_start = profile->mark;
  }
  /* Workers spin between the kernels of this run instead of sleeping. */
  int owns_pool = kiln_pool_begin_run(model->threads);
  int failed =
      model->weights
          ? desc->run_weights(model->arena, model->weights, inputs, outputs,
                              &failed_kernel)
          : desc->run(model->arena, inputs, outputs, &failed_kernel);
  kiln_pool_end_run(owns_pool);
  kiln_active_profile = NULL;
  if (failed == 0) {
    if (profile) {
      memcpy(profile->last, profile->running,
             profile->count * sizeof(uint64_t));
      profile->last_start = profile->running_start;
    }
    return KILN_OK;
  }

  char kernel[96];
  if (failed_kernel)
    snprintf(kernel, sizeof kernel, "'%s' (#%d)", failed_kernel, failed);
  else
    snprintf(kernel, sizeof kernel, "#%d", failed);
  pthread_mutex_lock(&kiln_halide_error_mutex);
  int fresh = kiln_halide_error_seq != seq_before;
  kiln_fail(model, KILN_ERROR_KERNEL_FAILED,
            "kiln_model_run: model '%s': kernel %s failed: %s",
            desc->name ? desc->name : "", kernel,
            fresh ? kiln_halide_error_text : "(no Halide error message)");
  pthread_mutex_unlock(&kiln_halide_error_mutex);
  return KILN_ERROR_KERNEL_FAILED;
}

kiln_status kiln_model_set_threads(kiln_model *model, int threads) {
  if (!model)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_set_threads: model is NULL");
  if (threads < 1)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_set_threads: thread count must be >= 1, got "
                     "%d",
                     threads);
  model->threads = threads;
  return KILN_OK;
}

kiln_status kiln_model_set_profiling(kiln_model *model, int enabled) {
  if (!model)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_set_profiling: model is NULL");
  if (!enabled) {
    kiln_profile_free(model->profile);
    model->profile = NULL;
    return KILN_OK;
  }
  if (model->profile)
    return KILN_OK;
  size_t count = kiln_desc_kernel_count(model->desc);
  if (count == 0)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_set_profiling: model '%s' was generated "
                     "without profiling support (no kernel table)",
                     model->desc->name ? model->desc->name : "");
  kiln_profile *p = (kiln_profile *)calloc(1, sizeof *p);
  if (p) {
    p->count = count;
    p->running = (uint64_t *)calloc(count, sizeof(uint64_t));
    p->last = (uint64_t *)calloc(count, sizeof(uint64_t));
  }
  if (!p || !p->running || !p->last) {
    kiln_profile_free(p);
    return kiln_fail(model, KILN_ERROR_OUT_OF_MEMORY,
                     "kiln_model_set_profiling: out of memory for %zu "
                     "kernel times",
                     count);
  }
  model->profile = p;
  return KILN_OK;
}

size_t kiln_model_kernel_count(const kiln_model *model) {
  return model ? kiln_desc_kernel_count(model->desc) : 0;
}

kiln_status kiln_model_profile(const kiln_model *cmodel, size_t kernel,
                               const char **name, uint64_t *nanoseconds) {
  kiln_model *model = (kiln_model *)(uintptr_t)cmodel;
  if (!model)
    return kiln_fail(NULL, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_profile: model is NULL");
  size_t count = kiln_desc_kernel_count(model->desc);
  if (kernel >= count)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_profile: kernel %zu out of range (model "
                     "'%s' has %zu kernel calls)",
                     kernel, model->desc->name ? model->desc->name : "",
                     count);
  if (name)
    *name = model->desc->kernel_names[kernel];
  if (nanoseconds)
    *nanoseconds = model->profile ? model->profile->last[kernel] : 0;
  return KILN_OK;
}

kiln_status kiln_model_profile_start(const kiln_model *cmodel,
                                     uint64_t *start_ns) {
  kiln_model *model = (kiln_model *)(uintptr_t)cmodel;
  if (!model || !start_ns)
    return kiln_fail(model, KILN_ERROR_INVALID_ARGUMENT,
                     "kiln_model_profile_start: %s is NULL",
                     model ? "start_ns" : "model");
  *start_ns = model->profile ? model->profile->last_start : 0;
  return KILN_OK;
}

const char *kiln_model_last_error(const kiln_model *model) {
  return model ? model->last_error : kiln_global_error;
}
