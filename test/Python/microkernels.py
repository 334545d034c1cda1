#!/usr/bin/env python3
"""CPU contractions as register-blocked microkernels (seq-register-tile-
contractions), against NumPy in float64: linalg.matmul and
linalg.batch_matmul with blocks written in the IR (so that the tails are
exercised whatever the host: row counts that blocks do not divide, column
tails of 1 to 15 lanes in 8- and 16-lane vectors, one-row blocks), with
the block Z3 picks for this host, with a dynamic row count (run at 1, 3, 4,
13 and 100 rows), and with the starts the kernels subsume: zeros, a
nonzero fill, a broadcast bias row. Prints one line per case and
"MISMATCH" on failure.
"""
import sys

import numpy as np
import torch

import seqc

rng = np.random.default_rng(0)


def ty(*dims):
    return "tensor<%sxf32>" % "x".join("?" if d is None else str(d) for d in dims)


def tile(rows, columns, width):
    if rows is None:
        return ""
    return " {seq.register_tile = #seq.register_tile<rows = %d, columns = %d, vector_width = %d>}" % (
        rows, columns, width)


def matmul_text(m, n, k, block, start, batch=None):
    """C = start + A B, with `start` "zeros", "fill" (1.5) or "bias"."""
    lead = () if batch is None else (batch,)
    op = "linalg.matmul" if batch is None else "linalg.batch_matmul"
    a, b, c = ty(*lead, m, k), ty(*lead, k, n), ty(*lead, m, n)
    args = ["%%a: %s" % a, "%%b: %s" % b] + (["%%bias: %s" % ty(n)] if start == "bias" else [])
    rank = len(lead) + 2
    dims = ", ".join("d%d" % i for i in range(rank))
    lines = ["func.func @f(%s) -> %s {" % (", ".join(args), c)]
    if m is None:
        lines += ["  %c0 = arith.constant 0 : index",
                  "  %m = tensor.dim %a, %c0 : " + a,
                  "  %e = tensor.empty(%m) : " + c]
    else:
        lines.append("  %e = tensor.empty() : " + c)
    if start == "bias":
        lines += ["  %%init = linalg.generic {indexing_maps = [affine_map<(%s) -> (d%d)>, affine_map<(%s) -> (%s)>], "
                  "iterator_types = [%s]} ins(%%bias : %s) outs(%%e : %s) {" % (
                      dims, rank - 1, dims, dims, ", ".join(['"parallel"'] * rank), ty(n), c),
                  "  ^bb0(%in: f32, %out: f32):",
                  "    linalg.yield %in : f32",
                  "  } -> " + c]
    else:
        value = "0.0" if start == "zeros" else "1.5"
        lines += ["  %%v = arith.constant %s : f32" % value,
                  "  %%init = linalg.fill ins(%%v : f32) outs(%%e : %s) -> %s" % (c, c)]
    lines += ["  %%r = %s%s ins(%%a, %%b : %s, %s) outs(%%init : %s) -> %s" % (
        op, block, a, b, c, c),
              "  return %%r : %s" % c, "}"]
    return "\n".join(lines)


def check(name, text, shapes, start):
    f = seqc.compile(text).f
    worst = 0.0
    for (lead, m, n, k) in shapes:
        a = rng.normal(size=lead + (m, k))
        b = rng.normal(size=lead + (k, n))
        inputs = [a, b]
        want = a @ b
        if start == "fill":
            want = want + 1.5
        elif start == "bias":
            bias = rng.normal(size=(n,))
            inputs.append(bias)
            want = want + bias
        got = f(*[torch.tensor(x, dtype=torch.float32) for x in inputs]).numpy()
        # Relative to the sum of the products' magnitudes, per element.
        scale = np.abs(a) @ np.abs(b) + 1e-12
        worst = max(worst, float(np.max(np.abs(got - want) / scale)))
    ok = worst < 1e-6
    print("%s: max error %.1e: %s" % (name, worst, "OK" if ok else "MISMATCH"))
    return ok


failures = 0
# Written blocks: tails in both directions, both vector widths.
for (m, n, k, rows, columns, width) in [(13, 37, 7, 4, 32, 16), (16, 64, 33, 8, 48, 16),
                                         (5, 70, 9, 2, 32, 8), (1, 15, 4, 3, 16, 16),
                                         (9, 1, 3, 4, 8, 8), (31, 200, 17, 6, 64, 16)]:
    for start in ("zeros", "fill", "bias"):
        name = "matmul %dx%dx%d block %dx%d/%d start %s" % (m, n, k, rows, columns, width, start)
        failures += not check(name, matmul_text(m, n, k, tile(rows, columns, width), start),
                              [((), m, n, k)], start)
# Batched, written and chosen blocks.
failures += not check("batch_matmul 3x5x70x9 block 2x32/8",
                      matmul_text(5, 70, 9, tile(2, 32, 8), "zeros", batch=3),
                      [((3,), 5, 70, 9)], "zeros")
failures += not check("batch_matmul 1x16x1024x256 block chosen for this host",
                      matmul_text(16, 1024, 256, "", "zeros", batch=1),
                      [((1,), 16, 1024, 256)], "zeros")
failures += not check("matmul 300x96x64 block chosen for this host",
                      matmul_text(300, 96, 64, "", "bias"), [((), 300, 96, 64)], "bias")
# One compile, dynamic rows.
for label, block in (("4x32/16", tile(4, 32, 16)), ("chosen", "")):
    failures += not check("matmul ?x37x7 block %s at 1, 3, 4, 13, 100 rows" % label,
                          matmul_text(None, 37, 7, block, "fill"),
                          [((), m, 37, 7) for m in (1, 3, 4, 13, 100)], "fill")
print("%d failures" % failures)
sys.exit(1 if failures else 0)
