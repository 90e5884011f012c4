/*===- kiln_buffer.h - halide_buffer_t helpers for generated code -*- C -*-===*
 *
 * Used by the C file the Kiln compiler generates per model: wraps a dense,
 * row-major float32 tensor (an input, output, arena slice or weight) in a
 * halide_buffer_t without allocating.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_KILN_BUFFER_H
#define KILN_RUNTIME_KILN_BUFFER_H

#include "HalideRuntime.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fills `buf` as a float32 buffer over `data`, whose ONNX shape (outermost
 * first) is shape[0..rank). Halide dimension 0 is the innermost (last ONNX)
 * dimension; strides are dense, mins are 0. `dims` must hold `rank` entries
 * and outlive `buf` (Halide does not copy it). Each extent and stride must
 * fit in int32 (the compiler checks this when it plans buffers). */
void kiln_buffer_init(struct halide_buffer_t *buf,
                      struct halide_dimension_t *dims, void *data, int32_t rank,
                      const int64_t *shape);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_BUFFER_H */
