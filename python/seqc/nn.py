"""torch.nn modules whose layers are compiled by seqc.

seqc.nn.LSTM, GRU and RNN take torch.nn.LSTM/GRU/RNN's constructor
arguments, parameters (names, shapes, initialization: a torch state_dict
loads unchanged) and calling convention. Each layer is one seqnn op
(seqnn.lstm, seqnn.gru, seqnn.elman) compiled with a dynamic batch and
time: one compile serves every batch size and sequence length.

The other families (SLSTM, GLA, RetNet, DeltaNet, GatedDeltaNet, Mamba,
Mamba2, Aaren, LRU, S4D, RGLRU) are in _sequence_layers.py, with the
dialect's parameter names and packed batches (cu_seqlens).

Gradients: backward() runs seqc's reverse-mode derivative of the layer
(`seqc compile --grad`). Those functions need static shapes, so training
compiles once per (batch, time) it sees; the cache keeps them across
processes.
"""
import math

import torch

from ._compiler import compile as _compile

__all__ = ["LSTM", "GRU", "RNN", "SLSTM", "GLA", "RetNet", "DeltaNet",
           "GatedDeltaNet", "Mamba", "Mamba2", "Aaren", "LRU", "S4D", "RGLRU"]


def _type(shape):
    return "tensor<%sxf32>" % "x".join("?" if s is None else str(s) for s in shape)


def _layer_mlir(op, gates, input_size, hidden, batch=None, time=None,
                activation=None):
    """One layer as a function @layer(x, w, r, bias, recurrent_bias, h0
    [, c0]) -> (y, h [, c]); batch and time None for dynamic sizes."""
    states = 2 if op == "lstm" else 1
    x = _type([batch, time, input_size])
    w = _type([input_size, gates * hidden])
    r = _type([1, hidden, gates * hidden])
    b = _type([gates * hidden])
    s = _type([batch, hidden])
    y = _type([batch, time, hidden])
    init_names = ["%h0", "%c0"][:states]
    arguments = ["%%x: %s" % x, "%%w: %s" % w, "%%r: %s" % r,
                 "%%bias: %s" % b, "%%recurrent_bias: %s" % b]
    arguments += ["%s: %s" % (n, s) for n in init_names]
    results = [y] + [s] * states
    names = ["%y", "%h"] + (["%c"] if states == 2 else [])
    attribute = " activation <%s>" % activation if activation else ""
    return (
        "func.func @layer(%s) -> (%s) {\n"
        "  %s = seqnn.%s %%x, %%w, %%r bias %%bias recurrent_bias %%recurrent_bias "
        "init(%s)%s\n"
        "      : (%s) -> (%s)\n"
        "  return %s : %s\n"
        "}\n" % (", ".join(arguments), ", ".join(results), ", ".join(names), op,
                 ", ".join(init_names), attribute,
                 ", ".join([x, w, r, b, b] + [s] * states), ", ".join(results),
                 ", ".join(names), ", ".join(results)))


class _LayerFunction(torch.autograd.Function):
    """One compiled layer on its inputs (x first); backward through seqc's
    compiled derivative for this (batch, time). `layer` gives
    training_module(batch, time) (with layer_fwd and layer_bwd),
    num_outputs and output_shapes(batch, time)."""

    @staticmethod
    def forward(ctx, layer, *inputs):
        ctx.layer = layer
        batch, time = inputs[0].shape[:2]
        module = layer.training_module(batch, time)
        outputs = module.layer_fwd(*inputs)
        count = layer.num_outputs
        # The residuals the derivative reads (gate activations, states).
        ctx.save_for_backward(*inputs, *outputs[count:])
        return outputs[:count]

    @staticmethod
    def backward(ctx, *cotangents):
        saved = ctx.saved_tensors
        x, layer = saved[0], ctx.layer
        batch, time = x.shape[:2]
        # Outputs autograd did not reach (a final state unused) get zeros.
        cotangents = [torch.zeros(shape) if c is None else c.contiguous()
                      for c, shape in zip(cotangents, layer.output_shapes(batch, time))]
        gradients = layer.training_module(batch, time).layer_bwd(*saved, *cotangents)
        return (None,) + tuple(gradients)


class _CompiledLayer:
    """The compiled functions of one layer kind and size."""

    def __init__(self, op, gates, input_size, hidden, activation=None):
        self.op, self.gates, self.activation = op, gates, activation
        self.input_size, self.hidden = input_size, hidden
        self.num_outputs = 3 if op == "lstm" else 2
        self._inference = None
        self._training = {}

    def output_shapes(self, batch, time):
        return [(batch, time, self.hidden)] + [(batch, self.hidden)] * (self.num_outputs - 1)

    def inference(self):
        if self._inference is None:
            self._inference = _compile(_layer_mlir(
                self.op, self.gates, self.input_size, self.hidden,
                activation=self.activation)).layer
        return self._inference

    def training_module(self, batch, time):
        key = (batch, time)
        if key not in self._training:
            self._training[key] = _compile(_layer_mlir(
                self.op, self.gates, self.input_size, self.hidden, batch, time,
                self.activation), grad=True)
        return self._training[key]


class _RNNBase(torch.nn.Module):
    _op = None
    _gates = 1

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False,
                 device=None, dtype=None, activation=None):
        super().__init__()
        name = type(self).__name__
        if bidirectional:
            raise NotImplementedError(
                "seqc.nn.%s: bidirectional=True is not supported: seqc's "
                "recurrences run forward in time" % name)
        if dtype not in (None, torch.float32):
            raise TypeError("seqc.nn.%s: dtype %s: seqc's recurrent layers "
                            "compute in float32" % (name, dtype))
        if device is not None and torch.device(device).type != "cpu":
            raise ValueError("seqc.nn.%s: device %s: seqc.nn runs on the CPU "
                             "so far" % (name, device))
        if num_layers < 1 or hidden_size < 1 or input_size < 1:
            raise ValueError("seqc.nn.%s: sizes must be positive" % name)
        self.input_size, self.hidden_size = input_size, hidden_size
        self.num_layers, self.bias = num_layers, bias
        self.batch_first, self.dropout = batch_first, float(dropout)
        self.bidirectional = False
        self._activation = activation
        rows = self._gates * hidden_size
        self._layers = []
        for k in range(num_layers):
            size = input_size if k == 0 else hidden_size
            self.register_parameter("weight_ih_l%d" % k,
                                    torch.nn.Parameter(torch.empty(rows, size)))
            self.register_parameter("weight_hh_l%d" % k,
                                    torch.nn.Parameter(torch.empty(rows, hidden_size)))
            if bias:
                self.register_parameter("bias_ih_l%d" % k,
                                        torch.nn.Parameter(torch.empty(rows)))
                self.register_parameter("bias_hh_l%d" % k,
                                        torch.nn.Parameter(torch.empty(rows)))
            self._layers.append(_CompiledLayer(self._op, self._gates, size,
                                               hidden_size, activation))
        self.reset_parameters()

    def reset_parameters(self):
        # torch.nn.RNNBase's initialization.
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            torch.nn.init.uniform_(weight, -bound, bound)

    def extra_repr(self):
        text = "%d, %d" % (self.input_size, self.hidden_size)
        if self.num_layers != 1:
            text += ", num_layers=%d" % self.num_layers
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += ", dropout=%g" % self.dropout
        return text

    def _check_input(self, input):
        name = type(self).__name__
        if not isinstance(input, torch.Tensor):
            raise TypeError("seqc.nn.%s: input must be a tensor" % name)
        if input.device.type != "cpu":
            raise ValueError("seqc.nn.%s: input is on %s; seqc.nn runs on the "
                             "CPU so far" % (name, input.device))
        if input.dtype != torch.float32:
            raise TypeError("seqc.nn.%s: input has dtype %s; expected "
                            "torch.float32" % (name, input.dtype))
        if input.dim() not in (2, 3) or input.shape[-1] != self.input_size:
            raise ValueError("seqc.nn.%s: input of shape %s; expected (L, %d), "
                             "(%s, %d)" % (name, list(input.shape), self.input_size,
                                           "N, L" if self.batch_first else "L, N",
                                           self.input_size))
        if 0 in input.shape:
            raise ValueError("seqc.nn.%s: input of shape %s has an empty "
                             "batch or sequence" % (name, list(input.shape)))

    def _initial(self, hx, batch, count, unbatched):
        """Initial states per layer: `count` tensors [num_layers, B, H]."""
        name = type(self).__name__
        shape = (self.num_layers, batch, self.hidden_size)
        if hx is None:
            return [torch.zeros(shape) for _ in range(count)]
        states = list(hx) if count > 1 else [hx]
        if len(states) != count:
            raise ValueError("seqc.nn.%s: expected %d initial states" % (name, count))
        result = []
        for s in states:
            if unbatched and s.dim() == 2:
                s = s.unsqueeze(1)
            if tuple(s.shape) != shape:
                raise ValueError("seqc.nn.%s: initial state of shape %s; "
                                 "expected %s" % (name, list(s.shape), list(shape)))
            if s.dtype != torch.float32 or s.device.type != "cpu":
                raise TypeError("seqc.nn.%s: initial states must be float32 "
                                "CPU tensors" % name)
            result.append(s)
        return result

    def _run(self, input, hx, count):
        self._check_input(input)
        unbatched = input.dim() == 2
        x = input.unsqueeze(0 if self.batch_first else 1) if unbatched else input
        if not self.batch_first:
            x = x.transpose(0, 1)
        batch = x.shape[0]
        initial = self._initial(hx, batch, count, unbatched)
        finals = [[] for _ in range(count)]
        for k, layer in enumerate(self._layers):
            w = getattr(self, "weight_ih_l%d" % k).t().contiguous()
            r = getattr(self, "weight_hh_l%d" % k).t().contiguous().unsqueeze(0)
            if self.bias:
                b = getattr(self, "bias_ih_l%d" % k)
                rb = getattr(self, "bias_hh_l%d" % k)
            else:
                b = rb = torch.zeros(self._gates * self.hidden_size)
            states = [s[k].contiguous() for s in initial]
            outputs = run_layer(layer, (x.contiguous(), w, r, b, rb, *states))
            x = outputs[0]
            for i in range(count):
                finals[i].append(outputs[1 + i])
            if self.dropout and self.training and k + 1 < self.num_layers:
                x = torch.nn.functional.dropout(x, self.dropout, True)
        y = x if self.batch_first else x.transpose(0, 1)
        states = [torch.stack(f) for f in finals]
        if unbatched:
            y = y.squeeze(0 if self.batch_first else 1)
            states = [s.squeeze(1) for s in states]
        return y, states


class LSTM(_RNNBase):
    """torch.nn.LSTM's interface: y, (h_n, c_n) = lstm(x, (h_0, c_0))."""
    _op, _gates = "lstm", 4

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False,
                 proj_size=0, device=None, dtype=None):
        if proj_size:
            raise NotImplementedError("seqc.nn.LSTM: proj_size is not supported")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device, dtype)
        self.proj_size = 0

    def forward(self, input, hx=None):
        y, (h, c) = self._run(input, hx, 2)
        return y, (h, c)


class GRU(_RNNBase):
    """torch.nn.GRU's interface: y, h_n = gru(x, h_0)."""
    _op, _gates = "gru", 3

    def forward(self, input, hx=None):
        y, (h,) = self._run(input, hx, 1)
        return y, h


class RNN(_RNNBase):
    """torch.nn.RNN's interface (nonlinearity 'tanh' or 'relu')."""
    _op, _gates = "elman", 1

    def __init__(self, input_size, hidden_size, num_layers=1,
                 nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError("seqc.nn.RNN: unknown nonlinearity %r" % nonlinearity)
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device, dtype,
                         activation=None if nonlinearity == "tanh" else "relu")

    def forward(self, input, hx=None):
        y, (h,) = self._run(input, hx, 1)
        return y, h


def run_layer(layer, inputs):
    """Runs a compiled layer: through autograd when a gradient is needed,
    else the dynamic-shape inference function."""
    if torch.is_grad_enabled() and any(t.requires_grad for t in inputs):
        if getattr(layer, "packed", False):
            raise NotImplementedError(
                "seqc.nn: gradients through a packed batch (cu_seqlens) are not "
                "built yet; train on a padded batch, or run under torch.no_grad()")
        return _LayerFunction.apply(layer, *inputs)
    return layer.inference()(*inputs)


# The other families (seqc.nn.GLA, ...): one seqnn op each.
from ._sequence_layers import (LRU, RGLRU, S4D, Aaren, DeltaNet,  # noqa: E402,F401
                               GatedDeltaNet, GLA, Mamba, Mamba2, RetNet, SLSTM)

