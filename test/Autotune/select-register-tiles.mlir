// seq-select-register-tiles: Z3 picks each f32 contraction's register
// block for the target's vector registers (model files, so the test does
// not depend on the host): AVX-512's 32 registers of 16 lanes hold larger
// blocks than AVX2's 16 of 8; a dynamic row count is costed for many rows;
// a written block is kept; a register file too small for any block leaves
// the contraction to the loop lowering, with the constraints that conflict.
// RUN: seq-opt %s --seq-select-register-tiles=target=%S/Inputs/avx512-cpu.json | FileCheck %s --check-prefix=AVX512
// RUN: seq-opt %s --seq-select-register-tiles=target=%S/Inputs/avx2-cpu.json | FileCheck %s --check-prefix=AVX2
// RUN: seq-opt %s --seq-select-register-tiles=target=%S/Inputs/two-register-cpu.json 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not seq-opt %s --seq-select-register-tiles=target=sm_90 2>&1 | FileCheck %s --check-prefix=GPU
// RUN: seq-opt %s --seq-select-register-tiles=target=%S/Inputs/avx512-bf16-cpu.json | FileCheck %s --check-prefix=BF16

// An LSTM's projection at B16 T1024 H256: B (1 MiB) packed in panels, as
// its 1170 row blocks each sweep it.
// AVX512-LABEL: func.func @projection
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16, packed_b = true>}
// AVX2-LABEL: func.func @projection
// AVX2: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 6, columns = 16, vector_width = 8, packed_b = true>}
// TWO: remark: keeps the loop lowering: no register block is feasible: {{.*}}vector_registers: rows x vectors accumulators, the vectors of B's row and one broadcast fit the 2 vector registers
func.func @projection(%a: memref<16384x256xf32>, %b: memref<256x1024xf32>, %c: memref<16384x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<16384x256xf32>, memref<256x1024xf32>) outs(%c : memref<16384x1024xf32>)
  return
}

// Its step's h R: 16 rows, which a block should divide (a one-row tail
// costs as much as a full block). Not packed: the blocks of a column panel
// run together, reading it from B once, and nothing runs this op twice.
// AVX512-LABEL: func.func @step
// AVX512: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16>}
// AVX2-LABEL: func.func @step
// AVX2: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 24, vector_width = 8>}
func.func @step(%a: memref<1x16x256xf32>, %b: memref<1x256x1024xf32>, %c: memref<1x16x1024xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<1x16x256xf32>, memref<1x256x1024xf32>) outs(%c : memref<1x16x1024xf32>)
  return
}

// AVX512-LABEL: func.func @dynamic_rows
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16, packed_b = true>}
func.func @dynamic_rows(%a: memref<?x64xf32>, %b: memref<64x96xf32>, %c: memref<?x96xf32>) {
  linalg.matmul ins(%a, %b : memref<?x64xf32>, memref<64x96xf32>) outs(%c : memref<?x96xf32>)
  return
}

// A dynamic row count inside a recurrence's step loop is a batch: costed
// as 16 rows (a dynamic projection's, as many as 4096): a block of 4 rows,
// which divides them, where a projection's 14 would leave 2 rows to
// narrower kernels. Its B, a function argument, is packed once before the
// loop for every step.
// AVX512-LABEL: func.func @dynamic_batch_step
// AVX512: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16, packed_b = true>}
func.func @dynamic_batch_step(%a: memref<1x?x256xf32>, %b: memref<1x256x1024xf32>, %c: memref<1x?x1024xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %t = %c0 to %n step %c1 {
    linalg.batch_matmul ins(%a, %b : memref<1x?x256xf32>, memref<1x256x1024xf32>) outs(%c : memref<1x?x1024xf32>)
  } {seq.time_loop = #seq.form<sequential>}
  return
}

// One row: the block is one row wide, as many vectors as fit; one panel,
// not packed.
// AVX512-LABEL: func.func @single_row
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 1, columns = 48, vector_width = 16>}
// A B of 8 KiB stays in L1 whatever its layout: not packed.
// AVX512-LABEL: func.func @small_b
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16>}
func.func @single_row(%a: memref<1x64xf32>, %b: memref<64x40xf32>, %c: memref<1x40xf32>) {
  linalg.matmul ins(%a, %b : memref<1x64xf32>, memref<64x40xf32>) outs(%c : memref<1x40xf32>)
  return
}

func.func @small_b(%a: memref<4096x32xf32>, %b: memref<32x64xf32>, %c: memref<4096x64xf32>) {
  linalg.matmul ins(%a, %b : memref<4096x32xf32>, memref<32x64xf32>) outs(%c : memref<4096x64xf32>)
  return
}

// AVX512-LABEL: func.func @written
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 16, vector_width = 16>}
func.func @written(%a: memref<8x8xf32>, %b: memref<8x16xf32>, %c: memref<8x16xf32>) {
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 2, columns = 16, vector_width = 16>}
      ins(%a, %b : memref<8x8xf32>, memref<8x16xf32>) outs(%c : memref<8x16xf32>)
  return
}

// Neither f64 nor a transposed operand has a microkernel: no block.
// AVX512-LABEL: func.func @unsupported
// AVX512-NOT: seq.register_tile
// AVX512: return
func.func @unsupported(%a: memref<8x8xf64>, %b: memref<8x16xf64>, %c: memref<8x16xf64>,
                       %x: memref<8x8xf32>, %y: memref<16x8xf32>, %z: memref<8x16xf32>) {
  linalg.matmul ins(%a, %b : memref<8x8xf64>, memref<8x16xf64>) outs(%c : memref<8x16xf64>)
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %y : memref<8x8xf32>, memref<16x8xf32>) outs(%z : memref<8x16xf32>)
  return
}

// bf16 operands: with AVX-512 BF16 the pair kernel (one term for a bf16
// A); without it, a bf16 B has no microkernel. A recurrence's f32 state
// against its widened bf16 weights: the pair kernel where the step loop's
// form asks for one term (half the products of the f32 kernel), the f32
// kernel for the default three (half again as many as f32's), its B (the
// widened weights, written once before the loop) packed once.
// BF16-LABEL: func.func @bf16_projection
// BF16: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16, bf16_terms = 1>}
// BF16-LABEL: func.func @bf16_step
// BF16: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16, bf16_terms = 1>}
// BF16: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16, packed_b = true>}
// AVX512-LABEL: func.func @bf16_projection
// AVX512-NOT: seq.register_tile
// AVX512-LABEL: func.func @bf16_step
// AVX512: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16, packed_b = true>}
// AVX512: linalg.batch_matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16, packed_b = true>}
func.func @bf16_projection(%a: memref<16384x256xbf16>, %b: memref<256x1024xbf16>, %c: memref<16384x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<16384x256xbf16>, memref<256x1024xbf16>) outs(%c : memref<16384x1024xf32>)
  return
}

func.func @bf16_step(%h: memref<1x16x256xf32>, %r: memref<1x256x1024xbf16>, %c: memref<1x16x1024xf32>, %n: index) {
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
    linalg.batch_matmul ins(%h, %wide : memref<1x16x256xf32>, memref<1x256x1024xf32>) outs(%c : memref<1x16x1024xf32>)
  } {seq.time_loop = #seq.form<sequential, state_terms = 1>}
  scf.for %t = %c0 to %n step %c1 {
    linalg.batch_matmul ins(%h, %wide : memref<1x16x256xf32>, memref<1x256x1024xf32>) outs(%c : memref<1x16x1024xf32>)
  } {seq.time_loop = #seq.form<sequential>}
  memref.dealloc %wide : memref<1x256x1024xf32>
  return
}

// GPU: error: seq-select-register-tiles: target 'sm_90' is not a CPU

// A weight gradient over all steps (K = B x T = 16384): B (64 MiB) is
// larger than half the L3, and each of A's 19 row blocks would stream it
// from memory. The reduction runs in blocks whose 512 rows of B (2 MiB)
// fit the L2.
// AVX512-LABEL: func.func @weight_gradient
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16, reduction_block = 512, packed_b = true>}
func.func @weight_gradient(%a: memref<256x16384xf32>, %b: memref<16384x1024xf32>, %c: memref<256x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<256x16384xf32>, memref<16384x1024xf32>) outs(%c : memref<256x1024xf32>)
  return
}

// An H768 projection's B (9 MiB) fits the L3 but not the L2: its row
// blocks would each read it from L3, which a mesh L3 delivers too slowly;
// blocks of 160 rows of B (1.9 MiB) stay in L2. Not blocked: few rows,
// whose blocks of one column panel run together (B read once); a C so
// wide (256 x 32768) that storing and reloading it between blocks of 16
// steps (all the L2 holds of its B) moves more than B's rereads.
// AVX512-LABEL: func.func @cached_weights
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16, reduction_block = 160, packed_b = true>}
// AVX512-LABEL: func.func @few_rows_long_reduction
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 96, vector_width = 16>}
// AVX512-LABEL: func.func @wide_output
// AVX512: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 14, columns = 32, vector_width = 16, packed_b = true>}
func.func @cached_weights(%a: memref<16384x768xf32>, %b: memref<768x3072xf32>, %c: memref<16384x3072xf32>) {
  linalg.matmul ins(%a, %b : memref<16384x768xf32>, memref<768x3072xf32>) outs(%c : memref<16384x3072xf32>)
  return
}
func.func @few_rows_long_reduction(%a: memref<16x16384xf32>, %b: memref<16384x1024xf32>, %c: memref<16x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<16x16384xf32>, memref<16384x1024xf32>) outs(%c : memref<16x1024xf32>)
  return
}
func.func @wide_output(%a: memref<256x1024xf32>, %b: memref<1024x32768xf32>, %c: memref<256x32768xf32>) {
  linalg.matmul ins(%a, %b : memref<256x1024xf32>, memref<1024x32768xf32>) outs(%c : memref<256x32768xf32>)
  return
}
