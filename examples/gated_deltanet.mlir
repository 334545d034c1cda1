// Gated DeltaNet ("Gated Delta Networks: Improving Mamba2 with Delta Rule"):
// the delta rule with a Mamba-2 style decay per head and step.
// B = 4, T = 256, model 256, 4 heads of 64.
//
// Verify: build/bin/seq-opt examples/gated_deltanet.mlir

func.func @gated_deltanet(
    %x: tensor<4x256x256xf32>,
    %w_q: tensor<256x256xf32>,
    %w_k: tensor<256x256xf32>,
    %w_v: tensor<256x256xf32>,
    %w_beta: tensor<256x4xf32>,
    %w_a: tensor<256x4xf32>,
    %a_log: tensor<4xf32>,
    %dt_bias: tensor<4xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>) {
  %y, %s_final = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o {heads = 4}
      : (tensor<4x256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x4xf32>, tensor<256x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>)
  return %y, %s_final : tensor<4x256x256xf32>, tensor<4x4x64x64xf32>
}
