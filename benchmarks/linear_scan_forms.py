#!/usr/bin/env python3
"""seq.linear_scan on the CPU: the sequential form (one sequence per core)
against the prefix form (rounds of one chunk per core: reduce, chain the
carries, scan; workers = the host's cores), at a small B*D (B=1, D=64,
T=65536) and a large one (B=16, D=1024, T=4096), f32, each compiled and
timed by `seqc run` (median of --repeats runs after a warm-up, same
inputs), and the form seq-select-form picks.

Usage: linear_scan_forms.py [--seqc build/bin/seqc] [--repeats N] [--csv FILE]
"""
import argparse
import os
import tempfile

from seqc_timing import chosen_form, run_ms



def model(b, t, d, form):
    s = "tensor<%dx%dx%dxf32>" % (b, t, d)
    st = "tensor<%dx%dxf32>" % (b, d)
    return ("func.func @scan(%%a: %s, %%b: %s) -> (%s, %s) {\n"
            "  %%h, %%l = seq.linear_scan %%a, %%b {form = %s} : (%s, %s) -> (%s, %s)\n"
            "  return %%h, %%l : %s, %s\n}\n" % (s, s, s, st, form, s, s, s, st, s, st))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    shapes = [(1, 65536, 64), (16, 4096, 1024)]
    workers = os.cpu_count() or 1
    forms = [("sequential", "#seq.form<sequential>")] + [
        ("prefix C=%d" % c,
         "#seq.form<prefix, chunk_size = %d, workers = %d>" % (c, workers))
        for c in (64, 256, 1024)]
    rows, picks = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for b, t, d in shapes:
            for name, form in forms:
                rows.append((b, t, d, name,
                             run_ms(args.seqc, model(b, t, d, form), tmp, args.repeats)))
            picks[(b, t, d)] = chosen_form(args.seqc, model(b, t, d, forms[0][1]), tmp)
    print("seq.linear_scan f32 on the CPU, median of %d runs" % args.repeats)
    print("%-22s %-14s %10s %10s" % ("B x T x D", "form", "ms", "speedup"))
    for b, t, d, name, ms in rows:
        base = next(r[4] for r in rows if r[:3] == (b, t, d))
        print("%-22s %-14s %10.2f %10.2f" % ("%dx%dx%d" % (b, t, d), name, ms, base / ms))
    hits = 0
    for shape, picked in picks.items():
        fastest = min((r for r in rows if r[:3] == shape), key=lambda r: r[4])[3]
        hits += picked == fastest
        print("%s: seq-select-form picks %s; measured fastest %s" % ("x".join(map(str, shape)), picked, fastest))
    print("selection hit rate: %d/%d" % (hits, len(picks)))
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("B,T,D,form,ms,speedup_over_sequential\n")
            for b, t, d, name, ms in rows:
                base = next(r[4] for r in rows if r[:3] == (b, t, d))
                f.write("%d,%d,%d,%s,%.3f,%.3f\n" % (b, t, d, name, ms, base / ms))
        print("wrote", args.csv)


if __name__ == "__main__":
    main()
