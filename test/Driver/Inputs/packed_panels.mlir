// Microkernels that read B packed in panels (packed_b, written by hand so
// that the test does not depend on the host's caches), with row tails and
// masked column tails in the last panel: a product started from a fill, a
// product with a blocked reduction (each block reading its rows of the
// panels) started from a bias row, and a batched product accumulated into
// an argument (one set of panels per batch entry).
func.func @packed(%x: tensor<37x100xf32>, %w: tensor<100x50xf32>, %bias: tensor<50xf32>,
                  %h: tensor<2x9x70xf32>, %r: tensor<2x70x45xf32>, %acc: tensor<2x9x45xf32>)
    -> (tensor<37x50xf32>, tensor<37x50xf32>, tensor<2x9x45xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x50xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<37x50xf32>) -> tensor<37x50xf32>
  %p = linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, packed_b = true>}
      ins(%x, %w : tensor<37x100xf32>, tensor<100x50xf32>) outs(%f : tensor<37x50xf32>) -> tensor<37x50xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<50xf32>) outs(%e : tensor<37x50xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<37x50xf32>
  %q = linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 8, reduction_block = 32, packed_b = true>}
      ins(%x, %w : tensor<37x100xf32>, tensor<100x50xf32>) outs(%b : tensor<37x50xf32>) -> tensor<37x50xf32>
  %s = linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16, packed_b = true>}
      ins(%h, %r : tensor<2x9x70xf32>, tensor<2x70x45xf32>) outs(%acc : tensor<2x9x45xf32>) -> tensor<2x9x45xf32>
  return %p, %q, %s : tensor<37x50xf32>, tensor<37x50xf32>, tensor<2x9x45xf32>
}
