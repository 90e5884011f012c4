/*===- trace.h - Chrome trace of one run for Kiln executables ---*- C -*-===*
 *
 * --trace FILE.json: one timed run as a Chrome trace (chrome://tracing,
 * https://ui.perfetto.dev): the kernel calls on the first row, then every
 * task of their parallel loops on the row of the thread that ran it. It
 * shows what the per-kernel profile cannot: how each kernel's tasks were
 * spread over the threads, and where a thread waited.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_MAIN_TRACE_H
#define KILN_RUNTIME_MAIN_TRACE_H

#include "../kiln.h"
#include "../kiln_thread_pool.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the trace of the model's last profiled run and the `count` task
 * events recorded during it (kiln_pool_trace_*; the first `kept` stored).
 * Returns 0, or prints an error naming `path` and returns 1. */
int kiln_write_trace(const char *path, const kiln_model *model,
                     const char *model_name, int threads,
                     const kiln_pool_task_event *events, size_t kept,
                     size_t count);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MAIN_TRACE_H */
