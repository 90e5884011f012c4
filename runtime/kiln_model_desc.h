/*===- kiln_model_desc.h - ABI between generated model code and runtime -===*
 *
 * Not for users: the Kiln compiler generates one C file per model that
 * defines a `const kiln_model_desc <prefix>_model`, and the runtime opens it.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_KILN_MODEL_DESC_H
#define KILN_RUNTIME_KILN_MODEL_DESC_H

#include "kiln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs every kernel of the model in order. `arena` holds arena_bytes bytes
 * (64-byte aligned, allocated once by kiln_model_create) for the
 * activations; the model's constant weights are static data of the
 * generated file itself (run_weights: passed in). inputs/outputs are the
 * caller's buffers (dense, row-major, sizes already checked by the
 * runtime). Returns 0, or the
 * 1-based index of the kernel that failed; on failure *failed_kernel names
 * that kernel (a static string) and the runtime reports it together with
 * the text the kernel passed to halide_error(). Must not allocate.
 *
 * The generated file may use kiln_buffer_init() (kiln_buffer.h) to wrap a
 * tensor in a halide_buffer_t. For executables it also defines
 *     const kiln_model_desc *const kiln_main_model = &<prefix>_model;
 * which runtime/main/kiln_main.c opens. */
typedef int (*kiln_model_run_fn)(void *arena, const void *const *inputs,
                                 void *const *outputs,
                                 const char **failed_kernel);
/* ABI version 3: the same with the weights the kernels read passed in
 * (`weights`, weight_bytes long: the embedded blob or the runtime's copy of
 * it on huge pages, kiln_weights.h); `run` then reads the embedded blob. */
typedef int (*kiln_model_run_weights_fn)(void *arena, const void *weights,
                                         const void *const *inputs,
                                         void *const *outputs,
                                         const char **failed_kernel);

struct kiln_model_desc {
  uint32_t abi_version; /* KILN_MODEL_ABI_VERSION */
  const char *name;
  size_t num_inputs;
  const kiln_tensor_info *inputs;
  size_t num_outputs;
  const kiln_tensor_info *outputs;
  size_t arena_bytes;
  kiln_model_run_fn run;
  /* ABI version 2 and later: the kernel calls `run` makes, in order, for
   * profiling (kiln_model_set_profiling). kernel_names[k] names call k (a
   * static string, e.g. "k3_Conv2D from 'kiln.conv2d' (node 'conv1')").
   * Version 1 descriptors end before these fields. */
  size_t num_kernels;
  const char *const *kernel_names;
  /* ABI version 3 and later: the embedded weight blob (64-byte aligned,
   * read-only data of the model's file: once it has copied the blob, the
   * runtime drops its pages, which come back from the file if read again)
   * and run_weights. Version 1 and 2 descriptors end before these. */
  const void *weights;
  size_t weight_bytes;
  kiln_model_run_weights_fn run_weights;
};

/* 2: adds num_kernels / kernel_names and the profiling hook below.
 * 3: adds weights / weight_bytes / run_weights. The runtime still opens
 * version 1 (without profiling) and 2 descriptors (embedded weights). */
#define KILN_MODEL_ABI_VERSION 3u
#define KILN_MODEL_ABI_VERSION_MIN 1u

/* Profiling hook, ABI version 2: a generated run function calls it after
 * kernel call `kernel` (0-based, < num_kernels) returned successfully. The
 * runtime records the time since the previous call (or since the run
 * started) when profiling is enabled on the running model, and returns at
 * once otherwise. Never allocates; safe to call with no run in progress. */
void kiln_profile_kernel_done(size_t kernel);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_MODEL_DESC_H */
