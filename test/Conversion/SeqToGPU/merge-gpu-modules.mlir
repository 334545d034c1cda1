// RUN: seq-opt %s -seq-merge-gpu-modules | FileCheck %s

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK:         gpu.launch_func @seqc_kernels::@f_kernel blocks
// CHECK:         gpu.launch_func @seqc_kernels::@f_kernel_0 blocks
// CHECK:       gpu.module @seqc_kernels
// CHECK:         gpu.func @f_kernel(
// CHECK:         gpu.func @f_kernel_0(
// CHECK-NOT:   gpu.module
module attributes {gpu.container_module} {
  func.func @f(%m: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @f_kernel::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%m : memref<4xf32>)
    gpu.launch_func @f_kernel_0::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%m : memref<4xf32>)
    return
  }
  gpu.module @f_kernel {
    gpu.func @f_kernel(%m: memref<4xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @f_kernel_0 {
    gpu.func @f_kernel(%m: memref<4xf32>) kernel {
      gpu.return
    }
  }
}
