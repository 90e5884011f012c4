/*===- trace.c - Chrome trace of one run for Kiln executables ------------===*/
#include "trace.h"

#include "json.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Microseconds since the run's start (Chrome traces count in us). */
static double kiln_trace_us(uint64_t t, uint64_t origin) {
  return t >= origin ? (double)(t - origin) / 1e3 : -(double)(origin - t) / 1e3;
}

/* The kernel call whose interval holds time t (ends[k]: end of call k). */
static size_t kiln_trace_kernel_at(const uint64_t *ends, size_t kernels,
                                   uint64_t t) {
  size_t lo = 0, hi = kernels;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (ends[mid] <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < kernels ? lo : kernels - 1;
}

int kiln_write_trace(const char *path, const kiln_model *model,
                     const char *model_name, int threads,
                     const kiln_pool_task_event *events, size_t kept,
                     size_t count) {
  size_t kernels = kiln_model_kernel_count(model);
  uint64_t start = 0;
  kiln_model_profile_start(model, &start);
  uint64_t *ends = (uint64_t *)calloc(kernels + 1, sizeof(uint64_t));
  if (!ends) {
    fprintf(stderr, "error: --trace %s: out of memory\n", path);
    return 1;
  }
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "error: --trace %s: cannot open for writing: %s\n", path,
            strerror(errno));
    free(ends);
    return 1;
  }
  fprintf(f, "{\"displayTimeUnit\": \"ms\",\n \"otherData\": {\"model\": ");
  kiln_json_string(f, model_name);
  fprintf(f,
          ", \"threads\": %d, \"tasks\": %zu, \"tasks_dropped\": %zu},\n"
          " \"traceEvents\": [\n",
          threads, count, count - kept);
  /* Row names: kernels, then one row of tasks per thread. */
  fprintf(f, "  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, "
             "\"tid\": 0, \"args\": {\"name\": \"kernel calls\"}}");
  int rows = threads;
  for (size_t i = 0; i < kept; ++i)
    if (events[i].thread + 1 > rows)
      rows = events[i].thread + 1;
  for (int t = 0; t < rows; ++t)
    fprintf(f,
            ",\n  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, "
            "\"tid\": %d, \"args\": {\"name\": \"tasks: thread %d%s\"}}",
            t + 1, t, t == 0 ? " (caller)" : "");
  uint64_t t = start;
  for (size_t k = 0; k < kernels; ++k) {
    const char *name = "";
    uint64_t ns = 0;
    kiln_model_profile(model, k, &name, &ns);
    fprintf(f, ",\n  {\"name\": ");
    kiln_json_string(f, name ? name : "");
    fprintf(f,
            ", \"cat\": \"kernel\", \"ph\": \"X\", \"pid\": 1, \"tid\": 0, "
            "\"ts\": %.3f, \"dur\": %.3f, \"args\": {\"call\": %zu}}",
            kiln_trace_us(t, start), (double)ns / 1e3, k);
    t += ns;
    ends[k] = t;
  }
  for (size_t i = 0; i < kept; ++i) {
    const kiln_pool_task_event *e = &events[i];
    size_t k = kernels ? kiln_trace_kernel_at(ends, kernels, e->start_ns) : 0;
    const char *name = "";
    if (kernels)
      kiln_model_profile(model, k, &name, NULL);
    /* Named after their kernel: a viewer colours both alike. */
    fprintf(f, ",\n  {\"name\": ");
    kiln_json_string(f, name ? name : "");
    fprintf(f,
            ", \"cat\": \"task\", \"ph\": \"X\", \"pid\": 1, \"tid\": %d, "
            "\"ts\": %.3f, \"dur\": %.3f, \"args\": {\"call\": %zu, "
            "\"task\": %d}}",
            e->thread + 1, kiln_trace_us(e->start_ns, start),
            (double)(e->end_ns - e->start_ns) / 1e3, k, e->task);
  }
  fprintf(f, "\n ]\n}\n");
  free(ends);
  if (fclose(f) != 0) {
    fprintf(stderr, "error: --trace %s: write failed\n", path);
    return 1;
  }
  return 0;
}
