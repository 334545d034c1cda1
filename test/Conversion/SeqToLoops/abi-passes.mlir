// The small passes of the CPU pipeline's buffer stage.
// RUN: seq-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(seq-copies-to-linalg))' | FileCheck %s --check-prefix=COPY
// RUN: seq-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(seq-noalias-arguments))' | FileCheck %s --check-prefix=NOALIAS

// seq-copies-to-linalg: memref.copy (a call to the generic runtime copy for
// strided views) becomes an inline linalg.copy.
// COPY-LABEL: func.func @copy_state
// COPY-NOT:   memref.copy
// COPY:       linalg.copy ins(%{{.*}} : memref<2x8xf32>) outs(%{{.*}} : memref<2x8xf32, strided<[296, 1], offset: ?>>)
// NOALIAS-LABEL: func.func @copy_state
// NOALIAS-SAME: (%{{[a-z0-9]+}}: memref<2x8xf32> {llvm.noalias}, %{{[a-z0-9]+}}: memref<2x37x8xf32> {llvm.noalias}, %{{[a-z0-9]+}}: index)
func.func @copy_state(%state: memref<2x8xf32>, %out: memref<2x37x8xf32>, %t: index) {
  %slot = memref.subview %out[0, %t, 0] [2, 1, 8] [1, 1, 1] : memref<2x37x8xf32> to memref<2x8xf32, strided<[296, 1], offset: ?>>
  memref.copy %state, %slot : memref<2x8xf32> to memref<2x8xf32, strided<[296, 1], offset: ?>>
  return
}

// -----

// seq-noalias-arguments leaves private functions alone: only the C ABI
// promises distinct buffers.
// NOALIAS-LABEL: func.func private @internal
// NOALIAS-NOT:   llvm.noalias
// COPY-LABEL: func.func private @internal
func.func private @internal(%a: memref<4xf32>, %b: memref<4xf32>) {
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  return
}
