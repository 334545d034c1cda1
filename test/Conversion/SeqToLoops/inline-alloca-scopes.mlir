// seq-inline-alloca-scopes: a memref.alloca_scope whose body allocates
// nothing on the stack is inlined even when it holds calls (which upstream's
// canonicalization counts as possible allocations), so that the loops in a
// parallel body can become blocks; one with an alloca of its own stays,
// one whose alloca is in a nested scope goes.
// RUN: seq-opt %s --seq-inline-alloca-scopes | FileCheck %s

func.func private @helper(%m: memref<4xf32>)

// CHECK-LABEL: func.func @calls
// CHECK-NOT:     memref.alloca_scope
// CHECK:         scf.for
// CHECK:           func.call @helper
func.func @calls(%m: memref<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  memref.alloca_scope {
    scf.for %i = %c0 to %n step %c1 {
      func.call @helper(%m) : (memref<4xf32>) -> ()
    }
  }
  return
}

// CHECK-LABEL: func.func @stack
// CHECK:         memref.alloca_scope
// CHECK:           memref.alloca
func.func @stack(%n: index) {
  memref.alloca_scope {
    %a = memref.alloca() : memref<4xf32>
    func.call @helper(%a) : (memref<4xf32>) -> ()
  }
  return
}

// CHECK-LABEL: func.func @nested
// CHECK:         memref.alloca_scope {
// CHECK-NEXT:      memref.alloca
// CHECK-NOT:     memref.alloca_scope
// CHECK:         return
func.func @nested(%n: index) {
  memref.alloca_scope {
    memref.alloca_scope {
      %a = memref.alloca() : memref<4xf32>
      func.call @helper(%a) : (memref<4xf32>) -> ()
    }
  }
  return
}
