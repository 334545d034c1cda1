// Elman RNN with relu, the variant torch.nn.RNN(nonlinearity='relu') computes.
// B = 4, T = 256, 128 inputs, 256 hidden units.
//
// Verify: build/bin/seq-opt examples/elman_relu.mlir

func.func @elman_relu(
    %x: tensor<4x256x128xf32>,
    %w: tensor<128x256xf32>,
    %r: tensor<1x256x256xf32>,
    %bias: tensor<256xf32>,
    %recurrent_bias: tensor<256xf32>,
    %h0: tensor<4x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x256xf32>) {
  %y, %h_final = seqnn.elman %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0) activation <relu>
      : (tensor<4x256x128xf32>, tensor<128x256xf32>, tensor<1x256x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<4x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x256xf32>)
  return %y, %h_final : tensor<4x256x256xf32>, tensor<4x256xf32>
}
