// The parallel form of seq.linear_attention is the chunkwise computation
// with one chunk of all T steps: the T x T masked, decay-weighted scores
// and no loop over chunks (the one-chunk state loop folds away).
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// A scalar gate: scores are one batched matmul Q K^T over the 6 (batch,
// head) chunks, then masked to j <= i and rescaled by exp(L_i - L_j).
// CHECK-LABEL: func.func @retnet
// CHECK-NOT:     tensor<6x8x8xf32>, tensor<6x1x8x8xf32>
// CHECK:         %[[SCORES:.*]] = linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x16x8xf32>, tensor<6x8x16xf32>) outs(%{{.*}} : tensor<6x16x16xf32>)
// CHECK:         linalg.generic {{.*}}ins(%[[SCORES]], %{{.*}}, %{{.*}} : tensor<6x16x16xf32>, tensor<6x16xf64>, tensor<6x16xf64>)
// CHECK:           arith.subf %{{.*}}, %{{.*}} : f64
// CHECK:           math.exp
// CHECK:           arith.cmpi ule
// CHECK:         linalg.batch_matmul {{.*}}ins(%{{.*}}, %{{.*}} : tensor<6x16x16xf32>, tensor<6x16x8xf32>)
// CHECK:         return
func.func @retnet(%q: tensor<2x16x3x8xf32>, %g: tensor<2x16x3xf32>) -> (tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>) {
  %o, %s = seq.linear_attention %q, %q, %q gate <scalar> %g {form = #seq.form<parallel>}
      : (tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>, tensor<2x16x3xf32>)
      -> (tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>)
  return %o, %s : tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>
}

// A vector gate over 16 steps: one 16 x 16 sub-block, the decay
// exp(L_i - L_j) per channel inside the reduction over d.
// CHECK-LABEL: func.func @gla
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]{{.*}}outs(%{{.*}} : tensor<6x1x16x16xf32>)
// CHECK:           math.exp
// CHECK:         return
func.func @gla(%q: tensor<2x16x3x8xf32>, %g: tensor<2x16x3x8xf32>) -> (tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>) {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<parallel>}
      : (tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>, tensor<2x16x3x8xf32>)
      -> (tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>)
  return %o, %s : tensor<2x16x3x8xf32>, tensor<2x3x8x8xf32>
}
