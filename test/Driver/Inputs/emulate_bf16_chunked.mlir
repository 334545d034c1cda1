// Small bf16 chunked forms for seqc-gpu-emulate: GLA (vector gate, two
// chunks of 32, head dims 16) and the gated delta rule, whose matmuls become
// tensor-core kernels.
func.func @bf16_chunked(%q: tensor<1x64x1x16xbf16>, %g: tensor<1x64x1x16xf32>,
                        %gs: tensor<1x64x1xf32>, %beta: tensor<1x64x1xbf16>)
    -> (tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>) {
  %o1, %s1 = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>, tensor<1x64x1x16xf32>)
      -> (tensor<1x64x1x16xbf16>, tensor<1x1x16x16xbf16>)
  %o2, %s2 = seq.delta_rule %q, %q, %q, %beta gate %gs {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>, tensor<1x64x1xbf16>, tensor<1x64x1xf32>)
      -> (tensor<1x64x1x16xbf16>, tensor<1x1x16x16xbf16>)
  return %o1, %o2 : tensor<1x64x1x16xbf16>, tensor<1x64x1x16xbf16>
}
