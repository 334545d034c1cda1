// seqnn-expand reports a dynamic size it cannot build, with where it is:
// weights are static, and the attention layer's caches (length P + T)
// cannot have a dynamic time.
// RUN: seq-opt %s -seqnn-expand -split-input-file -verify-diagnostics

func.func @dynamic_weight(%x: tensor<?x?x2xf32>, %w: tensor<2x?xf32>, %r: tensor<1x3x3xf32>)
    -> (tensor<?x?x3xf32>, tensor<?x3xf32>) {
  // expected-error @below {{'seqnn.elman' op operand #1 ('tensor<2x?xf32>') has a dynamic dimension 1}}
  // expected-note @below {{only the batch (dimension 0) and time (dimension 1) of the input and output, and the batch of the states, may be dynamic; weights are static}}
  %y, %h = seqnn.elman %x, %w, %r
      : (tensor<?x?x2xf32>, tensor<2x?xf32>, tensor<1x3x3xf32>) -> (tensor<?x?x3xf32>, tensor<?x3xf32>)
  return %y, %h : tensor<?x?x3xf32>, tensor<?x3xf32>
}

// -----

func.func @attention_cache_length(%x: tensor<?x?x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>,
                                  %wv: tensor<16x16xf32>, %wo: tensor<16x16xf32>)
    -> (tensor<?x?x16xf32>, tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>) {
  // expected-error @below {{'seqnn.attention' op result #1 ('tensor<?x?x2x8xf32>') has a dynamic dimension 1}}
  // expected-note @below {{only the batch}}
  %y, %k, %v = seqnn.attention %x, %wq, %wk, %wv, %wo {heads = 2}
      : (tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>)
      -> (tensor<?x?x16xf32>, tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>)
  return %y, %k, %v : tensor<?x?x16xf32>, tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>
}
