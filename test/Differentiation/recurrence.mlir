// seq-differentiate on a recurrence (an Elman cell with a bias weight):
// the forward function keeps the states of every step (here the output
// itself, so nothing more is stored) and the step's recurrent product h @ W
// (seq.kept_products); the backward function is a recurrence over reversed
// time whose body recomputes the step from them (without the matmul) and
// runs its reverse sweep. The recurrent weight, which enters only as the right
// operand of h @ W, gets its cotangent from one matmul over all rows and
// steps after the loop; the bias is summed in the loop as an accumulator.
// RUN: seq-opt %s -seq-differentiate | FileCheck %s
// RUN: seq-opt %s -seq-differentiate -canonicalize | FileCheck %s --check-prefix=KEPT

// CHECK-LABEL: func.func @cell_fwd(
// CHECK: %[[HS:.*]]:2, %[[H:.*]] = seq.recurrence {{.*}} attributes {seq.kept_products = 1 : i64}
// CHECK: return %[[HS]]#0, %[[H]], %[[HS]]#0, %[[HS]]#1 :

// CHECK-LABEL: func.func @cell_bwd(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x6x4xf32>, %[[H0:[^:]*]]: tensor<2x4xf32>, %[[R:[^:]*]]: tensor<4x4xf32>, %[[BIAS:[^:]*]]: tensor<4xf32>,
// CHECK-SAME: %[[STATES:[^:]*]]: tensor<2x6x4xf32>, %[[PRODUCTS:[^:]*]]: tensor<2x6x4xf32>, %[[DHS:[^:]*]]: tensor<2x6x4xf32>, %[[DH:[^:]*]]: tensor<2x4xf32>)
// CHECK-SAME: -> (tensor<2x6x4xf32>, tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>)
// The states before each step: h0, then the saved states shifted by one.
// CHECK: tensor.insert_slice %[[H0]] into
// CHECK: tensor.extract_slice %[[STATES]][0, 0, 0] [2, 5, 4]
// The backward recurrence: inputs x, the states before each step, the
// output cotangents and the kept products (reversed); states the state
// cotangent and the bias accumulator; outputs dx and, per step, h and
// d(h @ W).
// CHECK: %[[OUTS:.*]]:3, %[[FINALS:.*]]:2 = seq.recurrence ins({{.*}} : tensor<2x6x4xf32>, tensor<2x6x4xf32>, tensor<2x6x4xf32>, tensor<2x6x4xf32>)
// CHECK-SAME: init(%[[DH]], %{{.*}} : tensor<2x4xf32>, tensor<4xf32>) weights(%[[R]], %[[BIAS]] : tensor<4x4xf32>, tensor<4xf32>)
// CHECK-SAME: attributes {accumulators = 1 : i64}
// CHECK-SAME: -> (tensor<2x6x4xf32>, tensor<2x6x4xf32>, tensor<2x6x4xf32>) final(tensor<2x4xf32>, tensor<4xf32>)
// The step recomputed (its matmul now dead: the kept product replaces it),
// then differentiated:
// CHECK: linalg.matmul
// CHECK: math.tanh %{{.*}} : tensor<2x4xf32>
// CHECK: math.tanh %{{.*}} : f32
// The bias cotangent, reduced over the batch:
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: seq.yield
// dx, reversed back:
// CHECK: %[[DX:.*]] = linalg.generic {{.*}} ins(%[[OUTS]]#0
// dW = sum over rows and steps of h^T d(h W): one matmul [4 x 12] x [12 x 4].
// CHECK: %[[HROWS:.*]] = tensor.collapse_shape %[[OUTS]]#1 {{\[}}[0, 1], [2]] : tensor<2x6x4xf32> into tensor<12x4xf32>
// CHECK: %[[GROWS:.*]] = tensor.collapse_shape %[[OUTS]]#2 {{\[}}[0, 1], [2]] : tensor<2x6x4xf32> into tensor<12x4xf32>
// CHECK: %[[HT:.*]] = linalg.transpose ins(%[[HROWS]] : tensor<12x4xf32>)
// CHECK: %[[DR:.*]] = linalg.matmul ins(%[[HT]], %[[GROWS]] : tensor<4x12xf32>, tensor<12x4xf32>)
// CHECK: return %[[DX]], %[[FINALS]]#0, %[[DR]], %[[FINALS]]#1
func.func @cell(%x: tensor<2x6x4xf32>, %h0: tensor<2x4xf32>, %r: tensor<4x4xf32>, %bias: tensor<4xf32>)
    -> (tensor<2x6x4xf32>, tensor<2x4xf32>) {
  %hs, %h = seq.recurrence ins(%x : tensor<2x6x4xf32>) init(%h0 : tensor<2x4xf32>)
      weights(%r, %bias : tensor<4x4xf32>, tensor<4xf32>) -> (tensor<2x6x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>):
    %zero = arith.constant dense<0.0> : tensor<2x4xf32>
    %hw = linalg.matmul ins(%s, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%zero : tensor<2x4xf32>) -> tensor<2x4xf32>
    %e = tensor.empty() : tensor<2x4xf32>
    %pre = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
        ins(%xt, %hw, %b : tensor<2x4xf32>, tensor<2x4xf32>, tensor<4xf32>) outs(%e : tensor<2x4xf32>) {
    ^bb0(%a: f32, %c: f32, %d: f32, %o: f32):
      %s1 = arith.addf %a, %c : f32
      %s2 = arith.addf %s1, %d : f32
      linalg.yield %s2 : f32
    } -> tensor<2x4xf32>
    %n = math.tanh %pre : tensor<2x4xf32>
    seq.yield %n, %n : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %hs, %h : tensor<2x6x4xf32>, tensor<2x4xf32>
}

// After canonicalization the backward step has one matmul, d(pre) @ W^T (the
// state's cotangent); the forward product is read from the kept input.
// KEPT-LABEL: func.func @cell_bwd(
// KEPT: seq.recurrence
// KEPT-NEXT: ^bb0(%{{.*}}: tensor<2x4xf32>, %[[S:[^:]*]]: tensor<2x4xf32>, %{{.*}}: tensor<2x4xf32>, %[[HW:[^:]*]]: tensor<2x4xf32>,
// KEPT-NOT: linalg.matmul ins(%[[S]]
// KEPT: ins({{.*}}%[[HW]]
// KEPT: linalg.matmul
// KEPT-NOT: linalg.matmul
// KEPT: seq.yield
