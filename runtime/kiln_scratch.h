/*===- kiln_scratch.h - Scratch memory the kernels reuse --------*- C -*-===*
 *
 * Why: Halide kernels allocate their scratch buffers (padded copies,
 * transformed inputs, tiles) with halide_malloc on every call and free
 * them before returning. Through malloc a large block is mmap'ed, or
 * trimmed back to the system when freed, depending on glibc's adaptive
 * thresholds, so whether a kernel's scratch page-faults on every call
 * depended on unrelated kernels' allocations (ResNet-50: 230 page faults
 * per inference, 1070 after one conv stopped copying its input).
 *
 * Installed as Halide's allocator (halide_set_custom_malloc / _free) while
 * a model exists: each thread keeps the blocks it freed (up to
 * KILN_SCRATCH_SLOTS blocks and KILN_SCRATCH_MAX_CACHED bytes, the least
 * recently freed dropped first) and hands one out again to a request it
 * fits without wasting more than half of it. A model's run makes the same
 * requests every time, so from the second run on they are served from the
 * cache. A thread's cache is freed when the thread exits, and the calling
 * thread's when the last model is destroyed.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_KILN_SCRATCH_H
#define KILN_RUNTIME_KILN_SCRATCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Blocks a thread keeps, and their total size at most. */
#define KILN_SCRATCH_SLOTS 32
#define KILN_SCRATCH_MAX_CACHED ((size_t)64 << 20)

/* Takes a reference and installs the allocator as Halide's (first
 * reference); the last release restores the previous allocator and frees
 * the calling thread's cache. */
void kiln_scratch_acquire(void);
void kiln_scratch_release(void);

/* Halide's malloc / free signatures. Blocks are aligned to 64 bytes, a
 * whole number of 64-byte lines long, with 64 readable bytes before and
 * after (Halide's contract for halide_malloc). */
void *kiln_scratch_malloc(void *user_context, size_t bytes);
void kiln_scratch_free(void *user_context, void *ptr);

/* The calling thread's cache: bytes and blocks held, and a flush (frees
 * them all). */
size_t kiln_scratch_cached_bytes(void);
int kiln_scratch_cached_blocks(void);
void kiln_scratch_flush_thread(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_SCRATCH_H */
