// Round trip of every seqnn layer with every optional part, in the custom
// form and through the generic form.
// RUN: seq-opt %s | seq-opt | FileCheck %s
// RUN: seq-opt %s --mlir-print-op-generic | seq-opt | FileCheck %s

// CHECK-LABEL: func.func @elman_full
// CHECK: seqnn.elman %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} recurrent_bias %{{.*}} init(%{{.*}}) activation <relu> {heads = 2 : i64} : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
func.func @elman_full(%x: tensor<2x16x32xf32>, %w: tensor<32x64xf32>, %r: tensor<2x32x32xf32>, %bias: tensor<64xf32>, %recurrent_bias: tensor<64xf32>, %init_h: tensor<2x64xf32>) {
  %y, %f_h = seqnn.elman %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h) activation <relu> {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @lstm_full
// CHECK: seqnn.lstm %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} init(%{{.*}}, %{{.*}}) {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
func.func @lstm_full(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf32>) {
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r bias %bias init(%init_h, %init_c) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @gru_full
// CHECK: seqnn.gru %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} recurrent_bias %{{.*}} init(%{{.*}}) : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>, tensor<192xf32>, tensor<192xf32>, tensor<2x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
func.func @gru_full(%x: tensor<2x16x32xf32>, %w: tensor<32x192xf32>, %r: tensor<1x64x192xf32>, %bias: tensor<192xf32>, %recurrent_bias: tensor<192xf32>, %init_h: tensor<2x64xf32>) {
  %y, %f_h = seqnn.gru %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h)
      : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>, tensor<192xf32>, tensor<192xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @slstm_full
// CHECK: seqnn.slstm %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} recurrent_bias %{{.*}} init(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
func.func @slstm_full(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %recurrent_bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf32>, %init_n: tensor<2x64xf32>, %init_m: tensor<2x64xf32>) {
  %y, %f_h, %f_c, %f_n, %f_m = seqnn.slstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h, %init_c, %init_n, %init_m) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @lru_full
// CHECK: seqnn.lru %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init(%{{.*}}, %{{.*}}) : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
func.func @lru_full(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// CHECK-LABEL: func.func @s4d_full
// CHECK: seqnn.s4d %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init(%{{.*}}, %{{.*}}) discretization <bilinear> : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
func.func @s4d_full(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x8xf32>) {
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// CHECK-LABEL: func.func @mamba_full
// CHECK: seqnn.mamba %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf32>) -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
func.func @mamba_full(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf32>) {
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// CHECK-LABEL: func.func @rglru_full
// CHECK: seqnn.rglru %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} {c = 4.000000e+00 : f64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
func.func @rglru_full(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xf32>, %init: tensor<2x32xf32>) {
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 4.0}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// CHECK-LABEL: func.func @retnet_full
// CHECK: seqnn.retnet %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} {decay = [9.687500e-01, 9.843750e-01, 0.9921875, 0.99609375], heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
func.func @retnet_full(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// CHECK-LABEL: func.func @gla_full
// CHECK: seqnn.gla %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} {gate_normalizer = 8.000000e+00 : f64, heads = 2 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>) -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
func.func @gla_full(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// CHECK-LABEL: func.func @mamba2_full
// CHECK: seqnn.mamba2 %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
func.func @mamba2_full(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// CHECK-LABEL: func.func @deltanet_full
// CHECK: seqnn.deltanet %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} allow_negative_eigenvalues {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
func.func @deltanet_full(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o init %init allow_negative_eigenvalues {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// CHECK-LABEL: func.func @gated_deltanet_full
// CHECK: seqnn.gated_deltanet %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
func.func @gated_deltanet_full(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x4xf32>, %a_log: tensor<4xf32>, %dt_bias: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// CHECK-LABEL: func.func @aaren_full
// CHECK: seqnn.aaren %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init(%{{.*}}, %{{.*}}, %{{.*}}) {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
func.func @aaren_full(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf32>, %init_u: tensor<2x4xf32>, %init_w: tensor<2x4x8xf32>) {
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u, %init_w) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return
}

// CHECK-LABEL: func.func @attention_full
// CHECK: seqnn.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} init(%{{.*}}, %{{.*}}) {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>) -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
func.func @attention_full(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// CHECK-LABEL: func.func @elman_minimal
// CHECK: seqnn.elman %{{.*}}, %{{.*}}, %{{.*}} {heads = 2 : i64} : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
func.func @elman_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x64xf32>, %r: tensor<2x32x32xf32>) {
  %y, %f_h = seqnn.elman %x, %w, %r {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @lstm_minimal
// CHECK: seqnn.lstm %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
func.func @lstm_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>) {
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @gru_minimal
// CHECK: seqnn.gru %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
func.func @gru_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x192xf32>, %r: tensor<1x64x192xf32>) {
  %y, %f_h = seqnn.gru %x, %w, %r
      : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @slstm_minimal
// CHECK: seqnn.slstm %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
func.func @slstm_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>) {
  %y, %f_h, %f_c, %f_n, %f_m = seqnn.slstm %x, %w, %r {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// CHECK-LABEL: func.func @lru_minimal
// CHECK: seqnn.lru %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
func.func @lru_minimal(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>) {
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// CHECK-LABEL: func.func @s4d_minimal
// CHECK: seqnn.s4d %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
func.func @s4d_minimal(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>) {
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// CHECK-LABEL: func.func @mamba_minimal
// CHECK: seqnn.mamba %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
func.func @mamba_minimal(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>) {
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// CHECK-LABEL: func.func @rglru_minimal
// CHECK: seqnn.rglru %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
func.func @rglru_minimal(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xf32>) {
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// CHECK-LABEL: func.func @retnet_minimal
// CHECK: seqnn.retnet %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
func.func @retnet_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// CHECK-LABEL: func.func @gla_minimal
// CHECK: seqnn.gla %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 2 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
func.func @gla_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// CHECK-LABEL: func.func @mamba2_minimal
// CHECK: seqnn.mamba2 %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
func.func @mamba2_minimal(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// CHECK-LABEL: func.func @deltanet_minimal
// CHECK: seqnn.deltanet %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
func.func @deltanet_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// CHECK-LABEL: func.func @gated_deltanet_minimal
// CHECK: seqnn.gated_deltanet %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
func.func @gated_deltanet_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x4xf32>, %a_log: tensor<4xf32>, %dt_bias: tensor<4xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// CHECK-LABEL: func.func @aaren_minimal
// CHECK: seqnn.aaren %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
func.func @aaren_minimal(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return
}

// CHECK-LABEL: func.func @attention_minimal
// CHECK: seqnn.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 4 : i64} : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>)
func.func @attention_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) {
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>)
  return
}

