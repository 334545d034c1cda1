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
# A short, seeded fuzz smoke run of both targets (ASan + UBSan): about 2
# minutes, most of it building the parse target. Longer runs:
# scripts/fuzz.sh npy|parse -runs=N.
echo "== fuzz smoke (libFuzzer, ASan + UBSan) =="
"$ROOT/scripts/fuzz.sh" npy -seed=1 -runs=200000 >"$BUILD/fuzz-npy.log" 2>&1 &&
  echo "seqc-fuzz-npy: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$BUILD/fuzz-npy.log")" ||
  { tail -40 "$BUILD/fuzz-npy.log"; status=1; }
"$ROOT/scripts/fuzz.sh" parse -seed=1 -runs=50000 -max_len=8192 >"$BUILD/fuzz-parse.log" 2>&1 &&
  echo "seqc-fuzz-parse: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$BUILD/fuzz-parse.log")" ||
  { tail -40 "$BUILD/fuzz-parse.log"; status=1; }
if [[ $status -eq 0 ]]; then echo "seqc: all tests passed"; else echo "seqc: TESTS FAILED"; fi
exit $status
