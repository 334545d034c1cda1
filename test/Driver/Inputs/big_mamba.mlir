// Mamba with a large state: B = 1, T = 4096, D = 512, N = 64. Its inputs
// are small (8 MiB) but the expansion's [B, T, D, N] values are 1 GiB each
// in the reference interpreter's f64.
func.func @big_mamba(
    %u: tensor<1x4096x512xf32>,
    %a_log: tensor<512x64xf32>,
    %x_proj: tensor<512x136xf32>,
    %dt_proj: tensor<8x512xf32>,
    %dt_bias: tensor<512xf32>,
    %d: tensor<512xf32>)
    -> (tensor<1x4096x512xf32>, tensor<1x512x64xf32>) {
  %y, %h = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d
      : (tensor<1x4096x512xf32>, tensor<512x64xf32>, tensor<512x136xf32>, tensor<8x512xf32>, tensor<512xf32>, tensor<512xf32>)
      -> (tensor<1x4096x512xf32>, tensor<1x512x64xf32>)
  return %y, %h : tensor<1x4096x512xf32>, tensor<1x512x64xf32>
}
