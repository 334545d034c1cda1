#!/usr/bin/env python3
"""GLA (seq.linear_attention, vector gate) on the CPU: the sequential form
against the chunkwise form, B=2 H=4 T=4096 dk=dv=64 f32, each compiled and
timed by `seqc run` (median of --repeats runs after a warm-up, same inputs).

Usage: gla_forms.py [--seqc build/bin/seqc] [--repeats N] [--csv FILE]
"""
import argparse
import tempfile

from seqc_timing import chosen_form, run_ms


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    forms = [("sequential", "#seq.form<sequential>")] + [
        ("chunkwise C=%d" % c, "#seq.form<chunkwise, chunk_size = %d>" % c)
        for c in (16, 32, 64)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        picked = chosen_form(args.seqc, model(forms[0][1]), tmp)
        if picked.startswith("chunkwise C=") and picked not in dict(forms):
            forms.append((picked, "#seq.form<chunkwise, chunk_size = %s>"
                          % picked.split("=")[1]))
        for name, form in forms:
            rows.append((name, run_ms(args.seqc, model(form), tmp, args.repeats)))
    base = rows[0][1]
    fastest = min(rows, key=lambda r: r[1])[0]
    print("GLA B=%d H=%d T=%d dk=dv=%d f32, CPU, median of %d runs" % (B, H, T, D, args.repeats))
    print("%-18s %10s %12s" % ("form", "ms", "speedup"))
    for name, ms in rows:
        print("%-18s %10.1f %12.2f" % (name, ms, base / ms))
    print("seq-select-form picks: %s; measured fastest: %s (%s)"
          % (picked, fastest, "hit" if picked == fastest else "miss"))
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("form,B,H,T,dk,dv,ms,speedup_over_sequential\n")
            for name, ms in rows:
                f.write("%s,%d,%d,%d,%d,%d,%.3f,%.3f\n" % (name, B, H, T, D, D, ms, base / ms))
        print("wrote", args.csv)


if __name__ == "__main__":
    main()
