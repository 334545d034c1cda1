// seq-vectorizable-math: f32 math.exp and math.tanh become plain
// arithmetic (range reduction and a polynomial; a clamped rational
// function), so that the loops around them vectorize; other element types
// and other math ops stay.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-vectorizable-math))' | FileCheck %s

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

// CHECK-LABEL: func.func @tanh_f32
// CHECK-NOT:     math.tanh
// CHECK:         arith.divf
// CHECK:         return
func.func @tanh_f32(%x: f32) -> f32 {
  %t = math.tanh %x : f32
  return %t : f32
}

// CHECK-LABEL: func.func @untouched
// CHECK:         math.exp %{{.*}} : f64
// CHECK:         math.tanh %{{.*}} : f64
// CHECK:         math.log %{{.*}} : f32
func.func @untouched(%x: f64, %y: f32) -> (f64, f64, f32) {
  %e = math.exp %x : f64
  %t = math.tanh %x : f64
  %l = math.log %y : f32
  return %e, %t, %l : f64, f64, f32
}
