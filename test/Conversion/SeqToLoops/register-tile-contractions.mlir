// seq-register-tile-contractions: a register-tiled matmul becomes one
// scf.parallel over its blocks whose reduction loop carries rows x vectors
// accumulators (vector.fma of a broadcast element of A and a vector of B);
// the last column block is narrower and masked, a partial last row block
// runs one-row kernels; a fill, a bias broadcast, or a copy of a buffer
// only ever filled or broadcast just before the matmul becomes the
// accumulators' start.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-register-tile-contractions,canonicalize))' -split-input-file | FileCheck %s

// 13 x 37 with 4 x 32 blocks: full blocks, a column tail of 5 (one masked
// vector) and a row tail of 1 row, run by kernels of 2 and 1 rows (the
// powers of two below 4, each taken if that many rows are left); the fill
// is subsumed. A has few rows (at most 64): the blocks of one column panel
// are consecutive (columns outer), so B's panel is read once.
// CHECK-LABEL: func.func @tails
// CHECK-NOT:     linalg.fill
// CHECK:         scf.parallel (%[[J:.*]], %[[I:.*]]) = (%c0, %c0) to (%c37, %c13) step (%c32, %c4)
// CHECK:           arith.cmpi sle
// CHECK:           scf.if
// CHECK:             scf.if
// CHECK:               scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-2:         vector.load %arg1
// CHECK:                 memref.load %arg0
// CHECK:                 vector.broadcast
// CHECK-COUNT-2:         vector.fma
// CHECK:               } {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16>}
// CHECK-COUNT-8:       vector.store
// CHECK:             } else {
// CHECK:               vector.constant_mask [5]
// CHECK:               vector.maskedload %arg1
// CHECK:               } {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16>}
// CHECK-COUNT-4:       vector.maskedstore
// CHECK:           } else {
// CHECK:             %[[LEFT:.*]] = arith.subi %c13, %[[I]]
// CHECK:             %[[TWO:.*]] = arith.cmpi sge, %[[LEFT]], %c2
// CHECK:             %[[NEXT:.*]] = scf.if %[[TWO]] -> (index) {
// CHECK:               } {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16>}
// CHECK:               } {seq.register_tile = #seq.register_tile<rows = 2, columns = 16, vector_width = 16>}
// CHECK:             %[[LEFT1:.*]] = arith.subi %c13, %[[NEXT]]
// CHECK:             %[[ONE:.*]] = arith.cmpi sge, %[[LEFT1]], %c1
// CHECK:             scf.if %[[ONE]] {
// CHECK:               } {seq.register_tile = #seq.register_tile<rows = 1, columns = 32, vector_width = 16>}
// CHECK:               } {seq.register_tile = #seq.register_tile<rows = 1, columns = 16, vector_width = 16>}
// CHECK-NOT:     linalg.matmul
func.func @tails(%a: memref<13x7xf32>, %b: memref<7x37xf32>, %c: memref<13x37xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<13x37xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16>}
      ins(%a, %b : memref<13x7xf32>, memref<7x37xf32>) outs(%c : memref<13x37xf32>)
  return
}

// -----

// Accumulators start from the broadcast bias row: no pass over C before
// the product.
// CHECK-LABEL: func.func @bias
// CHECK-NOT:     linalg.generic
// CHECK:         scf.parallel
// CHECK-COUNT-2:   vector.load %arg3
// CHECK:           scf.for
// CHECK:       } {seq.register_tile
func.func @bias(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %c: memref<16x32xf32>, %bias: memref<32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<32xf32>) outs(%c : memref<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 8, columns = 32, vector_width = 16>}
      ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// A copy of a buffer that only ever holds the broadcast bias (a batch
// split's pieces each copying one broadcast into their projection's
// output): the accumulators start from the row, and neither the copy nor
// the broadcast, which nothing else reads, is left.
// CHECK-LABEL: func.func @copied_bias
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     linalg.copy
// CHECK:         scf.parallel
// CHECK-COUNT-2:   vector.load %arg3
// CHECK:           scf.for
// CHECK:       } {seq.register_tile
func.func @copied_bias(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %c: memref<16x32xf32>, %bias: memref<32xf32>) {
  %broadcast = memref.alloc() : memref<16x32xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<32xf32>) outs(%broadcast : memref<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.copy ins(%broadcast : memref<16x32xf32>) outs(%c : memref<16x32xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 8, columns = 32, vector_width = 16>}
      ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%c : memref<16x32xf32>)
  memref.dealloc %broadcast : memref<16x32xf32>
  return
}

// -----

// A step's product: a copy of a buffer that is only ever filled (zeros
// hoisted out of the step loop) starts the accumulators at that value, and
// the fill, which nothing else reads, goes too; the batch dimension is a
// parallel dimension; a dynamic row count is fine.
// CHECK-LABEL: func.func @step
// CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:         %[[M:.*]] = memref.dim %arg0, %c1
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for
// CHECK-NOT:       linalg.copy
// CHECK:           scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %c0, %c0) to (%c2, %[[M]], %c64) step (%c1, %c2, %c32)
// CHECK:             scf.for {{.*}} iter_args({{.*}} = %[[Z]], {{.*}} = %[[Z]], {{.*}} = %[[Z]], {{.*}} = %[[Z]])
// CHECK:             } {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16>}
func.func @step(%h: memref<2x?x32xf32>, %r: memref<2x32x64xf32>, %n: index) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %h, %c1 : memref<2x?x32xf32>
  %zeros = memref.alloc(%rows) : memref<2x?x64xf32>
  linalg.fill ins(%zero : f32) outs(%zeros : memref<2x?x64xf32>)
  scf.for %t = %c0 to %n step %c1 {
    %gates = memref.alloc(%rows) : memref<2x?x64xf32>
    linalg.copy ins(%zeros : memref<2x?x64xf32>) outs(%gates : memref<2x?x64xf32>)
    linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16>}
        ins(%h, %r : memref<2x?x32xf32>, memref<2x32x64xf32>) outs(%gates : memref<2x?x64xf32>)
    memref.dealloc %gates : memref<2x?x64xf32>
  }
  memref.dealloc %zeros : memref<2x?x64xf32>
  return
}

// -----

// The same, but the row's buffer is rewritten after the broadcast (the
// buffer of a bf16 GRU's widened bias reused for its widened recurrent
// bias): the copy stays, the accumulators start from C.
// CHECK-LABEL: func.func @rewritten_bias
// CHECK:         linalg.copy
// CHECK:         scf.parallel
// CHECK-COUNT-2:   vector.load %arg2
func.func @rewritten_bias(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %c: memref<16x32xf32>,
                          %bias: memref<32xbf16>, %other: memref<32xbf16>) {
  %row = memref.alloc() : memref<32xf32>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%bias : memref<32xbf16>) outs(%row : memref<32xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %e = arith.extf %in : bf16 to f32
    linalg.yield %e : f32
  }
  %broadcast = memref.alloc() : memref<16x32xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%row : memref<32xf32>) outs(%broadcast : memref<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%other : memref<32xbf16>) outs(%row : memref<32xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %e = arith.extf %in : bf16 to f32
    linalg.yield %e : f32
  }
  linalg.copy ins(%broadcast : memref<16x32xf32>) outs(%c : memref<16x32xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 8, columns = 32, vector_width = 16>}
      ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%c : memref<16x32xf32>)
  memref.dealloc %broadcast : memref<16x32xf32>
  memref.dealloc %row : memref<32xf32>
  return
}

// -----

// Many rows (a projection over all steps): a row block sweeps the columns
// (rows outer), so A is read once.
// CHECK-LABEL: func.func @many_rows
// CHECK:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c128, %c64) step (%c8, %c32)
func.func @many_rows(%a: memref<128x8xf32>, %b: memref<8x64xf32>, %c: memref<128x64xf32>) {
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 8, columns = 32, vector_width = 16>}
      ins(%a, %b : memref<128x8xf32>, memref<8x64xf32>) outs(%c : memref<128x64xf32>)
  return
}

// -----

// A blocked reduction (reduction_block = 32 of K = 100): one thread team
// per block of K, in order; the last block is 4 steps (min). The first
// block's accumulators start from the subsumed fill, each later one from
// what the block before stored in C.
// CHECK-LABEL: func.func @blocked_reduction
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[K0:.*]] = %c0 to %c100 step %c32 {
// CHECK:           %[[END:.*]] = arith.addi %[[K0]], %c32
// CHECK:           %[[KEND:.*]] = arith.minsi %[[END]], %c100
// CHECK:           scf.parallel
// CHECK:             %[[FIRST:.*]] = arith.cmpi eq, %[[K0]], %c0
// CHECK:             %[[START:.*]]:8 = scf.if %[[FIRST]] -> (vector<16xf32>
// CHECK:               scf.yield %cst, %cst, %cst, %cst, %cst, %cst, %cst, %cst
// CHECK:             } else {
// CHECK-COUNT-8:       vector.load %arg2
// CHECK:             }
// CHECK:             scf.for %{{.*}} = %[[K0]] to %[[KEND]] step %c1 iter_args(%{{.*}} = %[[START]]#0
// CHECK:             } {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 32>}
// CHECK-COUNT-8:     vector.store
func.func @blocked_reduction(%a: memref<128x100xf32>, %b: memref<100x64xf32>, %c: memref<128x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<128x64xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 32>}
      ins(%a, %b : memref<128x100xf32>, memref<100x64xf32>) outs(%c : memref<128x64xf32>)
  return
}

// -----

// Accumulated into C's own values: every block starts from C, no branch.
// CHECK-LABEL: func.func @blocked_accumulate
// CHECK:         scf.for %[[K0:.*]] = %c0 to %c64 step %c32 {
// CHECK:           scf.parallel
// CHECK-NOT:         scf.if {{.*}} -> (vector
// CHECK-COUNT-2:     vector.load %arg2
// CHECK:             scf.for %{{.*}} = %[[K0]] to
func.func @blocked_accumulate(%a: memref<8x64xf32>, %b: memref<64x32xf32>, %c: memref<8x32xf32>) {
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 1, columns = 32, vector_width = 16, reduction_block = 32>}
      ins(%a, %b : memref<8x64xf32>, memref<64x32xf32>) outs(%c : memref<8x32xf32>)
  return
}

// -----

// packed_b on a step's product: the weights (an argument nothing writes)
// are copied once, before the step loop, into 2 panels of 32 columns per
// batch entry; each block (columns outer: a column panel's blocks in a
// row) reads row k of its panel (j0 / 32) contiguously, and the copy is
// freed after the loop.
// CHECK-LABEL: func.func @packed_step
// CHECK:         %[[PANELS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2x32x32xf32>
// CHECK:         scf.for %[[B:.*]] = %c0 to %c2
// CHECK:           scf.for %[[P:.*]] = %c0 to %c2
// CHECK:             scf.for %[[K:.*]] = %c0 to %c32
// CHECK:               scf.for %[[C:.*]] = %c0 to %c32
// CHECK:                 %[[BASE:.*]] = arith.muli %[[P]], %c32
// CHECK:                 %[[J:.*]] = arith.addi %[[BASE]], %[[C]]
// CHECK:                 %[[V:.*]] = memref.load %arg1[%[[B]], %[[K]], %[[J]]]
// CHECK:                 memref.store %[[V]], %[[PANELS]][%[[B]], %[[P]], %[[K]], %[[C]]]
// CHECK:         scf.for
// CHECK:           scf.parallel (%[[BAT:[a-z0-9_]+]], %[[J0:[a-z0-9_]+]], %{{[a-z0-9_]+}}) =
// CHECK:             %[[PANEL:.*]] = arith.divui %[[J0]], %c32
// CHECK:             scf.for %[[KK:.*]] = %c0 to %c32
// CHECK:               vector.load %[[PANELS]][%[[BAT]], %[[PANEL]], %[[KK]], %c0]
// CHECK:               vector.load %[[PANELS]][%[[BAT]], %[[PANEL]], %[[KK]], %c16]
// CHECK-NOT:           %arg1[
// CHECK:             } {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16, packed_b = true>}
// CHECK:         memref.dealloc %[[PANELS]]
// CHECK-NEXT:    return
func.func @packed_step(%h: memref<2x8x32xf32>, %r: memref<2x32x64xf32>, %c: memref<2x8x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %t = %c0 to %n step %c1 {
    linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16, packed_b = true>}
        ins(%h, %r : memref<2x8x32xf32>, memref<2x32x64xf32>) outs(%c : memref<2x8x64xf32>)
  }
  return
}

// -----

// packed_b on a written B: packed right before the product (each run of
// it), and its 40 columns in one full panel of 32 and a last one of which
// only 8 columns are copied, read masked by the column tail's kernel.
// CHECK-LABEL: func.func @packed_written
// CHECK:         linalg.fill
// CHECK:         %[[PANELS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x32xf32>
// CHECK:         scf.for %{{.*}} = %c0 to %c4
// CHECK:           scf.for %{{.*}} = %c0 to %c8
// CHECK:             memref.store {{.*}}, %[[PANELS]][%c1,
// CHECK:         scf.parallel
// CHECK:           vector.load %[[PANELS]]
// CHECK:           vector.maskedload %[[PANELS]]
// CHECK:         memref.dealloc %[[PANELS]]
func.func @packed_written(%a: memref<64x4xf32>, %b: memref<4x40xf32>, %c: memref<64x40xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%b : memref<4x40xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, packed_b = true>}
      ins(%a, %b : memref<64x4xf32>, memref<4x40xf32>) outs(%c : memref<64x40xf32>)
  return
}

// -----

// packed_b on a product with a B written once before the loop (a
// backward's R^T, transposed from R): packed right after its one writer,
// before the loop, not at every step.
// CHECK-LABEL: func.func @packed_after_writer
// CHECK:         linalg.transpose
// CHECK:         %[[PANELS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x32x32xf32>
// CHECK:         scf.for
// CHECK:           memref.store {{.*}}, %[[PANELS]]
// CHECK:         scf.for
// CHECK-NOT:       memref.alloc
// CHECK:           scf.parallel
// CHECK:             vector.load %[[PANELS]]
// CHECK:         memref.dealloc %[[PANELS]]
func.func @packed_after_writer(%h: memref<1x8x32xf32>, %r: memref<1x64x32xf32>, %c: memref<1x8x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rt = memref.alloc() : memref<1x32x64xf32>
  linalg.transpose ins(%r : memref<1x64x32xf32>) outs(%rt : memref<1x32x64xf32>) permutation = [0, 2, 1]
  scf.for %t = %c0 to %n step %c1 {
    linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16, packed_b = true>}
        ins(%h, %rt : memref<1x8x32xf32>, memref<1x32x64xf32>) outs(%c : memref<1x8x64xf32>)
  }
  memref.dealloc %rt : memref<1x32x64xf32>
  return
}

// -----

// The same B written again inside the loop: packed at every step, right
// before the product.
// CHECK-LABEL: func.func @packed_each_step
// CHECK:         scf.for
// CHECK:           linalg.transpose
// CHECK:           %[[PANELS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x32x32xf32>
// CHECK:           scf.parallel
// CHECK:           memref.dealloc %[[PANELS]]
func.func @packed_each_step(%h: memref<1x8x32xf32>, %r: memref<1x64x32xf32>, %c: memref<1x8x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rt = memref.alloc() : memref<1x32x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    linalg.transpose ins(%r : memref<1x64x32xf32>) outs(%rt : memref<1x32x64xf32>) permutation = [0, 2, 1]
    linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16, packed_b = true>}
        ins(%h, %rt : memref<1x8x32xf32>, memref<1x32x64xf32>) outs(%c : memref<1x8x64xf32>)
  }
  memref.dealloc %rt : memref<1x32x64xf32>
  return
}
