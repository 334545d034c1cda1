#!/usr/bin/env python3
"""Gradients of the seqnn layer families beyond the classic RNNs against the
equations of oracle.py written again in PyTorch and differentiated by its
autograd in float64 (CPU).

Each layer runs through `seqc run --grad` (seqnn-expand, seq-differentiate,
the CPU pipeline) with the same weights, inputs and output cotangents as
torch's backward; seqc's f32 gradients of every argument must match
torch's f64 ones to rtol 1e-5 of each gradient's scale. (Elman, LSTM and GRU
are checked against torch.nn in torch_gradients.py.)

One exception, measured: the parameters of gated DeltaNet's decay (a_log,
dt_bias, w_a) at rtol 1e-4. Their gradients are sums over every step of the
gate's cotangent, which the chunkwise WY/UT backward forms by the
cumulative-sum trick from terms that cancel (each pair's exponent counted at
both ends); its error grows with the chunk: 1.5e-7 at chunks of 4 steps,
7.8e-6 at one chunk of all 12, where the sequential backward gives 1.2e-7
(seqc, this test's inputs).
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402
from gradient_harness import compare, seqc_gradients  # noqa: E402
from oracle import B, T, M, H, DK, normal, weight  # noqa: E402


def softplus(v):
    return torch.nn.functional.softplus(v)


def heads(v):
    return v.reshape(v.shape[0], H, -1)


def lru():
    n = 8
    arrays = dict(x=normal(B, T, M), nu=normal(n, scale=0.5), theta=normal(n, scale=0.5),
                  gamma=normal(n, scale=0.3), b_re=weight(M, n), b_im=weight(M, n),
                  c_re=weight(n, M), c_im=weight(n, M), d=normal(M))

    def run(a):
        lam = torch.exp(-torch.exp(a["nu"]) + 1j * torch.exp(a["theta"]))
        h = torch.zeros(B, n, dtype=torch.complex128)
        ys = []
        for step in range(T):
            h = lam * h + torch.exp(a["gamma"]) * (a["x"][:, step].to(torch.complex128) @ (a["b_re"] + 1j * a["b_im"]))
            ys.append(torch.real(h @ (a["c_re"] + 1j * a["c_im"])) + a["d"] * a["x"][:, step])
        return [torch.stack(ys, 1), h.real, h.imag]
    return "lru", arrays, run, "", "", None


def s4d():
    n = 4
    arrays = dict(x=normal(B, T, M),
                  log_dt=oracle.RNG.uniform(np.log(1e-3), np.log(1e-1), M).astype(np.float32),
                  a_real_log=normal(M, n, scale=0.5), a_imag=normal(M, n), b_re=normal(M, n),
                  b_im=normal(M, n), c_re=normal(M, n), c_im=normal(M, n), d=normal(M))

    def run(a):
        A = -torch.exp(a["a_real_log"]) + 1j * a["a_imag"]
        dt = torch.exp(a["log_dt"])[:, None]
        a_bar = torch.exp(dt * A)
        b_bar = (a_bar - 1) / A * (a["b_re"] + 1j * a["b_im"])
        h = torch.zeros(B, M, n, dtype=torch.complex128)
        ys = []
        for step in range(T):
            h = a_bar * h + b_bar * a["x"][:, step, :, None]
            ys.append(2 * torch.real(torch.sum((a["c_re"] + 1j * a["c_im"]) * h, -1))
                      + a["d"] * a["x"][:, step])
        return [torch.stack(ys, 1), h.real, h.imag]
    return "s4d", arrays, run, "", "", None


def mamba():
    n, rank = 4, 3
    arrays = dict(u=normal(B, T, M), a_log=normal(M, n, scale=0.5),
                  x_proj=weight(M, rank + 2 * n), dt_proj=weight(rank, M),
                  dt_bias=normal(M, scale=0.5), d=normal(M))

    def run(a):
        A = -torch.exp(a["a_log"])
        h = torch.zeros(B, M, n, dtype=torch.float64)
        ys = []
        for step in range(T):
            u = a["u"][:, step]
            p = u @ a["x_proj"]
            dt = softplus(p[:, :rank] @ a["dt_proj"] + a["dt_bias"])
            bt, ct = p[:, rank:rank + n], p[:, rank + n:]
            h = torch.exp(dt[:, :, None] * A) * h + dt[:, :, None] * bt[:, None, :] * u[:, :, None]
            ys.append(torch.sum(ct[:, None, :] * h, -1) + a["d"] * u)
        return [torch.stack(ys, 1), h]
    return "mamba", arrays, run, "", "", None


def rglru():
    arrays = dict(x=normal(B, T, M), w_a=weight(M, M), b_a=normal(M, scale=0.5),
                  w_x=weight(M, M), b_x=normal(M, scale=0.5),
                  **{"lambda": (2.0 + normal(M)).astype(np.float32)}, init=normal(B, M))

    def run(a):
        h = a["init"]
        ys = []
        for step in range(T):
            x = a["x"][:, step]
            r = torch.sigmoid(x @ a["w_a"] + a["b_a"])
            i = torch.sigmoid(x @ a["w_x"] + a["b_x"])
            decay = torch.sigmoid(a["lambda"]) ** (8.0 * r)
            h = decay * h + torch.sqrt(1.0 - decay * decay) * (i * x)
            ys.append(h)
        return [torch.stack(ys, 1), h]
    return "rglru", arrays, run, "", "", ["init"]


def linear_family(kind):
    arrays = dict(x=normal(B, T, M), w_q=weight(M, H * DK), w_k=weight(M, H * DK),
                  w_v=weight(M, H * DK))
    extra = ""
    if kind == "gla":
        arrays.update(w_gate_down=weight(M, 4), w_gate_up=weight(4, H * DK),
                      gate_bias=normal(H * DK, scale=0.5))
    if kind in ("deltanet", "gated_deltanet"):
        arrays.update(w_beta=weight(M, H))
        extra = "allow_negative_eigenvalues" if kind == "deltanet" else ""
    if kind == "gated_deltanet":
        arrays.update(w_a=weight(M, H), a_log=normal(H, scale=0.5), dt_bias=normal(H, scale=0.5))
    arrays.update(w_o=weight(H * DK, M))

    def run(a):
        S = torch.zeros(B, H, DK, DK, dtype=torch.float64)
        ys = []
        for step in range(T):
            xt = a["x"][:, step]
            q, k, v = heads(xt @ a["w_q"]), heads(xt @ a["w_k"]), heads(xt @ a["w_v"])
            if kind in ("deltanet", "gated_deltanet"):
                q = q / torch.sqrt(torch.sum(q * q, -1, keepdim=True) + 1e-12)
                k = k / torch.sqrt(torch.sum(k * k, -1, keepdim=True) + 1e-12)
            if kind == "retnet":
                gamma = 1 - 2.0 ** (-5 - torch.arange(H, dtype=torch.float64))
                S = gamma[None, :, None, None] * S + k[..., :, None] * v[..., None, :]
            elif kind == "gla":
                z = heads((xt @ a["w_gate_down"]) @ a["w_gate_up"] + a["gate_bias"])
                alpha = torch.exp(-softplus(-z) / 16.0)
                S = alpha[..., :, None] * S + k[..., :, None] * v[..., None, :]
            else:
                beta = torch.sigmoid(xt @ a["w_beta"]) * (2.0 if kind == "deltanet" else 1.0)
                kS = torch.einsum("bhi,bhij->bhj", k, S)
                S = S - beta[..., None, None] * k[..., :, None] * kS[..., None, :]
                if kind == "gated_deltanet":
                    alpha = torch.exp(-torch.exp(a["a_log"]) * softplus(xt @ a["w_a"] + a["dt_bias"]))
                    S = alpha[..., None, None] * S
                S = S + beta[..., None, None] * k[..., :, None] * v[..., None, :]
            o = torch.einsum("bhij,bhi->bhj", S, q) / DK ** 0.5
            ys.append(o.reshape(B, -1) @ a["w_o"])
        return [torch.stack(ys, 1), S]
    return kind, arrays, run, "heads = %d" % H, extra, None


def mamba2():
    n, p, nheads = 4, 4, 2
    arrays = dict(x=normal(B, T, M), w_b=weight(M, n), w_c=weight(M, n), w_x=weight(M, nheads * p),
                  w_dt=weight(M, nheads), dt_bias=normal(nheads, scale=0.5),
                  a_log=normal(nheads, scale=0.5), d=normal(nheads), w_o=weight(nheads * p, M))

    def run(a):
        S = torch.zeros(B, nheads, n, p, dtype=torch.float64)
        ys = []
        for step in range(T):
            xt = a["x"][:, step]
            dt = softplus(xt @ a["w_dt"] + a["dt_bias"])
            decay = torch.exp(dt * -torch.exp(a["a_log"]))
            bt, ct, xv = xt @ a["w_b"], xt @ a["w_c"], (xt @ a["w_x"]).reshape(B, nheads, p)
            S = decay[..., None, None] * S + bt[:, None, :, None] * (dt[..., None] * xv)[:, :, None, :]
            o = torch.einsum("bhnp,bn->bhp", S, ct) + a["d"][None, :, None] * xv
            ys.append(o.reshape(B, -1) @ a["w_o"])
        return [torch.stack(ys, 1), S]
    return "mamba2", arrays, run, "heads = %d" % nheads, "", None


def softmax_family(kind):
    arrays = dict(x=normal(B, T, M))
    if kind == "attention":
        arrays["w_q"] = weight(M, H * DK)
    else:
        arrays["query"] = normal(H, DK)
    arrays.update(w_k=weight(M, H * DK), w_v=weight(M, H * DK), w_o=weight(H * DK, M))

    def run(a):
        x = a["x"]
        k = (x @ a["w_k"]).reshape(B, T, H, DK)
        v = (x @ a["w_v"]).reshape(B, T, H, DK)
        if kind == "attention":
            q = (x @ a["w_q"]).reshape(B, T, H, DK)
        else:
            q = a["query"].expand(B, T, H, DK)
        scores = torch.einsum("bthd,bshd->bhts", q, k) / DK ** 0.5
        mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), -1)
        ys = torch.einsum("bhts,bshd->bthd", weights, v).reshape(B, T, -1) @ a["w_o"]
        if kind == "attention":
            return [ys, k, v]
        s_all = torch.einsum("hd,bthd->bht", a["query"], k) / DK ** 0.5
        m = s_all.max(-1).values
        e = torch.exp(s_all - m[..., None])
        return [ys, m, e.sum(-1), torch.einsum("bht,bthd->bhd", e, v)]
    return kind, arrays, run, "heads = %d" % H, "", None


def case(seqc, family):
    op, arrays, run, attrs, extra, init = family()
    leaves = {n: torch.tensor(a, dtype=torch.float64, requires_grad=True) for n, a in arrays.items()}
    outputs = run(leaves)
    generator = torch.Generator().manual_seed(17)
    cotangents = [torch.randn(o.shape, generator=generator, dtype=torch.float64) for o in outputs]
    torch.autograd.backward(outputs, cotangents)
    inputs = list(arrays.items())
    text = oracle.layer_model(op, inputs, [tuple(o.shape) for o in outputs], attrs, extra, init)
    got = seqc_gradients(seqc, text, "layer", inputs, cotangents)
    expected = {n: leaves[n].grad.numpy() for n, _ in inputs}
    return compare(op, expected, got,
                   rtol=lambda name: 1e-4 if (op, name) in CHUNKED_GATE_PARAMETERS else 1e-5)


CHUNKED_GATE_PARAMETERS = {("gated_deltanet", "a_log"), ("gated_deltanet", "dt_bias"),
                           ("gated_deltanet", "w_a")}

FAMILIES = [lru, s4d, mamba, rglru, lambda: linear_family("retnet"), lambda: linear_family("gla"),
            mamba2, lambda: linear_family("deltanet"), lambda: linear_family("gated_deltanet"),
            lambda: softmax_family("attention"), lambda: softmax_family("aaren")]


def main():
    seqc = sys.argv[1]
    torch.set_num_threads(1)
    results = [case(seqc, family) for family in FAMILIES]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
