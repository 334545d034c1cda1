#!/usr/bin/env python3
"""Parity of seqnn.elman / lstm / gru with torch.nn.RNN / LSTM / GRU (CPU).

The same weights (torch's, transposed into seqc's [in, out] layout) and
initial states go through `seqc run --input ... --dump-outputs`; outputs and
final states must match torch to rtol 1e-5. Covers single layers with
initial states, relu RNNs, and two-layer stacks (two seqnn layers in one
function, torch's num_layers=2).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

B, T, I, H = 3, 20, 10, 16
GATES = {"elman": 1, "lstm": 4, "gru": 3}


def t(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def make_stack(kind, layers, activation="tanh"):
    """torch's module with seeded weights and inputs, and the same stack as
    a seqc model: (net, x, h0, c0, inputs as (name, array), model text,
    names of its results)."""
    torch.manual_seed(7 + layers)
    module = {"elman": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    extra = {"nonlinearity": activation} if kind == "elman" else {}
    net = module(I, H, num_layers=layers, batch_first=True, **extra)
    x = torch.randn(B, T, I)
    h0 = torch.randn(layers, B, H)
    c0 = torch.randn(layers, B, H)
    g = GATES[kind]
    inputs = [("x", x.numpy())]
    args, lines, state_names = [], [], ["h", "c"] if kind == "lstm" else ["h"]
    source = "%x"
    width = I
    finals = []
    for layer in range(layers):
        w = getattr(net, "weight_ih_l%d" % layer).detach().numpy().T.copy()
        r = getattr(net, "weight_hh_l%d" % layer).detach().numpy().T.copy()[None]
        b = getattr(net, "bias_ih_l%d" % layer).detach().numpy()
        rb = getattr(net, "bias_hh_l%d" % layer).detach().numpy()
        names = ["w%d" % layer, "r%d" % layer, "b%d" % layer, "rb%d" % layer]
        inputs += list(zip(names, [w, r, b, rb]))
        init = [("h0_%d" % layer, h0[layer].numpy())]
        if kind == "lstm":
            init.append(("c0_%d" % layer, c0[layer].numpy()))
        inputs += init
        results = ["%%y%d" % layer] + ["%%%s%d" % (s, layer) for s in state_names]
        types_in = [t((B, T, width)), t(w.shape), t(r.shape), t(b.shape), t(rb.shape)] + \
                   [t((B, H))] * len(init)
        types_out = [t((B, T, H))] + [t((B, H))] * len(state_names)
        lines.append("  %s = seqnn.%s %s, %%%s, %%%s bias %%%s recurrent_bias %%%s init(%s)%s\n"
                     "      : (%s) -> (%s)" % (
                         ", ".join(results), kind, source, names[0], names[1], names[2], names[3],
                         ", ".join("%" + n for n, _ in init),
                         " activation <relu>" if activation == "relu" else "",
                         ", ".join(types_in), ", ".join(types_out)))
        finals += results[1:]
        source = "%%y%d" % layer
        width = H
    returns = [source] + finals
    return_types = [t((B, T, H))] + [t((B, H))] * len(finals)
    arg_text = ", ".join("%%%s: %s" % (n, t(a.shape)) for n, a in inputs)
    text = "func.func @stack(%s) -> (%s) {\n%s\n  return %s : %s\n}\n" % (
        arg_text, ", ".join(return_types), "\n".join(lines), ", ".join(returns),
        ", ".join(return_types))
    return net, x, h0, c0, inputs, text, returns


def case(seqc, kind, layers, activation="tanh"):
    net, x, h0, c0, inputs, text, returns = make_stack(kind, layers, activation)
    with torch.no_grad():
        if kind == "lstm":
            y, (hn, cn) = net(x, (h0, c0))
        else:
            y, hn = net(x, h0)
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "stack.mlir")
        with open(model, "w") as f:
            f.write(text)
        command = [seqc, "run", model, "--repeat=1", "--dump-outputs", tmp]
        for n, a in inputs:
            path = os.path.join(tmp, n + ".npy")
            np.save(path, np.ascontiguousarray(a, dtype=np.float32))
            command += ["--input", "%s=%s" % (n, path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        got = [np.load(os.path.join(tmp, "stack_out%d.npy" % i)) for i in range(len(returns))]
    expected = [y.numpy()]
    for layer in range(layers):
        expected.append(hn[layer].numpy())
        if kind == "lstm":
            expected.append(cn[layer].numpy())
    ok = all(np.allclose(g_, e, rtol=1e-5, atol=1e-6) for g_, e in zip(got, expected))
    worst = max(float(np.max(np.abs(g_ - e))) for g_, e in zip(got, expected))
    label = "%s%s x%d" % (kind, "(relu)" if activation == "relu" else "", layers)
    print("%-16s max abs error %.2e  %s" % (label, worst, "OK" if ok else "MISMATCH"))
    return ok


def main():
    seqc = sys.argv[1]
    results = [case(seqc, "elman", 1), case(seqc, "elman", 1, "relu"), case(seqc, "elman", 2),
               case(seqc, "lstm", 1), case(seqc, "lstm", 2), case(seqc, "gru", 1),
               case(seqc, "gru", 2)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
