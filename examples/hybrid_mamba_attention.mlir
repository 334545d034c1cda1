// A hybrid stack in the style of Jamba / Zamba: a Mamba (S6) layer, causal
// softmax attention (2 heads of 64), and another Mamba layer, each with a
// residual connection. B = 4, T = 256, model dim 128. seqnn-expand turns each
// layer into seq primitives; the driver compiles the whole stack at once.
//
// Verify: build/bin/seq-opt examples/hybrid_mamba_attention.mlir

func.func @hybrid_mamba_attention(
    %x: tensor<4x256x128xf32>,
    %m1_a_log: tensor<128x16xf32>,
    %m1_x_proj: tensor<128x40xf32>,
    %m1_dt_proj: tensor<8x128xf32>,
    %m1_dt_bias: tensor<128xf32>,
    %m1_d: tensor<128xf32>,
    %m2_a_log: tensor<128x16xf32>,
    %m2_x_proj: tensor<128x40xf32>,
    %m2_dt_proj: tensor<8x128xf32>,
    %m2_dt_bias: tensor<128xf32>,
    %m2_d: tensor<128xf32>,
    %a_w_q: tensor<128x128xf32>,
    %a_w_k: tensor<128x128xf32>,
    %a_w_v: tensor<128x128xf32>,
    %a_w_o: tensor<128x128xf32>)
    -> tensor<4x256x128xf32> {
  %y1, %m1_state = seqnn.mamba %x, %m1_a_log, %m1_x_proj, %m1_dt_proj, %m1_dt_bias, %m1_d
      : (tensor<4x256x128xf32>, tensor<128x16xf32>, tensor<128x40xf32>, tensor<8x128xf32>, tensor<128xf32>, tensor<128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x128x16xf32>)
  %r1 = arith.addf %x, %y1 : tensor<4x256x128xf32>
  %y2, %k_cache, %v_cache = seqnn.attention %r1, %a_w_q, %a_w_k, %a_w_v, %a_w_o {heads = 2}
      : (tensor<4x256x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x256x2x64xf32>, tensor<4x256x2x64xf32>)
  %r2 = arith.addf %r1, %y2 : tensor<4x256x128xf32>
  %y3, %m2_state = seqnn.mamba %r2, %m2_a_log, %m2_x_proj, %m2_dt_proj, %m2_dt_bias, %m2_d
      : (tensor<4x256x128xf32>, tensor<128x16xf32>, tensor<128x40xf32>, tensor<8x128xf32>, tensor<128xf32>, tensor<128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x128x16xf32>)
  %out = arith.addf %r2, %y3 : tensor<4x256x128xf32>
  return %out : tensor<4x256x128xf32>
}
