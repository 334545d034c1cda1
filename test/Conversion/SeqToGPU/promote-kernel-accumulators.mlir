// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-promote-kernel-accumulators{unroll=4}))' | FileCheck %s

// A linalg reduction inside a kernel: the output element moves into an
// iteration argument (one load before, one store after) and the loop is
// unrolled by 4.
// CHECK-LABEL: func.func @dot
// CHECK:         gpu.launch
// CHECK:           %[[INIT:.*]] = memref.load %arg2[%[[I:.*]]] : memref<32xf32>
// CHECK:           %[[SUM:.*]] = scf.for %[[K:.*]] = %c0 to %c64 step %c4 iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CHECK-COUNT-4:     arith.addf
// CHECK-NOT:         memref.store
// CHECK:             scf.yield
// CHECK:           }
// CHECK:           memref.store %[[SUM]], %arg2[%[[I]]] : memref<32xf32>
func.func @dot(%a: memref<32x64xf32>, %b: memref<64xf32>, %out: memref<32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%i, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %x = memref.load %a[%i, %k] : memref<32x64xf32>
      %y = memref.load %b[%k] : memref<64xf32>
      %acc = memref.load %out[%i] : memref<32xf32>
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %acc, %p : f32
      memref.store %s, %out[%i] : memref<32xf32>
    }
    gpu.terminator
  }
  return
}

// A store whose index moves with the loop (a scan writing every step) is
// left alone, and so is a loop outside kernels.
// CHECK-LABEL: func.func @scan
// CHECK:         scf.for
// CHECK:           memref.load %arg0
// CHECK:           memref.store
// CHECK:         scf.for
// CHECK:           memref.store {{.*}}, %arg1[%{{.*}}]
func.func @scan(%in: memref<64xf32>, %out: memref<64xf32>, %acc: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %k = %c0 to %c64 step %c1 {
    %x = memref.load %in[%k] : memref<64xf32>
    %a = memref.load %acc[%c0] : memref<1xf32>
    %s = arith.addf %a, %x : f32
    memref.store %s, %acc[%c0] : memref<1xf32>
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %x = memref.load %in[%k] : memref<64xf32>
      memref.store %x, %out[%k] : memref<64xf32>
    }
    gpu.terminator
  }
  return
}
