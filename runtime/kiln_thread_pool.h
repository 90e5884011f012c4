/*===- kiln_thread_pool.h - Kiln's spinning pool for Halide kernels -*- C -*-=*
 *
 * Why: a model runs tens of kernels in a row, each one a Halide parallel
 * loop. Halide's own pool puts its workers to sleep between loops, so every
 * kernel pays a futex wake-up (tens of microseconds) before the second
 * thread helps; on MobileNetV2 that ate the whole gain of a second thread.
 * This pool keeps its workers spinning for the duration of one model run
 * (kiln_pool_begin_run .. kiln_pool_end_run) and lets them sleep otherwise.
 *
 * It is installed as Halide's do_par_for (halide_set_custom_do_par_for), so
 * every parallel loop of every kernel goes through kiln_pool_do_par_for:
 *  - on the thread that owns the pool for a run: tasks are shared between
 *    the caller and the run's workers, each starting with its own
 *    contiguous range of the tasks (the same part of the image in every
 *    kernel split by rows or pixels) and then helping with the others'
 *    (dynamic);
 *  - nested loops (called from inside a task) and loops on threads that do
 *    not own the pool (a second model running concurrently, a kernel called
 *    outside a run) run serially on the calling thread: never more threads
 *    than one run asked for, no matter how many models run at once.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_KILN_THREAD_POOL_H
#define KILN_RUNTIME_KILN_THREAD_POOL_H

#include "HalideRuntime.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Takes a reference on the process-wide pool and installs it as Halide's
 * do_par_for (first reference). Returns 0 on success. */
int kiln_pool_acquire(void);

/* Drops a reference; the last one stops and joins the workers (so a shared
 * library can be unloaded with no thread left running its code). */
void kiln_pool_release(void);

/* The number of threads when a run does not ask for a count: the online
 * CPUs, or KILN_NUM_THREADS when set to a positive integer. */
int kiln_pool_default_threads(void);

/* Starts a run on the calling thread that uses `threads` threads in all
 * (the caller plus threads - 1 workers, started on first use). Returns 1 if
 * this thread now owns the pool, 0 if another run owns it (then every loop
 * of this run is serial). Pair with kiln_pool_end_run(owned). */
int kiln_pool_begin_run(int threads);
void kiln_pool_end_run(int owned);

/* The threads of the run the calling thread works for: 1 + the run's
 * workers on the run's owner and on its workers (inside tasks too: the
 * same value wherever a kernel evaluates it), else 1 (a thread that does
 * not own the pool runs its loops serially). Kernels whose best split
 * depends on it call it (the Winograd convs with channel-group tasks: one
 * task per thread, each transforming the whole input itself;
 * compiler/halide/RunThreads.h). */
int32_t kiln_pool_parallelism(void);

/* Halide's do_par_for contract: runs f(user_context, i, closure) for i in
 * [min, min + size); returns 0 or the first non-zero task result. */
int kiln_pool_do_par_for(void *user_context, halide_task_t f, int min,
                         int size, uint8_t *closure);

/* One task of a parallel loop as the trace saw it: CLOCK_MONOTONIC times,
 * the task's index in its loop and the thread that ran it (0: the run's
 * owner or a serial caller, i: worker i - 1). */
typedef struct kiln_pool_task_event {
  uint64_t start_ns, end_ns;
  int32_t task;
  int32_t thread;
} kiln_pool_task_event;

/* Task tracing (the executables' --trace): from kiln_pool_trace_start
 * until kiln_pool_trace_stop, every task of every parallel loop (serial
 * ones included) is recorded into events[0, capacity). Call both between
 * runs. Stop returns how many tasks ran (more than capacity: the rest were
 * dropped). Off, it costs one relaxed load per task. */
void kiln_pool_trace_start(kiln_pool_task_event *events, size_t capacity);
size_t kiln_pool_trace_stop(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_KILN_THREAD_POOL_H */
