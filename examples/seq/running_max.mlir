// A generic associative scan: the running maximum and its position-free
// companion, the running sum, scanned together. B = 4, T = 100, 16 channels.
//
// Run and check: build/bin/seqc run examples/seq/running_max.mlir --check

func.func @running_max(%x: tensor<4x100x16xf32>, %y: tensor<4x100x16xf32>)
    -> (tensor<4x100x16xf32>, tensor<4x100x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  %o:2, %f:2 = seq.scan ins(%x, %y : tensor<4x100x16xf32>, tensor<4x100x16xf32>)
      -> (tensor<4x100x16xf32>, tensor<4x100x16xf32>) final (tensor<4x16xf32>, tensor<4x16xf32>) {
  ^bb0(%lx: f32, %ly: f32, %rx: f32, %ry: f32):
    %m = arith.maximumf %lx, %rx : f32
    %s = arith.addf %ly, %ry : f32
    seq.yield %m, %s : f32, f32
  }
  return %o#0, %o#1, %f#0, %f#1 : tensor<4x100x16xf32>, tensor<4x100x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}
