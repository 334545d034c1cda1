#!/usr/bin/env bash
# Builds and runs a libFuzzer target (ASan + UBSan) from tools/seqc-fuzz.
#
#   scripts/fuzz.sh npy|parse|compile [LIBFUZZER FLAGS...]
#       e.g. scripts/fuzz.sh npy -runs=1000000
#            scripts/fuzz.sh compile -max_total_time=300
#
# npy: the .npy reader; parse: parsing and verifying model files; compile:
# what verifies, compiled through the CPU pipeline to LLVM IR and the sm_90
# pipeline to PTX. parse and compile are seeded with every dialect test case
# and example. The targets live in the instrumented build (build-san/, see
# scripts/sanitize.sh): all of seqc carries ASan, UBSan and coverage.
#
# The corpus grows under build-san/fuzz/<target>/corpus (seeded from
# tools/seqc-fuzz/corpus/<target>); a crash is written to
# build/fuzz/<target>/crash-* and stops the run with a non-zero status:
# turn it into a regression test (test/Driver/limits.test shows how).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_SAN_BUILD_DIR:-$ROOT/build-san}"
TARGET="${1:?usage: scripts/fuzz.sh npy|parse|compile [libFuzzer flags...]}"
shift

"$ROOT/scripts/sanitize.sh" build >/dev/null
cmake --build "$BUILD" --target "seqc-fuzz-$TARGET"

WORK="$BUILD/fuzz/$TARGET"
mkdir -p "$WORK/corpus"
if [[ "$TARGET" == parse || "$TARGET" == compile ]]; then
  # Seeds: every case of the dialect tests (split at "// -----") and every
  # example model.
  python3 - "$ROOT" "$WORK/corpus" <<'PY'
import glob, os, sys
root, out = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(root, "test/Dialect/*/*.mlir")) +
               glob.glob(os.path.join(root, "examples/*.mlir")) +
               glob.glob(os.path.join(root, "examples/seq/*.mlir")))
n = 0
for path in files:
    for case in open(path).read().split("// -----"):
        with open(os.path.join(out, "seed-%04d.mlir" % n), "w") as f:
            f.write(case)
        n += 1
PY
else
  cp -n "$ROOT/tools/seqc-fuzz/corpus/$TARGET"/* "$WORK/corpus/" 2>/dev/null || true
fi
DICT=()
# compile reads the same model files as parse: one dictionary.
DICT_NAME="$TARGET"
[[ "$TARGET" == compile ]] && DICT_NAME=parse
[[ -f "$ROOT/tools/seqc-fuzz/$DICT_NAME.dict" ]] &&
  DICT=(-dict="$ROOT/tools/seqc-fuzz/$DICT_NAME.dict")
source "$ROOT/scripts/sanitizer-env.sh"
exec "$BUILD/bin/seqc-fuzz-$TARGET" "${DICT[@]}" -artifact_prefix="$WORK/" \
  -print_final_stats=1 "$@" "$WORK/corpus"
