#!/usr/bin/env python3
"""Feeds NumPy-written inputs to `seqc run`, reads the dumped outputs back,
and compares them with a linear scan computed here in NumPy (float64).
bf16 travels as its 16-bit pattern ('<u2')."""
import os
import subprocess
import sys
import tempfile

import numpy as np


def to_bf16_bits(x):
    bits = np.asarray(x, dtype=np.float32).view(np.uint32)
    rounded = bits + 0x7FFF + ((bits >> 16) & 1)
    return (rounded >> 16).astype(np.uint16)


def from_bf16_bits(h):
    return (h.astype(np.uint32) << 16).view(np.float32)


def main():
    seqc, dtype = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(7)
    a = rng.uniform(0.5, 0.99, size=(2, 37, 8)) * rng.choice([-1, 1], size=(2, 37, 8))
    b = rng.standard_normal((2, 37, 8))
    h0 = rng.standard_normal((2, 8)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        if dtype == "bf16":
            a_file, b_file = to_bf16_bits(a), to_bf16_bits(b)
            a, b = from_bf16_bits(a_file), from_bf16_bits(b_file)
        else:
            a_file, b_file = a.astype(np.float32), b.astype(np.float32)
            a, b = a_file, b_file
        model = os.path.join(tmp, "scan.mlir")
        el = dtype
        with open(model, "w") as f:
            f.write(f"""
func.func @scan(%a: tensor<2x37x8x{el}>, %b: tensor<2x37x8x{el}>, %h0: tensor<2x8xf32>)
    -> (tensor<2x37x8xf32>, tensor<2x8xf32>) {{
  %h, %last = seq.linear_scan %a, %b init %h0
      : (tensor<2x37x8x{el}>, tensor<2x37x8x{el}>, tensor<2x8xf32>) -> (tensor<2x37x8xf32>, tensor<2x8xf32>)
  return %h, %last : tensor<2x37x8xf32>, tensor<2x8xf32>
}}
""")
        for name, value in (("a", a_file), ("b", b_file), ("h0", h0)):
            np.save(os.path.join(tmp, name + ".npy"), value)
        out = os.path.join(tmp, "out")
        subprocess.run([seqc, "run", model, "--repeat=1", "--dump-outputs", out,
                        "--input", "a=" + os.path.join(tmp, "a.npy"),
                        "--input", "b=" + os.path.join(tmp, "b.npy"),
                        "--input", "h0=" + os.path.join(tmp, "h0.npy")], check=True,
                       stdout=subprocess.DEVNULL)
        h = np.load(os.path.join(out, "scan_out0.npy"))
        last = np.load(os.path.join(out, "scan_out1.npy"))
    expected = np.zeros((2, 37, 8))
    state = h0.astype(np.float64)
    for t in range(37):
        state = a[:, t].astype(np.float64) * state + b[:, t]
        expected[:, t] = state
    err = max(np.max(np.abs(h - expected)), np.max(np.abs(last - state)))
    print("%s: shapes %s %s, max error vs numpy %.2e: %s"
          % (dtype, h.shape, last.shape, err, "OK" if err < 1e-4 else "MISMATCH"))
    return 0 if err < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
