// A small bf16 LSTM (B = 2, T = 16, 32 hidden units) for seqc-gpu-emulate:
// its input projection is a tensor-core kernel, its recurrence (in the
// fused variant) one persistent kernel.
func.func @lstm_bf16(%x: tensor<2x16x32xbf16>, %w: tensor<32x128xbf16>, %r: tensor<1x32x128xbf16>, %bias: tensor<128xbf16>, %rbias: tensor<128xbf16>, %h0: tensor<2x32xbf16>, %c0: tensor<2x32xbf16>) -> (tensor<2x16x32xbf16>, tensor<2x32xbf16>, tensor<2x32xbf16>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %rbias init(%h0, %c0)
      : (tensor<2x16x32xbf16>, tensor<32x128xbf16>, tensor<1x32x128xbf16>, tensor<128xbf16>, tensor<128xbf16>, tensor<2x32xbf16>, tensor<2x32xbf16>) -> (tensor<2x16x32xbf16>, tensor<2x32xbf16>, tensor<2x32xbf16>)
  return %y, %h, %c : tensor<2x16x32xbf16>, tensor<2x32xbf16>, tensor<2x32xbf16>
}
