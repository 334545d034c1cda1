// seqnn-expand with a dynamic batch and time: the classic RNN layers expand
// to a seq.recurrence over [?, ?, G, H, Dh] whose sizes come from the input
// (tensor.dim), with the B*T projection split back by an expand_shape with
// explicit sizes; the cell's step reads its batch off its state. The result
// lowers through the whole CPU pipeline, and through the GPU pipeline
// (which crashed in LLVM 22's expand-strided-metadata before
// seq-contiguous-dynamic-expands ran there too: found by the compile fuzzer).
// RUN: seq-opt %s -seqnn-expand -canonicalize | FileCheck %s
// RUN: seq-opt %s --seqc-cpu-pipeline -o /dev/null
// RUN: seq-opt %s '--seqc-gpu-pipeline=target=sm_90' -o /dev/null

// CHECK-LABEL: func.func @lstm_dynamic
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x?x32xf32>
// CHECK-DAG: %[[B:.*]] = tensor.dim %[[X]], %c0
// CHECK-DAG: %[[T:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x?x32xf32> into tensor<?x32xf32>
// CHECK: linalg.matmul ins(%[[ROWS]], %{{.*}} : tensor<?x32xf32>, tensor<32x256xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [%[[B]], %[[T]], 256] : tensor<?x256xf32> into tensor<?x?x256xf32>
// CHECK: seq.recurrence ins(%{{.*}} : tensor<?x?x4x1x64xf32>) init(%{{.*}}, %{{.*}} : tensor<?x1x64xf32>, tensor<?x1x64xf32>)
// CHECK-SAME: -> (tensor<?x?x1x64xf32>) final(tensor<?x1x64xf32>, tensor<?x1x64xf32>)
// CHECK: ^bb0(%{{.*}}: tensor<?x4x1x64xf32>, %[[H:[^:]*]]: tensor<?x1x64xf32>
// CHECK: %[[STEP_B:.*]] = tensor.dim %[[H]], %c0
// CHECK: tensor.empty(%[[STEP_B]]) : tensor<1x?x64xf32>
// CHECK: linalg.batch_matmul
// CHECK-NOT: seqnn.
func.func @lstm_dynamic(%x: tensor<?x?x32xf32>, %w: tensor<32x256xf32>, %r: tensor<1x64x256xf32>,
                        %h0: tensor<?x64xf32>, %c0: tensor<?x64xf32>)
    -> (tensor<?x?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  %y, %h, %c = seqnn.lstm %x, %w, %r init(%h0, %c0)
      : (tensor<?x?x32xf32>, tensor<32x256xf32>, tensor<1x64x256xf32>, tensor<?x64xf32>, tensor<?x64xf32>)
      -> (tensor<?x?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>)
  return %y, %h, %c : tensor<?x?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}

// Without initial states the zeros are sized by the input's batch.
// CHECK-LABEL: func.func @gru_dynamic_no_init
// CHECK: %[[B2:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x?x16xf32>
// CHECK: tensor.empty(%[[B2]]) : tensor<?x1x32xf32>
// CHECK: seq.recurrence
func.func @gru_dynamic_no_init(%x: tensor<?x?x16xf32>, %w: tensor<16x96xf32>, %r: tensor<1x32x96xf32>)
    -> (tensor<?x?x32xf32>, tensor<?x32xf32>) {
  %y, %h = seqnn.gru %x, %w, %r
      : (tensor<?x?x16xf32>, tensor<16x96xf32>, tensor<1x32x96xf32>)
      -> (tensor<?x?x32xf32>, tensor<?x32xf32>)
  return %y, %h : tensor<?x?x32xf32>, tensor<?x32xf32>
}

// A matrix-state layer: GLA's projections, gate and linear attention over
// [?, ?, H, d], its state [?, H, dk, dv].
// CHECK-LABEL: func.func @gla_dynamic
// CHECK: seq.linear_attention {{.*}} gate <vector> {{.*}} : (tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>) -> (tensor<?x?x2x8xf32>, tensor<?x2x8x8xf32>)
// CHECK-NOT: seqnn.
func.func @gla_dynamic(%x: tensor<?x?x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x16xf32>,
                       %wv: tensor<16x16xf32>, %wd: tensor<16x4xf32>, %wu: tensor<4x16xf32>,
                       %gb: tensor<16xf32>, %wo: tensor<16x16xf32>)
    -> (tensor<?x?x16xf32>, tensor<?x2x8x8xf32>) {
  %y, %s = seqnn.gla %x, %wq, %wk, %wv, %wd, %wu, %gb, %wo {heads = 2}
      : (tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
         tensor<16x4xf32>, tensor<4x16xf32>, tensor<16xf32>, tensor<16x16xf32>)
      -> (tensor<?x?x16xf32>, tensor<?x2x8x8xf32>)
  return %y, %s : tensor<?x?x16xf32>, tensor<?x2x8x8xf32>
}
