func.func @scan(%a: tensor<2x5x3xf32>, %b: tensor<2x5x3xf32>) -> (tensor<2x5x3xf32>, tensor<2x3xf32>) {
  %h, %last = seq.linear_scan %a, %b
      : (tensor<2x5x3xf32>, tensor<2x5x3xf32>) -> (tensor<2x5x3xf32>, tensor<2x3xf32>)
  return %h, %last : tensor<2x5x3xf32>, tensor<2x3xf32>
}
func.func @dynamic(%a: tensor<2x?x3xf32>) -> tensor<2x?x3xf32> {
  return %a : tensor<2x?x3xf32>
}
