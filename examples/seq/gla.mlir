// Gated linear attention (GLA) at the seq level: a log decay per key
// channel, state [dk, dv] per head. B = 2, T = 128, 4 heads, dk = dv = 32.
//
// Run and check: build/bin/seqc run examples/seq/gla.mlir --check

func.func @gla(%q: tensor<2x128x4x32xf32>, %k: tensor<2x128x4x32xf32>, %v: tensor<2x128x4x32xf32>,
               %g: tensor<2x128x4x32xf32>)
    -> (tensor<2x128x4x32xf32>, tensor<2x4x32x32xf32>) {
  %o, %s = seq.linear_attention %q, %k, %v gate <vector> %g
      : (tensor<2x128x4x32xf32>, tensor<2x128x4x32xf32>, tensor<2x128x4x32xf32>, tensor<2x128x4x32xf32>)
      -> (tensor<2x128x4x32xf32>, tensor<2x4x32x32xf32>)
  return %o, %s : tensor<2x128x4x32xf32>, tensor<2x4x32x32xf32>
}
