// One case per verifier error of the seq dialect.
// RUN: seq-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// #seq.form
//===----------------------------------------------------------------------===//

// expected-error @+1 {{form parameter 'chunk_size' must be positive, got 0}}
func.func @form_nonpositive_parameter() attributes {f = #seq.form<chunkwise, chunk_size = 0>} { return }

// -----

// expected-error @+1 {{form parameter 'variant' applies to the sequential form only, not to 'chunkwise'}}
func.func @form_variant_not_sequential() attributes {f = #seq.form<chunkwise, variant = fused>} { return }

// -----

// expected-error @+1 {{form parameter 'state_terms' must be 1, 2 or 3, got 4}}
func.func @form_state_terms_range() attributes {f = #seq.form<sequential, variant = fused, state_terms = 4>} { return }

// -----

// expected-error @+1 {{form parameter 'state_terms' applies to the sequential form only, not to 'chunkwise'}}
func.func @form_state_terms_chunkwise() attributes {f = #seq.form<chunkwise, chunk_size = 64, state_terms = 1>} { return }

// -----

// expected-error @+1 {{form parameter 'chunk_size' applies to the chunkwise and prefix forms only, not to 'parallel'}}
func.func @form_chunk_size_on_parallel() attributes {f = #seq.form<parallel, chunk_size = 4>} { return }

// -----

func.func @form_invalid_for_op(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op cannot be computed in the 'chunkwise' form; valid forms: sequential}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) attributes {form = #seq.form<chunkwise>} -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %xt : tensor<2x4xf32>
  }
  return
}

// -----

func.func @form_prefix_needs_time_invariant_query(%q: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{cannot be computed in the 'prefix' form; valid forms: sequential, chunkwise, parallel}}
  %o, %kc, %vc = seq.softmax_attention %q, %q, %q {form = #seq.form<prefix>}
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return
}

//===----------------------------------------------------------------------===//
// seq.scan
//===----------------------------------------------------------------------===//

// -----

func.func @scan_no_inputs() {
  // expected-error @+1 {{needs at least one input sequence}}
  "seq.scan"() ({
  ^bb0:
    "seq.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 0, 0>, resultSegmentSizes = array<i32: 0, 0>} : () -> ()
  return
}

// -----

func.func @scan_input_shapes_differ(%a: tensor<2x8x4xf32>, %b: tensor<2x8x5xf32>) {
  // expected-error @+1 {{input #1 must have the shape of input #0, [2, 8, 4], got [2, 8, 5]}}
  %o:2, %f:2 = seq.scan ins(%a, %b : tensor<2x8x4xf32>, tensor<2x8x5xf32>)
      -> (tensor<2x8x4xf32>, tensor<2x8x5xf32>) final (tensor<2x4xf32>, tensor<2x5xf32>) {
  ^bb0(%a1: f32, %b1: f32, %a2: f32, %b2: f32):
    seq.yield %a2, %b2 : f32, f32
  }
  return
}

// -----

func.func @scan_init_count(%a: tensor<2x8x4xf32>, %b: tensor<2x8x4xf32>, %i: tensor<2x4xf32>) {
  // expected-error @+1 {{takes no init values or one per input (2), got 1}}
  %o:2, %f:2 = seq.scan ins(%a, %b : tensor<2x8x4xf32>, tensor<2x8x4xf32>) init(%i : tensor<2x4xf32>)
      -> (tensor<2x8x4xf32>, tensor<2x8x4xf32>) final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%a1: f32, %b1: f32, %a2: f32, %b2: f32):
    seq.yield %a2, %b2 : f32, f32
  }
  return
}

// -----

func.func @scan_exclusive_without_init(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{an exclusive scan needs 'init': it is out_0 and the identity of the combiner}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) exclusive -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    %s = arith.addf %l, %r : f32
    seq.yield %s : f32
  }
  return
}

// -----

func.func @scan_output_count(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{must return one output sequence per input (1), got 2}}
  %o:2, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %r : f32
  }
  return
}

// -----

func.func @scan_final_count(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{must return one final state per input (1), got 2}}
  %o, %f:2 = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %r : f32
  }
  return
}

// -----

func.func @scan_output_type(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{output #0 must be 'tensor<2x8x4xf32>' (the type of input #0), got 'tensor<2x8x4xf16>'}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf16>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %r : f32
  }
  return
}

// -----

func.func @scan_final_type(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{final state #0 must be 'tensor<2x4xf32>' (input #0 without the time dimension), got 'tensor<2x8xf32>'}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x8xf32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %r : f32
  }
  return
}

// -----

func.func @scan_init_type(%x: tensor<2x8x4xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{init #0 must be 'tensor<2x4xf32>' (input #0 without the time dimension), got 'tensor<4xf32>'}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) init(%i : tensor<4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %r : f32
  }
  return
}

// -----

func.func @scan_combiner_arity(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{combiner must take 2 scalar arguments (lhs then rhs of each of the 1 inputs), got 1}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32):
    seq.yield %l : f32
  }
  return
}

// -----

func.func @scan_combiner_argument_type(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{combiner argument #1 must be 'f32' (the element type of input #0), got 'f16'}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f16):
    seq.yield %l : f32
  }
  return
}

// -----

func.func @scan_yield_count(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{combiner must yield 1 values (one per input), got 2}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %l, %r : f32, f32
  }
  return
}

// -----

func.func @scan_yield_type(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{combiner yield #0 must be 'f32', got 'f16'}}
  %o, %f = seq.scan ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    %t = arith.truncf %l : f32 to f16
    seq.yield %t : f16
  }
  return
}

// -----

func.func @scan_rank_too_small(%x: tensor<8xf32>) {
  // expected-error @+1 {{operand #0 must be variadic of ranked tensor of rank >= 2 laid out [B, T, ...]}}
  %o, %f = seq.scan ins(%x : tensor<8xf32>) -> (tensor<8xf32>) final (tensor<f32>) {
  ^bb0(%l: f32, %r: f32):
    seq.yield %r : f32
  }
  return
}

//===----------------------------------------------------------------------===//
// seq.yield
//===----------------------------------------------------------------------===//

// -----

func.func @yield_outside_scan() {
  // expected-error @+1 {{expects parent op to be one of 'seq.scan, seq.recurrence, seq.packed'}}
  seq.yield
}

//===----------------------------------------------------------------------===//
// seq.linear_scan
//===----------------------------------------------------------------------===//

// -----

func.func @linear_scan_shapes_differ(%a: tensor<2x8x4xf32>, %b: tensor<2x8x3xf32>) {
  // expected-error @+1 {{operands 'a' and 'b' must have the same shape, got [2, 8, 4] and [2, 8, 3]}}
  %h, %f = seq.linear_scan %a, %b : (tensor<2x8x4xf32>, tensor<2x8x3xf32>) -> (tensor<2x8x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @linear_scan_element_types_differ(%a: tensor<2x8x4xf32>, %b: tensor<2x8x4xbf16>) {
  // expected-error @+1 {{operands 'a' and 'b' must have the same element type, got 'f32' and 'bf16'}}
  %h, %f = seq.linear_scan %a, %b : (tensor<2x8x4xf32>, tensor<2x8x4xbf16>) -> (tensor<2x8x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @linear_scan_h_shape(%a: tensor<2x8x4xf32>) {
  // expected-error @+1 {{result 'h' must have shape [2, 8, 4] (the shape of 'a'), got [2, 7, 4]}}
  %h, %f = seq.linear_scan %a, %a : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> (tensor<2x7x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @linear_scan_state_precision(%a: tensor<2x8x4xbf16>) {
  // expected-error @+1 {{result 'h' must have element type f32 or 'bf16' (that of the inputs), got 'f16'}}
  %h, %f = seq.linear_scan %a, %a : (tensor<2x8x4xbf16>, tensor<2x8x4xbf16>) -> (tensor<2x8x4xf16>, tensor<2x4xf16>)
  return
}

// -----

func.func @linear_scan_final_shape(%a: tensor<2x8x4xf32>) {
  // expected-error @+1 {{result 'final_state' must have shape [2, 4] ([B, ...]: 'a' without the time dimension), got [2, 8]}}
  %h, %f = seq.linear_scan %a, %a : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @linear_scan_final_element_type(%a: tensor<2x8x4xbf16>) {
  // expected-error @+1 {{result 'final_state' must have element type 'f32', got 'bf16'}}
  %h, %f = seq.linear_scan %a, %a : (tensor<2x8x4xbf16>, tensor<2x8x4xbf16>) -> (tensor<2x8x4xf32>, tensor<2x4xbf16>)
  return
}

// -----

func.func @linear_scan_init_rank(%a: tensor<2x8x4xf32>, %h0: tensor<2x8x4xf32>) {
  // expected-error @+1 {{operand 'init' must have shape [2, 4] ([B, ...]: 'a' without the time dimension), got [2, 8, 4]}}
  %h, %f = seq.linear_scan %a, %a init %h0 : (tensor<2x8x4xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @linear_scan_init_element_type(%a: tensor<2x8x4xbf16>, %h0: tensor<2x4xbf16>) {
  // expected-error @+1 {{operand 'init' must have element type 'f32', got 'bf16'}}
  %h, %f = seq.linear_scan %a, %a init %h0 : (tensor<2x8x4xbf16>, tensor<2x8x4xbf16>, tensor<2x4xbf16>) -> (tensor<2x8x4xf32>, tensor<2x4xf32>)
  return
}

// -----

func.func @linear_scan_integer_elements(%a: tensor<2x8x4xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of f32/f16/bf16/complex<f32> values, rank >= 2, laid out [B, T, ...]}}
  %h, %f = seq.linear_scan %a, %a : (tensor<2x8x4xi32>, tensor<2x8x4xi32>) -> (tensor<2x8x4xi32>, tensor<2x4xi32>)
  return
}

//===----------------------------------------------------------------------===//
// seq.recurrence
//===----------------------------------------------------------------------===//

// -----

func.func @recurrence_no_inputs(%h0: tensor<2x4xf32>) {
  // expected-error @+1 {{needs at least one input sequence (it fixes B and T)}}
  %h = "seq.recurrence"(%h0) ({
  ^bb0(%s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }) {operandSegmentSizes = array<i32: 0, 1, 0>, resultSegmentSizes = array<i32: 0, 1>} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @recurrence_no_state(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{needs at least one state}}
  %y = "seq.recurrence"(%x) ({
  ^bb0(%xt: tensor<2x4xf32>):
    seq.yield %xt : tensor<2x4xf32>
  }) {operandSegmentSizes = array<i32: 1, 0, 0>, resultSegmentSizes = array<i32: 1, 0>} : (tensor<2x8x4xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

func.func @recurrence_inputs_disagree(%x: tensor<2x8x4xf32>, %z: tensor<2x9x4xf32>) {
  // expected-error @+1 {{input #1 must be [B, T, ...] with B = 2, T = 8 of input #0, got [2, 9, 4]}}
  %h = seq.recurrence ins(%x, %z : tensor<2x8x4xf32>, tensor<2x9x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %zt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_output_time(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{output #0 must be [B, T, ...] with B = 2, T = 8 of input #0, got [2, 4, 4]}}
  %y, %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> (tensor<2x4x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_state_batch(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{state #0 must lead with the batch dimension B = 2, got [3, 4]}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> final (tensor<3x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<3x4xf32>):
    seq.yield %s : tensor<3x4xf32>
  }
  return
}

// -----

func.func @recurrence_init_count(%x: tensor<2x8x4xf32>, %h0: tensor<2x4xf32>) {
  // expected-error @+1 {{takes no init values or one per state (2), got 1}}
  %h, %c = seq.recurrence ins(%x : tensor<2x8x4xf32>) init(%h0 : tensor<2x4xf32>) -> final (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %t: tensor<2x4xf32>):
    seq.yield %s, %t : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_init_type(%x: tensor<2x8x4xf32>, %h0: tensor<2x5xf32>) {
  // expected-error @+1 {{init #0 must be 'tensor<2x4xf32>' (the type of final state #0), got 'tensor<2x5xf32>'}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) init(%h0 : tensor<2x5xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_body_arity(%x: tensor<2x8x4xf32>, %r: tensor<4x4xf32>) {
  // expected-error @+1 {{body must take 3 arguments (1 input slices, then 1 states, then 1 weights), got 2}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) weights(%r : tensor<4x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_body_input_slice(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{body argument #0 must be 'tensor<2x4xf32>' (the per-step slice of input #0), got 'tensor<2x8x4xf32>'}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x8x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_body_state(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{body argument #1 must be 'tensor<2x4xf32>' (state #0), got 'tensor<2x4xf16>'}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf16>):
    seq.yield %xt : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_body_weight(%x: tensor<2x8x4xf32>, %r: tensor<4x4xf32>) {
  // expected-error @+1 {{body argument #2 must be 'tensor<4x4xf32>' (weight #0), got 'tensor<4x8xf32>'}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) weights(%r : tensor<4x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %w: tensor<4x8xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_yield_count(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{body must yield 2 values (1 next states, then 1 per-step outputs), got 1}}
  %y, %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_yield_state_type(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{body yield #0 must be 'tensor<2x4xf32>' (next value of state #0), got 'tensor<2x4xf16>'}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %t = arith.truncf %s : tensor<2x4xf32> to tensor<2x4xf16>
    seq.yield %t : tensor<2x4xf16>
  }
  return
}

// -----

func.func @recurrence_yield_output_type(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{body yield #1 must be 'tensor<2x3xf32>' (the per-step value of output #0), got 'tensor<2x4xf32>'}}
  %y, %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) -> (tensor<2x8x3xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return
}

//===----------------------------------------------------------------------===//
// The attention family: q, k, v
//===----------------------------------------------------------------------===//

// -----

func.func @attention_query_rank(%q: tensor<8x4xf32>, %k: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{operand 'q' must be [B, T, H, dk] (one query per step) or [B, H, dk] (a time-invariant query), got rank 2}}
  %o, %kc, %vc = seq.softmax_attention %q, %k, %k : (tensor<8x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return
}

// -----

func.func @attention_steps_differ(%q: tensor<1x8x2x4xf32>, %k: tensor<1x9x2x4xf32>) {
  // expected-error @+1 {{operands 'q' and 'k' must have the same number of steps, got [1, 8, 2, 4] and [1, 9, 2, 4]}}
  %o, %s = seq.linear_attention %q, %k, %k : (tensor<1x8x2x4xf32>, tensor<1x9x2x4xf32>, tensor<1x9x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @attention_head_dims_disagree(%q: tensor<1x8x2x4xf32>, %k: tensor<1x8x2x6xf32>) {
  // expected-error @+1 {{head dims of 'q' and 'k' disagree: 'q' has dk = 4, 'k' has dk = 6}}
  %o, %s = seq.linear_attention %q, %k, %q : (tensor<1x8x2x4xf32>, tensor<1x8x2x6xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @attention_key_heads(%q: tensor<1x8x2x4xf32>, %k: tensor<1x8x3x4xf32>) {
  // expected-error @+1 {{operand 'k' must have shape [1, 8, 2, 4] ([B, T, H, dk] with B, H, dk of 'q'), got [1, 8, 3, 4]}}
  %o, %s = seq.linear_attention %q, %k, %q : (tensor<1x8x2x4xf32>, tensor<1x8x3x4xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @attention_value_batch(%q: tensor<1x8x2x4xf32>, %v: tensor<2x8x2x4xf32>) {
  // expected-error @+1 {{operand 'v' must have shape [1, 8, 2, 4] ([B, T, H, dv] with B, T, H of 'q' and 'k'), got [2, 8, 2, 4]}}
  %o, %s = seq.linear_attention %q, %q, %v : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<2x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @attention_element_types(%q: tensor<1x8x2x4xf32>, %v: tensor<1x8x2x4xbf16>) {
  // expected-error @+1 {{operands 'q', 'k' and 'v' must have one element type, got 'f32', 'f32' and 'bf16'}}
  %o, %s = seq.linear_attention %q, %q, %v : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xbf16>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @attention_output_shape(%q: tensor<1x8x2x4xf32>, %v: tensor<1x8x2x3xf32>) {
  // expected-error @+1 {{result 'output' must have shape [1, 8, 2, 3] ([B, T, H, dv]), got [1, 8, 2, 4]}}
  %o, %s = seq.linear_attention %q, %q, %v : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x3xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>)
  return
}

// -----

func.func @attention_output_precision(%q: tensor<1x8x2x4xbf16>) {
  // expected-error @+1 {{result 'output' must have element type f32 or 'bf16' (that of the inputs), got 'f16'}}
  %o, %s = seq.linear_attention %q, %q, %q : (tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>)
      -> (tensor<1x8x2x4xf16>, tensor<1x2x4x4xf32>)
  return
}

//===----------------------------------------------------------------------===//
// seq.linear_attention: gates and matrix states
//===----------------------------------------------------------------------===//

// -----

func.func @linear_attention_gate_with_kind_none(%q: tensor<1x8x2x4xf32>, %g: tensor<1x8x2xf32>) {
  // expected-error @+1 {{gate_kind <none> takes no gate operand; a gate needs gate_kind <scalar> ([B, T, H]) or <vector> ([B, T, H, dk])}}
  %o, %s = seq.linear_attention %q, %q, %q gate <none> %g
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @linear_attention_kind_without_gate(%q: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{gate_kind <scalar> needs a gate operand of shape [B, T, H] for gate_kind <scalar>}}
  %o, %s = "seq.linear_attention"(%q, %q, %q) {gate_kind = #seq.gate_kind<scalar>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>}
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @linear_attention_gate_shape_for_kind(%q: tensor<1x8x2x4xf32>, %g: tensor<1x8x2xf32>) {
  // expected-error @+1 {{operand 'gate' must have shape [1, 8, 2, 4] ([B, T, H, dk] for gate_kind <vector>), got [1, 8, 2]}}
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @linear_attention_gate_precision(%q: tensor<1x8x2x4xbf16>, %g: tensor<1x8x2xf16>) {
  // expected-error @+1 {{operand 'gate' must have element type f32 or 'bf16' (that of the inputs), got 'f16'}}
  %o, %s = seq.linear_attention %q, %q, %q gate <scalar> %g
      : (tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2xf16>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @matrix_state_shape(%q: tensor<1x8x2x4xf32>, %v: tensor<1x8x2x3xf32>) {
  // expected-error @+1 {{result 'final_state' must have shape [1, 2, 4, 3] ([B, H, dk, dv]), got [1, 2, 3, 4]}}
  %o, %s = seq.linear_attention %q, %q, %v : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x3xf32>)
      -> (tensor<1x8x2x3xf32>, tensor<1x2x3x4xf32>)
  return
}

// -----

func.func @matrix_state_precision(%q: tensor<1x8x2x4xbf16>) {
  // expected-error @+1 {{result 'final_state' must have element type f32 or 'bf16' (that of the inputs), got 'f16'}}
  %o, %s = seq.linear_attention %q, %q, %q : (tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf16>)
  return
}

// -----

func.func @matrix_init_rank_wrong(%q: tensor<1x8x2x4xf32>, %s0: tensor<2x1x4x4xf32>) {
  // expected-error @+1 {{operand 'init' must have shape [1, 2, 4, 4] ([B, H, dk, dv]), got [2, 1, 4, 4]}}
  %o, %s = seq.linear_attention %q, %q, %q init %s0
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<2x1x4x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @matrix_init_precision(%q: tensor<1x8x2x4xbf16>, %s0: tensor<1x2x4x4xbf16>) {
  // expected-error @+1 {{operand 'init' must have element type 'f32', got 'bf16'}}
  %o, %s = seq.linear_attention %q, %q, %q init %s0
      : (tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x2x4x4xbf16>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @attention_scale_not_positive(%q: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{attribute 'scale' failed to satisfy constraint: 64-bit float attribute whose value is finite and positive}}
  %o, %s = seq.linear_attention %q, %q, %q {scale = -1.0 : f64}
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

//===----------------------------------------------------------------------===//
// seq.delta_rule
//===----------------------------------------------------------------------===//

// -----

func.func @delta_rule_beta_shape(%q: tensor<1x8x2x4xf32>, %beta: tensor<1x8x4xf32>) {
  // expected-error @+1 {{operand 'beta' must have shape [1, 8, 2] ([B, T, H]: one write strength per head and step), got [1, 8, 4]}}
  %o, %s = seq.delta_rule %q, %q, %q, %beta
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @delta_rule_gate_shape(%q: tensor<1x8x2x4xf32>, %beta: tensor<1x8x2xf32>, %g: tensor<1x7x2xf32>) {
  // expected-error @+1 {{operand 'gate' must have shape [1, 8, 2] ([B, T, H]: one log decay per head and step), got [1, 7, 2]}}
  %o, %s = seq.delta_rule %q, %q, %q, %beta gate %g
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<1x7x2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

// -----

func.func @delta_rule_parallel_form(%q: tensor<1x8x2x4xf32>, %beta: tensor<1x8x2xf32>) {
  // expected-error @+1 {{'seq.delta_rule' op cannot be computed in the 'parallel' form; valid forms: sequential, chunkwise}}
  %o, %s = seq.delta_rule %q, %q, %q, %beta {form = #seq.form<parallel>}
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x4xf32>)
  return
}

//===----------------------------------------------------------------------===//
// seq.softmax_attention states
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_scan_init_count(%q: tensor<1x2x4xf32>, %k: tensor<1x8x2x4xf32>, %m: tensor<1x2xf32>) {
  // expected-error @+1 {{with a time-invariant query, 'init' is absent or (running max m [B, H], denominator u [B, H], numerator w [B, H, dv]), got 1 values}}
  %o, %m2, %u2, %w2 = seq.softmax_attention %q, %k, %k init(%m)
      : (tensor<1x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x4xf32>)
  return
}

// -----

func.func @softmax_scan_final_count(%q: tensor<1x2x4xf32>, %k: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{with a time-invariant query, the final states are (running max m [B, H], denominator u [B, H], numerator w [B, H, dv]), got 2 values}}
  %o, %kc, %vc = seq.softmax_attention %q, %k, %k
      : (tensor<1x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return
}

// -----

func.func @softmax_scan_state_shape(%q: tensor<1x2x4xf32>, %k: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{final state 'w' must have shape [1, 2, 4] (running max m [B, H], denominator u [B, H], numerator w [B, H, dv]), got [1, 2]}}
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %k
      : (tensor<1x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return
}

// -----

func.func @softmax_scan_state_precision(%q: tensor<1x2x4xbf16>, %k: tensor<1x8x2x4xbf16>) {
  // expected-error @+1 {{final state 'm' must have element type f32 or 'bf16' (that of the inputs), got 'f16'}}
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %k
      : (tensor<1x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2xf16>, tensor<1x2xf32>, tensor<1x2x4xf32>)
  return
}

// -----

func.func @softmax_scan_init_type(%q: tensor<1x2x4xf32>, %k: tensor<1x8x2x4xf32>, %m0: tensor<1x2xf32>, %w0: tensor<1x2x3xf32>) {
  // expected-error @+1 {{init 'w' must be 'tensor<1x2x4xf32>' (the type of the final state), got 'tensor<1x2x3xf32>'}}
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %k init(%m0, %m0, %w0)
      : (tensor<1x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x3xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x4xf32>)
  return
}

// -----

func.func @softmax_cache_init_count(%q: tensor<1x8x2x4xf32>, %kc: tensor<1x3x2x4xf32>) {
  // expected-error @+1 {{with a per-step query, 'init' is absent or (keys [B, P, H, dk], values [B, P, H, dv]), got 1 values}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %q init(%kc)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x11x2x4xf32>, tensor<1x11x2x4xf32>)
  return
}

// -----

func.func @softmax_cache_final_count(%q: tensor<1x8x2x4xf32>) {
  // expected-error @+1 {{with a per-step query, the final states are the extended caches (keys [B, P + T, H, dk], values [B, P + T, H, dv]), got 0 values}}
  %o = seq.softmax_attention %q, %q, %q
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf32>
  return
}

// -----

func.func @softmax_cache_init_keys(%q: tensor<1x8x2x4xf32>, %kc: tensor<1x3x1x4xf32>, %vc: tensor<1x3x2x4xf32>) {
  // expected-error @+1 {{init keys must have shape [1, 3, 2, 4] (keys [B, P, H, dk], values [B, P, H, dv]), got [1, 3, 1, 4]}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %q init(%kc, %vc)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x3x1x4xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x11x2x4xf32>, tensor<1x11x2x4xf32>)
  return
}

// -----

func.func @softmax_cache_init_values(%q: tensor<1x8x2x4xf32>, %kc: tensor<1x3x2x4xf32>, %vc: tensor<1x2x2x4xf32>) {
  // expected-error @+1 {{init values must have shape [1, 3, 2, 4] (keys [B, P, H, dk], values [B, P, H, dv]), got [1, 2, 2, 4]}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %q init(%kc, %vc)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x3x2x4xf32>, tensor<1x2x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x11x2x4xf32>, tensor<1x11x2x4xf32>)
  return
}

// -----

func.func @softmax_cache_init_precision(%q: tensor<1x8x2x4xbf16>, %kc: tensor<1x3x2x4xf32>) {
  // expected-error @+1 {{init keys must have element type 'bf16', got 'f32'}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %q init(%kc, %kc)
      : (tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x3x2x4xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x8x2x4xbf16>, tensor<1x11x2x4xbf16>, tensor<1x11x2x4xbf16>)
  return
}

// -----

func.func @softmax_cache_final_length(%q: tensor<1x8x2x4xf32>, %kc: tensor<1x3x2x4xf32>) {
  // expected-error @+1 {{final keys must have shape [1, 11, 2, 4] (the caches extended by this call: keys [B, P + T, H, dk], values [B, P + T, H, dv]), got [1, 8, 2, 4]}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %q init(%kc, %kc)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x3x2x4xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return
}

// -----

func.func @softmax_cache_final_values(%q: tensor<1x8x2x4xf32>, %v: tensor<1x8x2x3xf32>) {
  // expected-error @+1 {{final values must have shape [1, 8, 2, 3] (the caches extended by this call: keys [B, P + T, H, dk], values [B, P + T, H, dv]), got [1, 8, 2, 4]}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %v
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x3xf32>)
      -> (tensor<1x8x2x3xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return
}

// -----

func.func @softmax_cache_final_precision(%q: tensor<1x8x2x4xbf16>) {
  // expected-error @+1 {{final keys must have element type 'bf16', got 'f32'}}
  %o, %k2, %v2 = seq.softmax_attention %q, %q, %q
      : (tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>, tensor<1x8x2x4xbf16>)
      -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xbf16>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// The GPU step tiling of #seq.form
//===----------------------------------------------------------------------===//

// expected-error @+1 {{form parameter 'units_per_block' must be positive, got 0}}
func.func @form_units_per_block_zero() attributes {f = #seq.form<sequential, units_per_block = 0>} { return }

// -----

// expected-error @+1 {{form parameter 'split_k' must be a power of two up to 32 (lanes of a warp), got 3}}
func.func @form_split_k_not_power_of_two() attributes {f = #seq.form<sequential, split_k = 3>} { return }

// -----

// expected-error @+1 {{form parameter 'split_k' must be a power of two up to 32 (lanes of a warp), got 64}}
func.func @form_split_k_past_warp() attributes {f = #seq.form<sequential, split_k = 64>} { return }

// -----

// expected-error @+1 {{form parameter 'workers' must be positive, got 0}}
func.func @form_workers_zero() attributes {f = #seq.form<prefix, chunk_size = 64, workers = 0>} { return }

// -----

// expected-error @+1 {{form parameter 'workers' must be at most 4096, got 5000}}
func.func @form_workers_huge() attributes {f = #seq.form<prefix, workers = 5000>} { return }

// -----

// expected-error @+1 {{form parameter 'workers' applies to the prefix form only, not to 'chunkwise'}}
func.func @form_workers_chunkwise() attributes {f = #seq.form<chunkwise, chunk_size = 64, workers = 2>} { return }

// -----

// expected-error @+1 {{form parameter 'units_per_block' applies to the sequential form only, not to 'chunkwise'}}
func.func @form_units_per_block_chunkwise() attributes {f = #seq.form<chunkwise, units_per_block = 4>} { return }

// -----

//===----------------------------------------------------------------------===//
// #seq.gpu_kernel
//===----------------------------------------------------------------------===//

// expected-error @+1 {{gpu_kernel field 'split_k' is for weight_stationary_step kernels with gate_products = fma, not for a 'parallel_loop' kernel}}
func.func @gpu_kernel_field_of_other_kind() attributes {k = #seq.gpu_kernel<parallel_loop, split_k = 2>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'state_terms' is for weight_stationary_step kernels with gate_products = mma_m16n8k16, not for a 'weight_stationary_step' kernel}}
func.func @gpu_kernel_state_terms_on_fma() attributes {k = #seq.gpu_kernel<weight_stationary_step, units_per_block = 2, gate_products = fma, state_terms = 3>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'units_per_block' must be positive, got 0}}
func.func @gpu_kernel_nonpositive() attributes {k = #seq.gpu_kernel<weight_stationary_step, units_per_block = 0>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'coarsened_dim' must be a loop dimension (0 or more), got -1}}
func.func @gpu_kernel_negative_dim() attributes {k = #seq.gpu_kernel<parallel_loop, coarsened_dim = -1, coarsened_factor = 2>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'state_terms' must be 1, 2 or 3, got 5}}
func.func @gpu_kernel_state_terms_range() attributes {k = #seq.gpu_kernel<weight_stationary_step, gate_products = mma_m16n8k16, state_terms = 5>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'mma_tile' must have 3 entries, got 2}}
func.func @gpu_kernel_mma_tile_rank() attributes {k = #seq.gpu_kernel<mma_contraction, mma_tile = [16, 8]>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'mma_warps' must be positive, got 0}}
func.func @gpu_kernel_mma_warps_zero() attributes {k = #seq.gpu_kernel<mma_contraction, mma_warps = [0, 1]>} { return }

// -----

// expected-error @+1 {{gpu_kernel field 'mma_tile' must be multiples of (16, 8, 16), the mma.sync m16n8k16 tile, got (16, 12, 16)}}
func.func @gpu_kernel_mma_tile_shape() attributes {k = #seq.gpu_kernel<mma_contraction, mma_tile = [16, 12, 16]>} { return }

// -----

//===----------------------------------------------------------------------===//
// The seq dialect's attributes on other ops
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'func.func' op attribute 'seq.gpu_kernel' must be a #seq.gpu_kernel, got 3 : i64}}
func.func @gpu_kernel_wrong_type() attributes {seq.gpu_kernel = 3} { return }

// -----

// expected-error @+1 {{'func.func' op attribute 'seq.time_loop' must be a sequential #seq.form, got #seq.form<chunkwise>}}
func.func @time_loop_not_sequential() attributes {seq.time_loop = #seq.form<chunkwise>} { return }

// -----

// expected-error @+1 {{'func.func' op attribute 'seq.workgroup' must be a unit attribute, got "yes"}}
func.func @marker_not_unit() attributes {seq.workgroup = "yes"} { return }

// -----

// expected-error @+1 {{'func.func' op has an unknown seq attribute 'seq.persistent' (the seq dialect sets gpu_kernel, kernel_prefix, time_loop, workgroup, step_invariant, coarsened, jammed, tuned, checkpoint_every, kept_products and register_tile)}}
func.func @unknown_seq_attribute() attributes {seq.persistent} { return }

// -----

// expected-error @+1 {{'func.func' op attribute 'seq.checkpoint_every' must be a positive i64 on a seq.recurrence, got 4 : i64}}
func.func @checkpoint_every_not_on_recurrence() attributes {seq.checkpoint_every = 4 : i64} { return }

// -----

// expected-error @+1 {{'func.func' op attribute 'seq.kept_products' must be a positive i64 on a seq.recurrence, at most its number of outputs, got 1 : i64}}
func.func @kept_products_not_on_recurrence() attributes {seq.kept_products = 1 : i64} { return }

// -----

func.func @kept_products_beyond_outputs(%x: tensor<2x8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'seq.recurrence' op attribute 'seq.kept_products' must be a positive i64 on a seq.recurrence, at most its number of outputs, got 1 : i64}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) attributes {seq.kept_products = 1 : i64} -> final(tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %n = arith.addf %xt, %s : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// -----

func.func @checkpoint_every_zero(%x: tensor<2x8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'seq.recurrence' op attribute 'seq.checkpoint_every' must be a positive i64 on a seq.recurrence, got 0 : i64}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) attributes {seq.checkpoint_every = 0 : i64} -> final(tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    %n = arith.addf %xt, %s : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Bounds: tiles no larger than anything they could tile, no empty tensors
//===----------------------------------------------------------------------===//

// expected-error @+1 {{form parameter 'chunk_size' must be at most 1048576, got 9223372036854775807}}
func.func @form_chunk_size_huge() attributes {f = #seq.form<chunkwise, chunk_size = 9223372036854775807>} { return }

// -----

// expected-error @+1 {{form parameter 'block_threads' must be at most 1024, got 2048}}
func.func @form_block_threads_past_cuda() attributes {f = #seq.form<prefix, block_threads = 2048>} { return }

// -----

// expected-error @+1 {{form parameter 'items_per_thread' must be at most 1024, got 4611686018427387904}}
func.func @form_items_per_thread_huge() attributes {f = #seq.form<prefix, items_per_thread = 4611686018427387904>} { return }

// -----

func.func @empty_batch(%a: tensor<0x8x4xf32>) -> tensor<0x8x4xf32> {
  // expected-error @+1 {{'seq.linear_scan' op operand #0 ('tensor<0x8x4xf32>') has size 0 in dimension 0; seq ops need non-empty tensors}}
  %h, %last = seq.linear_scan %a, %a : (tensor<0x8x4xf32>, tensor<0x8x4xf32>) -> (tensor<0x8x4xf32>, tensor<0x4xf32>)
  return %h : tensor<0x8x4xf32>
}

// -----

func.func @linear_scan_chunkwise_too_long(%a: tensor<1x2048x4xf32>) {
  // expected-error @+1 {{'seq.linear_scan' op chunkwise form with chunk_size = 512: each step sums over its chunk's earlier steps (O(chunk_size) work per step), so chunk_size must be at most 256; longer chunks are the prefix form's}}
  %h, %last = seq.linear_scan %a, %a {form = #seq.form<chunkwise, chunk_size = 512>} : (tensor<1x2048x4xf32>, tensor<1x2048x4xf32>) -> (tensor<1x2048x4xf32>, tensor<1x4xf32>)
  return
}

// -----

func.func @recurrence_too_many_accumulators(%x: tensor<2x8x4xf32>, %h0: tensor<2x4xf32>) {
  // expected-error @+1 {{declares 2 accumulators but has 1 states}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) init(%h0 : tensor<2x4xf32>) attributes {accumulators = 2 : i64} -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

func.func @recurrence_accumulator_without_init(%x: tensor<2x8x4xf32>) {
  // expected-error @+1 {{needs init values: its accumulators have no implicit zero shape}}
  %h, %sum = seq.recurrence ins(%x : tensor<2x8x4xf32>) attributes {accumulators = 1 : i64} -> final (tensor<2x4xf32>, tensor<4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %acc: tensor<4xf32>):
    seq.yield %s, %acc : tensor<2x4xf32>, tensor<4xf32>
  }
  return
}

// -----

func.func @recurrence_state_not_batch_led(%x: tensor<2x8x4xf32>, %h0: tensor<2x4xf32>, %a0: tensor<4xf32>) {
  // expected-error @+1 {{state #1 must lead with the batch dimension B = 2, got [4]}}
  %h, %sum = seq.recurrence ins(%x : tensor<2x8x4xf32>) init(%h0, %a0 : tensor<2x4xf32>, tensor<4xf32>) -> final (tensor<2x4xf32>, tensor<4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %acc: tensor<4xf32>):
    seq.yield %s, %acc : tensor<2x4xf32>, tensor<4xf32>
  }
  return
}

// -----

func.func @recurrence_negative_accumulators(%x: tensor<2x8x4xf32>, %h0: tensor<2x4xf32>) {
  // expected-error @+1 {{attribute 'accumulators' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %h = seq.recurrence ins(%x : tensor<2x8x4xf32>) init(%h0 : tensor<2x4xf32>) attributes {accumulators = -1 : i64} -> final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>):
    seq.yield %s : tensor<2x4xf32>
  }
  return
}

// -----

//===----------------------------------------------------------------------===//
// #seq.register_tile
//===----------------------------------------------------------------------===//

// expected-error @+1 {{vector_width must be a power of two from 1 to 64, got 12}}
func.func @register_tile_width() attributes {t = #seq.register_tile<rows = 4, columns = 24, vector_width = 12>} { return }

// -----

// expected-error @+1 {{rows must be from 1 to 64, got 0}}
func.func @register_tile_rows() attributes {t = #seq.register_tile<rows = 0, columns = 16, vector_width = 16>} { return }

// -----

// expected-error @+1 {{columns must be a positive multiple of vector_width (at most 64 vectors), got 40}}
func.func @register_tile_columns() attributes {t = #seq.register_tile<rows = 4, columns = 40, vector_width = 16>} { return }

// -----

// expected-error @+1 {{rows x columns / vector_width accumulators must be at most 64, got 128}}
func.func @register_tile_accumulators() attributes {t = #seq.register_tile<rows = 16, columns = 128, vector_width = 16>} { return }

// -----

// expected-error @+1 {{bf16_terms must be 1, 2 or 3, got 4}}
func.func @register_tile_bf16_terms() attributes {t = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 4>} { return }

// -----

// expected-error @+1 {{reduction_block must be positive, got 0}}
func.func @register_tile_reduction_block() attributes {t = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 0>} { return }

// -----

// expected-error @+1 {{reduction_block must be positive and even (the bf16 pair kernel steps through pairs of K), got 33}}
func.func @register_tile_odd_pair_block() attributes {t = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 1, reduction_block = 33>} { return }

// -----

// expected-error @+1 {{struct is missing required parameter: rows}}
func.func @register_tile_missing_rows() attributes {t = #seq.register_tile<columns = 32, vector_width = 16>} { return }

// -----

// expected-error @+1 {{'func.func' op attribute 'seq.register_tile' must be a #seq.register_tile on a linalg.matmul, linalg.batch_matmul or the scf.for of its microkernel, got #seq.register_tile<rows = 4, columns = 32, vector_width = 16>}}
func.func @register_tile_on_func() attributes {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16>} { return }
