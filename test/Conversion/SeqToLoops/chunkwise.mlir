// The chunkwise form of seq.linear_attention: T = 37 padded to 3 chunks of
// 16, a loop over chunks carrying the state, exponents only of differences
// of the in-chunk cumulative log gate, masked to j <= i.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @gla_chunks
// Inputs are zero-padded to 48 steps and viewed as [B, 3, 16, H, d].
// CHECK:      tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 0] [1, 37, 2, 8] [1, 1, 1, 1] : tensor<1x37x2x8xf32> into tensor<1x48x2x8xf32>
// CHECK:      tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 3, 16, 2, 8] : tensor<1x48x2x8xf32> into tensor<1x3x16x2x8xf32>
// CHECK:      %[[LOOP:.*]]:2 = scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<1x2x8x8xf32>, tensor<1x3x16x2x8xf32>)
// The in-chunk cumulative sum and the masked intra-chunk scores.
// CHECK:        linalg.index 4
// CHECK:        arith.cmpi ule
// The exponent is a difference of cumulative sums kept in f64.
// CHECK:        %[[DIFF:.*]] = arith.subf %{{.*}}, %{{.*}} : f64
// CHECK-NEXT:   %[[NARROW:.*]] = arith.truncf %[[DIFF]] : f64 to f32
// CHECK-NEXT:   math.exp %[[NARROW]] : f32
// CHECK:        scf.yield
// Only the first 37 steps are returned.
// CHECK:      tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 37, 2, 8] [1, 1, 1, 1] : tensor<1x48x2x8xf32> to tensor<1x37x2x8xf32>
func.func @gla_chunks(%q: tensor<1x37x2x8xf32>, %g: tensor<1x37x2x8xf32>) -> (tensor<1x37x2x8xf32>, tensor<1x2x8x8xf32>) {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<chunkwise, chunk_size = 16>}
      : (tensor<1x37x2x8xf32>, tensor<1x37x2x8xf32>, tensor<1x37x2x8xf32>, tensor<1x37x2x8xf32>)
      -> (tensor<1x37x2x8xf32>, tensor<1x2x8x8xf32>)
  return %o, %s : tensor<1x37x2x8xf32>, tensor<1x2x8x8xf32>
}
