// An Elman layer (tanh) with a dynamic batch and time: one compiled
// function for every B and T.
func.func @elman(%x: tensor<?x?x2xf32>, %w: tensor<2x3xf32>, %r: tensor<1x3x3xf32>,
                 %b: tensor<3xf32>, %rb: tensor<3xf32>, %h0: tensor<?x3xf32>)
    -> (tensor<?x?x3xf32>, tensor<?x3xf32>) {
  %y, %h = seqnn.elman %x, %w, %r bias %b recurrent_bias %rb init(%h0)
      : (tensor<?x?x2xf32>, tensor<2x3xf32>, tensor<1x3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<?x3xf32>)
      -> (tensor<?x?x3xf32>, tensor<?x3xf32>)
  return %y, %h : tensor<?x?x3xf32>, tensor<?x3xf32>
}
