// A split of one dynamic size into two (B*T -> B, T: the hoisted input
// projection of a layer with dynamic batch and time) becomes a
// reinterpret_cast with row-major strides; the expand-strided-metadata of
// LLVM 22 crashes on the expand_shape. Splits with one dynamic size per
// group are left alone, and the result lowers.
// RUN: seq-opt %s -seq-contiguous-dynamic-expands | FileCheck %s
// RUN: seq-opt %s -seq-contiguous-dynamic-expands -expand-strided-metadata -o /dev/null

// CHECK-LABEL: func.func @split_batch_time
// CHECK-SAME: (%[[SRC:.*]]: memref<?x1024xf32>, %[[B:.*]]: index, %[[T:.*]]: index)
// CHECK: %[[STRIDE:.*]] = arith.muli %c1024, %[[T]]
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %[[SRC]] to offset: [0], sizes: [%[[B]], %[[T]], 1024], strides: [%[[STRIDE]], 1024, 1]
// CHECK-SAME: to memref<?x?x1024xf32, strided<[?, 1024, 1]>>
// CHECK: %[[CAST:.*]] = memref.cast %[[VIEW]] : memref<?x?x1024xf32, strided<[?, 1024, 1]>> to memref<?x?x1024xf32>
// CHECK-NOT: memref.expand_shape
// CHECK: return %[[CAST]]
func.func @split_batch_time(%a: memref<?x1024xf32>, %b: index, %t: index) -> memref<?x?x1024xf32> {
  %e = memref.expand_shape %a [[0, 1], [2]] output_shape [%b, %t, 1024]
      : memref<?x1024xf32> into memref<?x?x1024xf32>
  return %e : memref<?x?x1024xf32>
}

// CHECK-LABEL: func.func @one_dynamic_per_group
// CHECK: memref.expand_shape
// CHECK-NOT: memref.reinterpret_cast
func.func @one_dynamic_per_group(%a: memref<?x?x1024xf32>, %b: index, %t: index) -> memref<?x?x4x256xf32> {
  %e = memref.expand_shape %a [[0], [1], [2, 3]] output_shape [%b, %t, 4, 256]
      : memref<?x?x1024xf32> into memref<?x?x4x256xf32>
  return %e : memref<?x?x4x256xf32>
}
