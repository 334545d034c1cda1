// A recurrence's form may fix its GPU step kernel's tiling
// (units_per_block, split_k): seq-weight-stationary-steps builds exactly
// that, recorded in the launch's #seq.gpu_kernel, or says which field it
// cannot honour. The step is weight-stationary-steps.mlir's: 8 units, dot
// products 8 long, 2 batch rows, 3 blocks.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3}))' | FileCheck %s
// The written tiling computes what the step's linalg ops computed.
// RUN: seqc-gpu-emulate %s --func=written --pipeline='func.func(seq-weight-stationary-steps{blocks=3},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=3})' | FileCheck %s --check-prefix=EMULATE
// EMULATE: @written: 0 -> 2 kernel launches, {{.*}}: PASS

// Without the fields the pass picks 3 units per block and no split
// (weight-stationary-steps.mlir); written: 4 units per block (two blocks
// busy), two lanes per dot product.
// CHECK-LABEL: func.func @written
// CHECK:         gpu.launch
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<weight_stationary_step, units_per_block = 4, gate_products = fma, split_k = 2>}
#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#id = affine_map<(b, j) -> (b, j)>
func.func @written(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>, %out: memref<16x2x8xf32>) {
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
  } {seq.time_loop = #seq.form<sequential, variant = fused, units_per_block = 4, split_k = 2>}
  memref.dealloc %acc : memref<2x2x8xf32>
  return
}
