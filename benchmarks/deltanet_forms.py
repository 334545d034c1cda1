#!/usr/bin/env python3
"""Gated DeltaNet (seq.delta_rule with a gate) on the CPU: the sequential
form against the chunkwise (WY/UT) form, B=2 H=4 T=4096 dk=dv=64 f32, each
compiled and timed by `seqc run` (median of --repeats runs after a warm-up,
same inputs).

Usage: deltanet_forms.py [--seqc build/bin/seqc] [--repeats N] [--csv FILE]
"""
from seqc_timing import compare_chunk_forms


B, T, H, D = 2, 4096, 4, 64


def model(form):
    s = "tensor<%dx%dx%dx%dxf32>" % (B, T, H, D)
    p = "tensor<%dx%dx%dxf32>" % (B, T, H)
    st = "tensor<%dx%dx%dx%dxf32>" % (B, H, D, D)
    attr = " {form = %s}" % form if form else ""
    return ("func.func @gated_deltanet(%%q: %s, %%k: %s, %%v: %s, %%beta: %s, %%g: %s) -> (%s, %s) {\n"
            "  %%o, %%s = seq.delta_rule %%q, %%k, %%v, %%beta gate %%g%s\n"
            "      : (%s, %s, %s, %s, %s) -> (%s, %s)\n"
            "  return %%o, %%s : %s, %s\n}\n"
            % (s, s, s, p, p, s, st, attr, s, s, s, p, p, s, st, s, st))


def main():
    compare_chunk_forms("Gated DeltaNet", model, (B, H, T, D, D))


if __name__ == "__main__":
    main()
