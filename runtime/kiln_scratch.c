/*===- kiln_scratch.c - Scratch memory the kernels reuse --------*- C -*-===*
 *
 * See kiln_scratch.h. Each block is one aligned_alloc of a 64-byte header
 * (its capacity), the capacity, and 64 bytes of slack after it.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln_scratch.h"

#include "HalideRuntime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define KILN_SCRATCH_ALIGN 64

typedef struct kiln_scratch_slot {
  unsigned char *base; /* the aligned_alloc'ed block, NULL when empty */
  size_t capacity;     /* usable bytes after the header */
  uint64_t freed_at;   /* the thread's free counter when it was cached */
} kiln_scratch_slot;

typedef struct kiln_scratch_cache {
  kiln_scratch_slot slots[KILN_SCRATCH_SLOTS];
  size_t bytes;
  int blocks;
  uint64_t frees;
  int registered; /* the thread-exit destructor will flush it */
} kiln_scratch_cache;

static _Thread_local kiln_scratch_cache scratch_cache;

static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;
static int scratch_refs;
static halide_malloc_t scratch_previous_malloc;
static halide_free_t scratch_previous_free;
static pthread_once_t scratch_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t scratch_key;

static void scratch_thread_exit(void *unused) {
  (void)unused;
  kiln_scratch_flush_thread();
}

static void scratch_make_key(void) {
  (void)pthread_key_create(&scratch_key, scratch_thread_exit);
}

static size_t *scratch_header(unsigned char *base) { return (size_t *)base; }

/* Takes slot i's block out of the cache. */
static unsigned char *scratch_take(kiln_scratch_cache *c, int i) {
  unsigned char *base = c->slots[i].base;
  c->bytes -= c->slots[i].capacity;
  c->blocks--;
  c->slots[i].base = NULL;
  return base;
}

static void scratch_drop(kiln_scratch_cache *c, int i) {
  free(scratch_take(c, i));
}

void *kiln_scratch_malloc(void *user_context, size_t bytes) {
  (void)user_context;
  if (bytes > SIZE_MAX / 2 - 4 * KILN_SCRATCH_ALIGN)
    return NULL;
  size_t want = (bytes + KILN_SCRATCH_ALIGN - 1) / KILN_SCRATCH_ALIGN *
                KILN_SCRATCH_ALIGN;
  if (want == 0)
    want = KILN_SCRATCH_ALIGN;
  /* The smallest cached block that holds the request and is at most twice
   * its size (a small request does not pin a large block); an exact fit,
   * the usual case from the second run on, ends the search. */
  kiln_scratch_cache *c = &scratch_cache;
  int best = -1;
  for (int i = 0; i < KILN_SCRATCH_SLOTS && c->blocks > 0; ++i) {
    size_t cap = c->slots[i].capacity;
    if (!c->slots[i].base || cap < want || cap / 2 > want)
      continue;
    if (best < 0 || cap < c->slots[best].capacity)
      best = i;
    if (cap == want)
      break;
  }
  if (best >= 0)
    return scratch_take(c, best) + KILN_SCRATCH_ALIGN;
  unsigned char *base = (unsigned char *)aligned_alloc(
      KILN_SCRATCH_ALIGN, want + 2 * KILN_SCRATCH_ALIGN);
  if (!base)
    return NULL;
  *scratch_header(base) = want;
  return base + KILN_SCRATCH_ALIGN;
}

void kiln_scratch_free(void *user_context, void *ptr) {
  (void)user_context;
  if (!ptr)
    return;
  unsigned char *base = (unsigned char *)ptr - KILN_SCRATCH_ALIGN;
  size_t capacity = *scratch_header(base);
  kiln_scratch_cache *c = &scratch_cache;
  if (capacity > KILN_SCRATCH_MAX_CACHED) {
    free(base);
    return;
  }
  /* Room for it: drop the least recently freed blocks. */
  while (c->blocks == KILN_SCRATCH_SLOTS ||
         c->bytes + capacity > KILN_SCRATCH_MAX_CACHED) {
    int oldest = -1;
    for (int i = 0; i < KILN_SCRATCH_SLOTS; ++i)
      if (c->slots[i].base &&
          (oldest < 0 || c->slots[i].freed_at < c->slots[oldest].freed_at))
        oldest = i;
    scratch_drop(c, oldest);
  }
  if (!c->registered) {
    /* A thread that exits frees its cache (the pool's workers). */
    pthread_once(&scratch_key_once, scratch_make_key);
    c->registered = pthread_setspecific(scratch_key, c) == 0;
  }
  for (int i = 0; i < KILN_SCRATCH_SLOTS; ++i) {
    if (!c->slots[i].base) {
      c->slots[i].base = base;
      c->slots[i].capacity = capacity;
      c->slots[i].freed_at = ++c->frees;
      c->bytes += capacity;
      c->blocks++;
      return;
    }
  }
}

size_t kiln_scratch_cached_bytes(void) { return scratch_cache.bytes; }

int kiln_scratch_cached_blocks(void) { return scratch_cache.blocks; }

void kiln_scratch_flush_thread(void) {
  kiln_scratch_cache *c = &scratch_cache;
  for (int i = 0; i < KILN_SCRATCH_SLOTS; ++i)
    if (c->slots[i].base)
      scratch_drop(c, i);
}

void kiln_scratch_acquire(void) {
  pthread_mutex_lock(&scratch_lock);
  if (scratch_refs++ == 0) {
    scratch_previous_malloc = halide_set_custom_malloc(kiln_scratch_malloc);
    scratch_previous_free = halide_set_custom_free(kiln_scratch_free);
  }
  pthread_mutex_unlock(&scratch_lock);
}

void kiln_scratch_release(void) {
  pthread_mutex_lock(&scratch_lock);
  if (scratch_refs > 0 && --scratch_refs == 0) {
    halide_set_custom_malloc(scratch_previous_malloc);
    halide_set_custom_free(scratch_previous_free);
    kiln_scratch_flush_thread();
  }
  pthread_mutex_unlock(&scratch_lock);
}
