#!/usr/bin/env python3
# ===- test_bench_common.py - The benchmarks' shared statistics --------=== #
#
#   test_bench_common.py
#
# bench_common's summaries against hand-computed values: summarize (median,
# nearest-rank p90, min) and paired_round_ratio (the median over rounds of
# the ratio of the two engines' round medians), including a slow phase that
# the paired ratio cancels and the ratio of overall medians does not, and
# its error on times that are not whole rounds.
#
# ===----------------------------------------------------------------------=== #

import math
import sys

import bench_common as bc
from check_util import check, finish


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


s = bc.summarize([5.0, 1.0, 3.0, 2.0])
check(close(s["median_ms"], 2.5) and close(s["min_ms"], 1.0) and close(s["p90_ms"], 5.0)
      and s["runs"] == 4, f"summarize of 4 times: {s}")

# Three rounds of 3 runs. Round medians a: 8, 16, 9; b: 10, 20, 10 (the
# middle round is a slow phase: both engines 2x). Ratios 0.8, 0.8, 0.9.
a = [8.0, 7.0, 9.0, 16.0, 15.0, 17.0, 9.0, 8.5, 9.5]
b = [10.0, 11.0, 9.0, 20.0, 21.0, 19.0, 10.0, 10.5, 9.5]
r = bc.paired_round_ratio(a, b, 3)
check(close(r, 0.8), f"paired ratio {r}, want 0.8")
overall = bc.summarize(a)["median_ms"] / bc.summarize(b)["median_ms"]
check(close(overall, 9.0 / 10.5), f"ratio of overall medians {overall}, want 9/10.5")
# Even round count: the median of the rounds' ratios averages the middle two.
r2 = bc.paired_round_ratio([1.0, 3.0], [2.0, 4.0], 1)
check(close(r2, 0.625), f"paired ratio of 2 rounds {r2}, want (0.5 + 0.75) / 2")

for bad_a, bad_b, runs in (([1.0, 2.0], [1.0], 1), ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], 2),
                           ([1.0], [1.0], 0)):
    try:
        bc.paired_round_ratio(bad_a, bad_b, runs)
        check(False, f"no error for {len(bad_a)}/{len(bad_b)} times in rounds of {runs}")
    except ValueError as e:
        check("whole rounds" in str(e), f"error text: {e}")

sys.exit(finish("bench_common statistics"))
