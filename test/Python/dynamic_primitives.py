#!/usr/bin/env python3
"""seq primitives compiled once with a dynamic batch and time (seqc.compile,
the sequential form) and run at T = 1, 7, 64, 1000 and B = 1, 3 against
NumPy evaluations of their equations (float64): seq.scan, seq.linear_scan,
seq.linear_attention with a vector gate (GLA), seq.delta_rule with a gate
and negative eigenvalues (gated DeltaNet), seq.softmax_attention (causal).
Prints one line per primitive and "MISMATCH" on failure.
"""
import sys

import numpy as np
import torch

import seqc

SHAPES = [(b, t) for b in (1, 3) for t in (1, 7, 64, 1000)]
H, DK, DV = 2, 8, 4
rng = np.random.default_rng(0)


def ty(*dims):
    return "tensor<%sxf32>" % "x".join(str(d) for d in dims)


def linear_scan_ref(a, x):
    h = np.zeros(a.shape[:1] + a.shape[2:])
    ys = np.zeros_like(a)
    for t in range(a.shape[1]):
        h = a[:, t] * h + x[:, t]
        ys[:, t] = h
    return [ys, h]


def gla_ref(q, k, v, g):
    B, T = q.shape[:2]
    s = np.zeros((B, H, DK, DV))
    o = np.zeros((B, T, H, DV))
    for t in range(T):
        s = np.exp(g[:, t])[..., None] * s + k[:, t, :, :, None] * v[:, t, :, None, :]
        o[:, t] = np.einsum("bhk,bhkv->bhv", q[:, t], s) / np.sqrt(DK)
    return [o, s]


def delta_ref(q, k, v, beta, g):
    B, T = q.shape[:2]
    s = np.zeros((B, H, DK, DV))
    o = np.zeros((B, T, H, DV))
    for t in range(T):
        kt, vt, bt = k[:, t], v[:, t], beta[:, t][..., None, None]
        s = np.exp(g[:, t])[..., None, None] * s
        s = s - bt * kt[..., :, None] * np.einsum("bhk,bhkv->bhv", kt, s)[..., None, :]
        s = s + bt * kt[..., :, None] * vt[..., None, :]
        o[:, t] = np.einsum("bhk,bhkv->bhv", q[:, t], s) / np.sqrt(DK)
    return [o, s]


def softmax_ref(q, k, v):
    T = q.shape[1]
    scores = np.einsum("bthd,bshd->bhts", q, k) / np.sqrt(DK)
    scores = np.where(np.tril(np.ones((T, T), bool)), scores, -np.inf)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return [np.einsum("bhts,bshd->bthd", p, v), k, v]


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def running_max_sum_ref(x, y):
    return [np.maximum.accumulate(x, axis=1), np.cumsum(y, axis=1), x.max(axis=1), y.sum(axis=1)]


CASES = {
    "scan (running max and sum)": (
        """func.func @f(%x: {s}, %y: {s}) -> ({s}, {s}, {f}, {f}) {{
  %o:2, %last:2 = seq.scan ins(%x, %y : {s}, {s}) -> ({s}, {s}) final ({f}, {f}) {{
  ^bb0(%lx: f32, %ly: f32, %rx: f32, %ry: f32):
    %m = arith.maximumf %lx, %rx : f32
    %a = arith.addf %ly, %ry : f32
    seq.yield %m, %a : f32, f32
  }}
  return %o#0, %o#1, %last#0, %last#1 : {s}, {s}, {f}, {f}
}}""".format(s=ty("?", "?", 16), f=ty("?", 16)),
        lambda B, T: [rng.normal(size=(B, T, 16)), rng.normal(size=(B, T, 16))],
        running_max_sum_ref),
    "linear_scan": (
        """func.func @f(%a: {a}, %x: {a}) -> ({a}, {h}) {{
  %y, %h = seq.linear_scan %a, %x : ({a}, {a}) -> ({a}, {h})
  return %y, %h : {a}, {h}
}}""".format(a=ty("?", "?", 16), h=ty("?", 16)),
        lambda B, T: [rng.uniform(0.5, 0.99, (B, T, 16)), rng.normal(size=(B, T, 16))],
        linear_scan_ref),
    "linear_attention (vector gate)": (
        """func.func @f(%q: {qk}, %k: {qk}, %v: {v}, %g: {qk}) -> ({v}, {s}) {{
  %o, %s = seq.linear_attention %q, %k, %v gate <vector> %g : ({qk}, {qk}, {v}, {qk}) -> ({v}, {s})
  return %o, %s : {v}, {s}
}}""".format(qk=ty("?", "?", H, DK), v=ty("?", "?", H, DV), s=ty("?", H, DK, DV)),
        lambda B, T: [rng.normal(size=(B, T, H, DK)), rng.normal(size=(B, T, H, DK)),
                      rng.normal(size=(B, T, H, DV)), -rng.uniform(0.01, 0.3, (B, T, H, DK))],
        gla_ref),
    "delta_rule (gate, negative eigenvalues)": (
        """func.func @f(%q: {qk}, %k: {qk}, %v: {v}, %beta: {bh}, %g: {bh}) -> ({v}, {s}) {{
  %o, %s = seq.delta_rule %q, %k, %v, %beta gate %g allow_negative_eigenvalues
      : ({qk}, {qk}, {v}, {bh}, {bh}) -> ({v}, {s})
  return %o, %s : {v}, {s}
}}""".format(qk=ty("?", "?", H, DK), v=ty("?", "?", H, DV), s=ty("?", H, DK, DV),
             bh=ty("?", "?", H)),
        lambda B, T: [rng.normal(size=(B, T, H, DK)), unit(rng.normal(size=(B, T, H, DK))),
                      rng.normal(size=(B, T, H, DV)), rng.uniform(0, 2, (B, T, H)),
                      -rng.uniform(0.01, 0.3, (B, T, H))],
        delta_ref),
    "softmax_attention (causal)": (
        """func.func @f(%q: {qk}, %k: {qk}, %v: {v}) -> ({v}, {qk}, {v}) {{
  %o, %kc, %vc = seq.softmax_attention %q, %k, %v : ({qk}, {qk}, {v}) -> ({v}, {qk}, {v})
  return %o, %kc, %vc : {v}, {qk}, {v}
}}""".format(qk=ty("?", "?", H, DK), v=ty("?", "?", H, DV)),
        lambda B, T: [rng.normal(size=(B, T, H, DK)), rng.normal(size=(B, T, H, DK)),
                      rng.normal(size=(B, T, H, DV))],
        softmax_ref),
}

failures = 0
for name, (text, make, reference) in CASES.items():
    before = seqc.compile_count()
    f = seqc.compile(text).f
    worst = 0.0
    for B, T in SHAPES:
        inputs = make(B, T)
        outputs = f(*[torch.tensor(x, dtype=torch.float32) for x in inputs])
        expected = reference(*inputs)
        for got, want in zip(outputs, expected):
            # Relative to the output's scale (rms), per element.
            scale = np.sqrt(np.mean(want ** 2)) + 1e-12
            worst = max(worst, float(np.max(np.abs(got.numpy() - want) / (np.abs(want) + scale))))
    ok = worst < 2e-4
    failures += not ok
    print("%s: one compile (%d), %d shapes, max relative error %.2e: %s" % (
        name, seqc.compile_count() - before, len(SHAPES), worst, "OK" if ok else "MISMATCH"))
print("%d failures" % failures)
sys.exit(1 if failures else 0)
