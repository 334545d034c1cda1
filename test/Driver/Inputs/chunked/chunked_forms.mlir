func.func @chunked_forms(%q: tensor<2x100x2x16xf32>, %g: tensor<2x100x2x16xf32>,
                         %gs: tensor<2x100x2xf32>, %beta: tensor<2x100x2xf32>,
                         %a: tensor<2x100x8xf32>)
    -> (tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x8xf32>) {
  %o1, %s1 = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>)
      -> (tensor<2x100x2x16xf32>, tensor<2x2x16x16xf32>)
  %o2, %s2 = seq.linear_attention %q, %q, %q gate <scalar> %gs {form = #seq.form<chunkwise, chunk_size = 16>}
      : (tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2xf32>)
      -> (tensor<2x100x2x16xf32>, tensor<2x2x16x16xf32>)
  %o3, %s3 = seq.delta_rule %q, %q, %q, %beta gate %gs allow_negative_eigenvalues {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2xf32>, tensor<2x100x2xf32>)
      -> (tensor<2x100x2x16xf32>, tensor<2x2x16x16xf32>)
  %h, %last = seq.linear_scan %a, %a {form = #seq.form<chunkwise, chunk_size = 16>}
      : (tensor<2x100x8xf32>, tensor<2x100x8xf32>) -> (tensor<2x100x8xf32>, tensor<2x8xf32>)
  return %o1, %o2, %o3, %h : tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x2x16xf32>, tensor<2x100x8xf32>
}
