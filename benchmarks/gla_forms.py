#!/usr/bin/env python3
"""GLA (seq.linear_attention, vector gate) on the CPU: the sequential form
against the chunkwise form, B=2 H=4 T=4096 dk=dv=64 f32, each compiled and
timed by `seqc run` (median of --repeats runs after a warm-up, same inputs).

Usage: gla_forms.py [--seqc build/bin/seqc] [--repeats N] [--csv FILE]
"""
from seqc_timing import compare_chunk_forms


B, T, H, D = 2, 4096, 4, 64


def model(form):
    s = "tensor<%dx%dx%dx%dxf32>" % (B, T, H, D)
    st = "tensor<%dx%dx%dx%dxf32>" % (B, H, D, D)
    attr = " {form = %s}" % form if form else ""
    return ("func.func @gla(%%q: %s, %%k: %s, %%v: %s, %%g: %s) -> (%s, %s) {\n"
            "  %%o, %%s = seq.linear_attention %%q, %%k, %%v gate <vector> %%g%s\n"
            "      : (%s, %s, %s, %s) -> (%s, %s)\n"
            "  return %%o, %%s : %s, %s\n}\n" % (s, s, s, s, s, st, attr, s, s, s, s, s, st, s, st))


def main():
    compare_chunk_forms("GLA", model, (B, H, T, D, D))


if __name__ == "__main__":
    main()
