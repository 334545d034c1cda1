// The prefix linear scan with a dynamic batch and time, in rounds of 2
// chunks of 16 steps.
func.func @f(%a: tensor<?x?x8xf32>, %b: tensor<?x?x8xf32>, %h0: tensor<?x8xf32>) -> (tensor<?x?x8xf32>, tensor<?x8xf32>) {
  %y, %h = seq.linear_scan %a, %b init %h0 {form = #seq.form<prefix, chunk_size = 16, workers = 2>} : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<?x8xf32>) -> (tensor<?x?x8xf32>, tensor<?x8xf32>)
  return %y, %h : tensor<?x?x8xf32>, tensor<?x8xf32>
}
