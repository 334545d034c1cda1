//===- Passes.td - seqnn passes ----------------------------*- tablegen -*-===//
#ifndef SEQNN_TRANSFORMS_PASSES_TD
#define SEQNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqNNExpand : Pass<"seqnn-expand"> {
  let summary = "Expand seqnn layers into seq primitives with explicit cells";
  let description = [{
    Rewrites every seqnn layer into seq primitives, upstream linalg/tensor
    ops and elementwise arithmetic. Every input projection (x W of the
    classic RNNs, the q/k/v/gate projections of the attention family,
    Mamba's dt/B/C projections) is hoisted out of the recurrence as one
    matmul over all B*T steps. The cells of the classic RNNs become the body
    of a seq.recurrence with the block-diagonal recurrent matrix captured as
    a weight; diagonal SSMs become seq.linear_scan; the attention family
    becomes seq.linear_attention, seq.delta_rule or seq.softmax_attention.
    Arithmetic is f32 whatever the input precision.
  }];
  let dependentDialects = [
    "::seqc::seq::SeqDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect"
  ];
}

#endif // SEQNN_TRANSFORMS_PASSES_TD
