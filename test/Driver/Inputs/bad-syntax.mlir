func.func @f(%a: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %h, %last = seq.linear_scan %a, %a : (tensor<2x5x3xf32>, tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %h : tensor<2x5x3xf32>
}
