// A keyword whose operand is optional requires the operand once written:
// `init` followed by nothing used to be accepted and silently dropped
// (MLIR's declarative formats parse an Optional or Variadic operand
// optionally even after its keyword; dialects/Utils/AsmDirectives.h).
// RUN: seq-opt %s -split-input-file -verify-diagnostics

func.func @linear_scan_init_without_operand(%a: tensor<2x5x3xf32>) {
  // expected-error @+1 {{expected SSA operand}}
  %h, %last = seq.linear_scan %a, %a init : (tensor<2x5x3xf32>, tensor<2x5x3xf32>) -> (tensor<2x5x3xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @linear_attention_init_without_operand(%q: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{expected SSA operand}}
  %o, %s = seq.linear_attention %q, %q, %q init : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @recurrence_empty_init(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{expected SSA operand}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) init( : ) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %xt : tensor<2x4xf32>
  }
  return
}

// -----

func.func @elman_empty_init(%x: tensor<2x5x8xf32>, %w: tensor<8x16xf32>, %r: tensor<1x16x16xf32>) {
  // expected-error @+1 {{expected SSA operand}}
  %y, %h = seqnn.elman %x, %w, %r init() : (tensor<2x5x8xf32>, tensor<8x16xf32>, tensor<1x16x16xf32>) -> (tensor<2x5x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @lru_half_init(%x: tensor<2x16x32xf32>, %v: tensor<16xf32>, %m: tensor<32x16xf32>, %n: tensor<16x32xf32>, %d: tensor<32xf32>, %h: tensor<2x16xf32>) {
  // expected-error @+1 {{expected SSA operand}}
  %y, %re, %im = seqnn.lru %x, %v, %v, %v, %m, %m, %n, %n, %d init(%h, ) : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>) -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}
