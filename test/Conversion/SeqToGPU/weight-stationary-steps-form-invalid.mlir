// A tiling written in a recurrence's form that its GPU step kernel cannot
// honour is an error on the time loop naming the field
// (weight-stationary-steps-form.mlir has one it honours).
// RUN: seq-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3}))' -verify-diagnostics

#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#id = affine_map<(b, j) -> (b, j)>
func.func @too_many_units(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>, %out: memref<16x2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<2x2x8xf32>
  // expected-error @+1 {{the recurrence's form sets units_per_block = 9, which its GPU step kernel cannot honour: the step has 8 units}}
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
  } {seq.time_loop = #seq.form<sequential, variant = fused, units_per_block = 9>}
  memref.dealloc %acc : memref<2x2x8xf32>
  return
}

// -----

#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#id = affine_map<(b, j) -> (b, j)>
func.func @too_few_units(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>, %out: memref<16x2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<2x2x8xf32>
  // expected-error @+1 {{the recurrence's form sets units_per_block = 2, which its GPU step kernel cannot honour: 8 units on 3 resident blocks need at least 3 per block}}
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
  } {seq.time_loop = #seq.form<sequential, variant = fused, units_per_block = 2>}
  memref.dealloc %acc : memref<2x2x8xf32>
  return
}

// -----

#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#id = affine_map<(b, j) -> (b, j)>
func.func @split_past_depth(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>, %out: memref<16x2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<2x2x8xf32>
  // expected-error @+1 {{the recurrence's form sets split_k = 16, which its GPU step kernel cannot honour: the dot products are 8 long}}
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
  } {seq.time_loop = #seq.form<sequential, variant = fused, split_k = 16>}
  memref.dealloc %acc : memref<2x2x8xf32>
  return
}
