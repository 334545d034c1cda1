// Aaren's attention of a learned query at the seq level: a softmax scan
// with the constant-size state (m, u, w). B = 2, T = 256, 4 heads, 32.
//
// Run and check: build/bin/seqc run examples/seq/aaren.mlir --check

func.func @aaren(%q: tensor<2x4x32xf32>, %k: tensor<2x256x4x32xf32>, %v: tensor<2x256x4x32xf32>)
    -> (tensor<2x256x4x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x32xf32>) {
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %v
      : (tensor<2x4x32xf32>, tensor<2x256x4x32xf32>, tensor<2x256x4x32xf32>)
      -> (tensor<2x256x4x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x32xf32>)
  return %o, %m, %u, %w : tensor<2x256x4x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x32xf32>
}
