// Contractions whose reduction runs in blocks (reduction_block, written by
// hand: Z3 blocks only those whose B outgrows the host's cache) of a size
// that does not divide K, with row and masked column tails: accumulators
// that start from a fill, from a broadcast bias row, and from C's values
// (a product accumulated into an argument).
func.func @blocked(%x: tensor<37x100xf32>, %w: tensor<100x50xf32>, %bias: tensor<50xf32>,
                   %h: tensor<2x9x70xf32>, %r: tensor<2x70x20xf32>, %acc: tensor<2x9x20xf32>)
    -> (tensor<37x50xf32>, tensor<37x50xf32>, tensor<2x9x20xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x50xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<37x50xf32>) -> tensor<37x50xf32>
  %p = linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 32>}
      ins(%x, %w : tensor<37x100xf32>, tensor<100x50xf32>) outs(%f : tensor<37x50xf32>) -> tensor<37x50xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<50xf32>) outs(%e : tensor<37x50xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<37x50xf32>
  %q = linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 16>}
      ins(%x, %w : tensor<37x100xf32>, tensor<100x50xf32>) outs(%b : tensor<37x50xf32>) -> tensor<37x50xf32>
  %s = linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 16, vector_width = 16, reduction_block = 48>}
      ins(%h, %r : tensor<2x9x70xf32>, tensor<2x70x20xf32>) outs(%acc : tensor<2x9x20xf32>) -> tensor<2x9x20xf32>
  return %p, %q, %s : tensor<37x50xf32>, tensor<37x50xf32>, tensor<2x9x20xf32>
}
