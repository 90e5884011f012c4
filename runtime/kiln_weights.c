/*===- kiln_weights.c - Weights on transparent huge pages --------*- C -*-===*
 *
 * See kiln_weights.h. One entry per descriptor with a live copy, in a list
 * under one mutex (touched only when models are created and destroyed).
 *
 *===----------------------------------------------------------------------===*/

/* mmap/madvise (MADV_HUGEPAGE) under strict C11. */
#define _DEFAULT_SOURCE

#include "kiln_weights.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

/* Below two huge pages a copy saves next to nothing. */
#define KILN_HUGE_PAGE ((size_t)2 << 20)
#define KILN_WEIGHTS_MIN_COPY (2 * KILN_HUGE_PAGE)

typedef struct kiln_weights_copy {
  const kiln_model_desc *desc;
  void *mapping; /* what mmap returned, mapping_bytes long */
  size_t mapping_bytes;
  const void *data; /* 2 MiB aligned inside the mapping */
  size_t users;
  struct kiln_weights_copy *next;
} kiln_weights_copy;

static pthread_mutex_t kiln_weights_lock = PTHREAD_MUTEX_INITIALIZER;
static kiln_weights_copy *kiln_weights_copies;

static int kiln_weights_copy_wanted(const kiln_model_desc *desc) {
  const char *env = getenv("KILN_WEIGHTS_HUGEPAGES");
  if (env && strcmp(env, "0") == 0)
    return 0;
  return desc->weights && desc->weight_bytes >= KILN_WEIGHTS_MIN_COPY;
}

/* A new copy of desc's weights on huge pages, or NULL. */
static kiln_weights_copy *kiln_weights_copy_new(const kiln_model_desc *desc) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  kiln_weights_copy *c = (kiln_weights_copy *)calloc(1, sizeof *c);
  if (!c)
    return NULL;
  size_t bytes = desc->weight_bytes;
  if (bytes > SIZE_MAX - KILN_HUGE_PAGE) {
    free(c);
    return NULL;
  }
  /* One extra huge page so the data can start on a 2 MiB boundary. */
  c->mapping_bytes = bytes + KILN_HUGE_PAGE;
  c->mapping = mmap(NULL, c->mapping_bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (c->mapping == MAP_FAILED) {
    free(c);
    return NULL;
  }
  uintptr_t start = ((uintptr_t)c->mapping + KILN_HUGE_PAGE - 1) &
                    ~(uintptr_t)(KILN_HUGE_PAGE - 1);
  /* A hint: without huge pages the copy still works, on small pages. */
  (void)madvise((void *)start, bytes, MADV_HUGEPAGE);
  memcpy((void *)start, desc->weights, bytes);
  /* Read-only from here on, like the embedded blob. */
  (void)mprotect(c->mapping, c->mapping_bytes, PROT_READ);
  /* The embedded blob's pages are not needed any more: drop them, or the
   * weights count twice in this process's memory. The blob is read-only
   * data of the model's image (kiln_model_desc.h), so its pages come back
   * from the file if read again. */
  long page = sysconf(_SC_PAGESIZE);
  if (page > 0) {
    uintptr_t mask = (uintptr_t)page - 1;
    uintptr_t lo = ((uintptr_t)desc->weights + mask) & ~mask;
    uintptr_t hi = ((uintptr_t)desc->weights + bytes) & ~mask;
    if (hi > lo)
      (void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
  }
  c->data = (const void *)start;
  c->desc = desc;
  return c;
#else
  (void)desc;
  return NULL;
#endif
}

const void *kiln_weights_acquire(const kiln_model_desc *desc) {
  if (!kiln_weights_copy_wanted(desc))
    return desc->weights;
  pthread_mutex_lock(&kiln_weights_lock);
  kiln_weights_copy *c = kiln_weights_copies;
  while (c && c->desc != desc)
    c = c->next;
  if (!c) {
    c = kiln_weights_copy_new(desc);
    if (c) {
      c->next = kiln_weights_copies;
      kiln_weights_copies = c;
    }
  }
  if (c)
    ++c->users;
  pthread_mutex_unlock(&kiln_weights_lock);
  return c ? c->data : desc->weights;
}

void kiln_weights_release(const kiln_model_desc *desc, const void *weights) {
  if (!weights || weights == desc->weights)
    return;
  pthread_mutex_lock(&kiln_weights_lock);
  kiln_weights_copy **link = &kiln_weights_copies;
  while (*link && (*link)->data != weights)
    link = &(*link)->next;
  kiln_weights_copy *c = *link;
  if (c && --c->users == 0) {
    *link = c->next;
#if defined(__linux__)
    munmap(c->mapping, c->mapping_bytes);
#endif
    free(c);
  }
  pthread_mutex_unlock(&kiln_weights_lock);
}
