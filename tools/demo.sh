#!/usr/bin/env bash
# The demo behind `./dev.sh demo`: compile the bundled demo CNN (built with
# seeded weights by models/testnets/make_models.py) to a native executable,
# run it on the bundled input, print the top-5 classes and the latency.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"
MODEL_DIR="$BUILD/models/democnn"
OUT_DIR="$BUILD/demo"
mkdir -p "$OUT_DIR"
echo "== kiln compile $MODEL_DIR/model.onnx -> $OUT_DIR/democnn"
"$BUILD/bin/kiln" compile "$MODEL_DIR/model.onnx" -o "$OUT_DIR/democnn" --target=host --emit=exe
echo "== $OUT_DIR/democnn --input input_0.npy --output output.npy --repeat 20"
"$OUT_DIR/democnn" --input "$MODEL_DIR/input_0.npy" --output "$OUT_DIR/output.npy" --repeat 20
