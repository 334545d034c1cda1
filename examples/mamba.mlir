// Mamba's selective scan S6 ("Mamba: Linear-Time Sequence Modeling with
// Selective State Spaces"): input-dependent dt, B, C from x_proj, softplus dt,
// A = -exp(a_log). B = 4, T = 256, D = 128 inner channels, N = 16, dt rank 8.
//
// Verify: build/bin/seq-opt examples/mamba.mlir

func.func @mamba(
    %u: tensor<4x256x128xf32>,
    %a_log: tensor<128x16xf32>,
    %x_proj: tensor<128x40xf32>,
    %dt_proj: tensor<8x128xf32>,
    %dt_bias: tensor<128xf32>,
    %d: tensor<128xf32>)
    -> (tensor<4x256x128xf32>, tensor<4x128x16xf32>) {
  %y, %h_final = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d
      : (tensor<4x256x128xf32>, tensor<128x16xf32>, tensor<128x40xf32>, tensor<8x128xf32>, tensor<128xf32>, tensor<128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x128x16xf32>)
  return %y, %h_final : tensor<4x256x128xf32>, tensor<4x128x16xf32>
}
