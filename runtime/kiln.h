/*===- kiln.h - Kiln runtime C API -------------------------------*- C -*-===*
 *
 * The public C interface of a model compiled by Kiln. A compiled artifact
 * (executable, static or shared library) contains one model descriptor,
 * declared in the model's own generated header as
 *     extern const kiln_model_desc <prefix>_model;
 * and this runtime, which opens it:
 *
 *     kiln_model *m = NULL;
 *     if (kiln_model_create(&my_net_model, &m) != KILN_OK) { ... }
 *     kiln_model_run(m, inputs, input_bytes, outputs, output_bytes);
 *     kiln_model_destroy(m);
 *
 * Ownership: the caller owns every input and output buffer; the model owns
 * its activation arena (allocated once, in kiln_model_create). No call
 * allocates on the run path.
 * Threading: a kiln_model may be used by one thread at a time; distinct
 * models may run concurrently. Kernels run on one process-wide pool whose
 * workers spin between the kernels of a run and sleep between runs; one run
 * at a time uses it, with the thread count of its model
 * (kiln_model_set_threads; default: the online CPUs or KILN_NUM_THREADS).
 * A run that starts while another model's run holds the pool runs its
 * kernels on the calling thread only, so concurrent models never use more
 * threads than the largest count asked for.
 * Errors: every fallible call returns a kiln_status (KILN_OK == 0); the
 * message for the last failure on a model is kiln_model_last_error().
 * kiln_model_create installs a process-wide Halide error handler
 * (halide_set_error_handler) that captures kernel error text for
 * kiln_model_last_error instead of printing it or aborting.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_KILN_H
#define KILN_RUNTIME_KILN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_status {
  KILN_OK = 0,
  KILN_ERROR_INVALID_ARGUMENT = 1, /* null pointer, index out of range, ... */
  KILN_ERROR_SHAPE_MISMATCH = 2,   /* a buffer's byte size does not match */
  KILN_ERROR_OUT_OF_MEMORY = 3,
  KILN_ERROR_KERNEL_FAILED = 4, /* a generated kernel reported an error */
} kiln_status;

typedef enum kiln_dtype { KILN_DTYPE_F32 = 1 } kiln_dtype;

#define KILN_MAX_RANK 8

/* Name, element type and shape of one model input or output. */
typedef struct kiln_tensor_info {
  const char *name;
  kiln_dtype dtype;
  int32_t rank;
  int64_t dims[KILN_MAX_RANK]; /* outermost first (ONNX order) */
  size_t byte_size;            /* product(dims) * sizeof(element) */
} kiln_tensor_info;

typedef struct kiln_model_desc kiln_model_desc;
typedef struct kiln_model kiln_model;

/* Opens a compiled model: allocates its activation arena. */
kiln_status kiln_model_create(const kiln_model_desc *desc, kiln_model **out);
/* Frees the model; NULL is allowed. */
void kiln_model_destroy(kiln_model *model);

size_t kiln_model_input_count(const kiln_model *model);
size_t kiln_model_output_count(const kiln_model *model);
kiln_status kiln_model_input_info(const kiln_model *model, size_t index,
                                  kiln_tensor_info *out);
kiln_status kiln_model_output_info(const kiln_model *model, size_t index,
                                   kiln_tensor_info *out);

/* Runs the model. inputs[i] holds input_bytes[i] bytes for input i, dense,
 * row-major; outputs[i] receives output i. Every pointer and size is checked
 * against the model's signature before any kernel runs. */
kiln_status kiln_model_run(kiln_model *model, const void *const *inputs,
                           const size_t *input_bytes, void *const *outputs,
                           const size_t *output_bytes);

/* Threads this model's runs use, the calling thread included (>= 1). */
kiln_status kiln_model_set_threads(kiln_model *model, int threads);

/* --- Profiling (opt-in) ------------------------------------------------
 * kiln_model_set_profiling(model, 1) makes every later kiln_model_run of
 * this model record the wall time of each kernel call (CLOCK_MONOTONIC
 * nanoseconds from the end of the previous call, or the start of the run,
 * to the end of this one: the buffer setup of the generated glue counts
 * with its kernel); 0 turns it off again. Off by default; when off a run
 * pays one function call per kernel. Enabling allocates the per-kernel
 * table (never on the run path); it fails with KILN_ERROR_INVALID_ARGUMENT
 * for models generated without profiling support (kernel count 0).
 * kiln_model_kernel_count: kernel calls per run (0: no profiling support).
 * kiln_model_profile: the name of kernel call `kernel` (static string) and
 * its time in the last successful profiled run (0 before one completed).
 * kiln_model_profile_start: when that run's first kernel interval began
 * (CLOCK_MONOTONIC ns; 0 before one completed): kernel call k ran from
 * start + the times of calls 0..k-1 for its own time (a timeline). */
kiln_status kiln_model_set_profiling(kiln_model *model, int enabled);
size_t kiln_model_kernel_count(const kiln_model *model);
kiln_status kiln_model_profile(const kiln_model *model, size_t kernel,
                               const char **name, uint64_t *nanoseconds);
kiln_status kiln_model_profile_start(const kiln_model *model,
                                     uint64_t *start_ns);

/* Text of the last error on this model ("" if none yet; successful calls
 * leave it unchanged); valid until the next call on the model. With a NULL
 * model: the last error of kiln_model_create (or of a call made with a NULL
 * model) on the calling thread. */
const char *kiln_model_last_error(const kiln_model *model);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_H */
