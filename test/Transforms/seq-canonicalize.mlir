// seq-canonicalize turns recurrences that are affine in their state into
// seq.linear_scan, and with remarks says why the others stay.
// RUN: seq-opt %s -seq-canonicalize | FileCheck %s
// RUN: seq-opt %s -seq-canonicalize=remarks -verify-diagnostics -o /dev/null

// minGRU: h' = (1 - z) h + z x with z = sigmoid(g): a = 1 - z, b = z x.
// CHECK-LABEL: func.func @min_gru
// CHECK-SAME: (%[[G:.*]]: tensor<2x9x4xf32>, %[[X:.*]]: tensor<2x9x4xf32>, %[[H0:.*]]: tensor<2x4xf32>)
// CHECK-NOT:  seq.recurrence
// The gate is computed for all steps at once.
// CHECK:      %[[NEG:.*]] = arith.negf %[[G]] : tensor<2x9x4xf32>
// CHECK:      math.exp %[[NEG]] : tensor<2x9x4xf32>
// CHECK:      %[[H:.*]], %[[LAST:.*]] = seq.linear_scan %{{.*}}, %{{.*}} init %[[H0]] : (tensor<2x9x4xf32>, tensor<2x9x4xf32>, tensor<2x4xf32>) -> (tensor<2x9x4xf32>, tensor<2x4xf32>)
// CHECK:      return %[[H]], %[[LAST]]
func.func @min_gru(%g: tensor<2x9x4xf32>, %x: tensor<2x9x4xf32>, %h0: tensor<2x4xf32>) -> (tensor<2x9x4xf32>, tensor<2x4xf32>) {
  %hs, %h = seq.recurrence ins(%g, %x : tensor<2x9x4xf32>, tensor<2x9x4xf32>) init(%h0 : tensor<2x4xf32>)
      -> (tensor<2x9x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%gt: tensor<2x4xf32>, %xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %one = arith.constant dense<1.0> : tensor<2x4xf32>
    %ng = arith.negf %gt : tensor<2x4xf32>
    %e = math.exp %ng : tensor<2x4xf32>
    %d = arith.addf %one, %e : tensor<2x4xf32>
    %z = arith.divf %one, %d : tensor<2x4xf32>
    %keep = arith.subf %one, %z : tensor<2x4xf32>
    %kh = arith.mulf %keep, %s : tensor<2x4xf32>
    %zx = arith.mulf %z, %xt : tensor<2x4xf32>
    %n = arith.addf %kh, %zx : tensor<2x4xf32>
    seq.yield %n, %n : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %hs, %h : tensor<2x9x4xf32>, tensor<2x4xf32>
}

// A leaky integrator written with subtraction and division:
// h' = (h - x) / 2 + x = 0.5 h + 0.5 x.
// CHECK-LABEL: func.func @leaky
// CHECK:      seq.linear_scan
// CHECK-NOT:  seq.recurrence
func.func @leaky(%x: tensor<3x5xf32>) -> tensor<3xf32> {
  %h = seq.recurrence ins(%x : tensor<3x5xf32>) -> final (tensor<3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %s: tensor<3xf32>):
    %two = arith.constant dense<2.0> : tensor<3xf32>
    %d = arith.subf %s, %xt : tensor<3xf32>
    %q = arith.divf %d, %two : tensor<3xf32>
    %n = arith.addf %q, %xt : tensor<3xf32>
    seq.yield %n : tensor<3xf32>
  }
  return %h : tensor<3xf32>
}

// A nonlinear cell stays, and the remark names the op.
// CHECK-LABEL: func.func @tanh_cell
// CHECK:      seq.recurrence
func.func @tanh_cell(%x: tensor<2x9x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @+1 {{stays a recurrence: 'math.tanh' is not affine in the state}}
  %h = seq.recurrence ins(%x : tensor<2x9x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %p = arith.addf %xt, %s : tensor<2x4xf32>
    %n = math.tanh %p : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// h' = h (.) h is not affine either.
// CHECK-LABEL: func.func @quadratic
// CHECK:      seq.recurrence
func.func @quadratic(%x: tensor<2x9x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @+1 {{stays a recurrence: 'arith.mulf' is not affine in the state}}
  %h = seq.recurrence ins(%x : tensor<2x9x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %q = arith.mulf %s, %s : tensor<2x4xf32>
    %n = arith.addf %q, %xt : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// An Elman cell without nonlinearity is linear but mixes channels (h R):
// not diagonal, so not a linear_scan.
// CHECK-LABEL: func.func @linear_elman
// CHECK:      seq.recurrence
func.func @linear_elman(%x: tensor<2x9x4xf32>, %r: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @+1 {{stays a recurrence: 'linalg.matmul' is not an elementwise op on the state's shape (a channel-mixing op makes the recurrence non-diagonal)}}
  %h = seq.recurrence ins(%x : tensor<2x9x4xf32>) weights(%r : tensor<4x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %w: tensor<4x4xf32>):
    %z = arith.constant dense<0.0> : tensor<2x4xf32>
    %hr = linalg.matmul ins(%s, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%z : tensor<2x4xf32>) -> tensor<2x4xf32>
    %n = arith.addf %hr, %xt : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// Channel mixing without captured weights is named as such.
// CHECK-LABEL: func.func @mixing
// CHECK:      seq.recurrence
func.func @mixing(%x: tensor<2x9x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @+1 {{stays a recurrence: 'linalg.matmul' is not an elementwise op on the state's shape (a channel-mixing op makes the recurrence non-diagonal)}}
  %h = seq.recurrence ins(%x : tensor<2x9x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %w = arith.constant dense<0.5> : tensor<4x4xf32>
    %z = arith.constant dense<0.0> : tensor<2x4xf32>
    %hr = linalg.matmul ins(%s, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%z : tensor<2x4xf32>) -> tensor<2x4xf32>
    seq.yield %hr : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// Independent states become one linear_scan each: h' = h + x and a
// state that only carries itself (t' = t).
// CHECK-LABEL: func.func @two_states
// CHECK-NOT:   seq.recurrence
// CHECK:       %[[H:.*]], %[[HLAST:.*]] = seq.linear_scan
// CHECK:       %{{.*}}, %{{.*}} = seq.linear_scan
// CHECK:       return %[[HLAST]]
func.func @two_states(%x: tensor<2x9x4xf32>) -> tensor<2x4xf32> {
  %h, %c = seq.recurrence ins(%x : tensor<2x9x4xf32>) -> final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %t: tensor<2x4xf32>):
    %n = arith.addf %s, %xt : tensor<2x4xf32>
    seq.yield %n, %t : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// States that read each other are a non-diagonal system: they stay.
// CHECK-LABEL: func.func @coupled_states
// CHECK:       seq.recurrence
func.func @coupled_states(%x: tensor<2x9x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @+1 {{stays a recurrence: the update of state #0 reads state #1 through 'arith.addf' (coupled states are not a diagonal recurrence)}}
  %h, %c = seq.recurrence ins(%x : tensor<2x9x4xf32>) -> final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %t: tensor<2x4xf32>):
    %n = arith.addf %s, %t : tensor<2x4xf32>
    %m = arith.addf %t, %xt : tensor<2x4xf32>
    seq.yield %n, %m : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// A learned decay captured as a weight shaped like the state (an LRU-style
// cell, h' = lambda (.) h + x): the weight is broadcast over time.
// CHECK-LABEL: func.func @learned_decay
// CHECK-SAME:  (%[[X:.*]]: tensor<2x9x4xf32>, %[[LAMBDA:.*]]: tensor<2x4xf32>)
// CHECK-NOT:   seq.recurrence
// CHECK:       %[[WIDE:.*]] = linalg.broadcast ins(%[[LAMBDA]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<2x9x4xf32>) dimensions = [1]
// CHECK:       seq.linear_scan %[[WIDE]], %[[X]]
func.func @learned_decay(%x: tensor<2x9x4xf32>, %lambda: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %h = seq.recurrence ins(%x : tensor<2x9x4xf32>) weights(%lambda : tensor<2x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %l: tensor<2x4xf32>):
    %d = arith.mulf %l, %s : tensor<2x4xf32>
    %n = arith.addf %d, %xt : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}
