// bf16 x bf16 with f32 accumulation, as a bf16 model's input projection:
// the pair kernel's tile is chosen by seq-select-register-tiles on a host
// with AVX-512 BF16. K = KDIM is replaced by the test (even: A's pairs
// read in place; odd: A copied with a zero after K).
func.func @projection(%x: tensor<50xKDIMxbf16>, %w: tensor<KDIMx70xbf16>) -> tensor<50x70xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<50x70xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<50x70xf32>) -> tensor<50x70xf32>
  %r = linalg.matmul ins(%x, %w : tensor<50xKDIMxbf16>, tensor<KDIMx70xbf16>) outs(%f : tensor<50x70xf32>) -> tensor<50x70xf32>
  return %r : tensor<50x70xf32>
}
