// The benchmark's bf16 LSTM step (B = 16, 768 hidden units; T = 4): in the
// fused variant a block's gates (16 rows x 6 units x 4 gates, k 768) are
// mma.sync tiles, the warps' fragments of R held in registers.
func.func @lstm(%x: tensor<16x4x768xbf16>, %w: tensor<768x3072xbf16>, %r: tensor<1x768x3072xbf16>, %bias: tensor<3072xbf16>, %recurrent_bias: tensor<3072xbf16>, %h0: tensor<16x768xbf16>, %c0: tensor<16x768xbf16>) -> (tensor<16x4x768xbf16>, tensor<16x768xbf16>, tensor<16x768xbf16>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0)
      : (tensor<16x4x768xbf16>, tensor<768x3072xbf16>, tensor<1x768x3072xbf16>, tensor<3072xbf16>, tensor<3072xbf16>, tensor<16x768xbf16>, tensor<16x768xbf16>) -> (tensor<16x4x768xbf16>, tensor<16x768xbf16>, tensor<16x768xbf16>)
  return %y, %h, %c : tensor<16x4x768xbf16>, tensor<16x768xbf16>, tensor<16x768xbf16>
}
