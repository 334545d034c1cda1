#!/usr/bin/env python3
"""Gradients of seqnn.elman / lstm / gru against torch.nn.RNN / LSTM / GRU
autograd in float64 (CPU).

The stacks of torch_parity.py (same weights, inputs and initial states) run
through `seqc run --grad` with the same output cotangents torch's backward
gets; seqc's f32 gradients of every input (x, each layer's W, R, biases and
initial states) must match torch's f64 ones to rtol 1e-5.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradient_harness import compare, seqc_gradients  # noqa: E402
from torch_parity import make_stack  # noqa: E402


def case(seqc, kind, layers, activation="tanh"):
    net, x, h0, c0, inputs, text, returns = make_stack(kind, layers, activation)
    net = net.double()
    xs = x.double().requires_grad_()
    h0s = h0.double().requires_grad_()
    c0s = c0.double().requires_grad_()
    if kind == "lstm":
        y, (hn, cn) = net(xs, (h0s, c0s))
        outputs = [y]
        for layer in range(layers):
            outputs += [hn[layer], cn[layer]]
    else:
        y, hn = net(xs, h0s)
        outputs = [y] + [hn[layer] for layer in range(layers)]
    generator = torch.Generator().manual_seed(11)
    cotangents = [torch.randn(o.shape, generator=generator, dtype=torch.float64)
                  for o in outputs]
    torch.autograd.backward(outputs, cotangents)

    # torch's gradients in seqc's argument order and layouts.
    expected = {"x": xs.grad.numpy()}
    for layer in range(layers):
        expected["w%d" % layer] = getattr(net, "weight_ih_l%d" % layer).grad.numpy().T
        expected["r%d" % layer] = getattr(net, "weight_hh_l%d" % layer).grad.numpy().T[None]
        expected["b%d" % layer] = getattr(net, "bias_ih_l%d" % layer).grad.numpy()
        expected["rb%d" % layer] = getattr(net, "bias_hh_l%d" % layer).grad.numpy()
        expected["h0_%d" % layer] = h0s.grad[layer].numpy()
        if kind == "lstm":
            expected["c0_%d" % layer] = c0s.grad[layer].numpy()

    got = seqc_gradients(seqc, text, "stack", inputs, cotangents)
    label = "%s%s x%d" % (kind, "(relu)" if activation == "relu" else "", layers)
    return compare(label, expected, got)


def main():
    seqc = sys.argv[1]
    torch.set_num_threads(1)
    results = [case(seqc, "elman", 1), case(seqc, "elman", 1, "relu"), case(seqc, "elman", 2),
               case(seqc, "lstm", 1), case(seqc, "lstm", 2), case(seqc, "gru", 1),
               case(seqc, "gru", 2)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
