// Two independent states: a learned per-channel decay (a weight shaped
// like the state, h' = lambda h + x) and a running sum of the input.
func.func @decay_and_counter(%x: tensor<3x50x8xf32>, %lambda: tensor<3x8xf32>, %h0: tensor<3x8xf32>, %c0: tensor<3x8xf32>)
    -> (tensor<3x50x8xf32>, tensor<3x50x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>) {
  %hs, %cs, %h, %c = seq.recurrence ins(%x : tensor<3x50x8xf32>) init(%h0, %c0 : tensor<3x8xf32>, tensor<3x8xf32>) weights(%lambda : tensor<3x8xf32>)
      -> (tensor<3x50x8xf32>, tensor<3x50x8xf32>) final (tensor<3x8xf32>, tensor<3x8xf32>) {
  ^bb0(%xt: tensor<3x8xf32>, %s: tensor<3x8xf32>, %t: tensor<3x8xf32>, %l: tensor<3x8xf32>):
    %d = arith.mulf %l, %s : tensor<3x8xf32>
    %n = arith.addf %d, %xt : tensor<3x8xf32>
    %m = arith.addf %t, %xt : tensor<3x8xf32>
    seq.yield %n, %m, %n, %m : tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>
  }
  return %hs, %cs, %h, %c : tensor<3x50x8xf32>, tensor<3x50x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>
}
