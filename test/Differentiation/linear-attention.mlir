// seq-differentiate on linear attention. Not written in the sequential
// form, the op gets the chunkwise backward: the forward function keeps no
// residuals (the backward recomputes the chunk states from the inputs), and
// the backward is a linear scan over the chunks for the states (4 heads x 2
// chunks of 32 steps for T = 37), one in reverse for their cotangents
// (starting from the final state's), and batched matmuls over all chunks.
// Written in the sequential form, it is backpropagation through time: a
// recurrence over the steps in reverse, from the states the forward keeps.
// RUN: seq-opt %s -seq-differentiate | FileCheck %s

// CHECK-LABEL: func.func @chunkwise_fwd(
// CHECK-SAME: -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>) {
// CHECK: %[[O:.*]], %[[S:.*]] = seq.linear_attention
// CHECK-NEXT: return %[[O]], %[[S]] : tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>

// CHECK-LABEL: func.func @chunkwise_bwd(
// CHECK-SAME: %[[S0:[^:]*]]: tensor<2x2x8x4xf32>, %[[DO:[^:]*]]: tensor<2x37x2x4xf32>, %[[DS:[^:]*]]: tensor<2x2x8x4xf32>)
// CHECK-NOT: seq.recurrence
// CHECK: %[[INIT:.*]] = tensor.collapse_shape %[[S0]]
// CHECK: seq.linear_scan %{{.*}}, %{{.*}} init %[[INIT]] : (tensor<4x2x8x4xf32>, tensor<4x2x8x4xf32>, tensor<4x8x4xf32>)
// CHECK: %[[FINAL:.*]] = tensor.collapse_shape %[[DS]]
// CHECK: %{{.*}}, %[[DINIT:.*]] = seq.linear_scan %{{.*}}, %{{.*}} init %[[FINAL]] : (tensor<4x2x8x4xf32>, tensor<4x2x8x4xf32>, tensor<4x8x4xf32>)
// CHECK: linalg.batch_matmul
// CHECK-NOT: seq.recurrence
// CHECK: return
func.func @chunkwise(%q: tensor<2x37x2x8xf32>, %k: tensor<2x37x2x8xf32>, %v: tensor<2x37x2x4xf32>,
                     %g: tensor<2x37x2x8xf32>, %s0: tensor<2x2x8x4xf32>)
    -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>) {
  %o, %s = seq.linear_attention %q, %k, %v gate <vector> %g init %s0 {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<2x37x2x8xf32>, tensor<2x37x2x8xf32>, tensor<2x37x2x4xf32>, tensor<2x37x2x8xf32>, tensor<2x2x8x4xf32>)
      -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>)
  return %o, %s : tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>
}

// CHECK-LABEL: func.func @sequential_fwd(
// CHECK: seq.recurrence
// CHECK-LABEL: func.func @sequential_bwd(
// CHECK-NOT: seq.linear_scan
// CHECK: seq.recurrence
// CHECK-NOT: seq.linear_scan
// CHECK: return
func.func @sequential(%q: tensor<2x37x2x8xf32>, %k: tensor<2x37x2x8xf32>, %v: tensor<2x37x2x4xf32>,
                      %g: tensor<2x37x2xf32>, %s0: tensor<2x2x8x4xf32>)
    -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>) {
  %o, %s = seq.linear_attention %q, %k, %v gate <scalar> %g init %s0 {form = #seq.form<sequential>}
      : (tensor<2x37x2x8xf32>, tensor<2x37x2x8xf32>, tensor<2x37x2x4xf32>, tensor<2x37x2xf32>, tensor<2x2x8x4xf32>)
      -> (tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>)
  return %o, %s : tensor<2x37x2x4xf32>, tensor<2x2x8x4xf32>
}
