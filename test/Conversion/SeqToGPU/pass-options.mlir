// Numeric pass options out of range are an error naming the pass and the
// option (before: seq-weight-stationary-steps{blocks=0} divided by zero).
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=0}))' 2>&1 | FileCheck %s --check-prefix=BLOCKS
// BLOCKS: error: seq-weight-stationary-steps: option 'blocks' must be at least 1, not 0
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{shared-bytes=-5}))' 2>&1 | FileCheck %s --check-prefix=SHARED
// SHARED: error: seq-weight-stationary-steps: option 'shared-bytes' must be at least 0, not -5
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-persistent-time-loops{blocks=-1}))' 2>&1 | FileCheck %s --check-prefix=PERSISTENT
// PERSISTENT: error: seq-persistent-time-loops: option 'blocks' must be at least 1, not -1
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu{block-threads=2048}))' 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: error: seq-parallel-loops-to-gpu: option 'block-threads' must be in [1, 1024], not 2048
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu{coarsen-work=0}))' 2>&1 | FileCheck %s --check-prefix=WORK
// WORK: error: seq-parallel-loops-to-gpu: option 'coarsen-work' must be at least 1, not 0
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-promote-kernel-accumulators{unroll=0}))' 2>&1 | FileCheck %s --check-prefix=UNROLL
// UNROLL: error: seq-promote-kernel-accumulators: option 'unroll' must be at least 1, not 0
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-contractions-to-mma{multiprocessors=0}))' 2>&1 | FileCheck %s --check-prefix=MMA
// MMA: error: seq-contractions-to-mma: option 'multiprocessors' must be at least 1, not 0
// RUN: not seq-opt %s --pass-pipeline='builtin.module(func.func(seq-serialize-small-parallel-loops{min-iterations=-1}))' 2>&1 | FileCheck %s --check-prefix=SERIAL
// SERIAL: error: seq-serialize-small-parallel-loops: option 'min-iterations' must be at least 0, not -1
func.func @f() {
  return
}
