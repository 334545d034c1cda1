// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-persistent-time-loops{blocks=108}))' -verify-diagnostics | FileCheck %s
// The persistent kernel (two blocks, all resident, grid barriers) computes
// what the 64 launches of the host loop computed, emulated on the CPU.
// RUN: seqc-gpu-emulate %s --func=recurrence --pipeline='func.func(seq-persistent-time-loops{blocks=2})' | FileCheck %s --check-prefix=EMULATE
// EMULATE: @recurrence: 64 -> 2 kernel launches, {{.*}}: PASS

// A time loop as bufferization and kernel formation leave it: each step
// allocates the buffer of its new state, launches its kernels, frees the
// previous state (under the loop's ownership flag) and yields the new one.
// CHECK-LABEL: func.func @recurrence
// Two state buffers for the steps to alternate between, and the barrier
// counter, reset by a one-thread kernel.
// CHECK:       %[[EVEN:.*]] = memref.alloc() : memref<64xf32>
// CHECK:       %[[ODD:.*]] = memref.alloc() : memref<64xf32>
// CHECK:       %[[COUNTER:.*]] = memref.alloc() : memref<1xi32>
// CHECK:       gpu.launch
// CHECK:         memref.store %{{.*}}, %[[COUNTER]]
// CHECK:       seq.gpu_kernel = #seq.gpu_kernel<grid_barrier_reset>
// One block per multiprocessor, 256 threads; the loop over time inside.
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c108{{.*}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}}) function(@recurrence_persistent_cooperative)
// CHECK:         scf.for %[[T:.*]] = %c0{{.*}} to %c32{{.*}} step %c1{{.*}} iter_args(%[[STATE:.*]] = %{{.*}}, %{{.*}} = %false)
// CHECK:           %[[NEW:.*]] = arith.select %{{.*}}, %[[EVEN]], %[[ODD]] : memref<64xf32>
// The step's first kernel (64 threads), strided over by the grid's threads.
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c27648
// CHECK:             memref.load %[[STATE]]
// CHECK:             memref.store %{{.*}}, %[[NEW]]
// A grid barrier after each kernel.
// CHECK:           gpu.barrier
// CHECK:           scf.if
// CHECK:             nvvm.memory.barrier <gpu>
// CHECK:             memref.atomic_rmw addi %{{.*}}, %[[COUNTER]]
// CHECK:             scf.while
// CHECK:               memref.atomic_rmw addi
// CHECK:             nvvm.memory.barrier <gpu>
// CHECK:           gpu.barrier
// The second kernel (writing the step's output).
// CHECK:           scf.for %{{.*}} step %c27648
// CHECK:             memref.store
// CHECK:           gpu.barrier
// CHECK-NOT:       memref.dealloc
// CHECK:           scf.yield %[[NEW]], %false
// CHECK:       } {seq.gpu_kernel = #seq.gpu_kernel<persistent_recurrence, cooperative = true>}
// CHECK:       memref.dealloc %[[COUNTER]]
// The last state, on the host: the buffer of step 31 (odd).
// CHECK:       %[[LAST:.*]] = arith.select %{{.*}}, %[[EVEN]], %[[ODD]]
// CHECK:       arith.select %{{.*}}, %arg0, %[[LAST]]
// CHECK:       memref.dealloc %[[EVEN]]
// CHECK:       memref.dealloc %[[ODD]]
// CHECK-NEXT:  return
func.func @recurrence(%init: memref<64xf32>, %out: memref<32x64xf32>, %final: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %false = arith.constant false
  %true = arith.constant true
  %cst = arith.constant 5.000000e-01 : f32
  %r:2 = scf.for %t = %c0 to %c32 step %c1 iter_args(%state = %init, %owned = %false) -> (memref<64xf32>, i1) {
    %new = memref.alloc() : memref<64xf32>
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1) {
      %h = memref.load %state[%tx] : memref<64xf32>
      %n = arith.mulf %h, %cst : f32
      memref.store %n, %new[%tx] : memref<64xf32>
      gpu.terminator
    }
    %row = memref.subview %out[%t, 0] [1, 64] [1, 1] : memref<32x64xf32> to memref<64xf32, strided<[1], offset: ?>>
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1) {
      %v = memref.load %new[%tx] : memref<64xf32>
      memref.store %v, %row[%tx] : memref<64xf32, strided<[1], offset: ?>>
      gpu.terminator
    }
    %base, %offset, %size, %stride = memref.extract_strided_metadata %state : memref<64xf32> -> memref<f32>, index, index, index
    scf.if %owned {
      memref.dealloc %base : memref<f32>
    }
    scf.yield %new, %true : memref<64xf32>, i1
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  memref.copy %r#0, %final : memref<64xf32> to memref<64xf32>
  return
}

// A kernel with a block barrier needs its own blocks: the loop stays.
// CHECK-LABEL: func.func @needs_own_blocks
// CHECK:       scf.for
// CHECK:         gpu.launch
// CHECK-NOT:   variant = fused
func.func @needs_own_blocks(%buf: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  // expected-remark @below {{the fused (persistent) variant does not apply, the steps stay separate launches: a kernel of the step uses 'gpu.barrier', which needs its own block}}
  scf.for %t = %c0 to %c8 step %c1 {
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1) {
      %v = memref.load %buf[%tx] : memref<64xf32>
      gpu.barrier
      memref.store %v, %buf[%tx] : memref<64xf32>
      gpu.terminator
    }
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  return
}
