// A bf16 LSTM with a batch of 16 (B = 16, T = 4, 32 hidden units) for
// seqc-gpu-emulate: in the alternating variant its per-step h R (an f32
// state by bf16 weights, M = 16, N = 128, K = 32) tiles for the tensor
// cores, the state entering as bf16 terms.
func.func @lstm_b16(%x: tensor<16x4x32xbf16>, %w: tensor<32x128xbf16>, %r: tensor<1x32x128xbf16>, %bias: tensor<128xbf16>, %rbias: tensor<128xbf16>, %h0: tensor<16x32xbf16>, %c0: tensor<16x32xbf16>) -> (tensor<16x4x32xbf16>, tensor<16x32xbf16>, tensor<16x32xbf16>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %rbias init(%h0, %c0)
      : (tensor<16x4x32xbf16>, tensor<32x128xbf16>, tensor<1x32x128xbf16>, tensor<128xbf16>, tensor<128xbf16>, tensor<16x32xbf16>, tensor<16x32xbf16>) -> (tensor<16x4x32xbf16>, tensor<16x32xbf16>, tensor<16x32xbf16>)
  return %y, %h, %c : tensor<16x4x32xbf16>, tensor<16x32xbf16>, tensor<16x32xbf16>
}
