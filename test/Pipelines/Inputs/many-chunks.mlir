// A linear scan over 4096 steps in chunks of 16 (256 chunks per channel).
func.func @many_chunks(%a: tensor<1x4096x64xf32>, %b: tensor<1x4096x64xf32>)
    -> (tensor<1x4096x64xf32>, tensor<1x64xf32>) {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<prefix, chunk_size = 16>}
      : (tensor<1x4096x64xf32>, tensor<1x4096x64xf32>) -> (tensor<1x4096x64xf32>, tensor<1x64xf32>)
  return %h, %last : tensor<1x4096x64xf32>, tensor<1x64xf32>
}
