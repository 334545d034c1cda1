// RUN: seq-opt %s -seq-contractions-to-mma=multiprocessors=1 -verify-diagnostics | FileCheck %s
// The kernels compute what the loops they replace computed: emulated on
// the CPU (a thread per GPU thread, mma.sync decoded by the PTX ISA's
// fragment layouts), on the same seeded inputs.
// RUN: seqc-gpu-emulate %s --func=batched_lhs_transposed --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// RUN: seqc-gpu-emulate %s --func=f16_wide --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// RUN: seqc-gpu-emulate %s --func=split_dims --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// EMULATE: 0 -> 1 kernel launches, {{.*}}: PASS

#lhsT = affine_map<(b, m, n, k) -> (b, k, m)>
#rhs = affine_map<(b, m, n, k) -> (b, k, n)>
#out = affine_map<(b, m, n, k) -> (b, m, n)>
#lhs = affine_map<(b, m, n, k) -> (b, m, k)>

// A batched bf16 matmul with a transposed lhs (the chunked forms' K^T V):
// grid (N / 16, M / 64, batch 4), 4 warps, each a 16 x 16 tile (two
// m16n8k16 fragments); A and B slices staged in shared memory as packed
// pairs of k (rows of 32 / 2 + 4 words), between two barriers per
// 32-deep step of the reduction (K = 96: three steps). The next slice's
// global loads are issued before this slice's mma.sync (carried in
// registers through the loop).
// CHECK-LABEL: func.func @batched_lhs_transposed
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c4{{.*}}) threads({{.*}}) in ({{.*}} = %c128{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) workgroup(%[[A:.*]] : memref<64x20xi32, #gpu.address_space<workgroup>>, %[[B:.*]] : memref<16x20xi32, #gpu.address_space<workgroup>>)
// The accumulators start from the output.
// CHECK-COUNT-8: memref.load %arg2
// The first slice. A and B are contiguous along m and n: a thread loads 8
// rows at k and at k + 1 (16 bytes each) and packs them into one word per
// row, low | high << 16.
// CHECK:         vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<4x96x64xbf16>, vector<8xbf16>
// CHECK:         vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<4x96x64xbf16>, vector<8xbf16>
// CHECK:         arith.shli %{{.*}} : vector<8xi32>
// CHECK:         arith.ori %{{.*}} : vector<8xi32>
// CHECK:         scf.for %{{.*}} = %c0{{.*}} to %c96{{.*}} step %c32{{.*}} iter_args({{.*}}) -> ({{.*}}, vector<8xi32>, vector<8xi32>)
// CHECK-COUNT-8:   memref.store %{{.*}}, %[[A]]
// CHECK-COUNT-8:   memref.store %{{.*}}, %[[B]]
// CHECK:           gpu.barrier
// CHECK-NOT:       gpu.barrier
// CHECK:           arith.minui
// CHECK:           vector.load %arg0
// CHECK-NOT:       gpu.barrier
// CHECK:           memref.load %[[A]]
// CHECK:           nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK-COUNT-3:   nvvm.mma.sync
// CHECK:           gpu.barrier
// CHECK:           scf.yield
// CHECK-COUNT-8: memref.store %{{.*}}, %arg2
// CHECK:       } {seq.gpu_kernel = #seq.gpu_kernel<mma_contraction, mma_tile = [64, 16, 32], mma_warps = [4, 1]>}
// CHECK-NOT:   linalg.generic
func.func @batched_lhs_transposed(%a: memref<4x96x64xbf16>, %b: memref<4x96x16xbf16>, %c: memref<4x64x16xf32>) {
  linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x96x64xbf16>, memref<4x96x16xbf16>) outs(%c : memref<4x64x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// f16, M = 16 (one warp row), N = 64 split over 4 warps, K = 16 (a single
// 16-deep step), operands multiplied in the other order: the fragments are
// vector<2xf16>.
// CHECK-LABEL: func.func @f16_wide
// CHECK:       gpu.launch {{.*}} workgroup({{.*}} : memref<16x12xi32, #gpu.address_space<workgroup>>, {{.*}} : memref<64x12xi32, #gpu.address_space<workgroup>>)
// A's k is its contiguous dimension: a thread stages 8 halves with one
// 16-byte load, already four packed words, and one 16-byte shared store.
// CHECK:         vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<1x16x16xf16>, vector<8xf16>
// CHECK:         vector.bitcast %{{.*}} : vector<8xf16> to vector<4xi32>
// CHECK:           vector.store %{{.*}} {alignment = 16 : i64} : memref<16x12xi32, #gpu.address_space<workgroup>>, vector<4xi32>
// CHECK:         llvm.bitcast %{{.*}} : i32 to vector<2xf16>
// CHECK:         nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32)
// CHECK:       mma_tile = [16, 64, 16], mma_warps = [1, 4]
func.func @f16_wide(%a: memref<1x16x16xf16>, %b: memref<1x16x64xf16>, %c: memref<1x16x64xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x16x16xf16>, memref<1x16x64xf16>) outs(%c : memref<1x16x64xf32>) {
  ^bb0(%x: f16, %y: f16, %acc: f32):
    %xf = arith.extf %x : f16 to f32
    %yf = arith.extf %y : f16 to f32
    %p = arith.mulf %yf, %xf : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// The GPU pipeline's reshape folding splits M and K into several loops
// (here m = (i, r), k = (s, j)): linearized, 2 x 16 rows and 2 x 16 deep.
// CHECK-LABEL: func.func @split_dims
// CHECK:       gpu.launch
// CHECK:         nvvm.mma.sync
// CHECK:       mma_tile = [32, 16, 32]
func.func @split_dims(%a: memref<2x16x2x16xbf16>, %b: memref<2x16x16xbf16>, %c: memref<2x16x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, r, n, s, j) -> (i, r, s, j)>,
                                   affine_map<(i, r, n, s, j) -> (s, j, n)>,
                                   affine_map<(i, r, n, s, j) -> (i, r, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%a, %b : memref<2x16x2x16xbf16>, memref<2x16x16xbf16>) outs(%c : memref<2x16x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// M = 20 does not tile: left to the SIMT path, with a remark.
// CHECK-LABEL: func.func @untileable
// CHECK-NOT:   gpu.launch
// CHECK:       linalg.generic
func.func @untileable(%a: memref<1x20x16xbf16>, %b: memref<1x16x8xbf16>, %c: memref<1x20x8xf32>) {
  // expected-remark @below {{16-bit contraction not on tensor cores: M = 20, N = 8, K = 16 do not tile by m16n8k16 (M and K multiples of 16, N of 8)}}
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x20x16xbf16>, memref<1x16x8xbf16>) outs(%c : memref<1x20x8xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// f32 operands, and a 16-bit body that is not a plain multiply-add: not
// tensor-core contractions, untouched and without remarks.
// CHECK-LABEL: func.func @not_candidates
// CHECK-NOT:   gpu.launch
// CHECK-COUNT-2: linalg.generic
func.func @not_candidates(%a: memref<1x16x16xf32>, %b: memref<1x16x8xf32>, %c: memref<1x16x8xf32>,
                          %a16: memref<1x16x16xbf16>, %b16: memref<1x16x8xbf16>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x16x16xf32>, memref<1x16x8xf32>) outs(%c : memref<1x16x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a16, %b16 : memref<1x16x16xbf16>, memref<1x16x8xbf16>) outs(%c : memref<1x16x8xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %e = math.exp %p : f32
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  }
  return
}

// An operand whose contiguous dimension is the batch (A[k, m, b]) is staged
// pair by pair: two 2-byte loads, packed.
// RUN: seqc-gpu-emulate %s --func=batch_contiguous --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// CHECK-LABEL: func.func @batch_contiguous
// CHECK:       gpu.launch
// CHECK:         memref.load %arg0
// CHECK:         memref.load %arg0
// CHECK:         arith.shli %{{.*}} : i32
// CHECK:         arith.ori %{{.*}} : i32
// CHECK:         nvvm.mma.sync
#lhsBatchLast = affine_map<(b, m, n, k) -> (k, m, b)>
func.func @batch_contiguous(%a: memref<16x16x2xbf16>, %b: memref<2x16x8xbf16>, %c: memref<2x16x8xf32>) {
  linalg.generic {indexing_maps = [#lhsBatchLast, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : memref<16x16x2xbf16>, memref<2x16x8xbf16>) outs(%c : memref<2x16x8xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// The alternating RNN step's h R: an f32 state (A, M = 16 rows of the
// batch) by bf16 weights (B, N = 32, K = 64). A enters as three bf16
// terms, smallest first (each the rounding of what the larger ones leave),
// staged as three 16-row tiles of A (48 rows); each 16-deep step runs one
// mma.sync per term. With the default 132 multiprocessors the grid is
// narrowed to 16-column tiles (2 blocks: still fewer than the chip), its
// slices 64 deep.
// RUN: seq-opt %s -seq-contractions-to-mma | FileCheck %s --check-prefix=MIXED
// RUN: seqc-gpu-emulate %s --func=state_by_weights --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// RUN: seqc-gpu-emulate %s --func=weights_by_state --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// One term (the state rounded to bf16) is not the loops' f32 product:
// RUN: not seqc-gpu-emulate %s --func=state_by_weights --pipeline='func.func(seq-contractions-to-mma{f32-terms=1})' | FileCheck %s --check-prefix=ONE-TERM
// ONE-TERM: FAIL
// MIXED-LABEL: func.func @state_by_weights
// MIXED:       gpu.launch blocks({{.*}}) in ({{.*}} = %c2{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c64{{.*}}, {{.*}}) workgroup(%[[A:.*]] : memref<48x36xi32, #gpu.address_space<workgroup>>, %[[B:.*]] : memref<16x36xi32, #gpu.address_space<workgroup>>)
// MIXED:         memref.load %arg1[{{.*}}] : memref<16x64xf32>
// MIXED:         memref.load %arg1[{{.*}}] : memref<16x64xf32>
// MIXED:         arith.truncf %{{.*}} : f32 to bf16
// MIXED:         arith.extf %{{.*}} : bf16 to f32
// MIXED:         arith.subf
// MIXED:         scf.for %{{.*}} = %c0{{.*}} to %c64{{.*}} step %c64
// MIXED-COUNT-12:  nvvm.mma.sync
// MIXED-NOT:       nvvm.mma.sync
// MIXED:           scf.yield
// MIXED:       } {seq.gpu_kernel = #seq.gpu_kernel<mma_contraction, mma_tile = [16, 16, 64], mma_warps = [1, 2], mma_terms = [3, 1]>}
// MIXED-LABEL: func.func @weights_by_state
// MIXED:       workgroup({{.*}} : memref<16x36xi32, #gpu.address_space<workgroup>>, {{.*}} : memref<48x36xi32, #gpu.address_space<workgroup>>)
// MIXED:       mma_terms = [1, 3]
// (The state is x / 3 + 0.1: values bf16 does not hold, which seeded inputs
// might.)
func.func @state_by_weights(%seed: memref<16x64xf32>, %h: memref<16x64xf32>, %r: memref<64x32xbf16>, %gates: memref<16x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, k) -> (m, k)>, affine_map<(m, k) -> (m, k)>], iterator_types = ["parallel", "parallel"]}
      ins(%seed : memref<16x64xf32>) outs(%h : memref<16x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %third = arith.constant 0.333333343 : f32
    %tenth = arith.constant 0.1 : f32
    %scaled = arith.mulf %in, %third : f32
    %shifted = arith.addf %scaled, %tenth : f32
    linalg.yield %shifted : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%h, %r : memref<16x64xf32>, memref<64x32xbf16>) outs(%gates : memref<16x32xf32>) {
  ^bb0(%x: f32, %y: bf16, %acc: f32):
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %x, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
func.func @weights_by_state(%r: memref<16x64xbf16>, %h: memref<64x32xf32>, %gates: memref<16x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%r, %h : memref<16x64xbf16>, memref<64x32xf32>) outs(%gates : memref<16x32xf32>) {
  ^bb0(%x: bf16, %y: f32, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %p = arith.mulf %y, %xf : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// f32 by f16 stays SIMT: f16 terms would not hold an f32 operand's range.
// CHECK-LABEL: func.func @f32_by_f16
// CHECK-NOT:   gpu.launch
// CHECK:       linalg.generic
func.func @f32_by_f16(%h: memref<16x64xf32>, %r: memref<64x32xf16>, %gates: memref<16x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%h, %r : memref<16x64xf32>, memref<64x32xf16>) outs(%gates : memref<16x32xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %yf = arith.extf %y : f16 to f32
    %p = arith.mulf %x, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// RUN: not seq-opt %s -seq-contractions-to-mma=f32-terms=4 2>&1 | FileCheck %s --check-prefix=TERMS
// TERMS: seq-contractions-to-mma: f32-terms must be 1, 2 or 3, not 4

// A zero fill of the output right before (each RNN step's gates): the
// kernel starts its accumulators from 0 and takes the fill's place. A fill
// with another value, or one not right before, stays.
// RUN: seqc-gpu-emulate %s --func=zero_filled --pipeline='func.func(seq-contractions-to-mma)' | FileCheck %s --check-prefix=EMULATE
// CHECK-LABEL: func.func @zero_filled
// CHECK-NOT:   linalg.generic
// CHECK:       gpu.launch
// CHECK-NOT:     memref.load %arg2
// CHECK:         nvvm.mma.sync
// CHECK:       } {seq.gpu_kernel = #seq.gpu_kernel<mma_contraction, {{.*}}accumulators_from_zero = true
// CHECK-NOT:   linalg.generic
// CHECK-LABEL: func.func @one_filled
// CHECK:       linalg.generic
// CHECK:       gpu.launch
// CHECK:         memref.load %arg2
// CHECK:       } {seq.gpu_kernel = #seq.gpu_kernel<mma_contraction
func.func @zero_filled(%a: memref<16x32xbf16>, %b: memref<32x16xbf16>, %c: memref<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} outs(%c : memref<16x16xf32>) {
  ^bb0(%out: f32):
    linalg.yield %zero : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x32xbf16>, memref<32x16xbf16>) outs(%c : memref<16x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
func.func @one_filled(%a: memref<16x32xbf16>, %b: memref<32x16xbf16>, %c: memref<16x16xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} outs(%c : memref<16x16xf32>) {
  ^bb0(%out: f32):
    linalg.yield %one : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x32xbf16>, memref<32x16xbf16>) outs(%c : memref<16x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
