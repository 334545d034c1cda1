// RUN: seq-opt %s -split-input-file -verify-diagnostics \
// RUN:   -pass-pipeline='builtin.module(func.func(seq-parallel-loops-to-gpu{block-threads=128 min-blocks=1}))' | FileCheck %s

// A 3-D loop nest (5 x 7 x 300, steps 1, 1, 2 from 0, 0, 10) becomes one
// launch of ceil(5*7*145 / 128) blocks; the innermost dimension varies
// fastest across threads.
// CHECK-LABEL: func.func @nest
// CHECK:         %[[GRID:.*]] = arith.ceildivui %[[TOTAL:.*]], %c128
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[GRID]], {{.*}}) threads({{.*}}) in ({{.*}} = %c128
// CHECK:           %[[LIN:.*]] = arith.addi
// CHECK:           arith.cmpi ult, %[[LIN]], %[[TOTAL]]
// CHECK:           scf.if
// CHECK:             %[[K:.*]] = arith.remui %[[LIN]]
// CHECK:             %[[REST:.*]] = arith.divui %[[LIN]]
// CHECK:             %[[K2:.*]] = arith.muli %[[K]], %c2
// CHECK:             %[[KIV:.*]] = arith.addi %c10, %[[K2]]
// CHECK:             arith.remui %[[REST]]
// CHECK:             memref.store {{.*}}[%{{.*}}, %{{.*}}, %[[KIV]]]
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<parallel_loop>}
// CHECK-NOT:     scf.parallel
func.func @nest(%out: memref<5x7x300xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %c10 = arith.constant 10 : index
  %c300 = arith.constant 300 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c10) to (%c5, %c7, %c300) step (%c1, %c1, %c2) {
    memref.store %one, %out[%i, %j, %k] : memref<5x7x300xf32>
    scf.reduce
  }
  return
}

// -----

func.func @reduction(%in: memref<64xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{has reductions, which seq-parallel-loops-to-gpu does not map to kernels yet}}
  %sum = scf.parallel (%i) = (%c0) to (%c64) step (%c1) init (%zero) -> f32 {
    %v = memref.load %in[%i] : memref<64xf32>
    scf.reduce(%v : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

