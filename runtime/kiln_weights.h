/*===- kiln_weights.h - The weights a model's kernels read -------*- C -*-===*
 *
 * Not for users. A model's constant weights are embedded in the generated
 * file (read-only data, 4 KiB file pages). The kernels stream them from
 * memory at every inference; on Linux they read a copy on transparent huge
 * pages instead (one TLB entry per 2 MiB instead of per 4 KiB: ResNet-50's
 * ~140 MB of weights otherwise need a page walk every 4 KiB of every
 * weight stream; its kernel sum -1.1 % at 1 thread, MobileNetV2's -1.4 %).
 * The copy is made by the first kiln_model_create of a descriptor and
 * shared by every model of that descriptor until the last one is
 * destroyed. Blobs under 4 MiB, other systems, a failed allocation or
 * KILN_WEIGHTS_HUGEPAGES=0 in the environment use the embedded blob.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_KILN_WEIGHTS_H
#define KILN_RUNTIME_KILN_WEIGHTS_H

#include "kiln_model_desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The weights for desc's run_weights: the shared copy, or desc->weights.
 * Never NULL for a descriptor with weights. Thread-safe. */
const void *kiln_weights_acquire(const kiln_model_desc *desc);

/* Releases what kiln_weights_acquire(desc) returned; the copy is freed with
 * its last user. Thread-safe. */
void kiln_weights_release(const kiln_model_desc *desc, const void *weights);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_WEIGHTS_H */
