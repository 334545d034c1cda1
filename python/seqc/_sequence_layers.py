"""seqc.nn modules for the layer families torch.nn does not have.

Each module is one seqnn op: its weights are the op's operands, registered
as nn.Parameters under the op's operand names (so state_dict keys are
w_q, w_k, ...), and a call compiles the op once with a dynamic batch and
time (a second function when initial states are given). Inputs are
batch-first (B, T, d_model) float32 CPU tensors; a call returns
(y, final_state), the final state a tensor or, for layers with several, a
tuple. Gradients go through seqc's derivative of the op, compiled once per
(batch, time) trained on, as for seqc.nn.LSTM.

The weight layouts are those of the dialect (x W, not torch.nn.Linear's
x W^T); docs: build/docs/Dialects/SeqNNDialect.md.
"""
import math

import torch

from ._compiler import compile as _compile


def _type(shape):
    return "tensor<%sxf32>" % "x".join("?" if s is None else str(s) for s in shape)


class _CompiledOp:
    """The compiled functions of one configured seqnn op: batched (any B and
    T) or packed (a seq.packed around it: x [1, total, d], N + 1 offsets)."""

    def __init__(self, module, with_init, packed=False):
        self.module, self.with_init, self.packed = module, with_init, packed
        self.num_outputs = 1 + len(module._state_shapes)
        self._inference = None
        self._training = {}

    def output_shapes(self, batch, time):
        return ([(batch, time, self.module._output_size)] +
                [(batch,) + tuple(s) for s in self.module._state_shapes])

    def _op(self, prefix, batch, time):
        """The seqnn op over values named prefix + x, weights, s<i>: its
        text, its operand types and its result types."""
        m = self.module
        types = [_type((batch, time, m._input_size))]
        types += [_type(shape) for _, shape in m._weights]
        operands = "%" + prefix + "x"
        for name, _ in m._weights:
            keyword = m._keywords.get(name)
            operands += ((" %s %%%s%s" % (keyword, prefix, name)) if keyword
                         else ", %" + prefix + name)
        if self.with_init:
            types += [_type((batch,) + tuple(s)) for s in m._state_shapes]
            refs = ", ".join("%%%ss%d" % (prefix, i) for i in range(len(m._state_shapes)))
            operands += (" init %s" % refs if m._init_syntax == "single"
                         else " init(%s)" % refs)
        if m._extra:
            operands += " " + m._extra
        if m._attributes:
            operands += " {%s}" % m._attributes
        results = [_type(s) for s in self.output_shapes(batch, time)]
        return "seqnn.%s %s" % (m._op, operands), types, results

    def text(self, batch=None, time=None):
        m = self.module
        names = (["x"] + [name for name, _ in m._weights] +
                 (["s%d" % i for i in range(len(m._state_shapes))] if self.with_init else []))
        op, types, results = self._op("", batch, time)
        values = ", ".join("%%r%d" % i for i in range(len(results)))
        if not self.packed:
            arguments = ", ".join("%%%s: %s" % (n, t) for n, t in zip(names, types))
            return ("func.func @layer(%s) -> (%s) {\n  %s = %s\n"
                    "      : (%s) -> (%s)\n  return %s : %s\n}\n" % (
                        arguments, ", ".join(results), values, op,
                        ", ".join(types), ", ".join(results), values, ", ".join(results)))
        # Packed: the function sees [1, total, d] and [N, ...] states; the op
        # in the body one sequence's [1, ?, d] and [1, ...] rows.
        outer_op, outer_types, outer_results = self._op("", 1, None)
        states = len(m._state_shapes)
        outer_states = [_type((None,) + tuple(s)) for s in m._state_shapes]
        weights = len(m._weights)
        arguments = ["%cu: tensor<?xi64>", "%%x: %s" % outer_types[0]]
        arguments += ["%%%s: %s" % (n, t) for n, t in
                      zip(names[1:1 + weights], outer_types[1:1 + weights])]
        if self.with_init:
            arguments += ["%%s%d: %s" % (i, t) for i, t in enumerate(outer_states)]
        inner_op, inner_types, inner_results = self._op("b", 1, None)
        block = ["%%bx: %s" % inner_types[0]]
        if self.with_init:
            block += ["%%bs%d: %s" % (i, t) for i, t in
                      enumerate(inner_types[1 + weights:])]
        block += ["%%b%s: %s" % (n, t) for n, t in
                  zip(names[1:1 + weights], inner_types[1:1 + weights])]
        init = ""
        if self.with_init:
            init = " init(%s : %s)" % (", ".join("%%s%d" % i for i in range(states)),
                                       ", ".join(outer_states))
        packed_results = [outer_results[0]] + outer_states
        inner_values = ", ".join("%%o%d" % i for i in range(len(inner_results)))
        return (
            "func.func @layer(%s) -> (%s) {\n"
            "  %s = seq.packed offsets(%%cu : tensor<?xi64>) ins(%%x : %s)%s\n"
            "      weights(%s : %s)\n"
            "      -> (%s) final (%s) {\n"
            "  ^bb0(%s):\n    %s = %s\n        : (%s) -> (%s)\n"
            "    seq.yield %s : %s\n  }\n  return %s : %s\n}\n" % (
                ", ".join(arguments), ", ".join(packed_results),
                values, outer_types[0], init,
                ", ".join("%" + n for n in names[1:1 + weights]),
                ", ".join(outer_types[1:1 + weights]),
                packed_results[0], ", ".join(packed_results[1:]),
                ", ".join(block), inner_values, inner_op, ", ".join(inner_types),
                ", ".join(inner_results), inner_values, ", ".join(inner_results),
                values, ", ".join(packed_results)))

    def inference(self):
        if self._inference is None:
            self._inference = _compile(self.text()).layer
        return self._inference

    def training_module(self, batch, time):
        if (batch, time) not in self._training:
            self._training[(batch, time)] = _compile(self.text(batch, time), grad=True)
        return self._training[(batch, time)]


class _SequenceLayer(torch.nn.Module):
    _op = None
    _init_syntax = "single"

    def _configure(self, input_size, output_size, weights, state_shapes,
                   attributes="", extra="", keywords=None):
        """weights: (name, shape, initializer(tensor)) in operand order."""
        self._input_size, self._output_size = input_size, output_size
        self._weights = [(name, tuple(shape)) for name, shape, _ in weights]
        self._state_shapes = [tuple(s) for s in state_shapes]
        self._attributes, self._extra = attributes, extra
        self._keywords = keywords or {}
        for name, shape, initialize in weights:
            parameter = torch.nn.Parameter(torch.empty(shape))
            with torch.no_grad():
                initialize(parameter)
            self.register_parameter(name, parameter)
        self._compiled = {(init, packed): _CompiledOp(self, init, packed)
                          for init in (False, True) for packed in (False, True)}

    def extra_repr(self):
        return "%d -> %d, %s" % (self._input_size, self._output_size, self._attributes)

    def forward(self, x, state=None, cu_seqlens=None):
        """x (B, T, d); or, with cu_seqlens (int64, N + 1 offsets), a packed
        batch (1, total, d) of N sequences, states (N, ...)."""
        from .nn import run_layer
        name = type(self).__name__
        if not isinstance(x, torch.Tensor) or x.device.type != "cpu" or \
                x.dtype != torch.float32:
            raise TypeError("seqc.nn.%s: x must be a float32 CPU tensor" % name)
        if x.dim() != 3 or x.shape[2] != self._input_size or 0 in x.shape:
            raise ValueError("seqc.nn.%s: x of shape %s; expected (B, T, %d) with B, T "
                             ">= 1" % (name, list(x.shape), self._input_size))
        rows = x.shape[0]
        if cu_seqlens is not None:
            if not isinstance(cu_seqlens, torch.Tensor) or cu_seqlens.dtype != torch.int64 \
                    or cu_seqlens.dim() != 1 or cu_seqlens.numel() < 2:
                raise TypeError("seqc.nn.%s: cu_seqlens must be a 1-D int64 tensor of N + 1 "
                                "offsets" % name)
            if x.shape[0] != 1:
                raise ValueError("seqc.nn.%s: a packed batch is x (1, total, %d), got %s"
                                 % (name, self._input_size, list(x.shape)))
            rows = cu_seqlens.numel() - 1
        states = []
        if state is not None:
            states = list(state) if isinstance(state, (tuple, list)) else [state]
            if len(states) != len(self._state_shapes):
                raise ValueError("seqc.nn.%s: expected %d initial states, got %d"
                                 % (name, len(self._state_shapes), len(states)))
            for s, shape in zip(states, self._state_shapes):
                want = (rows,) + shape
                if tuple(s.shape) != want or s.dtype != torch.float32:
                    raise ValueError("seqc.nn.%s: initial state of shape %s; expected "
                                     "float32 %s" % (name, list(s.shape), list(want)))
            states = [s.contiguous() for s in states]
        weights = [getattr(self, n) for n, _ in self._weights]
        inputs = (x.contiguous(), *weights, *states)
        if cu_seqlens is not None:
            inputs = (cu_seqlens.contiguous(),) + inputs
        outputs = run_layer(self._compiled[(bool(states), cu_seqlens is not None)], inputs)
        finals = tuple(outputs[1:])
        return outputs[0], finals[0] if len(finals) == 1 else finals


def _uniform(fan_in):
    bound = 1.0 / math.sqrt(fan_in)
    return lambda t: t.uniform_(-bound, bound)


def _zeros(t):
    t.zero_()


def _ones(t):
    t.fill_(1.0)


def _dt_bias(t):
    # softplus(dt_bias) = dt, dt log-uniform in [1e-3, 0.1] (Mamba's init).
    dt = torch.exp(torch.empty_like(t).uniform_(math.log(1e-3), math.log(0.1)))
    t.copy_(dt + torch.log(-torch.expm1(-dt)))


def _log_uniform_rate(t):
    # a_log = log(A), A uniform in [1, 16] per head (Mamba-2's init).
    t.copy_(torch.log(torch.empty_like(t).uniform_(1.0, 16.0)))


def _heads(d_model, num_heads, key_dim, value_dim):
    if num_heads < 1 or d_model < 1:
        raise ValueError("sizes must be positive")
    key_dim = key_dim or d_model // num_heads
    value_dim = value_dim or d_model // num_heads
    if key_dim < 1 or value_dim < 1:
        raise ValueError("num_heads %d leaves no key/value dimension of d_model %d"
                         % (num_heads, d_model))
    return key_dim, value_dim


def _attention_weights(d_model, heads, dk, dv, *between):
    """w_q, w_k, w_v, the layer's own weights, w_o: the attention layers'
    operands in order."""
    return ([("w_q", (d_model, heads * dk), _uniform(d_model)),
             ("w_k", (d_model, heads * dk), _uniform(d_model)),
             ("w_v", (d_model, heads * dv), _uniform(d_model))] + list(between) +
            [("w_o", (heads * dv, d_model), _uniform(heads * dv))])


class GLA(_SequenceLayer):
    """Gated linear attention (seqnn.gla): state (B, H, dk, dv)."""
    _op = "gla"

    def __init__(self, d_model, num_heads, key_dim=None, value_dim=None,
                 gate_rank=16, gate_normalizer=16.0):
        super().__init__()
        dk, dv = _heads(d_model, num_heads, key_dim, value_dim)
        H = num_heads
        self._configure(d_model, d_model, _attention_weights(
            d_model, H, dk, dv,
            ("w_gate_down", (d_model, gate_rank), _uniform(d_model)),
            ("w_gate_up", (gate_rank, H * dk), _uniform(gate_rank)),
            ("gate_bias", (H * dk,), _zeros)),
            [(H, dk, dv)], "heads = %d, gate_normalizer = %r" % (H, float(gate_normalizer)))


class RetNet(_SequenceLayer):
    """Retention (seqnn.retnet), decay 1 - 2^(-5-h) per head."""
    _op = "retnet"

    def __init__(self, d_model, num_heads, key_dim=None, value_dim=None):
        super().__init__()
        dk, dv = _heads(d_model, num_heads, key_dim, value_dim)
        H = num_heads
        self._configure(d_model, d_model, _attention_weights(d_model, H, dk, dv),
                        [(H, dk, dv)], "heads = %d" % H)


class DeltaNet(_SequenceLayer):
    """DeltaNet (seqnn.deltanet); allow_negative_eigenvalues: beta in [0, 2]."""
    _op = "deltanet"

    def __init__(self, d_model, num_heads, key_dim=None, value_dim=None,
                 allow_negative_eigenvalues=False):
        super().__init__()
        dk, dv = _heads(d_model, num_heads, key_dim, value_dim)
        H = num_heads
        self._configure(d_model, d_model, _attention_weights(
            d_model, H, dk, dv, ("w_beta", (d_model, H), _uniform(d_model))),
            [(H, dk, dv)], "heads = %d" % H,
            "allow_negative_eigenvalues" if allow_negative_eigenvalues else "")


class GatedDeltaNet(_SequenceLayer):
    """Gated DeltaNet (seqnn.gated_deltanet)."""
    _op = "gated_deltanet"

    def __init__(self, d_model, num_heads, key_dim=None, value_dim=None,
                 allow_negative_eigenvalues=False):
        super().__init__()
        dk, dv = _heads(d_model, num_heads, key_dim, value_dim)
        H = num_heads
        self._configure(d_model, d_model, _attention_weights(
            d_model, H, dk, dv,
            ("w_beta", (d_model, H), _uniform(d_model)),
            ("w_a", (d_model, H), _uniform(d_model)),
            ("a_log", (H,), _log_uniform_rate),
            ("dt_bias", (H,), _dt_bias)),
            [(H, dk, dv)], "heads = %d" % H,
            "allow_negative_eigenvalues" if allow_negative_eigenvalues else "")


class Mamba(_SequenceLayer):
    """Mamba's selective scan (seqnn.mamba) over d_inner channels: u is
    (B, T, d_inner), the state (B, d_inner, d_state)."""
    _op = "mamba"

    def __init__(self, d_inner, d_state=16, dt_rank=None):
        super().__init__()
        R = dt_rank or max(1, math.ceil(d_inner / 16))
        N = d_state

        def a_log(t):
            t.copy_(torch.log(torch.arange(1, N + 1, dtype=torch.float32)).repeat(d_inner, 1))
        self._configure(d_inner, d_inner, [
            ("a_log", (d_inner, N), a_log),
            ("x_proj", (d_inner, R + 2 * N), _uniform(d_inner)),
            ("dt_proj", (R, d_inner), _uniform(R)),
            ("dt_bias", (d_inner,), _dt_bias),
            ("d", (d_inner,), _ones)],
            [(d_inner, N)])


class Mamba2(_SequenceLayer):
    """Mamba-2 / SSD (seqnn.mamba2): state (B, H, d_state, head_dim)."""
    _op = "mamba2"

    def __init__(self, d_model, num_heads, head_dim=None, d_state=16, groups=1):
        super().__init__()
        H, G, N = num_heads, groups, d_state
        P = head_dim or d_model // num_heads
        self._configure(d_model, d_model, [
            ("w_b", (d_model, G * N), _uniform(d_model)),
            ("w_c", (d_model, G * N), _uniform(d_model)),
            ("w_x", (d_model, H * P), _uniform(d_model)),
            ("w_dt", (d_model, H), _uniform(d_model)),
            ("dt_bias", (H,), _dt_bias),
            ("a_log", (H,), _log_uniform_rate),
            ("d", (H,), _ones),
            ("w_o", (H * P, d_model), _uniform(H * P))],
            [(H, N, P)], "heads = %d, groups = %d" % (H, G))


class Aaren(_SequenceLayer):
    """Aaren (seqnn.aaren): softmax attention of a learned query per head,
    as a scan; states (m, u, w) of shapes (B, H), (B, H), (B, H, dv)."""
    _op = "aaren"
    _init_syntax = "paren"

    def __init__(self, d_model, num_heads, key_dim=None, value_dim=None):
        super().__init__()
        dk, dv = _heads(d_model, num_heads, key_dim, value_dim)
        H = num_heads
        self._configure(d_model, d_model, [
            ("query", (H, dk), lambda t: t.normal_(0.0, 1.0)),
            ("w_k", (d_model, H * dk), _uniform(d_model)),
            ("w_v", (d_model, H * dv), _uniform(d_model)),
            ("w_o", (H * dv, d_model), _uniform(H * dv))],
            [(H,), (H,), (H, dv)], "heads = %d" % H)


class SLSTM(_SequenceLayer):
    """xLSTM's sLSTM (seqnn.slstm) with num_heads block-diagonal recurrent
    heads: gates i, f, z, o; states (h, c, n, m), each (B, hidden_size)."""
    _op = "slstm"
    _init_syntax = "paren"

    def __init__(self, input_size, hidden_size, num_heads=1):
        super().__init__()
        if hidden_size % num_heads:
            raise ValueError("seqc.nn.SLSTM: num_heads %d does not divide hidden_size %d"
                             % (num_heads, hidden_size))
        D, Dh = hidden_size, hidden_size // num_heads
        self._configure(input_size, hidden_size, [
            ("w", (input_size, 4 * D), _uniform(input_size)),
            ("r", (num_heads, Dh, 4 * Dh), _uniform(Dh)),
            ("bias", (4 * D,), _zeros),
            ("recurrent_bias", (4 * D,), _zeros)],
            [(D,)] * 4, "heads = %d" % num_heads,
            keywords={"bias": "bias", "recurrent_bias": "recurrent_bias"})


class LRU(_SequenceLayer):
    """The linear recurrent unit (seqnn.lru) with d_state complex channels:
    final state (re, im), each (B, d_state)."""
    _op = "lru"
    _init_syntax = "paren"

    def __init__(self, d_model, d_state, r_min=0.9, r_max=0.999):
        super().__init__()
        N = d_state

        def nu_log(t):
            # |lambda| uniform on the ring [r_min, r_max] (the paper's init).
            u = torch.empty_like(t).uniform_(0.0, 1.0)
            t.copy_(torch.log(-0.5 * torch.log(u * (r_max ** 2 - r_min ** 2) + r_min ** 2)))

        def theta_log(t):
            t.copy_(torch.log(torch.empty_like(t).uniform_(1e-3, 2 * math.pi)))
        self._configure(d_model, d_model, [
            ("nu_log", (N,), nu_log), ("theta_log", (N,), theta_log),
            ("gamma_log", (N,), _zeros),
            ("b_re", (d_model, N), _uniform(2 * d_model)),
            ("b_im", (d_model, N), _uniform(2 * d_model)),
            ("c_re", (N, d_model), _uniform(N)), ("c_im", (N, d_model), _uniform(N)),
            ("d", (d_model,), lambda t: t.normal_(0.0, 1.0))],
            [(N,), (N,)])


class S4D(_SequenceLayer):
    """S4D (seqnn.s4d), zero-order hold, S4D-Lin init: final state (re, im),
    each (B, d_model, d_state)."""
    _op = "s4d"
    _init_syntax = "paren"

    def __init__(self, d_model, d_state=16):
        super().__init__()
        N = d_state

        def log_dt(t):
            t.uniform_(math.log(1e-3), math.log(1e-1))
        self._configure(d_model, d_model, [
            ("log_dt", (d_model,), log_dt),
            ("a_real_log", (d_model, N), lambda t: t.fill_(math.log(0.5))),
            ("a_imag", (d_model, N), lambda t: t.copy_(
                math.pi * torch.arange(N, dtype=torch.float32).repeat(d_model, 1))),
            ("b_re", (d_model, N), _ones), ("b_im", (d_model, N), _zeros),
            ("c_re", (d_model, N), lambda t: t.normal_(0.0, 0.5 ** 0.5)),
            ("c_im", (d_model, N), lambda t: t.normal_(0.0, 0.5 ** 0.5)),
            ("d", (d_model,), lambda t: t.normal_(0.0, 1.0))],
            [(d_model, N), (d_model, N)])


class RGLRU(_SequenceLayer):
    """Griffin's real-gated LRU (seqnn.rglru): final state (B, d_model)."""
    _op = "rglru"

    def __init__(self, d_model, c=8.0):
        super().__init__()

        def lam(t):
            # sigmoid(lambda)^c uniform in [0.9, 0.999] (Griffin's init).
            a = torch.empty_like(t).uniform_(0.9 ** 2, 0.999 ** 2) ** (1.0 / c)
            t.copy_(torch.log(a / (1 - a)))
        self._configure(d_model, d_model, [
            ("w_a", (d_model, d_model), _uniform(d_model)), ("b_a", (d_model,), _zeros),
            ("w_x", (d_model, d_model), _uniform(d_model)), ("b_x", (d_model,), _zeros),
            ("lambda", (d_model,), lam)],
            [(d_model,)], "c = %r" % float(c))
