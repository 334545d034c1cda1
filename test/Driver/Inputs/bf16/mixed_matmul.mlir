// An f32 A against bf16 weights widened to f32 (odd K, a row tail and a
// masked column tail), the pair kernel's terms written by hand: TERMS is
// replaced by the test.
func.func @mixed(%x: tensor<37x77xf32>, %w: tensor<77x100xbf16>) -> tensor<37x100xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x100xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<37x100xf32>) -> tensor<37x100xf32>
  %wf = arith.extf %w : tensor<77x100xbf16> to tensor<77x100xf32>
  %r = linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = TERMS>}
      ins(%x, %wf : tensor<37x77xf32>, tensor<77x100xf32>) outs(%f : tensor<37x100xf32>) -> tensor<37x100xf32>
  return %r : tensor<37x100xf32>
}
