#!/usr/bin/env python3
# ===- cli_test.py - end-to-end tests of an emitted Kiln executable -------===#
#
# Runs executables built from runtime/main/kiln_main.c + a fixture model and
# checks their files and messages against NumPy (the independent reference
# for the .npy format and the expected values).
#
#   cli_test.py --affine EXE --pair EXE --broken EXE --workdir DIR
#               [--image-rgb EXE --image-wide EXE --image-gray EXE]
#               [--only NAME ...] [--wrapper "valgrind --error-exitcode=99"]
#
# The --image tests (run when the image fixtures are given) compare the
# tensor an image becomes with image_reference.py (NumPy), and its resize
# with ONNX Runtime's Resize; JPEG files are encoded and decoded by Pillow.
#
# ===----------------------------------------------------------------------===#
import argparse
import os
import re
import shlex
import subprocess
import sys

import numpy as np

import image_reference as ref

TESTS = []
IMAGE_TESTS = []  # need the --image-* fixtures


def test(fn):
    TESTS.append(fn)
    return fn


def image_test(fn):
    IMAGE_TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, args):
        self.args = args
        self.dir = args.workdir
        os.makedirs(self.dir, exist_ok=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def save(self, name, array):
        p = self.path(name)
        np.save(p, array)
        return p

    def run(self, exe, *argv):
        cmd = shlex.split(self.args.wrapper or "") + [exe] + list(argv)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        # Sanitizers and valgrind report on stderr; none may fire.
        for marker in ("AddressSanitizer", "runtime error:", "LeakSanitizer",
                       "Invalid read", "Invalid write", "uninitialised"):
            check(marker not in r.stderr,
                  f"{marker} reported by {' '.join(cmd)}:\n{r.stderr}")
        check(r.returncode != 99, f"valgrind error in {' '.join(cmd)}:\n{r.stderr}")
        check(r.returncode >= 0, f"{' '.join(cmd)} crashed (signal {-r.returncode})")
        return r


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def expect_failure(r, *needles, code=None):
    check(r.returncode != 0, f"expected failure, got rc 0:\n{r.stdout}")
    if code is not None:
        check(r.returncode == code, f"expected rc {code}, got {r.returncode}:\n{r.stderr}")
    for n in needles:
        check(n in r.stderr, f"expected {n!r} in stderr:\n{r.stderr}")


def affine_input(batch=2):
    rng = np.random.default_rng(7)
    return rng.standard_normal((batch, 10)).astype(np.float32)


@test
def good_run(c):
    x = affine_input()
    xp = c.save("x.npy", x)
    yp = c.path("y.npy")
    r = c.run(c.args.affine, "--input", xp, "--output", yp)
    check(r.returncode == 0, f"rc {r.returncode}: {r.stderr}")
    y = np.load(yp)
    check(y.dtype == np.float32 and y.shape == (2, 10), f"bad output {y.dtype} {y.shape}")
    np.testing.assert_array_equal(y, 2 * x + 1)
    check("latency: " in r.stdout and " ms" in r.stdout, r.stdout)
    for b in range(2):
        order = np.argsort(-y[b], kind="stable")[:5]
        line = next(l for l in r.stdout.splitlines() if l.startswith(f"top-5 y[{b}]:"))
        got = [int(tok.split()[0]) for tok in line.split(":", 1)[1].split(",")]
        check(got == list(order), f"top-5 row {b}: got {got}, want {list(order)}")


@test
def named_single_input_and_repeat(c):
    xp = c.save("x2.npy", affine_input())
    r = c.run(c.args.affine, "--input", f"x={xp}", "--repeat", "5", "--threads", "2")
    check(r.returncode == 0, r.stderr)
    check("median of 5 runs after 1 warm-up" in r.stdout, r.stdout)


@test
def profile_writes_kernel_medians(c):
    # --profile: one entry per kernel call of the fixture (scale, bias) with
    # the median of the timed runs; the output is still right.
    import json
    x = affine_input()
    xp = c.save("xp.npy", x)
    yp, pp = c.path("yp.npy"), c.path("profile.json")
    r = c.run(c.args.affine, "--input", xp, "--output", yp, "--repeat", "3",
              "--profile", pp)
    check(r.returncode == 0, r.stderr)
    np.testing.assert_array_equal(np.load(yp), 2 * x + 1)
    with open(pp) as f:
        prof = json.load(f)
    check(prof["model"] == "affine" and prof["runs"] == 3 and prof["unit"] == "ns", prof)
    names = [k["name"] for k in prof["kernels"]]
    check(names == ["scale", "bias"], names)
    for k in prof["kernels"]:
        check(0 <= k["min_ns"] <= k["median_ns"] <= k["max_ns"], k)
    check(prof["sum_of_medians_ns"] == sum(k["median_ns"] for k in prof["kernels"]), prof)
    # A model without a kernel table cannot be profiled.
    ap, bp = c.save("pa.npy", np.ones((2, 3), np.float32)), c.save("pb.npy", np.ones((2, 3), np.float32))
    expect_failure(c.run(c.args.pair, "--input", f"a={ap}", "--input", f"b={bp}",
                         "--profile", c.path("p2.json")),
                   "without profiling support")


@test
def trace_of_the_last_run(c):
    # --trace: a Chrome trace whose kernel rows are the fixture's calls in
    # order, back to back, with the profile's names; the output stays right.
    import json
    x = affine_input()
    xp, yp, tp = c.save("xtr.npy", x), c.path("ytr.npy"), c.path("trace.json")
    r = c.run(c.args.affine, "--input", xp, "--output", yp, "--repeat", "2",
              "--threads", "2", "--trace", tp)
    check(r.returncode == 0, r.stderr)
    check("wrote the trace of the last run" in r.stdout, r.stdout)
    np.testing.assert_array_equal(np.load(yp), 2 * x + 1)
    with open(tp) as f:
        t = json.load(f)
    check(t["otherData"]["model"] == "affine" and t["otherData"]["threads"] == 2, t)
    kernels = [e for e in t["traceEvents"] if e.get("cat") == "kernel"]
    check([k["name"] for k in kernels] == ["scale", "bias"], kernels)
    check(kernels[0]["ts"] == 0 and all(k["dur"] >= 0 for k in kernels), kernels)
    check(abs(kernels[0]["dur"] - kernels[1]["ts"]) <= 0.002, kernels)
    rows = {e["tid"] for e in t["traceEvents"] if e.get("ph") == "M"}
    check(rows == {0, 1, 2}, rows)
    expect_failure(c.run(c.args.affine, "--input", xp, "--trace",
                         c.path("no/such/dir/t.json")), "--trace", "cannot open")
    ap, bp = c.save("ta.npy", np.ones((2, 3), np.float32)), c.save("tb.npy", np.ones((2, 3), np.float32))
    expect_failure(c.run(c.args.pair, "--input", f"a={ap}", "--input", f"b={bp}",
                         "--trace", c.path("t2.json")),
                   "--trace", "without profiling support")


@test
def warmup_and_times(c):
    # --warmup N untimed runs, --times FILE: every timed run's ms in run order
    # (what `kiln bench` reads); the printed median is the median of those.
    import json
    x = affine_input()
    xp, yp, tp = c.save("xt.npy", x), c.path("yt.npy"), c.path("times.json")
    r = c.run(c.args.affine, "--input", xp, "--output", yp, "--repeat", "4",
              "--warmup", "3", "--threads", "1", "--times", tp)
    check(r.returncode == 0, r.stderr)
    np.testing.assert_array_equal(np.load(yp), 2 * x + 1)
    check("median of 4 runs after 3 warm-ups" in r.stdout, r.stdout)
    with open(tp) as f:
        t = json.load(f)
    check(t["model"] == "affine" and t["unit"] == "ms" and t["runs"] == 4 and
          t["warmup_runs"] == 3 and t["threads"] == 1 and len(t["times_ms"]) == 4, t)
    check(all(v >= 0 for v in t["times_ms"]), t)
    median = float(np.median(t["times_ms"]))
    printed = float(r.stdout.split("latency: ", 1)[1].split(" ms", 1)[0])
    check(abs(printed - median) <= 0.0015, f"printed {printed}, median of --times {median}")
    # Without --repeat: --warmup still runs untimed first; one timed run.
    r = c.run(c.args.affine, "--input", xp, "--warmup", "2", "--times", tp)
    check(r.returncode == 0, r.stderr)
    with open(tp) as f:
        t = json.load(f)
    check(t["runs"] == 1 and t["warmup_runs"] == 2 and len(t["times_ms"]) == 1, t)
    expect_failure(c.run(c.args.affine, "--input", xp, "--warmup", "-1"),
                   "--warmup expects an integer >= 0")
    expect_failure(c.run(c.args.affine, "--input", xp, "--times",
                         c.path("no/such/dir/t.json")), "--times", "cannot open")


@test
def info_and_help(c):
    r = c.run(c.args.affine, "--info")
    check(r.returncode == 0, r.stderr)
    check("input x: float32 (2, 10) (80 bytes)" in r.stdout, r.stdout)
    check("output y: float32 (2, 10)" in r.stdout, r.stdout)
    check(re.search(r"activation arena: [0-9]+ bytes", r.stdout), r.stdout)
    r = c.run(c.args.affine, "--help")
    check(r.returncode == 0 and "--image" in r.stdout and "--repeat" in r.stdout, r.stdout)


@test
def wrong_shape(c):
    p = c.save("wrong_shape.npy", affine_input(batch=3))
    r = c.run(c.args.affine, "--input", p)
    expect_failure(r, f"{p}: shape (3, 10) does not match input 'x' of shape (2, 10)")
    p1 = c.save("wrong_rank.npy", np.zeros((20,), np.float32))
    expect_failure(c.run(c.args.affine, "--input", p1), "shape (20,) does not match")


@test
def wrong_dtype_and_order(c):
    p = c.save("f64.npy", affine_input().astype(np.float64))
    expect_failure(c.run(c.args.affine, "--input", p), p, "dtype '<f8' is not supported")
    p = c.save("fortran.npy", np.asfortranarray(affine_input()))
    expect_failure(c.run(c.args.affine, "--input", p), p, "Fortran-order")


@test
def truncated_and_missing_file(c):
    good = c.save("full.npy", affine_input())
    with open(good, "rb") as f:
        data = f.read()
    for cut, what in ((len(data) - 4, "truncated data"), (40, "truncated .npy header"),
                      (3, "not a .npy file")):
        p = c.path(f"cut{cut}.npy")
        with open(p, "wb") as f:
            f.write(data[:cut])
        expect_failure(c.run(c.args.affine, "--input", p), p, what)
    p = c.path("does_not_exist.npy")
    expect_failure(c.run(c.args.affine, "--input", p), f"{p}: cannot open")


@test
def bad_arguments(c):
    xp = c.save("x3.npy", affine_input())
    expect_failure(c.run(c.args.affine), "missing --input for model input 'x'", code=2)
    expect_failure(c.run(c.args.affine, "--input", xp, "--threads", "0"),
                   "--threads expects an integer >= 1, got '0'", code=2)
    expect_failure(c.run(c.args.affine, "--input", xp, "--repeat", "x"), "--repeat", code=2)
    expect_failure(c.run(c.args.affine, "--input"), "--input needs a value", code=2)
    expect_failure(c.run(c.args.affine, "--bogus"), "unknown argument '--bogus'", code=2)
    expect_failure(c.run(c.args.affine, "--image", "cat.ppm"), "--image cat.ppm",
                   "needs an NCHW RGB input of shape (1, 3, H, W)", code=1)
    expect_failure(c.run(c.args.affine, "--input", xp, "--input", xp), "given twice")
    expect_failure(c.run(c.args.affine, "--input", xp, "--output", "/nonexistent/d/y.npy"),
                   "/nonexistent/d/y.npy")


@test
def two_inputs_by_name(c):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal((2, 3)).astype(np.float32)
    ap, bp = c.save("a.npy", a), c.save("b.npy", b)
    sp, pp = c.path("sum.npy"), c.path("prod.npy")
    r = c.run(c.args.pair, "--input", f"b={bp}", "--input", f"a={ap}",
              "--output", f"sum={sp}", "--output", f"prod={pp}")
    check(r.returncode == 0, r.stderr)
    np.testing.assert_array_equal(np.load(sp), a + b)
    np.testing.assert_array_equal(np.load(pp), a * b)
    check("top-" not in r.stdout, "a [2,3] output is not classifier-like")
    expect_failure(c.run(c.args.pair, "--input", ap),
                   "the model has 2 inputs; use --input NAME=FILE.npy with NAME one of: a b",
                   code=2)
    expect_failure(c.run(c.args.pair, "--input", f"a={ap}"), "missing --input for model input 'b'")
    expect_failure(c.run(c.args.pair, "--input", f"a={ap}", "--input", f"b={bp}",
                         "--output", sp), "the model has 2 outputs")


@test
def kernel_failure(c):
    p = c.save("x4.npy", np.zeros((4,), np.float32))
    expect_failure(c.run(c.args.broken, "--input", p, "--output", c.path("never.npy")),
                   "kernel 'conv_2' (#2) failed: Input buffer x is accessed at 7", code=1)
    check(not os.path.exists(c.path("never.npy")), "no output after a failed run")


# --- --image -----------------------------------------------------------------


def run_image(c, exe, image_path, *extra):
    yp = c.path(os.path.basename(image_path) + ".y.npy")
    if os.path.exists(yp):
        os.remove(yp)
    r = c.run(exe, "--image", image_path, "--output", yp, *extra)
    check(r.returncode == 0, f"--image {image_path}: rc {r.returncode}: {r.stderr}")
    y = np.load(yp)
    check(y.dtype == np.float32, f"dtype {y.dtype}")
    return y


def write(c, name, data):
    p = c.path(name)
    with open(p, "wb") as f:
        f.write(data)
    return p


def assert_close(got, want, tol, what):
    check(got.shape == want.shape, f"{what}: shape {got.shape}, want {want.shape}")
    err = float(np.max(np.abs(got.astype(np.float64) - want)))
    check(err <= tol, f"{what}: max |error| {err:.3g} > {tol}")


@image_test
def image_png_matches_reference(c):
    rgb = ref.smooth_rgb(180, 260, seed=1)
    rgb[40:90, 100:140] = np.random.default_rng(5).integers(0, 256, (50, 40, 3))
    p = write(c, "land.png", ref.png_bytes(rgb))
    y = run_image(c, c.args.image_rgb, p)
    want = ref.preprocess(rgb, 224, 224)
    assert_close(y, want, 1e-4, "PNG 260x180 -> 224x224")
    # Cross-check the reference's resize with ONNX Runtime's Resize (linear,
    # half_pixel), so both do not share one misreading of "bilinear".
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper
    rh, rw = ref.resized_size(180, 260, 224, 224)
    check((rh, rw) == (256, 369), f"resized size {(rh, rw)}")
    node = helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="linear",
                            coordinate_transformation_mode="half_pixel")
    graph = helper.make_graph(
        [node], "resize",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 180, 260])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [helper.make_tensor("sizes", TensorProto.INT64, [4], [1, 3, rh, rw])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = rgb.transpose(2, 0, 1)[None].astype(np.float32)
    full = sess.run(None, {"x": x})[0][0].transpose(1, 2, 0).astype(np.float64)
    top, left = ref.crop_offsets(rh, rw, 224, 224)
    crop = full[top:top + 224, left:left + 224] / 255.0
    ort_want = ((crop - ref.MEAN) / ref.STD).transpose(2, 0, 1)[None]
    assert_close(y, ort_want, 2e-4, "PNG vs ONNX Runtime Resize")
    # --no-normalize: [0, 1] only.
    y = run_image(c, c.args.image_rgb, p, "--no-normalize")
    assert_close(y, ref.preprocess(rgb, 224, 224, normalize=False), 1e-5, "--no-normalize")
    check(0.0 <= y.min() and y.max() <= 1.0, "--no-normalize range")


@image_test
def image_formats_and_shapes(c):
    rng = np.random.default_rng(11)
    rgb = ref.smooth_rgb(97, 61, seed=2)  # portrait, odd sizes
    cases = [
        ("portrait.png", ref.png_bytes(rgb), rgb),
        ("portrait.ppm", ref.ppm_bytes(rgb), rgb),
    ]
    gray = rng.integers(0, 256, (50, 70), dtype=np.uint8)
    cases.append(("gray.png", ref.png_bytes(gray), ref.to_rgb8(gray)))
    rgba = rng.integers(0, 256, (40, 40, 4), dtype=np.uint8)
    cases.append(("rgba.png", ref.png_bytes(rgba), ref.to_rgb8(rgba)))
    rgb16 = rng.integers(0, 65536, (33, 45, 3), dtype=np.uint16)
    cases.append(("rgb16.png", ref.png_bytes(rgb16), ref.to_rgb8(rgb16)))
    tiny = rng.integers(0, 256, (2, 3, 3), dtype=np.uint8)  # upscaled 100x
    cases.append(("tiny.png", ref.png_bytes(tiny), tiny))
    one = np.array([[[10, 200, 30]]], np.uint8)
    cases.append(("one.png", ref.png_bytes(one), one))
    for name, data, decoded in cases:
        p = write(c, name, data)
        for exe, h, w in ((c.args.image_rgb, 224, 224), (c.args.image_wide, 24, 40)):
            y = run_image(c, exe, p)
            assert_close(y, ref.preprocess(decoded, h, w), 1e-4, f"{name} -> {h}x{w}")
    # A constant image is the same constant everywhere: checks the channel
    # order and the normalization constants on their own.
    const = np.empty((30, 50, 3), np.uint8)
    const[:] = (255, 128, 0)
    y = run_image(c, c.args.image_wide, write(c, "const.png", ref.png_bytes(const)))
    for ch, v in enumerate((255, 128, 0)):
        want = (v / 255.0 - (0.485, 0.456, 0.406)[ch]) / (0.229, 0.224, 0.225)[ch]
        assert_close(y[0, ch], np.full((24, 40), want), 1e-5, f"constant channel {ch}")


@image_test
def image_jpeg_close_to_pillow(c):
    try:
        from PIL import Image
    except ImportError:
        raise AssertionError("Pillow is not installed in the venv (./dev.sh deps)")
    rgb = ref.smooth_rgb(240, 320, seed=3)
    p = c.path("photo.jpg")
    Image.fromarray(rgb).save(p, quality=95, subsampling=0)
    with Image.open(p) as im:
        decoded = np.asarray(im.convert("RGB"))
    y = run_image(c, c.args.image_rgb, p)
    want = ref.preprocess(decoded, 224, 224)
    # Decoders differ in IDCT rounding: a few 1/255 steps at most.
    assert_close(y, want, 0.05, "JPEG vs Pillow decode")
    check(float(np.mean(np.abs(y - want))) < 0.01, "JPEG mean error")
    # 4:2:0 chroma and grayscale JPEGs decode too.
    p420 = c.path("photo420.jpg")
    Image.fromarray(rgb).save(p420, quality=90, subsampling=2)
    with Image.open(p420) as im:
        decoded = np.asarray(im.convert("RGB"))
    y = run_image(c, c.args.image_wide, p420)
    # Chroma upsampling differs between decoders too.
    assert_close(y, ref.preprocess(decoded, 24, 40), 0.08, "4:2:0 JPEG vs Pillow")
    pg = c.path("gray.jpg")
    Image.fromarray(rgb[:, :, 1]).save(pg, quality=95)
    with Image.open(pg) as im:
        decoded = ref.to_rgb8(np.asarray(im))
    y = run_image(c, c.args.image_rgb, pg)
    assert_close(y, ref.preprocess(decoded, 224, 224), 0.05, "gray JPEG vs Pillow")


@image_test
def image_errors(c):
    good = ref.png_bytes(ref.smooth_rgb(20, 20))
    out = c.path("never_img.npy")
    missing = c.path("no_such_image.png")
    expect_failure(c.run(c.args.image_rgb, "--image", missing, "--output", out),
                   f"{missing}: cannot open", code=1)
    for name, data in (("truncated.png", good[: len(good) // 2]),
                       ("garbage.png", bytes(range(256)) * 4),
                       ("empty.jpg", b""),
                       ("bad_header.jpg", b"\xff\xd8\xff" + b"\x00" * 64)):
        p = write(c, name, data)
        r = c.run(c.args.image_rgb, "--image", p, "--output", out)
        expect_failure(r, f"{p}: cannot decode image: ", code=1)
        reason = r.stderr.split("cannot decode image: ", 1)[1].split(" (supported")[0]
        check(reason.strip() and "unknown error" not in reason, f"no stb reason: {r.stderr}")
    check(not os.path.exists(out), "no output after a failed --image")
    p = write(c, "ok.png", good)
    expect_failure(c.run(c.args.image_gray, "--image", p),
                   "input 'x' of shape (1, 1, 8, 8) has 1 channel(s); --image gives 3", code=1)
    expect_failure(c.run(c.args.affine, "--image", p),
                   "input 'x' has shape (2, 10); --image needs an NCHW RGB input", code=1)
    expect_failure(c.run(c.args.pair, "--image", p), "the model has 2 inputs", code=1)
    xp = c.save("img_x.npy", np.zeros((1, 3, 224, 224), np.float32))
    expect_failure(c.run(c.args.image_rgb, "--image", p, "--input", xp),
                   "--image and --input cannot be used together", code=2)
    expect_failure(c.run(c.args.image_rgb, "--input", xp, "--no-normalize"),
                   "--no-normalize only applies to --image", code=2)
    expect_failure(c.run(c.args.image_rgb, "--image", p, "--image", p),
                   "only one --image", code=2)
    expect_failure(c.run(c.args.image_rgb, "--image"), "--image needs a value", code=2)
    # --input still works on an image model.
    r = c.run(c.args.image_rgb, "--input", xp)
    check(r.returncode == 0, r.stderr)


@image_test
def image_help(c):
    r = c.run(c.args.image_rgb, "--help")
    check(r.returncode == 0, r.stderr)
    for needle in ("--image FILE", "--no-normalize", "round(max(H, W) * 256 / 224)",
                   "(0.485, 0.456, 0.406)", "(0.229, 0.224, 0.225)", "half-pixel"):
        check(needle in r.stdout, f"{needle!r} not in --help:\n{r.stdout}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--affine", required=True)
    ap.add_argument("--pair", required=True)
    ap.add_argument("--broken", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--image-rgb", help="fixture 'image': [1,3,224,224] -> copy")
    ap.add_argument("--image-wide", help="fixture 'image_wide': [1,3,24,40] -> copy")
    ap.add_argument("--image-gray", help="fixture 'image_gray': [1,1,8,8]")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--wrapper", default="")
    args = ap.parse_args()
    c = Ctx(args)
    failed = 0
    tests = list(TESTS)
    if args.image_rgb and args.image_wide and args.image_gray:
        tests += IMAGE_TESTS
    for t in tests:
        if args.only and t.__name__ not in args.only:
            continue
        try:
            t(c)
            print(f"PASS {t.__name__}")
        except Exception as e:  # report every case, then fail
            failed += 1
            print(f"FAIL {t.__name__}: {e}")
    print(f"{failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
