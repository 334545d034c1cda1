#!/usr/bin/env bash
# Configures (once) and builds seqc into build/. Incremental on re-runs.
#   SEQC_BUILD_DIR   build directory (default build/)
#   SEQC_BUILD_TYPE  CMake build type (default Release)
#   SEQC_CMAKE_ARGS  more configure arguments (scripts/sanitize.sh uses it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_BUILD_DIR:-$ROOT/build}"
JOBS="${SEQC_JOBS:-$(nproc)}"

if [[ ! -f "$BUILD/build.ninja" ]]; then
  LAUNCHER=()
  if command -v ccache >/dev/null; then
    LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$ROOT" -B "$BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE="${SEQC_BUILD_TYPE:-Release}" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_DIR=/usr/lib/llvm-22/lib/cmake/llvm \
    "${LAUNCHER[@]}" ${SEQC_CMAKE_ARGS:-}
fi
cmake --build "$BUILD" -j "$JOBS"
