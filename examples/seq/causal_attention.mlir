// Causal softmax attention at the seq level, returning the key/value cache.
// B = 2, T = 128, 4 heads, dk = dv = 32, f16.
//
// Run and check: build/bin/seqc run examples/seq/causal_attention.mlir --check

func.func @causal_attention(%q: tensor<2x128x4x32xf16>, %k: tensor<2x128x4x32xf16>,
                            %v: tensor<2x128x4x32xf16>)
    -> (tensor<2x128x4x32xf32>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>) {
  %o, %kc, %vc = seq.softmax_attention %q, %k, %v
      : (tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>)
      -> (tensor<2x128x4x32xf32>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>)
  return %o, %kc, %vc : tensor<2x128x4x32xf32>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>
}
