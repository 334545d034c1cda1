// Small S4D (complex modes: the discretization's sin and cos) and RetNet
// (its per-head decays: a constant table, a memref.global on the host) for
// seqc-gpu-emulate.
func.func @s4d(%x: tensor<2x16x8xf32>, %log_dt: tensor<8xf32>, %a_real_log: tensor<8x4xf32>, %a_imag: tensor<8x4xf32>, %b_re: tensor<8x4xf32>, %b_im: tensor<8x4xf32>, %c_re: tensor<8x4xf32>, %c_im: tensor<8x4xf32>, %d: tensor<8xf32>) -> (tensor<2x16x8xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>) {
  %y, %h_re, %h_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x16x8xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>)
      -> (tensor<2x16x8xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>)
  return %y, %h_re, %h_im : tensor<2x16x8xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>
}

func.func @retnet(%x: tensor<1x32x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) -> (tensor<1x32x32xf32>, tensor<1x2x16x16xf32>) {
  %y, %s = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o {heads = 2}
      : (tensor<1x32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<1x32x32xf32>, tensor<1x2x16x16xf32>)
  return %y, %s : tensor<1x32x32xf32>, tensor<1x2x16x16xf32>
}
