//===- ThreadPoolTest.cpp - Kiln's spinning pool for Halide loops ---------===//
//
// kiln_pool_do_par_for must run every task exactly once, share the tasks
// with the run's workers, report the first error, run nested loops and
// loops of non-owning threads serially on the calling thread, and survive
// many back-to-back jobs (slot and generation reuse).
//
//===----------------------------------------------------------------------===//

#include "runtime/kiln_thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

struct Tally {
  std::vector<std::atomic<int>> runs;
  std::vector<std::thread::id> runner;
  explicit Tally(int n) : runs(n), runner(n) {}
};

int countTask(void *, int index, uint8_t *closure) {
  auto *t = reinterpret_cast<Tally *>(closure);
  t->runs[index].fetch_add(1);
  t->runner[index] = std::this_thread::get_id();
  return 0;
}

// RAII pool reference + run ownership, like kiln_model_create/run.
struct PoolRun {
  int owned;
  explicit PoolRun(int threads) {
    kiln_pool_acquire();
    owned = kiln_pool_begin_run(threads);
  }
  ~PoolRun() {
    kiln_pool_end_run(owned);
    kiln_pool_release();
  }
};

TEST(ThreadPool, EveryTaskRunsExactlyOnce) {
  PoolRun run(2);
  ASSERT_EQ(run.owned, 1);
  for (int size : {2, 3, 17, 1000}) {
    Tally t(size + 5);
    ASSERT_EQ(kiln_pool_do_par_for(nullptr, countTask, 5, size,
                                   reinterpret_cast<uint8_t *>(&t)),
              0);
    for (int i = 0; i < size + 5; ++i)
      EXPECT_EQ(t.runs[i].load(), i >= 5 ? 1 : 0) << "size " << size
                                                  << " task " << i;
  }
}

// Yields until ready() holds; false after a generous timeout (a worker that
// never takes part).
template <typename Ready> bool waitFor(Ready ready) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::yield();
  }
  return true;
}

// Task 0 waits until some other task ran on another thread: fails (after a
// generous timeout) if the worker never takes part.
struct Meeting {
  std::thread::id owner;
  std::atomic<bool> helped{false};
  std::atomic<bool> timedOut{false};
};

int meetTask(void *, int index, uint8_t *closure) {
  auto *m = reinterpret_cast<Meeting *>(closure);
  if (std::this_thread::get_id() != m->owner)
    m->helped = true;
  if (index == 0 && std::this_thread::get_id() == m->owner &&
      !waitFor([m] { return m->helped.load(); }))
    m->timedOut = true;
  return 0;
}

TEST(ThreadPool, WorkerSharesTheTasks) {
  PoolRun run(2);
  ASSERT_EQ(run.owned, 1);
  Meeting m;
  m.owner = std::this_thread::get_id();
  // Task 0 is the first the owner takes; the others are left to the worker.
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, meetTask, 0, 64,
                                 reinterpret_cast<uint8_t *>(&m)),
            0);
  EXPECT_TRUE(m.helped.load());
  EXPECT_FALSE(m.timedOut.load());
}

// Each thread's first task: the worker's home range is the second half.
struct FirstTasks {
  std::thread::id owner;
  std::atomic<int> ownerFirst{-1}, workerFirst{-1};
  std::atomic<bool> timedOut{false};
};

int recordFirstTask(void *, int index, uint8_t *closure) {
  auto *f = reinterpret_cast<FirstTasks *>(closure);
  int none = -1;
  if (std::this_thread::get_id() == f->owner) {
    f->ownerFirst.compare_exchange_strong(none, index);
    // Hold the owner in its first task until the worker started, so the
    // owner cannot run out of its own range and take the worker's first.
    if (!waitFor([f] { return f->workerFirst.load() >= 0; }))
      f->timedOut = true;
  } else {
    f->workerFirst.compare_exchange_strong(none, index);
  }
  return 0;
}

TEST(ThreadPool, EachThreadStartsWithItsHomeRange) {
  // 2 threads, 64 tasks: the owner starts at task 0, the worker at 32, so
  // kernels split the same way (row blocks, pixel tiles) hand each thread
  // the same part of the image every time.
  PoolRun run(2);
  ASSERT_EQ(run.owned, 1);
  FirstTasks f;
  f.owner = std::this_thread::get_id();
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, recordFirstTask, 0, 64,
                                 reinterpret_cast<uint8_t *>(&f)),
            0);
  EXPECT_FALSE(f.timedOut.load());
  EXPECT_EQ(f.ownerFirst.load(), 0);
  EXPECT_EQ(f.workerFirst.load(), 32);
}

int failAt13(void *, int index, uint8_t *) { return index == 13 ? 7 : 0; }

TEST(ThreadPool, ReportsTheTaskError) {
  PoolRun run(2);
  EXPECT_EQ(kiln_pool_do_par_for(nullptr, failAt13, 0, 40, nullptr), 7);
  EXPECT_EQ(kiln_pool_do_par_for(nullptr, failAt13, 0, 10, nullptr), 0);
  // Serial path (one thread) too.
  kiln_pool_end_run(run.owned);
  run.owned = kiln_pool_begin_run(1);
  EXPECT_EQ(kiln_pool_do_par_for(nullptr, failAt13, 10, 5, nullptr), 7);
}

struct Nest {
  std::atomic<int> inner{0};
  std::atomic<int> innerOnOtherThread{0};
};

// One inner task: counts itself and whether it left its outer task's thread.
struct InnerClosure {
  Nest *nest;
  std::thread::id outerThread;
};

int innerTask(void *, int, uint8_t *closure) {
  auto *c = reinterpret_cast<InnerClosure *>(closure);
  if (std::this_thread::get_id() != c->outerThread)
    c->nest->innerOnOtherThread.fetch_add(1);
  c->nest->inner.fetch_add(1);
  return 0;
}

int outerTask(void *, int, uint8_t *closure) {
  InnerClosure c{reinterpret_cast<Nest *>(closure),
                 std::this_thread::get_id()};
  return kiln_pool_do_par_for(nullptr, innerTask, 0, 8,
                              reinterpret_cast<uint8_t *>(&c));
}

TEST(ThreadPool, NestedLoopsRunSeriallyOnTheCallingThread) {
  PoolRun run(2);
  Nest n;
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, outerTask, 0, 16,
                                 reinterpret_cast<uint8_t *>(&n)),
            0);
  EXPECT_EQ(n.inner.load(), 16 * 8);
  EXPECT_EQ(n.innerOnOtherThread.load(), 0);
}

TEST(ThreadPool, SecondRunWhileOwnedIsSerial) {
  PoolRun run(2);
  ASSERT_EQ(run.owned, 1);
  std::thread other([] {
    kiln_pool_acquire();
    int owned = kiln_pool_begin_run(2);
    EXPECT_EQ(owned, 0);
    Tally t(50);
    EXPECT_EQ(kiln_pool_do_par_for(nullptr, countTask, 0, 50,
                                   reinterpret_cast<uint8_t *>(&t)),
              0);
    for (int i = 0; i < 50; ++i) {
      EXPECT_EQ(t.runs[i].load(), 1);
      EXPECT_EQ(t.runner[i], std::this_thread::get_id());
    }
    kiln_pool_end_run(owned);
    kiln_pool_release();
  });
  other.join();
  // The owner still runs its loops on the pool afterwards.
  Tally t(100);
  EXPECT_EQ(kiln_pool_do_par_for(nullptr, countTask, 0, 100,
                                 reinterpret_cast<uint8_t *>(&t)),
            0);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(t.runs[i].load(), 1);
}

struct Sum {
  std::atomic<long> total{0};
};

int addIndex(void *, int index, uint8_t *closure) {
  reinterpret_cast<Sum *>(closure)->total.fetch_add(index);
  return 0;
}

TEST(ThreadPool, ManyBackToBackJobsAndRuns) {
  kiln_pool_acquire();
  for (int r = 0; r < 20; ++r) {
    int owned = kiln_pool_begin_run(r % 3 + 1);
    ASSERT_EQ(owned, 1);
    for (int j = 0; j < 500; ++j) {
      Sum s;
      int size = 2 + (j % 7);
      ASSERT_EQ(kiln_pool_do_par_for(nullptr, addIndex, j, size,
                                     reinterpret_cast<uint8_t *>(&s)),
                0);
      long want = 0;
      for (int i = j; i < j + size; ++i)
        want += i;
      ASSERT_EQ(s.total.load(), want) << "run " << r << " job " << j;
    }
    kiln_pool_end_run(owned);
  }
  kiln_pool_release();
}

// kiln_pool_parallelism: the run's threads on its owner and inside every
// task, on the worker too (a kernel may evaluate it in any task); 1 outside
// a run and on a thread whose run does not own the pool.
struct SeenParallelism {
  std::vector<std::atomic<int>> value;
  std::thread::id owner;
  bool waitForWorker = false; // task 0 waits until a worker ran a task
  std::atomic<bool> helped{false}, timedOut{false};
  explicit SeenParallelism(int n) : value(n) {}
};

int recordParallelism(void *, int index, uint8_t *closure) {
  auto *seen = reinterpret_cast<SeenParallelism *>(closure);
  seen->value[index] = kiln_pool_parallelism();
  bool onOwner = std::this_thread::get_id() == seen->owner;
  if (!onOwner)
    seen->helped = true;
  if (index == 0 && onOwner && seen->waitForWorker &&
      !waitFor([seen] { return seen->helped.load(); }))
    seen->timedOut = true;
  return 0;
}

TEST(ThreadPool, ParallelismIsTheRunsThreadsOnEveryThreadOfIt) {
  kiln_pool_acquire();
  EXPECT_EQ(kiln_pool_parallelism(), 1);
  kiln_pool_release();
  for (int threads : {1, 2, 3}) {
    PoolRun run(threads);
    ASSERT_EQ(run.owned, 1);
    EXPECT_EQ(kiln_pool_parallelism(), threads);
    SeenParallelism seen(64);
    seen.owner = std::this_thread::get_id();
    seen.waitForWorker = threads > 1;
    ASSERT_EQ(kiln_pool_do_par_for(nullptr, recordParallelism, 0, 64,
                                   reinterpret_cast<uint8_t *>(&seen)),
              0);
    for (int i = 0; i < 64; ++i)
      EXPECT_EQ(seen.value[i].load(), threads) << "task " << i;
    EXPECT_EQ(seen.helped.load(), threads > 1) << "tasks on a worker";
    EXPECT_FALSE(seen.timedOut.load());
    std::thread other([] {
      kiln_pool_acquire();
      int owned = kiln_pool_begin_run(2);
      EXPECT_EQ(owned, 0);
      EXPECT_EQ(kiln_pool_parallelism(), 1);
      SeenParallelism seen(8);
      seen.owner = std::this_thread::get_id();
      EXPECT_EQ(kiln_pool_do_par_for(nullptr, recordParallelism, 0, 8,
                                     reinterpret_cast<uint8_t *>(&seen)),
                0);
      for (int i = 0; i < 8; ++i)
        EXPECT_EQ(seen.value[i].load(), 1);
      kiln_pool_end_run(owned);
      kiln_pool_release();
    });
    other.join();
  }
}

TEST(ThreadPool, OutsideARunLoopsAreSerial) {
  kiln_pool_acquire();
  Tally t(30);
  EXPECT_EQ(kiln_pool_do_par_for(nullptr, countTask, 0, 30,
                                 reinterpret_cast<uint8_t *>(&t)),
            0);
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(t.runs[i].load(), 1);
    EXPECT_EQ(t.runner[i], std::this_thread::get_id());
  }
  kiln_pool_release();
}

} // namespace

namespace {

TEST(ThreadPool, DefaultThreadsHonoursKilnNumThreads) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int online = cpus < 1 ? 1 : (int)std::min<long>(cpus, 256);
  setenv("KILN_NUM_THREADS", "3", 1);
  EXPECT_EQ(kiln_pool_default_threads(), 3);
  // Not a positive integer: ignored.
  for (const char *bad : {"0", "-2", "abc", "4x", ""}) {
    setenv("KILN_NUM_THREADS", bad, 1);
    EXPECT_EQ(kiln_pool_default_threads(), online) << "'" << bad << "'";
  }
  setenv("KILN_NUM_THREADS", "100000", 1);
  EXPECT_EQ(kiln_pool_default_threads(), 256); // capped
  unsetenv("KILN_NUM_THREADS");
  EXPECT_EQ(kiln_pool_default_threads(), online);
}

} // namespace

namespace {

// Each task sleeps a little so that the recorded intervals have a length
// to check, and records which thread ran it.
int sleepyTask(void *, int index, uint8_t *closure) {
  auto *t = reinterpret_cast<Tally *>(closure);
  std::this_thread::sleep_for(std::chrono::microseconds(200));
  t->runs[index].fetch_add(1);
  t->runner[index] = std::this_thread::get_id();
  return 0;
}

TEST(ThreadPool, TraceRecordsEveryTaskOnceWithItsThread) {
  PoolRun run(2);
  ASSERT_EQ(run.owned, 1);
  constexpr int kTasks = 40;
  std::vector<kiln_pool_task_event> events(100);
  Tally t(kTasks + 3);
  kiln_pool_trace_start(events.data(), events.size());
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, sleepyTask, 3, kTasks,
                                 reinterpret_cast<uint8_t *>(&t)),
            0);
  ASSERT_EQ(kiln_pool_trace_stop(), (size_t)kTasks);
  std::vector<int> seen(kTasks + 3, 0);
  for (int i = 0; i < kTasks; ++i) {
    const kiln_pool_task_event &e = events[i];
    ASSERT_GE(e.task, 3);
    ASSERT_LT(e.task, kTasks + 3);
    ++seen[e.task];
    // At least the task's sleep long; run by the thread the task saw.
    EXPECT_GE(e.end_ns - e.start_ns, 200000u) << "task " << e.task;
    bool byOwner = t.runner[e.task] == std::this_thread::get_id();
    EXPECT_EQ(e.thread == 0, byOwner) << "task " << e.task;
    EXPECT_TRUE(e.thread == 0 || e.thread == 1) << e.thread;
  }
  for (int i = 3; i < kTasks + 3; ++i)
    EXPECT_EQ(seen[i], 1) << "task " << i;
  // Off again: a loop after stop records nothing.
  kiln_pool_trace_start(nullptr, 0);
  Tally u(kTasks);
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, countTask, 0, kTasks,
                                 reinterpret_cast<uint8_t *>(&u)),
            0);
  EXPECT_EQ(kiln_pool_trace_stop(), 0u);
}

TEST(ThreadPool, TraceCountsPastItsCapacityWithoutWritingThere) {
  PoolRun run(2);
  ASSERT_EQ(run.owned, 1);
  // Capacity 5 inside a larger buffer whose tail must stay untouched.
  std::vector<kiln_pool_task_event> events(20);
  for (kiln_pool_task_event &e : events)
    e.task = -7;
  Tally t(50);
  kiln_pool_trace_start(events.data(), 5);
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, countTask, 0, 50,
                                 reinterpret_cast<uint8_t *>(&t)),
            0);
  EXPECT_EQ(kiln_pool_trace_stop(), 50u);
  for (int i = 0; i < 5; ++i)
    EXPECT_NE(events[i].task, -7);
  for (int i = 5; i < 20; ++i)
    EXPECT_EQ(events[i].task, -7) << "slot " << i;
}

TEST(ThreadPool, TraceRecordsSerialLoopsOnThreadZero) {
  // Outside a run every loop is serial on the caller: thread 0.
  kiln_pool_acquire();
  std::vector<kiln_pool_task_event> events(8);
  Tally t(6);
  kiln_pool_trace_start(events.data(), events.size());
  ASSERT_EQ(kiln_pool_do_par_for(nullptr, countTask, 0, 6,
                                 reinterpret_cast<uint8_t *>(&t)),
            0);
  ASSERT_EQ(kiln_pool_trace_stop(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(events[i].task, i); // in order: one thread
    EXPECT_EQ(events[i].thread, 0);
    EXPECT_LE(events[i].start_ns, events[i].end_ns);
  }
  kiln_pool_release();
}

} // namespace
