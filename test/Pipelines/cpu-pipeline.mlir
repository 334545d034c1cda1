// The stages of the CPU pipeline, as seqc --emit prints them and as
// seq-opt --seqc-cpu-pipeline runs them.
// RUN: seqc run %s --emit=loops | FileCheck %s --check-prefix=LOOPS
// RUN: seqc run %s --emit=buffers | FileCheck %s --check-prefix=BUFFERS
// RUN: seqc run %s --emit=llvm | FileCheck %s --check-prefix=LLVM
// RUN: seq-opt %s --seqc-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: seqc run %s --emit=llvm-ir | FileCheck %s --check-prefix=IR
// RUN: seq-opt %s --pass-pipeline='builtin.module(func.func(seq-readonly-arguments))' | FileCheck %s --check-prefix=READONLY

// LOOPS-LABEL: func.func @elman
// LOOPS-NOT:   seq.
// LOOPS:       scf.for
// Elementwise tensor arithmetic of the body became linalg.generic.
// LOOPS:         linalg.matmul
// LOOPS:         linalg.generic
// LOOPS:           math.tanh

// Results are caller-allocated out parameters; the output sequence is
// written in place (no allocation, no final copy), temporaries are freed.
// Every buffer of the C ABI is distinct (noalias).
// BUFFERS-LABEL: func.func @elman
// BUFFERS-SAME:  (%{{.*}}: memref<2x6x4xf32> {llvm.noalias}, %{{.*}}: memref<4x4xf32> {llvm.noalias}, %[[OUT:.*]]: memref<2x6x4xf32> {llvm.noalias}, %[[LAST:.*]]: memref<2x4xf32> {llvm.noalias})
// BUFFERS-NOT:   memref.alloc() {{.*}} : memref<2x6x4xf32>
// BUFFERS:       scf.for
// BUFFERS:         memref.subview %[[OUT]]
// BUFFERS-NOT:   memref.copy
// BUFFERS:       memref.dealloc
// BUFFERS:       return

// LLVM-NOT: func.func
// LLVM:     llvm.func @elman(
// LLVM-NOT: tanh
// LLVM:     llvm.func @_mlir_ciface_elman(%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}) attributes {llvm.emit_c_interface}

// IR: define void @_mlir_ciface_elman(ptr noalias %0, ptr noalias %1, ptr noalias %2, ptr noalias %3)

// READONLY: func.func @elman(%{{.*}}: tensor<2x6x4xf32> {bufferization.writable = false}, %{{.*}}: tensor<4x4xf32> {bufferization.writable = false})

func.func @elman(%x: tensor<2x6x4xf32>, %w: tensor<4x4xf32>) -> (tensor<2x6x4xf32>, tensor<2x4xf32>) {
  %hs, %h = seq.recurrence ins(%x : tensor<2x6x4xf32>) weights(%w : tensor<4x4xf32>)
      -> (tensor<2x6x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %wt: tensor<4x4xf32>):
    %zero = arith.constant dense<0.0> : tensor<2x4xf32>
    %hw = linalg.matmul ins(%s, %wt : tensor<2x4xf32>, tensor<4x4xf32>) outs(%zero : tensor<2x4xf32>) -> tensor<2x4xf32>
    %pre = arith.addf %xt, %hw : tensor<2x4xf32>
    %n = math.tanh %pre : tensor<2x4xf32>
    seq.yield %n, %n : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %hs, %h : tensor<2x6x4xf32>, tensor<2x4xf32>
}

// --print-ir-after-all passes through to the pass manager.
// RUN: seqc run %s --emit=loops --print-ir-after-all 2>&1 | FileCheck %s --check-prefix=AFTERALL
// AFTERALL: IR Dump After SeqLowerForms (seq-lower-forms)
// AFTERALL: IR Dump After ConvertElementwiseToLinalgPass (convert-elementwise-to-linalg)
