// RUN: seq-opt %s -split-input-file -verify-diagnostics \
// RUN:   -pass-pipeline='builtin.module(func.func(seq-device-buffers))' | FileCheck %s

// Buffers of kernels live on the device; a constant table is copied there
// and freed at the return; the deallocation pipeline's index/i1
// bookkeeping stays on the host.
// CHECK-LABEL: func.func @buffers
// CHECK:         %[[C:.*]] = memref.get_global @table
// CHECK:         %[[DC:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.memcpy %[[DC]], %[[C]]
// CHECK:         %[[T:.*]] = gpu.alloc () : memref<8x4xf32>
// CHECK:         %[[FLAGS:.*]] = memref.alloc() : memref<2xi1>
// CHECK:         gpu.launch
// CHECK:           memref.load %[[DC]]
// CHECK:           memref.store {{.*}}, %[[T]]
// CHECK:         memref.store {{.*}}, %[[FLAGS]]
// CHECK:         gpu.dealloc %[[T]]
// CHECK:         memref.dealloc %[[FLAGS]]
// CHECK:         gpu.dealloc %[[DC]]
// CHECK-NEXT:    return
memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @buffers(%out: memref<8x4xf32>) {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %true = arith.constant true
  %table = memref.get_global @table : memref<4xf32>
  %tmp = memref.alloc() : memref<8x4xf32>
  %flags = memref.alloc() : memref<2xi1>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %table[%tx] : memref<4xf32>
    memref.store %v, %tmp[%bx, %tx] : memref<8x4xf32>
    gpu.terminator
  }
  memref.store %true, %flags[%c0] : memref<2xi1>
  memref.dealloc %tmp : memref<8x4xf32>
  memref.dealloc %flags : memref<2xi1>
  return
}

// -----

func.func @host_read(%in: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.load' op would run on the host against device memory; seqc has no kernel for it on GPU targets}}
  %v = memref.load %in[%c0] : memref<8xf32>
  return %v : f32
}
