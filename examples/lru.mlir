// Linear Recurrent Unit ("Resurrecting Recurrent Neural Networks for Long
// Sequences"): complex diagonal recurrence with exponential parameterization.
// B = 4, T = 256, D = 128 model channels, N = 64 complex state channels.
//
// Verify: build/bin/seq-opt examples/lru.mlir

func.func @lru(
    %x: tensor<4x256x128xf32>,
    %nu_log: tensor<64xf32>,
    %theta_log: tensor<64xf32>,
    %gamma_log: tensor<64xf32>,
    %b_re: tensor<128x64xf32>,
    %b_im: tensor<128x64xf32>,
    %c_re: tensor<64x128xf32>,
    %c_im: tensor<64x128xf32>,
    %d: tensor<128xf32>)
    -> (tensor<4x256x128xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  %y, %h_final_re, %h_final_im = seqnn.lru %x, %nu_log, %theta_log, %gamma_log, %b_re, %b_im, %c_re, %c_im, %d
      : (tensor<4x256x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<128x64xf32>, tensor<128x64xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x64xf32>, tensor<4x64xf32>)
  return %y, %h_final_re, %h_final_im : tensor<4x256x128xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}
