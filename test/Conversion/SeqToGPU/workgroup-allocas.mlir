// RUN: seq-opt %s -split-input-file -seq-workgroup-allocas -verify-diagnostics | FileCheck %s

// An alloca marked seq.workgroup in a kernel becomes the block's shared
// memory: a workgroup attribution of its launch.
// CHECK-LABEL: func.func @carry_scratch
// CHECK:       gpu.launch {{.*}} workgroup(%[[SHARED:.*]] : memref<4xf32, #gpu.address_space<workgroup>>)
// CHECK-NOT:     memref.alloca
// CHECK:         memref.store %{{.*}}, %[[SHARED]][%{{.*}}] : memref<4xf32, #gpu.address_space<workgroup>>
// CHECK:         gpu.barrier
// CHECK:         memref.load %[[SHARED]]
func.func @carry_scratch(%out: memref<128xf32>) {
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %c32 = arith.constant 32 : index
  %c0 = arith.constant 0 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c128, %sy = %c1, %sz = %c1) {
    %scratch = memref.alloca() {seq.workgroup} : memref<4xf32>
    %warp = arith.divui %tx, %c32 : index
    %v = memref.load %out[%tx] : memref<128xf32>
    memref.store %v, %scratch[%warp] : memref<4xf32>
    gpu.barrier
    %w = memref.load %scratch[%c0] : memref<4xf32>
    memref.store %w, %out[%tx] : memref<128xf32>
    gpu.terminator
  }
  return
}

// -----

func.func @outside_a_kernel() {
  // expected-error @below {{'memref.alloca' op marked seq.workgroup outside a gpu.launch body}}
  %scratch = memref.alloca() {seq.workgroup} : memref<4xf32>
  return
}
