// RUN: seq-opt %s -split-input-file -seq-lower-acquire-reads -verify-diagnostics | FileCheck %s
// RUN: seq-opt %s -split-input-file -seq-lower-acquire-reads -convert-gpu-to-nvvm -verify-diagnostics | FileCheck %s --check-prefix=NVVM

// A grid barrier's spin read becomes an acquire load at GPU scope of the
// element's address: aligned pointer + (offset + index x stride) x 4 bytes
// (offset 0 and stride 1 fold away here). The arrival (an atomic that adds
// 1, untagged) stays an atomic.
// CHECK-LABEL: gpu.func @spin
// CHECK-SAME:    (%[[COUNTER:.*]]: memref<4xi32>, %[[I:.*]]: index,
// CHECK:         memref.atomic_rmw addi %{{.*}}, %[[COUNTER]][%[[I]]] : (i32, memref<4xi32>) -> i32
// CHECK:         scf.while
// CHECK:           %[[POINTER:.*]] = memref.extract_aligned_pointer_as_index %[[COUNTER]]
// CHECK:           %[[BYTES:.*]] = arith.muli %[[I]], %c4
// CHECK:           %[[ADDRESS:.*]] = arith.addi %[[POINTER]], %[[BYTES]]
// CHECK:           %[[WORD:.*]] = arith.index_cast %[[ADDRESS]] : index to i64
// CHECK:           %[[PTR:.*]] = llvm.inttoptr %[[WORD]] : i64 to !llvm.ptr
// CHECK:           %[[SEEN:.*]] = llvm.load %[[PTR]] atomic syncscope("device") acquire {alignment = 4 : i64} : !llvm.ptr -> i32
// CHECK:           arith.cmpi slt, %[[SEEN]]
// CHECK-NOT:     seq.acquire_read
// NVVM-LABEL: llvm.func @spin
// NVVM:         llvm.atomicrmw add
// NVVM:         llvm.load %{{.*}} atomic syncscope("device") acquire {alignment = 4 : i64} : !llvm.ptr -> i32
gpu.module @kernels {
  gpu.func @spin(%counter: memref<4xi32>, %i: index, %target: i32) kernel {
    %one = arith.constant 1 : i32
    %zero = arith.constant 0 : i32
    %arrived = memref.atomic_rmw addi %one, %counter[%i] : (i32, memref<4xi32>) -> i32
    scf.while : () -> () {
      %seen = memref.atomic_rmw addi %zero, %counter[%i] {seq.acquire_read} : (i32, memref<4xi32>) -> i32
      %wait = arith.cmpi slt, %seen, %target : i32
      scf.condition(%wait)
    } do {
      scf.yield
    }
    gpu.return
  }
}

// -----

// A strided view with a dynamic offset: the element's address counts both.
// CHECK-LABEL: gpu.func @strided
// CHECK-SAME:    (%[[COUNTER:.*]]: memref<4xi32, strided<[2], offset: ?>>, %[[I:.*]]: index)
// CHECK:         %{{.*}}, %[[OFFSET:.*]], %{{.*}}, %{{.*}} = memref.extract_strided_metadata %[[COUNTER]]
// CHECK:         %[[SCALED:.*]] = arith.muli %[[I]], %c2
// CHECK:         %[[ELEMENT:.*]] = arith.addi %[[OFFSET]], %[[SCALED]]
// CHECK:         %[[POINTER:.*]] = memref.extract_aligned_pointer_as_index %[[COUNTER]]
// CHECK:         %[[BYTES:.*]] = arith.muli %[[ELEMENT]], %c4
// CHECK:         arith.addi %[[POINTER]], %[[BYTES]]
// CHECK:         llvm.load %{{.*}} atomic syncscope("device") acquire
gpu.module @kernels {
  gpu.func @strided(%counter: memref<4xi32, strided<[2], offset: ?>>, %i: index) kernel {
    %zero = arith.constant 0 : i32
    %seen = memref.atomic_rmw addi %zero, %counter[%i] {seq.acquire_read} : (i32, memref<4xi32, strided<[2], offset: ?>>) -> i32
    gpu.return
  }
}

// -----

// A tagged atomic that writes is not a read: an error, not a silent drop of
// its addition.
gpu.module @kernels {
  gpu.func @adds_one(%counter: memref<4xi32>, %i: index) kernel {
    %one = arith.constant 1 : i32
    // expected-error @+1 {{'memref.atomic_rmw' op tagged seq.acquire_read cannot be an acquire load: it adds a value that is not 0}}
    %seen = memref.atomic_rmw addi %one, %counter[%i] {seq.acquire_read} : (i32, memref<4xi32>) -> i32
    gpu.return
  }
}

// -----

gpu.module @kernels {
  gpu.func @max(%counter: memref<4xi32>, %i: index) kernel {
    %zero = arith.constant 0 : i32
    // expected-error @+1 {{'memref.atomic_rmw' op tagged seq.acquire_read cannot be an acquire load: it is not an addi}}
    %seen = memref.atomic_rmw maxs %zero, %counter[%i] {seq.acquire_read} : (i32, memref<4xi32>) -> i32
    gpu.return
  }
}
