// seq-differentiate{memory-budget=N}: the recurrence's checkpoint interval
// is chosen by Z3 for the budget and written on it as seq.checkpoint_every.
// The LSTM over T = 12 (B = 2, H = 5: 80 bytes of h and c per step) has
// 1920 bytes of other residuals (the input projection); every state kept
// needs 960 more, and the recurrent products (h R) kept with them, so that
// the backward does not multiply again, 1920 (seq.kept_products). 4800
// bytes fit that: K = 1, nothing recomputed. 2600 bytes do not: each K > 1 costs one recomputation, and K = 3 and 4 need
// the least memory (560 bytes of kept states plus a segment's), K = 4 the
// fewer segments; the forward keeps the states before every 4th step (a
// strided slice). (A budget no plan fits: memory-budget-error.mlir.)
// RUN: seq-opt %s -seqnn-expand -seq-differentiate=memory-budget=4800 | FileCheck %s --check-prefix=ROOMY
// RUN: seq-opt %s -seqnn-expand -seq-differentiate=memory-budget=2600 | FileCheck %s --check-prefix=TIGHT

// ROOMY-LABEL: func.func @lstm_fwd(
// ROOMY: seq.recurrence {{.*}}seq.checkpoint_every = 1 : i64, seq.kept_products = 1 : i64
// ROOMY-NOT: tensor.extract_slice {{.*}} [1, 1, 1, 1]
// ROOMY: return

// TIGHT-LABEL: func.func @lstm_fwd(
// TIGHT: seq.recurrence {{.*}}seq.checkpoint_every = 4 : i64
// TIGHT-NOT: seq.kept_products
// TIGHT: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [2, 3, 1, 5] [1, 4, 1, 1]
// TIGHT: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [2, 3, 1, 5] [1, 4, 1, 1]
// TIGHT: return

func.func @lstm(%x: tensor<2x12x3xf32>, %w: tensor<3x20xf32>, %r: tensor<1x5x20xf32>,
    %bias: tensor<20xf32>, %recurrent_bias: tensor<20xf32>, %h0: tensor<2x5xf32>, %c0: tensor<2x5xf32>)
    -> (tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>) {
  %y, %h_final, %c_final = seqnn.lstm %x, %w, %r bias %bias recurrent_bias %recurrent_bias init(%h0, %c0)
      : (tensor<2x12x3xf32>, tensor<3x20xf32>, tensor<1x5x20xf32>, tensor<20xf32>, tensor<20xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
      -> (tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
  return %y, %h_final, %c_final : tensor<2x12x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>
}
