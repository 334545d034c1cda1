// A diagonal linear recurrence h_t = a_t h_{t-1} + b_t over 256 channels.
func.func @scan(%a: tensor<2x1000x256xf32>, %b: tensor<2x1000x256xf32>) -> tensor<2x1000x256xf32> {
  %h, %f = seq.linear_scan %a, %b : (tensor<2x1000x256xf32>, tensor<2x1000x256xf32>) -> (tensor<2x1000x256xf32>, tensor<2x256xf32>)
  return %h : tensor<2x1000x256xf32>
}
