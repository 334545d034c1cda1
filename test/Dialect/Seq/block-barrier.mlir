// RUN: seq-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: seq-opt %s -split-input-file -verify-diagnostics -pass-pipeline='builtin.module(func.func(seq-lower-block-barriers))' | FileCheck %s --check-prefix=LOWERED

// CHECK-LABEL: func.func @in_kernel
// CHECK:         gpu.launch
// CHECK:           seq.block_barrier
// LOWERED-LABEL: func.func @in_kernel
// LOWERED:         gpu.barrier
// LOWERED-NOT:     seq.block_barrier
func.func @in_kernel() {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    seq.block_barrier
    gpu.terminator
  }
  return
}

// -----

func.func @on_host() {
  // expected-error @+1 {{'seq.block_barrier' op synchronizes the threads of a GPU block and must be inside a gpu.launch}}
  seq.block_barrier
  return
}
