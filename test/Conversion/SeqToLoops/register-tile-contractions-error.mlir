// A register tile written on a contraction that has no microkernel is an
// error naming why, not a silently different lowering.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-register-tile-contractions))' -split-input-file -verify-diagnostics

func.func @f64(%a: memref<4x4xf64>, %b: memref<4x4xf64>, %c: memref<4x4xf64>) {
  // expected-error @+1 {{'linalg.matmul' op has a register tile but cannot become a microkernel: an operand is not f32}}
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16>}
      ins(%a, %b : memref<4x4xf64>, memref<4x4xf64>) outs(%c : memref<4x4xf64>)
  return
}

// -----

func.func @strided(%a: memref<4x4xf32>, %b: memref<4x4xf32, strided<[1, 4]>>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{'linalg.matmul' op has a register tile but cannot become a microkernel: an operand's rows are not contiguous}}
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16>}
      ins(%a, %b : memref<4x4xf32>, memref<4x4xf32, strided<[1, 4]>>) outs(%c : memref<4x4xf32>)
  return
}

// -----

func.func @tensors(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'linalg.matmul' op has a register tile but cannot become a microkernel: it is not on buffers (the pass runs after bufferization)}}
  %r = linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16>}
      ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
