// Round trip of every seq op and every optional part, in the custom form
// and through the generic form.
// RUN: seq-opt %s | seq-opt | FileCheck %s
// RUN: seq-opt %s --mlir-print-op-generic | seq-opt | FileCheck %s

// CHECK-LABEL: func.func @scan_running_max
// CHECK: seq.scan ins(%{{.*}} : tensor<2x16x8xf32>) -> (tensor<2x16x8xf32>) final(tensor<2x8xf32>) {
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32):
// CHECK:   arith.maximumf
// CHECK:   seq.yield %{{.*}} : f32
func.func @scan_running_max(%x: tensor<2x16x8xf32>) -> (tensor<2x16x8xf32>, tensor<2x8xf32>) {
  %out, %final = seq.scan ins(%x : tensor<2x16x8xf32>)
      -> (tensor<2x16x8xf32>) final (tensor<2x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32):
    %m = arith.maximumf %lhs, %rhs : f32
    seq.yield %m : f32
  }
  return %out, %final : tensor<2x16x8xf32>, tensor<2x8xf32>
}

// The (a, b) element of the linear recurrence as a generic scan, with init,
// reversed and exclusive, in the prefix form, and dynamic batch and time.
// CHECK-LABEL: func.func @scan_affine_pairs
// CHECK: seq.scan ins(%{{.*}}, %{{.*}} : tensor<?x?x4xf32>, tensor<?x?x4xf32>) init(%{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32>) reverse exclusive attributes {form = #seq.form<prefix, chunk_size = 32, block_threads = 256, items_per_thread = 4>} -> (tensor<?x?x4xf32>, tensor<?x?x4xf32>) final(tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK: seq.yield %{{.*}}, %{{.*}} : f32, f32
func.func @scan_affine_pairs(%a: tensor<?x?x4xf32>, %b: tensor<?x?x4xf32>,
                             %a0: tensor<?x4xf32>, %b0: tensor<?x4xf32>)
    -> (tensor<?x?x4xf32>, tensor<?x4xf32>) {
  %oa, %ob, %fa, %fb = seq.scan ins(%a, %b : tensor<?x?x4xf32>, tensor<?x?x4xf32>)
      init(%a0, %b0 : tensor<?x4xf32>, tensor<?x4xf32>) reverse exclusive
      attributes {form = #seq.form<prefix, chunk_size = 32, block_threads = 256, items_per_thread = 4>}
      -> (tensor<?x?x4xf32>, tensor<?x?x4xf32>) final (tensor<?x4xf32>, tensor<?x4xf32>) {
  ^bb0(%a1: f32, %b1: f32, %a2: f32, %b2: f32):
    %a12 = arith.mulf %a2, %a1 : f32
    %t = arith.mulf %a2, %b1 : f32
    %b12 = arith.addf %t, %b2 : f32
    seq.yield %a12, %b12 : f32, f32
  }
  return %ob, %fb : tensor<?x?x4xf32>, tensor<?x4xf32>
}

// CHECK-LABEL: func.func @linear_scan_plain
// CHECK: seq.linear_scan %{{.*}}, %{{.*}} : (tensor<2x37x8xf32>, tensor<2x37x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
func.func @linear_scan_plain(%a: tensor<2x37x8xf32>, %b: tensor<2x37x8xf32>) -> tensor<2x8xf32> {
  %h, %last = seq.linear_scan %a, %b
      : (tensor<2x37x8xf32>, tensor<2x37x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
  return %last : tensor<2x8xf32>
}

// The prefix form on a CPU: rounds of two chunks of one sequence in flight.
// CHECK-LABEL: func.func @linear_scan_prefix_workers
// CHECK: seq.linear_scan %{{.*}}, %{{.*}} {form = #seq.form<prefix, chunk_size = 1024, workers = 2>}
func.func @linear_scan_prefix_workers(%a: tensor<1x65536x64xf32>) -> tensor<1x64xf32> {
  %h, %last = seq.linear_scan %a, %a {form = #seq.form<prefix, chunk_size = 1024, workers = 2>}
      : (tensor<1x65536x64xf32>, tensor<1x65536x64xf32>) -> (tensor<1x65536x64xf32>, tensor<1x64xf32>)
  return %last : tensor<1x64xf32>
}

// bf16 inputs accumulated in an f32 state, Mamba's [B, T, D, N] layout.
// CHECK-LABEL: func.func @linear_scan_init_mixed_precision
// CHECK: seq.linear_scan %{{.*}}, %{{.*}} init %{{.*}} {form = #seq.form<chunkwise, chunk_size = 64, head_tile = 16>} : (tensor<4x128x64x16xbf16>, tensor<4x128x64x16xbf16>, tensor<4x64x16xf32>) -> (tensor<4x128x64x16xf32>, tensor<4x64x16xf32>)
func.func @linear_scan_init_mixed_precision(%a: tensor<4x128x64x16xbf16>, %b: tensor<4x128x64x16xbf16>,
                                            %h0: tensor<4x64x16xf32>) -> tensor<4x128x64x16xf32> {
  %h, %last = seq.linear_scan %a, %b init %h0 {form = #seq.form<chunkwise, chunk_size = 64, head_tile = 16>}
      : (tensor<4x128x64x16xbf16>, tensor<4x128x64x16xbf16>, tensor<4x64x16xf32>)
      -> (tensor<4x128x64x16xf32>, tensor<4x64x16xf32>)
  return %h : tensor<4x128x64x16xf32>
}

// Complex diagonal state (LRU, S4D).
// CHECK-LABEL: func.func @linear_scan_complex
// CHECK: seq.linear_scan %{{.*}}, %{{.*}} {form = #seq.form<sequential>} : (tensor<1x10x3xcomplex<f32>>, tensor<1x10x3xcomplex<f32>>) -> (tensor<1x10x3xcomplex<f32>>, tensor<1x3xcomplex<f32>>)
func.func @linear_scan_complex(%a: tensor<1x10x3xcomplex<f32>>, %b: tensor<1x10x3xcomplex<f32>>) -> tensor<1x3xcomplex<f32>> {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<sequential>}
      : (tensor<1x10x3xcomplex<f32>>, tensor<1x10x3xcomplex<f32>>)
      -> (tensor<1x10x3xcomplex<f32>>, tensor<1x3xcomplex<f32>>)
  return %last : tensor<1x3xcomplex<f32>>
}

// An LSTM cell: two states, a captured recurrent matrix, one output.
// CHECK-LABEL: func.func @recurrence_lstm_cell
// CHECK: seq.recurrence ins(%{{.*}} : tensor<2x16x128xf32>) init(%{{.*}}, %{{.*}} : tensor<2x32xf32>, tensor<2x32xf32>) weights(%{{.*}} : tensor<1x32x128xf32>) attributes {form = #seq.form<sequential, variant = fused, block_threads = 128, state_terms = 2>} -> (tensor<2x16x32xf32>) final(tensor<2x32xf32>, tensor<2x32xf32>) {
// CHECK: ^bb0(%{{.*}}: tensor<2x128xf32>, %{{.*}}: tensor<2x32xf32>, %{{.*}}: tensor<2x32xf32>, %{{.*}}: tensor<1x32x128xf32>):
// CHECK: seq.yield %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x32xf32>, tensor<2x32xf32>, tensor<2x32xf32>
func.func @recurrence_lstm_cell(%wx: tensor<2x16x128xf32>, %h0: tensor<2x32xf32>, %c0: tensor<2x32xf32>,
                                %r: tensor<1x32x128xf32>) -> tensor<2x16x32xf32> {
  %hs, %hT, %cT = seq.recurrence ins(%wx : tensor<2x16x128xf32>)
      init(%h0, %c0 : tensor<2x32xf32>, tensor<2x32xf32>)
      weights(%r : tensor<1x32x128xf32>)
      attributes {form = #seq.form<sequential, variant = fused, block_threads = 128, state_terms = 2>}
      -> (tensor<2x16x32xf32>) final (tensor<2x32xf32>, tensor<2x32xf32>) {
  ^bb0(%x: tensor<2x128xf32>, %h: tensor<2x32xf32>, %c: tensor<2x32xf32>, %w: tensor<1x32x128xf32>):
    %r2 = tensor.collapse_shape %w [[0, 1], [2]] : tensor<1x32x128xf32> into tensor<32x128xf32>
    %zero = arith.constant dense<0.0> : tensor<2x128xf32>
    %hr = linalg.matmul ins(%h, %r2 : tensor<2x32xf32>, tensor<32x128xf32>) outs(%zero : tensor<2x128xf32>) -> tensor<2x128xf32>
    %pre = arith.addf %x, %hr : tensor<2x128xf32>
    %i = tensor.extract_slice %pre[0, 0] [2, 32] [1, 1] : tensor<2x128xf32> to tensor<2x32xf32>
    %f = tensor.extract_slice %pre[0, 32] [2, 32] [1, 1] : tensor<2x128xf32> to tensor<2x32xf32>
    %g = tensor.extract_slice %pre[0, 64] [2, 32] [1, 1] : tensor<2x128xf32> to tensor<2x32xf32>
    %o = tensor.extract_slice %pre[0, 96] [2, 32] [1, 1] : tensor<2x128xf32> to tensor<2x32xf32>
    %is = math.tanh %i : tensor<2x32xf32>
    %fs = math.tanh %f : tensor<2x32xf32>
    %gt = math.tanh %g : tensor<2x32xf32>
    %os = math.tanh %o : tensor<2x32xf32>
    %fc = arith.mulf %fs, %c : tensor<2x32xf32>
    %ig = arith.mulf %is, %gt : tensor<2x32xf32>
    %cn = arith.addf %fc, %ig : tensor<2x32xf32>
    %ct = math.tanh %cn : tensor<2x32xf32>
    %hn = arith.mulf %os, %ct : tensor<2x32xf32>
    seq.yield %hn, %cn, %hn : tensor<2x32xf32>, tensor<2x32xf32>, tensor<2x32xf32>
  }
  return %hs : tensor<2x16x32xf32>
}

// No init (zero states), no weights, no per-step outputs: only the final
// state is returned.
// CHECK-LABEL: func.func @recurrence_final_state_only
// CHECK: seq.recurrence ins(%{{.*}} : tensor<3x5x4xf16>) -> final(tensor<3x4xf16>) {
func.func @recurrence_final_state_only(%x: tensor<3x5x4xf16>) -> tensor<3x4xf16> {
  %hT = seq.recurrence ins(%x : tensor<3x5x4xf16>) -> final (tensor<3x4xf16>) {
  ^bb0(%xt: tensor<3x4xf16>, %h: tensor<3x4xf16>):
    %s = arith.addf %xt, %h : tensor<3x4xf16>
    %n = math.tanh %s : tensor<3x4xf16>
    seq.yield %n : tensor<3x4xf16>
  }
  return %hT : tensor<3x4xf16>
}

// A forward-with-residuals recurrence whose last output is the recurrent
// product of every step, kept for its backward (seq.kept_products).
// CHECK-LABEL: func.func @recurrence_kept_products
// CHECK: seq.recurrence ins(%{{.*}} : tensor<3x5x4xf32>) weights(%{{.*}} : tensor<4x4xf32>) attributes {seq.kept_products = 1 : i64} -> (tensor<3x5x4xf32>) final(tensor<3x4xf32>) {
func.func @recurrence_kept_products(%x: tensor<3x5x4xf32>, %w: tensor<4x4xf32>) -> (tensor<3x5x4xf32>, tensor<3x4xf32>) {
  %p, %hT = seq.recurrence ins(%x : tensor<3x5x4xf32>) weights(%w : tensor<4x4xf32>) attributes {seq.kept_products = 1 : i64} -> (tensor<3x5x4xf32>) final (tensor<3x4xf32>) {
  ^bb0(%xt: tensor<3x4xf32>, %h: tensor<3x4xf32>, %wt: tensor<4x4xf32>):
    %z = arith.constant dense<0.0> : tensor<3x4xf32>
    %hw = linalg.matmul ins(%h, %wt : tensor<3x4xf32>, tensor<4x4xf32>) outs(%z : tensor<3x4xf32>) -> tensor<3x4xf32>
    %s = arith.addf %xt, %hw : tensor<3x4xf32>
    %n = math.tanh %s : tensor<3x4xf32>
    seq.yield %n, %hw : tensor<3x4xf32>, tensor<3x4xf32>
  }
  return %p, %hT : tensor<3x5x4xf32>, tensor<3x4xf32>
}

// CHECK-LABEL: func.func @linear_attention_ungated
// CHECK: seq.linear_attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x64x4x32xf32>, tensor<2x64x4x32xf32>, tensor<2x64x4x16xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x4x32x16xf32>)
func.func @linear_attention_ungated(%q: tensor<2x64x4x32xf32>, %k: tensor<2x64x4x32xf32>, %v: tensor<2x64x4x16xf32>) -> tensor<2x64x4x16xf32> {
  %o, %s = seq.linear_attention %q, %k, %v
      : (tensor<2x64x4x32xf32>, tensor<2x64x4x32xf32>, tensor<2x64x4x16xf32>)
      -> (tensor<2x64x4x16xf32>, tensor<2x4x32x16xf32>)
  return %o : tensor<2x64x4x16xf32>
}

// Mamba-2 / RetNet style: a scalar log decay per head and step, with init.
// CHECK-LABEL: func.func @linear_attention_scalar_gate
// CHECK: seq.linear_attention %{{.*}}, %{{.*}}, %{{.*}} gate <scalar> %{{.*}} init %{{.*}} {form = #seq.form<chunkwise, chunk_size = 64>, scale = 1.250000e-01 : f64} : (tensor<2x64x4x32xbf16>, tensor<2x64x4x32xbf16>, tensor<2x64x4x16xbf16>, tensor<2x64x4xf32>, tensor<2x4x32x16xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x4x32x16xf32>)
func.func @linear_attention_scalar_gate(%q: tensor<2x64x4x32xbf16>, %k: tensor<2x64x4x32xbf16>, %v: tensor<2x64x4x16xbf16>,
                                        %g: tensor<2x64x4xf32>, %s0: tensor<2x4x32x16xf32>) -> tensor<2x4x32x16xf32> {
  %o, %s = seq.linear_attention %q, %k, %v gate <scalar> %g init %s0
      {form = #seq.form<chunkwise, chunk_size = 64>, scale = 0.125 : f64}
      : (tensor<2x64x4x32xbf16>, tensor<2x64x4x32xbf16>, tensor<2x64x4x16xbf16>, tensor<2x64x4xf32>, tensor<2x4x32x16xf32>)
      -> (tensor<2x64x4x16xf32>, tensor<2x4x32x16xf32>)
  return %s : tensor<2x4x32x16xf32>
}

// GLA: a log decay per key channel.
// CHECK-LABEL: func.func @linear_attention_vector_gate
// CHECK: seq.linear_attention %{{.*}}, %{{.*}}, %{{.*}} gate <vector> %{{.*}} {form = #seq.form<parallel>} : (tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>) -> (tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>)
func.func @linear_attention_vector_gate(%q: tensor<1x?x2x8xf32>, %g: tensor<1x?x2x8xf32>) -> tensor<1x?x2x8xf32> {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<parallel>}
      : (tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>)
      -> (tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>)
  return %o : tensor<1x?x2x8xf32>
}

// CHECK-LABEL: func.func @delta_rule_plain
// CHECK: seq.delta_rule %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x37x4x16xf32>, tensor<2x37x4x16xf32>, tensor<2x37x4x8xf32>, tensor<2x37x4xf32>) -> (tensor<2x37x4x8xf32>, tensor<2x4x16x8xf32>)
func.func @delta_rule_plain(%q: tensor<2x37x4x16xf32>, %k: tensor<2x37x4x16xf32>, %v: tensor<2x37x4x8xf32>,
                            %beta: tensor<2x37x4xf32>) -> tensor<2x37x4x8xf32> {
  %o, %s = seq.delta_rule %q, %k, %v, %beta
      : (tensor<2x37x4x16xf32>, tensor<2x37x4x16xf32>, tensor<2x37x4x8xf32>, tensor<2x37x4xf32>)
      -> (tensor<2x37x4x8xf32>, tensor<2x4x16x8xf32>)
  return %o : tensor<2x37x4x8xf32>
}

// Gated DeltaNet with negative eigenvalues, an initial state and a form.
// CHECK-LABEL: func.func @delta_rule_gated_negative_eigenvalues
// CHECK: seq.delta_rule %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} gate %{{.*}} init %{{.*}} allow_negative_eigenvalues {form = #seq.form<chunkwise, chunk_size = 16>, scale = 2.500000e-01 : f64} : (tensor<2x37x4x16xf32>, tensor<2x37x4x16xf32>, tensor<2x37x4x8xf32>, tensor<2x37x4xf32>, tensor<2x37x4xf32>, tensor<2x4x16x8xf32>) -> (tensor<2x37x4x8xf32>, tensor<2x4x16x8xf32>)
func.func @delta_rule_gated_negative_eigenvalues(%q: tensor<2x37x4x16xf32>, %k: tensor<2x37x4x16xf32>,
    %v: tensor<2x37x4x8xf32>, %beta: tensor<2x37x4xf32>, %g: tensor<2x37x4xf32>,
    %s0: tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32> {
  %o, %s = seq.delta_rule %q, %k, %v, %beta gate %g init %s0 allow_negative_eigenvalues
      {form = #seq.form<chunkwise, chunk_size = 16>, scale = 0.25 : f64}
      : (tensor<2x37x4x16xf32>, tensor<2x37x4x16xf32>, tensor<2x37x4x8xf32>, tensor<2x37x4xf32>,
         tensor<2x37x4xf32>, tensor<2x4x16x8xf32>)
      -> (tensor<2x37x4x8xf32>, tensor<2x4x16x8xf32>)
  return %s : tensor<2x4x16x8xf32>
}

// CHECK-LABEL: func.func @softmax_attention_causal
// CHECK: seq.softmax_attention %{{.*}}, %{{.*}}, %{{.*}} {form = #seq.form<chunkwise, chunk_size = 64, block_threads = 128>} : (tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>) -> (tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>)
func.func @softmax_attention_causal(%q: tensor<2x128x4x32xf16>) -> tensor<2x128x4x32xf16> {
  %o, %kc, %vc = seq.softmax_attention %q, %q, %q {form = #seq.form<chunkwise, chunk_size = 64, block_threads = 128>}
      : (tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>)
      -> (tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>, tensor<2x128x4x32xf16>)
  return %o : tensor<2x128x4x32xf16>
}

// Decoding one step against a cache of 7 earlier steps.
// CHECK-LABEL: func.func @softmax_attention_kv_cache
// CHECK: seq.softmax_attention %{{.*}}, %{{.*}}, %{{.*}} init(%{{.*}}, %{{.*}}) {scale = 1.000000e+00 : f64} : (tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>, tensor<1x1x2x4xf32>, tensor<1x7x2x8xf32>, tensor<1x7x2x4xf32>) -> (tensor<1x1x2x4xf32>, tensor<1x8x2x8xf32>, tensor<1x8x2x4xf32>)
func.func @softmax_attention_kv_cache(%q: tensor<1x1x2x8xf32>, %k: tensor<1x1x2x8xf32>, %v: tensor<1x1x2x4xf32>,
                                      %kc: tensor<1x7x2x8xf32>, %vc: tensor<1x7x2x4xf32>) -> tensor<1x8x2x8xf32> {
  %o, %k2, %v2 = seq.softmax_attention %q, %k, %v init(%kc, %vc) {scale = 1.0 : f64}
      : (tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>, tensor<1x1x2x4xf32>, tensor<1x7x2x8xf32>, tensor<1x7x2x4xf32>)
      -> (tensor<1x1x2x4xf32>, tensor<1x8x2x8xf32>, tensor<1x8x2x4xf32>)
  return %k2 : tensor<1x8x2x8xf32>
}

// Aaren: a time-invariant query, computed as a prefix scan over (m, u, w).
// CHECK-LABEL: func.func @softmax_attention_learned_query
// CHECK: seq.softmax_attention %{{.*}}, %{{.*}}, %{{.*}} init(%{{.*}}, %{{.*}}, %{{.*}}) {form = #seq.form<prefix, chunk_size = 16>} : (tensor<2x4x16xf32>, tensor<2x50x4x16xf32>, tensor<2x50x4x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>) -> (tensor<2x50x4x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
func.func @softmax_attention_learned_query(%q: tensor<2x4x16xf32>, %k: tensor<2x50x4x16xf32>, %v: tensor<2x50x4x8xf32>,
    %m0: tensor<2x4xf32>, %u0: tensor<2x4xf32>, %w0: tensor<2x4x8xf32>) -> tensor<2x50x4x8xf32> {
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %v init(%m0, %u0, %w0) {form = #seq.form<prefix, chunk_size = 16>}
      : (tensor<2x4x16xf32>, tensor<2x50x4x16xf32>, tensor<2x50x4x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x50x4x8xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4x8xf32>)
  return %o : tensor<2x50x4x8xf32>
}

// The form attribute on its own, with every parameter.
// CHECK-LABEL: func.func @form_attribute
// CHECK-SAME: f = #seq.form<sequential, variant = alternating, block_threads = 64, items_per_thread = 2, head_tile = 32, units_per_block = 4, split_k = 8>
func.func @form_attribute() attributes {f = #seq.form<sequential, variant = alternating, block_threads = 64, items_per_thread = 2, head_tile = 32, units_per_block = 4, split_k = 8>} {
  return
}

// state_terms applies to either GPU variant of the sequential form.
// CHECK-LABEL: func.func @state_terms_alternating
// CHECK-SAME:    f = #seq.form<sequential, variant = alternating, state_terms = 1>
func.func @state_terms_alternating() attributes {f = #seq.form<sequential, variant = alternating, state_terms = 1>} { return }

// The GPU kernel record of every kernel kind, with its fields, and the
// seq dialect's attributes on other dialects' ops.
// CHECK-LABEL: func.func @gpu_kernel_records
// CHECK-SAME: a = #seq.gpu_kernel<parallel_loop, coarsened_dim = 0, coarsened_factor = 4>
// CHECK-SAME: b = #seq.gpu_kernel<mma_contraction, mma_tile = [64, 16, 32], mma_warps = [4, 1], mma_terms = [3, 1], accumulators_from_zero = true>
// CHECK-SAME: c = #seq.gpu_kernel<weight_stationary_step, mma_warps = [2, 1, 2], units_per_block = 11, gate_products = mma_m16n8k16, state_terms = 3, weights_in = registers, gates_in = shared>
// CHECK-SAME: d = #seq.gpu_kernel<weight_stationary_step, units_per_block = 3, gate_products = fma, split_k = 2>
// CHECK-SAME: e = #seq.gpu_kernel<persistent_recurrence, cooperative = true>
// CHECK-SAME: f = #seq.gpu_kernel<grid_barrier_reset>
// CHECK-SAME: g = #seq.gpu_kernel<linear_scan_prefix_carry, vector_width = 1, carry_warps = 2>
// CHECK-SAME: h = #seq.gpu_kernel<linear_scan_sequential, vector_width = 4>
func.func @gpu_kernel_records() attributes {
    a = #seq.gpu_kernel<parallel_loop, coarsened_dim = 0, coarsened_factor = 4>,
    b = #seq.gpu_kernel<mma_contraction, mma_tile = [64, 16, 32], mma_warps = [4, 1], mma_terms = [3, 1], accumulators_from_zero = true>,
    c = #seq.gpu_kernel<weight_stationary_step, mma_warps = [2, 1, 2], units_per_block = 11, gate_products = mma_m16n8k16, state_terms = 3, weights_in = registers, gates_in = shared>,
    d = #seq.gpu_kernel<weight_stationary_step, units_per_block = 3, gate_products = fma, split_k = 2>,
    e = #seq.gpu_kernel<persistent_recurrence, cooperative = true>,
    f = #seq.gpu_kernel<grid_barrier_reset>,
    g = #seq.gpu_kernel<linear_scan_prefix_carry, vector_width = 1, carry_warps = 2>,
    h = #seq.gpu_kernel<linear_scan_sequential, vector_width = 4>} {
  return
}

// CHECK-LABEL: func.func @discardable_attributes
// CHECK: memref.alloca() {seq.workgroup}
// CHECK: scf.for
// CHECK: } {seq.coarsened, seq.jammed, seq.step_invariant}
// CHECK: } {seq.time_loop = #seq.form<sequential, variant = fused, state_terms = 2, units_per_block = 8>}
// CHECK: return {seq.gpu_kernel = #seq.gpu_kernel<grid_barrier_reset>, seq.kernel_prefix = "f_scan0", seq.tuned}
func.func @discardable_attributes() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloca() {seq.workgroup} : memref<4xf32>
  scf.for %i = %c0 to %c1 step %c1 {
    scf.for %j = %c0 to %c1 step %c1 {
    } {seq.coarsened, seq.jammed, seq.step_invariant}
  } {seq.time_loop = #seq.form<sequential, variant = fused, state_terms = 2, units_per_block = 8>}
  return {seq.gpu_kernel = #seq.gpu_kernel<grid_barrier_reset>, seq.kernel_prefix = "f_scan0", seq.tuned}
}

// A recurrence with an accumulator state (a backward recurrence's weight
// cotangent): not batch-led, with init.
// CHECK-LABEL: func.func @recurrence_accumulator
// CHECK: seq.recurrence ins(%{{.*}} : tensor<2x8x4xf32>) init(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>) attributes {accumulators = 1 : i64} -> (tensor<2x8x4xf32>) final(tensor<2x4xf32>, tensor<4x4xf32>)
func.func @recurrence_accumulator(%x: tensor<2x8x4xf32>, %h0: tensor<2x4xf32>, %a0: tensor<4x4xf32>)
    -> (tensor<2x8x4xf32>, tensor<4x4xf32>) {
  %ys, %h, %sum = seq.recurrence ins(%x : tensor<2x8x4xf32>) init(%h0, %a0 : tensor<2x4xf32>, tensor<4x4xf32>)
      attributes {accumulators = 1 : i64} -> (tensor<2x8x4xf32>) final (tensor<2x4xf32>, tensor<4x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %acc: tensor<4x4xf32>):
    seq.yield %s, %acc, %xt : tensor<2x4xf32>, tensor<4x4xf32>, tensor<2x4xf32>
  }
  return %ys, %sum : tensor<2x8x4xf32>, tensor<4x4xf32>
}

// The register block of a CPU contraction, on the contraction and on its
// microkernel's reduction loop.
// CHECK-LABEL: func.func @register_tiles
// CHECK: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 8, columns = 48, vector_width = 16>}
// CHECK: scf.for
// CHECK: } {seq.register_tile = #seq.register_tile<rows = 1, columns = 8, vector_width = 8>}
// CHECK: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 2>}
// CHECK: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 64>}
// CHECK: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 1, reduction_block = 128>}
// CHECK: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, packed_b = true>}
// packed_b = false is the default, not printed.
// CHECK: linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16>}
func.func @register_tiles(%a: memref<16x4xf32>, %b: memref<4x48xf32>, %c: memref<16x48xf32>, %w: memref<4x48xbf16>) {
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 8, columns = 48, vector_width = 16>}
      ins(%a, %b : memref<16x4xf32>, memref<4x48xf32>) outs(%c : memref<16x48xf32>)
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %k = %c0 to %c4 step %c1 {
  } {seq.register_tile = #seq.register_tile<rows = 1, columns = 8, vector_width = 8>}
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, bf16_terms = 2>}
      ins(%a, %w : memref<16x4xf32>, memref<4x48xbf16>) outs(%c : memref<16x48xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, reduction_block = 64>}
      ins(%a, %b : memref<16x4xf32>, memref<4x48xf32>) outs(%c : memref<16x48xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<reduction_block = 128, rows = 4, columns = 32, vector_width = 16, bf16_terms = 1>}
      ins(%a, %w : memref<16x4xf32>, memref<4x48xbf16>) outs(%c : memref<16x48xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, packed_b = true>}
      ins(%a, %b : memref<16x4xf32>, memref<4x48xf32>) outs(%c : memref<16x48xf32>)
  linalg.matmul {seq.register_tile = #seq.register_tile<rows = 4, columns = 32, vector_width = 16, packed_b = false>}
      ins(%a, %b : memref<16x4xf32>, memref<4x48xf32>) outs(%c : memref<16x48xf32>)
  return
}
