# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: how the instrumented
# binaries report.
#
# allow_user_poisoning=0: LLVM's allocators (BumpPtrAllocator and friends)
# are header code, so the instrumented seqc code poisons their slabs, while
# MLIR itself (Debian's, uninstrumented) reads those slabs unpoisoned; that
# is a false use-after-poison. User poisoning off, ASan's own checks on.
export ASAN_OPTIONS="allow_user_poisoning=0:abort_on_error=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
