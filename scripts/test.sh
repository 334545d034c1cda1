#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: the lit
# regression tests and the gtest unit tests. Exit status is non-zero if any
# test fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SEQC_BUILD_DIR:-$ROOT/build}"

"$ROOT/scripts/setup-deps.sh"
"$ROOT/scripts/build.sh"

status=0
echo "== lit regression suite =="
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" || status=1
echo "== gtest unit tests =="
"$BUILD/bin/seqc-unittests" --gtest_brief=1 || status=1
# The instrumented build (ASan + UBSan, build-san/) runs the gtest suite and
# a short, seeded fuzz smoke run of the three libFuzzer targets: about 25
# minutes on a fresh 2-core machine, most of it building. The whole lit
# suite under the sanitizers: scripts/sanitize.sh; longer fuzzing:
# scripts/fuzz.sh npy|parse|compile -runs=N.
echo "== gtest unit tests, ASan + UBSan build =="
"$ROOT/scripts/sanitize.sh" gtest >"$BUILD/sanitize-gtest.log" 2>&1 &&
  tail -1 "$BUILD/sanitize-gtest.log" ||
  { tail -60 "$BUILD/sanitize-gtest.log"; status=1; }
echo "== fuzz smoke (libFuzzer, ASan + UBSan) =="
fuzz_smoke() {
  local target="$1"
  shift
  "$ROOT/scripts/fuzz.sh" "$target" -seed=1 "$@" >"$BUILD/fuzz-$target.log" 2>&1 &&
    echo "seqc-fuzz-$target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$BUILD/fuzz-$target.log")" ||
    { tail -40 "$BUILD/fuzz-$target.log"; status=1; }
}
fuzz_smoke npy -runs=200000
fuzz_smoke parse -runs=50000 -max_len=8192
fuzz_smoke compile -runs=3000 -max_len=8192 -max_total_time=180
if [[ $status -eq 0 ]]; then echo "seqc: all tests passed"; else echo "seqc: TESTS FAILED"; fi
exit $status
