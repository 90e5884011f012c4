# ===- image_reference.py - NumPy reference of the --image preprocessing ---===#
#
# An independent implementation of what runtime/main/image.c documents
# (vectorized NumPy in float64), plus minimal PNG and PPM writers so the
# tests can make exact 8/16-bit, gray/RGB/RGBA images without Pillow.
#
# ===----------------------------------------------------------------------===#
import struct
import zlib

import numpy as np

MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])


def resized_size(img_h, img_w, height, width):
    """(rh, rw): shorter side round(max(H, W) * 256 / 224), aspect kept."""
    side = round(max(height, width) * 256 / 224)
    if img_w <= img_h:
        return side * img_h // img_w, side
    return side, side * img_w // img_h


def _taps(out_size, in_size, first, count):
    dst = np.arange(first, first + count, dtype=np.float64)
    src = np.maximum((dst + 0.5) * (in_size / out_size) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    hi = np.minimum(lo + 1, in_size - 1)
    return lo, hi, src - lo


def bilinear(rgb, out_h, out_w, top=0, left=0, height=None, width=None):
    """Rows [top, top+height) x cols [left, left+width) of the half-pixel
    bilinear resize of rgb (h, w, 3) to (out_h, out_w); float64."""
    height = out_h if height is None else height
    width = out_w if width is None else width
    img = rgb.astype(np.float64)
    ylo, yhi, fy = _taps(out_h, img.shape[0], top, height)
    xlo, xhi, fx = _taps(out_w, img.shape[1], left, width)
    rows = img[ylo] * (1 - fy)[:, None, None] + img[yhi] * fy[:, None, None]
    return rows[:, xlo] * (1 - fx)[None, :, None] + rows[:, xhi] * fx[None, :, None]


def crop_offsets(rh, rw, height, width):
    # Python's round() ties to even, like torchvision's CenterCrop.
    return int(round((rh - height) / 2.0)), int(round((rw - width) / 2.0))


def preprocess(rgb, height, width, normalize=True):
    """uint8 (h, w, 3) -> float32 (1, 3, height, width)."""
    rh, rw = resized_size(rgb.shape[0], rgb.shape[1], height, width)
    top, left = crop_offsets(rh, rw, height, width)
    v = bilinear(rgb, rh, rw, top, left, height, width) / 255.0
    if normalize:
        v = (v - MEAN) / STD
    return v.transpose(2, 0, 1)[None].astype(np.float32)


def to_rgb8(pixels):
    """What the decoder hands on: 8-bit RGB from gray/RGB/RGBA, 8 or 16 bit."""
    p = np.asarray(pixels)
    if p.dtype == np.uint16:
        p = (p >> 8).astype(np.uint8)
    if p.ndim == 2:
        p = np.repeat(p[:, :, None], 3, axis=2)
    return np.ascontiguousarray(p[:, :, :3])


def png_bytes(pixels):
    """PNG of (h, w) gray or (h, w, 3|4) RGB/RGBA, uint8 or uint16."""
    p = np.asarray(pixels)
    color = 0 if p.ndim == 2 else {1: 0, 3: 2, 4: 6}[p.shape[2]]
    depth = 16 if p.dtype == np.uint16 else 8
    rows = p.astype(">u2" if depth == 16 else np.uint8).reshape(p.shape[0], -1)
    raw = b"".join(b"\x00" + r.tobytes() for r in rows)  # filter 0 per row

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", p.shape[1], p.shape[0], depth, color, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def ppm_bytes(rgb):
    """Binary PPM (P6) of uint8 (h, w, 3)."""
    h, w = rgb.shape[:2]
    return b"P6\n%d %d\n255\n" % (w, h) + np.ascontiguousarray(rgb, np.uint8).tobytes()


def smooth_rgb(h, w, seed=0):
    """A smooth color image (JPEG-friendly) with some structure."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    chans = []
    for _ in range(3):
        fy, fx, ph = rng.uniform(0.5, 2.5), rng.uniform(0.5, 2.5), rng.uniform(0, 6)
        chans.append(127.5 + 100 * np.sin(2 * np.pi * (fy * y / h + fx * x / w) + ph))
    return np.clip(np.stack(chans, axis=2), 0, 255).round().astype(np.uint8)
