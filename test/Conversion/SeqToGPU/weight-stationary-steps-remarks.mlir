// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=2 shared-bytes=1024}))' -verify-diagnostics | FileCheck %s
// Steps the pass leaves alone say why; their linalg ops stay.

#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#unit0 = affine_map<(b, j) -> (b, 1, 0)>
#id = affine_map<(b, j) -> (b, j)>

// The weights of a block's 32 units (of 64) are 64 x 32 x 2 floats: 16 KiB.
// CHECK-LABEL: func.func @too_large
// CHECK-NOT:   gpu.launch
func.func @too_large(%r: memref<64x2x64xf32>, %init: memref<2x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x64xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x64xf32>) {
    // expected-remark @+1 {{the recurrent weights stay in global memory, read every step: the weights of a block's 32 units take 16384 bytes of shared memory, over the 1024 bytes available}}
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x64xf32>, memref<64x2x64xf32>) outs(%acc : memref<2x2x64xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x64xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x64xf32>, memref<2x2x64xf32>) outs(%new : memref<2x64xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x64xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// Every unit's cell reads the gate of unit 0: no unit is the block's own.
// CHECK-LABEL: func.func @reads_other_units
// CHECK-NOT:   gpu.launch
func.func @reads_other_units(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x8xf32>) {
    // expected-remark @+1 {{every unit's cell reads gates that other units' weights produce}}
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x8xf32>
    linalg.generic {indexing_maps = [#gate0, #unit0, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x8xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// The gates are copied out before any cell reads them.
// CHECK-LABEL: func.func @no_cell
// CHECK-NOT:   gpu.launch
func.func @no_cell(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>, %gates: memref<2x2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x8xf32>) {
    // expected-remark @+1 {{the next op of the step is not an elementwise op reading the contraction's result}}
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    linalg.copy ins(%acc : memref<2x2x8xf32>) outs(%gates : memref<2x2x8xf32>)
    %new = memref.alloc() : memref<2x8xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x8xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// Outside a fused-variant time loop nothing changes, and nothing is said.
// CHECK-LABEL: func.func @alternating
// CHECK-NOT:   gpu.launch
func.func @alternating(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x8xf32>) {
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x8xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x8xf32>
  }
  return
}

// The cell updates the state in place: while one block writes its units'
// new state, others may still be reading the old one in their contraction.
// CHECK-LABEL: func.func @in_place
// CHECK-NOT:   gpu.launch
func.func @in_place(%r: memref<8x2x8xf32>, %h: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  scf.for %t = %c0 to %c16 step %c1 {
    // expected-remark @+1 {{the cell writes a buffer the contraction reads (in place): other blocks may still be reading it}}
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%h : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// A copy of the new state back into the state the contraction reads is not
// folded into the cell (it would race with other blocks' contractions): it
// stays after the kernel, behind the grid barrier.
// CHECK-LABEL: func.func @copy_into_state
// CHECK:       gpu.launch
// CHECK:       #seq.gpu_kernel<weight_stationary_step
// CHECK:       linalg.copy
func.func @copy_into_state(%r: memref<8x2x8xf32>, %h: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %new = memref.alloc() : memref<2x8xf32>
  scf.for %t = %c0 to %c16 step %c1 {
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    linalg.copy ins(%new : memref<2x8xf32>) outs(%h : memref<2x8xf32>)
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// A call in the step may write anything, the weights included: they are
// not loop-invariant, and the step stays as it is (no weights, no remark).
// CHECK-LABEL: func.func @unknown_effects
// CHECK-NOT:   gpu.launch
// CHECK:       func.call @opaque
func.func private @opaque(memref<8x2x8xf32>)
func.func @unknown_effects(%r: memref<8x2x8xf32>, %init: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x8xf32>) {
    func.call @opaque(%r) : (memref<8x2x8xf32>) -> ()
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xf32>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x8xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x8xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// 16-bit weights whose gates stay on FMA units say why; the step is still
// one weight-stationary kernel. f16 weights with an f32 state: the state's
// f16 terms would not keep f32's range.
// CHECK-LABEL: func.func @f16_weights_f32_state
// CHECK:       gpu.launch
// CHECK:       gate_products = fma
func.func @f16_weights_f32_state(%r: memref<16x2x8xf16>, %init: memref<2x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x16xf32>) {
    // expected-remark @+1 {{the gates' products run on FMA units, not tensor cores: the state is f32 and the weights f16: f16 terms of the state would not keep f32's range}}
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x16xf32>, memref<16x2x8xf16>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: f16, %o: f32):
      %wf = arith.extf %w : f16 to f32
      %p = arith.mulf %a, %wf : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x16xf32>
    %units = memref.subview %new[0, 0] [2, 8] [1, 1] : memref<2x16xf32> to memref<2x8xf32, strided<[16, 1]>>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%units : memref<2x8xf32, strided<[16, 1]>>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x16xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// bf16 weights over a depth of 8: not a whole k step of 16.
// CHECK-LABEL: func.func @shallow
// CHECK:       gpu.launch
// CHECK:       gate_products = fma
func.func @shallow(%r: memref<8x2x8xbf16>, %init: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x2x8xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x8xf32>) {
    // expected-remark @+1 {{the gates' products run on FMA units, not tensor cores: the depth 8 is not a multiple of 16}}
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x8xf32>, memref<8x2x8xbf16>) outs(%acc : memref<2x2x8xf32>) {
    ^bb0(%a: f32, %w: bf16, %o: f32):
      %wf = arith.extf %w : bf16 to f32
      %p = arith.mulf %a, %wf : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x8xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc : memref<2x2x8xf32>, memref<2x2x8xf32>) outs(%new : memref<2x8xf32>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x8xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}

// Four heads of 2 units over 2 blocks: a block's 4 units would span two
// heads, whose state rows differ; FMA units take it (a thread per row and
// unit reads its own head's row).
// CHECK-LABEL: func.func @heads_wider_than_blocks
// CHECK:       gpu.launch
// CHECK:       gate_products = fma
#hh = affine_map<(b, n, g, j, k) -> (b, n, k)>
#rh = affine_map<(b, n, g, j, k) -> (n, k, g, j)>
#acch = affine_map<(b, n, g, j, k) -> (b, n, g, j)>
#gate0h = affine_map<(b, n, j) -> (b, n, 0, j)>
#gate1h = affine_map<(b, n, j) -> (b, n, 1, j)>
#idh = affine_map<(b, n, j) -> (b, n, j)>
func.func @heads_wider_than_blocks(%r: memref<4x16x2x2xbf16>, %init: memref<2x4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %acc = memref.alloc() : memref<2x4x2x2xf32>
  %res = scf.for %t = %c0 to %c16 step %c1 iter_args(%h = %init) -> (memref<2x4x16xf32>) {
    // expected-remark @+1 {{the gates' products run on FMA units, not tensor cores: a block's 4 units would span heads of 2 units (the state's rows differ per head)}}
    linalg.generic {indexing_maps = [#hh, #rh, #acch], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x4x16xf32>, memref<4x16x2x2xbf16>) outs(%acc : memref<2x4x2x2xf32>) {
    ^bb0(%a: f32, %w: bf16, %o: f32):
      %wf = arith.extf %w : bf16 to f32
      %p = arith.mulf %a, %wf : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x4x16xf32>
    %units = memref.subview %new[0, 0, 0] [2, 4, 2] [1, 1, 1] : memref<2x4x16xf32> to memref<2x4x2xf32, strided<[64, 16, 1]>>
    linalg.generic {indexing_maps = [#gate0h, #gate1h, #idh], iterator_types = ["parallel", "parallel", "parallel"]} ins(%acc, %acc : memref<2x4x2x2xf32>, memref<2x4x2x2xf32>) outs(%units : memref<2x4x2xf32, strided<[64, 16, 1]>>) {
    ^bb0(%i: f32, %f: f32, %o: f32):
      %n = arith.addf %i, %f : f32
      linalg.yield %n : f32
    }
    scf.yield %new : memref<2x4x16xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}
