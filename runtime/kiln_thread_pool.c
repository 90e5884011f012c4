/*===- kiln_thread_pool.c - Kiln's spinning pool for Halide kernels -*- C -*-=*
 *
 * See kiln_thread_pool.h for why. How tasks are shared without locks:
 *  - one job at a time, published by the owning thread as its generation
 *    in `pool_state` (gen << 32);
 *  - the tasks are cut into one contiguous range per thread of the run
 *    (its home range: the owner's is the first, worker i's the (i + 1)-th).
 *    A thread runs its own range first, then helps with the others. Task
 *    order is spatial in most kernels (row blocks, pixel tiles top to
 *    bottom), so every kernel of a run hands a thread the same part of the
 *    image, which the kernel before left in that thread's own L2;
 *  - each range has its state word (gen << 32 | next task index), and a
 *    thread takes tasks [i, i + k) of a range by a compare-and-swap of
 *    (gen, i) -> (gen, i + k), so a thread that read an old generation can
 *    never take a task of a newer job, and it reads the job's fields only
 *    after its swap won. k is guided: a quarter of the range's untaken
 *    tasks, at least 1, so a loop of a thousand tiny tasks (a global pool's
 *    channels) costs a few swaps, and the last chunks are small enough for
 *    the other threads to help balance;
 *  - jobs alternate between two slots: the owner rewrites a slot only for
 *    generation gen + 2, i.e. after job gen + 1 was published, so a late
 *    reader of an old slot fails its swap instead of running stale work;
 *  - the owner waits for the job's `remaining` count to reach 0 (every
 *    taken task has finished) before it returns or publishes another job.
 *
 *===----------------------------------------------------------------------===*/

/* sched_yield, sysconf, clock_gettime under strict C11. */
#define _POSIX_C_SOURCE 200809L

#include "kiln_thread_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define KILN_POOL_MAX_WORKERS 255
/* Busy-wait iterations before a waiting thread starts yielding its core
 * (keeps the pool polite on an oversubscribed machine or under valgrind). */
#define KILN_POOL_SPINS_BEFORE_YIELD 2048
/* How long workers keep spinning after a run before they sleep: a caller
 * running inferences back to back finds them awake (a wake-up costs the
 * first kernel of the next run tens of microseconds). */
#define KILN_POOL_LINGER_NS 1000000

typedef struct kiln_pool_job {
  halide_task_t f;
  void *user_context;
  uint8_t *closure;
  int min;
  atomic_int size;      /* read before a swap, so atomic */
  atomic_int ranges;    /* home ranges (threads, at most size); likewise */
  atomic_int remaining; /* tasks not yet finished */
  atomic_int error;     /* first non-zero task result */
} kiln_pool_job;

/* One home range's state word, on its own cache line. */
typedef struct kiln_pool_range {
  _Alignas(64) _Atomic uint64_t state;
} kiln_pool_range;

/* Guards the worker set, the reference count and sleeping. */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static int pool_refs;
static atomic_int pool_stop; /* written under pool_lock */
static int pool_worker_count;
static pthread_t pool_workers[KILN_POOL_MAX_WORKERS];
static halide_do_par_for_t pool_previous_do_par_for;

static atomic_int pool_owned; /* a run owns the pool */
static atomic_int pool_hot;   /* workers below pool_active spin */
static atomic_int pool_active;
/* (gen << 32): the job being run, polled by the workers. */
static _Atomic uint64_t pool_state;
static kiln_pool_job pool_jobs[2];
static kiln_pool_range pool_ranges[KILN_POOL_MAX_WORKERS + 1];
/* Ranges any job has used: a job using fewer marks the rest as its own and
 * empty, so no range keeps an old generation that a late reader could
 * still match. */
static atomic_int pool_ranges_used;

/* This thread owns the current run; this thread is inside a task. */
static _Thread_local int pool_is_owner;
static _Thread_local int pool_in_task;
/* The thread's number in traces: 0 for callers, i + 1 for worker i. */
static _Thread_local int pool_thread_number;

/* Task tracing (kiln_pool_trace_start): NULL when off. */
static _Atomic(kiln_pool_task_event *) pool_trace_events;
static size_t pool_trace_capacity;
static atomic_size_t pool_trace_count;

static uint64_t kiln_pool_now_ns(void);

/* Runs task i of f, recorded when tracing. */
static int kiln_pool_run_task(void *user_context, halide_task_t f, int i,
                              uint8_t *closure) {
  kiln_pool_task_event *trace =
      atomic_load_explicit(&pool_trace_events, memory_order_acquire);
  if (!trace)
    return f(user_context, i, closure);
  uint64_t start = kiln_pool_now_ns();
  int result = f(user_context, i, closure);
  uint64_t end = kiln_pool_now_ns();
  size_t slot =
      atomic_fetch_add_explicit(&pool_trace_count, 1, memory_order_relaxed);
  if (slot < pool_trace_capacity) {
    trace[slot].start_ns = start;
    trace[slot].end_ns = end;
    trace[slot].task = i;
    trace[slot].thread = pool_thread_number;
  }
  return result;
}

static void kiln_pool_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static void kiln_pool_backoff(unsigned *spins) {
  if (++*spins < KILN_POOL_SPINS_BEFORE_YIELD)
    kiln_pool_relax();
  else
    sched_yield();
}

static int kiln_pool_run_serial(void *user_context, halide_task_t f, int min,
                                int size, uint8_t *closure) {
  int saved = pool_in_task;
  pool_in_task = 1;
  int result = 0;
  for (int i = min; i < min + size && result == 0; ++i)
    result = kiln_pool_run_task(user_context, f, i, closure);
  pool_in_task = saved;
  return result;
}

/* The first task of home range r of `ranges` over `size` tasks. */
static int kiln_pool_range_start(int r, int ranges, int size) {
  return (int)((int64_t)r * size / ranges);
}

/* Takes and runs tasks of range r of job generation `gen` until none of it
 * is left untaken (or the range belongs to another job). Returns the number
 * of tasks this thread ran. */
static int kiln_pool_take_range(uint32_t gen, int r) {
  int ran = 0;
  kiln_pool_range *range = &pool_ranges[r];
  uint64_t s = atomic_load_explicit(&range->state, memory_order_acquire);
  for (;;) {
    if ((uint32_t)(s >> 32) != gen)
      return ran;
    uint32_t index = (uint32_t)s;
    kiln_pool_job *job = &pool_jobs[gen & 1];
    /* Values read from a stale slot only size a swap that will fail. */
    int size = atomic_load_explicit(&job->size, memory_order_relaxed);
    int ranges = atomic_load_explicit(&job->ranges, memory_order_relaxed);
    if (ranges < 1 || r >= ranges)
      return ran;
    int end = kiln_pool_range_start(r + 1, ranges, size);
    if ((int)index >= end)
      return ran;
    uint32_t chunk = (uint32_t)(end - (int)index) / 4;
    if (chunk == 0)
      chunk = 1;
    if (!atomic_compare_exchange_weak_explicit(&range->state, &s, s + chunk,
                                               memory_order_acq_rel,
                                               memory_order_acquire))
      continue; /* s now holds the range's current state */
    int result = 0;
    for (uint32_t t = 0; t < chunk && result == 0; ++t) {
      if (atomic_load_explicit(&job->error, memory_order_relaxed) != 0)
        break;
      pool_in_task = 1;
      result = kiln_pool_run_task(job->user_context, job->f,
                                  job->min + (int)(index + t), job->closure);
      pool_in_task = 0;
    }
    if (result != 0) {
      int none = 0;
      atomic_compare_exchange_strong(&job->error, &none, result);
    }
    atomic_fetch_sub_explicit(&job->remaining, (int)chunk,
                              memory_order_release);
    ran += (int)chunk;
    s = atomic_load_explicit(&range->state, memory_order_acquire);
  }
}

/* Runs tasks of job generation `gen` on the thread with home range
 * `home`: its own range first, then the others' in turn, until none is
 * left untaken. Returns the number of tasks this thread ran. */
static int kiln_pool_take_tasks(uint32_t gen, int home) {
  if (gen == 0)
    return 0; /* no job published yet (ranges start at generation 0) */
  kiln_pool_job *job = &pool_jobs[gen & 1];
  int ranges = atomic_load_explicit(&job->ranges, memory_order_relaxed);
  if (ranges < 1 || ranges > KILN_POOL_MAX_WORKERS + 1)
    return 0; /* a stale slot being rewritten: nothing of ours to take */
  int ran = 0;
  for (int k = 0; k < ranges; ++k)
    ran += kiln_pool_take_range(gen, (home + k) % ranges);
  return ran;
}

static int kiln_pool_worker_wanted(int index) {
  return atomic_load_explicit(&pool_hot, memory_order_relaxed) &&
         index < atomic_load_explicit(&pool_active, memory_order_relaxed);
}

static uint64_t kiln_pool_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* After a run: keep polling for the next one for KILN_POOL_LINGER_NS. */
static void kiln_pool_linger(int index) {
  uint64_t until = kiln_pool_now_ns() + KILN_POOL_LINGER_NS;
  unsigned spins = 0;
  while (!kiln_pool_worker_wanted(index) && !atomic_load(&pool_stop)) {
    kiln_pool_backoff(&spins);
    if ((spins & 63) == 0 && kiln_pool_now_ns() > until)
      return;
  }
}

static void *kiln_pool_worker(void *arg) {
  int index = (int)(intptr_t)arg;
  pool_thread_number = index + 1;
  for (;;) {
    pthread_mutex_lock(&pool_lock);
    while (!pool_stop && !kiln_pool_worker_wanted(index))
      pthread_cond_wait(&pool_wake, &pool_lock);
    int stop = pool_stop;
    pthread_mutex_unlock(&pool_lock);
    if (stop)
      return NULL;
    unsigned spins = 0;
    while (kiln_pool_worker_wanted(index)) {
      uint64_t s = atomic_load_explicit(&pool_state, memory_order_acquire);
      if (kiln_pool_take_tasks((uint32_t)(s >> 32), index + 1) > 0)
        spins = 0;
      else
        kiln_pool_backoff(&spins);
    }
    kiln_pool_linger(index);
  }
}

int kiln_pool_default_threads(void) {
  const char *env = getenv("KILN_NUM_THREADS");
  if (env) {
    char *end = NULL;
    long n = strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0)
      return n > KILN_POOL_MAX_WORKERS + 1 ? KILN_POOL_MAX_WORKERS + 1
                                            : (int)n;
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 1)
    return 1;
  return cpus > KILN_POOL_MAX_WORKERS + 1 ? KILN_POOL_MAX_WORKERS + 1
                                          : (int)cpus;
}

int kiln_pool_acquire(void) {
  pthread_mutex_lock(&pool_lock);
  if (pool_refs++ == 0)
    pool_previous_do_par_for =
        halide_set_custom_do_par_for(kiln_pool_do_par_for);
  pthread_mutex_unlock(&pool_lock);
  return 0;
}

void kiln_pool_release(void) {
  pthread_mutex_lock(&pool_lock);
  if (pool_refs == 0 || --pool_refs > 0) {
    pthread_mutex_unlock(&pool_lock);
    return;
  }
  halide_set_custom_do_par_for(pool_previous_do_par_for);
  pool_stop = 1;
  pthread_cond_broadcast(&pool_wake);
  int count = pool_worker_count;
  pool_worker_count = 0;
  pthread_mutex_unlock(&pool_lock);
  /* No run exists (no model holds a reference), so no job is pending. */
  for (int i = 0; i < count; ++i)
    pthread_join(pool_workers[i], NULL);
  pthread_mutex_lock(&pool_lock);
  pool_stop = 0;
  pthread_mutex_unlock(&pool_lock);
}

int kiln_pool_begin_run(int threads) {
  int free_pool = 0;
  if (!atomic_compare_exchange_strong(&pool_owned, &free_pool, 1))
    return 0;
  int want = threads - 1;
  if (want > KILN_POOL_MAX_WORKERS)
    want = KILN_POOL_MAX_WORKERS;
  pthread_mutex_lock(&pool_lock);
  while (pool_worker_count < want && !pool_stop) {
    if (pthread_create(&pool_workers[pool_worker_count], NULL,
                       kiln_pool_worker,
                       (void *)(intptr_t)pool_worker_count) != 0)
      break; /* run with the workers we have */
    ++pool_worker_count;
  }
  if (want > pool_worker_count)
    want = pool_worker_count;
  atomic_store(&pool_active, want < 0 ? 0 : want);
  atomic_store(&pool_hot, 1);
  pthread_cond_broadcast(&pool_wake);
  pthread_mutex_unlock(&pool_lock);
  pool_is_owner = 1;
  return 1;
}

void kiln_pool_end_run(int owned) {
  if (!owned)
    return;
  pool_is_owner = 0;
  atomic_store(&pool_hot, 0);
  atomic_store(&pool_owned, 0);
}

int32_t kiln_pool_parallelism(void) {
  /* The same value on every thread of a run, inside tasks too (a kernel may
   * evaluate it in each task): the owner's, and the workers' (they only run
   * the owner's tasks; pool_active is fixed from kiln_pool_begin_run on). */
  if (pool_is_owner || pool_thread_number > 0)
    return 1 + atomic_load_explicit(&pool_active, memory_order_relaxed);
  return 1;
}

int kiln_pool_do_par_for(void *user_context, halide_task_t f, int min,
                         int size, uint8_t *closure) {
  if (size <= 0)
    return 0;
  if (!pool_is_owner || pool_in_task || size == 1 ||
      atomic_load_explicit(&pool_active, memory_order_relaxed) == 0)
    return kiln_pool_run_serial(user_context, f, min, size, closure);

  /* Only the owner changes the generation, so a relaxed read is current. */
  uint64_t gen =
      (atomic_load_explicit(&pool_state, memory_order_relaxed) >> 32) + 1;
  kiln_pool_job *job = &pool_jobs[gen & 1];
  job->f = f;
  job->user_context = user_context;
  job->closure = closure;
  job->min = min;
  int ranges = 1 + atomic_load_explicit(&pool_active, memory_order_relaxed);
  if (ranges > size)
    ranges = size;
  atomic_store_explicit(&job->size, size, memory_order_relaxed);
  atomic_store_explicit(&job->ranges, ranges, memory_order_relaxed);
  atomic_store_explicit(&job->remaining, size, memory_order_relaxed);
  atomic_store_explicit(&job->error, 0, memory_order_relaxed);
  uint64_t published = (gen & 0xffffffffu) << 32;
  for (int r = 0; r < ranges; ++r)
    atomic_store_explicit(
        &pool_ranges[r].state,
        published | (uint32_t)kiln_pool_range_start(r, ranges, size),
        memory_order_relaxed);
  int used = atomic_load_explicit(&pool_ranges_used, memory_order_relaxed);
  for (int r = ranges; r < used; ++r)
    atomic_store_explicit(&pool_ranges[r].state, published | 0xffffffffu,
                          memory_order_relaxed);
  if (ranges > used)
    atomic_store_explicit(&pool_ranges_used, ranges, memory_order_relaxed);
  /* Publishing the generation releases the fields above to the workers. */
  atomic_store_explicit(&pool_state, published, memory_order_release);

  kiln_pool_take_tasks((uint32_t)(gen & 0xffffffffu), 0);
  unsigned spins = 0;
  while (atomic_load_explicit(&job->remaining, memory_order_acquire) > 0)
    kiln_pool_backoff(&spins);
  return atomic_load_explicit(&job->error, memory_order_relaxed);
}

void kiln_pool_trace_start(kiln_pool_task_event *events, size_t capacity) {
  pool_trace_capacity = events ? capacity : 0;
  atomic_store_explicit(&pool_trace_count, 0, memory_order_relaxed);
  /* Releases the capacity to the workers' acquire in kiln_pool_run_task. */
  atomic_store_explicit(&pool_trace_events, events, memory_order_release);
}

size_t kiln_pool_trace_stop(void) {
  atomic_store_explicit(&pool_trace_events, NULL, memory_order_release);
  return atomic_load_explicit(&pool_trace_count, memory_order_relaxed);
}
