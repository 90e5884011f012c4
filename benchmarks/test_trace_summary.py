#!/usr/bin/env python3
# ===- test_trace_summary.py - trace_summary.py on a compiled model -------=== #
#
#   test_trace_summary.py --kiln KILN --models-dir DIR --workdir W
#
# Compiles democnn, runs it on 2 threads with --trace and checks
# trace_summary.py against sums recomputed here from the trace's events:
# each thread's busy time, the idle thread time (threads x run - busy), per
# kernel call its tasks and busy times, the calls ordered by idle time, the
# report's rows (--top); a hand-made trace against hand-computed values;
# and the errors (a missing file, JSON that is not a
# trace, a task naming a call the trace lacks, a negative --top). No
# timing thresholds.
#
# ===----------------------------------------------------------------------=== #

import json
import os
import sys

from check_util import check, finish, fresh_workdir, run, tool_test_args

HERE = os.path.dirname(os.path.abspath(__file__))


def summary(args, expect_rc=0, fatal=False):
    return run([sys.executable, os.path.join(HERE, "trace_summary.py")] + args,
               expect_rc, fatal)


def close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def main():
    args = tool_test_args()
    work = fresh_workdir(args.workdir)
    demo = os.path.join(args.models_dir, "democnn")
    exe, trace = os.path.join(work, "net"), os.path.join(work, "trace.json")
    run([args.kiln, "compile", os.path.join(demo, "model.onnx"), "-o", exe, "-q"],
        fatal=True)
    run([exe, "--input", os.path.join(demo, "input_0.npy"), "--threads", "2",
         "--repeat", "2", "--trace", trace], fatal=True)
    out = os.path.join(work, "summary.json")
    p = summary([trace, "--json", out, "--top", "3"], fatal=True)
    with open(out) as f:
        s = json.load(f)
    with open(trace) as f:
        events = json.load(f)["traceEvents"]
    kernels = [e for e in events if e.get("cat") == "kernel"]
    tasks = [e for e in events if e.get("cat") == "task"]

    # Recomputed from the events.
    check(s["threads"] == 2, f"threads {s['threads']}")
    check(s["tasks"] == len(tasks) > 0, f"tasks {s['tasks']} vs {len(tasks)}")
    run_ms = sum(k["dur"] for k in kernels) / 1e3
    check(close(s["run_ms"], run_ms), f"run {s['run_ms']} vs {run_ms}")
    for t in range(2):
        want = sum(e["dur"] for e in tasks if e["tid"] == t + 1) / 1e3
        check(close(s["busy_ms"][t], want), f"thread {t} busy {s['busy_ms'][t]} vs {want}")
    check(close(s["idle_ms"], 2 * run_ms - sum(s["busy_ms"])), f"idle {s['idle_ms']}")
    check(len(s["calls"]) == len(kernels), f"{len(s['calls'])} calls vs {len(kernels)}")
    idles = [c["idle_ms"] for c in s["calls"]]
    check(idles == sorted(idles, reverse=True), f"calls not by idle time: {idles}")
    for c in s["calls"]:
        mine = [e for e in tasks if e["args"]["call"] == c["call"]]
        check(c["tasks"] == len(mine), f"call {c['call']}: {c['tasks']} tasks vs {len(mine)}")
        check(c["name"] == kernels[c["call"]]["name"], f"call {c['call']} name")
        for t in range(2):
            want = sum(e["dur"] for e in mine if e["tid"] == t + 1) / 1e3
            check(close(c["busy_ms"][t], want), f"call {c['call']} thread {t} busy")
        check(close(c["idle_ms"], 2 * c["ms"] - sum(c["busy_ms"])), f"call {c['call']} idle")
    check(close(sum(c["idle_ms"] for c in s["calls"]), s["idle_ms"]),
          "the calls' idle times do not add up to the run's")
    rows = [l for l in p.stdout.splitlines() if l[:4].strip().isdigit()]
    check(len(rows) == 3, f"--top 3 printed {len(rows)} rows:\n{p.stdout}")
    check("busy per thread" in p.stdout and "idle thread time" in p.stdout, p.stdout)

    # A hand-made trace with hand-computed answers: kernels of 100 and 50 us;
    # call 0 runs tasks of 40 + 20 us on thread 0 and 30 us on thread 1,
    # call 1 one task of 50 us on thread 1.
    def ev(cat, tid, dur, call, ts=0.0):
        return {"name": f"k{call}", "cat": cat, "ph": "X", "pid": 1, "tid": tid,
                "ts": ts, "dur": dur, "args": {"call": call, "task": 0}}
    hand = os.path.join(work, "hand.json")
    with open(hand, "w") as f:
        json.dump({"otherData": {"threads": 2},
                   "traceEvents": [ev("kernel", 0, 100.0, 0), ev("kernel", 0, 50.0, 1, 100.0),
                                   ev("task", 1, 40.0, 0), ev("task", 2, 30.0, 0),
                                   ev("task", 1, 20.0, 0, 40.0), ev("task", 2, 50.0, 1, 100.0)]}, f)
    summary([hand, "--json", out], fatal=True)
    with open(out) as f:
        h = json.load(f)
    check(close(h["run_ms"], 0.150) and close(h["busy_ms"][0], 0.060) and
          close(h["busy_ms"][1], 0.080) and close(h["idle_ms"], 0.160), f"hand-made: {h}")
    check([c["call"] for c in h["calls"]] == [0, 1] and close(h["calls"][0]["idle_ms"], 0.110)
          and close(h["calls"][1]["idle_ms"], 0.050) and h["calls"][0]["tasks"] == 3,
          f"hand-made calls: {h['calls']}")

    # Errors: exit 1 naming the file, or 2 for a bad --top.
    bad = os.path.join(work, "bad.json")
    with open(bad, "w") as f:
        json.dump({"model": "x"}, f)
    wrong_call = os.path.join(work, "wrong_call.json")
    with open(wrong_call, "w") as f:
        json.dump({"traceEvents": kernels + [dict(tasks[0], args={"call": 99, "task": 0})]}, f)
    for argv, rc, needle in (([os.path.join(work, "none.json")], 1, "none.json"),
                             ([bad], 1, "not a Kiln --trace file"),
                             ([wrong_call], 1, "kernel call 99"),
                             ([trace, "--top", "-1"], 2, "--top")):
        p = summary(argv, rc)
        check(needle in p.stderr, f"{argv}: '{needle}' not in {p.stderr!r}")
    return finish("trace_summary.py")


if __name__ == "__main__":
    sys.exit(main())
