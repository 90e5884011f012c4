#!/usr/bin/env bash
# ===- cross_aarch64_test.sh - the runtime as the driver builds it for arm64 -===#
#
# Compiles the runtime sources with aarch64-linux-gnu-gcc (-std=c11, all
# warnings as errors), links the CLI fixtures with an arm-64-linux Halide
# runtime object from gengen, and runs the CLI suite under qemu-aarch64.
#   cross_aarch64_test.sh GENGEN HALIDE_INCLUDE PYTHON WORKDIR
#
# ===----------------------------------------------------------------------===#
set -euo pipefail
GENGEN=$1 HALIDE_INCLUDE=$2 PYTHON=$3 WORK=$4
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RT="$(cd "$HERE/../../runtime" && pwd)"
CC=aarch64-linux-gnu-gcc
mkdir -p "$WORK"
"$GENGEN" -r kiln_halide_runtime -o "$WORK" -e object target=arm-64-linux
CFLAGS=(-std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -I"$RT" -I"$HALIDE_INCLUDE")
# The shared sources once (every runtime source: the library's in runtime/,
# the executables' in runtime/main/), then one executable per fixture model.
common=()
for src in "$HERE/fixture_models.c" "$RT"/*.c "$RT"/main/*.c; do
  obj="$WORK/$(basename "${src%.c}").o"
  "$CC" "${CFLAGS[@]}" -c "$src" -o "$obj"
  common+=("$obj")
done
for model in affine pair broken image image_wide image_gray; do
  "$CC" "${CFLAGS[@]}" "$HERE/cli_${model}_main.c" "${common[@]}" \
    "$WORK/kiln_halide_runtime.o" -o "$WORK/kiln_cli_$model" -lpthread -ldl -lm
done
exec "$PYTHON" "$HERE/cli_test.py" --affine "$WORK/kiln_cli_affine" \
  --pair "$WORK/kiln_cli_pair" --broken "$WORK/kiln_cli_broken" \
  --image-rgb "$WORK/kiln_cli_image" --image-wide "$WORK/kiln_cli_image_wide" \
  --image-gray "$WORK/kiln_cli_image_gray" \
  --workdir "$WORK/cli" --wrapper "qemu-aarch64 -L /usr/aarch64-linux-gnu"
