// Mamba-2 SSD ("Transformers are SSMs"): a scalar decay per head and step.
// B = 4, T = 256, model 256, 8 heads of head dim P = 32, state N = 64, 1 group.
//
// Verify: build/bin/seq-opt examples/mamba2.mlir

func.func @mamba2(
    %x: tensor<4x256x256xf32>,
    %w_b: tensor<256x64xf32>,
    %w_c: tensor<256x64xf32>,
    %w_x: tensor<256x256xf32>,
    %w_dt: tensor<256x8xf32>,
    %dt_bias: tensor<8xf32>,
    %a_log: tensor<8xf32>,
    %d: tensor<8xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x8x64x32xf32>) {
  %y, %s_final = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o {heads = 8}
      : (tensor<4x256x256xf32>, tensor<256x64xf32>, tensor<256x64xf32>, tensor<256x256xf32>, tensor<256x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x8x64x32xf32>)
  return %y, %s_final : tensor<4x256x256xf32>, tensor<4x8x64x32xf32>
}
