#!/usr/bin/env bash
# The instrumented build: every seqc target with AddressSanitizer and
# UndefinedBehaviorSanitizer (plus libFuzzer's coverage, so that the fuzz
# targets of scripts/fuzz.sh live in the same build), in build-san/.
#
#   scripts/sanitize.sh          build, then the whole suite: lit and gtest
#   scripts/sanitize.sh gtest    build, then the gtest suite only
#   scripts/sanitize.sh build    build only
#
# Any sanitizer report fails the run (-fno-sanitize-recover=all, and ASan
# and UBSan abort with a non-zero status). LLVM and MLIR are Debian's,
# uninstrumented, and so is the code seqc generates: the reports cover
# seqc's own code and the memory it hands to or takes from the rest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SEQC_BUILD_DIR="${SEQC_SAN_BUILD_DIR:-$ROOT/build-san}"
MODE="${1:-all}"

if ! ls /usr/lib/llvm-22/lib/clang/22/lib/linux/libclang_rt.asan-*.a \
    >/dev/null 2>&1; then
  echo "== installing libclang-rt-22-dev (sanitizer and libFuzzer runtimes) =="
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y libclang-rt-22-dev
fi
SEQC_CMAKE_ARGS="-DSEQC_SANITIZE=address;undefined -DSEQC_FUZZ=ON" \
  "$ROOT/scripts/build.sh"
[[ "$MODE" == build ]] && exit 0

source "$ROOT/scripts/sanitizer-env.sh"
status=0
if [[ "$MODE" == all ]]; then
  echo "== lit regression suite (ASan + UBSan) =="
  /usr/lib/llvm-22/bin/lit -sv "$SEQC_BUILD_DIR/test" || status=1
fi
echo "== gtest unit tests (ASan + UBSan) =="
"$SEQC_BUILD_DIR/bin/seqc-unittests" --gtest_brief=1 || status=1
exit $status
