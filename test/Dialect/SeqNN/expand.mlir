// seqnn-expand: every layer becomes seq primitives; its input projections
// are hoisted out of the recurrence as one matmul over [B*T, M] (before
// the seq op), and nothing of seqnn is left.
// RUN: seq-opt %s -seqnn-expand -canonicalize | FileCheck %s
// RUN: seq-opt %s -seqnn-expand | seq-opt -seq-lower-forms -o /dev/null

// Mamba-2's 4 heads share 1 group of B and C: head h reads group h / 4.
// CHECK: affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 4, d3)>

// CHECK-LABEL: func.func @elman_minimal
// CHECK-NOT: seqnn.
// CHECK: linalg.matmul ins(%{{.*}} : tensor<32x32xf32>, tensor<32x64xf32>)
// CHECK: seq.recurrence ins(%{{.*}} : tensor<2x16x1x2x32xf32>)
// CHECK: linalg.batch_matmul
// CHECK: math.tanh
// CHECK: seq.yield
// CHECK-NOT: seqnn.
// CHECK: return
func.func @elman_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x64xf32>, %r: tensor<2x32x32xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>) {
  %y, %f_h = seqnn.elman %x, %w, %r {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return %y, %f_h : tensor<2x16x64xf32>, tensor<2x64xf32>
}

// CHECK-LABEL: func.func @lstm_minimal
// CHECK-NOT: seqnn.
// CHECK: linalg.matmul ins(%{{.*}} : tensor<32x32xf32>, tensor<32x256xf32>)
// CHECK: seq.recurrence ins(%{{.*}} : tensor<2x16x4x4x16xf32>) init(%{{.*}}, %{{.*}} : tensor<2x4x16xf32>, tensor<2x4x16xf32>) weights(%{{.*}} : tensor<4x16x4x16xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}} : tensor<4x2x16xf32>, tensor<4x16x64xf32>)
// CHECK: math.tanh
// CHECK: seq.yield
// CHECK-NOT: seqnn.
// CHECK: return
func.func @lstm_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>) {
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return %y, %f_h, %f_c : tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>
}

// CHECK-LABEL: func.func @gru_minimal
// CHECK-NOT: seqnn.
// CHECK: linalg.matmul
// CHECK: seq.recurrence
// CHECK: linalg.batch_matmul
// CHECK: arith.subf
// CHECK: seq.yield
// CHECK-NOT: seqnn.
// CHECK: return
func.func @gru_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x192xf32>, %r: tensor<1x64x192xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>) {
  %y, %f_h = seqnn.gru %x, %w, %r
      : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return %y, %f_h : tensor<2x16x64xf32>, tensor<2x64xf32>
}

// CHECK-LABEL: func.func @slstm_minimal
// CHECK-NOT: seqnn.
// CHECK: linalg.matmul
// CHECK: seq.recurrence ins(%{{.*}} : tensor<2x16x4x4x16xf32>) init(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} :
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: seq.yield
// CHECK-NOT: seqnn.
// CHECK: return
func.func @slstm_minimal(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>) -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>) {
  %y, %f_h, %f_c, %f_n, %f_m = seqnn.slstm %x, %w, %r {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return %y, %f_h, %f_c, %f_n, %f_m : tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>
}

// CHECK-LABEL: func.func @lru_minimal
// CHECK-NOT: seqnn.
// CHECK: linalg.matmul ins(%{{.*}} : tensor<32x32xf32>, tensor<32x16xf32>)
// CHECK: math.cos
// CHECK: math.sin
// CHECK: seq.scan ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x16x16xf32>, tensor<2x16x16xf32>, tensor<2x16x16xf32>, tensor<2x16x16xf32>) init(
// CHECK: seq.yield
// CHECK-NOT: seqnn.
// CHECK: return
func.func @lru_minimal(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>) {
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return %y, %f_re, %f_im : tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>
}

// CHECK-LABEL: func.func @s4d_minimal
// CHECK-NOT: seqnn.
// CHECK: math.cos
// CHECK: seq.scan ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x16x32x8xf32>,
// CHECK: seq.yield
// CHECK-NOT: seqnn.
// CHECK: return
func.func @s4d_minimal(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>) {
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return %y, %f_re, %f_im : tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>
}

// CHECK-LABEL: func.func @mamba_minimal
// CHECK-NOT: seqnn.
// CHECK: linalg.matmul ins(%{{.*}} : tensor<32x32xf32>, tensor<32x36xf32>)
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [2, 16, 4]
// CHECK: math.log1p
// CHECK: seq.linear_scan %{{.*}}, %{{.*}} : (tensor<2x16x32x16xf32>, tensor<2x16x32x16xf32>) -> (tensor<2x16x32x16xf32>, tensor<2x32x16xf32>)
// CHECK-NOT: seqnn.
// CHECK: return
func.func @mamba_minimal(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>) {
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return %y, %f : tensor<2x16x32xf32>, tensor<2x32x16xf32>
}

// CHECK-LABEL: func.func @retnet_minimal
// CHECK-NOT: seqnn.
// CHECK: arith.constant dense<[-0.0317486972, -0.0157483574, -0.00784317776, -0.00391389942]> : tensor<4xf32>
// CHECK: seq.linear_attention %{{.*}}, %{{.*}}, %{{.*}} gate <scalar> %{{.*}} {scale = 0.35355339059327373 : f64}
// CHECK-NOT: seqnn.
// CHECK: return
func.func @retnet_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>) {
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return %y, %f : tensor<2x16x32xf32>, tensor<2x4x8x8xf32>
}

// CHECK-LABEL: func.func @gla_minimal
// CHECK-NOT: seqnn.
// CHECK: math.log1p
// CHECK: seq.linear_attention %{{.*}}, %{{.*}}, %{{.*}} gate <vector> %{{.*}} {scale = 2.500000e-01 : f64} : (tensor<2x16x2x16xf32>
// CHECK-NOT: seqnn.
// CHECK: return
func.func @gla_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>) {
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return %y, %f : tensor<2x16x32xf32>, tensor<2x2x16x16xf32>
}

// CHECK-LABEL: func.func @mamba2_minimal
// CHECK-NOT: seqnn.
// CHECK: seq.linear_attention %{{.*}}, %{{.*}}, %{{.*}} gate <scalar> %{{.*}} {scale = 1.000000e+00 : f64} : (tensor<2x16x4x16xf32>, tensor<2x16x4x16xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4xf32>)
// CHECK-NOT: seqnn.
// CHECK: return
func.func @mamba2_minimal(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>) {
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return %y, %f : tensor<2x16x32xf32>, tensor<2x4x16x8xf32>
}

// CHECK-LABEL: func.func @deltanet_minimal
// CHECK-NOT: seqnn.
// CHECK: math.sqrt
// CHECK: seq.delta_rule %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale = 0.35355339059327373 : f64}
// CHECK-NOT: seqnn.
// CHECK: return
func.func @deltanet_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>) {
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return %y, %f : tensor<2x16x32xf32>, tensor<2x4x8x8xf32>
}

// CHECK-LABEL: func.func @gated_deltanet_minimal
// CHECK-NOT: seqnn.
// CHECK: math.sqrt
// CHECK: seq.delta_rule %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} gate %{{.*}} {scale
// CHECK-NOT: seqnn.
// CHECK: return
func.func @gated_deltanet_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x4xf32>, %a_log: tensor<4xf32>, %dt_bias: tensor<4xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>) {
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return %y, %f : tensor<2x16x32xf32>, tensor<2x4x8x8xf32>
}

// CHECK-LABEL: func.func @aaren_minimal
// CHECK-NOT: seqnn.
// CHECK: seq.softmax_attention %{{.*}}, %{{.*}}, %{{.*}} {scale = 0.35355339059327373 : f64} : (tensor<2x4x8xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>) -> (tensor<2x16x4x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
// CHECK-NOT: seqnn.
// CHECK: return
func.func @aaren_minimal(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>) {
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return %y, %f_m, %f_u, %f_w : tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>
}

// CHECK-LABEL: func.func @attention_minimal
// CHECK-NOT: seqnn.
// CHECK: seq.softmax_attention %{{.*}}, %{{.*}}, %{{.*}} {scale = 0.35355339059327373 : f64} : (tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>) -> (tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>)
// CHECK-NOT: seqnn.
// CHECK: return
func.func @attention_minimal(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>) {
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>)
  return %y, %f_k, %f_v : tensor<2x16x32xf32>, tensor<2x16x4x8xf32>, tensor<2x16x4x8xf32>
}
