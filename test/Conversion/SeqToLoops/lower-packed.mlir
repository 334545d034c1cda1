// seq-lower-packed: a packed batch becomes a check of its offsets (an
// error call when they are invalid) and a loop over its sequences that
// slices each sequence's steps and state row, runs the body on them and
// writes the results back; the whole lowers through the CPU pipeline.
// RUN: seq-opt %s -seq-lower-packed -canonicalize | FileCheck %s
// RUN: seq-opt %s --seqc-cpu-pipeline -o /dev/null

// CHECK: func.func private @seqc_invalid_packed_offsets()
// CHECK-LABEL: func.func @scan
// CHECK-SAME: (%[[CU:[^:]*]]: tensor<?xi64>, %[[A:[^:]*]]: tensor<1x?x4xf32>, %[[X:[^:]*]]: tensor<1x?x4xf32>, %[[H0:[^:]*]]: tensor<?x4xf32>)
// CHECK: %[[TOTAL:.*]] = tensor.dim %[[A]], %c1
// CHECK: %[[ENTRIES:.*]] = tensor.dim %[[CU]], %c0
// CHECK: %[[N:.*]] = arith.maxsi
// The check: offsets[0] == 0, offsets[N] == total, one state row per
// sequence, strictly increasing.
// CHECK: %[[VALID:.*]] = scf.if
// CHECK:   arith.cmpi eq, %{{.*}}, %c0
// CHECK:   arith.cmpi eq, %{{.*}}, %[[TOTAL]]
// CHECK:   scf.for
// CHECK:     arith.cmpi slt
// CHECK: %[[INVALID:.*]] = arith.xori %[[VALID]], %true
// CHECK: scf.if %[[INVALID]] {
// CHECK-NEXT: func.call @seqc_invalid_packed_offsets()
// The loop over sequences: slices clamped into the buffers.
// CHECK: scf.for %[[SEQ:.*]] = %c0 to %[[N]] step %c1 iter_args(%[[Y:.*]] = %{{.*}}, %[[H:.*]] = %{{.*}})
// CHECK:   %[[START:.*]] = arith.minsi
// CHECK:   %[[END:.*]] = arith.minsi %{{.*}}, %[[TOTAL]]
// CHECK:   %[[LEN:.*]] = arith.subi %[[END]], %[[START]]
// CHECK:   %[[AS:.*]] = tensor.extract_slice %[[A]][0, %[[START]], 0] [1, %[[LEN]], 4]
// CHECK:   %[[XS:.*]] = tensor.extract_slice %[[X]][0, %[[START]], 0] [1, %[[LEN]], 4]
// CHECK:   %[[HS:.*]] = tensor.extract_slice %[[H0]][%[[SEQ]], 0] [1, 4]
// CHECK:   %[[YS:.*]], %[[HN:.*]] = seq.linear_scan %[[AS]], %[[XS]] init %[[HS]]
// CHECK:   tensor.insert_slice %[[YS]] into %[[Y]][0, %[[START]], 0] [1, %[[LEN]], 4]
// CHECK:   tensor.insert_slice %[[HN]] into %[[H]][%[[SEQ]], 0] [1, 4]
// CHECK-NOT: seq.packed
func.func @scan(%cu: tensor<?xi64>, %a: tensor<1x?x4xf32>, %x: tensor<1x?x4xf32>, %h0: tensor<?x4xf32>)
    -> (tensor<1x?x4xf32>, tensor<?x4xf32>) {
  %y, %h = seq.packed offsets(%cu : tensor<?xi64>)
      ins(%a, %x : tensor<1x?x4xf32>, tensor<1x?x4xf32>) init(%h0 : tensor<?x4xf32>)
      -> (tensor<1x?x4xf32>) final (tensor<?x4xf32>) {
  ^bb0(%as: tensor<1x?x4xf32>, %xs: tensor<1x?x4xf32>, %hs: tensor<1x4xf32>):
    %ys, %hn = seq.linear_scan %as, %xs init %hs
        : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<1x4xf32>) -> (tensor<1x?x4xf32>, tensor<1x4xf32>)
    seq.yield %ys, %hn : tensor<1x?x4xf32>, tensor<1x4xf32>
  }
  return %y, %h : tensor<1x?x4xf32>, tensor<?x4xf32>
}
