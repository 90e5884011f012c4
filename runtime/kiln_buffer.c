/*===- kiln_buffer.c - halide_buffer_t helpers for generated code -*- C -*-===*/

#include "kiln_buffer.h"

#include <string.h>

void kiln_buffer_init(struct halide_buffer_t *buf,
                      struct halide_dimension_t *dims, void *data, int32_t rank,
                      const int64_t *shape) {
  memset(buf, 0, sizeof *buf);
  buf->host = (uint8_t *)data;
  buf->type.code = halide_type_float;
  buf->type.bits = 32;
  buf->type.lanes = 1;
  buf->dimensions = rank;
  buf->dim = rank > 0 ? dims : NULL;
  /* ONNX is outermost-first; Halide's dim 0 is the innermost. */
  int64_t stride = 1;
  for (int32_t d = 0; d < rank; ++d) {
    int64_t extent = shape[rank - 1 - d];
    dims[d].min = 0;
    dims[d].extent = (int32_t)extent;
    dims[d].stride = (int32_t)stride;
    dims[d].flags = 0;
    stride *= extent;
  }
}
