// seq-fuse-elementwise: linalg-fuse-elementwise-ops, except that a producer
// of transcendentals is not fused into a consumer that reads each of its
// elements more than once (here a contraction, which would recompute every
// exponential once per output column), nor a producer of a 16-bit operand
// of a contraction.
// RUN: seq-opt %s -seq-fuse-elementwise | FileCheck %s

#id = affine_map<(m, k) -> (m, k)>
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// CHECK-LABEL: func.func @exp_into_matmul
// CHECK:       %[[E:.*]] = linalg.generic
// CHECK:         math.exp
// CHECK:       linalg.generic {{.*}}ins(%[[E]],
// CHECK-NOT:     math.exp
// CHECK:       return
func.func @exp_into_matmul(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %e0 = tensor.empty() : tensor<8x16xf32>
  %e = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x16xf32>) outs(%e0 : tensor<8x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.exp %x : f32
    linalg.yield %y : f32
  } -> tensor<8x16xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// A producer without transcendentals still fuses into the contraction.
// CHECK-LABEL: func.func @scale_into_matmul
// CHECK:       linalg.generic
// CHECK-SAME:    iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         arith.mulf
// CHECK:         arith.mulf
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @scale_into_matmul(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %e0 = tensor.empty() : tensor<8x16xf32>
  %e = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x16xf32>) outs(%e0 : tensor<8x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<8x16xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%c : tensor<8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// Into an elementwise consumer (each element read once) an exp fuses.
// CHECK-LABEL: func.func @exp_into_elementwise
// CHECK:       linalg.generic
// CHECK:         math.exp
// CHECK:         arith.addf
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @exp_into_elementwise(%a: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %e0 = tensor.empty() : tensor<8x16xf32>
  %e = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x16xf32>) outs(%e0 : tensor<8x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.exp %x : f32
    linalg.yield %y : f32
  } -> tensor<8x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e, %a : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e0 : tensor<8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// A 16-bit operand of a contraction is a tensor-core operand: its producer
// (here the conversion to bf16) stays a buffer of its own, which
// seq-contractions-to-mma stages through shared memory.
// CHECK-LABEL: func.func @bf16_operand_of_matmul
// CHECK:       %[[T:.*]] = linalg.generic
// CHECK:         arith.truncf
// CHECK:       linalg.generic {{.*}}ins(%[[T]],
// CHECK-NOT:     arith.truncf
// CHECK:       return
func.func @bf16_operand_of_matmul(%a: tensor<16x16xf32>, %b: tensor<16x32xbf16>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %e0 = tensor.empty() : tensor<16x16xbf16>
  %e = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<16x16xf32>) outs(%e0 : tensor<16x16xbf16>) {
  ^bb0(%x: f32, %o: bf16):
    %y = arith.truncf %x : f32 to bf16
    linalg.yield %y : bf16
  } -> tensor<16x16xbf16>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e, %b : tensor<16x16xbf16>, tensor<16x32xbf16>) outs(%c : tensor<16x32xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}
