// An f32 LSTM with 768 hidden units (B = 2, T = 4): in the fused variant a
// block's columns of R (6 units x 768 x 4 gates, 72 KiB) exceed static
// shared memory.
func.func @lstm(%x: tensor<2x4x768xf32>, %w: tensor<768x3072xf32>, %r: tensor<1x768x3072xf32>, %bias: tensor<3072xf32>, %recurrent_bias: tensor<3072xf32>, %h0: tensor<2x768xf32>, %c0: tensor<2x768xf32>) -> (tensor<2x4x768xf32>, tensor<2x768xf32>, tensor<2x768xf32>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0)
      : (tensor<2x4x768xf32>, tensor<768x3072xf32>, tensor<1x768x3072xf32>, tensor<3072xf32>, tensor<3072xf32>, tensor<2x768xf32>, tensor<2x768xf32>) -> (tensor<2x4x768xf32>, tensor<2x768xf32>, tensor<2x768xf32>)
  return %y, %h, %c : tensor<2x4x768xf32>, tensor<2x768xf32>, tensor<2x768xf32>
}

