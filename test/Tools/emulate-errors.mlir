// seqc-gpu-emulate reports what would go unseen when the threads of a kernel
// without barriers run one after another: data races between them; and
// what the CPU forgives: a vector access less aligned than it claims.
// RUN: not seqc-gpu-emulate %s --func=racy --pipeline='func.func(cse)' 2>&1 | FileCheck %s --check-prefix=RACE
// RACE: seqc-gpu-emulate: error: before: {{.*}}gpu.launch: data race: GPU thread 1 writes an element GPU thread 0 wrote in the same kernel
func.func @racy(%buf: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    memref.store %one, %buf[%c0] : memref<4xf32>
    gpu.terminator
  }
  return
}

// A read of what another thread wrote is one too.
// RUN: not seqc-gpu-emulate %s --func=reads_neighbour --pipeline='func.func(cse)' 2>&1 | FileCheck %s --check-prefix=READ
// READ: data race: GPU thread 1 reads an element GPU thread 0 wrote in the same kernel
func.func @reads_neighbour(%buf: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c0 = arith.constant 0 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %v = memref.load %buf[%c0] : memref<4xf32>
    memref.store %v, %buf[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}

// What the emulator does not run is an error naming the op.
// RUN: not seqc-gpu-emulate %s --func=unsupported --pipeline='func.func(cse)' 2>&1 | FileCheck %s --check-prefix=NOT-EMULATED
// NOT-EMULATED: seqc-gpu-emulate: error: before: {{.*}}math.erf: not emulated
func.func @unsupported(%buf: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %buf[%c0] : memref<4xf32>
  %e = math.erf %v : f32
  memref.store %e, %buf[%c0] : memref<4xf32>
  return
}

// A vector load claiming 16-byte alignment at element 2 of an f32 buffer
// (byte 8): the GPU would fault.
// RUN: not seqc-gpu-emulate %s --func=misaligned --pipeline='func.func(cse)' 2>&1 | FileCheck %s --check-prefix=ALIGN
// ALIGN: seqc-gpu-emulate: error: before: {{.*}}vector.load: a vector access at byte 8 is not 16-byte aligned as it claims
func.func @misaligned(%buf: memref<8xf32>) {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = vector.load %buf[%c2] {alignment = 16} : memref<8xf32>, vector<4xf32>
    vector.store %v, %buf[%c0] {alignment = 16} : memref<8xf32>, vector<4xf32>
    gpu.terminator
  }
  return
}
