// The parallel form of causal softmax attention is the flash computation
// with one chunk of all P + T keys: after folding, no loop over time or
// chunks; the scores of every step at once (b, h, t, p, d), the masked max,
// the denominators and the weighted values as generics over all steps; the
// key/value cache extended by insert_slice.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @causal
// CHECK-NOT:     scf.for
// CHECK:         tensor.insert_slice
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]{{.*}}outs(%{{.*}} : tensor<1x2x16x19xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK:           arith.maximumf
// Key p (dim 3) is visible to step t (dim 2) when p <= P + t, P = 3.
// CHECK:           %[[P:.*]] = linalg.index 3
// CHECK:           %[[T:.*]] = linalg.index 2
// CHECK:           %[[LIMIT:.*]] = arith.addi %[[T]], %c3
// CHECK:           arith.cmpi ule, %[[P]], %[[LIMIT]]
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// CHECK:           arith.divf
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK:           arith.mulf
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @causal(%q: tensor<1x16x2x8xf32>, %kc: tensor<1x3x2x8xf32>, %vc: tensor<1x3x2x4xf32>, %v: tensor<1x16x2x4xf32>)
    -> (tensor<1x16x2x4xf32>, tensor<1x19x2x8xf32>, tensor<1x19x2x4xf32>) {
  %o, %k, %vv = seq.softmax_attention %q, %q, %v init(%kc, %vc) {form = #seq.form<parallel>}
      : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x4xf32>, tensor<1x3x2x8xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x16x2x4xf32>, tensor<1x19x2x8xf32>, tensor<1x19x2x4xf32>)
  return %o, %k, %vv : tensor<1x16x2x4xf32>, tensor<1x19x2x8xf32>, tensor<1x19x2x4xf32>
}
