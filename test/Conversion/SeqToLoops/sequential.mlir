// The sequential form: one scf.for over time, iteration arguments for the
// states and the output sequences, each step parallel over the rest.
// RUN: seq-opt %s -seq-lower-forms -canonicalize -split-input-file | FileCheck %s

// Batch outermost, one sequence per thread (scf.forall): each streams
// through its own [T, D] block.
// CHECK-LABEL: func.func @linear_scan
// CHECK-SAME: (%[[A:.*]]: tensor<2x37x8xbf16>, %[[B:.*]]: tensor<2x37x8xbf16>)
// No init: the state starts at zero, in f32.
// CHECK:      %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x8xf32>)
// CHECK:      %[[BATCH:.*]]:2 = scf.forall (%[[N:.*]]) in (2) shared_outs(%[[HS:.*]] = %{{.*}}, %[[LASTS:.*]] = %{{.*}}) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
// CHECK-DAG:    %[[AN:.*]] = tensor.extract_slice %[[A]][%[[N]], 0, 0] [1, 37, 8] [1, 1, 1] : tensor<2x37x8xbf16> to tensor<37x8xbf16>
// CHECK-DAG:    %[[BN:.*]] = tensor.extract_slice %[[B]][%[[N]], 0, 0] [1, 37, 8] [1, 1, 1] : tensor<2x37x8xbf16> to tensor<37x8xbf16>
// The initial state is copied, so that the in-place update never writes
// into the caller's init.
// CHECK:        %[[H0:.*]] = linalg.copy
// CHECK:        %[[TIME:.*]]:2 = scf.for %[[T:.*]] = %c0 to %c37 step %c1 iter_args(%[[H:.*]] = %[[H0]], %[[OUT:.*]] = %{{.*}}) -> (tensor<8xf32>, tensor<37x8xf32>)
// CHECK-DAG:      %[[AT:.*]] = tensor.extract_slice %[[AN]][%[[T]], 0] [1, 8] [1, 1] : tensor<37x8xbf16> to tensor<8xbf16>
// CHECK-DAG:      %[[BT:.*]] = tensor.extract_slice %[[BN]][%[[T]], 0] [1, 8] [1, 1] : tensor<37x8xbf16> to tensor<8xbf16>
// h = a * h + b in f32, written to the state (in place) and the output
// slice in one loop.
// CHECK:          %[[NEXT:.*]]:2 = linalg.generic {{.*}} ins(%[[AT]], %[[BT]] : {{.*}}) outs(%[[H]], %{{.*}} : tensor<8xf32>, tensor<8xf32>)
// CHECK:            arith.extf
// CHECK:            arith.mulf
// CHECK:            arith.addf
// CHECK:          %[[W:.*]] = tensor.insert_slice %[[NEXT]]#1 into %[[OUT]][%[[T]], 0] [1, 8]
// CHECK:          scf.yield %[[NEXT]]#0, %[[W]]
// CHECK:        scf.forall.in_parallel
// CHECK-NEXT:     tensor.parallel_insert_slice %[[TIME]]#1 into %[[HS]][%[[N]], 0, 0] [1, 37, 8]
// CHECK-NEXT:     tensor.parallel_insert_slice %[[TIME]]#0 into %[[LASTS]][%[[N]], 0] [1, 8]
// CHECK:      return %[[BATCH]]#0, %[[BATCH]]#1
func.func @linear_scan(%a: tensor<2x37x8xbf16>, %b: tensor<2x37x8xbf16>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>) {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<sequential>}
      : (tensor<2x37x8xbf16>, tensor<2x37x8xbf16>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
  return %h, %last : tensor<2x37x8xf32>, tensor<2x8xf32>
}

// -----

// A reversed exclusive scan: out_t is written before the combine, at time
// index T - 1 - step; the combiner's ops are inlined into the generic.
// CHECK-LABEL: func.func @scan_reverse_exclusive
// CHECK:      scf.for %[[S:.*]] = %c0 to %c9 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}, %[[OUT:.*]] = %{{.*}})
// CHECK:        %[[T:.*]] = arith.subi %c8, %[[S]] : index
// CHECK:        %[[W:.*]] = tensor.insert_slice %[[ACC]] into %[[OUT]][0, %[[T]], 0]
// CHECK:        %[[XT:.*]] = tensor.extract_slice %{{.*}}[0, %[[T]], 0]
// CHECK:        %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[XT]] : tensor<2x4xf32>) outs(%[[ACC]] : tensor<2x4xf32>)
// CHECK-NEXT:   ^bb0(%[[RHS:.*]]: f32, %[[LHS:.*]]: f32):
// CHECK-NEXT:     %[[SUM:.*]] = arith.subf %[[LHS]], %[[RHS]] : f32
// CHECK-NEXT:     linalg.yield %[[SUM]] : f32
// CHECK:        scf.yield %[[NEXT]], %[[W]]
func.func @scan_reverse_exclusive(%x: tensor<2x9x4xf32>, %x0: tensor<2x4xf32>) -> (tensor<2x9x4xf32>, tensor<2x4xf32>) {
  %o, %f = seq.scan ins(%x : tensor<2x9x4xf32>) init(%x0 : tensor<2x4xf32>) reverse exclusive
      -> (tensor<2x9x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    %d = arith.subf %l, %r : f32
    seq.yield %d : f32
  }
  return %o, %f : tensor<2x9x4xf32>, tensor<2x4xf32>
}

// -----

// Without init the first element starts the scan: it is copied (never
// updated in place in the caller's input) and the loop starts at step 1.
// CHECK-LABEL: func.func @scan_no_init
// CHECK:      %[[FIRST:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0] [2, 1, 4]
// CHECK:      %[[COPY:.*]] = linalg.copy ins(%[[FIRST]] : tensor<2x4xf32>)
// CHECK:      scf.for %{{.*}} = %c1 to %c9 step %c1 iter_args(%{{.*}} = %[[COPY]], %{{.*}} = %{{.*}})
// CHECK:        arith.maximumf
func.func @scan_no_init(%x: tensor<2x9x4xf32>) -> (tensor<2x9x4xf32>, tensor<2x4xf32>) {
  %o, %f = seq.scan ins(%x : tensor<2x9x4xf32>) -> (tensor<2x9x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%l: f32, %r: f32):
    %m = arith.maximumf %l, %r : f32
    seq.yield %m : f32
  }
  return %o, %f : tensor<2x9x4xf32>, tensor<2x4xf32>
}

// -----

// The recurrence body is cloned into the loop with its block arguments
// bound to the step's slice, the carried state and the captured weight.
// CHECK-LABEL: func.func @recurrence
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x4xf32>, %[[W:.*]]: tensor<4x4xf32>)
// CHECK:      scf.for %[[T:.*]] = %c0 to %c5 step %c1 iter_args(%[[H:.*]] = %{{.*}}, %[[OUT:.*]] = %{{.*}})
// CHECK:        %[[XT:.*]] = tensor.extract_slice %[[X]][0, %[[T]], 0] [2, 1, 4]
// CHECK:        %[[HW:.*]] = linalg.matmul ins(%[[H]], %[[W]] : tensor<2x4xf32>, tensor<4x4xf32>)
// CHECK:        %[[PRE:.*]] = arith.addf %[[XT]], %[[HW]] : tensor<2x4xf32>
// CHECK:        %[[HN:.*]] = math.tanh %[[PRE]] : tensor<2x4xf32>
// CHECK:        %[[WR:.*]] = tensor.insert_slice %[[HN]] into %[[OUT]][0, %[[T]], 0]
// CHECK:        scf.yield %[[HN]], %[[WR]]
func.func @recurrence(%x: tensor<2x5x4xf32>, %w: tensor<4x4xf32>) -> (tensor<2x5x4xf32>, tensor<2x4xf32>) {
  %hs, %h = seq.recurrence ins(%x : tensor<2x5x4xf32>) weights(%w : tensor<4x4xf32>)
      -> (tensor<2x5x4xf32>) final (tensor<2x4xf32>) {
  ^bb0(%xt: tensor<2x4xf32>, %s: tensor<2x4xf32>, %wt: tensor<4x4xf32>):
    %zero = arith.constant dense<0.0> : tensor<2x4xf32>
    %hw = linalg.matmul ins(%s, %wt : tensor<2x4xf32>, tensor<4x4xf32>) outs(%zero : tensor<2x4xf32>) -> tensor<2x4xf32>
    %pre = arith.addf %xt, %hw : tensor<2x4xf32>
    %n = math.tanh %pre : tensor<2x4xf32>
    seq.yield %n, %n : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %hs, %h : tensor<2x5x4xf32>, tensor<2x4xf32>
}

// -----

// Linear attention with a scalar gate: S = exp(g) S + k v^T in place, then
// o = scale * S^T q as a reduction over dk.
// CHECK-DAG: #[[KMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[GMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @linear_attention
// CHECK:      %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK:      scf.for {{.*}} iter_args(%[[S:.*]] = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<1x2x16x8xf32>, tensor<1x6x2x8xf32>)
// CHECK:        %[[NEXT:.*]] = linalg.generic {indexing_maps = [#[[KMAP]], #{{.*}}, #[[GMAP]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} {{.*}} outs(%[[S]] : tensor<1x2x16x8xf32>)
// CHECK:          math.exp
// CHECK:        linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[NEXT]], %{{.*}} : tensor<1x2x16x8xf32>, tensor<1x2x16xf32>)
// CHECK:          arith.mulf %{{.*}}, %[[SCALE]]
func.func @linear_attention(%q: tensor<1x6x2x16xf32>, %v: tensor<1x6x2x8xf32>, %g: tensor<1x6x2xf32>) -> (tensor<1x6x2x8xf32>, tensor<1x2x16x8xf32>) {
  %o, %s = seq.linear_attention %q, %q, %v gate <scalar> %g
      : (tensor<1x6x2x16xf32>, tensor<1x6x2x16xf32>, tensor<1x6x2x8xf32>, tensor<1x6x2xf32>) -> (tensor<1x6x2x8xf32>, tensor<1x2x16x8xf32>)
  return %o, %s : tensor<1x6x2x8xf32>, tensor<1x2x16x8xf32>
}

// -----

// The delta rule: kS = k^T S (a reduction), then the rank-1 update.
// CHECK-LABEL: func.func @delta_rule
// CHECK:      scf.for {{.*}} iter_args(%[[S:.*]] = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK:        %[[KS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[S]] :
// CHECK:        linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %[[KS]], %{{.*}} : {{.*}}) outs(%[[S]] :
// CHECK:          arith.subf
func.func @delta_rule(%q: tensor<1x6x2x4xf32>, %beta: tensor<1x6x2xf32>) -> (tensor<1x6x2x4xf32>, tensor<1x2x4x4xf32>) {
  %o, %s = seq.delta_rule %q, %q, %q, %beta
      : (tensor<1x6x2x4xf32>, tensor<1x6x2x4xf32>, tensor<1x6x2x4xf32>, tensor<1x6x2xf32>) -> (tensor<1x6x2x4xf32>, tensor<1x2x4x4xf32>)
  return %o, %s : tensor<1x6x2x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Softmax attention with a cache of 3 steps: the cache is extended once,
// then each step masks keys beyond P + t with linalg.index.
// CHECK-LABEL: func.func @softmax_attention
// CHECK:      %[[K0:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 0] [1, 3, 2, 4]
// CHECK:      %[[KEYS:.*]] = tensor.insert_slice %{{.*}} into %[[K0]][0, 3, 0, 0] [1, 5, 2, 4]
// CHECK:      scf.for %[[T:[^ ]*]] =
// CHECK:        %[[LIMIT:.*]] = arith.addi %[[T]], %c3 : index
// The running max over the visible scores.
// CHECK:        arith.maximumf
// CHECK:        linalg.index 2 : index
// CHECK:        arith.cmpi ule, %{{.*}}, %[[LIMIT]] : index
// CHECK:        math.exp
// CHECK:      return %{{.*}}, %[[KEYS]], %{{.*}}
func.func @softmax_attention(%q: tensor<1x5x2x4xf32>, %kc: tensor<1x3x2x4xf32>) -> (tensor<1x5x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>) {
  %o, %k, %v = seq.softmax_attention %q, %q, %q init(%kc, %kc)
      : (tensor<1x5x2x4xf32>, tensor<1x5x2x4xf32>, tensor<1x5x2x4xf32>, tensor<1x3x2x4xf32>, tensor<1x3x2x4xf32>)
      -> (tensor<1x5x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return %o, %k, %v : tensor<1x5x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>
}

// -----

// Aaren: the (m, u, w) state starts at (-inf, 0, 0) and absorbs one key per
// step.
// CHECK-LABEL: func.func @learned_query
// CHECK:      %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:      linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<1x2xf32>)
// CHECK:      scf.for {{.*}} -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x4xf32>, tensor<1x5x2x4xf32>)
// CHECK:        arith.maximumf
// CHECK:        arith.divf
func.func @learned_query(%q: tensor<1x2x4xf32>, %k: tensor<1x5x2x4xf32>) -> tensor<1x5x2x4xf32> {
  %o, %m, %u, %w = seq.softmax_attention %q, %k, %k
      : (tensor<1x2x4xf32>, tensor<1x5x2x4xf32>, tensor<1x5x2x4xf32>)
      -> (tensor<1x5x2x4xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x4xf32>)
  return %o : tensor<1x5x2x4xf32>
}
