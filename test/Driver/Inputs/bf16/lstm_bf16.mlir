// A bf16 LSTM (bf16 weights, f32 state and accumulation): its projection
// and its step's h R become bf16 pair kernels on an AVX-512 BF16 host.
func.func @lstm(%x: tensor<5x16x48xbf16>, %w: tensor<48x256xbf16>, %r: tensor<1x64x256xbf16>,
                %b: tensor<256xbf16>, %h0: tensor<5x64xbf16>, %c0: tensor<5x64xbf16>)
    -> (tensor<5x16x64xbf16>, tensor<5x64xbf16>, tensor<5x64xbf16>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %b init(%h0, %c0)
      : (tensor<5x16x48xbf16>, tensor<48x256xbf16>, tensor<1x64x256xbf16>, tensor<256xbf16>,
         tensor<5x64xbf16>, tensor<5x64xbf16>) -> (tensor<5x16x64xbf16>, tensor<5x64xbf16>, tensor<5x64xbf16>)
  return %y, %h, %c : tensor<5x16x64xbf16>, tensor<5x64xbf16>, tensor<5x64xbf16>
}
