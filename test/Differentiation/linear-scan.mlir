// seq-differentiate on a linear scan: the forward function returns the
// states as the residual; the backward one is a reverse-time linear_scan of
// the cotangents (decays a_{t+1}, 1 after the last step, the final state's
// cotangent as its initial state) in the forward scan's form, and da, db,
// dinit from it.
// RUN: seq-opt %s -seq-differentiate | FileCheck %s

// CHECK: #[[REV:.*]] = affine_map<(d0, d1, d2) -> (d0, -d1 + 4, d2)>
// CHECK-LABEL: func.func @scan(
// CHECK-LABEL: func.func @scan_fwd(
// CHECK-SAME: %[[A:.*]]: tensor<2x5x3xf32>, %[[B:.*]]: tensor<2x5x3xf32>, %[[H0:.*]]: tensor<2x3xf32>)
// CHECK-SAME: -> (tensor<2x5x3xf32>, tensor<2x3xf32>, tensor<2x5x3xf32>)
// CHECK: %[[H:.*]], %[[LAST:.*]] = seq.linear_scan %[[A]], %[[B]] init %[[H0]]
// CHECK: return %[[H]], %[[LAST]], %[[H]]

// CHECK-LABEL: func.func @scan_bwd(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x5x3xf32>, %{{[^:]*}}: tensor<2x5x3xf32>, %[[H0:[^:]*]]: tensor<2x3xf32>,
// CHECK-SAME: %[[H:[^:]*]]: tensor<2x5x3xf32>,
// CHECK-SAME: %[[DH:[^:]*]]: tensor<2x5x3xf32>, %[[DLAST:[^:]*]]: tensor<2x3xf32>)
// CHECK-SAME: -> (tensor<2x5x3xf32>, tensor<2x5x3xf32>, tensor<2x3xf32>)
// The decays a_{t+1}, with 1 after the last step:
// CHECK: %[[ONES:.*]] = linalg.fill ins(%{{.*}} : f32)
// CHECK: %[[LATER:.*]] = tensor.extract_slice %[[A]][0, 1, 0] [2, 4, 3] [1, 1, 1]
// CHECK: %[[SHIFTED:.*]] = tensor.insert_slice %[[LATER]] into %[[ONES]][0, 0, 0] [2, 4, 3]
// Time-reversed (t -> 4 - t), decays and cotangents:
// CHECK: %[[RA:.*]] = linalg.generic {indexing_maps = [#[[REV]], #{{.*}}]{{.*}} ins(%[[SHIFTED]]
// CHECK: %[[RB:.*]] = linalg.generic {indexing_maps = [#[[REV]], #{{.*}}]{{.*}} ins(%[[DH]]
// CHECK: %[[LAMBDA:.*]], %[[LAMBDA0:.*]] = seq.linear_scan %[[RA]], %[[RB]] init %[[DLAST]] {form = #seq.form<prefix, chunk_size = 2>}
// CHECK: %[[DB:.*]] = linalg.generic {{.*}} ins(%[[LAMBDA]]
// The states before each step, h0 first:
// CHECK: tensor.insert_slice %[[H0]] into
// CHECK: tensor.extract_slice %[[H]][0, 0, 0] [2, 4, 3]
// CHECK: %[[DA:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: %[[A0:.*]] = tensor.extract_slice %[[A]][0, 0, 0] [2, 1, 3] [1, 1, 1] : tensor<2x5x3xf32> to tensor<2x3xf32>
// CHECK: %[[DH0:.*]] = linalg.generic {{.*}} ins(%[[A0]], %[[LAMBDA0]]
// CHECK: return %[[DA]], %[[DB]], %[[DH0]]
func.func @scan(%a: tensor<2x5x3xf32>, %b: tensor<2x5x3xf32>, %h0: tensor<2x3xf32>)
    -> (tensor<2x5x3xf32>, tensor<2x3xf32>) {
  %h, %last = seq.linear_scan %a, %b init %h0 {form = #seq.form<prefix, chunk_size = 2>}
      : (tensor<2x5x3xf32>, tensor<2x5x3xf32>, tensor<2x3xf32>) -> (tensor<2x5x3xf32>, tensor<2x3xf32>)
  return %h, %last : tensor<2x5x3xf32>, tensor<2x3xf32>
}
