#!/usr/bin/env python3
"""Gradients of seq.linear_attention and seq.delta_rule against recurrences
written here in PyTorch, differentiated by torch autograd in float64 (CPU).

Each case runs one op through `seqc run --grad` (its chunkwise backward, or
the sequential one when the op is written sequential) with the same inputs
and output cotangents torch's backward gets; seqc's f32 gradients of every
input (q, k, v, the gate, beta, the initial state) must match torch's f64
ones to rtol 1e-5 of each gradient's scale. Inputs are adversarial as in the
forms property test: decays near 1 and strong ones (log gates from -20 to
-1e-4), beta near 0 and near 2 (negative eigenvalues), T = 1 and T not
divisible by the chunk.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradient_harness import compare, seqc_gradients  # noqa: E402

B, H, DK, DV = 2, 2, 8, 4


def tensor_type(shape):
    return "tensor<%sxf32>" % "x".join(str(d) for d in shape)


def adversarial_log_gates(generator, shape):
    # Half near 0 (decay ~1), a quarter moderate, a quarter strong.
    u = torch.rand(shape, generator=generator, dtype=torch.float64)
    near_one = -1e-4 - 0.01 * u
    moderate = -0.05 - 1.0 * u
    strong = -2.0 - 18.0 * u
    pick = torch.rand(shape, generator=generator, dtype=torch.float64)
    return torch.where(pick < 0.5, near_one, torch.where(pick < 0.75, moderate, strong))


def reference(op, gate, q, k, v, g, beta, s0):
    """o [B, T, H, DV] and the final state [B, H, DK, DV], step by step."""
    scale = 1.0 / DK ** 0.5
    S = s0
    outputs = []
    for t in range(q.shape[1]):
        kt, vt, qt = k[:, t], v[:, t], q[:, t]  # [B, H, d]
        if gate == "vector":
            decay = torch.exp(g[:, t])[..., None]  # [B, H, DK, 1]
        elif gate in ("scalar", "gate"):
            decay = torch.exp(g[:, t])[..., None, None]  # [B, H, 1, 1]
        else:
            decay = 1.0
        if op == "delta_rule":
            b = beta[:, t][..., None, None]
            projected = kt[..., :, None] * torch.einsum("bhk,bhkv->bhv", kt, S)[..., None, :]
            S = decay * (S - b * projected) + b * kt[..., :, None] * vt[..., None, :]
        else:
            S = decay * S + kt[..., :, None] * vt[..., None, :]
        outputs.append(scale * torch.einsum("bhkv,bhk->bhv", S, qt))
    return torch.stack(outputs, 1), S


def case(seqc, op, gate, T, form, chunk, seed):
    generator = torch.Generator().manual_seed(seed)
    f64 = torch.float64
    q = torch.randn(B, T, H, DK, generator=generator, dtype=f64)
    k = torch.randn(B, T, H, DK, generator=generator, dtype=f64)
    v = torch.randn(B, T, H, DV, generator=generator, dtype=f64)
    s0 = torch.randn(B, H, DK, DV, generator=generator, dtype=f64)
    args = [("q", q), ("k", k), ("v", v)]
    g = beta = None
    if op == "delta_rule":
        k = k / k.norm(dim=-1, keepdim=True)  # keys are expected unit norm
        args[1] = ("k", k)
        u = torch.rand(B, T, H, generator=generator, dtype=f64)
        beta = torch.where(u < 0.3, 1e-3 * u, torch.where(u < 0.6, 2.0 - 1e-3 * u, 2.0 * u))
        args.append(("beta", beta))
    if gate == "vector":
        g = adversarial_log_gates(generator, (B, T, H, DK))
    elif gate in ("scalar", "gate"):
        g = adversarial_log_gates(generator, (B, T, H))
    if g is not None:
        args.append(("g", g))
    args.append(("s0", s0))
    # Both sides from the same f32 values: seqc's inputs are f32.
    args = [(n, a.float().double()) for n, a in args]
    leaves = {n: a.clone().requires_grad_() for n, a in args}
    o, s = reference(op, gate, leaves["q"], leaves["k"], leaves["v"], leaves.get("g"),
                     leaves.get("beta"), leaves["s0"])
    cotangents = [torch.randn(o.shape, generator=generator, dtype=f64),
                  torch.randn(s.shape, generator=generator, dtype=f64)]
    torch.autograd.backward([o, s], cotangents)

    attrs = ""
    if form == "sequential":
        attrs = " {form = #seq.form<sequential>}"
    elif form == "chunkwise":
        attrs = " {form = #seq.form<chunkwise, chunk_size = %d>}" % chunk
    types = ", ".join(tensor_type(a.shape) for _, a in args)
    out, state = tensor_type(o.shape), tensor_type(s.shape)
    if op == "delta_rule":
        operands = "%q, %k, %v, %beta" + (" gate %g" if g is not None else "")
        operands += " init %s0 allow_negative_eigenvalues"
    else:
        operands = "%q, %k, %v" + (" gate <%s> %%g" % gate if g is not None else "") + " init %s0"
    text = "func.func @f(%s) -> (%s, %s) {\n" % (
        ", ".join("%%%s: %s" % (n, tensor_type(a.shape)) for n, a in args), out, state)
    text += "  %%o, %%s = seq.%s %s%s : (%s) -> (%s, %s)\n" % (op, operands, attrs, types, out, state)
    text += "  return %%o, %%s : %s, %s\n}\n" % (out, state)

    got = seqc_gradients(seqc, text, "f", [(n, a.numpy()) for n, a in args], cotangents)
    expected = {n: leaves[n].grad.numpy() for n, _ in args}
    label = "%s %s T%d %s%s" % (op, gate, T, form, " C%d" % chunk if form == "chunkwise" else "")
    return compare(label, expected, got, width=40)


def main():
    seqc = sys.argv[1]
    torch.set_num_threads(1)
    cases = [
        ("linear_attention", "vector", 37, "chunkwise", 16, 1),
        ("linear_attention", "vector", 70, "chunkwise", 64, 2),
        ("linear_attention", "vector", 1, "auto", 0, 3),
        ("linear_attention", "scalar", 37, "chunkwise", 16, 4),
        ("linear_attention", "none", 37, "chunkwise", 16, 5),
        ("linear_attention", "vector", 37, "sequential", 0, 6),
        ("delta_rule", "gate", 37, "chunkwise", 16, 7),
        ("delta_rule", "gate", 70, "auto", 0, 8),
        ("delta_rule", "none", 37, "chunkwise", 16, 9),
        ("delta_rule", "gate", 1, "auto", 0, 10),
        ("delta_rule", "gate", 37, "sequential", 0, 11),
    ]
    results = [case(seqc, *c) for c in cases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
