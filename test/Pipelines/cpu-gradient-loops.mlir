// The loops stage of the CPU pipeline on an LSTM's backward function: the
// backward recurrence is a time loop, and R^T (what each step's dh = dG R^T
// needs) is transposed once before it (loop-invariant code motion), not in
// every step; the weight cotangent dR is one batch_matmul over all steps
// after the loop.
// RUN: seq-opt %S/../Models/Inputs/lstm-small.mlir -seqnn-expand -seq-differentiate '--seqc-cpu-pipeline=stop=loops' | FileCheck %s

// CHECK-LABEL: func.func @lstm_bwd(
// CHECK-SAME: %{{[^:]*}}: tensor<2x7x3xf32>, %{{[^:]*}}: tensor<3x20xf32>, %[[R:[^:]*]]: tensor<1x5x20xf32>
// CHECK: %[[RT:.*]] = linalg.transpose ins(%[[R]] : tensor<1x5x20xf32>) outs(%{{.*}} : tensor<1x20x5xf32>) permutation = [0, 2, 1]
// CHECK: scf.for
// CHECK-NOT: linalg.transpose ins(%[[R]]
// CHECK: linalg.batch_matmul ins(%{{.*}}, %[[RT]] : tensor<1x2x20xf32>, tensor<1x20x5xf32>)
// CHECK: scf.yield
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x5x14xf32>, tensor<1x14x20xf32>)
