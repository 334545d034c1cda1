// Regression (H200, 2026-11-26: retnet and gated DeltaNet outputs off by up
// to 4%): the GPU pipeline fuses elementwise producers into the batched
// matmuls that read them. A producer that read its own `outs` (the masked
// rescale of the scores, written in place) was fused into the A V product
// as a second result indexed without the value dimension: its
// read-modify-write ran once per output column, racing on the GPU. The
// chunked lowerings now write every elementwise result to a fresh tensor,
// so each fused contraction has one result.
// RUN: seqc compile %s --target=sm_90 --emit=loops -o %t | FileCheck %s

// CHECK-LABEL: func.func @retnet
// CHECK-NOT:   :2 = linalg.generic
// CHECK:       return
func.func @retnet(%q: tensor<2x64x2x16xf32>, %g: tensor<2x64x2xf32>) -> (tensor<2x64x2x16xf32>, tensor<2x2x16x16xf32>) {
  %o, %s = seq.linear_attention %q, %q, %q gate <scalar> %g {form = #seq.form<chunkwise, chunk_size = 16>}
      : (tensor<2x64x2x16xf32>, tensor<2x64x2x16xf32>, tensor<2x64x2x16xf32>, tensor<2x64x2xf32>)
      -> (tensor<2x64x2x16xf32>, tensor<2x2x16x16xf32>)
  return %o, %s : tensor<2x64x2x16xf32>, tensor<2x2x16x16xf32>
}

// CHECK-LABEL: func.func @gated_deltanet
// CHECK-NOT:   :2 = linalg.generic
// CHECK:       return
func.func @gated_deltanet(%q: tensor<2x64x2x16xf32>, %beta: tensor<2x64x2xf32>, %g: tensor<2x64x2xf32>) -> (tensor<2x64x2x16xf32>, tensor<2x2x16x16xf32>) {
  %o, %s = seq.delta_rule %q, %q, %q, %beta gate %g {form = #seq.form<chunkwise, chunk_size = 16>}
      : (tensor<2x64x2x16xf32>, tensor<2x64x2x16xf32>, tensor<2x64x2x16xf32>, tensor<2x64x2xf32>, tensor<2x64x2xf32>)
      -> (tensor<2x64x2x16xf32>, tensor<2x2x16x16xf32>)
  return %o, %s : tensor<2x64x2x16xf32>, tensor<2x2x16x16xf32>
}
