// seq-differentiate on the delta rule. Not written in the sequential form,
// the op gets the chunkwise WY/UT backward: the forward function keeps no
// residuals, and the backward recomputes the UT transform and the chunk
// states (the forward's loop over 2 chunks of 32 steps), then runs one loop
// over the chunks in reverse for the states' cotangents, from the final
// state's, whose result is the initial state's cotangent. Written in the
// sequential form, it is backpropagation through time.
// RUN: seq-opt %s -seq-differentiate | FileCheck %s

// CHECK-LABEL: func.func @chunkwise_fwd(
// CHECK-SAME: -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>) {
// CHECK: %[[O:.*]], %[[S:.*]] = seq.delta_rule
// CHECK-NEXT: return %[[O]], %[[S]] : tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>

// CHECK-LABEL: func.func @chunkwise_bwd(
// CHECK-SAME: %[[DS:[^:]*]]: tensor<2x2x8x4xf32>)
// CHECK-NOT: seq.recurrence
// The forward's chunk loop, then the reverse one from dS:
// CHECK: scf.for
// CHECK: %[[FINAL:.*]] = tensor.collapse_shape %[[DS]]
// CHECK: %[[REVERSE:.*]]:2 = scf.for %{{.*}} iter_args(%{{.*}} = %[[FINAL]], %{{.*}} = %{{.*}}) -> (tensor<4x8x4xf32>, tensor<4x2x8x4xf32>)
// CHECK: arith.subi
// CHECK: %[[DINIT:.*]] = tensor.expand_shape %[[REVERSE]]#0
// CHECK-NOT: seq.recurrence
// CHECK: return {{.*}}%[[DINIT]] :
func.func @chunkwise(%q: tensor<2x37x2x8xf32>, %k: tensor<2x37x2x8xf32>, %v: tensor<2x37x2x4xf32>,
                     %beta: tensor<2x37x2xf32>, %g: tensor<2x37x2xf32>, %s0: tensor<2x2x8x4xf32>)
    -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>) {
  %o, %s = seq.delta_rule %q, %k, %v, %beta gate %g init %s0 allow_negative_eigenvalues {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<2x37x2x8xf32>, tensor<2x37x2x8xf32>, tensor<2x37x2x4xf32>, tensor<2x37x2xf32>, tensor<2x37x2xf32>, tensor<2x2x8x4xf32>)
      -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>)
  return %o, %s : tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>
}

// CHECK-LABEL: func.func @sequential_fwd(
// CHECK: seq.recurrence
// CHECK-LABEL: func.func @sequential_bwd(
// CHECK-NOT: scf.for
// CHECK: seq.recurrence
// CHECK: return
func.func @sequential(%q: tensor<2x37x2x8xf32>, %k: tensor<2x37x2x8xf32>, %v: tensor<2x37x2x4xf32>,
                      %beta: tensor<2x37x2xf32>, %s0: tensor<2x2x8x4xf32>)
    -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>) {
  %o, %s = seq.delta_rule %q, %k, %v, %beta init %s0 {form = #seq.form<sequential>}
      : (tensor<2x37x2x8xf32>, tensor<2x37x2x8xf32>, tensor<2x37x2x4xf32>, tensor<2x37x2xf32>, tensor<2x2x8x4xf32>)
      -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>)
  return %o, %s : tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>
}
