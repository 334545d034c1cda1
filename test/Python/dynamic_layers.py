#!/usr/bin/env python3
"""Every seqnn layer family with a dynamic batch and time, against the
independent NumPy oracle (test/Models/oracle.py, each layer from its
paper's equations in float64): one compile per family (seqc.compile),
run at several (B, T), T = 1 included. The attention layer's key/value
caches grow with T, so only its batch is dynamic.

dynamic_layers.py   (the seqc package on PYTHONPATH)
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Models"))
import oracle  # noqa: E402

import seqc  # noqa: E402

SHAPES = [(5, 11), (1, 1), (3, 40)]


class Shape:
    """Stands for an array in oracle.layer_model, which reads only .shape."""

    def __init__(self, shape):
        self.shape = shape


def dynamic(shape, time):
    return ("?", "?" if time else shape[1]) + tuple(shape[2:])


def run_dynamic(_seqc, op, inputs, results, attrs="", extra="", init=None):
    time = op != "attention"
    states = set(init or [])
    typed = []
    for i, (name, array) in enumerate(inputs):
        if i == 0:
            typed.append((name, Shape(dynamic(array.shape, time))))
        elif name in states:
            typed.append((name, Shape(("?",) + array.shape[1:])))
        else:
            typed.append((name, array))
    result_types = [dynamic(s, time) if i == 0 else ("?",) + tuple(s[1:])
                    for i, s in enumerate(results)]
    text = oracle.layer_model(op, typed, result_types, attrs, extra, init)
    outputs = seqc.compile(text).layer(
        *[torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)) for _, a in inputs])
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    return [o.numpy() for o in outputs]


oracle.run_seqc = run_dynamic
oracle.SEQC = None  # run_dynamic compiles through seqc.compile
failures = 0
for name, family in oracle.FAMILIES.items():
    before = seqc.compile_count()
    worst = 0.0
    for batch, steps in SHAPES:
        oracle.B, oracle.T = batch, steps
        got, expected = family()
        for g, e in zip(got, expected):
            e = np.asarray(e, dtype=np.float64)
            scale = max(1.0, float(np.sqrt(np.mean(e * e))))
            worst = max(worst, float(np.max(np.abs(g - e))) / scale)
    compiles = seqc.compile_count() - before
    # Attention: one compile per T (its caches); the others one in all.
    expected_compiles = len({t for _, t in SHAPES}) if name == "attention" else 1
    ok = worst < 1e-4 and compiles in (0, expected_compiles)
    failures += not ok
    print("%-15s %d shapes, %d compile(s), max error / scale %.2e  %s" % (
        name, len(SHAPES), compiles, worst, "OK" if ok else "MISMATCH"))
print("%d failures" % failures)
sys.exit(1 if failures else 0)
