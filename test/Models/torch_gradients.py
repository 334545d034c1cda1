#!/usr/bin/env python3
"""Gradients of seqnn.elman / lstm / gru against torch.nn.RNN / LSTM / GRU
autograd in float64 (CPU).

The stacks of torch_parity.py (same weights, inputs and initial states) run
through `seqc run --grad` with the same output cotangents torch's backward
gets; seqc's f32 gradients of every input (x, each layer's W, R, biases and
initial states) must match torch's f64 ones to rtol 1e-5.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
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

    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "stack.mlir")
        with open(model, "w") as f:
            f.write(text)
        command = [seqc, "run", model, "--grad", "--repeat=1", "--dump-outputs", tmp]
        for n, a in inputs:
            path = os.path.join(tmp, n + ".npy")
            np.save(path, np.ascontiguousarray(a, dtype=np.float32))
            command += ["--input", "%s=%s" % (n, path)]
        for i, ct in enumerate(cotangents):
            path = os.path.join(tmp, "ct%d.npy" % i)
            np.save(path, ct.numpy().astype(np.float32))
            command += ["--cotangent", "%d=%s" % (i, path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        got = {n: np.load(os.path.join(tmp, "stack_grad_%s.npy" % n)) for n, _ in inputs}
    ok, worst = True, 0.0
    for name, want in expected.items():
        have = got[name]
        # rtol 1e-5 relative to the gradient's own scale (its largest entry):
        # f32 arithmetic against f64.
        error = float(np.max(np.abs(have - want)))
        scale = float(np.max(np.abs(want)))
        worst = max(worst, error / scale)
        if have.shape != want.shape or error > 1e-5 * scale:
            ok = False
            print("  %s: max abs error %.3e of scale %.3e" % (name, error, scale))
    label = "%s%s x%d" % (kind, "(relu)" if activation == "relu" else "", layers)
    print("%-16s worst relative error %.2e  %s" % (label, worst, "OK" if ok else "MISMATCH"))
    return ok


def main():
    seqc = sys.argv[1]
    torch.set_num_threads(1)
    results = [case(seqc, "elman", 1), case(seqc, "elman", 1, "relu"), case(seqc, "elman", 2),
               case(seqc, "lstm", 1), case(seqc, "lstm", 2), case(seqc, "gru", 1),
               case(seqc, "gru", 2)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
