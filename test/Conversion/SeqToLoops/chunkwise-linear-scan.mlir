// The chunkwise form of seq.linear_scan: T = 37 padded with the identity
// to 3 chunks of 16, channels [3, 2] flattened to 6, every chunk of both
// batch entries at once (M = 6). In-chunk sums of log|a| (f64; a zero a
// is a large finite negative, not -inf) and running signs (a negative a
// flips it) in one C-step loop; each step's sum over its chunk's earlier
// steps is one reduction; the carry over the 3 chunks is the only other
// loop.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @scan
// CHECK:       tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [2, 37, 6] [1, 1, 1] : tensor<2x37x6xf32> into tensor<2x48x6xf32>
// CHECK:       scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args({{.*}}) -> (tensor<6x6xf64>, tensor<6x6xf32>, tensor<6x16x6xf64>, tensor<6x16x6xf32>)
// CHECK:         math.absf %{{.*}} : f64
// CHECK:         arith.cmpf oeq
// CHECK:         math.log %{{.*}} : f64
// CHECK:         arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
// CHECK:         arith.cmpf olt
// CHECK:         arith.negf
// The local scans: (chunk, step, channel) parallel, the chunk's steps the
// reduction; the decay is exp(S_i - S_j) times the signs, masked to j <= i.
// CHECK:       linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}}outs(%{{.*}} : tensor<6x16x6xf32>)
// CHECK:         arith.subf %{{.*}}, %{{.*}} : f64
// CHECK:         math.exp
// CHECK:         arith.cmpi ule
// CHECK:       scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args({{.*}}) -> (tensor<2x6xf32>, tensor<2x3x6xf32>)
// CHECK:       tensor.extract_slice %{{.*}}[0, 0, 0] [2, 37, 6] [1, 1, 1] : tensor<2x48x6xf32> to tensor<2x37x6xf32>
func.func @scan(%a: tensor<2x37x3x2xf32>, %b: tensor<2x37x3x2xf32>, %h0: tensor<2x3x2xf32>) -> (tensor<2x37x3x2xf32>, tensor<2x3x2xf32>) {
  %h, %last = seq.linear_scan %a, %b init %h0 {form = #seq.form<chunkwise, chunk_size = 16>}
      : (tensor<2x37x3x2xf32>, tensor<2x37x3x2xf32>, tensor<2x3x2xf32>) -> (tensor<2x37x3x2xf32>, tensor<2x3x2xf32>)
  return %h, %last : tensor<2x37x3x2xf32>, tensor<2x3x2xf32>
}
