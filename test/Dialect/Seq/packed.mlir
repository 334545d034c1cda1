// seq.packed round-trips: a packed linear scan with initial states, and a
// layer with captured weights and no initial states.
// RUN: seq-opt %s | seq-opt | FileCheck %s

// CHECK-LABEL: func.func @scan
// CHECK: seq.packed offsets(%{{.*}} : tensor<?xi64>) ins(%{{.*}}, %{{.*}} : tensor<1x?x4xf32>, tensor<1x?x4xf32>) init(%{{.*}} : tensor<?x4xf32>) -> (tensor<1x?x4xf32>) final(tensor<?x4xf32>) {
// CHECK: ^bb0(%{{.*}}: tensor<1x?x4xf32>, %{{.*}}: tensor<1x?x4xf32>, %{{.*}}: tensor<1x4xf32>):
// CHECK: seq.yield %{{.*}}, %{{.*}} : tensor<1x?x4xf32>, tensor<1x4xf32>
func.func @scan(%cu: tensor<?xi64>, %a: tensor<1x?x4xf32>, %x: tensor<1x?x4xf32>, %h0: tensor<?x4xf32>)
    -> (tensor<1x?x4xf32>, tensor<?x4xf32>) {
  %y, %h = seq.packed offsets(%cu : tensor<?xi64>)
      ins(%a, %x : tensor<1x?x4xf32>, tensor<1x?x4xf32>) init(%h0 : tensor<?x4xf32>)
      -> (tensor<1x?x4xf32>) final (tensor<?x4xf32>) {
  ^bb0(%as: tensor<1x?x4xf32>, %xs: tensor<1x?x4xf32>, %hs: tensor<1x4xf32>):
    %ys, %hn = seq.linear_scan %as, %xs init %hs
        : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<1x4xf32>) -> (tensor<1x?x4xf32>, tensor<1x4xf32>)
    seq.yield %ys, %hn : tensor<1x?x4xf32>, tensor<1x4xf32>
  }
  return %y, %h : tensor<1x?x4xf32>, tensor<?x4xf32>
}

// CHECK-LABEL: func.func @layer
// CHECK: seq.packed offsets(%{{.*}} : tensor<4xi64>) ins(%{{.*}} : tensor<1x10x2xf32>) weights(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<1x3x3xf32>) -> (tensor<1x10x3xf32>) final(tensor<3x3xf32>)
func.func @layer(%cu: tensor<4xi64>, %x: tensor<1x10x2xf32>, %w: tensor<2x3xf32>, %r: tensor<1x3x3xf32>)
    -> (tensor<1x10x3xf32>, tensor<3x3xf32>) {
  %y, %h = seq.packed offsets(%cu : tensor<4xi64>) ins(%x : tensor<1x10x2xf32>)
      weights(%w, %r : tensor<2x3xf32>, tensor<1x3x3xf32>)
      -> (tensor<1x10x3xf32>) final (tensor<3x3xf32>) {
  ^bb0(%xs: tensor<1x?x2xf32>, %ws: tensor<2x3xf32>, %rs: tensor<1x3x3xf32>):
    %ys, %hn = seqnn.elman %xs, %ws, %rs
        : (tensor<1x?x2xf32>, tensor<2x3xf32>, tensor<1x3x3xf32>) -> (tensor<1x?x3xf32>, tensor<1x3xf32>)
    seq.yield %ys, %hn : tensor<1x?x3xf32>, tensor<1x3xf32>
  }
  return %y, %h : tensor<1x10x3xf32>, tensor<3x3xf32>
}
