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
if [[ $status -eq 0 ]]; then echo "seqc: all tests passed"; else echo "seqc: TESTS FAILED"; fi
exit $status
