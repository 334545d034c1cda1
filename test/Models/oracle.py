#!/usr/bin/env python3
"""An independent NumPy oracle for every seqnn layer family.

Each layer is written here from its paper's equations (per step, in float64,
with explicit loops over time), independently of lib/Reference and of the
expansion. The same weights go through `seqc run --input ... --dump-outputs`
and the outputs and final states are compared.

Usage: oracle.py SEQC [FAMILY ...]
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

B, T, M = 2, 12, 16
RNG = np.random.default_rng(1234)


def t(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def normal(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def weight(*shape):
    fan_in = shape[-2] if len(shape) >= 2 else shape[-1]
    return RNG.uniform(-1, 1, shape).astype(np.float32) / np.float32(np.sqrt(fan_in))


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def softplus(v):
    return np.log1p(np.exp(v))


def layer_model(op, inputs, results, attrs="", extra="", init=None):
    """The text of a one-layer model @layer over `inputs` (name, array)."""
    args = ", ".join("%%%s: %s" % (n, t(a.shape)) for n, a in inputs)
    keywords = ("bias", "recurrent_bias")
    plain = [n for n, _ in inputs
             if not (init and n in init) and n not in keywords]
    text = "seqnn.%s " % op + ", ".join("%" + n for n in plain)
    for n, _ in inputs:
        if n in keywords:
            text += " %s %%%s" % (n, n)
    if init:
        text += " init(" + ", ".join("%" + n for n in init) + ")" if op not in (
            "mamba", "rglru", "retnet", "gla", "mamba2", "deltanet", "gated_deltanet") else " init %" + init[0]
    if extra:
        text += " " + extra
    if attrs:
        text += " {" + attrs + "}"
    in_types = ", ".join(t(a.shape) for _, a in inputs)
    out_types = ", ".join(t(s) for s in results)
    names = ", ".join("%%r%d" % i for i in range(len(results)))
    return ("func.func @layer(%s) -> (%s) {\n  %s = %s\n      : (%s) -> (%s)\n"
            "  return %s : %s\n}\n" % (args, out_types, names, text, in_types,
                                      out_types, names, out_types))


def run_seqc(seqc, op, inputs, results, attrs="", extra="", init=None):
    """Writes a one-layer model, runs it through seqc, returns its outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "layer.mlir")
        with open(model, "w") as f:
            f.write(layer_model(op, inputs, results, attrs, extra, init))
        command = [seqc, "run", model, "--repeat=1", "--dump-outputs", tmp]
        for n, a in inputs:
            path = os.path.join(tmp, n + ".npy")
            np.save(path, np.ascontiguousarray(a, dtype=np.float32))
            command += ["--input", "%s=%s" % (n, path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return [np.load(os.path.join(tmp, "layer_out%d.npy" % i)) for i in range(len(results))]


def block_recurrent(h, r, gates):
    """h [B, D] times the block-diagonal R [H, Dh, G*Dh], gate-major result."""
    heads, dh, _ = r.shape
    out = np.zeros((h.shape[0], gates, heads, dh))
    for k in range(heads):
        out[:, :, k, :] = (h[:, k * dh:(k + 1) * dh] @ r[k]).reshape(-1, gates, dh)
    return out.reshape(h.shape[0], gates * heads * dh)


# ---------------------------------------------------------------- classic RNNs

def classic(kind, gates, states, heads=2, hidden=32, activation="tanh"):
    x = normal(B, T, M)
    w, r = weight(M, gates * hidden), weight(heads, hidden // heads, gates * hidden // heads)
    b, rb = normal(gates * hidden, scale=0.1), normal(gates * hidden, scale=0.1)
    init = [normal(B, hidden, scale=0.5) for _ in states]
    if kind == "slstm":
        init[2] = np.abs(init[2]) + 1.0  # the normalizer n is positive
    xw = x.astype(np.float64) @ w + b
    s = [v.astype(np.float64) for v in init]
    ys = np.zeros((B, T, hidden))
    for step in range(T):
        hr = block_recurrent(s[0], r.astype(np.float64), gates)
        if kind != "gru":
            pre = np.split(xw[:, step] + hr + rb, gates, axis=1)
        if kind == "elman":
            v = pre[0]
            s = [np.tanh(v) if activation == "tanh" else np.maximum(v, 0)]
        elif kind == "lstm":
            i, f, g, o = pre
            c = sigmoid(f) * s[1] + sigmoid(i) * np.tanh(g)
            s = [sigmoid(o) * np.tanh(c), c]
        elif kind == "gru":
            xr, xz, xn = np.split(xw[:, step], 3, axis=1)
            hr_r, hr_z, hr_n = np.split(hr + rb, 3, axis=1)
            rg, zg = sigmoid(xr + hr_r), sigmoid(xz + hr_z)
            n = np.tanh(xn + rg * hr_n)
            s = [(1 - zg) * n + zg * s[0]]
        else:  # slstm
            i_, f_, z_, o_ = pre
            h, c, n, m = s
            m_new = np.maximum(f_ + m, i_)
            ig, fg = np.exp(i_ - m_new), np.exp(f_ + m - m_new)
            c = fg * c + ig * np.tanh(z_)
            n = fg * n + ig
            s = [sigmoid(o_) * c / n, c, n, m_new]
        ys[:, step] = s[0]
    names = ["x", "w", "r", "bias", "recurrent_bias"] + ["s%d" % k for k in range(len(states))]
    arrays = [x, w, r, b, rb] + init
    got = run_seqc(SEQC, kind, list(zip(names, arrays)), [(B, T, hidden)] + [(B, hidden)] * len(states),
                   attrs="heads = %d" % heads,
                   extra=("activation <relu>" if activation == "relu" else ""),
                   init=["s%d" % k for k in range(len(states))])
    # bias / recurrent_bias are keyword operands.
    return got, [ys] + s


def run_classic(kind, gates, states, **kw):
    return classic(kind, gates, states, **kw)


# -------------------------------------------------------------------- the SSMs

def lru():
    n = 8
    x = normal(B, T, M)
    nu, theta, gamma = normal(n, scale=0.5), normal(n, scale=0.5), normal(n, scale=0.3)
    b_re, b_im, c_re, c_im = weight(M, n), weight(M, n), weight(n, M), weight(n, M)
    d = normal(M)
    lam = np.exp(-np.exp(nu.astype(np.float64)) + 1j * np.exp(theta.astype(np.float64)))
    h = np.zeros((B, n), complex)
    ys = np.zeros((B, T, M))
    for step in range(T):
        h = lam * h + np.exp(gamma) * (x[:, step] @ (b_re + 1j * b_im))
        ys[:, step] = np.real(h @ (c_re + 1j * c_im)) + d * x[:, step]
    names = ["x", "nu", "theta", "gamma", "b_re", "b_im", "c_re", "c_im", "d"]
    arrays = [x, nu, theta, gamma, b_re, b_im, c_re, c_im, d]
    got = run_seqc(SEQC, "lru", list(zip(names, arrays)), [(B, T, M), (B, n), (B, n)])
    return got, [ys, h.real, h.imag]


def s4d():
    n = 4
    x = normal(B, T, M)
    log_dt = (RNG.uniform(np.log(1e-3), np.log(1e-1), M)).astype(np.float32)
    arl, ai = normal(M, n, scale=0.5), normal(M, n)
    b_re, b_im, c_re, c_im = normal(M, n), normal(M, n), normal(M, n), normal(M, n)
    d = normal(M)
    a = -np.exp(arl.astype(np.float64)) + 1j * ai
    dt = np.exp(log_dt.astype(np.float64))[:, None]
    a_bar = np.exp(dt * a)
    b_bar = (a_bar - 1) / a * (b_re + 1j * b_im)
    h = np.zeros((B, M, n), complex)
    ys = np.zeros((B, T, M))
    for step in range(T):
        h = a_bar * h + b_bar * x[:, step, :, None]
        ys[:, step] = 2 * np.real(np.sum((c_re + 1j * c_im) * h, axis=-1)) + d * x[:, step]
    names = ["x", "log_dt", "a_real_log", "a_imag", "b_re", "b_im", "c_re", "c_im", "d"]
    arrays = [x, log_dt, arl, ai, b_re, b_im, c_re, c_im, d]
    got = run_seqc(SEQC, "s4d", list(zip(names, arrays)), [(B, T, M), (B, M, n), (B, M, n)])
    return got, [ys, h.real, h.imag]


def mamba():
    n, rank = 4, 3
    u = normal(B, T, M)
    a_log = normal(M, n, scale=0.5)
    x_proj, dt_proj = weight(M, rank + 2 * n), weight(rank, M)
    dt_bias, d = normal(M, scale=0.5), normal(M)
    A = -np.exp(a_log.astype(np.float64))
    h = np.zeros((B, M, n))
    ys = np.zeros((B, T, M))
    for step in range(T):
        p = u[:, step].astype(np.float64) @ x_proj
        dt = softplus(p[:, :rank] @ dt_proj + dt_bias)
        bt, ct = p[:, rank:rank + n], p[:, rank + n:]
        h = np.exp(dt[:, :, None] * A) * h + dt[:, :, None] * bt[:, None, :] * u[:, step, :, None]
        ys[:, step] = np.sum(ct[:, None, :] * h, axis=-1) + d * u[:, step]
    names = ["u", "a_log", "x_proj", "dt_proj", "dt_bias", "d"]
    got = run_seqc(SEQC, "mamba", list(zip(names, [u, a_log, x_proj, dt_proj, dt_bias, d])),
                   [(B, T, M), (B, M, n)])
    return got, [ys, h]


def rglru():
    # lambda around 2 (a = sigmoid(lambda)^(c r) close to 1: long memories,
    # where 1 - a^2 is small) and an initial state.
    x = normal(B, T, M)
    w_a, w_x = weight(M, M), weight(M, M)
    b_a, b_x = normal(M, scale=0.5), normal(M, scale=0.5)
    lam = (2.0 + normal(M)).astype(np.float32)
    h0 = normal(B, M)
    c = 8.0
    xd = x.astype(np.float64)
    h = h0.astype(np.float64)
    ys = np.zeros((B, T, M))
    for step in range(T):
        r = sigmoid(xd[:, step] @ w_a + b_a)
        i = sigmoid(xd[:, step] @ w_x + b_x)
        a = sigmoid(lam.astype(np.float64)) ** (c * r)
        h = a * h + np.sqrt(1.0 - a * a) * (i * xd[:, step])
        ys[:, step] = h
    names = ["x", "w_a", "b_a", "w_x", "b_x", "lambda", "init"]
    got = run_seqc(SEQC, "rglru", list(zip(names, [x, w_a, b_a, w_x, b_x, lam, h0])),
                   [(B, T, M), (B, M)], init=["init"])
    return got, [ys, h]


# ------------------------------------------------------------- attention family

H, DK = 2, 8


def heads(v):
    return v.reshape(v.shape[0], H, -1)


def linear_family(kind):
    x = normal(B, T, M)
    wq, wk, wv, wo = weight(M, H * DK), weight(M, H * DK), weight(M, H * DK), weight(H * DK, M)
    S = np.zeros((B, H, DK, DK))
    ys = np.zeros((B, T, M))
    extra_inputs, extra_names, attrs, extra = [], [], "heads = %d" % H, ""
    if kind == "gla":
        wd, wu, gb = weight(M, 4), weight(4, H * DK), normal(H * DK, scale=0.5)
        extra_names, extra_inputs = ["w_gate_down", "w_gate_up", "gate_bias"], [wd, wu, gb]
    if kind in ("deltanet", "gated_deltanet"):
        wbeta = weight(M, H)
        extra_names, extra_inputs = ["w_beta"], [wbeta]
        extra = "allow_negative_eigenvalues" if kind == "deltanet" else ""
    if kind == "gated_deltanet":
        wa, a_log, dt_bias = weight(M, H), normal(H, scale=0.5), normal(H, scale=0.5)
        extra_names += ["w_a", "a_log", "dt_bias"]
        extra_inputs += [wa, a_log, dt_bias]
    for step in range(T):
        xt = x[:, step].astype(np.float64)
        q, k, v = heads(xt @ wq), heads(xt @ wk), heads(xt @ wv)
        if kind in ("deltanet", "gated_deltanet"):
            q = q / np.sqrt(np.sum(q * q, -1, keepdims=True) + 1e-12)
            k = k / np.sqrt(np.sum(k * k, -1, keepdims=True) + 1e-12)
        if kind == "retnet":
            gamma = 1 - 2.0 ** (-5 - np.arange(H))
            S = gamma[None, :, None, None] * S + k[..., :, None] * v[..., None, :]
        elif kind == "gla":
            z = heads((xt @ wd) @ wu + gb)
            alpha = np.exp(-softplus(-z) / 16.0)
            S = alpha[..., :, None] * S + k[..., :, None] * v[..., None, :]
        else:
            beta = sigmoid(xt @ wbeta) * (2.0 if kind == "deltanet" else 1.0)
            kS = np.einsum("bhi,bhij->bhj", k, S)
            S = S - beta[..., None, None] * k[..., :, None] * kS[..., None, :]
            if kind == "gated_deltanet":
                alpha = np.exp(-np.exp(a_log) * softplus(xt @ wa + dt_bias))
                S = alpha[..., None, None] * S
            S = S + beta[..., None, None] * k[..., :, None] * v[..., None, :]
        o = np.einsum("bhij,bhi->bhj", S, q) / np.sqrt(DK)
        ys[:, step] = o.reshape(B, -1) @ wo
    names = ["x", "w_q", "w_k", "w_v"] + extra_names + ["w_o"]
    arrays = [x, wq, wk, wv] + extra_inputs + [wo]
    if kind == "gla":  # gla's operand order: w_q, w_k, w_v, w_gate_down, w_gate_up, gate_bias, w_o
        pass
    got = run_seqc(SEQC, kind, list(zip(names, arrays)), [(B, T, M), (B, H, DK, DK)],
                   attrs=attrs, extra=extra)
    return got, [ys, S]


def mamba2():
    n, p, groups, nheads = 4, 4, 1, 2
    x = normal(B, T, M)
    wb, wc, wx = weight(M, groups * n), weight(M, groups * n), weight(M, nheads * p)
    wdt, dt_bias, a_log, d, wo = weight(M, nheads), normal(nheads, scale=0.5), normal(nheads, scale=0.5), normal(nheads), weight(nheads * p, M)
    S = np.zeros((B, nheads, n, p))
    ys = np.zeros((B, T, M))
    for step in range(T):
        xt = x[:, step].astype(np.float64)
        dt = softplus(xt @ wdt + dt_bias)
        decay = np.exp(dt * -np.exp(a_log))
        bt, ct, xv = xt @ wb, xt @ wc, (xt @ wx).reshape(B, nheads, p)
        S = decay[..., None, None] * S + bt[:, None, :, None] * (dt[..., None] * xv)[:, :, None, :]
        o = np.einsum("bhnp,bn->bhp", S, ct) + d[None, :, None] * xv
        ys[:, step] = o.reshape(B, -1) @ wo
    names = ["x", "w_b", "w_c", "w_x", "w_dt", "dt_bias", "a_log", "d", "w_o"]
    got = run_seqc(SEQC, "mamba2", list(zip(names, [x, wb, wc, wx, wdt, dt_bias, a_log, d, wo])),
                   [(B, T, M), (B, nheads, n, p)], attrs="heads = %d" % nheads)
    return got, [ys, S]


def softmax_family(kind):
    x = normal(B, T, M)
    wq, wk, wv, wo = weight(M, H * DK), weight(M, H * DK), weight(M, H * DK), weight(H * DK, M)
    query = normal(H, DK)
    xd = x.astype(np.float64)
    k = (xd @ wk).reshape(B, T, H, DK)
    v = (xd @ wv).reshape(B, T, H, DK)
    q = (xd @ wq).reshape(B, T, H, DK) if kind == "attention" else np.broadcast_to(query, (B, T, H, DK))
    scores = np.einsum("bthd,bshd->bhts", q, k) / np.sqrt(DK)
    mask = np.tril(np.ones((T, T), bool))
    scores = np.where(mask, scores, -np.inf)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    o = np.einsum("bhts,bshd->bthd", weights, v)
    ys = o.reshape(B, T, -1) @ wo
    if kind == "attention":
        names, arrays = ["x", "w_q", "w_k", "w_v", "w_o"], [x, wq, wk, wv, wo]
        results = [(B, T, M), (B, T, H, DK), (B, T, H, DK)]
        expected = [ys, k, v]
    else:
        names, arrays = ["x", "query", "w_k", "w_v", "w_o"], [x, query, wk, wv, wo]
        s_all = np.einsum("hd,bthd->bht", query, k) / np.sqrt(DK)
        m = s_all.max(-1)
        u = np.exp(s_all - m[..., None]).sum(-1)
        w = np.einsum("bht,bthd->bhd", np.exp(s_all - m[..., None]), v)
        results = [(B, T, M), (B, H), (B, H), (B, H, DK)]
        expected = [ys, m, u, w]
    got = run_seqc(SEQC, kind, list(zip(names, arrays)), results, attrs="heads = %d" % H)
    return got, expected


FAMILIES = {
    "elman": lambda: run_classic("elman", 1, ["h"]),
    "elman_relu": lambda: run_classic("elman", 1, ["h"], activation="relu"),
    "lstm": lambda: run_classic("lstm", 4, ["h", "c"]),
    "gru": lambda: run_classic("gru", 3, ["h"]),
    "slstm": lambda: run_classic("slstm", 4, ["h", "c", "n", "m"]),
    "lru": lru,
    "s4d": s4d,
    "mamba": mamba,
    "rglru": rglru,
    "retnet": lambda: linear_family("retnet"),
    "gla": lambda: linear_family("gla"),
    "mamba2": mamba2,
    "deltanet": lambda: linear_family("deltanet"),
    "gated_deltanet": lambda: linear_family("gated_deltanet"),
    "aaren": lambda: softmax_family("aaren"),
    "attention": lambda: softmax_family("attention"),
}


def main():
    global SEQC
    SEQC = sys.argv[1]
    selected = sys.argv[2:] or list(FAMILIES)
    failures = 0
    for name in selected:
        got, expected = FAMILIES[name]()
        worst = 0.0
        for g, e in zip(got, expected):
            e = np.asarray(e, dtype=np.float64)
            scale = max(1.0, float(np.sqrt(np.mean(e * e))))
            worst = max(worst, float(np.max(np.abs(g - e))) / scale)
        ok = worst < 1e-4
        failures += not ok
        print("%-15s outputs %d  max error / scale %.2e  %s" % (name, len(got), worst, "OK" if ok else "MISMATCH"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
