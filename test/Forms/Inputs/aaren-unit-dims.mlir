// Aaren prefix with one step per chunk and one head: two unit dimensions
// beside each other (found by forms_agree.py seed 2058).
func.func @case(%q: tensor<1x1x8xf32>, %k: tensor<1x2x1x8xf32>, %v: tensor<1x2x1x4xf32>) -> (tensor<1x2x1x4xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1x4xf32>) {
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %v {form = #seq.form<prefix, chunk_size = 1>} : (tensor<1x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x4xf32>) -> (tensor<1x2x1x4xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1x4xf32>)
  return %o, %m, %u, %w : tensor<1x2x1x4xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1x4xf32>
}
