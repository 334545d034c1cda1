// Small RNN layers of every fused-step shape for seqc-gpu-emulate (B = 2,
// T = 6, 16 inputs, 24 hidden units): a GRU (linear-before-reset: the reset
// gate multiplies the recurrent product of the candidate, so its cell reads
// three gates of a unit), an sLSTM with 2 heads x 12 (block-diagonal R,
// four states), an Elman RNN (one gate).
func.func @gru(%x: tensor<2x6x16xf32>, %w: tensor<16x72xf32>, %r: tensor<1x24x72xf32>, %bias: tensor<72xf32>, %rbias: tensor<72xf32>, %h0: tensor<2x24xf32>) -> (tensor<2x6x24xf32>, tensor<2x24xf32>) {
  %y, %h = seqnn.gru %x, %w, %r bias %bias recurrent_bias %rbias init(%h0)
      : (tensor<2x6x16xf32>, tensor<16x72xf32>, tensor<1x24x72xf32>, tensor<72xf32>, tensor<72xf32>, tensor<2x24xf32>) -> (tensor<2x6x24xf32>, tensor<2x24xf32>)
  return %y, %h : tensor<2x6x24xf32>, tensor<2x24xf32>
}

func.func @slstm(%x: tensor<2x6x16xf32>, %w: tensor<16x96xf32>, %r: tensor<2x12x48xf32>, %bias: tensor<96xf32>, %rbias: tensor<96xf32>, %h0: tensor<2x24xf32>, %c0: tensor<2x24xf32>, %n0: tensor<2x24xf32>, %m0: tensor<2x24xf32>) -> (tensor<2x6x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>) {
  %y, %h, %c, %n, %m = seqnn.slstm %x, %w, %r bias %bias recurrent_bias %rbias init(%h0, %c0, %n0, %m0) {heads = 2}
      : (tensor<2x6x16xf32>, tensor<16x96xf32>, tensor<2x12x48xf32>, tensor<96xf32>, tensor<96xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>) -> (tensor<2x6x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>)
  return %y, %h, %c, %n, %m : tensor<2x6x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>
}

func.func @elman(%x: tensor<2x6x16xf32>, %w: tensor<16x24xf32>, %r: tensor<1x24x24xf32>, %bias: tensor<24xf32>, %rbias: tensor<24xf32>, %h0: tensor<2x24xf32>) -> (tensor<2x6x24xf32>, tensor<2x24xf32>) {
  %y, %h = seqnn.elman %x, %w, %r bias %bias recurrent_bias %rbias init(%h0)
      : (tensor<2x6x16xf32>, tensor<16x24xf32>, tensor<1x24x24xf32>, tensor<24xf32>, tensor<24xf32>, tensor<2x24xf32>) -> (tensor<2x6x24xf32>, tensor<2x24xf32>)
  return %y, %h : tensor<2x6x24xf32>, tensor<2x24xf32>
}
