// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-splat-constants-to-fill))' | FileCheck %s

// CHECK-LABEL: func.func @constants
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[EMPTY:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x8xf32>)
// CHECK:         %[[TABLE:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK:         return %[[FILL]], %[[TABLE]]
func.func @constants() -> (tensor<4x8xf32>, tensor<2xf32>) {
  %zero = arith.constant dense<0.0> : tensor<4x8xf32>
  %table = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %zero, %table : tensor<4x8xf32>, tensor<2xf32>
}
