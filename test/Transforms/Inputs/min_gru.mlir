// CHECK-LABEL: func.func @min_gru
// CHECK-SAME: (%[[G:.*]]: tensor<2x9x4xf32>, %[[X:.*]]: tensor<2x9x4xf32>, %[[H0:.*]]: tensor<2x4xf32>)
// CHECK-NOT:  seq.recurrence
// The gate is computed for all steps at once.
// CHECK:      %[[NEG:.*]] = arith.negf %[[G]] : tensor<2x9x4xf32>
// CHECK:      math.exp %[[NEG]] : tensor<2x9x4xf32>
// CHECK:      %[[H:.*]], %[[LAST:.*]] = seq.linear_scan %{{.*}}, %{{.*}} init %[[H0]] : (tensor<2x9x4xf32>, tensor<2x9x4xf32>, tensor<2x4xf32>) -> (tensor<2x9x4xf32>, tensor<2x4xf32>)
// CHECK:      return %[[H]], %[[LAST]]
func.func @min_gru(%g: tensor<2x9x4xf32>, %x: tensor<2x9x4xf32>, %h0: tensor<2x4xf32>) -> (tensor<2x9x4xf32>, tensor<2x4xf32>) {
  %hs, %h = seq.recurrence ins(%g, %x : tensor<2x9x4xf32>, tensor<2x9x4xf32>) init(%h0 : tensor<2x4xf32>)
      -> (tensor<2x9x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%gt: tensor<2x4xf32>, %xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %one = arith.constant dense<1.0> : tensor<2x4xf32>
    %ng = arith.negf %gt : tensor<2x4xf32>
    %e = math.exp %ng : tensor<2x4xf32>
    %d = arith.addf %one, %e : tensor<2x4xf32>
    %z = arith.divf %one, %d : tensor<2x4xf32>
    %keep = arith.subf %one, %z : tensor<2x4xf32>
    %kh = arith.mulf %keep, %s : tensor<2x4xf32>
    %zx = arith.mulf %z, %xt : tensor<2x4xf32>
    %n = arith.addf %kh, %zx : tensor<2x4xf32>
    seq.yield %n, %n : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %hs, %h : tensor<2x9x4xf32>, tensor<2x4xf32>
}
