// An LSTM over T = 12 steps (B = 2, 3 inputs, 5 hidden units) for checkpointed gradients.
func.func @lstm(%x: tensor<2x12x3xf32>, %w: tensor<3x20xf32>, %r: tensor<1x5x20xf32>,
    %bias: tensor<20xf32>, %recurrent_bias: tensor<20xf32>, %h0: tensor<2x5xf32>, %c0: tensor<2x5xf32>)
    -> (tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>) {
  %y, %h_final, %c_final = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0)
      : (tensor<2x12x3xf32>, tensor<3x20xf32>, tensor<1x5x20xf32>, tensor<20xf32>, tensor<20xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
      -> (tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  return %y, %h_final, %c_final : tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>
}
