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

// -----

// The pair kernel needs B's bf16 values: an f32 B that is not a bf16
// argument widened has none.
func.func @pairs_of_f32(%a: memref<4x4xf32>, %b: memref<4x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{'linalg.matmul' op has a register tile but cannot become a microkernel: B does not read bf16 values (bf16 elements, or f32 ones widened from a bf16 argument nothing writes)}}
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16, bf16_terms = 1>}
      ins(%a, %b : memref<4x4xf32>, memref<4x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// A bf16 B on the f32 kernel (a tile without bf16_terms).
func.func @bf16_without_pairs(%a: memref<4x4xbf16>, %b: memref<4x16xbf16>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{'linalg.matmul' op has a register tile but cannot become a microkernel: an operand is not f32}}
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16>}
      ins(%a, %b : memref<4x4xbf16>, memref<4x16xbf16>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @pairs_wide(%a: memref<4x4xbf16>, %b: memref<4x64xbf16>, %c: memref<4x64xf32>) {
  // expected-error @+1 {{'linalg.matmul' op has a register tile but cannot become a microkernel: the bf16 pair kernel's vector_width is 4, 8 or 16 f32 lanes (vdpbf16ps)}}
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 1, columns = 64, vector_width = 32, bf16_terms = 1>}
      ins(%a, %b : memref<4x4xbf16>, memref<4x64xbf16>) outs(%c : memref<4x64xf32>)
  return
}
