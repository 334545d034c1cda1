"""Helpers shared by the form benchmarks: time a model with `seqc run`, and
ask `seqc explain` which form seq-select-form would pick for it."""
import os
import re
import subprocess


def run_ms(seqc, text, tmp, repeats):
    """Median run time in ms of the function in `text`, as seqc run reports
    it (after a warm-up, on the same seeded inputs)."""
    path = os.path.join(tmp, "model.mlir")
    with open(path, "w") as f:
        f.write(text)
    out = subprocess.run([seqc, "run", path, "--seed=1", "--repeat=%d" % repeats],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r"on cpu: ([0-9.]+) ms", out).group(1))


def chosen_form(seqc, text, tmp):
    """The form seq-select-form picks for the CPU (from seqc explain), named
    like the benchmark rows: "sequential" or "chunkwise C=64"."""
    path = os.path.join(tmp, "unformed.mlir")
    with open(path, "w") as f:
        f.write(re.sub(r" \{form = [^}]*\}", "", text))
    out = subprocess.run([seqc, "explain", path, "--target=cpu"], check=True,
                         capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if "<- chosen" in l)
    chunk = re.search(r"chunk_size=([0-9]+)", line)
    kind = line.split()[0]
    return kind if not chunk else "%s C=%s" % (kind, chunk.group(1))


def compare_chunk_forms(title, model, sizes, chunk_sizes=(16, 32, 64)):
    """The benchmark of a matrix-state op: `model(form)` timed in the
    sequential form and chunkwise at `chunk_sizes` (and at the chunk size
    seq-select-form picks, if another), printed as a table with the pick's
    hit or miss, and written as CSV with `sizes` (B, H, T, dk, dv)."""
    import argparse
    import tempfile
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    forms = [("sequential", "#seq.form<sequential>")] + [
        ("chunkwise C=%d" % c, "#seq.form<chunkwise, chunk_size = %d>" % c)
        for c in chunk_sizes]
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
    print("%s B=%d H=%d T=%d dk=%d dv=%d f32, CPU, median of %d runs"
          % ((title,) + tuple(sizes) + (args.repeats,)))
    print("%-18s %10s %12s" % ("form", "ms", "speedup"))
    for name, ms in rows:
        print("%-18s %10.1f %12.2f" % (name, ms, base / ms))
    print("seq-select-form picks: %s; measured fastest: %s (%s)"
          % (picked, fastest, "hit" if picked == fastest else "miss"))
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("form,B,H,T,dk,dv,ms,speedup_over_sequential\n")
            for name, ms in rows:
                f.write("%s,%d,%d,%d,%d,%d,%.3f,%.3f\n"
                        % ((name,) + tuple(sizes) + (ms, base / ms)))
        print("wrote", args.csv)
