// Gated Linear Attention ("Gated Linear Attention Transformers with
// Hardware-Efficient Training"): data-dependent decay per key channel from a
// rank-16 projection, log-sigmoid / 16. B = 4, T = 256, model 256, 4 heads of 64.
//
// Verify: build/bin/seq-opt examples/gla.mlir

func.func @gla(
    %x: tensor<4x256x256xf32>,
    %w_q: tensor<256x256xf32>,
    %w_k: tensor<256x256xf32>,
    %w_v: tensor<256x256xf32>,
    %w_gate_down: tensor<256x16xf32>,
    %w_gate_up: tensor<16x256xf32>,
    %gate_bias: tensor<256xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>) {
  %y, %s_final = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o {heads = 4}
      : (tensor<4x256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x16xf32>, tensor<16x256xf32>, tensor<256xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>)
  return %y, %s_final : tensor<4x256x256xf32>, tensor<4x4x64x64xf32>
}
