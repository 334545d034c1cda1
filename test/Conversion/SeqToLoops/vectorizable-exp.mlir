// seq-vectorizable-exp: f32 math.exp becomes plain arithmetic (range
// reduction and a polynomial), so that the loops around it vectorize;
// other element types and other math ops stay.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-vectorizable-exp))' | FileCheck %s

// CHECK-LABEL: func.func @exp_f32
// CHECK-NOT:     math.exp
// CHECK:         math.floor
// CHECK:         math.fma
// CHECK:         arith.bitcast
// CHECK:         return
func.func @exp_f32(%x: f32) -> f32 {
  %e = math.exp %x : f32
  return %e : f32
}

// CHECK-LABEL: func.func @untouched
// CHECK:         math.exp %{{.*}} : f64
// CHECK:         math.tanh %{{.*}} : f32
func.func @untouched(%x: f64, %y: f32) -> (f64, f32) {
  %e = math.exp %x : f64
  %t = math.tanh %y : f32
  return %e, %t : f64, f32
}
