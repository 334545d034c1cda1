// The prefix form of a generic seq.scan: reduce-then-scan with the op's
// own combiner. Here a non-commutative one (composition of affine maps),
// reversed, with init: T = 37 reversed, zero-padded to 3 chunks of 16;
// 15 local combine steps over all chunks; the carries (init o agg_0, then
// one more, unrolled: 3 chunks); one fix-up combining carry and local
// scan; the outputs reversed back. The combiner keeps its operand order:
// lhs (earlier) first.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-DAG:   #[[REVERSED:.*]] = affine_map<(d0, d1, d2) -> (d0, -d1 + 36, d2)>
// CHECK-LABEL: func.func @affine
// CHECK:       linalg.generic {indexing_maps = [#[[REVERSED]], #{{.*}}]{{.*}}ins(%arg0
// CHECK:       tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [2, 37, 4] [1, 1, 1] : tensor<2x37x4xf32> into tensor<2x48x4xf32>
// CHECK:       scf.for %{{.*}} = %c1 to %c16 step %c1
// CHECK:         %[[LOCAL:.*]]:2 = linalg.generic
// CHECK-NEXT:    ^bb0(%[[LA:.*]]: f32, %[[LB:.*]]: f32, %[[RA:.*]]: f32, %[[RB:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT:      arith.mulf %[[LA]], %[[RA]] : f32
// CHECK-NEXT:      arith.mulf %[[RA]], %[[LB]] : f32
// The carry into chunk 1 applies init to chunk 0's aggregate.
// CHECK:       linalg.generic {{.*}}ins(%arg2, %arg3,
// The fix-up: every step of every chunk at once.
// CHECK:       linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK:       linalg.generic {indexing_maps = [#[[REVERSED]], #{{.*}}]
// CHECK:       return
func.func @affine(%a: tensor<2x37x4xf32>, %b: tensor<2x37x4xf32>, %i0: tensor<2x4xf32>, %i1: tensor<2x4xf32>)
    -> (tensor<2x37x4xf32>, tensor<2x37x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %o:2, %f:2 = seq.scan ins(%a, %b : tensor<2x37x4xf32>, tensor<2x37x4xf32>) init(%i0, %i1 : tensor<2x4xf32>, tensor<2x4xf32>) reverse
      attributes {form = #seq.form<prefix, chunk_size = 16>}
      -> (tensor<2x37x4xf32>, tensor<2x37x4xf32>) final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%la: f32, %lb: f32, %ra: f32, %rb: f32):
    %m = arith.mulf %la, %ra : f32
    %p = arith.mulf %ra, %lb : f32
    %s = arith.addf %p, %rb : f32
    seq.yield %m, %s : f32, f32
  }
  return %o#0, %o#1, %f#0, %f#1 : tensor<2x37x4xf32>, tensor<2x37x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}
