#!/usr/bin/env python3
# ===- test_peak_probe.py - The peak probe keeps its FMA chains in registers = #
#
#   test_peak_probe.py --workdir W
#
# benchmarks/peak_probe.cpp is the roofline every "% of peak" divides by. A
# chain that does not fit the vector register file is spilled: its FMAs then
# wait on a store and a reload, and the probe reads low (24 chains on AVX2's
# 16 ymm registers read 83-87 GFLOP/s on a Zen 3 core that sustains ~100).
# Compiles the probe to assembly for each register file this machine's
# compilers reach (AVX2 + FMA: 16 registers, AVX-512: 32, AArch64 NEON with
# the cross compiler: 32) and checks that no vector operand of the timed
# loop is reloaded from the stack; then builds it for the host, runs it and
# checks its report line (peak, and the median short run at most the peak).
# No timing thresholds.
#
# ===----------------------------------------------------------------------=== #

import argparse
import os
import re
import shutil
import subprocess
import sys

from check_util import check, finish, fresh_workdir, run

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "peak_probe.cpp")

# A vector operand reloaded from a stack slot: a spilled chain, whose next
# FMA waits on the store and the reload. (GCC for AArch64 also stores the
# chains to their array every round; stores alone do not lengthen a chain.)
X86_RELOAD = re.compile(r"\bv\w+\s+-?\w*\(%(rsp|rbp)\)")
ARM_RELOAD = re.compile(r"\b(ldr|ldp|ld1)\s+[qv]\d+.*\[sp")


def assembly(compiler, flags, path):
    p = subprocess.run([compiler, "-O2", "-S", PROBE, "-o", path] + flags,
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{compiler} {' '.join(flags)}: {p.stderr.strip()}")
    if p.returncode != 0:
        return ""
    with open(path) as f:
        return f.read()


def check_registers(label, asm, spill, fma):
    """The probe's FMAs are there and no vector operand is reloaded from the
    stack between the first and the last of them (the unrolled timed loop;
    the chains may be saved around the clock calls outside it)."""
    lines = asm.splitlines()
    at = [i for i, l in enumerate(lines) if fma.search(l)]
    check(len(at) >= 8, f"{label}: {len(at)} FMA instructions, expected the chains'")
    if not at:
        return
    spills = [l.strip() for l in lines[at[0]:at[-1] + 1] if spill.search(l)]
    check(not spills, f"{label}: FMA chains spilled to the stack: {spills[:3]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    work = fresh_workdir(args.workdir)
    x86_fma = re.compile(r"\bvfmadd\w*ps\b")
    targets = [("AVX2 + FMA (16 ymm)", ["-mavx2", "-mfma", "-mno-avx512f"]),
               ("AVX-512 (32 zmm)", ["-mavx512f", "-mfma"])]
    for i, (label, flags) in enumerate(targets):
        asm = assembly("c++", flags, os.path.join(work, f"probe_x86_{i}.s"))
        if asm:
            check_registers(label, asm, X86_RELOAD, x86_fma)
    cross = shutil.which("aarch64-linux-gnu-g++")
    if cross:
        asm = assembly(cross, [], os.path.join(work, "probe_arm.s"))
        if asm:
            check_registers("AArch64 NEON (32 v)", asm, ARM_RELOAD,
                            re.compile(r"\bfmla\s+v\d+\.4s"))
    else:
        print("note: no aarch64-linux-gnu-g++, the NEON build is not checked")

    # The host build runs and reports one positive, finite peak.
    exe = os.path.join(work, "peak_probe")
    run(["c++", "-O2", "-march=native", PROBE, "-o", exe], fatal=True)
    p = run([exe], fatal=True)
    m = re.search(r"lanes (\d+), chains (\d+): peak ([0-9.]+) GFLOP/s "
                  r"\(best of (\d+) short runs; median ([0-9.]+);", p.stdout)
    check(m is not None, f"report line: {p.stdout.strip()!r}")
    if m:
        lanes, chains, peak = int(m.group(1)), int(m.group(2)), float(m.group(3))
        median = float(m.group(5))
        check(lanes in (4, 8, 16), f"lanes {lanes}")
        check(chains >= 8, f"{chains} chains cannot hide FMA latency on 2 ports")
        check(0 < peak < 1e4, f"peak {peak}")
        # The median short run is a rate too, never above the best one.
        check(0 < median <= peak, f"median {median} against peak {peak}")
    return finish("peak_probe")


if __name__ == "__main__":
    sys.exit(main())
