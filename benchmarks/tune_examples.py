#!/usr/bin/env python3
"""How far the cost model's pick is from the measured best, per example.

Runs `seqc tune` (CPU, in-process JIT timing in child processes) on every
example in examples/ and examples/seq/, and `seqc explain` for every
built-in target to time the Z3 solves. Prints a table and writes CSV.

    tune_examples.py [--seqc build/bin/seqc] [--top-k 4] [--repeats 5]
                     [--budget 60] [--csv FILE] [--solve-csv FILE]

Per op: candidates measured, the model's pick, the measured best, and
model/best (1.00 = the model picked the fastest). Per example and target:
the slowest Z3 solve of any op (the issue's bound is 100 ms).
"""
import argparse
import glob
import os
import re
import subprocess
import tempfile
import time

TARGETS = ["cpu", "sm_80", "sm_90", "h200"]


def examples(root):
    return sorted(glob.glob(os.path.join(root, "*.mlir"))) + \
        sorted(glob.glob(os.path.join(root, "seq", "*.mlir")))


def label(path):
    name = os.path.splitext(os.path.basename(path))[0]
    return ("seq/" + name) if os.path.basename(os.path.dirname(path)) == "seq" else name


def tune(seqc, example, db, args):
    start = time.time()
    out = subprocess.run([seqc, "tune", example, "--target=cpu", "--db", db,
                          "--top-k", str(args.top_k), "--repeats", str(args.repeats),
                          "--budget", str(args.budget)],
                         capture_output=True, text=True)
    seconds = time.time() - start
    if out.returncode != 0:
        return [], seconds, out.stderr.strip().splitlines()[-1]
    rows = []
    # One block per op: its table, then "best:" and "summary:".
    for block in out.stdout.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if not lines or " at loc(" not in lines[0]:
            continue
        op = lines[0].split(" at ")[0]
        measured = [l for l in lines if re.match(r"\s+[0-9]+\s", l)]
        pick = next((l for l in lines if "(cost model's pick)" in l), "")
        best = next((l.split("best: ")[1].split(";")[0] for l in lines if "best: " in l), "-")
        ratio = next((float(l.split()[-1]) for l in lines if "summary:" in l), float("nan"))
        z3 = next((float(re.search(r"Z3: ([0-9.]+) ms", l).group(1)) for l in lines if "Z3:" in l), 0.0)
        pick_name = re.sub(r"\s+[0-9.]+ ms.*", "", pick.strip()[4:].strip()) if pick else "-"
        rows.append((op, len(measured), pick_name, best, ratio, z3))
    return rows, seconds, ""


def solve_times(seqc, example):
    result = {}
    for target in TARGETS:
        out = subprocess.run([seqc, "explain", example, "--target=" + target],
                             capture_output=True, text=True).stdout
        times = [float(t) for t in re.findall(r"Z3: [0-9]+ problem\(s\) solved in ([0-9.]+) ms", out)]
        result[target] = max(times) if times else 0.0
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--examples", default="examples")
    parser.add_argument("--top-k", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=60)
    parser.add_argument("--csv", default="")
    parser.add_argument("--solve-csv", default="")
    args = parser.parse_args()
    tune_rows, solve_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "tune.db")
        for example in examples(args.examples):
            rows, seconds, error = tune(args.seqc, example, db, args)
            for r in rows:
                tune_rows.append((label(example),) + r + (seconds,))
            if error:
                tune_rows.append((label(example), "error: " + error, 0, "-", "-", float("nan"), 0.0, seconds))
            solve_rows.append((label(example), solve_times(args.seqc, example)))

    print("seqc tune on the CPU: the cost model's pick against the measured best "
          "(top %d candidates per op, median of %d runs)" % (args.top_k, args.repeats))
    print("%-26s %-20s %5s %-34s %-34s %9s %7s" % ("example", "op", "cands", "model's pick",
                                                   "measured best", "model/best", "tune s"))
    for ex, op, n, pick, best, ratio, z3, seconds in tune_rows:
        print("%-26s %-20s %5s %-34s %-34s %9.2f %7.1f" % (ex, op, n, pick, best, ratio, seconds))
    ratios = [r[5] for r in tune_rows if r[5] == r[5]]
    multi = [r for r in tune_rows if isinstance(r[2], int) and r[2] > 1 and r[5] == r[5]]
    hits = sum(1 for r in multi if r[5] <= 1.0 + 1e-9)
    if ratios:
        print("ops with more than one candidate: %d; the model picked the measured best in %d; "
              "worst model/best %.2f; slowest tune %.1f s"
              % (len(multi), hits, max(ratios), max(r[7] for r in tune_rows)))
    print("\nZ3 solve time, slowest op per example (ms)")
    print("%-26s" % "example" + "".join("%9s" % t for t in TARGETS))
    for ex, times in solve_rows:
        print("%-26s" % ex + "".join("%9.1f" % times[t] for t in TARGETS))
    worst = max(max(t.values()) for _, t in solve_rows)
    print("slowest: %.1f ms (bound: 100 ms)" % worst)
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("example,op,candidates,model_pick,measured_best,model_over_best,tune_seconds\n")
            for ex, op, n, pick, best, ratio, z3, seconds in tune_rows:
                f.write('%s,%s,%s,"%s","%s",%.4f,%.1f\n' % (ex, op, n, pick, best, ratio, seconds))
    if args.solve_csv:
        with open(args.solve_csv, "w") as f:
            f.write("example," + ",".join("z3_ms_" + t for t in TARGETS) + "\n")
            for ex, times in solve_rows:
                f.write(ex + "," + ",".join("%.2f" % times[t] for t in TARGETS) + "\n")


if __name__ == "__main__":
    main()
