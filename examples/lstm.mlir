// LSTM ("Long Short-Term Memory"), gates i, f, g, o as torch.nn.LSTM(128, 256).
// B = 4, T = 256, 128 inputs, 256 hidden units; initial (h, c) given.
//
// Verify: build/bin/seq-opt examples/lstm.mlir

func.func @lstm(
    %x: tensor<4x256x128xf32>,
    %w: tensor<128x1024xf32>,
    %r: tensor<1x256x1024xf32>,
    %bias: tensor<1024xf32>,
    %recurrent_bias: tensor<1024xf32>,
    %h0: tensor<4x256xf32>,
    %c0: tensor<4x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>) {
  %y, %h_final, %c_final = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0)
      : (tensor<4x256x128xf32>, tensor<128x1024xf32>, tensor<1x256x1024xf32>, tensor<1024xf32>, tensor<1024xf32>, tensor<4x256xf32>, tensor<4x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>)
  return %y, %h_final, %c_final : tensor<4x256x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>
}
