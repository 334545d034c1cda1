// RUN: seq-opt %s -seq-align-workgroup-memory | FileCheck %s
// RUN: seq-opt %s -seq-align-workgroup-memory -convert-gpu-to-nvvm | FileCheck %s --check-prefix=NVVM

// Every workgroup buffer of every kernel is 16-byte aligned, down to the
// LLVM global it becomes.
// CHECK-LABEL: gpu.func @two_buffers
// CHECK-SAME:    workgroup(%{{.*}} : memref<12xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<3xi32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// NVVM-DAG: llvm.mlir.global internal @__wg_two_buffers_0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<12 x f32>
// NVVM-DAG: llvm.mlir.global internal @__wg_two_buffers_1() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<3 x i32>
// CHECK-LABEL: gpu.func @no_buffers
// CHECK-NOT:     llvm.align
gpu.module @kernels {
  gpu.func @two_buffers(%out: memref<12xf32>) workgroup(%a : memref<12xf32, #gpu.address_space<workgroup>>, %b : memref<3xi32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %x = memref.load %a[%c0] : memref<12xf32, #gpu.address_space<workgroup>>
    memref.store %x, %out[%c0] : memref<12xf32>
    gpu.return
  }
  gpu.func @no_buffers(%out: memref<12xf32>) kernel {
    gpu.return
  }
}
