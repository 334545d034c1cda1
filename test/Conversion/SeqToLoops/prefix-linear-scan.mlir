// The prefix form of seq.linear_scan in rounds of `workers` chunks per
// sequence: T = 37 in chunks of 16 is 3 chunks, 2 rounds of 2 (the second
// round's second chunk empty: its bounds clamp to [37, 37)). Each round:
// (1) every sequence's round chunks at once (scf.forall over B x workers),
// each reduced from its bounds to its decay product (flushed below the
// smallest normal) and its scan from zero; (2) the carries chained from the
// state entering the round; (3) every chunk scanned again from its carry,
// writing its [1, length, 8] steps of h.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @rounds
// CHECK-SAME:  (%[[A:.*]]: tensor<2x37x8xbf16>, %[[B:.*]]: tensor<2x37x8xbf16>, %[[H0:.*]]: tensor<2x8xf32>)
// CHECK:       %[[ROUNDS:.*]]:2 = scf.for %[[R:.*]] = %c0 to %c2 step %c1 iter_args(%[[STATE:.*]] = %[[H0]], %[[H:.*]] = %{{.*}}) -> (tensor<2x8xf32>, tensor<2x37x8xf32>)
// CHECK:         %[[AGG:.*]]:2 = scf.forall (%[[N:.*]], %[[J:.*]]) in (2, 2) shared_outs(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<2x2x8xf32>, tensor<2x2x8xf32>)
// CHECK:           %[[FIRST:.*]] = arith.muli %[[R]], %c2
// CHECK:           %[[CHUNK:.*]] = arith.addi %[[FIRST]], %[[J]]
// CHECK:           %[[S0:.*]] = arith.muli %[[CHUNK]], %c16
// CHECK:           %[[START:.*]] = arith.minsi %[[S0]], %c37
// CHECK:           %[[E0:.*]] = arith.addi %[[START]], %c16
// CHECK:           %[[END:.*]] = arith.minsi %[[E0]], %c37
// CHECK:           scf.for %{{.*}} = %[[START]] to %[[END]] step %c1 iter_args(
// CHECK:             linalg.generic
// CHECK:               arith.mulf
// CHECK:               math.absf
// CHECK:               arith.cmpf olt, %{{.*}}, %cst{{.*}} : f32
// CHECK:               arith.select
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[N]], %[[J]], 0] [1, 1, 8]
// CHECK-NEXT:        tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[N]], %[[J]], 0] [1, 1, 8]
// CHECK:         %[[CHAIN:.*]]:2 = scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%{{.*}} = %[[STATE]], %{{.*}} = %{{.*}}) -> (tensor<2x8xf32>, tensor<2x2x8xf32>)
// CHECK:           tensor.insert_slice
// CHECK:           linalg.generic
// CHECK:         %[[SCANNED:.*]] = scf.forall (%[[N2:.*]], %[[J2:.*]]) in (2, 2) shared_outs(%[[OUT:.*]] = %[[H]]) -> (tensor<2x37x8xf32>)
// CHECK:           %[[LENGTH:.*]] = arith.subi
// CHECK:           %[[CARRIES:.*]] = tensor.extract_slice %[[CHAIN]]#1[%[[N2]], 0, 0] [1, 2, 8]
// CHECK:           %[[CARRY:.*]] = tensor.extract_slice %[[CARRIES]][%[[J2]], 0] [1, 8]
// CHECK:           %[[STEPS:.*]] = tensor.extract_slice %[[OUT]][%[[N2]], %{{.*}}, 0] [1, %[[LENGTH]], 8] [1, 1, 1] : tensor<2x37x8xf32> to tensor<?x8xf32>
// CHECK:           %[[SCAN:.*]]:2 = scf.for %{{.*}} = %c0 to %[[LENGTH]] step %c1 iter_args(%{{.*}} = %[[CARRY]], %{{.*}} = %[[STEPS]])
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice %[[SCAN]]#1 into %[[OUT]][%[[N2]], %{{.*}}, 0] [1, %[[LENGTH]], 8]
// CHECK:         scf.yield %[[CHAIN]]#0, %[[SCANNED]]
// CHECK:       return %[[ROUNDS]]#1, %[[ROUNDS]]#0
func.func @rounds(%a: tensor<2x37x8xbf16>, %b: tensor<2x37x8xbf16>, %h0: tensor<2x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>) {
  %h, %last = seq.linear_scan %a, %b init %h0 {form = #seq.form<prefix, chunk_size = 16, workers = 2>}
      : (tensor<2x37x8xbf16>, tensor<2x37x8xbf16>, tensor<2x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
  return %h, %last : tensor<2x37x8xf32>, tensor<2x8xf32>
}

// Without `workers`, every chunk in one round (the round loop folds away):
// the forall spans all 3 chunks of each sequence.
// CHECK-LABEL: func.func @one_round
// CHECK-NOT:   scf.for %{{.*}} = %c0 to %c1
// CHECK:       scf.forall (%{{.*}}, %{{.*}}) in (2, 3)
// CHECK:       scf.forall (%{{.*}}, %{{.*}}) in (2, 3)
func.func @one_round(%a: tensor<2x37x8xf32>, %b: tensor<2x37x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>) {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<prefix, chunk_size = 16>}
      : (tensor<2x37x8xf32>, tensor<2x37x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
  return %h, %last : tensor<2x37x8xf32>, tensor<2x8xf32>
}
