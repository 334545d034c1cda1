// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=2},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=2}))' | FileCheck %s
// RUN: seqc-gpu-emulate %s --func=step --pipeline='func.func(seq-weight-stationary-steps{blocks=2},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=2})' | FileCheck %s --check-prefix=EMULATE
// EMULATE: @step: 0 -> 2 kernel launches, {{.*}}: PASS
// Over the 48 KiB of static shared memory a block's weights are dynamic
// shared memory, and the runtime raises the kernel's limit.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=2 shared-bytes=65535}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=LIMIT
// LIMIT: remark: the recurrent weights stay in global memory, read every step: the weights of a block's 32 units take 65536 bytes of shared memory, over the 65535 bytes available

// 64 units over two blocks: a block's columns of R are 128 x 32 x 4 floats,
// 64 KiB. The state is [2 halves x 64], so the reduction is two loops.
// CHECK-LABEL: func.func @step
// CHECK:       %[[BYTES:.*]] = arith.constant 65536 : i32
// CHECK:       gpu.launch {{.*}} dynamic_shared_memory_size %[[BYTES]]
// CHECK-NOT:     workgroup(
// CHECK:         %[[RAW:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:         %[[STAGED:.*]] = memref.view %[[RAW]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<16384xf32, #gpu.address_space<workgroup>>
// CHECK:         scf.for
// CHECK:           memref.store %{{.*}}, %[[STAGED]]
// CHECK:         } {seq.step_invariant}
// 2 rows x 32 units a block: four lanes share each (row, unit)'s 128 k
// (32 each), their partial sums added by shuffles.
// CHECK:         scf.for
// CHECK:           scf.for {{.*}} step %c4{{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32)
// CHECK:             memref.load %[[STAGED]]
// CHECK:           gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32 : f32
// CHECK:           gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32 : f32
// CHECK:       } {seq.gpu_kernel = #seq.gpu_kernel<persistent_recurrence, cooperative = true>}
#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k1, k2) -> (b, k1, k2)>
#r = affine_map<(b, g, j, k1, k2) -> (k1, k2, g, j)>
#acc = affine_map<(b, g, j, k1, k2) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#gate2 = affine_map<(b, j) -> (b, 2, j)>
#gate3 = affine_map<(b, j) -> (b, 3, j)>
#half0 = affine_map<(b, j) -> (b, 0, j)>
#half1 = affine_map<(b, j) -> (b, 1, j)>
func.func @step(%r: memref<2x64x4x64xf32>, %init: memref<2x2x64xf32>, %out: memref<4x2x2x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  // R scaled by 1/16: the recurrence contracts, so that the order of the
  // kernel's sums (split over lanes) is not amplified step after step.
  %scale = arith.constant 0.0625 : f32
  %acc = memref.alloc() : memref<2x4x64xf32>
  %res = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %init) -> (memref<2x2x64xf32>) {
    linalg.generic {indexing_maps = [#fill], iterator_types = ["parallel", "parallel", "parallel"]} outs(%acc : memref<2x4x64xf32>) {
    ^bb0(%o: f32):
      linalg.yield %zero : f32
    }
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%h, %r : memref<2x2x64xf32>, memref<2x64x4x64xf32>) outs(%acc : memref<2x4x64xf32>) {
    ^bb0(%a: f32, %w: f32, %o: f32):
      %p = arith.mulf %a, %w : f32
      %q = arith.mulf %p, %scale : f32
      %s = arith.addf %o, %q : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x2x64xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #gate2, #gate3, #half0, #half1], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc, %acc, %acc : memref<2x4x64xf32>, memref<2x4x64xf32>, memref<2x4x64xf32>, memref<2x4x64xf32>) outs(%new, %new : memref<2x2x64xf32>, memref<2x2x64xf32>) {
    ^bb0(%g0: f32, %g1: f32, %g2: f32, %g3: f32, %o0: f32, %o1: f32):
      %x = arith.addf %g0, %g1 : f32
      %y = arith.mulf %g2, %g3 : f32
      %a = math.tanh %x : f32
      %b = math.tanh %y : f32
      linalg.yield %a, %b : f32, f32
    }
    %slot = memref.subview %out[%t, 0, 0, 0] [1, 2, 2, 64] [1, 1, 1, 1] : memref<4x2x2x64xf32> to memref<2x2x64xf32, strided<[128, 64, 1], offset: ?>>
    linalg.copy ins(%new : memref<2x2x64xf32>) outs(%slot : memref<2x2x64xf32, strided<[128, 64, 1], offset: ?>>)
    scf.yield %new : memref<2x2x64xf32>
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}
