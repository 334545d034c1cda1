// Gated DeltaNet at the seq level, with negative eigenvalues (beta in
// [0, 2]) and a scalar log decay per head and step. bf16 inputs, f32 state.
// B = 2, T = 128, 4 heads, dk = dv = 32.
//
// Run and check: build/bin/seqc run examples/seq/gated_deltanet.mlir --check

func.func @gated_deltanet(%q: tensor<2x128x4x32xbf16>, %k: tensor<2x128x4x32xbf16>,
                          %v: tensor<2x128x4x32xbf16>, %beta: tensor<2x128x4xbf16>,
                          %g: tensor<2x128x4xf32>)
    -> (tensor<2x128x4x32xf32>, tensor<2x4x32x32xf32>) {
  %o, %s = seq.delta_rule %q, %k, %v, %beta gate %g allow_negative_eigenvalues
      : (tensor<2x128x4x32xbf16>, tensor<2x128x4x32xbf16>, tensor<2x128x4x32xbf16>,
         tensor<2x128x4xbf16>, tensor<2x128x4xf32>)
      -> (tensor<2x128x4x32xf32>, tensor<2x4x32x32xf32>)
  return %o, %s : tensor<2x128x4x32xf32>, tensor<2x4x32x32xf32>
}
