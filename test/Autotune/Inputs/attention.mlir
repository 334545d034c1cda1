// A small GLA-style linear attention (dk = dv = 32) and a wide one
// (dk = dv = 1024: its dk x dv state alone is 4 MiB in f32).
func.func @small(%q: tensor<1x200x2x32xf32>, %g: tensor<1x200x2x32xf32>) -> tensor<1x200x2x32xf32> {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g
      : (tensor<1x200x2x32xf32>, tensor<1x200x2x32xf32>, tensor<1x200x2x32xf32>, tensor<1x200x2x32xf32>)
      -> (tensor<1x200x2x32xf32>, tensor<1x2x32x32xf32>)
  return %o : tensor<1x200x2x32xf32>
}

func.func @wide(%q: tensor<1x64x1x1024xf32>) -> tensor<1x64x1x1024xf32> {
  %o, %s = seq.linear_attention %q, %q, %q
      : (tensor<1x64x1x1024xf32>, tensor<1x64x1x1024xf32>, tensor<1x64x1x1024xf32>)
      -> (tensor<1x64x1x1024xf32>, tensor<1x1x1024x1024xf32>)
  return %o : tensor<1x64x1x1024xf32>
}
