func.func @huge(%x: tensor<2147483648x4xf32>) -> tensor<2147483648x4xf32> {
  return %x : tensor<2147483648x4xf32>
}
