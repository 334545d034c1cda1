// seq-fold-time-reversals: a time-reversed copy read one step at a time is
// read at the mirrored step of the original; a time loop's output written
// one step at a time into an empty tensor and then reversed is written at
// the mirrored steps. Copies read any other way, loop outputs that start
// from data, and slices of several steps keep their reversal.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-fold-time-reversals))' -split-input-file | FileCheck %s

#reverse = affine_map<(b, t, h) -> (b, 7 - t, h)>
#id = affine_map<(b, t, h) -> (b, t, h)>

// CHECK-LABEL: func.func @backward_steps
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x4xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<2x8x4xf32>
// CHECK:         %[[OUT:.*]] = scf.for %[[T:.*]] = %c0 to %c8 step %c1 iter_args(%[[ACC:.*]] = %[[EMPTY]])
// CHECK:           %[[LAST:.*]] = arith.constant 7 : index
// CHECK:           %[[MIRROR:.*]] = arith.subi %[[LAST]], %[[T]]
// CHECK:           %[[STEP:.*]] = tensor.extract_slice %[[X]][0, %[[MIRROR]], 0] [2, 1, 4] [1, 1, 1] : tensor<2x8x4xf32> to tensor<2x4xf32>
// CHECK:           %[[DOUBLED:.*]] = arith.addf %[[STEP]], %[[STEP]]
// CHECK:           %[[LAST2:.*]] = arith.constant 7 : index
// CHECK:           %[[MIRROR2:.*]] = arith.subi %[[LAST2]], %[[T]]
// CHECK:           %[[WRITTEN:.*]] = tensor.insert_slice %[[DOUBLED]] into %[[ACC]][0, %[[MIRROR2]], 0] [2, 1, 4] [1, 1, 1]
// CHECK:           scf.yield %[[WRITTEN]]
// CHECK:         return %[[OUT]]
func.func @backward_steps(%x: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %e = tensor.empty() : tensor<2x8x4xf32>
  %rx = linalg.generic {indexing_maps = [#reverse, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x8x4xf32>) outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x4xf32>
  %o = tensor.empty() : tensor<2x8x4xf32>
  %ys = scf.for %t = %c0 to %c8 step %c1 iter_args(%acc = %o) -> tensor<2x8x4xf32> {
    %step = tensor.extract_slice %rx[0, %t, 0] [2, 1, 4] [1, 1, 1] : tensor<2x8x4xf32> to tensor<2x4xf32>
    %doubled = arith.addf %step, %step : tensor<2x4xf32>
    %written = tensor.insert_slice %doubled into %acc[0, %t, 0] [2, 1, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<2x8x4xf32>
    scf.yield %written : tensor<2x8x4xf32>
  }
  %e2 = tensor.empty() : tensor<2x8x4xf32>
  %back = linalg.generic {indexing_maps = [#reverse, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ys : tensor<2x8x4xf32>) outs(%e2 : tensor<2x8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x4xf32>
  return %back : tensor<2x8x4xf32>
}

// -----

#reverse = affine_map<(b, t, h) -> (b, 7 - t, h)>
#id = affine_map<(b, t, h) -> (b, t, h)>

// Kept: a copy also read whole; a slice of two steps (its contents would
// come out in the wrong order); a loop output that starts from %x (the
// steps the loop does not write hold data).
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-4: linalg.generic
func.func @kept(%x: tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x2x4xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %e = tensor.empty() : tensor<2x8x4xf32>
  %rx = linalg.generic {indexing_maps = [#reverse, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x8x4xf32>) outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x4xf32>
  %ry = linalg.generic {indexing_maps = [#reverse, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x8x4xf32>) outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x4xf32>
  %two = tensor.extract_slice %ry[0, 3, 0] [2, 2, 4] [1, 1, 1] : tensor<2x8x4xf32> to tensor<2x2x4xf32>
  %ys = scf.for %t = %c0 to %c8 step %c1 iter_args(%acc = %x) -> tensor<2x8x4xf32> {
    %step = tensor.extract_slice %rx[0, %t, 0] [2, 1, 4] [1, 1, 1] : tensor<2x8x4xf32> to tensor<2x4xf32>
    %written = tensor.insert_slice %step into %acc[0, %t, 0] [2, 1, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<2x8x4xf32>
    scf.yield %written : tensor<2x8x4xf32>
  }
  %back = linalg.generic {indexing_maps = [#reverse, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ys : tensor<2x8x4xf32>) outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x4xf32>
  %whole = linalg.generic {indexing_maps = [#reverse, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x8x4xf32>) outs(%e : tensor<2x8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x4xf32>
  return %rx, %two, %back, %whole : tensor<2x8x4xf32>, tensor<2x2x4xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>
}
