// S4D ("On the Parameterization and Initialization of Diagonal State Space
// Models"), recurrent mode, zero-order-hold discretization.
// B = 4, T = 256, D = 128 channels, N = 32 complex modes per channel.
//
// Verify: build/bin/seq-opt examples/s4d.mlir

func.func @s4d(
    %x: tensor<4x256x128xf32>,
    %log_dt: tensor<128xf32>,
    %a_real_log: tensor<128x32xf32>,
    %a_imag: tensor<128x32xf32>,
    %b_re: tensor<128x32xf32>,
    %b_im: tensor<128x32xf32>,
    %c_re: tensor<128x32xf32>,
    %c_im: tensor<128x32xf32>,
    %d: tensor<128xf32>)
    -> (tensor<4x256x128xf32>, tensor<4x128x32xf32>, tensor<4x128x32xf32>) {
  %y, %h_final_re, %h_final_im = seqnn.s4d %x, %log_dt, %a_real_log, %a_imag, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<4x256x128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<128x32xf32>, tensor<128x32xf32>, tensor<128x32xf32>, tensor<128x32xf32>, tensor<128x32xf32>, tensor<128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x128x32xf32>, tensor<4x128x32xf32>)
  return %y, %h_final_re, %h_final_im : tensor<4x256x128xf32>, tensor<4x128x32xf32>, tensor<4x128x32xf32>
}
