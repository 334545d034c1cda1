// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3}))' | FileCheck %s
// With the time loop made persistent: the weights are staged once, before
// the first step, and a step is one kernel and one grid barrier.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3},seq-persistent-time-loops{blocks=3}))' | FileCheck %s --check-prefix=PERSISTENT
// Both compute what the step's linalg ops computed, emulated on the CPU
// (three blocks: the last owns two of the eight units, the others three).
// RUN: seqc-gpu-emulate %s --func=step --pipeline='func.func(seq-weight-stationary-steps{blocks=3},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=3})' | FileCheck %s --check-prefix=EMULATE
// EMULATE: @step: 0 -> 2 kernel launches, {{.*}}: PASS

// A recurrence's step on buffers: the gates acc[b, g, j] = sum_k h[b, k]
// R[k, g, j] (two gates), the cell h'[b, j] = tanh(acc[b, 0, j] +
// acc[b, 1, j] h[b, j]), the new state copied into the output sequence.
// Units: j (the gate g is read as a constant, b does not index R).
// CHECK-LABEL: func.func @step
// CHECK:       scf.for
// CHECK-NOT:     linalg.generic
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c3{{.*}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}}) workgroup(%[[STAGED:.*]] : memref<48xf32, #gpu.address_space<workgroup>>)
// The block's columns of R, [k][unit][gate].
// CHECK:           scf.for
// CHECK:             memref.load %arg0
// CHECK:             memref.store %{{.*}}, %[[STAGED]]
// CHECK:           } {seq.step_invariant}
// CHECK-NEXT:      gpu.barrier {seq.step_invariant}
// The gates of the block's units, R from shared memory: a thread computes
// both gates of a (row, unit); with k only 8 long, no lanes share it.
// CHECK:           scf.for
// CHECK:             scf.for {{.*}} iter_args(%{{.*}} = %cst, %{{.*}} = %cst) -> (f32, f32)
// CHECK:               memref.load %[[STAGED]]
// CHECK:               arith.mulf
// CHECK:               arith.addf
// CHECK:               memref.load %[[STAGED]]
// CHECK:             scf.if
// CHECK:               memref.store
// CHECK:               memref.store
// CHECK:           gpu.barrier
// The cell, and the copy of its output, per unit.
// CHECK:           scf.for
// CHECK:             math.tanh
// CHECK:             memref.store %[[H:.*]], %[[NEW:.*]][
// CHECK:             memref.store %[[H]], %{{.*}}[
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<weight_stationary_step, units_per_block = 3, gate_products = fma, split_k = 1>}
// CHECK-NOT:     linalg.copy
// CHECK:       } {seq.time_loop = #seq.form<sequential, variant = fused>}

// PERSISTENT-LABEL: func.func @step
// PERSISTENT:       gpu.launch {{.*}} function(@step_persistent_cooperative) workgroup(%[[STAGED:.*]] : memref<48xf32, #gpu.address_space<workgroup>>)
// PERSISTENT:         scf.for
// PERSISTENT:           memref.store %{{.*}}, %[[STAGED]]
// PERSISTENT:         } {seq.step_invariant}
// PERSISTENT-NEXT:    gpu.barrier {seq.step_invariant}
// PERSISTENT-NEXT:    scf.for
// PERSISTENT-NOT:       {seq.step_invariant}
// PERSISTENT:           memref.load %[[STAGED]]
// PERSISTENT:           gpu.barrier
// PERSISTENT:           math.tanh
// One grid barrier per step.
// PERSISTENT:           memref.atomic_rmw addi
// PERSISTENT-NOT:       memref.atomic_rmw addi %c1
// PERSISTENT:           scf.yield
#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#id = affine_map<(b, j) -> (b, j)>
func.func @step(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>, %out: memref<16x2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res:2 = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init, %owned = %false) -> (memref<2x8xf32>, i1) {
    linalg.generic {indexing_maps = [#fill], iterator_types = ["parallel", "parallel", "parallel"]} outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%o: f32):
      linalg.yield %zero : f32
    }
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x8xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc, %h : memref<2x2x8xf32>, memref<2x2x8xf32>, memref<2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %hp: f32, %o: f32):
      %b = arith.mulf %f, %hp : f32
      %a = arith.addf %i, %b : f32
      %n = math.tanh %a : f32
      linalg.yield %n : f32
    }
    %slot = memref.subview %out[%t, 0, 0] [1, 2, 8] [1, 1, 1] : memref<16x2x8xf32> to memref<2x8xf32, strided<[8, 1], offset: ?>>
    linalg.copy ins(%new : memref<2x8xf32>) outs(%slot : memref<2x8xf32, strided<[8, 1], offset: ?>>)
    scf.if %owned {
      memref.dealloc %h : memref<2x8xf32>
    }
    scf.yield %new, %true : memref<2x8xf32>, i1
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  memref.dealloc %acc : memref<2x2x8xf32>
  return
}
