// Only loop nests worth a thread team stay scf.parallel (and become OpenMP
// parallel regions on the CPU): not those with little static work, with a
// higher bar inside a step loop (the team forks and joins every step), and
// never one inside another.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-serialize-small-parallel-loops{min-iterations=4096 min-iterations-in-loop=100000}))' | FileCheck %s
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-serialize-small-parallel-loops{min-iterations=4096 min-iterations-in-loop=100000}),convert-scf-to-openmp)' | FileCheck %s --check-prefix=OMP

// 64 x 128 iterations: kept.
// CHECK-LABEL: func.func @large
// CHECK:         scf.parallel
// OMP-LABEL:   func.func @large
// OMP:           omp.parallel
// OMP:           omp.wsloop
func.func @large(%m: memref<64x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c128) step (%c1, %c1) {
    memref.store %one, %m[%i, %j] : memref<64x128xf32>
  }
  return
}

// 8 x 4 iterations, even with an inner loop of 16: serialized.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// OMP-LABEL:   func.func @small
// OMP-NOT:       omp.parallel
func.func @small(%m: memref<8x4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c4) step (%c1, %c1) {
    scf.for %k = %c0 to %c16 step %c1 {
      memref.store %one, %m[%i, %j, %k] : memref<8x4x16xf32>
    }
  }
  return
}

// Inside a step loop (a recurrence), 65536 iterations: below the bar there.
// CHECK-LABEL: func.func @in_step_loop
// CHECK:         scf.for
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for
// CHECK:             scf.for
// OMP-LABEL:   func.func @in_step_loop
// OMP-NOT:       omp.parallel
func.func @in_step_loop(%m: memref<256x256xf32>, %steps: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %one = arith.constant 1.0 : f32
  scf.for %t = %c0 to %steps step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c256, %c256) step (%c1, %c1) {
      memref.store %one, %m[%i, %j] : memref<256x256xf32>
    }
  }
  return
}

// A pointwise nest's work is its iterations times its arithmetic: inside a
// step loop, 128 x 128 iterations of 8 operations (an RNN cell's math is
// dozens) are worth a team where 128 x 128 stores are not.
// CHECK-LABEL: func.func @arithmetic_in_step_loop
// CHECK:         scf.for
// CHECK:           scf.parallel
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK-NOT:           scf.parallel
// OMP-LABEL:   func.func @arithmetic_in_step_loop
// OMP:           omp.parallel
func.func @arithmetic_in_step_loop(%m: memref<128x128xf32>, %steps: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %one = arith.constant 1.0 : f32
  scf.for %t = %c0 to %steps step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c128) step (%c1, %c1) {
      %x = memref.load %m[%i, %j] : memref<128x128xf32>
      %a = arith.mulf %x, %x : f32
      %b = arith.addf %a, %one : f32
      %c = arith.divf %one, %b : f32
      %d = arith.mulf %c, %x : f32
      %e = arith.subf %d, %a : f32
      %f = arith.maximumf %e, %x : f32
      %g = arith.mulf %f, %c : f32
      %h = arith.addf %g, %one : f32
      memref.store %h, %m[%i, %j] : memref<128x128xf32>
    }
    scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c128) step (%c1, %c1) {
      memref.store %one, %m[%i, %j] : memref<128x128xf32>
    }
  }
  return
}

// Only what changes along the innermost dimension counts: a linear
// attention state update S[i, j] = exp(g[i]) S[i, j] + k[i] v[j] runs the
// same 10 operations, but all except its products depend on i alone
// (LLVM hoists them out of the loop over j), so it stays serial where the
// previous nest's team is worth it (a GLA step ran 3.6x slower on a team).
// CHECK-LABEL: func.func @invariant_arithmetic_in_step_loop
// CHECK:         scf.for
// CHECK-NOT:       scf.parallel
// CHECK:         return
func.func @invariant_arithmetic_in_step_loop(%s: memref<128x128xf32>, %g: memref<128xf32>,
                                             %k: memref<128xf32>, %v: memref<128xf32>, %steps: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %one = arith.constant 1.0 : f32
  scf.for %t = %c0 to %steps step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c128) step (%c1, %c1) {
      %gi = memref.load %g[%i] : memref<128xf32>
      %ki = memref.load %k[%i] : memref<128xf32>
      %a = arith.mulf %gi, %gi : f32
      %b = arith.addf %a, %one : f32
      %c = arith.divf %one, %b : f32
      %d = arith.mulf %c, %gi : f32
      %e = arith.subf %d, %a : f32
      %f = arith.addf %e, %one : f32
      %decay = math.exp %f : f32
      %x = memref.load %s[%i, %j] : memref<128x128xf32>
      %vj = memref.load %v[%j] : memref<128xf32>
      %kv = arith.mulf %ki, %vj : f32
      %h = math.fma %decay, %x, %kv : f32
      memref.store %h, %s[%i, %j] : memref<128x128xf32>
    }
  }
  return
}

// Dynamic bounds: assumed large, kept.
// CHECK-LABEL: func.func @dynamic
// CHECK:         scf.parallel
// OMP-LABEL:   func.func @dynamic
// OMP:           omp.parallel
func.func @dynamic(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %one, %m[%i] : memref<?xf32>
  }
  return
}

// Inside a step loop with 512 x 256 iterations: kept.
// CHECK-LABEL: func.func @large_in_step_loop
// CHECK:         scf.for
// CHECK:           scf.parallel
// OMP-LABEL:   func.func @large_in_step_loop
// OMP:           scf.for
// OMP:             omp.parallel
func.func @large_in_step_loop(%m: memref<512x256xf32>, %steps: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %one = arith.constant 1.0 : f32
  scf.for %t = %c0 to %steps step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c512, %c256) step (%c1, %c1) {
      memref.store %one, %m[%i, %j] : memref<512x256xf32>
    }
  }
  return
}

// One inside another: the inner one is serialized.
// CHECK-LABEL: func.func @nested
// CHECK:         scf.parallel
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for
func.func @nested(%m: memref<256x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c256) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c256) step (%c1) {
      memref.store %one, %m[%i, %j] : memref<256x256xf32>
    }
  }
  return
}

// A dynamic batch times 256 features, with an inner loop of 4: versioned on
// the work computed at run time (B * 256 * 4 >= 4096): the thread team for
// a large batch, the serial nest for a small one.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK-SAME:    (%[[M:.*]]: memref<?x256x4xf32>)
// CHECK:         %[[B:.*]] = memref.dim %[[M]], %c0
// CHECK:         %[[OWN:.*]] = arith.muli %[[B]], %c256
// CHECK:         %[[WORK:.*]] = arith.muli %[[OWN]], %c4
// CHECK:         %[[WORTH:.*]] = arith.cmpi sge, %[[WORK]], %c4096
// CHECK:         scf.if %[[WORTH]] {
// CHECK-NEXT:      scf.parallel
// CHECK:         } else {
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:         }
func.func @dynamic_batch(%m: memref<?x256x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c256 = arith.constant 256 : index
  %one = arith.constant 1.0 : f32
  %b = memref.dim %m, %c0 : memref<?x256x4xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%b, %c256) step (%c1, %c1) {
    scf.for %k = %c0 to %c4 step %c1 {
      memref.store %one, %m[%i, %j, %k] : memref<?x256x4xf32>
    }
  }
  return
}

// A microkernel's reduction loop (seq.register_tile) does rows x columns
// multiply-adds per iteration: 2 x 2 blocks of 256 steps of 4 x 32 are
// 131072 iterations of the scalar nest, through the branches of an scf.if:
// worth the team even in a step loop. Without the tile the same nest is
// 1024 iterations: serial.
// CHECK-LABEL: func.func @register_tiled
// CHECK:         scf.for
// CHECK:           scf.parallel
// CHECK:         scf.for
// CHECK-NOT:       scf.parallel
// CHECK:         return
func.func @register_tiled(%m: memref<8x64xf32>, %n: index, %flag: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c256 = arith.constant 256 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  scf.for %t = %c0 to %n step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c64) step (%c4, %c32) {
      scf.if %flag {
        scf.for %k = %c0 to %c256 step %c1 {
          memref.store %one, %m[%i, %j] : memref<8x64xf32>
        } {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16>}
      }
    }
  }
  scf.for %t = %c0 to %n step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c64) step (%c4, %c32) {
      scf.if %flag {
        scf.for %k = %c0 to %c256 step %c1 {
          memref.store %one, %m[%i, %j] : memref<8x64xf32>
        }
      }
    }
  }
  return
}

// A pointwise nest kept for the team runs its innermost dimension as a
// serial loop in each thread (the contiguous loop LLVM vectorizes; the
// team's worksharing loop would collapse it with the others into one
// linearized index).
// CHECK-LABEL: func.func @pointwise_innermost
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c64) step (%c1) {
// CHECK-NEXT:      scf.for %{{.*}} = %c0 to %c128 step %c1 {
// CHECK-NEXT:        memref.store
func.func @pointwise_innermost(%m: memref<64x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c128) step (%c1, %c1) {
    memref.store %one, %m[%i, %j] : memref<64x128xf32>
  }
  return
}

// One iteration (a batch of one around a long scan) has nothing to share:
// serialized however much work it holds.
// CHECK-LABEL: func.func @single_iteration
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for %{{.*}} = %c0 to %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c65536
// OMP-LABEL:   func.func @single_iteration
// OMP-NOT:       omp.parallel
func.func @single_iteration(%m: memref<1x65536xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c65536 = arith.constant 65536 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    scf.for %t = %c0 to %c65536 step %c1 {
      memref.store %one, %m[%i, %t] : memref<1x65536xf32>
    }
  }
  return
}
