// seq-register-tile-contractions builds the bf16 pair kernel for a tile
// with bf16_terms: B's bf16 values packed in panels of the tile's columns
// and in pairs of rows, A's pairs
// broadcast as 32-bit words, one x86vector.avx512.dot per accumulator and
// term, each reduction step two steps of K.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-register-tile-contractions))' | FileCheck %s

// A recurrence step: its f32 state against bf16 weights widened once. The
// weights (an argument nothing writes) are packed once, before the time
// loop, in 32 panels of 32 columns (as 64 bf16: a column's pair side by
// side), each read by the kernel at its panel; the state is split into its 2 terms at every step, before the
// kernel, and freed after it.
// CHECK-LABEL: func.func @step
// CHECK: linalg.generic
// CHECK: %[[PACKED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x32x128x64xbf16>
// CHECK: scf.for
// CHECK: memref.load %arg1
// CHECK: memref.store {{.*}}, %[[PACKED]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %arg3
// CHECK: %[[TERMS:.*]] = memref.alloc() : memref<1x2x16x256xbf16>
// CHECK: arith.truncf
// CHECK: arith.subf
// CHECK: arith.truncf
// CHECK: scf.parallel ({{%[a-z0-9_]+}}, %[[J0:arg[0-9]+]], {{%[a-z0-9_]+}}) =
// CHECK: %[[PANEL:.*]] = arith.divui %[[J0]], %c32
// CHECK: scf.for %[[P:.*]] = %{{.*}} to %c128{{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.load %[[PACKED]][%{{.*}}, %[[PANEL]], %[[P]], %c0{{.*}}] {{.*}} vector<32xbf16>
// CHECK: vector.load %[[PACKED]][%{{.*}}, %[[PANEL]], %[[P]], %c32{{.*}}] {{.*}} vector<32xbf16>
// CHECK: %[[K:.*]] = arith.muli %[[P]], %c2
// CHECK: vector.load %[[TERMS]][%{{.*}}, %c0{{.*}}, %{{.*}}, %[[K]]] {{.*}} vector<2xbf16>
// CHECK: vector.bitcast {{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: vector.broadcast {{.*}} : vector<1xi32> to vector<16xi32>
// CHECK: %[[T0:.*]] = vector.bitcast {{.*}} : vector<16xi32> to vector<32xbf16>
// CHECK: x86vector.avx512.dot %{{.*}}, %[[T0]], %{{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK: vector.load %[[TERMS]][%{{.*}}, %c1{{.*}}, %{{.*}}, %[[K]]]
// CHECK: } {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 2>}
// CHECK: memref.dealloc %[[TERMS]]
// CHECK: } {seq.time_loop
// CHECK: memref.dealloc %[[PACKED]]
// CHECK-NOT: linalg.batch_matmul
func.func @step(%h: memref<1x16x256xf32>, %r: memref<1x256x1024xbf16>, %c: memref<1x16x1024xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %wide = memref.alloc() : memref<1x256x1024xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r : memref<1x256x1024xbf16>) outs(%wide : memref<1x256x1024xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %e = arith.extf %in : bf16 to f32
    linalg.yield %e : f32
  }
  scf.for %t = %c0 to %n step %c1 {
    linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 2>}
        ins(%h, %wide : memref<1x16x256xf32>, memref<1x256x1024xf32>) outs(%c : memref<1x16x1024xf32>)
  } {seq.time_loop = #seq.form<sequential>}
  memref.dealloc %wide : memref<1x256x1024xf32>
  return
}

// bf16 x bf16 with even K and contiguous rows: A's pairs are read in place
// (no terms buffer); the last 8 of the 40 columns are a masked tail, whose
// pairs are 16 bf16 lanes (the second panel's other lanes are never
// written nor read).
// CHECK-LABEL: func.func @projection
// CHECK: %[[PACKED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x64xbf16>
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel
// CHECK: vector.load %arg0[%{{.*}}, %{{.*}}] : memref<64x8xbf16>, vector<2xbf16>
// CHECK: x86vector.avx512.dot
// CHECK: vector.create_mask {{.*}} : vector<32xi1>
// CHECK: vector.maskedload %[[PACKED]]
// CHECK: vector.maskedstore
// CHECK: memref.dealloc %[[PACKED]]
func.func @projection(%a: memref<64x8xbf16>, %b: memref<8x40xbf16>, %c: memref<64x40xf32>) {
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 32, vector_width = 16, bf16_terms = 1>}
      ins(%a, %b : memref<64x8xbf16>, memref<8x40xbf16>) outs(%c : memref<64x40xf32>)
  return
}

// Odd K: B's last pair row holds row K - 1 and zeros; A's copy ends in a
// zero (filled first).
// CHECK-LABEL: func.func @odd_reduction
// CHECK: %[[PACKED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x3x32xbf16>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : bf16
// CHECK: scf.for
// CHECK: memref.load %arg1
// CHECK: memref.store {{.*}}, %[[PACKED]]
// CHECK: scf.for
// CHECK: %[[LAST:.*]] = arith.constant 2 : index
// CHECK: memref.load %arg1
// CHECK: memref.store {{.*}}, %[[PACKED]][%{{.*}}, %[[LAST]],
// CHECK: memref.store %[[ZERO]], %[[PACKED]][%{{.*}}, %[[LAST]],
// CHECK: %[[COPY:.*]] = memref.alloc() : memref<1x4x6xbf16>
// CHECK: linalg.fill ins(%{{.*}} : bf16) outs(%[[COPY]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3
// CHECK: x86vector.avx512.dot
func.func @odd_reduction(%a: memref<4x5xbf16>, %b: memref<5x16xbf16>, %c: memref<4x16xf32>) {
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 16, vector_width = 16, bf16_terms = 1>}
      ins(%a, %b : memref<4x5xbf16>, memref<5x16xbf16>) outs(%c : memref<4x16xf32>)
  return
}
