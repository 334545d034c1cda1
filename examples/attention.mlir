// Causal multi-head softmax attention ("Attention Is All You Need"); the final
// states are the key/value cache for further decoding.
// B = 4, T = 256, model 256, 4 heads of 64.
//
// Verify: build/bin/seq-opt examples/attention.mlir

func.func @attention(
    %x: tensor<4x256x256xf32>,
    %w_q: tensor<256x256xf32>,
    %w_k: tensor<256x256xf32>,
    %w_v: tensor<256x256xf32>,
    %w_o: tensor<256x256xf32>)
    -> (tensor<4x256x256xf32>, tensor<4x256x4x64xf32>, tensor<4x256x4x64xf32>) {
  %y, %k_cache, %v_cache = seqnn.attention %x, %w_q, %w_k, %w_v, %w_o {heads = 4}
      : (tensor<4x256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>)
      -> (tensor<4x256x256xf32>, tensor<4x256x4x64xf32>, tensor<4x256x4x64xf32>)
  return %y, %k_cache, %v_cache : tensor<4x256x256xf32>, tensor<4x256x4x64xf32>, tensor<4x256x4x64xf32>
}
