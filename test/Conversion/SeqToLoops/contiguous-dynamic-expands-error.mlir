// A strided source cannot be viewed with row-major strides: an error, not
// a crash in expand-strided-metadata.
// RUN: seq-opt %s -seq-contiguous-dynamic-expands -verify-diagnostics -split-input-file

func.func @strided_source(%a: memref<?x1024xf32, strided<[2048, 1]>>, %b: index, %t: index) -> memref<?x?x1024xf32, strided<[?, 2048, 1]>> {
  // expected-error @below {{splits a dynamic size of a strided view into several dynamic sizes}}
  %e = memref.expand_shape %a [[0, 1], [2]] output_shape [%b, %t, 1024]
      : memref<?x1024xf32, strided<[2048, 1]>> into memref<?x?x1024xf32, strided<[?, 2048, 1]>>
  return %e : memref<?x?x1024xf32, strided<[?, 2048, 1]>>
}
