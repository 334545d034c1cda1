// DeltaNet ("Parallelizing Linear Transformers with the Delta Rule over
// Sequence Length"), with negative eigenvalues ("Unlocking State-Tracking in
// Linear RNNs Through Negative Eigenvalues"): beta = 2 sigmoid(x w_beta).
// B = 4, T = 256, model 256, 4 heads of 64.
//
// Verify: build/bin/seq-opt examples/deltanet.mlir

func.func @deltanet(
    %x: tensor<4x256x256xf32>,
    %w_q: tensor<256x256xf32>,
    %w_k: tensor<256x256xf32>,
    %w_v: tensor<256x256xf32>,
    %w_beta: tensor<256x4xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>) {
  %y, %s_final = seqnn.deltanet %x, %w_q, %w_k, %w_v, %w_beta, %w_o allow_negative_eigenvalues {heads = 4}
      : (tensor<4x256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x4xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x4x64x64xf32>)
  return %y, %s_final : tensor<4x256x256xf32>, tensor<4x4x64x64xf32>
}
