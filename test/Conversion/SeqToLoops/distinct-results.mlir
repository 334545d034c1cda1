// seq-distinct-results: a value returned in several result positions gets a
// copy for each repeat (each becomes its own out parameter); the first
// occurrence and non-repeated results are returned as they are.
// RUN: seq-opt %s -seq-distinct-results | FileCheck %s

// CHECK-LABEL: func.func @twice(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK: %[[E:.*]] = math.exp %[[X]]
// CHECK: %[[COPY:.*]] = bufferization.alloc_tensor() copy(%[[E]]) : tensor<4xf32>
// CHECK: %[[COPY2:.*]] = bufferization.alloc_tensor() copy(%[[E]]) : tensor<4xf32>
// CHECK: return %[[E]], %[[Y]], %[[COPY]], %[[COPY2]]
func.func @twice(%x: tensor<4xf32>, %y: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %e = math.exp %x : tensor<4xf32>
  return %e, %y, %e, %e : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @once(
// CHECK-NOT: bufferization.alloc_tensor
// CHECK: return
func.func @once(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = math.exp %x : tensor<4xf32>
  return %x, %e : tensor<4xf32>, tensor<4xf32>
}
