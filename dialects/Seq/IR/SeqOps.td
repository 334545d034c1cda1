//===- SeqOps.td - the seq primitives ----------------------*- tablegen -*-===//
#ifndef SEQ_OPS_TD
#define SEQ_OPS_TD

include "dialects/Seq/IR/SeqDialect.td"
include "dialects/Seq/IR/SeqAttrs.td"
include "dialects/Seq/IR/SeqInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Seq_FloatElement : AnyTypeOf<[F32, F16, BF16]>;

// A sequence laid out batch first, time second: [B, T, ...].
def Seq_Sequence : Type<
    And<[AnyRankedTensor.predicate,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() >= 2">]>,
    "ranked tensor of rank >= 2 laid out [B, T, ...]",
    "::mlir::RankedTensorType">;

// Operands of linear_scan: real floats, or complex<f32> for complex
// diagonal state-space models (LRU, S4D).
def Seq_ScanSequence : Type<
    And<[RankedTensorOf<[F32, F16, BF16, Complex<F32>]>.predicate,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() >= 2">]>,
    "ranked tensor of f32/f16/bf16/complex<f32> values, rank >= 2, laid out "
    "[B, T, ...]", "::mlir::RankedTensorType">;
def Seq_ScanState : RankedTensorOf<[F32, F16, BF16, Complex<F32>]>;

// Multi-head per-step operands: [B, T, H, D].
def Seq_HeadSequence : TensorRankOf<[F32, F16, BF16], [4]>;
// Per-head, per-step scalars (gates, betas): [B, T, H].
def Seq_HeadScalars : TensorRankOf<[F32, F16, BF16], [3]>;
// The matrix state of the attention family: [B, H, dk, dv].
def Seq_MatrixState : TensorRankOf<[F32, F16, BF16], [4]>;
def Seq_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;

def Seq_PositiveF64Attr : ConfinedAttr<F64Attr, [
    AttrConstraint<CPred<"::std::isfinite(::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble()) && ::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() > 0.0">,
                   "whose value is finite and positive">]>;

//===----------------------------------------------------------------------===//
// seq.scan
//===----------------------------------------------------------------------===//

def Seq_ScanOp : Seq_Op<"scan", [
    AttrSizedOperandSegments, AttrSizedResultSegments, IsolatedFromAbove,
    RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<Seq_FormOpInterface>]> {
  let summary = "generic associative scan along the time dimension";
  let description = [{
    Scans N sequences `[B, T, ...]` (all the same shape) along the time
    dimension with an associative combiner. The combiner region takes the
    scalars `(lhs_0, ..., lhs_{N-1}, rhs_0, ..., rhs_{N-1})` where `lhs` is
    the aggregate of the earlier elements, and yields the N combined scalars.

    Semantics with `x_t` the tuple of inputs at step t and `o` the combiner:

    - inclusive (default): `out_t = init o x_0 o ... o x_t`
    - `exclusive`: `out_t = init o x_0 o ... o x_{t-1}`, `out_0 = init`;
      an exclusive scan needs `init` (the identity when nothing precedes).
    - `reverse`: the same on the time-reversed sequence, i.e.
      `out_t = init o x_{T-1} o ... o x_t` (inclusive).

    Without `init` the first element starts the scan. The final states are
    the aggregate of the whole sequence, including `init`, shaped like the
    inputs without the time dimension. The combiner must be associative; the
    prefix and chunkwise forms rely on it.

    Example (a running maximum with its argument count):
    ```mlir
    %out, %final = seq.scan ins(%x : tensor<2x16x8xf32>)
        -> (tensor<2x16x8xf32>) final (tensor<2x8xf32>) {
    ^bb0(%lhs: f32, %rhs: f32):
      %m = arith.maximumf %lhs, %rhs : f32
      seq.yield %m : f32
    }
    ```
  }];
  let arguments = (ins
    Variadic<Seq_Sequence>:$inputs,
    Variadic<AnyRankedTensor>:$init,
    UnitAttr:$reverse,
    UnitAttr:$exclusive,
    OptionalAttr<Seq_FormAttr>:$form);
  let results = (outs
    Variadic<Seq_Sequence>:$outputs,
    Variadic<AnyRankedTensor>:$final_states);
  let regions = (region SizedRegion<1>:$combiner);
  let assemblyFormat = [{
    `ins` `(` $inputs `:` type($inputs) `)`
    (`init` `(` custom<OperandsAfterKeyword>($init)^ `:` type($init) `)`)?
    (`reverse` $reverse^)? (`exclusive` $exclusive^)?
    attr-dict-with-keyword
    `->` `(` type($outputs) `)` `final` `(` type($final_states) `)`
    $combiner
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// seq.linear_scan
//===----------------------------------------------------------------------===//

def Seq_LinearScanOp : Seq_Op<"linear_scan", [
    Pure, DeclareOpInterfaceMethods<Seq_FormOpInterface>]> {
  let summary = "diagonal linear recurrence h_t = a_t * h_{t-1} + b_t";
  let description = [{
    The elementwise linear recurrence `h_t = a_t * h_{t-1} + b_t` along the
    time dimension of `a` and `b` (`[B, T, ...]`, the same shape; trailing
    dims are independent channels, e.g. Mamba's `[B, T, D, N]`). `h_{-1}` is
    `init` (`[B, ...]`), or zero when absent. Returns every state `h`
    (`[B, T, ...]`) and the final state `h_{T-1}` (`[B, ...]`); for T = 0 the
    final state is `init`.

    As a scan, the element is `(a, b)` with
    `(a1, b1) o (a2, b2) = (a2 * a1, a2 * b1 + b2)` (earlier on the left) and
    identity `(1, 0)`. This covers LRU, the recurrent mode of S4D, Mamba's S6,
    HGRN, RG-LRU and minGRU. `a` may be negative (state tracking with
    negative eigenvalues); complex `a`, `b` (`complex<f32>`) express complex
    diagonal SSMs.

    The state (`h`, `init`, final) has the input element type or, to
    accumulate low-precision inputs exactly, f32.

    ```mlir
    %h, %last = seq.linear_scan %a, %b init %h0
        : (tensor<4x128x64xbf16>, tensor<4x128x64xbf16>, tensor<4x64xf32>)
        -> (tensor<4x128x64xf32>, tensor<4x64xf32>)
    ```
  }];
  let arguments = (ins
    Seq_ScanSequence:$a,
    Seq_ScanSequence:$b,
    Optional<Seq_ScanState>:$init,
    OptionalAttr<Seq_FormAttr>:$form);
  let results = (outs Seq_ScanSequence:$h, Seq_ScanState:$final_state);
  let assemblyFormat = [{
    $a `,` $b (`init` custom<OperandAfterKeyword>($init)^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// seq.recurrence
//===----------------------------------------------------------------------===//

def Seq_RecurrenceOp : Seq_Op<"recurrence", [
    AttrSizedOperandSegments, AttrSizedResultSegments, IsolatedFromAbove,
    RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<Seq_FormOpInterface, ["hasSequentialVariants"]>]> {
  let summary = "general (possibly nonlinear) recurrence over time";
  let description = [{
    Runs the body once per time step, in order. The body's block arguments
    are, in order:

    1. one per-step slice of each input: input `[B, T, X...]` gives `[B, X...]`
       at step t;
    2. the current value of each state (the types of the final states);
    3. each captured weight, unchanged across steps (e.g. the recurrent
       matrix R, `[heads, D, gates*D]` for a block-diagonal multi-head R).

    The body yields the next value of every state, then the per-step value
    of every output; output `[B, X...]` per step is stacked into
    `[B, T, X...]`. States start at `init`, or zero when absent, and every
    state's leading dimension is the batch.

    Only the sequential form is valid, unless `seq-canonicalize` proves the
    body affine in its state and turns the op into `seq.linear_scan`.

    `accumulators = N` declares the last N states sums carried across the
    batch and all steps rather than per-batch-row states (a backward
    recurrence's weight cotangents): they need not lead with the batch
    dimension, and they need `init`.

    ```mlir
    %hs, %hT = seq.recurrence ins(%wx : tensor<2x16x32xf32>)
        init(%h0 : tensor<2x32xf32>) weights(%r : tensor<32x32xf32>)
        -> (tensor<2x16x32xf32>) final (tensor<2x32xf32>) {
    ^bb0(%x: tensor<2x32xf32>, %h: tensor<2x32xf32>, %w: tensor<32x32xf32>):
      ...
      seq.yield %hn, %hn : tensor<2x32xf32>, tensor<2x32xf32>
    }
    ```
  }];
  let arguments = (ins
    Variadic<Seq_Sequence>:$inputs,
    Variadic<AnyRankedTensor>:$init,
    Variadic<AnyRankedTensor>:$weights,
    OptionalAttr<Seq_FormAttr>:$form,
    DefaultValuedAttr<ConfinedAttr<I64Attr, [IntNonNegative]>, "0">:$accumulators);
  let results = (outs
    Variadic<Seq_Sequence>:$outputs,
    Variadic<AnyRankedTensor>:$final_states);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `ins` `(` $inputs `:` type($inputs) `)`
    (`init` `(` custom<OperandsAfterKeyword>($init)^ `:` type($init) `)`)?
    (`weights` `(` $weights^ `:` type($weights) `)`)?
    attr-dict-with-keyword
    `->` (`(` type($outputs)^ `)`)? `final` `(` type($final_states) `)`
    $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// seq.packed
//===----------------------------------------------------------------------===//

def Seq_Offsets : TensorRankOf<[I64], [1]>;

def Seq_PackedOp : Seq_Op<"packed", [
    AttrSizedOperandSegments, AttrSizedResultSegments, IsolatedFromAbove,
    RecursiveMemoryEffects]> {
  let summary = "runs its body on each sequence of a packed variable-length batch";
  let description = [{
    A packed batch is N sequences of different lengths concatenated along
    time: every sequence operand is `[1, total, X...]` and `offsets`
    (`[N + 1]`, i64; PyTorch's and fla's `cu_seqlens`) says where each
    starts, `offsets[0] = 0`, strictly increasing, `offsets[N] = total`.
    The body runs once per sequence n, on:

    1. each sequence operand's steps `[offsets[n], offsets[n + 1])`, as
       `[1, ?, X...]`;
    2. each initial state's row n, as `[1, S...]` (states are `[N, S...]`);
    3. each captured weight, unchanged.

    It yields each output's steps for that sequence (`[1, ?, Y...]`, written
    at the same offsets of the `[1, total, Y...]` result), then each final
    state (`[1, S...]`, row n of the `[N, S...]` result). The result equals
    running every sequence alone, whatever the lengths; no step of one
    sequence reads another's.

    Offsets that are not as above are an error at run time (the compiled
    function returns status 3) and never a read or write out of bounds.

    ```mlir
    %y, %h = seq.packed offsets(%cu : tensor<?xi64>)
        ins(%a, %x : tensor<1x?x4xf32>, tensor<1x?x4xf32>)
        init(%h0 : tensor<?x4xf32>)
        -> (tensor<1x?x4xf32>) final (tensor<?x4xf32>) {
    ^bb0(%as: tensor<1x?x4xf32>, %xs: tensor<1x?x4xf32>, %h: tensor<1x4xf32>):
      %ys, %hn = seq.linear_scan %as, %xs init %h
          : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<1x4xf32>) -> (tensor<1x?x4xf32>, tensor<1x4xf32>)
      seq.yield %ys, %hn : tensor<1x?x4xf32>, tensor<1x4xf32>
    }
    ```
  }];
  let arguments = (ins
    Seq_Offsets:$offsets,
    Variadic<AnyRankedTensor>:$sequences,
    Variadic<AnyRankedTensor>:$init,
    Variadic<AnyRankedTensor>:$weights);
  let results = (outs
    Variadic<AnyRankedTensor>:$outputs,
    Variadic<AnyRankedTensor>:$final_states);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `offsets` `(` $offsets `:` type($offsets) `)`
    `ins` `(` $sequences `:` type($sequences) `)`
    (`init` `(` custom<OperandsAfterKeyword>($init)^ `:` type($init) `)`)?
    (`weights` `(` $weights^ `:` type($weights) `)`)?
    attr-dict-with-keyword
    `->` (`(` type($outputs)^ `)`)? (`final` `(` type($final_states)^ `)`)?
    $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// The attention family
//===----------------------------------------------------------------------===//

def Seq_LinearAttentionOp : Seq_Op<"linear_attention", [
    Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<Seq_FormOpInterface>]> {
  let summary = "gated linear attention with a matrix state per head";
  let description = [{
    Per batch and head, with state `S` of shape `[dk, dv]`:

    `S_t = diag(alpha_t) S_{t-1} + k_t v_t^T`,  `o_t = S_t^T (scale * q_t)`

    with `alpha_t = exp(g_t)`, the gate `g` given in log space (so
    `g <= 0` keeps the state bounded). `gate_kind` says what `g` is:

    - `none`: no gate operand, `alpha = 1` (plain linear attention);
    - `scalar`: `g` is `[B, T, H]`, one decay per head and step
      (Mamba-2/SSD; RetNet with a constant);
    - `vector`: `g` is `[B, T, H, dk]`, a decay per key channel (GLA, HGRN2).

    `q`, `k` are `[B, T, H, dk]`, `v` is `[B, T, H, dv]`; the output is
    `[B, T, H, dv]`; `init` and the final state are `[B, H, dk, dv]` (zero
    when `init` is absent). `scale` defaults to `1/sqrt(dk)`.

    ```mlir
    %o, %s = seq.linear_attention %q, %k, %v gate <vector> %g
        : (tensor<2x64x4x32xf32>, tensor<2x64x4x32xf32>, tensor<2x64x4x32xf32>,
           tensor<2x64x4x32xf32>)
        -> (tensor<2x64x4x32xf32>, tensor<2x4x32x32xf32>)
    ```
  }];
  let arguments = (ins
    Seq_HeadSequence:$q,
    Seq_HeadSequence:$k,
    Seq_HeadSequence:$v,
    Optional<Seq_FloatTensor>:$gate,
    Optional<Seq_MatrixState>:$init,
    DefaultValuedAttr<Seq_GateKindAttr, "::seqc::seq::GateKind::none">:$gate_kind,
    OptionalAttr<Seq_PositiveF64Attr>:$scale,
    OptionalAttr<Seq_FormAttr>:$form);
  let results = (outs Seq_HeadSequence:$output, Seq_MatrixState:$final_state);
  let assemblyFormat = [{
    $q `,` $k `,` $v (`gate` $gate_kind $gate^)? (`init` custom<OperandAfterKeyword>($init)^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Seq_DeltaRuleOp : Seq_Op<"delta_rule", [
    Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<Seq_FormOpInterface>]> {
  let summary = "the (gated) delta rule with a matrix state per head";
  let description = [{
    Per batch and head, with state `S` of shape `[dk, dv]`:

    `S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T`,
    `o_t = S_t^T (scale * q_t)`

    (DeltaNet; Gated DeltaNet when the gate is given, with
    `alpha_t = exp(g_t)` and `g` `[B, T, H]` in log space). `beta` is
    `[B, T, H]` and lies in [0, 1]; `allow_negative_eigenvalues` declares it
    may lie in [0, 2] (the transition `I - beta k k^T` then has eigenvalues
    in [-1, 1], "Unlocking State-Tracking in Linear RNNs Through Negative
    Eigenvalues"). Keys are expected L2-normalized.

    Shapes as for `seq.linear_attention`; the chunkwise form uses the WY/UT
    representation.
  }];
  let arguments = (ins
    Seq_HeadSequence:$q,
    Seq_HeadSequence:$k,
    Seq_HeadSequence:$v,
    Seq_HeadScalars:$beta,
    Optional<Seq_HeadScalars>:$gate,
    Optional<Seq_MatrixState>:$init,
    UnitAttr:$allow_negative_eigenvalues,
    OptionalAttr<Seq_PositiveF64Attr>:$scale,
    OptionalAttr<Seq_FormAttr>:$form);
  let results = (outs Seq_HeadSequence:$output, Seq_MatrixState:$final_state);
  let assemblyFormat = [{
    $q `,` $k `,` $v `,` $beta (`gate` $gate^)? (`init` custom<OperandAfterKeyword>($init)^)?
    (`allow_negative_eigenvalues` $allow_negative_eigenvalues^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Seq_SoftmaxAttentionOp : Seq_Op<"softmax_attention", [
    Pure, DeclareOpInterfaceMethods<Seq_FormOpInterface>]> {
  let summary = "causal softmax attention";
  let description = [{
    `o_t = sum_{i <= t} softmax_i(scale * q_t . k_i) v_i` per batch and head;
    `k` is `[B, T, H, dk]`, `v` is `[B, T, H, dv]`, the output is
    `[B, T, H, dv]`; `scale` defaults to `1/sqrt(dk)`.

    The query is either per step, `[B, T, H, dk]`, or time-invariant,
    `[B, H, dk]` (a learned query, as in Aaren, "Attention as an RNN").
    The state depends on which:

    - per-step query: a key/value cache. `init` is either absent or
      `(keys [B, P, H, dk], values [B, P, H, dv])`, P earlier steps every
      query also attends to; the final states are the caches extended by
      this call, `[B, P + T, H, dk]` and `[B, P + T, H, dv]`.
    - time-invariant query: the softmax-scan state of Aaren, per batch and
      head a running max `m` `[B, H]`, denominator `u` `[B, H]` and
      numerator `w` `[B, H, dv]`; `init` is absent (identity `(-inf, 0, 0)`)
      or these three, and the final states are their values after step T-1.
      Then the op is an associative scan with element `(m, u, w)` and the
      prefix form applies.
  }];
  let arguments = (ins
    Seq_FloatTensor:$q,
    Seq_HeadSequence:$k,
    Seq_HeadSequence:$v,
    Variadic<Seq_FloatTensor>:$init,
    OptionalAttr<Seq_PositiveF64Attr>:$scale,
    OptionalAttr<Seq_FormAttr>:$form);
  let results = (outs Seq_HeadSequence:$output,
                      Variadic<Seq_FloatTensor>:$final_states);
  let assemblyFormat = [{
    $q `,` $k `,` $v (`init` `(` custom<OperandsAfterKeyword>($init)^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Whether the query is one per batch and head (Aaren's learned query)
    /// rather than one per step.
    bool hasTimeInvariantQuery() { return getQ().getType().getRank() == 3; }
  }];
}

//===----------------------------------------------------------------------===//
// seq.yield
//===----------------------------------------------------------------------===//

def Seq_YieldOp : Seq_Op<"yield", [
    Pure, Terminator, ReturnLike,
    ParentOneOf<["ScanOp", "RecurrenceOp", "PackedOp"]>]> {
  let summary = "yields the values of a scan combiner, recurrence or packed body";
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ /* empty yield */ }]>];
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

//===----------------------------------------------------------------------===//
// Kernel-level helpers
//===----------------------------------------------------------------------===//

def Seq_BlockBarrierOp : Seq_Op<"block_barrier", [
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a barrier of the threads of a GPU block, as a memory effect";
  let description = [{
    `gpu.barrier` inside the hand-shaped kernels that seq-lower-to-gpu-kernels
    builds before bufferization. Unlike `gpu.barrier`, it declares its memory
    effects (it orders the block's shared-memory reads and writes), which
    the buffer deallocation pipeline requires of every op it walks through;
    seq-lower-block-barriers turns it into `gpu.barrier` once buffers are
    final. Only valid inside `gpu.launch`.
  }];
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

#endif // SEQ_OPS_TD
