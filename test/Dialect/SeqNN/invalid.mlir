// One case per verifier error of the seqnn dialect.
// RUN: seq-opt %s -split-input-file -verify-diagnostics

func.func @lru_init_one_part(%x: tensor<2x16x32xf32>, %v: tensor<16xf32>, %b: tensor<32x16xf32>, %c: tensor<16x32xf32>, %d: tensor<32xf32>, %h: tensor<2x16xf32>) {
  // expected-error @+1 {{'init' gives both parts of the complex state (re, im) or neither}}
  %y, %re, %im = "seqnn.lru"(%x, %v, %v, %v, %b, %b, %c, %c, %d, %h) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0>}
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @classic_w_columns(%x: tensor<2x16x32xf32>, %w: tensor<32x250xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf32>) {
  // expected-error @+1 {{operand 'w' must be [I, G*D] with G = 4 gates, got 250 columns, not a multiple of 4}}
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r bias %bias init(%init_h, %init_c) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x250xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_heads_divide_hidden(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf32>) {
  // expected-error @+1 {{heads (3) must divide the hidden size D = 64}}
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r bias %bias init(%init_h, %init_c) {heads = 3}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_w_rows(%x: tensor<2x16x32xf32>, %w: tensor<30x192xf32>, %r: tensor<1x64x192xf32>, %bias: tensor<192xf32>, %recurrent_bias: tensor<192xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{operand 'w' must have shape [32, 192] ([I, G*D]), got [30, 192]}}
  %y, %f_h = seqnn.gru %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h)
      : (tensor<2x16x32xf32>, tensor<30x192xf32>, tensor<1x64x192xf32>, tensor<192xf32>, tensor<192xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_r_block_diagonal(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<1x64x256xf32>, %bias: tensor<256xf32>, %recurrent_bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf32>, %init_n: tensor<2x64xf32>, %init_m: tensor<2x64xf32>) {
  // expected-error @+1 {{operand 'r' must have shape [4, 16, 64] ([heads, D/heads, G*D/heads]), got [1, 64, 256]}}
  %y, %f_h, %f_c, %f_n, %f_m = seqnn.slstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h, %init_c, %init_n, %init_m) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<1x64x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_bias(%x: tensor<2x16x32xf32>, %w: tensor<32x64xf32>, %r: tensor<2x32x32xf32>, %bias: tensor<32xf32>, %recurrent_bias: tensor<64xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{operand 'bias' must have shape [64] ([G*D]), got [32]}}
  %y, %f_h = seqnn.elman %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h) activation <relu> {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>, tensor<32xf32>, tensor<64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_recurrent_bias(%x: tensor<2x16x32xf32>, %w: tensor<32x192xf32>, %r: tensor<1x64x192xf32>, %bias: tensor<192xf32>, %recurrent_bias: tensor<64xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{operand 'recurrent_bias' must have shape [192] ([G*D]), got [64]}}
  %y, %f_h = seqnn.gru %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h)
      : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>, tensor<192xf32>, tensor<64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_y(%x: tensor<2x16x32xf32>, %w: tensor<32x192xf32>, %r: tensor<1x64x192xf32>, %bias: tensor<192xf32>, %recurrent_bias: tensor<192xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{result 'y' must have shape [2, 16, 64] ([B, T, D]), got [2, 16, 32]}}
  %y, %f_h = seqnn.gru %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h)
      : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>, tensor<192xf32>, tensor<192xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_weight_precision(%x: tensor<2x16x32xf32>, %w: tensor<32x64xbf16>, %r: tensor<2x32x32xf32>, %bias: tensor<64xf32>, %recurrent_bias: tensor<64xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{operand 'w' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f_h = seqnn.elman %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h) activation <relu> {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x64xbf16>, tensor<2x32x32xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_final_count(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{must return the final states (h, c), got 1 values}}
  %y, %f_h = seqnn.lstm %x, %w, %r bias %bias init(%init_h) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_final_shape(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %recurrent_bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf32>, %init_n: tensor<2x64xf32>, %init_m: tensor<2x64xf32>) {
  // expected-error @+1 {{final state 'm' must have shape [2, 64] ([B, D]), got [2, 32]}}
  %y, %f_h, %f_c, %f_n, %f_m = seqnn.slstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h, %init_c, %init_n, %init_m) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<2x32xf32>)
  return
}

// -----

func.func @classic_state_precision(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %init_h: tensor<2x64xf32>, %init_c: tensor<2x64xf16>) {
  // expected-error @+1 {{final state 'c' must have element type f32 or 'f32' (that of the input), got 'f16'}}
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r bias %bias init(%init_h, %init_c) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>, tensor<2x64xf16>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf16>)
  return
}

// -----

func.func @classic_init_count(%x: tensor<2x16x32xf32>, %w: tensor<32x256xf32>, %r: tensor<4x16x64xf32>, %bias: tensor<256xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{'init' is absent or holds every state (h, c), got 1 values}}
  %y, %f_h, %f_c = seqnn.lstm %x, %w, %r bias %bias init(%init_h) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x256xf32>, tensor<4x16x64xf32>, tensor<256xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_init_type(%x: tensor<2x16x32xf32>, %w: tensor<32x64xf32>, %r: tensor<2x32x32xf32>, %bias: tensor<64xf32>, %recurrent_bias: tensor<64xf32>, %init_h: tensor<2x64xbf16>) {
  // expected-error @+1 {{init #0 must have the type of final state #0, 'tensor<2x64xf32>', got 'tensor<2x64xbf16>'}}
  %y, %f_h = seqnn.elman %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h) activation <relu> {heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x64xf32>, tensor<2x32x32xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x64xbf16>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @classic_heads_positive(%x: tensor<2x16x32xf32>, %w: tensor<32x192xf32>, %r: tensor<1x64x192xf32>, %bias: tensor<192xf32>, %recurrent_bias: tensor<192xf32>, %init_h: tensor<2x64xf32>) {
  // expected-error @+1 {{attribute 'heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y, %f_h = seqnn.gru %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%init_h) {heads = 0}
      : (tensor<2x16x32xf32>, tensor<32x192xf32>, tensor<1x64x192xf32>, tensor<192xf32>, tensor<192xf32>, tensor<2x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x64xf32>)
  return
}

// -----

func.func @lru_theta(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<8xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'theta_log' must have shape [16] ([N]), got [8]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_gamma(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<8xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'gamma_log' must have shape [16] ([N]), got [8]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_b_re(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<16x32xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'b_re' must have shape [32, 16] ([D, N]), got [16, 32]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16x32xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_b_im(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'b_im' must have shape [32, 16] ([D, N]), got [32, 8]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x8xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_c_re(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<32x16xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'c_re' must have shape [16, 32] ([N, D]), got [32, 16]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_c_im(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'c_im' must have shape [16, 32] ([N, D]), got [16, 8]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x8xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_d(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<16xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'd' must have shape [32] ([D]), got [16]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_y(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{result 'y' must have shape [2, 16, 32] ([B, T, D]), got [2, 16, 16]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_final(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x8xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{result 'final_re' must have shape [2, 16] ([B, N]), got [2, 8]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x8xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x8xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_final_im(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x8xf32>) {
  // expected-error @+1 {{result 'final_im' must have shape [2, 16] ([B, N]), got [2, 8]}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @lru_init_type(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xbf16>) {
  // expected-error @+1 {{'init' parts must have the type of the final state parts, 'tensor<2x16xf32>', got 'tensor<2x16xf32>' and 'tensor<2x16xbf16>'}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xbf16>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_state_parts_differ(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xbf16>) {
  // expected-error @+1 {{results 'final_re' and 'final_im' must have one type, got 'tensor<2x16xf32>' and 'tensor<2x16xbf16>'}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xbf16>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xbf16>)
  return
}

// -----

func.func @lru_state_precision(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf32>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf16>, %init_im: tensor<2x16xf16>) {
  // expected-error @+1 {{result 'final_re' must have element type f32 or 'f32' (that of the input), got 'f16'}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf16>, tensor<2x16xf16>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf16>, tensor<2x16xf16>)
  return
}

// -----

func.func @lru_weight_precision(%x: tensor<2x16x32xf32>, %nu_log: tensor<16xf16>, %theta_log: tensor<16xf32>, %gamma_log: tensor<16xf32>, %b_re: tensor<32x16xf32>, %b_im: tensor<32x16xf32>, %c_re: tensor<16x32xf32>, %c_im: tensor<16x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x16xf32>, %init_im: tensor<2x16xf32>) {
  // expected-error @+1 {{operand 'nu_log' must have element type 'f32' (that of the input), got 'f16'}}
  %y, %f_re, %f_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im)
      : (tensor<2x16x32xf32>, tensor<16xf16>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @s4d_log_dt(%x: tensor<2x16x32xf32>, %log_dt: tensor<8xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x8xf32>) {
  // expected-error @+1 {{operand 'log_dt' must have shape [32] ([D]), got [8]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// -----

func.func @s4d_modes(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x4xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x8xf32>) {
  // expected-error @+1 {{operand 'a_imag' must have shape [32, 8] ([D, N]), got [32, 4]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// -----

func.func @s4d_c_im(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<8x32xf32>, %d: tensor<32xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x8xf32>) {
  // expected-error @+1 {{operand 'c_im' must have shape [32, 8] ([D, N]), got [8, 32]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// -----

func.func @s4d_d(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<8xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x8xf32>) {
  // expected-error @+1 {{operand 'd' must have shape [32] ([D]), got [8]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<8xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// -----

func.func @s4d_final(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x8xf32>, %init_im: tensor<2x32x8xf32>) {
  // expected-error @+1 {{result 'final_re' must have shape [2, 32, 8] ([B, D, N]), got [2, 8]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x8xf32>, tensor<2x32x8xf32>)
  return
}

// -----

func.func @s4d_final_im(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x4xf32>) {
  // expected-error @+1 {{result 'final_im' must have shape [2, 32, 8] ([B, D, N]), got [2, 32, 4]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x4xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x8xf32>, tensor<2x32x4xf32>)
  return
}

// -----

func.func @s4d_y(%x: tensor<2x16x32xf32>, %log_dt: tensor<32xf32>, %a_real_log: tensor<32x8xf32>, %a_imag: tensor<32x8xf32>, %b_re: tensor<32x8xf32>, %b_im: tensor<32x8xf32>, %c_re: tensor<32x8xf32>, %c_im: tensor<32x8xf32>, %d: tensor<32xf32>, %init_re: tensor<2x32x8xf32>, %init_im: tensor<2x32x8xf32>) {
  // expected-error @+1 {{result 'y' must have shape [2, 16, 32] ([B, T, D]), got [2, 8, 32]}}
  %y, %f_re, %f_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d init(%init_re, %init_im) discretization <bilinear>
      : (tensor<2x16x32xf32>, tensor<32xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
      -> (tensor<2x8x32xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
  return
}

// -----

func.func @mamba_a_log(%u: tensor<2x16x32xf32>, %a_log: tensor<16x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf32>) {
  // expected-error @+1 {{operand 'a_log' must have shape [32, 16] ([D, N]), got [16, 16]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<16x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// -----

func.func @mamba_x_proj(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x40xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf32>) {
  // expected-error @+1 {{operand 'x_proj' must have shape [32, 36] ([D, R + 2N]: dt rank R (rows of 'dt_proj'), then B and C), got [32, 40]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x40xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// -----

func.func @mamba_dt_proj(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x16xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf32>) {
  // expected-error @+1 {{operand 'dt_proj' must have shape [4, 32] ([R, D]), got [4, 16]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x16xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// -----

func.func @mamba_dt_bias(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<4xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf32>) {
  // expected-error @+1 {{operand 'dt_bias' must have shape [32] ([D]), got [4]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<4xf32>, tensor<32xf32>, tensor<2x32x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// -----

func.func @mamba_d(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<4xf32>, %init: tensor<2x32x16xf32>) {
  // expected-error @+1 {{operand 'd' must have shape [32] ([D]), got [4]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<4xf32>, tensor<2x32x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// -----

func.func @mamba_final(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x16x32xf32>) {
  // expected-error @+1 {{result 'final_state' must have shape [2, 32, 16] ([B, D, N]), got [2, 16, 32]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x16x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16x32xf32>)
  return
}

// -----

func.func @mamba_state_precision(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf16>) {
  // expected-error @+1 {{result 'final_state' must have element type f32 or 'f32' (that of the input), got 'f16'}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf16>)
      -> (tensor<2x16x32xf32>, tensor<2x32x16xf16>)
  return
}

// -----

func.func @mamba_y(%u: tensor<2x16x32xf32>, %a_log: tensor<32x16xf32>, %x_proj: tensor<32x36xf32>, %dt_proj: tensor<4x32xf32>, %dt_bias: tensor<32xf32>, %d: tensor<32xf32>, %init: tensor<2x32x16xf32>) {
  // expected-error @+1 {{result 'y' must have shape [2, 16, 32] ([B, T, D]), got [1, 16, 32]}}
  %y, %f = seqnn.mamba %u, %a_log, %x_proj, %dt_proj, %dt_bias, %d init %init
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x36xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32x16xf32>)
      -> (tensor<1x16x32xf32>, tensor<2x32x16xf32>)
  return
}

// -----

func.func @rglru_w_a(%x: tensor<2x16x32xf32>, %w_a: tensor<32x16xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xf32>, %init: tensor<2x32xf32>) {
  // expected-error @+1 {{operand 'w_a' must have shape [32, 32] ([D, D]), got [32, 16]}}
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 4.0}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// -----

func.func @rglru_b_x(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<16xf32>, %lambda: tensor<32xf32>, %init: tensor<2x32xf32>) {
  // expected-error @+1 {{operand 'b_x' must have shape [32] ([D]), got [16]}}
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 4.0}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16xf32>, tensor<32xf32>, tensor<2x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// -----

func.func @rglru_lambda(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xbf16>, %init: tensor<2x32xf32>) {
  // expected-error @+1 {{operand 'lambda' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 4.0}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xbf16>, tensor<2x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// -----

func.func @rglru_final(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xf32>, %init: tensor<2x16xf32>) {
  // expected-error @+1 {{result 'final_state' must have shape [2, 32] ([B, D]), got [2, 16]}}
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 4.0}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @rglru_init(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xf32>, %init: tensor<2x32xbf16>) {
  // expected-error @+1 {{init #0 must have the type of final state #0, 'tensor<2x32xf32>', got 'tensor<2x32xbf16>'}}
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 4.0}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32xbf16>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// -----

func.func @rglru_c_positive(%x: tensor<2x16x32xf32>, %w_a: tensor<32x32xf32>, %b_a: tensor<32xf32>, %w_x: tensor<32x32xf32>, %b_x: tensor<32xf32>, %lambda: tensor<32xf32>, %init: tensor<2x32xf32>) {
  // expected-error @+1 {{attribute 'c' failed to satisfy constraint: 64-bit float attribute whose value is positive}}
  %y, %f = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda init %init {c = 0.0}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<2x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x32xf32>)
  return
}

// -----

func.func @attention_heads_divide_keys(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x30xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{heads (4) must divide the columns of 'w_k' (heads*dk = 30)}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x30xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @attention_heads_divide_values(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x30xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{heads (4) must divide the columns of 'w_v' (heads*dv = 30)}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x30xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @attention_w_k_rows(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<16x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_k' must have shape [32, 32] ([M, heads*dk]), got [16, 32]}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @attention_w_v_rows(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<16x32xf32>, %w_beta: tensor<32x4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_v' must have shape [32, 32] ([M, heads*dv]), got [16, 32]}}
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o init %init allow_negative_eigenvalues {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @attention_w_o(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x16xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{operand 'w_o' must have shape [32, 32] ([heads*dv, M]), got [32, 16]}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x16xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @attention_y(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{result 'y' must have shape [2, 16, 32] ([B, T, M]), got [2, 16, 16]}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x16xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @retnet_w_q(%x: tensor<2x16x32xf32>, %w_q: tensor<32x16xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 16]}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @retnet_weight_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xbf16>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_o' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xbf16>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @retnet_decay_count(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{'decay' must list one value per head (4), got 2}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.9, 0.9], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @retnet_decay_range(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{'decay' #2 must lie in (0, 1], got 1.5}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.9, 0.9, 1.5, 0.9], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @matrix_state_shape(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x4xf32>) {
  // expected-error @+1 {{result 'final_state' must have shape [2, 4, 8, 8] ([B, H, dk, dv]), got [2, 4, 8, 4]}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x4xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x4xf32>)
  return
}

// -----

func.func @matrix_state_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf16>) {
  // expected-error @+1 {{result 'final_state' must have element type f32 or 'f32' (that of the input), got 'f16'}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf16>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf16>)
  return
}

// -----

func.func @matrix_init_type(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xbf16>) {
  // expected-error @+1 {{operand 'init' must have the type of the final state, 'tensor<2x4x8x8xf32>', got 'tensor<2x4x8x8xbf16>'}}
  %y, %f = seqnn.retnet %x, %w_q, %w_k, %w_v, %w_o init %init {decay = [0.96875, 0.984375, 0.9921875, 0.99609375], heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4x8x8xbf16>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @gla_w_q(%x: tensor<2x16x32xf32>, %w_q: tensor<32x16xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 16]}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @gla_gate_down(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<16x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{operand 'w_gate_down' must have shape [32, 8] ([M, rank]), got [16, 8]}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<16x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @gla_gate_up(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<4x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{operand 'w_gate_up' must have shape [8, 32] ([rank, heads*dk]: rank of 'w_gate_down'), got [4, 32]}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @gla_gate_bias(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<16xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{operand 'gate_bias' must have shape [32] ([heads*dk]), got [16]}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<16xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @gla_gate_normalizer(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{attribute 'gate_normalizer' failed to satisfy constraint: 64-bit float attribute whose value is positive}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 0.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @gla_weight_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_gate_down: tensor<32x8xf32>, %w_gate_up: tensor<8x32xf32>, %gate_bias: tensor<32xf16>, %w_o: tensor<32x32xf32>, %init: tensor<2x2x16x16xf32>) {
  // expected-error @+1 {{operand 'gate_bias' must have element type 'f32' (that of the input), got 'f16'}}
  %y, %f = seqnn.gla %x, %w_q, %w_k, %w_v, %w_gate_down, %w_gate_up, %gate_bias, %w_o init %init {gate_normalizer = 8.0, heads = 2}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<8x32xf32>, tensor<32xf16>, tensor<32x32xf32>, tensor<2x2x16x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x2x16x16xf32>)
  return
}

// -----

func.func @mamba2_groups_divide_heads(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{groups (3) must divide heads (4)}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {groups = 3, heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_groups_divide_w_b(%x: tensor<2x16x32xf32>, %w_b: tensor<32x15xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{groups (2) must divide the columns of 'w_b' (groups*N = 15)}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {groups = 2, heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x15xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_w_b_rows(%x: tensor<2x16x32xf32>, %w_b: tensor<8x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'w_b' must have shape [32, 16] ([M, groups*N]), got [8, 16]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<8x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_y(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{result 'y' must have shape [2, 16, 32] ([B, T, M]), got [2, 16, 8]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x8xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_heads_divide_w_x(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x30xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{heads (4) must divide the columns of 'w_x' (heads*P = 30)}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x30xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_w_c(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x8xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'w_c' must have shape [32, 16] ([M, groups*N] like 'w_b'), got [32, 8]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x8xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_w_dt(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x2xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'w_dt' must have shape [32, 4] ([M, heads]), got [32, 2]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_dt_bias(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<2xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'dt_bias' must have shape [4] ([heads]), got [2]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_a_log(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<2xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'a_log' must have shape [4] ([heads]), got [2]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_d(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<8xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'd' must have shape [4] ([heads]), got [8]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_w_o(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<16x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'w_o' must have shape [32, 32] ([heads*P, M]), got [16, 32]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<16x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @mamba2_state(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xf32>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{result 'final_state' must have shape [2, 4, 16, 8] ([B, heads, N, P]), got [2, 4, 8, 16]}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x8x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x16xf32>)
  return
}

// -----

func.func @mamba2_weight_precision(%x: tensor<2x16x32xf32>, %w_b: tensor<32x16xf32>, %w_c: tensor<32x16xf32>, %w_x: tensor<32x32xf32>, %w_dt: tensor<32x4xf32>, %dt_bias: tensor<4xf32>, %a_log: tensor<4xbf16>, %d: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x16x8xf32>) {
  // expected-error @+1 {{operand 'a_log' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f = seqnn.mamba2 %x, %w_b, %w_c, %w_x, %w_dt, %dt_bias, %a_log, %d, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xbf16>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x16x8xf32>)
  return
}

// -----

func.func @deltanet_w_q(%x: tensor<2x16x32xf32>, %w_q: tensor<32x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 8]}}
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o init %init allow_negative_eigenvalues {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @deltanet_w_beta(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x1xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_beta' must have shape [32, 4] ([M, heads]), got [32, 1]}}
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o init %init allow_negative_eigenvalues {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x1xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @deltanet_weight_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf16>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_beta' must have element type 'f32' (that of the input), got 'f16'}}
  %y, %f = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o init %init allow_negative_eigenvalues {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf16>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @gated_deltanet_w_a(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x2xf32>, %a_log: tensor<4xf32>, %dt_bias: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'w_a' must have shape [32, 4] ([M, heads]), got [32, 2]}}
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @gated_deltanet_a_log(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x4xf32>, %a_log: tensor<2xf32>, %dt_bias: tensor<4xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'a_log' must have shape [4] ([heads]), got [2]}}
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<2xf32>, tensor<4xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @gated_deltanet_dt_bias(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x4xf32>, %a_log: tensor<4xf32>, %dt_bias: tensor<2xf32>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'dt_bias' must have shape [4] ([heads]), got [2]}}
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @gated_deltanet_weight_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_beta: tensor<32x4xf32>, %w_a: tensor<32x4xf32>, %a_log: tensor<4xf32>, %dt_bias: tensor<4xbf16>, %w_o: tensor<32x32xf32>, %init: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{operand 'dt_bias' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f = seqnn.gated_deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_a, %a_log, %dt_bias, %w_o init %init {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x4xf32>, tensor<32x4xf32>, tensor<4xf32>, tensor<4xbf16>, tensor<32x32xf32>, tensor<2x4x8x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4x8x8xf32>)
  return
}

// -----

func.func @aaren_query(%x: tensor<2x16x32xf32>, %query: tensor<4x16xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf32>, %init_u: tensor<2x4xf32>, %init_w: tensor<2x4x8xf32>) {
  // expected-error @+1 {{operand 'query' must have shape [4, 8] ([heads, dk]: one learned query per head), got [4, 16]}}
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u, %init_w) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x16xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return
}

// -----

func.func @aaren_query_precision(%x: tensor<2x16x32xf32>, %query: tensor<4x8xbf16>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf32>, %init_u: tensor<2x4xf32>, %init_w: tensor<2x4x8xf32>) {
  // expected-error @+1 {{operand 'query' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u, %init_w) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xbf16>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return
}

// -----

func.func @aaren_final_count(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf32>, %init_u: tensor<2x4xf32>) {
  // expected-error @+1 {{must return the final states (m [B, H], u [B, H], w [B, H, dv]), got 2 values}}
  %y, %f_m, %f_u = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @aaren_state_shape(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf32>, %init_u: tensor<2x4xf32>, %init_w: tensor<2x4xf32>) {
  // expected-error @+1 {{final state 'w' must have shape [2, 4, 8] (m [B, H], u [B, H], w [B, H, dv]), got [2, 4]}}
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u, %init_w) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @aaren_state_precision(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf16>, %init_u: tensor<2x4xf32>, %init_w: tensor<2x4x8xf32>) {
  // expected-error @+1 {{final state 'm' must have element type f32 or 'f32' (that of the input), got 'f16'}}
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u, %init_w) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf16>, tensor<2x4xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf16>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return
}

// -----

func.func @aaren_init_count(%x: tensor<2x16x32xf32>, %query: tensor<4x8xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_m: tensor<2x4xf32>, %init_u: tensor<2x4xf32>) {
  // expected-error @+1 {{'init' is absent or holds every state (m [B, H], u [B, H], w [B, H, dv]), got 2 values}}
  %y, %f_m, %f_u, %f_w = seqnn.aaren %x, %query, %w_k, %w_v, %w_o init(%init_m, %init_u) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<4x8xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return
}

// -----

func.func @attention_w_q(%x: tensor<2x16x32xf32>, %w_q: tensor<32x16xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 16]}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x16xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_weight_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xbf16>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{operand 'w_q' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xbf16>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_init_count(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{'init' is absent or the key/value cache (keys [B, P, H, dk], values [B, P, H, dv]), got 1 values}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_final_count(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{must return the extended key/value cache (keys [B, P + T, H, dk], values [B, P + T, H, dv]), got 1 values}}
  %y, %f_k = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_init_keys(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x2x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{init keys must have shape [2, 5, 4, 8] (keys [B, P, H, dk], values [B, P, H, dv]), got [2, 5, 2, 8]}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x2x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_init_values(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x4x4x8xf32>) {
  // expected-error @+1 {{init values must have shape [2, 5, 4, 8] (keys [B, P, H, dk], values [B, P, H, dv]), got [2, 4, 4, 8]}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x4x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_final_keys(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{final keys must have shape [2, 21, 4, 8] (the cache extended by this call: keys [B, P + T, H, dk], values [B, P + T, H, dv]), got [2, 16, 4, 8]}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16x4x8xf32>, tensor<2x21x4x8xf32>)
  return
}

// -----

func.func @attention_final_values(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{final values must have shape [2, 21, 4, 8] (the cache extended by this call: keys [B, P + T, H, dk], values [B, P + T, H, dv]), got [2, 21, 4, 4]}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x4xf32>)
  return
}

// -----

func.func @attention_cache_precision(%x: tensor<2x16x32xf32>, %w_q: tensor<32x32xf32>, %w_k: tensor<32x32xf32>, %w_v: tensor<32x32xf32>, %w_o: tensor<32x32xf32>, %init_k: tensor<2x5x4x8xf32>, %init_v: tensor<2x5x4x8xf32>) {
  // expected-error @+1 {{operand 'final values' must have element type 'f32' (that of the input), got 'bf16'}}
  %y, %f_k, %f_v = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o init(%init_k, %init_v) {heads = 4}
      : (tensor<2x16x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<2x5x4x8xf32>, tensor<2x5x4x8xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x21x4x8xf32>, tensor<2x21x4x8xbf16>)
  return
}

