// A recurrence step's batched h R: an f32 state against bf16 weights
// widened to f32, per head. TERMS is replaced by the test.
func.func @step(%h: tensor<3x9x64xf32>, %r: tensor<3x64x40xbf16>) -> tensor<3x9x40xf32> {
  %z = arith.constant 0.0 : f32
  %rf = arith.extf %r : tensor<3x64x40xbf16> to tensor<3x64x40xf32>
  %e = tensor.empty() : tensor<3x9x40xf32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<3x9x40xf32>) -> tensor<3x9x40xf32>
  %p = linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 48, vector_width = 16, bf16_terms = TERMS>}
      ins(%h, %rf : tensor<3x9x64xf32>, tensor<3x64x40xf32>) outs(%init : tensor<3x9x40xf32>) -> tensor<3x9x40xf32>
  return %p : tensor<3x9x40xf32>
}
