// seqnn-split-batch: a layer with a static batch becomes an scf.forall
// over pieces of its batch (the largest count up to `pieces` that divides
// it), each the same layer on its rows of the input and of the initial
// states, written into its rows of every result; the weights are shared.
// A dynamic batch gets the split and the whole layer, chosen at run time.
// A batch of 1 and layers in a packed batch stay.
// RUN: seq-opt %s --seqnn-split-batch=pieces=4 -split-input-file | FileCheck %s
// RUN: seq-opt %s --seqnn-split-batch=pieces=1 -split-input-file | FileCheck %s --check-prefix=ONE
// RUN: seq-opt %s --seqnn-split-batch="pieces=4 cache-bytes=1024" -split-input-file | FileCheck %s --check-prefix=CACHE
// RUN: not seq-opt %s --seqnn-split-batch=pieces=-1 -split-input-file 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// CHECK-LABEL: func.func @lstm
// CHECK:         %[[Y:.*]] = tensor.empty() : tensor<6x5x8xf32>
// CHECK:         %[[H:.*]] = tensor.empty() : tensor<6x8xf32>
// CHECK:         %[[C:.*]] = tensor.empty() : tensor<6x8xf32>
// CHECK:         scf.forall (%[[P:.*]]) in (3) shared_outs(%[[OY:.*]] = %[[Y]], %[[OH:.*]] = %[[H]], %[[OC:.*]] = %[[C]])
// CHECK:           %[[FIRST:.*]] = arith.muli %[[P]], %c2
// CHECK:           %[[X:.*]] = tensor.extract_slice %arg0[%[[FIRST]], 0, 0] [2, 5, 4] [1, 1, 1]
// CHECK:           %[[H0:.*]] = tensor.extract_slice %arg5[%[[FIRST]], 0] [2, 8] [1, 1]
// CHECK:           %[[C0:.*]] = tensor.extract_slice %arg6[%[[FIRST]], 0] [2, 8] [1, 1]
// CHECK:           seqnn.lstm %[[X]], %arg1, %arg2 bias %arg3 recurrent_bias %arg4 init(%[[H0]], %[[C0]]) {{.*}} -> (tensor<2x5x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice {{.*}} into %[[OY]][%[[FIRST]], 0, 0] [2, 5, 8] [1, 1, 1]
// CHECK-NEXT:        tensor.parallel_insert_slice {{.*}} into %[[OH]][%[[FIRST]], 0] [2, 8] [1, 1]
// CHECK-NEXT:        tensor.parallel_insert_slice {{.*}} into %[[OC]][%[[FIRST]], 0] [2, 8] [1, 1]
// ONE-LABEL:   func.func @lstm
// ONE-NOT:       scf.forall
// With at most 1 KiB of weights per piece, the LSTM's 1 KiB R (and W of
// 512 bytes) fit: split.
// CACHE-LABEL: func.func @lstm
// CACHE:         scf.forall
func.func @lstm(%x: tensor<6x5x4xf32>, %w: tensor<4x32xf32>, %r: tensor<1x8x32xf32>, %b: tensor<32xf32>, %rb: tensor<32xf32>, %h0: tensor<6x8xf32>, %c0: tensor<6x8xf32>)
    -> (tensor<6x5x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %b recurrent_bias %rb init(%h0, %c0)
      : (tensor<6x5x4xf32>, tensor<4x32xf32>, tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<6x8xf32>, tensor<6x8xf32>)
      -> (tensor<6x5x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>)
  return %y, %h, %c : tensor<6x5x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>
}

// -----

// A layer without initial states: only its input is sliced. Its 256-byte
// weights fit any cache bound here.
// CACHE-LABEL: func.func @gla
// CACHE:         scf.forall
// CHECK-LABEL: func.func @gla
// CHECK:         scf.forall (%{{.*}}) in (4)
// CHECK:           tensor.extract_slice %arg0[%{{.*}}, 0, 0] [1, 3, 8] [1, 1, 1]
// CHECK-NOT:       tensor.extract_slice
// CHECK:           seqnn.gla
func.func @gla(%x: tensor<4x3x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wgd: tensor<8x2xf32>, %wgu: tensor<2x8xf32>, %gb: tensor<8xf32>, %wo: tensor<8x8xf32>)
    -> (tensor<4x3x8xf32>, tensor<4x2x4x4xf32>) {
  %y, %s = seqnn.gla %x, %wq, %wk, %wv, %wgd, %wgu, %gb, %wo {heads = 2}
      : (tensor<4x3x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x2xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>)
      -> (tensor<4x3x8xf32>, tensor<4x2x4x4xf32>)
  return %y, %s : tensor<4x3x8xf32>, tensor<4x2x4x4xf32>
}

// -----

// With at most 1 KiB per piece, a 1600-byte R stays whole.
// CHECK-LABEL: func.func @large_weights
// CHECK:         scf.forall
// CACHE-LABEL: func.func @large_weights
// CACHE-NOT:     scf.forall
// CACHE:         seqnn.elman
func.func @large_weights(%x: tensor<2x5x4xf32>, %w: tensor<4x20xf32>, %r: tensor<1x20x20xf32>)
    -> tensor<2x5x20xf32> {
  %y, %h = seqnn.elman %x, %w, %r : (tensor<2x5x4xf32>, tensor<4x20xf32>, tensor<1x20x20xf32>) -> (tensor<2x5x20xf32>, tensor<2x20xf32>)
  return %y : tensor<2x5x20xf32>
}

// -----

// CHECK-LABEL: func.func @unsplit
// CHECK-NOT:     scf.forall
// CHECK:         return
func.func @unsplit(%x1: tensor<1x5x4xf32>, %w: tensor<4x8xf32>, %r: tensor<1x8x8xf32>)
    -> tensor<1x5x8xf32> {
  %y1, %h1 = seqnn.elman %x1, %w, %r : (tensor<1x5x4xf32>, tensor<4x8xf32>, tensor<1x8x8xf32>) -> (tensor<1x5x8xf32>, tensor<1x8xf32>)
  return %y1 : tensor<1x5x8xf32>
}

// -----

// A dynamic batch (and length): both versions, chosen at run time. With at
// least 4 rows, 4 pieces of rows [p B / 4, (p + 1) B / 4) (sizes differing
// by one at most, none empty), the results' length from the input's;
// fewer rows (a decoding batch of 1), the layer whole.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK:         %[[B:.*]] = tensor.dim %arg0, %c0
// CHECK:         %[[T:.*]] = tensor.dim %arg0, %c1
// CHECK:         %[[Y:.*]] = tensor.empty(%[[B]], %[[T]]) : tensor<?x?x8xf32>
// CHECK:         %[[H:.*]] = tensor.empty(%[[B]]) : tensor<?x8xf32>
// CHECK:         %[[ENOUGH:.*]] = arith.cmpi sge, %[[B]], %c4
// CHECK:         %[[R:.*]]:2 = scf.if %[[ENOUGH]]
// CHECK:           scf.forall (%[[P:.*]]) in (4) shared_outs(%[[OY:.*]] = %[[Y]], %[[OH:.*]] = %[[H]])
// CHECK:             %[[PB:.*]] = arith.muli %[[P]], %[[B]]
// CHECK:             %[[FIRST:.*]] = arith.divui %[[PB]], %c4
// CHECK:             %[[NEXTP:.*]] = arith.addi %[[P]], %c1
// CHECK:             %[[NB:.*]] = arith.muli %[[NEXTP]], %[[B]]
// CHECK:             %[[NEXT:.*]] = arith.divui %[[NB]], %c4
// CHECK:             %[[ROWS:.*]] = arith.subi %[[NEXT]], %[[FIRST]]
// CHECK:             %[[XT:.*]] = tensor.dim %arg0, %c1
// CHECK:             %[[X:.*]] = tensor.extract_slice %arg0[%[[FIRST]], 0, 0] [%[[ROWS]], %[[XT]], 4] [1, 1, 1]
// CHECK:             seqnn.elman %[[X]], %arg1, %arg2 : (tensor<?x?x4xf32>
// CHECK:             scf.forall.in_parallel
// CHECK-NEXT:          tensor.parallel_insert_slice {{.*}} into %[[OY]][%[[FIRST]], 0, 0] [%[[ROWS]], %{{.*}}, 8] [1, 1, 1]
// CHECK-NEXT:          tensor.parallel_insert_slice {{.*}} into %[[OH]][%[[FIRST]], 0] [%[[ROWS]], 8] [1, 1]
// CHECK:         } else {
// CHECK-NEXT:      %[[WY:.*]], %[[WH:.*]] = seqnn.elman %arg0, %arg1, %arg2 : (tensor<?x?x4xf32>
// CHECK-NEXT:      scf.yield %[[WY]], %[[WH]]
// CHECK:         return %[[R]]#0
// ONE-LABEL:   func.func @dynamic_batch
// ONE-NOT:       scf.if
// ONE-NOT:       scf.forall
func.func @dynamic_batch(%x: tensor<?x?x4xf32>, %w: tensor<4x8xf32>, %r: tensor<1x8x8xf32>)
    -> tensor<?x?x8xf32> {
  %y, %h = seqnn.elman %x, %w, %r : (tensor<?x?x4xf32>, tensor<4x8xf32>, tensor<1x8x8xf32>) -> (tensor<?x?x8xf32>, tensor<?x8xf32>)
  return %y : tensor<?x?x8xf32>
}

// NEGATIVE: seqnn-split-batch: pieces must be 0 or more, got -1
