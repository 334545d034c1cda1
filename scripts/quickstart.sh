#!/usr/bin/env bash
# The README's main job: install what is missing, build, and run seqc on an
# example model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_BUILD_DIR:-$ROOT/build}"
EXAMPLE="${1:-$ROOT/examples/seq/lstm.mlir}"

"$ROOT/scripts/setup-deps.sh"
"$ROOT/scripts/build.sh"

echo "== compile $EXAMPLE for the CPU, run it, check it against the reference =="
"$BUILD/bin/seqc" run "$EXAMPLE" --target=cpu --check
echo "== the same model as a shared library with a C ABI =="
"$BUILD/bin/seqc" compile "$EXAMPLE" --target=cpu -o "$BUILD/quickstart"
# GPU code needs no GPU to build: only the CUDA toolkit's ptxas.
if [[ -x /usr/local/cuda/bin/ptxas ]] || command -v ptxas >/dev/null; then
  echo "== the same model as a GPU bundle for sm_90 (run it on a GPU machine with seqc-gpu-check) =="
  "$BUILD/bin/seqc" compile "$EXAMPLE" --target=sm_90 -o "$BUILD/quickstart/sm_90"
  grep -E "Used|spill" "$BUILD/quickstart/sm_90/"*.ptxas.txt | head -6
else
  echo "== no CUDA toolkit (ptxas) here: skipping the GPU bundle =="
fi
