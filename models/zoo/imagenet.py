# ===- imagenet.py - ImageNet preprocessing and the class names we need ---=== #
#
# preprocess() is an independent NumPy implementation of the recipe the Kiln
# executables apply for `--image` (runtime/README.md): shorter side resized
# to round(max(H, W) * 256 / 224) with half-pixel bilinear (no antialias),
# center crop (offsets rounded half to even), /255, per-channel mean/std,
# NCHW float32. Arithmetic in float64, rounded to float32 once.
#
# ===----------------------------------------------------------------------=== #

import numpy as np

MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])

# Only the classes the zoo's checks and reports mention (no network access to
# fetch the full list at set-up time). Indices are the standard ILSVRC-2012
# order used by torchvision and TF.
CLASS_NAMES = {
    281: "tabby, tabby cat",
    282: "tiger cat",
    283: "Persian cat",
    284: "Siamese cat, Siamese",
    285: "Egyptian cat",
    287: "lynx, catamount",
    504: "coffee mug",
    967: "espresso",
    968: "cup",
    809: "soup bowl",
    828: "strainer",
}
CAT_CLASSES = (281, 282, 285)


def class_name(idx):
    return CLASS_NAMES.get(int(idx), f"class {int(idx)}")


def _resize_axis(n_in, n_out):
    """Half-pixel bilinear taps along one axis: (lo, hi, frac)."""
    src = (np.arange(n_out, dtype=np.float64) + 0.5) * (n_in / n_out) - 0.5
    src = np.clip(src, 0.0, n_in - 1)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    return lo, hi, src - lo


def preprocess(rgb, height=224, width=224, normalize=True):
    """uint8 (h, w, 3) RGB -> float32 (1, 3, height, width)."""
    h, w = rgb.shape[:2]
    side = round(max(height, width) * 256 / 224)
    if h <= w:
        rh, rw = side, side * w // h
    else:
        rh, rw = side * h // w, side
    top = int(round((rh - height) / 2.0))
    left = int(round((rw - width) / 2.0))
    ylo, yhi, fy = _resize_axis(h, rh)
    xlo, xhi, fx = _resize_axis(w, rw)
    ylo, yhi, fy = ylo[top:top + height], yhi[top:top + height], fy[top:top + height]
    xlo, xhi, fx = xlo[left:left + width], xhi[left:left + width], fx[left:left + width]
    img = rgb.astype(np.float64)
    rows = img[ylo] * (1 - fy)[:, None, None] + img[yhi] * fy[:, None, None]
    v = rows[:, xlo] * (1 - fx)[None, :, None] + rows[:, xhi] * fx[None, :, None]
    v = v / 255.0
    if normalize:
        v = (v - MEAN) / STD
    return np.ascontiguousarray(v.transpose(2, 0, 1)[None], dtype=np.float32)
