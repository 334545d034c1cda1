// seq-contraction-loop-order: a contraction's loops become (parallel...,
// reduction..., n), n the loop of the output's innermost index, so that the
// innermost loop is a contiguous multiply-add LLVM vectorizes.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-contraction-loop-order))' | FileCheck %s

// A named batch_matmul (batch, m, n, k) becomes a generic over
// (batch, m, k, n).
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[AT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @batch_matmul
// CHECK:         linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @batch_matmul(%a: memref<4x8x16xf32>, %b: memref<4x16x32xf32>, %c: memref<4x8x32xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<4x8x16xf32>, memref<4x16x32xf32>) outs(%c : memref<4x8x32xf32>)
  return
}

// The transposed-lhs form (A^T V): the same order.
// CHECK-LABEL: func.func @transposed_lhs
// CHECK:         linalg.generic {indexing_maps = [#[[AT]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
func.func @transposed_lhs(%a: memref<4x16x8xf32>, %b: memref<4x16x32xf32>, %c: memref<4x8x32xf32>) {
  linalg.batch_matmul indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>,
                                       affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>,
                                       affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>]
      ins(%a, %b : memref<4x16x8xf32>, memref<4x16x32xf32>) outs(%c : memref<4x8x32xf32>)
  return
}

// A row update out - a * b with the reduction innermost (as the GPU wants
// it): j moves outside the contiguous e.
// CHECK-LABEL: func.func @subtracting_update
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK:           arith.subf
func.func @subtracting_update(%a: memref<8x16xf32>, %t: memref<8x16x32xf32>, %row: memref<8x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, e, j) -> (m, j)>, affine_map<(m, e, j) -> (m, j, e)>, affine_map<(m, e, j) -> (m, e)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %t : memref<8x16xf32>, memref<8x16x32xf32>) outs(%row : memref<8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.subf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Already in that order, and elementwise ops: untouched.
// CHECK-LABEL: func.func @untouched
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
func.func @untouched(%a: memref<8x16xf32>, %b: memref<16x32xf32>, %c: memref<8x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, k, j) -> (i, k)>, affine_map<(i, k, j) -> (k, j)>, affine_map<(i, k, j) -> (i, j)>],
                  iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<8x16xf32>, memref<16x32xf32>) outs(%c : memref<8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<8x32xf32>) outs(%c : memref<8x32xf32>) {
  ^bb0(%x: f32, %y: f32):
    %p = arith.mulf %x, %y : f32
    linalg.yield %p : f32
  }
  return
}
