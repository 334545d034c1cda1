// A linear scan with a dynamic batch and time (explain: the sequential and
// prefix forms lower it; the chunkwise form needs static shapes).
func.func @f(%x: tensor<?x?x4xf32>, %a: tensor<?x?x4xf32>) -> (tensor<?x?x4xf32>, tensor<?x4xf32>) {
  %y, %h = seq.linear_scan %a, %x : (tensor<?x?x4xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4xf32>, tensor<?x4xf32>)
  return %y, %h : tensor<?x?x4xf32>, tensor<?x4xf32>
}
