// A memory budget no checkpoint plan fits is an error naming the constraint
// and the least any plan needs: the LSTM of memory-budget.mlir needs 1920
// bytes of other residuals plus at least 560 of states.
// RUN: seq-opt %s -seqnn-expand -seq-differentiate=memory-budget=2400 -verify-diagnostics -o /dev/null

// expected-error @+1 {{cannot be differentiated within the memory budget of 2400 bytes (constraint memory_budget: residuals plus the largest recomputed segment's states): every plan needs at least 2480 bytes, of which 1920 bytes are residuals other than recurrence states}}
func.func @lstm(%x: tensor<2x12x3xf32>, %w: tensor<3x20xf32>, %r: tensor<1x5x20xf32>,
    %bias: tensor<20xf32>, %recurrent_bias: tensor<20xf32>, %h0: tensor<2x5xf32>, %c0: tensor<2x5xf32>)
    -> (tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>) {
  %y, %h_final, %c_final = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0)
      : (tensor<2x12x3xf32>, tensor<3x20xf32>, tensor<1x5x20xf32>, tensor<20xf32>, tensor<20xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
      -> (tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  return %y, %h_final, %c_final : tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>
}
