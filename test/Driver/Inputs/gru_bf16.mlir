// A bf16 GRU (B4 T4 H64): its widened bias is broadcast into the projection,
// then its buffer is reused for the widened recurrent bias.
func.func @gru(%x: tensor<4x4x64xbf16>, %w: tensor<64x192xbf16>, %r: tensor<1x64x192xbf16>, %b: tensor<192xbf16>, %rb: tensor<192xbf16>, %h0: tensor<4x64xbf16>) -> (tensor<4x4x64xbf16>, tensor<4x64xbf16>) {
  %y, %h_final = seqnn.gru %x, %w, %r bias %b recurrent_bias %rb init(%h0)
      : (tensor<4x4x64xbf16>, tensor<64x192xbf16>, tensor<1x64x192xbf16>, tensor<192xbf16>, tensor<192xbf16>, tensor<4x64xbf16>) -> (tensor<4x4x64xbf16>, tensor<4x64xbf16>)
  return %y, %h_final : tensor<4x4x64xbf16>, tensor<4x64xbf16>
}
