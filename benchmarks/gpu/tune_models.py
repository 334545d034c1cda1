#!/usr/bin/env python3
"""Writes the workloads the GPU tuning sweep measures (issue 7).

    python3 benchmarks/gpu/tune_models.py OUTDIR [checked|large]

checked: sizes whose check vectors (the op's inputs and the reference
outputs, one copy per op shared by its candidates) fit what a device run
carries; every candidate is checked against the reference interpreter.
large: the sizes of the issue's benchmarks, too large to carry vectors;
seqc-gpu-check --synthetic checks every candidate against the first (the
cost model's pick, itself checked against the reference at the small
sizes).
"""
import os
import sys


def t(shape, dtype="f32"):
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), dtype)


def linear_scan(B, T, D, dtype="bf16"):
    x, h, s = t((B, T, D), dtype), t((B, T, D)), t((B, D))
    return ("func.func @scan(%%a: %s, %%b: %s) -> %s {\n"
            "  %%h, %%s = seq.linear_scan %%a, %%b : (%s, %s) -> (%s, %s)\n"
            "  return %%h : %s\n}\n" % (x, x, h, x, x, h, s, h))


def gla(B, T, H, D):
    x, st = t((B, T, H, D)), t((B, H, D, D))
    return ("func.func @gla(%%q: %s, %%k: %s, %%v: %s, %%g: %s) -> %s {\n"
            "  %%o, %%s = seq.linear_attention %%q, %%k, %%v gate <vector> %%g\n"
            "      : (%s, %s, %s, %s) -> (%s, %s)\n"
            "  return %%o : %s\n}\n" % (x, x, x, x, x, x, x, x, x, x, st, x))


CHECKED = {
    # Few channels, long sequence: the prefix form's chunk size decides.
    "scan_B1_T8192_D64": linear_scan(1, 8192, 64),
    # Many channels: bandwidth-bound, block and unroll decide.
    "scan_B1_T2048_D512": linear_scan(1, 2048, 512),
    # Chunkwise GLA: the chunk size decides.
    "gla_B1_T1024_H4_d64": gla(1, 1024, 4, 64),
}


LARGE = {
    "scan_B1_T65536_D64": linear_scan(1, 65536, 64),
    "scan_B16_T4096_D1024": linear_scan(16, 4096, 1024),
    "gla_B2_T4096_H4_d64": gla(2, 4096, 4, 64),
}


def main():
    out = sys.argv[1]
    models = LARGE if len(sys.argv) > 2 and sys.argv[2] == "large" else CHECKED
    os.makedirs(out, exist_ok=True)
    for name, text in models.items():
        with open(os.path.join(out, name + ".mlir"), "w") as f:
            f.write(text)
        print(name)


if __name__ == "__main__":
    main()
