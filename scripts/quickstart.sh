#!/usr/bin/env bash
# The README's main job: install what is missing, build, and run seqc on an
# example model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_BUILD_DIR:-$ROOT/build}"
EXAMPLE="${1:-$ROOT/examples/lstm.mlir}"

"$ROOT/scripts/setup-deps.sh"
"$ROOT/scripts/build.sh"

echo "== $EXAMPLE: parsed, verified and printed by seq-opt =="
"$BUILD/bin/seq-opt" "$EXAMPLE"
echo "== the same model in generic form, parsed back and verified again =="
"$BUILD/bin/seq-opt" "$EXAMPLE" --mlir-print-op-generic | "$BUILD/bin/seq-opt" -o /dev/null
echo "seqc: $EXAMPLE round-trips"
