// sLSTM ("xLSTM: Extended Long Short-Term Memory"): exponential input and forget
// gates with the stabilizer m, normalizer n, and a block-diagonal recurrent
// matrix of 4 heads (FlashRNN's layout [4, 64, 256]).
// B = 4, T = 256, 128 inputs, 256 hidden units.
//
// Verify: build/bin/seq-opt examples/slstm.mlir

func.func @slstm(
    %x: tensor<4x256x128xf32>,
    %w: tensor<128x1024xf32>,
    %r: tensor<4x64x256xf32>,
    %bias: tensor<1024xf32>,
    %recurrent_bias: tensor<1024xf32>,
    %h0: tensor<4x256xf32>,
    %c0: tensor<4x256xf32>,
    %n0: tensor<4x256xf32>,
    %m0: tensor<4x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>) {
  %y, %h_final, %c_final, %n_final, %m_final = seqnn.slstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0, %n0, %m0) {heads = 4}
      : (tensor<4x256x128xf32>, tensor<128x1024xf32>, tensor<4x64x256xf32>, tensor<1024xf32>, tensor<1024xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>)
  return %y, %h_final, %c_final, %n_final, %m_final : tensor<4x256x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>, tensor<4x256xf32>
}
