// Elman RNN ("Finding Structure in Time"), tanh: h_t = tanh(x_t W + b + h_{t-1} R + b_r).
// B = 4 sequences of T = 256 steps, 128 input features, 256 hidden units.
// Same weights as torch.nn.RNN(128, 256) with W = weight_ih_l0^T, R = weight_hh_l0^T.
//
// Verify: build/bin/seq-opt examples/elman.mlir

func.func @elman(
    %x: tensor<4x256x128xf32>,
    %w: tensor<128x256xf32>,
    %r: tensor<1x256x256xf32>,
    %bias: tensor<256xf32>,
    %recurrent_bias: tensor<256xf32>,
    %h0: tensor<4x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x256xf32>) {
  %y, %h_final = seqnn.elman %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0)
      : (tensor<4x256x128xf32>, tensor<128x256xf32>, tensor<1x256x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<4x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x256xf32>)
  return %y, %h_final : tensor<4x256x256xf32>, tensor<4x256xf32>
}
