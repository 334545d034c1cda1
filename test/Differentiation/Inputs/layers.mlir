// Small instances of the layer families whose gradients seqc builds, for
// `seqc run --grad --check` (layers.test).

func.func @mamba(%u: tensor<2x9x8xf32>, %a_log: tensor<8x4xf32>, %x_proj: tensor<8x10xf32>,
                 %dt_proj: tensor<2x8xf32>, %dt_bias: tensor<8xf32>, %d: tensor<8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x8x4xf32>) {
  %y, %h = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d
      : (tensor<2x9x8xf32>, tensor<8x4xf32>, tensor<8x10xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x8x4xf32>)
  return %y, %h : tensor<2x9x8xf32>, tensor<2x8x4xf32>
}

func.func @rglru(%x: tensor<2x9x8xf32>, %w_a: tensor<8x8xf32>, %b_a: tensor<8xf32>,
                 %w_x: tensor<8x8xf32>, %b_x: tensor<8xf32>, %lambda: tensor<8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x8xf32>) {
  %y, %h = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda
      : (tensor<2x9x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x8xf32>)
  return %y, %h : tensor<2x9x8xf32>, tensor<2x8xf32>
}

func.func @slstm(%x: tensor<2x9x6xf32>, %w: tensor<6x32xf32>, %r: tensor<2x4x16xf32>,
                 %bias: tensor<32xf32>, %recurrent_bias: tensor<32xf32>, %h0: tensor<2x8xf32>,
                 %c0: tensor<2x8xf32>, %n0: tensor<2x8xf32>, %m0: tensor<2x8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %y, %h, %c, %n, %m = seqnn.slstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0, %n0, %m0) {heads = 2}
      : (tensor<2x9x6xf32>, tensor<6x32xf32>, tensor<2x4x16xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return %y, %h, %c, %n, %m : tensor<2x9x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

func.func @lru(%x: tensor<2x9x8xf32>, %nu_log: tensor<4xf32>, %theta_log: tensor<4xf32>,
               %gamma_log: tensor<4xf32>, %b_re: tensor<8x4xf32>, %b_im: tensor<8x4xf32>,
               %c_re: tensor<4x8xf32>, %c_im: tensor<4x8xf32>, %d: tensor<8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %y, %h_re, %h_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x9x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  return %y, %h_re, %h_im : tensor<2x9x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

func.func @s4d(%x: tensor<2x9x8xf32>, %log_dt: tensor<8xf32>, %a_real_log: tensor<8x4xf32>,
               %a_imag: tensor<8x4xf32>, %b_re: tensor<8x4xf32>, %b_im: tensor<8x4xf32>,
               %c_re: tensor<8x4xf32>, %c_im: tensor<8x4xf32>, %d: tensor<8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>) {
  %y, %h_re, %h_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x9x8xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>)
  return %y, %h_re, %h_im : tensor<2x9x8xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>
}

func.func @gla(%x: tensor<2x9x8xf32>, %w_q: tensor<8x8xf32>, %w_k: tensor<8x8xf32>, %w_v: tensor<8x8xf32>,
               %w_gate_down: tensor<8x2xf32>, %w_gate_up: tensor<2x8xf32>, %gate_bias: tensor<8xf32>,
               %w_o: tensor<8x8xf32>) -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>) {
  %y, %s = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o {heads = 2}
      : (tensor<2x9x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x2xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>)
  return %y, %s : tensor<2x9x8xf32>, tensor<2x2x4x4xf32>
}

func.func @retnet(%x: tensor<2x9x8xf32>, %w_q: tensor<8x8xf32>, %w_k: tensor<8x8xf32>, %w_v: tensor<8x8xf32>,
                  %w_o: tensor<8x8xf32>) -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>) {
  %y, %s = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o {heads = 2}
      : (tensor<2x9x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>)
  return %y, %s : tensor<2x9x8xf32>, tensor<2x2x4x4xf32>
}

func.func @mamba2(%x: tensor<2x9x8xf32>, %w_b: tensor<8x4xf32>, %w_c: tensor<8x4xf32>, %w_x: tensor<8x8xf32>,
                  %w_dt: tensor<8x2xf32>, %dt_bias: tensor<2xf32>, %a_log: tensor<2xf32>, %d: tensor<2xf32>,
                  %w_o: tensor<8x8xf32>) -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>) {
  %y, %s = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o {heads = 2}
      : (tensor<2x9x8xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x8xf32>, tensor<8x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>)
  return %y, %s : tensor<2x9x8xf32>, tensor<2x2x4x4xf32>
}

func.func @deltanet(%x: tensor<2x9x8xf32>, %w_q: tensor<8x8xf32>, %w_k: tensor<8x8xf32>, %w_v: tensor<8x8xf32>,
                    %w_beta: tensor<8x2xf32>, %w_o: tensor<8x8xf32>) -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>) {
  %y, %s = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o allow_negative_eigenvalues {heads = 2}
      : (tensor<2x9x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x2xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>)
  return %y, %s : tensor<2x9x8xf32>, tensor<2x2x4x4xf32>
}

func.func @gated_deltanet(%x: tensor<2x9x8xf32>, %w_q: tensor<8x8xf32>, %w_k: tensor<8x8xf32>,
                          %w_v: tensor<8x8xf32>, %w_beta: tensor<8x2xf32>, %w_a: tensor<8x2xf32>,
                          %a_log: tensor<2xf32>, %dt_bias: tensor<2xf32>, %w_o: tensor<8x8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>) {
  %y, %s = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o {heads = 2}
      : (tensor<2x9x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x2xf32>, tensor<8x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x2x4x4xf32>)
  return %y, %s : tensor<2x9x8xf32>, tensor<2x2x4x4xf32>
}

func.func @attention(%x: tensor<2x9x8xf32>, %w_q: tensor<8x8xf32>, %w_k: tensor<8x8xf32>,
                     %w_v: tensor<8x8xf32>, %w_o: tensor<8x8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x9x2x4xf32>, tensor<2x9x2x4xf32>) {
  %y, %kc, %vc = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o {heads = 2}
      : (tensor<2x9x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x9x2x4xf32>, tensor<2x9x2x4xf32>)
  return %y, %kc, %vc : tensor<2x9x8xf32>, tensor<2x9x2x4xf32>, tensor<2x9x2x4xf32>
}

func.func @aaren(%x: tensor<2x9x8xf32>, %query: tensor<2x4xf32>, %w_k: tensor<8x8xf32>,
                 %w_v: tensor<8x8xf32>, %w_o: tensor<8x8xf32>)
    -> (tensor<2x9x8xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2x4xf32>) {
  %y, %m, %u, %w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o {heads = 2}
      : (tensor<2x9x8xf32>, tensor<2x4xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>)
      -> (tensor<2x9x8xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2x4xf32>)
  return %y, %m, %u, %w : tensor<2x9x8xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2x4xf32>
}
