// A two-head LSTM (B = 3, T = 8, 2 heads x 16 units, block-diagonal R) for
// seqc-gpu-emulate: in the fused variant each block of the persistent kernel
// owns a range of (head, unit) pairs, the ranges of three blocks cross the
// heads' boundary, and the last block owns fewer units than the others.
func.func @lstm_heads(%x: tensor<3x8x32xf32>, %w: tensor<32x128xf32>, %r: tensor<2x16x64xf32>, %bias: tensor<128xf32>, %recurrent_bias: tensor<128xf32>, %h0: tensor<3x32xf32>, %c0: tensor<3x32xf32>) -> (tensor<3x8x32xf32>, tensor<3x32xf32>, tensor<3x32xf32>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0) {heads = 2}
      : (tensor<3x8x32xf32>, tensor<32x128xf32>, tensor<2x16x64xf32>, tensor<128xf32>, tensor<128xf32>, tensor<3x32xf32>, tensor<3x32xf32>) -> (tensor<3x8x32xf32>, tensor<3x32xf32>, tensor<3x32xf32>)
  return %y, %h, %c : tensor<3x8x32xf32>, tensor<3x32xf32>, tensor<3x32xf32>
}
