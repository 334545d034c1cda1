// The chunkwise (flash) form of causal softmax attention: a loop over
// chunks of 5 keys (19 cached and fresh keys: 4 chunks, the last masked)
// carrying the running max, denominator and numerator of every step; the
// old max rescales both (0 while no key was visible). Chunk j updates only
// steps t >= 5j - 3 (causal block skipping): rows [r0, 16) sliced out and
// written back.
// RUN: seq-opt %s -seq-lower-forms | FileCheck %s

// CHECK-LABEL: func.func @causal
// CHECK:         tensor.expand_shape {{.*}} into tensor<1x4x5x2x8xf32>
// CHECK:         scf.for %[[J:.*]] = %c0 to %c4 step %c1 iter_args({{.*}}) -> (tensor<1x2x16xf32>, tensor<1x2x16xf32>, tensor<1x2x16x4xf32>)
// CHECK:           %[[R0:.*]] = arith.maxsi %{{.*}}, %c0 : index
// CHECK:           %[[ROWS:.*]] = arith.subi %c16, %[[R0]]
// CHECK:           tensor.extract_slice %arg0[0, %[[R0]], 0, 0] [1, %[[ROWS]], 2, 8]
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]{{.*}}outs(%{{.*}} : tensor<1x2x?x5xf32>)
// CHECK:           arith.maximumf
// CHECK:           arith.cmpf oeq
// CHECK:           math.exp
// CHECK:           arith.select
// CHECK:           tensor.insert_slice {{.*}}[0, 0, %[[R0]]] [1, 2, %{{.*}}] [1, 1, 1] : tensor<1x2x?xf32> into tensor<1x2x16xf32>
// CHECK:           scf.yield
// CHECK:         arith.divf
// CHECK:         return
func.func @causal(%q: tensor<1x16x2x8xf32>, %kc: tensor<1x3x2x8xf32>, %vc: tensor<1x3x2x4xf32>, %v: tensor<1x16x2x4xf32>)
    -> (tensor<1x16x2x4xf32>, tensor<1x19x2x8xf32>, tensor<1x19x2x4xf32>) {
  %o, %k, %vv = seq.softmax_attention %q, %q, %v init(%kc, %vc) {form = #seq.form<chunkwise, chunk_size = 5>}
      : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x4xf32>, tensor<1x3x2x8xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x16x2x4xf32>, tensor<1x19x2x8xf32>, tensor<1x19x2x4xf32>)
  return %o, %k, %vv : tensor<1x16x2x4xf32>, tensor<1x19x2x8xf32>, tensor<1x19x2x4xf32>
}
