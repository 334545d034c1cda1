// The chunkwise (WY/UT) form of seq.delta_rule with a gate: T = 100 padded
// to 4 chunks of 32 over 2 x 3 heads (M = 24 chunks). The UT transform
// (forward substitution, C row steps over all chunks at once), W and U are
// computed for every chunk at once; the chunk loop over the 4 chunks
// carries the state with two batched matmuls per chunk over the 6 heads;
// the output is two batched matmuls over all chunks after it.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @gated_deltanet
// The in-chunk cumulative log gate (f64).
// CHECK:       scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args({{.*}}) -> (tensor<24xf64>, tensor<24x32xf64>)
// K K^T, then its strictly lower triangle scaled by beta and the decay.
// CHECK:       linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<24x32x16xf32>, tensor<24x16x32xf32>) outs(%{{.*}} : tensor<24x32x32xf32>)
// CHECK:       math.exp
// CHECK:       arith.cmpi ult
// Forward substitution for (I + A)^{-1}, from the identity, one row per
// step: a reduction with A's diagonal taken as -1.
// CHECK:       %[[TINV:.*]] = scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args({{.*}}) -> (tensor<24x32x32xf32>)
// CHECK:         arith.cmpi eq
// CHECK:         arith.select %{{.*}}, %cst{{.*}}, %{{.*}} : f32
// CHECK:         arith.subf
// -W = Tinv (-beta K exp(L)) and U = Tinv (beta V).
// CHECK:       linalg.batch_matmul ins(%[[TINV]], %{{.*}} : tensor<24x32x32xf32>, tensor<24x32x16xf32>)
// CHECK:       linalg.batch_matmul ins(%[[TINV]], %{{.*}} : tensor<24x32x32xf32>, tensor<24x32x8xf32>)
// The chunk loop: V' = U + (-W) S (one batched matmul onto U) and
// S <- exp(L_C) S + K'^T V'.
// CHECK:       scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args({{.*}}) -> (tensor<6x16x8xf32>, tensor<6x4x16x8xf32>, tensor<6x4x32x8xf32>)
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x32x16xf32>, tensor<6x16x8xf32>) outs(%{{.*}} : tensor<6x32x8xf32>)
// CHECK-NOT:     arith.subf
// CHECK:         linalg.batch_matmul indexing_maps = {{.*}} ins(%{{.*}}, %{{.*}} : tensor<6x32x16xf32>, tensor<6x32x8xf32>) outs(%{{.*}} : tensor<6x16x8xf32>)
// CHECK:       scf.yield
// O = (Q exp(L)) S_in + (causal, decayed Q K^T) V', over all chunks.
// CHECK:       linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<24x32x16xf32>, tensor<24x16x8xf32>)
// CHECK:       arith.cmpi ule
// CHECK:       linalg.batch_matmul indexing_maps = {{.*}} ins(%{{.*}}, %{{.*}} : tensor<24x32x32xf32>, tensor<24x32x8xf32>)
// CHECK:       tensor.extract_slice %{{.*}}[0, 0, 0, 0] [2, 3, 100, 8] [1, 1, 1, 1]
func.func @gated_deltanet(%q: tensor<2x100x3x16xf32>, %k: tensor<2x100x3x16xf32>, %v: tensor<2x100x3x8xf32>, %beta: tensor<2x100x3xf32>, %g: tensor<2x100x3xf32>) -> (tensor<2x100x3x8xf32>, tensor<2x3x16x8xf32>) {
  %o, %s = seq.delta_rule %q, %k, %v, %beta gate %g allow_negative_eigenvalues {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<2x100x3x16xf32>, tensor<2x100x3x16xf32>, tensor<2x100x3x8xf32>, tensor<2x100x3xf32>, tensor<2x100x3xf32>) -> (tensor<2x100x3x8xf32>, tensor<2x3x16x8xf32>)
  return %o, %s : tensor<2x100x3x8xf32>, tensor<2x3x16x8xf32>
}

// Without a gate there is no exponential at all.
// CHECK-LABEL: func.func @deltanet
// CHECK-NOT:   math.exp
// CHECK:       return
func.func @deltanet(%q: tensor<1x20x1x8xf32>, %k: tensor<1x20x1x8xf32>, %v: tensor<1x20x1x8xf32>, %beta: tensor<1x20x1xf32>) -> (tensor<1x20x1x8xf32>, tensor<1x1x8x8xf32>) {
  %o, %s = seq.delta_rule %q, %k, %v, %beta {form = #seq.form<chunkwise, chunk_size = 8>}
      : (tensor<1x20x1x8xf32>, tensor<1x20x1x8xf32>, tensor<1x20x1x8xf32>, tensor<1x20x1xf32>) -> (tensor<1x20x1x8xf32>, tensor<1x1x8x8xf32>)
  return %o, %s : tensor<1x20x1x8xf32>, tensor<1x1x8x8xf32>
}

// A bf16 output: K K^T, Q K^T and the state's read-out Q S take bf16
// operands; the UT transform's products, those with the corrected values
// V' (which cancel) and -W S (it feeds the next chunk's state) stay f32.
// CHECK-LABEL: func.func @deltanet_bf16
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x32x16xbf16>, tensor<2x16x32xbf16>) outs(%{{.*}} : tensor<2x32x32xf32>)
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x32x32xf32>, tensor<2x32x16xf32>)
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x32x32xf32>, tensor<2x32x16xf32>)
// CHECK:      scf.for
// CHECK:        linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x32x16xf32>, tensor<1x16x16xf32>) outs(%{{.*}} : tensor<1x32x16xf32>)
// CHECK:        linalg.batch_matmul indexing_maps = [{{.*}}] ins(%{{.*}}, %{{.*}} : tensor<1x32x16xf32>, tensor<1x32x16xf32>)
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x32x16xbf16>, tensor<2x16x16xbf16>)
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x32x16xbf16>, tensor<2x16x32xbf16>)
// CHECK:      linalg.batch_matmul indexing_maps = [{{.*}}] ins(%{{.*}}, %{{.*}} : tensor<2x32x32xf32>, tensor<2x32x16xf32>)
func.func @deltanet_bf16(%q: tensor<1x64x1x16xbf16>, %k: tensor<1x64x1x16xbf16>, %v: tensor<1x64x1x16xbf16>, %beta: tensor<1x64x1xbf16>) -> (tensor<1x64x1x16xbf16>, tensor<1x1x16x16xbf16>) {
  %o, %s = seq.delta_rule %q, %k, %v, %beta {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>, tensor<1x64x1xbf16>) -> (tensor<1x64x1x16xbf16>, tensor<1x1x16x16xbf16>)
  return %o, %s : tensor<1x64x1x16xbf16>, tensor<1x1x16x16xbf16>
}
