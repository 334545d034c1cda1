// seq.packed's verifier: what a packed batch must look like.
// RUN: seq-opt %s -split-input-file -verify-diagnostics

func.func @one_offset(%cu: tensor<1xi64>, %x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  // expected-error @below {{needs offsets of N + 1 >= 2 entries (N >= 1 sequences), got 1}}
  %y = seq.packed offsets(%cu : tensor<1xi64>) ins(%x : tensor<1x5x4xf32>)
      -> (tensor<1x5x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>):
    seq.yield %xs : tensor<1x?x4xf32>
  }
  return %y : tensor<1x5x4xf32>
}

// -----

func.func @batched_sequence(%cu: tensor<3xi64>, %x: tensor<2x5x4xf32>) -> tensor<2x5x4xf32> {
  // expected-error @below {{sequence #0 must be [1, total, ...] with total = 5 of sequence #0, got [2, 5, 4]}}
  %y = seq.packed offsets(%cu : tensor<3xi64>) ins(%x : tensor<2x5x4xf32>)
      -> (tensor<2x5x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>):
    seq.yield %xs : tensor<1x?x4xf32>
  }
  return %y : tensor<2x5x4xf32>
}

// -----

func.func @state_rows(%cu: tensor<3xi64>, %x: tensor<1x5x4xf32>, %h0: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @below {{init #0 must be [N, ...] with N = 2 (one row per sequence: offsets has N + 1 entries), got [3, 4]}}
  %y, %h = seq.packed offsets(%cu : tensor<3xi64>) ins(%x : tensor<1x5x4xf32>) init(%h0 : tensor<3x4xf32>)
      -> (tensor<1x5x4xf32>) final (tensor<3x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>, %hs: tensor<1x4xf32>):
    seq.yield %xs, %hs : tensor<1x?x4xf32>, tensor<1x4xf32>
  }
  return %h : tensor<3x4xf32>
}

// -----

func.func @init_count(%cu: tensor<3xi64>, %x: tensor<1x5x4xf32>, %h0: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{has 1 initial states but 2 final states (init gives all or none)}}
  %y, %h:2 = seq.packed offsets(%cu : tensor<3xi64>) ins(%x : tensor<1x5x4xf32>) init(%h0 : tensor<2x4xf32>)
      -> (tensor<1x5x4xf32>) final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>, %hs: tensor<1x4xf32>):
    seq.yield %xs, %hs, %hs : tensor<1x?x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>
  }
  return %h#0 : tensor<2x4xf32>
}

// -----

func.func @static_slice(%cu: tensor<3xi64>, %x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  // expected-error @below {{body argument #0 must be 'tensor<1x?x4xf32>' (one sequence's steps), got 'tensor<1x5x4xf32>'}}
  %y = seq.packed offsets(%cu : tensor<3xi64>) ins(%x : tensor<1x5x4xf32>)
      -> (tensor<1x5x4xf32>) {
  ^bb0(%xs: tensor<1x5x4xf32>):
    seq.yield %xs : tensor<1x5x4xf32>
  }
  return %y : tensor<1x5x4xf32>
}

// -----

func.func @yield_count(%cu: tensor<3xi64>, %x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  // expected-error @below {{body must yield 1 values (1 output slices, then 0 final state rows), got 2}}
  %y = seq.packed offsets(%cu : tensor<3xi64>) ins(%x : tensor<1x5x4xf32>)
      -> (tensor<1x5x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>):
    seq.yield %xs, %xs : tensor<1x?x4xf32>, tensor<1x?x4xf32>
  }
  return %y : tensor<1x5x4xf32>
}

// -----

func.func @final_row(%cu: tensor<3xi64>, %x: tensor<1x5x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{body yield #1 must be 'tensor<1x4xf32>' (one sequence's final state), got 'tensor<1x?x4xf32>'}}
  %y, %h = seq.packed offsets(%cu : tensor<3xi64>) ins(%x : tensor<1x5x4xf32>)
      -> (tensor<1x5x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>):
    seq.yield %xs, %xs : tensor<1x?x4xf32>, tensor<1x?x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// -----

func.func @float_offsets(%cu: tensor<3xf32>, %x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  // expected-error @below {{operand #0 must be 1D tensor of 64-bit signless integer values}}
  %y = seq.packed offsets(%cu : tensor<3xf32>) ins(%x : tensor<1x5x4xf32>)
      -> (tensor<1x5x4xf32>) {
  ^bb0(%xs: tensor<1x?x4xf32>):
    seq.yield %xs : tensor<1x?x4xf32>
  }
  return %y : tensor<1x5x4xf32>
}
