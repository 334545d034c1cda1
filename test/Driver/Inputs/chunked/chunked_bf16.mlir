// bf16 chunked forms, whose matmuls run on tensor cores (mma.sync with f32
// accumulation): GLA (vector gate, C = 64, head dims 64), scalar-gated
// linear attention (C = 32), and the gated delta rule (C = 64).
func.func @chunked_bf16(%q: tensor<2x200x2x64xbf16>, %g: tensor<2x200x2x64xf32>,
                        %gs: tensor<2x200x2xf32>, %beta: tensor<2x200x2xbf16>)
    -> (tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>) {
  %o1, %s1 = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<chunkwise, chunk_size = 64>}
      : (tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2x64xf32>)
      -> (tensor<2x200x2x64xbf16>, tensor<2x2x64x64xbf16>)
  %o2, %s2 = seq.linear_attention %q, %q, %q gate <scalar> %gs {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2xf32>)
      -> (tensor<2x200x2x64xbf16>, tensor<2x2x64x64xbf16>)
  %o3, %s3 = seq.delta_rule %q, %q, %q, %beta gate %gs {form = #seq.form<chunkwise, chunk_size = 64>}
      : (tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2xbf16>, tensor<2x200x2xf32>)
      -> (tensor<2x200x2x64xbf16>, tensor<2x2x64x64xbf16>)
  return %o1, %o2, %o3 : tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>, tensor<2x200x2x64xbf16>
}
