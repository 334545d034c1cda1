// seq-unit-transposes-to-reshapes: a transpose that moves only unit
// dimensions (the order of the others kept) is a collapse onto the
// non-unit dimensions and an expand to the result's shape; one that swaps
// two non-unit dimensions stays.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-unit-transposes-to-reshapes))' | FileCheck %s

// CHECK-LABEL: func.func @stacked_steps
// CHECK-NOT:     linalg.transpose
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : tensor<16x1024x1x256xf32> into tensor<16x1024x256xf32>
// CHECK:         %[[VIEW:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1], [2], [3]] output_shape [1, 16, 1024, 256] : tensor<16x1024x256xf32> into tensor<1x16x1024x256xf32>
// CHECK:         return %[[VIEW]]
func.func @stacked_steps(%x: tensor<16x1024x1x256xf32>) -> tensor<1x16x1024x256xf32> {
  %e = tensor.empty() : tensor<1x16x1024x256xf32>
  %t = linalg.transpose ins(%x : tensor<16x1024x1x256xf32>) outs(%e : tensor<1x16x1024x256xf32>) permutation = [2, 0, 1, 3]
  return %t : tensor<1x16x1024x256xf32>
}

// CHECK-LABEL: func.func @rows_first
// CHECK-NOT:     linalg.transpose
// CHECK:         tensor.collapse_shape %arg0 {{\[}}[0], [1, 2]] : tensor<16x1x64xf32> into tensor<16x64xf32>
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, 16, 64]
func.func @rows_first(%x: tensor<16x1x64xf32>) -> tensor<1x16x64xf32> {
  %e = tensor.empty() : tensor<1x16x64xf32>
  %t = linalg.transpose ins(%x : tensor<16x1x64xf32>) outs(%e : tensor<1x16x64xf32>) permutation = [1, 0, 2]
  return %t : tensor<1x16x64xf32>
}

// CHECK-LABEL: func.func @real_transpose
// CHECK:         linalg.transpose
func.func @real_transpose(%x: tensor<1x16x64xf32>) -> tensor<1x64x16xf32> {
  %e = tensor.empty() : tensor<1x64x16xf32>
  %t = linalg.transpose ins(%x : tensor<1x16x64xf32>) outs(%e : tensor<1x64x16xf32>) permutation = [0, 2, 1]
  return %t : tensor<1x64x16xf32>
}
