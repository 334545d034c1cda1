#!/usr/bin/env python3
"""Causal softmax attention on the CPU: the sequential form (a loop over
steps, each attending to the cache so far) against the parallel form (every
step's T x T masked scores at once) and the chunkwise (flash) form (a loop
over chunks of keys, every step's query at once, running max/denominator/
numerator), B=1 H=4 T=4096 dk=dv=64 f32: time
(`seqc run`, median of --repeats runs after a warm-up) and peak memory
(the process's maximum resident set, compile included, from getrusage of
the child).

Usage: softmax_forms.py [--seqc build/bin/seqc] [--repeats N] [--T 4096] [--csv FILE]
"""
import argparse
import os
import re
import resource
import subprocess
import tempfile

from seqc_timing import chosen_form


def model(B, T, H, D, form):
    s = "tensor<%dx%dx%dx%dxf32>" % (B, T, H, D)
    attr = " {form = %s}" % form if form else ""
    return ("func.func @attention(%%q: %s, %%k: %s, %%v: %s) -> (%s, %s, %s) {\n"
            "  %%o, %%kc, %%vc = seq.softmax_attention %%q, %%k, %%v%s\n"
            "      : (%s, %s, %s) -> (%s, %s, %s)\n"
            "  return %%o, %%kc, %%vc : %s, %s, %s\n}\n" % ((s,) * 6 + (attr,) + (s,) * 9))


def run(seqc, text, tmp, repeats):
    """(median ms, peak resident MB) of `seqc run` on `text`."""
    path = os.path.join(tmp, "model.mlir")
    with open(path, "w") as f:
        f.write(text)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([seqc, "run", path, "--seed=1", "--repeat=%d" % repeats],
                         check=True, capture_output=True, text=True).stdout
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ms = float(re.search(r"on cpu: ([0-9.]+) ms", out).group(1))
    # ru_maxrss of children is the largest child so far: run the larger
    # form last, or read it per run as here (each form's own peak when it
    # exceeds every earlier child's).
    return ms, max(peak, before) / 1024.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--T", type=int, default=4096)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    B, T, H, D = 1, args.T, 4, 64
    forms = [("sequential", "#seq.form<sequential>"),
             ("chunkwise C=32", "#seq.form<chunkwise, chunk_size = 32>"),
             ("chunkwise C=64", "#seq.form<chunkwise, chunk_size = 64>"),
             ("chunkwise C=256", "#seq.form<chunkwise, chunk_size = 256>"),
             ("parallel", "#seq.form<parallel>")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, form in forms:  # growing footprint (see run())
            ms, mb = run(args.seqc, model(B, T, H, D, form), tmp, args.repeats)
            rows.append((name, ms, mb))
        picked = chosen_form(args.seqc, model(B, T, H, D, forms[0][1]), tmp)
    fastest = min(rows, key=lambda r: r[1])[0]
    scores_mb = B * H * T * T * 4 / 2**20
    print("causal softmax attention B=%d H=%d T=%d dk=dv=%d f32, CPU, median of %d runs"
          % (B, H, T, D, args.repeats))
    print("%-12s %10s %14s" % ("form", "ms", "peak RSS MB"))
    for name, ms, mb in rows:
        print("%-12s %10.1f %14.0f" % (name, ms, mb))
    best_flash = min(rows[1:-1], key=lambda r: r[1])
    print("parallel/sequential time %.2f, fastest chunkwise (%s)/parallel %.2f; the "
          "parallel form's score matrix alone is %.0f MB"
          % (rows[-1][1] / rows[0][1], best_flash[0], best_flash[1] / rows[-1][1], scores_mb))
    print("seq-select-form picks: %s; measured fastest: %s (%s)"
          % (picked, fastest, "hit" if picked == fastest else "miss"))
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("form,ms,peak_rss_mb,B,H,T,d\n")
            for name, ms, mb in rows:
                f.write("%s,%.3f,%.1f,%d,%d,%d,%d\n" % (name, ms, mb, B, H, T, D))


if __name__ == "__main__":
    main()
