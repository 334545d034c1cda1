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
