# ===- check_util.py - What the benchmark tools' tests share -------------=== #
#
# test_kiln_bench.py, test_ort_profile.py and test_kernel_ab.py check tools
# by running them: each failed check is recorded (and printed) and the
# script exits non-zero at the end (finish), so one run reports every
# failure.
#
# ===----------------------------------------------------------------------=== #

import argparse
import os
import shutil
import subprocess
import sys

FAILURES = []


def check(cond, what):
    """Records (and prints) a failed check."""
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", flush=True)


def run(cmd, expect_rc=0, fatal=False):
    """Runs cmd (printed first) and returns the CompletedProcess. An exit
    status other than expect_rc (None: any) is a failed check, or with
    fatal=True ends the script (later checks would only repeat it)."""
    cmd = [str(c) for c in cmd]
    print("+ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if expect_rc is not None and p.returncode != expect_rc:
        what = (f"exit {p.returncode} (expected {expect_rc}) from "
                f"{' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
        if fatal:
            raise SystemExit(f"FAIL: {what}")
        check(False, what)
    return p


def fresh_workdir(path):
    """An empty directory at path (absolute), whatever was there before."""
    work = os.path.abspath(path)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return work


def tool_test_args(kiln=True):
    """The arguments every tool test takes from CMake: --models-dir (the
    generated test models), --workdir, and --kiln unless kiln=False."""
    ap = argparse.ArgumentParser()
    if kiln:
        ap.add_argument("--kiln", required=True)
    ap.add_argument("--models-dir", required=True)
    ap.add_argument("--workdir", required=True)
    return ap.parse_args()


def finish(what):
    """The exit status after every check: 1 (and the count of failures on
    stderr) if any failed, else 0 with a line saying `what` passed."""
    if FAILURES:
        print(f"FAIL: {len(FAILURES)} check(s) failed", file=sys.stderr)
        return 1
    print(f"PASS {what}")
    return 0
