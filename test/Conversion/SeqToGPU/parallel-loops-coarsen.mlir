// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu,seq-promote-kernel-accumulators))' | FileCheck %s

// A reduction whose R operand does not depend on the batch dimension (4
// rows): that dimension runs inside each thread (seq.coarsened), so the
// launch covers only the 96 columns; with default min-blocks the block
// shrinks to a warp: 3 blocks of 32 threads.
// seq-promote-kernel-accumulators then jams the 4 rows into the reduction:
// one load of R per step for 4 accumulators.
// CHECK-LABEL: func.func @rows_times_matrix
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c32
// CHECK:           scf.if
// CHECK:             scf.for %[[K:.*]] = %c0 to %c64 step %c1 iter_args({{.*}}) -> (f32, f32, f32, f32) {
// CHECK-COUNT-4:       memref.load %arg0[%{{.*}}, %[[K]]]
// CHECK:               scf.yield
// CHECK:             }
// CHECK-COUNT-4:     memref.store {{.*}}, %arg2
// CHECK:         } {seq.coarsened_dim = 0 : i64, seq.kernel = "parallel_loop"}
func.func @rows_times_matrix(%h: memref<4x64xf32>, %r: memref<64x96xf32>, %out: memref<4x96xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c96 = arith.constant 96 : index
  scf.parallel (%b, %n) = (%c0, %c0) to (%c4, %c96) step (%c1, %c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %x = memref.load %h[%b, %k] : memref<4x64xf32>
      %y = memref.load %r[%k, %n] : memref<64x96xf32>
      %acc = memref.load %out[%b, %n] : memref<4x96xf32>
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %acc, %p : f32
      memref.store %s, %out[%b, %n] : memref<4x96xf32>
    }
    scf.reduce
  }
  return
}
