//===- SeqDialect.td - the seq dialect definition ----------*- tablegen -*-===//
#ifndef SEQ_DIALECT_TD
#define SEQ_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Seq_Dialect : Dialect {
  let name = "seq";
  let cppNamespace = "::seqc::seq";
  let summary = "Sequence primitives: scans, recurrences and chunked attention";
  let description = [{
    The `seq` dialect holds the primitives every recurrent sequence layer
    reduces to: a generic associative scan, the diagonal linear recurrence, a
    general (possibly nonlinear) recurrence, and the matrix-state family of
    linear attention, the delta rule and causal softmax attention.

    Layout convention: batch first, time second. Channel-wise operands are
    `[B, T, ...]`; multi-head operands are `[B, T, H, D]`. Every op takes an
    optional initial state and returns its final state, so that a long
    sequence can be processed in pieces and decoding can run step by step.

    How an op is computed (sequential, parallel prefix, chunkwise or the
    quadratic parallel form) is recorded in the optional `form` attribute
    (`#seq.form<...>`), written by `seq-select-form` or by hand and read by
    the lowering.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  // Attributes the seq pipeline sets on ops of other dialects. Typed, named
  // here once, verified by SeqDialect::verifyOperationAttribute; C++ reads
  // and writes them through the helpers of dialects/Seq/IR/SeqDialect.h.
  let discardableAttrs = (ins
    // On every gpu.launch the pipeline builds: the kernel's strategy.
    "::seqc::seq::GpuKernelAttr":$gpu_kernel,
    // On a seq op with hand-written GPU kernels: the name its kernels start
    // with, "<func>_scan<k>" (set by seq-lower-to-gpu-kernels).
    "::mlir::StringAttr":$kernel_prefix,
    // On a recurrence's sequential time loop (scf.for): the op's form, so
    // that the GPU passes see its variant, state terms and step tiling.
    "::seqc::seq::FormAttr":$time_loop,
    // On a memref.alloca in a gpu.launch built before bufferization: the
    // block's shared memory.
    "::mlir::UnitAttr":$workgroup,
    // On an op directly in a gpu.launch body that may run once before the
    // time loop (it reads nothing the loop writes).
    "::mlir::UnitAttr":$step_invariant,
    // On the per-thread loop of a coarsened parallel loop, and on the
    // loops seq-promote-kernel-accumulators jams into.
    "::mlir::UnitAttr":$coarsened,
    "::mlir::UnitAttr":$jammed,
    // On a seq op whose form came from the tuning database.
    "::mlir::UnitAttr":$tuned,
    // On a seq.recurrence: its backward keeps the state before every K-th
    // step only (1: every step), set by seq-differentiate's checkpoint
    // plan under a memory budget or by hand.
    "::mlir::IntegerAttr":$checkpoint_every,
    // On a seq.recurrence of a forward-with-residuals function: its last N
    // outputs are the recurrent products of every step, kept for its
    // backward (which then does not multiply them again).
    "::mlir::IntegerAttr":$kept_products,
    // On a CPU contraction (linalg.matmul, linalg.batch_matmul on buffers)
    // and on the reduction loop of the microkernel built from it.
    "::seqc::seq::RegisterTileAttr":$register_tile
  );
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

class Seq_Op<string mnemonic, list<Trait> traits = []>
    : Op<Seq_Dialect, mnemonic, traits>;

class Seq_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Seq_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // SEQ_DIALECT_TD
