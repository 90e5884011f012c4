#!/usr/bin/env python3
# ===- trace_summary.py - Thread balance from a Kiln executable's --trace -=== #
#
#   trace_summary.py TRACE.json [--top K] [--json OUT.json]
#
# Reads the Chrome trace an emitted executable writes with `--trace` (one
# run: the kernel calls on tid 0, every task of their parallel loops on the
# row of the thread that ran it, tid = thread + 1) and prints how busy each
# thread was and where the others waited: per kernel call its duration,
# task count, each thread's busy time and the idle thread time
# (threads x duration - busy), the K kernels with the most idle time first.
# Threads are the run's (otherData.threads) or, if more, those seen.
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import sys


def summarize(trace):
    """The summary as a dict (what --json writes)."""
    if not isinstance(trace, dict) or not isinstance(trace.get("traceEvents"), list):
        raise ValueError("not a Kiln --trace file (no traceEvents list)")
    events = trace["traceEvents"]
    kernels = [e for e in events if e.get("cat") == "kernel"]
    tasks = [e for e in events if e.get("cat") == "task"]
    if not kernels:
        raise ValueError("the trace has no kernel calls (cat 'kernel')")
    threads = max([int(trace.get("otherData", {}).get("threads", 1))] +
                  [int(e["tid"]) for e in tasks])
    run_us = sum(k["dur"] for k in kernels)
    busy = [0.0] * threads
    per_call = [{"busy": [0.0] * threads, "tasks": 0} for _ in kernels]
    for e in tasks:
        call = int(e["args"]["call"])
        if not 0 <= call < len(kernels):
            raise ValueError(f"task event names kernel call {call}, the trace has "
                             f"{len(kernels)}")
        t = int(e["tid"]) - 1
        busy[t] += e["dur"]
        per_call[call]["busy"][t] += e["dur"]
        per_call[call]["tasks"] += 1
    calls = []
    for i, k in enumerate(kernels):
        b = per_call[i]["busy"]
        calls.append({
            "call": i,
            "name": k["name"],
            "ms": k["dur"] / 1e3,
            "tasks": per_call[i]["tasks"],
            "busy_ms": [v / 1e3 for v in b],
            "idle_ms": (threads * k["dur"] - sum(b)) / 1e3,
        })
    return {
        "threads": threads,
        "run_ms": run_us / 1e3,
        "tasks": len(tasks),
        "busy_ms": [v / 1e3 for v in busy],
        "idle_ms": (threads * run_us - sum(busy)) / 1e3,
        "calls": sorted(calls, key=lambda c: -c["idle_ms"]),
    }


def report(s, top):
    lines = [f"run {s['run_ms']:.3f} ms on {s['threads']} thread(s), "
             f"{s['tasks']} tasks; busy per thread: " +
             ", ".join(f"{v:.3f} ms ({100 * v / s['run_ms']:.1f} %)" if s["run_ms"] > 0
                       else f"{v:.3f} ms" for v in s["busy_ms"]),
             f"idle thread time {s['idle_ms']:.3f} ms (threads x run - busy)",
             f"kernel calls with the most idle thread time (top {top}):",
             f"{'call':>4}  {'ms':>8}  {'idle ms':>8}  {'tasks':>5}  busy ms per thread  kernel"]
    for c in s["calls"][:top]:
        busy = " ".join(f"{v:.3f}" for v in c["busy_ms"])
        lines.append(f"{c['call']:>4}  {c['ms']:>8.3f}  {c['idle_ms']:>8.3f}  "
                     f"{c['tasks']:>5}  {busy:<18}  {c['name']}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(
        description="thread balance of one run from a Kiln executable's --trace")
    ap.add_argument("trace", help="the executable's --trace output")
    ap.add_argument("--top", type=int, default=12, help="kernel rows to print (default 12)")
    ap.add_argument("--json", help="also write the summary to this file")
    args = ap.parse_args()
    if args.top < 0:
        print("error: --top must be >= 0", file=sys.stderr)
        return 2
    try:
        with open(args.trace) as f:
            trace = json.load(f)
        s = summarize(trace)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"error: {args.trace}: {e}", file=sys.stderr)
        return 1
    print(report(s, args.top))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(s, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
