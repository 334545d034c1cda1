// Retention ("Retentive Network: A Successor to Transformer for Large Language
// Models"): per-head constant decay 1 - 2^(-5-h) (the paper's default).
// B = 4, T = 256, model dim 256, 4 heads of dk = dv = 64.
//
// Verify: build/bin/seq-opt examples/retnet.mlir

func.func @retnet(
    %x: tensor<4x256x256xf32>,
    %w_q: tensor<256x256xf32>,
    %w_k: tensor<256x256xf32>,
    %w_v: tensor<256x256xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>) {
  %y, %s_final = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<4x256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>)
  return %y, %s_final : tensor<4x256x256xf32>, tensor<4x4x64x64xf32>
}
