#!/usr/bin/env bash
# Builds and runs a libFuzzer target (ASan + UBSan) from tools/seqc-fuzz.
#
#   scripts/fuzz.sh npy [LIBFUZZER FLAGS...]
#       e.g. scripts/fuzz.sh npy -runs=1000000
#            scripts/fuzz.sh npy -max_total_time=300
#
# The corpus grows under build/fuzz/<target>/corpus (seeded from
# tools/seqc-fuzz/corpus/<target>); a crash is written to
# build/fuzz/<target>/crash-* and stops the run with a non-zero status:
# turn it into a regression test (test/Driver/limits.test shows how).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_BUILD_DIR:-$ROOT/build}"
TARGET="${1:?usage: scripts/fuzz.sh npy [libFuzzer flags...]}"
shift

if [[ ! -d /usr/lib/llvm-22/lib/clang/22/lib/linux ]] ||
   ! ls /usr/lib/llvm-22/lib/clang/22/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  echo "== installing libclang-rt-22-dev (libFuzzer, sanitizer runtimes) =="
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y libclang-rt-22-dev
fi

"$ROOT/scripts/build.sh" >/dev/null
cmake -S "$ROOT" -B "$BUILD" -DSEQC_FUZZ=ON >/dev/null
cmake --build "$BUILD" --target "seqc-fuzz-$TARGET"

WORK="$BUILD/fuzz/$TARGET"
mkdir -p "$WORK/corpus"
cp -n "$ROOT/tools/seqc-fuzz/corpus/$TARGET"/* "$WORK/corpus/" 2>/dev/null || true
DICT=()
[[ -f "$ROOT/tools/seqc-fuzz/$TARGET.dict" ]] &&
  DICT=(-dict="$ROOT/tools/seqc-fuzz/$TARGET.dict")
exec "$BUILD/bin/seqc-fuzz-$TARGET" "${DICT[@]}" -artifact_prefix="$WORK/" \
  -print_final_stats=1 "$@" "$WORK/corpus"
