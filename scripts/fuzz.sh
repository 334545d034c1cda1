#!/usr/bin/env bash
# Builds and runs a libFuzzer target (ASan + UBSan) from tools/seqc-fuzz.
#
#   scripts/fuzz.sh npy|parse [LIBFUZZER FLAGS...]
#       e.g. scripts/fuzz.sh npy -runs=1000000
#            scripts/fuzz.sh parse -max_total_time=300
#
# npy: the .npy reader; parse: parsing and verifying model files (the seq
# and seqnn dialects instrumented, seeded with every dialect test case and
# example).
#
# The corpus grows under build/fuzz/<target>/corpus (seeded from
# tools/seqc-fuzz/corpus/<target>); a crash is written to
# build/fuzz/<target>/crash-* and stops the run with a non-zero status:
# turn it into a regression test (test/Driver/limits.test shows how).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_BUILD_DIR:-$ROOT/build}"
TARGET="${1:?usage: scripts/fuzz.sh npy|parse [libFuzzer flags...]}"
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
if [[ "$TARGET" == parse ]]; then
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
[[ -f "$ROOT/tools/seqc-fuzz/$TARGET.dict" ]] &&
  DICT=(-dict="$ROOT/tools/seqc-fuzz/$TARGET.dict")
# parse: MLIR is Debian's, uninstrumented; LLVM's allocators inlined into
# the instrumented dialect code poison their slabs for ASan, and MLIR's own
# (uninstrumented) reads of those slabs would be reported as
# use-after-poison: user poisoning off, ASan's own checks on.
[[ "$TARGET" == parse ]] &&
  export ASAN_OPTIONS="allow_user_poisoning=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
exec "$BUILD/bin/seqc-fuzz-$TARGET" "${DICT[@]}" -artifact_prefix="$WORK/" \
  -print_final_stats=1 "$@" "$WORK/corpus"
