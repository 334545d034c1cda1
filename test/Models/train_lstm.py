#!/usr/bin/env python3
"""A small LSTM language model trained 50 SGD steps twice from the same
initial weights and data: once with torch.nn.LSTM, once with seqc's LSTM
(seqnn.lstm -> seq-differentiate -> `seqc compile`, its @lstm_fwd and
@lstm_bwd called through the bundle's C ABI inside a torch.autograd
Function). Embedding, output head and cross-entropy are torch's in both.
The losses must agree at every step (rtol 1e-4), all in float32.

train_lstm.py SEQ_OPT SEQC
"""
import ctypes
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch

V, E, H, B, T, STEPS, LR = 13, 8, 16, 4, 12, 50, 0.5


def t(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


MODEL = """func.func @lstm(%x: {x}, %w: {w}, %r: {r}, %b: {b}, %rb: {b}, %h0: {s}, %c0: {s})
    -> ({y}, {s}, {s}) {{
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %b recurrent_bias %rb init(%h0, %c0)
      : ({x}, {w}, {r}, {b}, {b}, {s}, {s}) -> ({y}, {s}, {s})
  return %y, %h, %c : {y}, {s}, {s}
}}
""".format(x=t((B, T, E)), w=t((E, 4 * H)), r=t((1, H, 4 * H)), b=t((4 * H,)),
           s=t((B, H)), y=t((B, T, H)))


def function_types(text, name):
    """The argument and result shapes of @name in MLIR text."""
    m = re.search(r"func\.func @%s\((.*?)\)\s*->\s*\((.*?)\)\s*(?:attributes|\{)" % name, text,
                  re.S)
    shapes = lambda s: [tuple(int(d) for d in g.split("x")) for g in
                        re.findall(r"tensor<([0-9x]+)xf32>", s)]
    return shapes(m.group(1)), shapes(m.group(2))


class Bundle:
    def __init__(self, seq_opt, seqc, tmp):
        model = os.path.join(tmp, "lstm.mlir")
        with open(model, "w") as f:
            f.write(MODEL)
        diff = os.path.join(tmp, "lstm_grad.mlir")
        subprocess.run([seq_opt, model, "-seqnn-expand", "-seq-differentiate", "-o", diff],
                       check=True)
        subprocess.run([seqc, "compile", diff, "-o", os.path.join(tmp, "out")], check=True,
                       stdout=subprocess.DEVNULL)
        text = open(diff).read()
        self.lib = ctypes.CDLL(os.path.join(tmp, "out", "liblstm_grad.so"))
        self.fwd_types = function_types(text, "lstm_fwd")
        self.bwd_types = function_types(text, "lstm_bwd")

    def call(self, name, types, inputs):
        ins, outs = types
        arrays = [np.ascontiguousarray(a, dtype=np.float32) for a in inputs]
        assert [a.shape for a in arrays] == ins, (name, [a.shape for a in arrays], ins)
        results = [np.empty(s, dtype=np.float32) for s in outs]
        pointers = [a.ctypes.data_as(ctypes.c_void_p) for a in arrays + results]
        if getattr(self.lib, "seqc_" + name)(*pointers) != 0:
            raise RuntimeError("seqc_%s failed" % name)
        return results


def seqc_lstm(bundle):
    class LSTM(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *inputs):
            arrays = [i.detach().numpy() for i in inputs]
            results = bundle.call("lstm_fwd", bundle.fwd_types, arrays)
            ctx.arrays = arrays
            ctx.residuals = results[3:]
            return tuple(torch.from_numpy(r) for r in results[:3])

        @staticmethod
        def backward(ctx, *cotangents):
            cts = [c.contiguous().numpy() for c in cotangents]
            grads = bundle.call("lstm_bwd", bundle.bwd_types,
                                ctx.arrays + ctx.residuals + cts)
            return tuple(torch.from_numpy(g) for g in grads)
    return LSTM.apply


def train(lstm_step, params, tokens):
    losses = []
    for step in range(STEPS):
        embedded = params["embed"][tokens[:, :-1]]
        y = lstm_step(embedded, params)
        logits = y @ params["head"] + params["head_bias"]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), tokens[:, 1:].reshape(-1))
        for p in params.values():
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params.values():
                p -= LR * p.grad
        losses.append(loss.item())
    return losses


def main():
    seq_opt, seqc = sys.argv[1], sys.argv[2]
    torch.manual_seed(3)
    torch.set_num_threads(1)
    reference = torch.nn.LSTM(E, H, batch_first=True)
    init = {
        "embed": torch.randn(V, E) * 0.5,
        "head": torch.randn(H, V) * 0.3,
        "head_bias": torch.zeros(V),
        "w": reference.weight_ih_l0.detach().clone(),
        "r": reference.weight_hh_l0.detach().clone(),
        "b": reference.bias_ih_l0.detach().clone(),
        "rb": reference.bias_hh_l0.detach().clone(),
    }
    # A learnable language: each token determines the next, (3 t + 1) mod V.
    tokens = torch.empty(B, T + 1, dtype=torch.long)
    tokens[:, 0] = torch.randint(0, V, (B,))
    for i in range(T):
        tokens[:, i + 1] = (3 * tokens[:, i] + 1) % V
    zeros = torch.zeros(B, H)

    # torch.nn.LSTM, its parameters trained in place.
    module = torch.nn.LSTM(E, H, batch_first=True)
    with torch.no_grad():
        for name, key in [("weight_ih_l0", "w"), ("weight_hh_l0", "r"),
                          ("bias_ih_l0", "b"), ("bias_hh_l0", "rb")]:
            getattr(module, name).copy_(init[key])
    params = {k: init[k].clone().requires_grad_() for k in ("embed", "head", "head_bias")}
    params.update({"w": module.weight_ih_l0, "r": module.weight_hh_l0,
                   "b": module.bias_ih_l0, "rb": module.bias_hh_l0})

    def torch_step(x, p):
        out, _ = module(x, (zeros[None], zeros[None]))
        return out
    torch_losses = train(torch_step, params, tokens)

    # seqc: the same parameters in seqc's layouts (W^T, R^T with a head axis).
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Bundle(seq_opt, seqc, tmp)
        lstm = seqc_lstm(bundle)
        params = {k: v.clone().requires_grad_() for k, v in init.items()}

        def seqc_step(x, p):
            y, _, _ = lstm(x.contiguous(), p["w"].t().contiguous(),
                           p["r"].t().contiguous()[None], p["b"], p["rb"], zeros, zeros)
            return y
        seqc_losses = train(seqc_step, params, tokens)

    worst = max(abs(a - b) / abs(b) for a, b in zip(seqc_losses, torch_losses))
    # ... and the model learned (the loss at least halved).
    ok = worst <= 1e-4 and seqc_losses[-1] < 0.5 * seqc_losses[0]
    print("step  0 loss torch %.6f seqc %.6f" % (torch_losses[0], seqc_losses[0]))
    print("step %d loss torch %.6f seqc %.6f" % (STEPS - 1, torch_losses[-1], seqc_losses[-1]))
    print("lstm language model, %d steps: worst relative loss difference %.2e  %s"
          % (STEPS, worst, "OK" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
