// seq-differentiate on causal softmax attention with a key/value cache: the
// flash backward. T = 100 queries over L = 103 keys (3 cached) in blocks of
// 64 (padded to 128): one loop over the blocks recomputes each row's
// log-sum-exp online, a second recomputes P block by block, accumulates dQ
// and writes each block's dK', dV'. No T x L matrix is built.
// RUN: seq-opt %s -seq-differentiate | FileCheck %s

// CHECK-LABEL: func.func @attention_bwd(
// CHECK-NOT: tensor<1x2x100x103xf32>
// CHECK: %[[STATS:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %c128{{.*}} step %c64{{.*}} iter_args({{.*}}) -> (tensor<1x2x100xf32>, tensor<1x2x100xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x100x64xf32>)
// CHECK: math.log
// CHECK: %[[GRADS:.*]]:3 = scf.for %{{.*}} = %{{.*}} to %c128{{.*}} step %c64{{.*}} iter_args({{.*}}) -> (tensor<1x100x2x8xf32>, tensor<1x128x2x8xf32>, tensor<1x128x2x4xf32>)
// CHECK: tensor.insert_slice {{.*}} into {{.*}} : tensor<1x64x2x8xf32> into tensor<1x128x2x8xf32>
// CHECK: tensor.insert_slice {{.*}} into {{.*}} : tensor<1x64x2x4xf32> into tensor<1x128x2x4xf32>
// CHECK-NOT: tensor<1x2x100x103xf32>
// CHECK: return
func.func @attention(%q: tensor<1x100x2x8xf32>, %k: tensor<1x100x2x8xf32>, %v: tensor<1x100x2x4xf32>,
                     %kc: tensor<1x3x2x8xf32>, %vc: tensor<1x3x2x4xf32>)
    -> (tensor<1x100x2x4xf32>, tensor<1x103x2x8xf32>, tensor<1x103x2x4xf32>) {
  %o, %k2, %v2 = seq.softmax_attention %q, %k, %v init(%kc, %vc)
      : (tensor<1x100x2x8xf32>, tensor<1x100x2x8xf32>, tensor<1x100x2x4xf32>, tensor<1x3x2x8xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x100x2x4xf32>, tensor<1x103x2x8xf32>, tensor<1x103x2x4xf32>)
  return %o, %k2, %v2 : tensor<1x100x2x4xf32>, tensor<1x103x2x8xf32>, tensor<1x103x2x4xf32>
}
