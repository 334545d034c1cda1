#!/usr/bin/env python3
"""The Python path's costs, on the CPU:

1. first-call latency of a layer: seqc compile + load into an empty cache,
   and a cache hit in a new process;
2. per-call overhead of a seqc.compile function over the raw C call (the
   same library function through ctypes with prepared arguments), on an
   Elman layer at B = 1, T = 1 where the compiled work is nothing;
3. dynamic against static shapes: an LSTM and a GRU layer compiled once
   with a dynamic batch and time, against the same layer compiled for the
   exact shape, at this file's benchmark sizes (median of repeated calls,
   interleaved), with torch.nn's CPU layer for scale.

python3 benchmarks/python_overhead.py [--csv FILE] [--repeats N]
(PYTHONPATH=python is set by the script itself.)
"""
import argparse
import csv
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import torch  # noqa: E402

import seqc  # noqa: E402
from seqc.nn import _layer_mlir  # noqa: E402


def median_time(fn, repeats):
    fn()
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def first_call(rows):
    text = _layer_mlir("lstm", 4, 256, 256)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SEQC_CACHE_DIR"] = cache
        began = time.perf_counter()
        seqc.compile(text)
        cold = time.perf_counter() - began
        probe = ("import sys, time; sys.path.insert(0, %r); import seqc; t = time.perf_counter(); "
                 "seqc.compile(%r); print(time.perf_counter() - t)"
                 % (os.path.dirname(seqc.__path__[0]), text))
        hit = float(subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                   text=True, check=True).stdout)
    rows.append(("first call: compile + load (empty cache), LSTM layer 256->256", "ms", cold * 1e3))
    rows.append(("first call: cache hit in a new process, same layer", "ms", hit * 1e3))


def call_overhead(rows, repeats):
    f = seqc.compile(_layer_mlir("elman", 1, 4, 4)).layer
    inputs = [torch.randn(1, 1, 4), torch.randn(4, 4), torch.randn(1, 4, 4),
              torch.randn(4), torch.randn(4), torch.randn(1, 4)]
    outputs = [torch.empty(1, 1, 4), torch.empty(1, 4)]
    raw = f._function
    pointers = [t.data_ptr() for t in inputs + outputs]

    def raw_call():
        for _ in range(100):
            raw(1, 1, *pointers)

    def python_call():
        for _ in range(100):
            f(*inputs)
    raw_us = median_time(raw_call, repeats) / 100 * 1e6
    python_us = median_time(python_call, repeats) / 100 * 1e6
    rows.append(("raw C call through ctypes, Elman B1 T1 H4", "us", raw_us))
    rows.append(("seqc.compile function call, same", "us", python_us))
    rows.append(("per-call overhead of the Python path (goal < 20 us)", "us", python_us - raw_us))


def dynamic_vs_static(rows, repeats):
    B, T, I, H = 16, 1024, 256, 256
    torch.manual_seed(0)
    for op, gates, peer in (("lstm", 4, torch.nn.LSTM), ("gru", 3, torch.nn.GRU)):
        dynamic = seqc.compile(_layer_mlir(op, gates, I, H)).layer
        static = seqc.compile(_layer_mlir(op, gates, I, H, B, T)).layer
        states = 2 if op == "lstm" else 1
        inputs = [torch.randn(B, T, I), torch.randn(I, gates * H) * 0.05,
                  torch.randn(1, H, gates * H) * 0.05, torch.randn(gates * H),
                  torch.randn(gates * H)] + [torch.zeros(B, H)] * states
        a = dynamic(*inputs)
        b = static(*inputs)
        agree = max((x - y).abs().max().item() for x, y in zip(a, b))
        # Interleaved medians, so that a slow spell of the machine hits both.
        d_samples, s_samples = [], []
        for _ in range(repeats):
            d_samples.append(median_time(lambda: dynamic(*inputs), 1))
            s_samples.append(median_time(lambda: static(*inputs), 1))
        d, s = statistics.median(d_samples), statistics.median(s_samples)
        layer = peer(I, H, batch_first=True)
        x = inputs[0]
        with torch.no_grad():
            p = median_time(lambda: layer(x), max(3, repeats // 2))
        label = "%s B%d T%d I%d H%d" % (op.upper(), B, T, I, H)
        rows.append(("%s: dynamic-shape function" % label, "ms", d * 1e3))
        rows.append(("%s: static-shape function" % label, "ms", s * 1e3))
        rows.append(("%s: dynamic / static (goal <= 1.05)" % label, "ratio", d / s))
        rows.append(("%s: torch.nn.%s on this CPU (torch %s)" % (label, peer.__name__,
                                                              torch.__version__), "ms", p * 1e3))
        rows.append(("%s: max |dynamic - static|" % label, "abs", agree))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv")
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    rows = []
    first_call(rows)
    call_overhead(rows, args.repeats)
    dynamic_vs_static(rows, args.repeats)
    print("%-75s %12s" % ("measurement", "value"))
    for name, unit, value in rows:
        print("%-75s %10.4g %s" % (name, value, unit))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["measurement", "unit", "value"])
            writer.writerows(rows)


if __name__ == "__main__":
    main()
