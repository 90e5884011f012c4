#!/usr/bin/env python3
# ===- browser_test.py - report.html renders in headless Chromium ---------=== #
#
#   browser_test.py --kiln KILN --model MODEL.onnx --workdir DIR
#
# Compiles MODEL with `kiln compile --dump`, checks report.json against the
# dump itself (summary keys, one layer per kernel call of 03-model.c, one
# pass per file in passes/, measured times), then loads report.html in
# headless Chromium and checks that the page's JavaScript rendered the
# layer table (a #layer-<k> row per layer) and the pass table (a #pass-<i>
# row per pass). Saves DIR/report-screenshot.png. Exits 77 (ctest: skipped)
# when no Chromium is installed.
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import re
import shutil
import subprocess
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(browser, args, timeout=120):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-dev-shm-usage", "--no-first-run",
           "--user-data-dir=" + args.pop(0)] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()

    browser = find_chromium()
    if not browser:
        print("SKIP: no chromium installed (Debian package 'chromium')")
        sys.exit(77)

    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    dump = os.path.join(work, "dump")
    exe = os.path.join(work, "model")
    r = subprocess.run([a.kiln, "compile", a.model, "-o", exe,
                        "--dump=" + dump], capture_output=True, text=True)
    if r.returncode != 0:
        fail("kiln compile failed:\n" + r.stdout + r.stderr)

    # report.json against the dump's other files.
    with open(os.path.join(dump, "report.json")) as f:
        report = json.load(f)
    for key in ("depthwise_pointwise_fused", "depthwise_pointwise_candidates",
                "residual_adds_fused", "residual_adds_total",
                "concat_copies", "slice_views"):
        if not isinstance(report["summary"].get(key), int):
            fail("summary.%s missing or not an integer" % key)
    with open(os.path.join(dump, "03-model.c")) as f:
        calls = len(re.findall(r"kiln_profile_kernel_done\(", f.read()))
    layers = report["layers"]
    if len(layers) != calls or calls == 0:
        fail("%d layers in report.json, %d kernel calls in 03-model.c"
             % (len(layers), calls))
    pass_files = sorted(os.listdir(os.path.join(dump, "passes")))
    if [os.path.basename(p["dump"]) for p in report["passes"]] != pass_files:
        fail("passes %s != files %s" % ([p["dump"] for p in report["passes"]],
                                        pass_files))
    if not report["profile"]["measured"]:
        fail("no measured times: " + report["profile"]["note"])
    if any(l["time_ns"] is None or l["time_ns"] < 0 for l in layers):
        fail("a layer has no time")

    # The page, rendered by its own JavaScript.
    page = "file://" + os.path.join(dump, "report.html")
    r = chromium(browser, [os.path.join(work, "profile-dom"),
                           "--virtual-time-budget=5000", "--dump-dom", page])
    dom = r.stdout
    if r.returncode != 0 or "<body" not in dom:
        fail("chromium --dump-dom failed (%d):\n%s" % (r.returncode, r.stderr[-2000:]))
    want_status = "rendered %d layers, %d passes" % (len(layers),
                                                    len(report["passes"]))
    if want_status not in dom:
        m = re.search(r'id="status"[^>]*>([^<]*)<', dom)
        fail("status is %r, want %r" % (m.group(1) if m else None, want_status))
    for i in range(len(layers)):
        if 'id="layer-%d"' % i not in dom:
            fail("row #layer-%d not rendered" % i)
    if len(re.findall(r'class="layer-row"', dom)) != len(layers):
        fail("layer-row count differs from the layer count")
    for p in report["passes"]:
        if 'id="pass-%d"' % p["index"] not in dom:
            fail("row #pass-%d not rendered" % p["index"])
    fused = [l for l in layers if len(l["fused_ops"]) > 1]
    if fused and "+".join(fused[0]["fused_ops"]) not in dom:
        fail("fused group %s not shown" % "+".join(fused[0]["fused_ops"]))

    shot = os.path.join(work, "report-screenshot.png")
    r = chromium(browser, [os.path.join(work, "profile-shot"),
                           "--virtual-time-budget=5000", "--hide-scrollbars",
                           "--window-size=1280,2000", "--screenshot=" + shot,
                           page])
    if r.returncode != 0 or not os.path.exists(shot) or os.path.getsize(shot) < 10000:
        fail("no screenshot (%d):\n%s" % (r.returncode, r.stderr[-2000:]))
    print("ok: %d layers, %d passes rendered; screenshot %s"
          % (len(layers), len(report["passes"]), shot))


if __name__ == "__main__":
    main()
