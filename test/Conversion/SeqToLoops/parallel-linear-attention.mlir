// The parallel form of seq.linear_attention is the chunkwise computation
// with one chunk of all T steps: the T x T masked, decay-weighted score
// matrix, no loop over chunks left after folding.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @gla
// CHECK-NOT:     scf.for
// A[b, h, i, j], i, j < 16, over d: the decay exp(L_i - L_j) inside.
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]{{.*}}outs(%{{.*}} : tensor<2x3x16x16xf32>)
// CHECK:           math.exp
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @gla(%q: tensor<2x16x3x8xf32>, %g: tensor<2x16x3x8xf32>) -> (tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>) {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<parallel>}
      : (tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>)
      -> (tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>)
  return %o, %s : tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>
}
