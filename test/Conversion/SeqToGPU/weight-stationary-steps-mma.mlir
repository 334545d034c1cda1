// The fused step's gates on tensor cores: 16-bit weights, f32 gates.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3}))' | FileCheck %s
// With the time loop persistent, a warp's fragments of R are loaded once,
// before the first step.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3},seq-persistent-time-loops{blocks=3}))' | FileCheck %s --check-prefix=PERSISTENT
// Each computes what the step's linalg ops computed, emulated on the CPU
// at the default rtol (1e-4): the f32 state's three bf16 terms keep the
// gates within f32 rounding of the FMA sums.
// RUN: seqc-gpu-emulate %s --func=split_state --pipeline='func.func(seq-weight-stationary-steps{blocks=3},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=3})' | FileCheck %s --check-prefix=EMULATE-SPLIT
// EMULATE-SPLIT: @split_state: 0 -> 2 kernel launches, {{.*}}: PASS
// The FMA path computes the same step (tensor cores off).
// RUN: seqc-gpu-emulate %s --func=split_state --pipeline='func.func(seq-weight-stationary-steps{blocks=3 tensor-cores=0},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=3})' | FileCheck %s --check-prefix=EMULATE-FMA
// EMULATE-FMA: @split_state: 0 -> 2 kernel launches, {{.*}}: PASS
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3 tensor-cores=0}))' | FileCheck %s --check-prefix=FMA
// FMA-LABEL: func.func @split_state
// FMA:         gate_products = fma
// One bf16 term (the state rounded, as cuDNN's bf16 LSTM computes): one
// product per tile; a term count outside 1..3 is an error.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3 state-terms=1}))' | FileCheck %s --check-prefix=ONE-TERM
// ONE-TERM-LABEL: func.func @split_state
// ONE-TERM-COUNT-3: nvvm.mma.sync
// ONE-TERM-NOT:     nvvm.mma.sync
// ONE-TERM:         state_terms = 1
// RUN: not seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{state-terms=4}))' 2>&1 | FileCheck %s --check-prefix=TERMS
// TERMS: error: seq-weight-stationary-steps: state-terms must be 1, 2 or 3, not 4

// The cell scales the gates by 1/8 so that the recurrence contracts (as
// an LSTM's does): the tensor cores sum in another order than the loops,
// and an expansive recurrence would amplify those roundings step by step.
//
// An f32 state of 20 rows (two m tiles, the second padded), bf16 R of 32
// units x 2 gates over three blocks: 11 units a block (the last 10), 22
// columns (three n tiles, the last padded), k 32 (two k steps). The split
// with the fewest mma per warp is 2 (m) x 1 (n) x 2 (k): 4 warps, 3 tiles
// each; the other 4 warps idle. A warp's fragments of R (3 tiles x 2
// words) stay in registers.
// CHECK-LABEL: func.func @split_state
// CHECK:       scf.for
// CHECK-NOT:     linalg.generic
// CHECK:         gpu.launch {{.*}} workgroup(%[[PARTIALS:.*]] : memref<2x32x24xf32, #gpu.address_space<workgroup>>)
// CHECK:           %[[FRAGMENTS:.*]]:6 = scf.execute_region -> (i32, i32, i32, i32, i32, i32) no_inline {
// CHECK:             memref.load %arg0
// CHECK:             memref.load %arg0
// CHECK:             scf.yield
// CHECK:           } {seq.step_invariant}
// Warps 4 to 7 idle.
// CHECK:           %[[ACTIVE:.*]] = arith.cmpi ult, %{{.*}}, %c4
// CHECK:           scf.if %[[ACTIVE]]
// The f32 state as three bf16 terms (each the rounding of what the larger
// ones leave), one product each per n tile, the smallest first; its (k,
// k + 1) pairs are one 8-byte load each.
// CHECK:             vector.load %{{.*}} {alignment = 8 : i64} : memref<20x32xf32>, vector<2xf32>
// CHECK:             arith.truncf %{{.*}} : f32 to bf16
// CHECK:             arith.subf
// CHECK:             arith.truncf %{{.*}} : f32 to bf16
// CHECK:             arith.subf
// CHECK:             arith.truncf %{{.*}} : f32 to bf16
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#0, %[[FRAGMENTS]]#1] C[{{.*}}] {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>{{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#2, %[[FRAGMENTS]]#3]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#4, %[[FRAGMENTS]]#5]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#0, %[[FRAGMENTS]]#1]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#2, %[[FRAGMENTS]]#3]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#4, %[[FRAGMENTS]]#5]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#0, %[[FRAGMENTS]]#1]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#2, %[[FRAGMENTS]]#3]
// CHECK:             nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#4, %[[FRAGMENTS]]#5]
// CHECK-NOT:         nvvm.mma.sync
// CHECK-COUNT-12:    memref.store %{{.*}}, %[[PARTIALS]]
// CHECK:           gpu.barrier
// The cell takes each gate from the partial tiles: the two k groups' sums
// plus the fill value (acc, filled every step and read by nothing else,
// is never written; no second barrier).
// CHECK-NOT:       gpu.barrier
// CHECK:           scf.for
// CHECK-NOT:         memref.store
// CHECK:             memref.load %[[PARTIALS]]
// CHECK:             memref.load %[[PARTIALS]]
// CHECK:             arith.addf
// CHECK:             arith.addf %cst
// CHECK-NOT:         memref.store
// CHECK:             memref.load %[[PARTIALS]]
// CHECK:             memref.load %[[PARTIALS]]
// CHECK:             arith.addf
// CHECK:             arith.addf %cst
// CHECK-NOT:       gpu.barrier
// CHECK:             math.tanh
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<weight_stationary_step, mma_warps = [2, 1, 2], units_per_block = 11, gate_products = mma_m16n8k16, state_terms = 3, weights_in = registers, gates_in = shared>}

// PERSISTENT-LABEL: func.func @split_state
// PERSISTENT:       gpu.launch
// PERSISTENT:         %[[FRAGMENTS:.*]]:6 = scf.execute_region -> (i32, i32, i32, i32, i32, i32) no_inline {
// PERSISTENT:         } {seq.step_invariant}
// PERSISTENT-NOT:     scf.execute_region
// PERSISTENT:         scf.for
// PERSISTENT-NOT:       scf.execute_region
// PERSISTENT:           nvvm.mma.sync A[{{.*}}] B[%[[FRAGMENTS]]#0, %[[FRAGMENTS]]#1]
// PERSISTENT:           memref.atomic_rmw addi
#fill = affine_map<(b, g, j) -> (b, g, j)>
#h = affine_map<(b, g, j, k) -> (b, k)>
#r = affine_map<(b, g, j, k) -> (k, g, j)>
#acc = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0 = affine_map<(b, j) -> (b, 0, j)>
#gate1 = affine_map<(b, j) -> (b, 1, j)>
#id = affine_map<(b, j) -> (b, j)>
func.func @split_state(%r: memref<32x2x32xbf16>, %init: memref<20x32xf32>, %out: memref<4x20x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %eighth = arith.constant 0.125 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<20x2x32xf32>
  %res:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %init, %owned = %false) -> (memref<20x32xf32>, i1) {
    linalg.generic {indexing_maps = [#fill], iterator_types = ["parallel", "parallel", "parallel"]} outs(%acc : memref<20x2x32xf32>) {
    ^bb0(%o: f32):
      linalg.yield %zero : f32
    }
    linalg.generic {indexing_maps = [#h, #r, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<20x32xf32>, memref<32x2x32xbf16>) outs(%acc : memref<20x2x32xf32>) {
    ^bb0(%a: f32, %w: bf16, %o: f32):
      %wf = arith.extf %w : bf16 to f32
      %p = arith.mulf %a, %wf : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<20x32xf32>
    linalg.generic {indexing_maps = [#gate0, #gate1, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc, %h : memref<20x2x32xf32>, memref<20x2x32xf32>, memref<20x32xf32>) outs(%new : memref<20x32xf32>) {
    ^bb0(%i: f32, %f: f32, %hp: f32, %o: f32):
      %b = arith.mulf %f, %hp : f32
      %a = arith.addf %i, %b : f32
      %scaled = arith.mulf %a, %eighth : f32
      %n = math.tanh %scaled : f32
      linalg.yield %n : f32
    }
    %slot = memref.subview %out[%t, 0, 0] [1, 20, 32] [1, 1, 1] : memref<4x20x32xf32> to memref<20x32xf32, strided<[32, 1], offset: ?>>
    linalg.copy ins(%new : memref<20x32xf32>) outs(%slot : memref<20x32xf32, strided<[32, 1], offset: ?>>)
    scf.if %owned {
      memref.dealloc %h : memref<20x32xf32>
    }
    scf.yield %new, %true : memref<20x32xf32>, i1
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  memref.dealloc %acc : memref<20x2x32xf32>
  return
}


// A bf16 state (one product per tile), R staged in shared memory
// (fragment-registers=0) as packed k pairs, rows of 32 columns padded to 40
// words (conflict-free fragment reads); acc starts from the bias the step
// writes into it, not a fill, so the sums are added to what acc holds, in
// acc (gates_in = global), before a barrier and the cell.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=2 fragment-registers=0}))' | FileCheck %s --check-prefix=SHARED
// RUN: seqc-gpu-emulate %s --func=bf16_state --pipeline='func.func(seq-weight-stationary-steps{blocks=2 fragment-registers=0},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=2})' | FileCheck %s --check-prefix=EMULATE-BF16
// EMULATE-BF16: @bf16_state: 0 -> {{[0-9]+}} kernel launches, {{.*}}: PASS
// SHARED-LABEL: func.func @bf16_state
// SHARED:         gpu.launch {{.*}} workgroup(%[[STAGED:.*]] : memref<16x40xi32, #gpu.address_space<workgroup>>, %[[PARTIALS:.*]] : memref<2x16x32xf32, #gpu.address_space<workgroup>>)
// SHARED:           scf.for
// SHARED:             memref.load %arg0
// SHARED:             memref.load %arg0
// SHARED:             memref.store %{{.*}}, %[[STAGED]]
// SHARED:           } {seq.step_invariant}
// SHARED-NEXT:      gpu.barrier {seq.step_invariant}
// SHARED-NOT:       scf.execute_region
// SHARED:           scf.if
// SHARED-NOT:         arith.truncf
// SHARED:             memref.load %[[STAGED]]
// SHARED:             memref.load %[[STAGED]]
// SHARED:             vector.load %{{.*}} {alignment = 4 : i64} : memref<2x32xbf16>, vector<2xbf16>
// SHARED:             vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// SHARED:             nvvm.mma.sync
// SHARED-NOT:         nvvm.mma.sync
// SHARED:           gpu.barrier
// SHARED:           scf.for
// SHARED:             memref.load %[[PARTIALS]]
// SHARED:             memref.load %[[PARTIALS]]
// SHARED:             arith.addf
// SHARED:             %[[BIAS:.*]] = memref.load %{{.*}} : memref<2x2x32xf32>
// SHARED:             arith.addf %[[BIAS]]
// SHARED:         } {seq.gpu_kernel = #seq.gpu_kernel<weight_stationary_step, mma_warps = [1, 4, 2], units_per_block = 16, gate_products = mma_m16n8k16, state_terms = 1, weights_in = shared, gates_in = global>}
#bias_2 = affine_map<(b, g, j) -> (g, j)>
#fill_2 = affine_map<(b, g, j) -> (b, g, j)>
#h_2 = affine_map<(b, g, j, k) -> (b, k)>
#r_2 = affine_map<(b, g, j, k) -> (k, g, j)>
#acc_2 = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0_2 = affine_map<(b, j) -> (b, 0, j)>
#gate1_2 = affine_map<(b, j) -> (b, 1, j)>
#id_2 = affine_map<(b, j) -> (b, j)>
func.func @bf16_state(%r: memref<32x2x32xbf16>, %bias: memref<2x32xf32>, %init: memref<2x32xbf16>, %out: memref<4x2x32xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %eighth = arith.constant 0.125 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<2x2x32xf32>
  %res:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %init, %owned = %false) -> (memref<2x32xbf16>, i1) {
    linalg.generic {indexing_maps = [#bias_2, #fill_2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%bias : memref<2x32xf32>) outs(%acc : memref<2x2x32xf32>) {
    ^bb0(%in: f32, %o: f32):
      linalg.yield %in : f32
    }
    linalg.generic {indexing_maps = [#h_2, #r_2, #acc_2], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<2x32xbf16>, memref<32x2x32xbf16>) outs(%acc : memref<2x2x32xf32>) {
    ^bb0(%a: bf16, %w: bf16, %o: f32):
      %af = arith.extf %a : bf16 to f32
      %wf = arith.extf %w : bf16 to f32
      %p = arith.mulf %wf, %af : f32
      %s = arith.addf %p, %o : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<2x32xbf16>
    linalg.generic {indexing_maps = [#gate0_2, #gate1_2, #id_2, #id_2], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc, %h : memref<2x2x32xf32>, memref<2x2x32xf32>, memref<2x32xbf16>) outs(%new : memref<2x32xbf16>) {
    ^bb0(%i: f32, %f: f32, %hp: bf16, %o: bf16):
      %hf = arith.extf %hp : bf16 to f32
      %b = arith.mulf %f, %hf : f32
      %a = arith.addf %i, %b : f32
      %scaled = arith.mulf %a, %eighth : f32
      %n = math.tanh %scaled : f32
      %nb = arith.truncf %n : f32 to bf16
      linalg.yield %nb : bf16
    }
    %slot = memref.subview %out[%t, 0, 0] [1, 2, 32] [1, 1, 1] : memref<4x2x32xbf16> to memref<2x32xbf16, strided<[32, 1], offset: ?>>
    linalg.copy ins(%new : memref<2x32xbf16>) outs(%slot : memref<2x32xbf16, strided<[32, 1], offset: ?>>)
    scf.if %owned {
      memref.dealloc %h : memref<2x32xbf16>
    }
    scf.yield %new, %true : memref<2x32xbf16>, i1
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  memref.dealloc %acc : memref<2x2x32xf32>
  return
}


// Two heads of 16 units, the state indexed by the head: a block's tile
// must stay within one head, so its units per block rise from 11 (32 units
// over 3 blocks) to 16, a divisor of the head's: two blocks, one per head,
// and the third idle.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=3}))' | FileCheck %s --check-prefix=HEADS
// RUN: seqc-gpu-emulate %s --func=heads --pipeline='func.func(seq-weight-stationary-steps{blocks=3},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=3})' | FileCheck %s --check-prefix=EMULATE-HEADS
// EMULATE-HEADS: @heads: 0 -> 2 kernel launches, {{.*}}: PASS
// HEADS-LABEL: func.func @heads
// HEADS:         } {seq.gpu_kernel = #seq.gpu_kernel<weight_stationary_step, mma_warps = [1, 4, 1], units_per_block = 16, gate_products = mma_m16n8k16, state_terms = 3, weights_in = registers, gates_in = shared>}
#fill_3 = affine_map<(b, n, g, j) -> (b, n, g, j)>
#h_3 = affine_map<(b, n, g, j, k) -> (b, n, k)>
#r_3 = affine_map<(b, n, g, j, k) -> (n, k, g, j)>
#acc_3 = affine_map<(b, n, g, j, k) -> (b, n, g, j)>
#gate0_3 = affine_map<(b, n, j) -> (b, n, 0, j)>
#gate1_3 = affine_map<(b, n, j) -> (b, n, 1, j)>
#id_3 = affine_map<(b, n, j) -> (b, n, j)>
func.func @heads(%r: memref<2x16x2x16xbf16>, %init: memref<3x2x16xf32>, %out: memref<4x3x2x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %eighth = arith.constant 0.125 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<3x2x2x16xf32>
  %res:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %init, %owned = %false) -> (memref<3x2x16xf32>, i1) {
    linalg.generic {indexing_maps = [#fill_3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%acc : memref<3x2x2x16xf32>) {
    ^bb0(%o: f32):
      linalg.yield %zero : f32
    }
    linalg.generic {indexing_maps = [#h_3, #r_3, #acc_3], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<3x2x16xf32>, memref<2x16x2x16xbf16>) outs(%acc : memref<3x2x2x16xf32>) {
    ^bb0(%a: f32, %w: bf16, %o: f32):
      %wf = arith.extf %w : bf16 to f32
      %p = arith.mulf %a, %wf : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<3x2x16xf32>
    linalg.generic {indexing_maps = [#gate0_3, #gate1_3, #id_3, #id_3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%acc, %acc, %h : memref<3x2x2x16xf32>, memref<3x2x2x16xf32>, memref<3x2x16xf32>) outs(%new : memref<3x2x16xf32>) {
    ^bb0(%i: f32, %f: f32, %hp: f32, %o: f32):
      %b = arith.mulf %f, %hp : f32
      %a = arith.addf %i, %b : f32
      %scaled = arith.mulf %a, %eighth : f32
      %n = math.tanh %scaled : f32
      linalg.yield %n : f32
    }
    %slot = memref.subview %out[%t, 0, 0, 0] [1, 3, 2, 16] [1, 1, 1, 1] : memref<4x3x2x16xf32> to memref<3x2x16xf32, strided<[32, 16, 1], offset: ?>>
    linalg.copy ins(%new : memref<3x2x16xf32>) outs(%slot : memref<3x2x16xf32, strided<[32, 16, 1], offset: ?>>)
    scf.if %owned {
      memref.dealloc %h : memref<3x2x16xf32>
    }
    scf.yield %new, %true : memref<3x2x16xf32>, i1
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  memref.dealloc %acc : memref<3x2x2x16xf32>
  return
}

// Every loop of the warp's tiles at once: 40 rows (three m tiles), 64
// units x 2 gates a block (16 n tiles), k 256 (16 k steps). Every split
// of the 8 warps gives 96 mma a warp; within 64 accumulators a thread, the
// shortest chain of dependent mma is 1 x 4 x 2: each warp 3 m tiles x 4 n
// tiles (48 accumulators) x 8 k steps, its 64 words of R in registers (or,
// with fragment-registers=0, read from shared memory). One step from an
// initial state of multiples of 2^-7 (the emulator's inputs): every
// product and sum is exact in f32, so the kernel must match the loops
// exactly whatever its order of summation.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-weight-stationary-steps{blocks=4}))' | FileCheck %s --check-prefix=DEEP
// DEEP-LABEL: func.func @deep
// DEEP:         } {seq.gpu_kernel = #seq.gpu_kernel<weight_stationary_step, mma_warps = [1, 4, 2], units_per_block = 64, gate_products = mma_m16n8k16, state_terms = 3, weights_in = registers, gates_in = shared>}
// RUN: seqc-gpu-emulate %s --func=deep --rtol=0 --pipeline='func.func(seq-weight-stationary-steps{blocks=4},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=4})' | FileCheck %s --check-prefix=EMULATE-DEEP
// RUN: seqc-gpu-emulate %s --func=deep --rtol=0 --pipeline='func.func(seq-weight-stationary-steps{blocks=4 fragment-registers=0},convert-linalg-to-parallel-loops,seq-parallel-loops-to-gpu,seq-persistent-time-loops{blocks=4})' | FileCheck %s --check-prefix=EMULATE-DEEP
// EMULATE-DEEP: @deep: 0 -> 2 kernel launches, {{.*}} max abs err 0.000e+00, {{.*}}: PASS
#fill_4 = affine_map<(b, g, j) -> (b, g, j)>
#h_4 = affine_map<(b, g, j, k) -> (b, k)>
#r_4 = affine_map<(b, g, j, k) -> (k, g, j)>
#acc_4 = affine_map<(b, g, j, k) -> (b, g, j)>
#gate0_4 = affine_map<(b, j) -> (b, 0, j)>
#gate1_4 = affine_map<(b, j) -> (b, 1, j)>
#id_4 = affine_map<(b, j) -> (b, j)>
func.func @deep(%r: memref<256x2x256xbf16>, %init: memref<40x256xf32>, %out: memref<1x40x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %eighth = arith.constant 0.125 : f32
  %false = arith.constant false
  %true = arith.constant true
  %acc = memref.alloc() : memref<40x2x256xf32>
  %res:2 = scf.for %t = %c0 to %c1 step %c1 iter_args(%h = %init, %owned = %false) -> (memref<40x256xf32>, i1) {
    linalg.generic {indexing_maps = [#fill_4], iterator_types = ["parallel", "parallel", "parallel"]} outs(%acc : memref<40x2x256xf32>) {
    ^bb0(%o: f32):
      linalg.yield %zero : f32
    }
    linalg.generic {indexing_maps = [#h_4, #r_4, #acc_4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%h, %r : memref<40x256xf32>, memref<256x2x256xbf16>) outs(%acc : memref<40x2x256xf32>) {
    ^bb0(%a: f32, %w: bf16, %o: f32):
      %wf = arith.extf %w : bf16 to f32
      %p = arith.mulf %a, %wf : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    }
    %new = memref.alloc() : memref<40x256xf32>
    linalg.generic {indexing_maps = [#gate0_4, #gate1_4, #id_4, #id_4], iterator_types = ["parallel", "parallel"]} ins(%acc, %acc, %h : memref<40x2x256xf32>, memref<40x2x256xf32>, memref<40x256xf32>) outs(%new : memref<40x256xf32>) {
    ^bb0(%i: f32, %f: f32, %hp: f32, %o: f32):
      %b = arith.mulf %f, %hp : f32
      %a = arith.addf %i, %b : f32
      %scaled = arith.mulf %a, %eighth : f32
      %n = math.tanh %scaled : f32
      linalg.yield %n : f32
    }
    %slot = memref.subview %out[%t, 0, 0] [1, 40, 256] [1, 1, 1] : memref<1x40x256xf32> to memref<40x256xf32, strided<[256, 1], offset: ?>>
    linalg.copy ins(%new : memref<40x256xf32>) outs(%slot : memref<40x256xf32, strided<[256, 1], offset: ?>>)
    scf.if %owned {
      memref.dealloc %h : memref<40x256xf32>
    }
    scf.yield %new, %true : memref<40x256xf32>, i1
  } {seq.time_loop = #seq.form<sequential, variant = fused>}
  memref.dealloc %acc : memref<40x2x256xf32>
  return
}
