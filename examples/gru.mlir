// GRU in PyTorch's linear-before-reset form (torch.nn.GRU(128, 256)).
// B = 4, T = 256, 128 inputs, 256 hidden units.
//
// Verify: build/bin/seq-opt examples/gru.mlir

func.func @gru(
    %x: tensor<4x256x128xf32>,
    %w: tensor<128x768xf32>,
    %r: tensor<1x256x768xf32>,
    %bias: tensor<768xf32>,
    %recurrent_bias: tensor<768xf32>,
    %h0: tensor<4x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x256xf32>) {
  %y, %h_final = seqnn.gru %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0)
      : (tensor<4x256x128xf32>, tensor<128x768xf32>, tensor<1x256x768xf32>, tensor<768xf32>, tensor<768xf32>, tensor<4x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x256xf32>)
  return %y, %h_final : tensor<4x256x256xf32>, tensor<4x256xf32>
}
