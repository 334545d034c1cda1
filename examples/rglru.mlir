// Griffin's RG-LRU ("Griffin: Mixing Gated Linear Recurrences with Local
// Attention for Efficient Language Models"; the recurrence of Hawk and
// Griffin): recurrence and input gates from the input, the decay
// a_t = sigmoid(lambda)^(8 r_t), h_t = a_t h_{t-1} + sqrt(1 - a_t^2) (i_t x_t).
// B = 4, T = 256, D = 128 channels.
//
// Verify: build/bin/seq-opt examples/rglru.mlir

func.func @rglru(
    %x: tensor<4x256x128xf32>,
    %w_a: tensor<128x128xf32>,
    %b_a: tensor<128xf32>,
    %w_x: tensor<128x128xf32>,
    %b_x: tensor<128xf32>,
    %lambda: tensor<128xf32>)
    -> (tensor<4x256x128xf32>, tensor<4x128xf32>) {
  %y, %h_final = seqnn.rglru %x, %w_a, %b_a, %w_x, %b_x, %lambda
      : (tensor<4x256x128xf32>, tensor<128x128xf32>, tensor<128xf32>, tensor<128x128xf32>, tensor<128xf32>, tensor<128xf32>)
      -> (tensor<4x256x128xf32>, tensor<4x128xf32>)
  return %y, %h_final : tensor<4x256x128xf32>, tensor<4x128xf32>
}
