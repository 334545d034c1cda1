// Aaren ("Attention as an RNN"): softmax attention of a learned query per head
// over all earlier steps, computed as a prefix scan; constant-size state.
// B = 4, T = 256, model 256, 4 heads of 64.
//
// Verify: build/bin/seq-opt examples/aaren.mlir

func.func @aaren(
    %x: tensor<4x256x256xf32>,
    %query: tensor<4x64xf32>,
    %w_k: tensor<256x256xf32>,
    %w_v: tensor<256x256xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4x64xf32>) {
  %y, %m_final, %u_final, %w_final = seqnn.aaren %x, %query, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<4x256x256xf32>, tensor<4x64xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4x64xf32>)
  return %y, %m_final, %u_final, %w_final : tensor<4x256x256xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4x64xf32>
}
