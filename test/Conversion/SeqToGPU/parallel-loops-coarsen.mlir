// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu{min-threads=96},seq-promote-kernel-accumulators{unroll=1}))' | FileCheck %s

// A reduction whose R operand does not depend on the batch dimension (4
// rows): 4 rows run inside each thread (seq.coarsened; min-threads 96
// allows the whole dimension), so the launch covers only the 96 columns;
// with default min-blocks the block shrinks to a warp: 3 blocks of 32.
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
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<parallel_loop, coarsened_dim = 0, coarsened_factor = 4>}
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

// Keeping 8192 threads, a 16 x 768 x 3072 step runs 4 rows per thread
// (12288 threads) rather than all 16 (3072); with the defaults (65536
// threads, or at most 1024 multiply-adds per thread) it is not coarsened.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu{min-threads=8192}))' | FileCheck %s --check-prefix=PARTIAL
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu))' | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-LABEL: func.func @rnn_step
// DEFAULT-NOT:     seq.coarsened
// DEFAULT:       } {seq.gpu_kernel = #seq.gpu_kernel<parallel_loop>}
// PARTIAL-LABEL: func.func @rnn_step
// PARTIAL:         scf.for %{{.*}} = %c0{{.*}} to %c4{{.*}} step %c1
// PARTIAL:         } {seq.coarsened}
// PARTIAL:       } {seq.gpu_kernel = #seq.gpu_kernel<parallel_loop, coarsened_dim = 0, coarsened_factor = 4>}
func.func @rnn_step(%h: memref<16x768xf32>, %r: memref<768x3072xf32>, %out: memref<16x3072xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c768 = arith.constant 768 : index
  %c3072 = arith.constant 3072 : index
  scf.parallel (%b, %n) = (%c0, %c0) to (%c16, %c3072) step (%c1, %c1) {
    scf.for %k = %c0 to %c768 step %c1 {
      %x = memref.load %h[%b, %k] : memref<16x768xf32>
      %y = memref.load %r[%k, %n] : memref<768x3072xf32>
      %acc = memref.load %out[%b, %n] : memref<16x3072xf32>
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %acc, %p : f32
      memref.store %s, %out[%b, %n] : memref<16x3072xf32>
    }
    scf.reduce
  }
  return
}
