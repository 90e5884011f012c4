#!/usr/bin/env python3
# ===- kernel_ab.py - Two builds of a model, kernel by kernel -------------=== #
#
#   kernel_ab.py EXE_A EXE_B --input X.npy [--threads N] [--rounds R]
#                [--repeat K] [--warmup W] [--labels A,B] [--changed PCT]
#                [--json OUT.json]
#
# Compares two Kiln executables of the same model (say, before and after a
# schedule change) kernel by kernel, the way benchmarks/README.md measures
# each step: R rounds, each running A and then B (the order alternating
# round by round, so drift hits both alike), each run a `--profile` of K
# timed calls after W warm-ups; per kernel the minimum over the rounds of
# its median, and the paired change: the median over rounds of B's median
# over A's in the same round. On this kind of shared 2-core VM single
# kernels move by +-5-8 % between identical builds, and a phase change
# can make one round of one build far faster than all others (which moves
# the minima, not the paired figure); the per-round sums show how noisy
# the run was.
#
# Kernels are paired by position. When the two kernel lists differ in
# length (a fusion change), only the totals are compared. --changed PCT
# prints only the kernels whose time changed (either figure) by more than
# PCT percent.
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import statistics
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print(f"kernel_ab: error: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="two Kiln executables of one model, kernel by kernel")
    p.add_argument("exe_a", help="executable A (the baseline)")
    p.add_argument("exe_b", help="executable B")
    p.add_argument("--input", action="append", default=[], required=True,
                   help="the input, as the executables take it: FILE.npy "
                        "or NAME=FILE.npy (repeat once per input)")
    p.add_argument("--threads", type=int, default=1,
                   help="kernel threads (default 1)")
    p.add_argument("--rounds", type=int, default=8,
                   help="interleaved rounds (default 8)")
    p.add_argument("--repeat", type=int, default=10,
                   help="timed calls per profile (default 10)")
    p.add_argument("--warmup", type=int, default=2,
                   help="untimed calls first (default 2)")
    p.add_argument("--labels", default="A,B",
                   help="names of the two builds (default A,B)")
    p.add_argument("--changed", type=float, default=0.0,
                   help="print only kernels changed by more than this "
                        "many percent (default: all)")
    p.add_argument("--json", help="also write the comparison to this file")
    a = p.parse_args(argv)
    if a.threads < 1 or a.rounds < 1 or a.repeat < 1 or a.warmup < 0 or \
            a.changed < 0:
        fail("--threads, --rounds and --repeat must be >= 1, --warmup and "
             "--changed >= 0")
    for exe in (a.exe_a, a.exe_b):
        if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
            fail(f"not an executable file: {exe}")
    for spec in a.input:
        path = spec.split("=", 1)[-1]
        if not os.path.isfile(path):
            fail(f"no such input file: {path}")
    labels = a.labels.split(",")
    if len(labels) != 2 or not all(labels):
        fail(f"--labels needs two names separated by a comma, got '{a.labels}'")
    a.labels = labels
    return a


def profile(exe, a, path):
    """One `--profile` run of exe: [(name, median_ns), ...]."""
    cmd = [exe, "--threads", str(a.threads), "--repeat", str(a.repeat),
           "--warmup", str(a.warmup), "--profile", path]
    for spec in a.input:
        cmd += ["--input", spec]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"{exe} exited with {p.returncode}: {p.stderr.strip()}")
    try:
        with open(path) as f:
            kernels = json.load(f)["kernels"]
        return [(k["name"], int(k["median_ns"])) for k in kernels]
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail(f"{exe} wrote no readable profile to {path}: {e}")


def compare(a):
    best = [None, None]      # per build: per-kernel minimum of medians (ns)
    names = [None, None]
    round_sums = [[], []]    # per build: each round's sum of medians (ms)
    round_rows = [[], []]    # per build: each round's per-kernel medians (ns)
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.rounds):
            order = (0, 1) if r % 2 == 0 else (1, 0)
            for b in order:
                exe = (a.exe_a, a.exe_b)[b]
                rows = profile(exe, a, os.path.join(tmp, f"p{b}.json"))
                if best[b] is None:
                    best[b] = [t for _, t in rows]
                    names[b] = [n for n, _ in rows]
                elif len(rows) != len(best[b]):
                    fail(f"{exe} ran {len(rows)} kernels, before "
                         f"{len(best[b])}")
                else:
                    best[b] = [min(x, t) for x, (_, t) in zip(best[b], rows)]
                round_sums[b].append(sum(t for _, t in rows) / 1e6)
                round_rows[b].append([t for _, t in rows])
    result = {
        "labels": a.labels,
        "threads": a.threads,
        "rounds": a.rounds,
        "repeat": a.repeat,
        "totals_ms": [sum(x) / 1e6 for x in best],
        "round_sums_ms": round_sums,
        "paired": len(best[0]) == len(best[1]),
        "kernels": [],
    }
    # Paired within each round (the two builds ran back to back, in the
    # same phase of a noisy machine): the median over rounds of B / A. A
    # single calm round cannot move it, unlike the minima.
    result["round_sum_ratio_median"] = statistics.median(
        sb / sa for sa, sb in zip(*round_sums) if sa > 0)
    if result["paired"]:
        for i, (ta, tb) in enumerate(zip(*best)):
            ratios = [rb[i] / ra[i] for ra, rb in zip(*round_rows) if ra[i] > 0]
            result["kernels"].append({
                "index": i, "name_a": names[0][i], "name_b": names[1][i],
                "ms_a": ta / 1e6, "ms_b": tb / 1e6,
                "change_percent": 100.0 * (tb - ta) / ta if ta else 0.0,
                "paired_change_percent":
                    100.0 * (statistics.median(ratios) - 1.0) if ratios else 0.0})
    return result


def report(result, changed):
    la, lb = result["labels"]
    ta, tb = result["totals_ms"]
    print(f"{result['threads']} thread(s), {result['rounds']} interleaved "
          f"rounds of {result['repeat']} calls; per kernel the minimum of "
          f"its medians")
    for label, sums in zip((la, lb), result["round_sums_ms"]):
        print(f"  {label}: sums per round " +
              " ".join(f"{s:.2f}" for s in sums) + " ms")
    change = 100.0 * (tb - ta) / ta if ta else 0.0
    print(f"total (sum of per-kernel minima): {la} {ta:.3f} ms, {lb} "
          f"{tb:.3f} ms ({change:+.1f} %); paired per round (median of "
          f"{lb}/{la}): {100.0 * (result['round_sum_ratio_median'] - 1):+.1f} %")
    if not result["paired"]:
        print("the builds run different kernels: totals only")
        return
    print(f"{'#':>4}  {'kernel (' + la + ')':<58} {la:>9} {lb:>9} {'change':>8} "
          f"{'paired':>8}")
    for k in result["kernels"]:
        if max(abs(k["change_percent"]), abs(k["paired_change_percent"])) < changed:
            continue
        print(f"{k['index']:>4}  {k['name_a'][:58]:<58} {k['ms_a']:9.3f} "
              f"{k['ms_b']:9.3f} {k['change_percent']:+7.1f}% "
              f"{k['paired_change_percent']:+7.1f}%")


def main(argv):
    a = parse_args(argv)
    result = compare(a)
    report(result, a.changed)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
