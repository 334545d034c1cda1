#!/usr/bin/env python3
"""Packed variable-length batches (seq.packed): sequences of lengths 1, 2,
C - 1, C, C + 1 and a long one (C = 64) concatenated along time with
cu_seqlens offsets, each with its own initial state. The results equal
each sequence run alone: a linear scan against NumPy, a GLA layer and an
LSTM layer (seqnn ops inside the packed body) against the same layer
compiled unpacked and run sequence by sequence. Invalid offsets are a
ValueError from the compiled code's status, never a read out of bounds.
"""
import numpy as np
import torch

import seqc
from checks import check, finish

LENGTHS = [1, 2, 63, 64, 65, 300]
OFFSETS = torch.tensor(np.concatenate([[0], np.cumsum(LENGTHS)]), dtype=torch.int64)
TOTAL, N = int(OFFSETS[-1]), len(LENGTHS)
rng = np.random.default_rng(0)


def ty(*dims):
    return "x".join("?" if d is None else str(d) for d in dims)


SCAN = """func.func @f(%cu: tensor<?xi64>, %a: tensor<1x?x4xf32>, %x: tensor<1x?x4xf32>,
             %h0: tensor<?x4xf32>) -> (tensor<1x?x4xf32>, tensor<?x4xf32>) {
  %y, %h = seq.packed offsets(%cu : tensor<?xi64>)
      ins(%a, %x : tensor<1x?x4xf32>, tensor<1x?x4xf32>) init(%h0 : tensor<?x4xf32>)
      -> (tensor<1x?x4xf32>) final (tensor<?x4xf32>) {
  ^bb0(%as: tensor<1x?x4xf32>, %xs: tensor<1x?x4xf32>, %hs: tensor<1x4xf32>):
    %ys, %hn = seq.linear_scan %as, %xs init %hs
        : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<1x4xf32>) -> (tensor<1x?x4xf32>, tensor<1x4xf32>)
    seq.yield %ys, %hn : tensor<1x?x4xf32>, tensor<1x4xf32>
  }
  return %y, %h : tensor<1x?x4xf32>, tensor<?x4xf32>
}
"""

a = rng.uniform(0.5, 0.99, (1, TOTAL, 4))
x = rng.normal(size=(1, TOTAL, 4))
h0 = rng.normal(size=(N, 4))
f = seqc.compile(SCAN).f
y, h = f(OFFSETS, *[torch.tensor(v, dtype=torch.float32) for v in (a, x, h0)])
worst = 0.0
for n, (s, e) in enumerate(zip(OFFSETS[:-1].tolist(), OFFSETS[1:].tolist())):
    state = h0[n]
    for t in range(s, e):
        state = a[0, t] * state + x[0, t]
        worst = max(worst, float(np.max(np.abs(y[0, t].numpy() - state))))
    worst = max(worst, float(np.max(np.abs(h[n].numpy() - state))))
check("linear_scan, lengths %s, against NumPy per sequence" % LENGTHS, worst < 1e-5,
      "max error %.2e" % worst)


def layer_text(op, operands, weights, state_shapes, attrs, init_syntax, packed):
    """A seqnn layer over x [1, T, 16] (packed: inside seq.packed)."""
    seq_t = "tensor<1x?x16xf32>"
    w_types = ["tensor<%sxf32>" % ty(*s) for s in weights]
    s_all = ["tensor<%sxf32>" % ty(None, *s) for s in state_shapes]
    s_one = ["tensor<%sxf32>" % ty(1, *s) for s in state_shapes]
    w_args = ", ".join("%%w%d: %s" % (i, t) for i, t in enumerate(w_types))
    s_args = ", ".join("%%s%d: %s" % (i, t) for i, t in enumerate(s_all))
    refs = ", ".join("%%%s" % r for r in operands)
    states = ", ".join("%%b%d" % i for i in range(len(state_shapes)))
    init = (" init %s" % states) if init_syntax == "single" else " init(%s)" % states
    results = ", ".join(["%ys"] + ["%%f%d" % i for i in range(len(state_shapes))])
    body_op = "    %s = seqnn.%s %s%s {%s}\n        : (%s) -> (%s)\n" % (
        results, op, refs, init, attrs,
        ", ".join([seq_t] + w_types + s_one), ", ".join([seq_t] + s_one))
    if not packed:
        body = body_op.replace("%b", "%s")
        return ("func.func @layer(%%x: %s, %s, %s) -> (%s) {\n%s  return %s : %s\n}\n" % (
            seq_t, w_args, ", ".join(a.replace("?", "1", 1) for a in s_args.split(", ")),
            ", ".join([seq_t] + s_one), body, results, ", ".join([seq_t] + s_one)))
    block = ", ".join(["%bx: " + seq_t] + ["%%b%d: %s" % (i, t) for i, t in enumerate(s_one)] +
                      ["%%bw%d: %s" % (i, t) for i, t in enumerate(w_types)])
    body_op = body_op.replace("%x", "%bx")
    for i in range(len(weights)):
        body_op = body_op.replace("%%w%d" % i, "%%bw%d" % i)
    return (
        "func.func @layer(%%cu: tensor<?xi64>, %%x: %s, %s, %s) -> (%s) {\n"
        "  %s = seq.packed offsets(%%cu : tensor<?xi64>) ins(%%x : %s)\n"
        "      init(%s : %s) weights(%s : %s)\n"
        "      -> (%s) final (%s) {\n  ^bb0(%s):\n%s"
        "    seq.yield %s : %s\n  }\n  return %s : %s\n}\n" % (
            seq_t, w_args, s_args, ", ".join([seq_t] + s_all),
            results, seq_t,
            ", ".join("%%s%d" % i for i in range(len(state_shapes))), ", ".join(s_all),
            ", ".join("%%w%d" % i for i in range(len(weights))), ", ".join(w_types),
            seq_t, ", ".join(s_all), block, body_op, results, ", ".join([seq_t] + s_one),
            results, ", ".join([seq_t] + s_all)))


H, D = 2, 8
LAYERS = {
    "gla": (["x", "w0", "w1", "w2", "w3", "w4", "w5", "w6"],
            [(16, 16), (16, 16), (16, 16), (16, 4), (4, 16), (16,), (16, 16)],
            [(H, D, D)], "heads = %d" % H, "single"),
    "lstm": (["x", "w0", "w1"], [(16, 4 * 16), (1, 16, 4 * 16)], [(16,), (16,)], "heads = 1",
             "paren"),
}
for op, (operands, weights, state_shapes, attrs, syntax) in LAYERS.items():
    packed = seqc.compile(layer_text(op, operands, weights, state_shapes, attrs, syntax,
                                     True)).layer
    single = seqc.compile(layer_text(op, operands, weights, state_shapes, attrs, syntax,
                                     False)).layer
    w = [torch.tensor(rng.uniform(-0.3, 0.3, s), dtype=torch.float32) for s in weights]
    xs = torch.tensor(rng.normal(size=(1, TOTAL, 16)), dtype=torch.float32)
    init = [torch.tensor(rng.normal(size=(N,) + s) * 0.3, dtype=torch.float32)
            for s in state_shapes]
    got = packed(OFFSETS, xs, *w, *init)
    worst = 0.0
    for n, (s, e) in enumerate(zip(OFFSETS[:-1].tolist(), OFFSETS[1:].tolist())):
        alone = single(xs[:, s:e].contiguous(), *w, *[i[n:n + 1].contiguous() for i in init])
        worst = max(worst, (got[0][:, s:e] - alone[0]).abs().max().item())
        for g, a1 in zip(got[1:], alone[1:]):
            worst = max(worst, (g[n:n + 1] - a1).abs().max().item())
    check("%s layer packed, lengths %s, = each sequence alone" % (op, LENGTHS),
          worst < 1e-5, "max error %.2e" % worst)


# seqc.nn modules take a packed batch with cu_seqlens, fla's convention.
torch.manual_seed(0)
for module in (seqc.nn.GLA(16, 2), seqc.nn.Mamba2(16, 2, d_state=4),
               seqc.nn.GatedDeltaNet(16, 2), seqc.nn.SLSTM(16, 8, num_heads=2),
               seqc.nn.Aaren(16, 2), seqc.nn.LRU(16, 4)):
    name = type(module).__name__
    xs = torch.randn(1, TOTAL, 16)
    with torch.no_grad():
        _, first = module(xs, cu_seqlens=OFFSETS)
        y, final = module(xs, first, cu_seqlens=OFFSETS)
    finals = final if isinstance(final, tuple) else (final,)
    starts = first if isinstance(first, tuple) else (first,)
    worst = 0.0
    for n, (s, e) in enumerate(zip(OFFSETS[:-1].tolist(), OFFSETS[1:].tolist())):
        with torch.no_grad():
            y1, f1 = module(xs[:, s:e].contiguous(), tuple(t[n:n + 1] for t in starts)
                            if len(starts) > 1 else starts[0][n:n + 1])
        f1 = f1 if isinstance(f1, tuple) else (f1,)
        worst = max([worst, (y[:, s:e] - y1).abs().max().item()] +
                    [(g[n:n + 1] - a1).abs().max().item() for g, a1 in zip(finals, f1)])
    check("seqc.nn.%s(x, state, cu_seqlens=...) = each sequence alone" % name,
          worst < 1e-5, "max error %.2e" % worst)
try:
    module = seqc.nn.GLA(16, 2)
    module(torch.randn(1, TOTAL, 16), cu_seqlens=OFFSETS)[0].sum().backward()
    check("backward through a packed batch", False, "no error")
except NotImplementedError as e:
    check("backward through a packed batch", "packed" in str(e), "(%s)" % e)


def rejected(what, offsets, rows=N):
    states = rng.normal(size=(rows, 4))
    inputs = [torch.tensor(v, dtype=torch.float32) for v in (a, x, states)]
    try:
        f(torch.tensor(offsets, dtype=torch.int64), *inputs)
        check(what, False, "no error")
    except ValueError as e:
        check(what, "offsets" in str(e) or "rows" in str(e) or "rejected" in str(e),
              "(%s)" % str(e)[:100])


good = OFFSETS.tolist()
rejected("offsets not starting at 0", [1] + good[1:])
rejected("offsets past the end", good[:-1] + [TOTAL + 5])
rejected("offsets short of the end", good[:-1] + [TOTAL - 1])
rejected("decreasing offsets", [0, 3, 2] + good[3:])
rejected("an empty sequence", [0, 0] + good[1:], rows=N + 1)
rejected("a single offset", [0], rows=1)
rejected("state rows != sequences", good, rows=N - 1)
finish()
