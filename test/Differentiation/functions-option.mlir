// seq-differentiate{functions=...} differentiates the named functions only;
// a name that is not a function is an error.
// RUN: seq-opt %s -seq-differentiate=functions=second | FileCheck %s
// RUN: not seq-opt %s -seq-differentiate=functions=missing 2>&1 | FileCheck %s --check-prefix=MISSING

// CHECK-NOT: func.func @first_fwd
// CHECK: func.func @second_fwd
// CHECK: func.func @second_bwd
// CHECK-NOT: func.func @first_bwd
// MISSING: error: seq-differentiate: no function @missing
func.func @first(%x: tensor<8xf32>) -> tensor<8xf32> {
  return %x : tensor<8xf32>
}
func.func @second(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}
