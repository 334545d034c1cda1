//===- SeqNNOps.td - model-level sequence layers -----------*- tablegen -*-===//
#ifndef SEQNN_OPS_TD
#define SEQNN_OPS_TD

include "dialects/SeqNN/IR/SeqNNDialect.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def SeqNN_Float : AnyTypeOf<[F32, F16, BF16]>;
// The input and output of every layer: [B, T, M].
def SeqNN_Sequence : TensorRankOf<[F32, F16, BF16], [3]>;
def SeqNN_Vector : TensorRankOf<[F32, F16, BF16], [1]>;
def SeqNN_Matrix : TensorRankOf<[F32, F16, BF16], [2]>;
// Block-diagonal recurrent weights [heads, D/heads, gates*D/heads].
def SeqNN_RecurrentWeights : TensorRankOf<[F32, F16, BF16], [3]>;
def SeqNN_State : RankedTensorOf<[F32, F16, BF16]>;
def SeqNN_MatrixState : TensorRankOf<[F32, F16, BF16], [4]>;

def SeqNN_HeadsAttr : DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>,
                                        "1">;

//===----------------------------------------------------------------------===//
// Classic RNNs with a block-diagonal recurrent matrix
//===----------------------------------------------------------------------===//

class SeqNN_ClassicRNN<string mnemonic, int numGates, string stateNames,
                       dag extraArgs = (ins), string extraFormat = "">
    : SeqNN_Op<mnemonic, [Pure, AttrSizedOperandSegments]> {
  let arguments = !con((ins
    SeqNN_Sequence:$x,
    SeqNN_Matrix:$w,
    SeqNN_RecurrentWeights:$r,
    Optional<SeqNN_Vector>:$bias,
    Optional<SeqNN_Vector>:$recurrent_bias,
    Variadic<SeqNN_State>:$init,
    SeqNN_HeadsAttr:$heads), extraArgs);
  let results = (outs SeqNN_Sequence:$y, Variadic<SeqNN_State>:$final_states);
  let assemblyFormat =
    "$x `,` $w `,` $r (`bias` $bias^)? (`recurrent_bias` $recurrent_bias^)? "
    "(`init` `(` custom<OperandsAfterKeyword>($init)^ `)`)? " # extraFormat #
    " attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of gate blocks in the input and recurrent weights.
    static constexpr int64_t kNumGates = }] # numGates # [{;
    /// Names of the states, in order.
    static constexpr const char *kStateNames = "}] # stateNames # [{";
  }];
  code operandsDoc = [{
    Operands: `x` `[B, T, I]`; `w` `[I, G*D]` input weights; `r`
    `[heads, D/heads, G*D/heads]` block-diagonal recurrent weights;
    optional `bias` and `recurrent_bias` `[G*D]` (PyTorch's `b_ih`, `b_hh`);
    optional `init`, all states or none, each `[B, D]`. `heads` must divide
    D. Results: `y` `[B, T, D]` (the hidden state at every step) and the
    final states, each `[B, D]`. G is the number of gates.
  }];
}

def SeqNN_ElmanOp : SeqNN_ClassicRNN<"elman", 1, "h",
    (ins DefaultValuedAttr<SeqNN_ActivationAttr,
                           "::seqc::seqnn::Activation::tanh">:$activation),
    "(`activation` $activation^)?"> {
  let summary = "Elman RNN (tanh or relu)";
  let description = [{
    `h_t = act(x_t W + b + h_{t-1} R + b_r)` with `act` tanh (default) or
    relu, as `torch.nn.RNN` (Elman, "Finding Structure in Time").
    One gate (G = 1); one state `h`.
  }] # operandsDoc;
}

def SeqNN_LSTMOp : SeqNN_ClassicRNN<"lstm", 4, "h, c"> {
  let summary = "long short-term memory";
  let description = [{
    Gates in PyTorch's order `i, f, g, o` (G = 4), with
    `[i, f, g, o] = x_t W + b + h_{t-1} R + b_r`:
    `c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(g)`,
    `h_t = sigmoid(o) * tanh(c_t)`. States `h, c`
    (Hochreiter and Schmidhuber, "Long Short-Term Memory"; as
    `torch.nn.LSTM`).
  }] # operandsDoc;
}

def SeqNN_GRUOp : SeqNN_ClassicRNN<"gru", 3, "h"> {
  let summary = "gated recurrent unit, PyTorch's linear-before-reset variant";
  let description = [{
    Gates in PyTorch's order `r, z, n` (G = 3). With `xw = x_t W + b` and
    `hr = h_{t-1} R + b_r` split into the three gate blocks:
    `r = sigmoid(xw_r + hr_r)`, `z = sigmoid(xw_z + hr_z)`,
    `n = tanh(xw_n + r * hr_n)`, `h_t = (1 - z) * n + z * h_{t-1}`.
    The reset gate multiplies the recurrent product after the matmul
    ("linear before reset", as cuDNN and `torch.nn.GRU`), not `h_{t-1}`
    before it as in Cho et al., "Learning Phrase Representations using RNN
    Encoder-Decoder for Statistical Machine Translation". One state `h`.
  }] # operandsDoc;
}

def SeqNN_SLSTMOp : SeqNN_ClassicRNN<"slstm", 4, "h, c, n, m"> {
  let summary = "sLSTM of xLSTM: exponential gating with a stabilizer";
  let description = [{
    From "xLSTM: Extended Long Short-Term Memory". Gates in the order
    `i, f, z, o` (G = 4) with pre-activations
    `[i~, f~, z~, o~] = x_t W + b + h_{t-1} R + b_r`, exponential input and
    forget gates in log space and the stabilizer state m:
    `m_t = max(f~ + m_{t-1}, i~)`, `i = exp(i~ - m_t)`,
    `f = exp(f~ + m_{t-1} - m_t)`, `c_t = f c_{t-1} + i tanh(z~)`,
    `n_t = f n_{t-1} + i`, `h_t = sigmoid(o~) * c_t / n_t`.
    States `h, c, n, m`; the recurrent matrix is block-diagonal by heads
    (FlashRNN's layout).
  }] # operandsDoc;
}

//===----------------------------------------------------------------------===//
// Diagonal state-space models
//===----------------------------------------------------------------------===//

def SeqNN_LRUOp : SeqNN_Op<"lru", [Pure, AttrSizedOperandSegments]> {
  let summary = "linear recurrent unit (complex diagonal)";
  let description = [{
    From "Resurrecting Recurrent Neural Networks for Long Sequences". With N
    complex state channels:
    `lambda = exp(-exp(nu_log) + i exp(theta_log))`,
    `h_t = lambda * h_{t-1} + exp(gamma_log) * (x_t (B_re + i B_im))`,
    `y_t = Re(h_t (C_re + i C_im)) + d * x_t`.

    Operands: `x` `[B, T, D]`; `nu_log`, `theta_log`, `gamma_log` `[N]`;
    `b_re`, `b_im` `[D, N]`; `c_re`, `c_im` `[N, D]`; `d` `[D]`; optional
    `init(h_re, h_im)`, each `[B, N]`. Results: `y` `[B, T, D]` and the
    final state's real and imaginary parts, each `[B, N]`.

    The complex state is carried as (real, imaginary) pairs: every target
    then computes in real arithmetic, and the C ABI has no complex type.
    (`seq.linear_scan` itself also accepts complex<f32>.)
  }];
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Vector:$nu_log, SeqNN_Vector:$theta_log,
    SeqNN_Vector:$gamma_log, SeqNN_Matrix:$b_re, SeqNN_Matrix:$b_im,
    SeqNN_Matrix:$c_re, SeqNN_Matrix:$c_im, SeqNN_Vector:$d,
    Optional<SeqNN_State>:$init_re, Optional<SeqNN_State>:$init_im);
  let results = (outs SeqNN_Sequence:$y, SeqNN_State:$final_re,
                      SeqNN_State:$final_im);
  let assemblyFormat = [{
    $x `,` $nu_log `,` $theta_log `,` $gamma_log `,` $b_re `,` $b_im `,`
    $c_re `,` $c_im `,` $d (`init` `(` custom<OperandAfterKeyword>($init_re)^ `,`
     custom<OperandAfterKeyword>($init_im) `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SeqNN_S4DOp : SeqNN_Op<"s4d", [Pure, AttrSizedOperandSegments]> {
  let summary = "S4D: diagonal structured state space, recurrent mode";
  let description = [{
    From "On the Parameterization and Initialization of Diagonal State Space
    Models". Per channel d of D, N complex modes with
    `A = -exp(a_real_log) + i a_imag`, `dt = exp(log_dt)`, discretized by
    zero-order hold (default) `A' = exp(dt A)`, `B' = (A' - 1) / A * B`, or
    bilinear `A' = (1 + dt A / 2) / (1 - dt A / 2)`,
    `B' = dt / (1 - dt A / 2) * B`:
    `h_t = A' h_{t-1} + B' x_t`, `y_t = 2 Re(sum_n C_n h_{t,n}) + d x_t`.

    Operands: `x` `[B, T, D]`; `log_dt` `[D]`; `a_real_log`, `a_imag`,
    `b_re`, `b_im`, `c_re`, `c_im` `[D, N]`; `d` `[D]`; optional
    `init(h_re, h_im)`, each `[B, D, N]`. Results: `y` `[B, T, D]` and the
    final state's real and imaginary parts, each `[B, D, N]` (the complex
    state is carried as real pairs, as for `seqnn.lru`).
  }];
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Vector:$log_dt, SeqNN_Matrix:$a_real_log,
    SeqNN_Matrix:$a_imag, SeqNN_Matrix:$b_re, SeqNN_Matrix:$b_im,
    SeqNN_Matrix:$c_re, SeqNN_Matrix:$c_im, SeqNN_Vector:$d,
    Optional<SeqNN_State>:$init_re, Optional<SeqNN_State>:$init_im,
    DefaultValuedAttr<SeqNN_DiscretizationAttr,
                      "::seqc::seqnn::Discretization::zoh">:$discretization);
  let results = (outs SeqNN_Sequence:$y, SeqNN_State:$final_re,
                      SeqNN_State:$final_im);
  let assemblyFormat = [{
    $x `,` $log_dt `,` $a_real_log `,` $a_imag `,` $b_re `,` $b_im `,`
    $c_re `,` $c_im `,` $d (`init` `(` custom<OperandAfterKeyword>($init_re)^ `,`
     custom<OperandAfterKeyword>($init_im) `)`)?
    (`discretization` $discretization^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SeqNN_MambaOp : SeqNN_Op<"mamba", [Pure]> {
  let summary = "Mamba's selective state space (S6)";
  let description = [{
    From "Mamba: Linear-Time Sequence Modeling with Selective State Spaces".
    With `A = -exp(a_log)` `[D, N]` and input-dependent projections
    `[dt_low | B_t | C_t] = u_t x_proj` (R + N + N columns),
    `dt = softplus(dt_low dt_proj + dt_bias)` `[D]`:
    `h_t = exp(dt * A) * h_{t-1} + dt * B_t * u_t` (state `[D, N]`),
    `y_t = C_t . h_t + d * u_t`.

    Operands: `u` `[B, T, D]`; `a_log` `[D, N]`; `x_proj` `[D, R + 2N]`;
    `dt_proj` `[R, D]`; `dt_bias`, `d` `[D]`; optional `init` `[B, D, N]`.
    Results: `y` `[B, T, D]`, final state `[B, D, N]`. The in-projection,
    convolution and output gating of the full Mamba block are separate ops.
  }];
  let arguments = (ins
    SeqNN_Sequence:$u, SeqNN_Matrix:$a_log, SeqNN_Matrix:$x_proj,
    SeqNN_Matrix:$dt_proj, SeqNN_Vector:$dt_bias, SeqNN_Vector:$d,
    Optional<TensorRankOf<[F32, F16, BF16], [3]>>:$init);
  let results = (outs SeqNN_Sequence:$y,
                      TensorRankOf<[F32, F16, BF16], [3]>:$final_state);
  let assemblyFormat = [{
    $u `,` $a_log `,` $x_proj `,` $dt_proj `,` $dt_bias `,` $d
    (`init` custom<OperandAfterKeyword>($init)^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SeqNN_RGLRUOp : SeqNN_Op<"rglru", [Pure]> {
  let summary = "Griffin's real-gated linear recurrent unit (RG-LRU)";
  let description = [{
    From "Griffin: Mixing Gated Linear Recurrences with Local Attention for
    Efficient Language Models" (the recurrence of Hawk and Griffin). Per
    channel, with input-dependent recurrence and input gates:
    `r_t = sigmoid(x_t w_a + b_a)`, `i_t = sigmoid(x_t w_x + b_x)`,
    `a_t = sigmoid(lambda)^(c r_t)`, so `log a_t = -c r_t softplus(-lambda)`,
    `h_t = a_t * h_{t-1} + sqrt(1 - a_t^2) * (i_t * x_t)`, `y_t = h_t`.

    Operands: `x` `[B, T, D]`; `w_a`, `w_x` `[D, D]`; `b_a`, `b_x`,
    `lambda` `[D]`; optional `init` `[B, D]`; `c` (default 8, the paper's).
    Results: `y` `[B, T, D]`, final state `[B, D]` (f32 or the input's
    type; the scan runs in f32). With `s = c r_t softplus(-lambda)`,
    `1 - a_t^2` is computed as `tanh(s) (1 + a_t^2)`, precise where `a_t`
    is close to 1 (a long memory).
  }];
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_a, SeqNN_Vector:$b_a,
    SeqNN_Matrix:$w_x, SeqNN_Vector:$b_x, SeqNN_Vector:$lambda,
    Optional<SeqNN_State>:$init,
    DefaultValuedAttr<ConfinedAttr<F64Attr, [
        AttrConstraint<CPred<"::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() > 0.0">,
                       "whose value is positive">]>, "8.0">:$c);
  let results = (outs SeqNN_Sequence:$y, SeqNN_State:$final_state);
  let assemblyFormat = [{
    $x `,` $w_a `,` $b_a `,` $w_x `,` $b_x `,` $lambda (`init` custom<OperandAfterKeyword>($init)^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// The attention family
//===----------------------------------------------------------------------===//

class SeqNN_AttentionLayer<string mnemonic, list<Trait> traits = []>
    : SeqNN_Op<mnemonic, !listconcat([Pure], traits)> {
  let hasVerifier = 1;
  code shapesDoc = [{

    Shapes: `x` `[B, T, M]`; `w_q`, `w_k` `[M, H*dk]`; `w_v` `[M, H*dv]`;
    `w_o` `[H*dv, M]`, with H = `heads`; the output `y` is `[B, T, M]`.
    The matrix state (`init` and the final state) is `[B, H, dk, dv]`.
  }];
}

def SeqNN_RetNetOp : SeqNN_AttentionLayer<"retnet"> {
  let summary = "retention (RetNet): linear attention with constant decay";
  let description = [{
    From "Retentive Network: A Successor to Transformer for Large Language
    Models". Per head h with decay `gamma_h`:
    `S_t = gamma_h S_{t-1} + k_t v_t^T`, `o_t = S_t^T q_t / sqrt(dk)`,
    `y = [o_1 .. o_H] w_o`, q, k, v projections of x. `decay` lists
    `gamma_h` per head; when absent, the paper's `1 - 2^(-5-h)`.
    The group norm and swish gate of the full block are separate ops.
  }] # shapesDoc;
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_q, SeqNN_Matrix:$w_k,
    SeqNN_Matrix:$w_v, SeqNN_Matrix:$w_o,
    Optional<SeqNN_MatrixState>:$init, SeqNN_HeadsAttr:$heads,
    OptionalAttr<F64ArrayAttr>:$decay);
  let results = (outs SeqNN_Sequence:$y, SeqNN_MatrixState:$final_state);
  let assemblyFormat = [{
    $x `,` $w_q `,` $w_k `,` $w_v `,` $w_o (`init` custom<OperandAfterKeyword>($init)^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def SeqNN_GLAOp : SeqNN_AttentionLayer<"gla"> {
  let summary = "gated linear attention";
  let description = [{
    From "Gated Linear Attention Transformers with Hardware-Efficient
    Training". A data-dependent decay per key channel from a low-rank
    projection: `log alpha_t = logsigmoid(x_t w_gate_down w_gate_up +
    gate_bias) / gate_normalizer` (`[H*dk]`, normalizer 16 in the paper),
    `S_t = diag(alpha_t) S_{t-1} + k_t v_t^T`, `o_t = S_t^T q_t / sqrt(dk)`,
    `y = [o_1 .. o_H] w_o`. `w_gate_down` is `[M, rank]`, `w_gate_up`
    `[rank, H*dk]`, `gate_bias` `[H*dk]`.
  }] # shapesDoc;
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_q, SeqNN_Matrix:$w_k,
    SeqNN_Matrix:$w_v, SeqNN_Matrix:$w_gate_down, SeqNN_Matrix:$w_gate_up,
    SeqNN_Vector:$gate_bias, SeqNN_Matrix:$w_o,
    Optional<SeqNN_MatrixState>:$init, SeqNN_HeadsAttr:$heads,
    DefaultValuedAttr<ConfinedAttr<F64Attr, [
        AttrConstraint<CPred<"::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() > 0.0">,
                       "whose value is positive">]>, "16.0">:$gate_normalizer);
  let results = (outs SeqNN_Sequence:$y, SeqNN_MatrixState:$final_state);
  let assemblyFormat = [{
    $x `,` $w_q `,` $w_k `,` $w_v `,` $w_gate_down `,` $w_gate_up `,`
    $gate_bias `,` $w_o (`init` custom<OperandAfterKeyword>($init)^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def SeqNN_Mamba2Op : SeqNN_AttentionLayer<"mamba2"> {
  let summary = "Mamba-2 (SSD): a scalar decay per head and step";
  let description = [{
    From "Transformers are SSMs: Generalized Models and Efficient Algorithms
    Through Structured State Space Duality". Per head h of `heads` (H), with
    state size N and head dim P, `groups` (G) sharing B and C:
    `dt = softplus(x_t w_dt + dt_bias)` `[H]`, `a = -exp(a_log)` `[H]`,
    log decay `g = dt * a`, `B_t = x_t w_b`, `C_t = x_t w_c` (`[G*N]`, head h
    uses group `h / (H/G)`), `v_t = dt * (x_t w_x)` (`[H*P]`):
    `S_t = exp(g) S_{t-1} + B_t v_t^T`, `o_t = S_t^T C_t + d_h * x_t w_x`,
    `y = [o_1 .. o_H] w_o`.

    Shapes: `x` `[B, T, M]`; `w_b`, `w_c` `[M, G*N]`; `w_x` `[M, H*P]`;
    `w_dt` `[M, H]`; `dt_bias`, `a_log`, `d` `[H]`; `w_o` `[H*P, M]`;
    state `[B, H, N, P]`; `y` `[B, T, M]`.
  }];
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_b, SeqNN_Matrix:$w_c,
    SeqNN_Matrix:$w_x, SeqNN_Matrix:$w_dt, SeqNN_Vector:$dt_bias,
    SeqNN_Vector:$a_log, SeqNN_Vector:$d, SeqNN_Matrix:$w_o,
    Optional<SeqNN_MatrixState>:$init, SeqNN_HeadsAttr:$heads,
    SeqNN_HeadsAttr:$groups);
  let results = (outs SeqNN_Sequence:$y, SeqNN_MatrixState:$final_state);
  let assemblyFormat = [{
    $x `,` $w_b `,` $w_c `,` $w_x `,` $w_dt `,` $dt_bias `,` $a_log `,` $d
    `,` $w_o (`init` custom<OperandAfterKeyword>($init)^)? attr-dict `:` functional-type(operands, results)
  }];
}

def SeqNN_DeltaNetOp : SeqNN_AttentionLayer<"deltanet"> {
  let summary = "DeltaNet: linear attention with the delta rule";
  let description = [{
    From "Parallelizing Linear Transformers with the Delta Rule over Sequence
    Length". q and k are L2-normalized per head after projection,
    `beta_t = sigmoid(x_t w_beta)` `[H]` (times 2 with
    `allow_negative_eigenvalues`, "Unlocking State-Tracking in Linear RNNs
    Through Negative Eigenvalues"):
    `S_t = (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T`,
    `o_t = S_t^T q_t / sqrt(dk)`, `y = [o_1 .. o_H] w_o`. `w_beta` is
    `[M, H]`.
  }] # shapesDoc;
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_q, SeqNN_Matrix:$w_k,
    SeqNN_Matrix:$w_v, SeqNN_Matrix:$w_beta, SeqNN_Matrix:$w_o,
    Optional<SeqNN_MatrixState>:$init, SeqNN_HeadsAttr:$heads,
    UnitAttr:$allow_negative_eigenvalues);
  let results = (outs SeqNN_Sequence:$y, SeqNN_MatrixState:$final_state);
  let assemblyFormat = [{
    $x `,` $w_q `,` $w_k `,` $w_v `,` $w_beta `,` $w_o (`init` custom<OperandAfterKeyword>($init)^)?
    (`allow_negative_eigenvalues` $allow_negative_eigenvalues^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def SeqNN_GatedDeltaNetOp : SeqNN_AttentionLayer<"gated_deltanet"> {
  let summary = "Gated DeltaNet: the delta rule with a Mamba-2 style decay";
  let description = [{
    From "Gated Delta Networks: Improving Mamba2 with Delta Rule". As
    `seqnn.deltanet`, with a decay per head and step
    `alpha_t = exp(-exp(a_log) * softplus(x_t w_a + dt_bias))`:
    `S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T`.
    `w_a` is `[M, H]`; `a_log`, `dt_bias` are `[H]`.
  }] # shapesDoc;
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_q, SeqNN_Matrix:$w_k,
    SeqNN_Matrix:$w_v, SeqNN_Matrix:$w_beta, SeqNN_Matrix:$w_a,
    SeqNN_Vector:$a_log, SeqNN_Vector:$dt_bias, SeqNN_Matrix:$w_o,
    Optional<SeqNN_MatrixState>:$init, SeqNN_HeadsAttr:$heads,
    UnitAttr:$allow_negative_eigenvalues);
  let results = (outs SeqNN_Sequence:$y, SeqNN_MatrixState:$final_state);
  let assemblyFormat = [{
    $x `,` $w_q `,` $w_k `,` $w_v `,` $w_beta `,` $w_a `,` $a_log `,`
    $dt_bias `,` $w_o (`init` custom<OperandAfterKeyword>($init)^)?
    (`allow_negative_eigenvalues` $allow_negative_eigenvalues^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def SeqNN_AarenOp : SeqNN_AttentionLayer<"aaren"> {
  let summary = "Aaren: softmax attention with a learned query, as a scan";
  let description = [{
    From "Attention as an RNN". A learned query per head `query` `[H, dk]`
    attends causally over the projected keys and values:
    `o_t = sum_{i <= t} softmax_i(query . k_i / sqrt(dk)) v_i`,
    `y = [o_1 .. o_H] w_o`, computed as a prefix scan with element
    `(m, u, w)`. Shapes: `x` `[B, T, M]`; `w_k` `[M, H*dk]`; `w_v`
    `[M, H*dv]`; `w_o` `[H*dv, M]`. The state is the running max `m`
    `[B, H]`, denominator `u` `[B, H]` and numerator `w` `[B, H, dv]`:
    `init` is absent or all three.
  }];
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$query, SeqNN_Matrix:$w_k,
    SeqNN_Matrix:$w_v, SeqNN_Matrix:$w_o, Variadic<SeqNN_State>:$init,
    SeqNN_HeadsAttr:$heads);
  let results = (outs SeqNN_Sequence:$y, Variadic<SeqNN_State>:$final_states);
  let assemblyFormat = [{
    $x `,` $query `,` $w_k `,` $w_v `,` $w_o (`init` `(` custom<OperandsAfterKeyword>($init)^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def SeqNN_AttentionOp : SeqNN_AttentionLayer<"attention"> {
  let summary = "causal multi-head softmax attention";
  let description = [{
    From "Attention Is All You Need", causal:
    `o_t = sum_{i <= t} softmax_i(q_t . k_i / sqrt(dk)) v_i` per head,
    `y = [o_1 .. o_H] w_o`. The state is a key/value cache: `init` is absent
    or `(keys [B, P, H, dk], values [B, P, H, dv])`, and the final states
    are the caches extended by this call, `[B, P + T, H, dk]` and
    `[B, P + T, H, dv]`. Shapes of x and the projections as for the other
    attention layers.
  }];
  let arguments = (ins
    SeqNN_Sequence:$x, SeqNN_Matrix:$w_q, SeqNN_Matrix:$w_k,
    SeqNN_Matrix:$w_v, SeqNN_Matrix:$w_o,
    Variadic<TensorRankOf<[F32, F16, BF16], [4]>>:$init,
    SeqNN_HeadsAttr:$heads);
  let results = (outs SeqNN_Sequence:$y,
                      Variadic<TensorRankOf<[F32, F16, BF16], [4]>>:$final_states);
  let assemblyFormat = [{
    $x `,` $w_q `,` $w_k `,` $w_v `,` $w_o (`init` `(` custom<OperandsAfterKeyword>($init)^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
}

#endif // SEQNN_OPS_TD
