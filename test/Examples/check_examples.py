#!/usr/bin/env python3
"""Checks examples/: every file verifies with seq-opt, and every seqnn layer
family defined in SeqNNOps.td is used by at least one example."""
import argparse
import glob
import os
import re
import subprocess
import sys


def layer_mnemonics(ops_td):
    text = open(ops_td).read()
    # def SeqNN_LSTMOp : SeqNN_ClassicRNN<"lstm", ...> / SeqNN_Op<"lru", ...>
    return set(re.findall(r'^def SeqNN_\w+Op\s*:\s*SeqNN_\w+<"(\w+)"', text, re.M))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", required=True)
    parser.add_argument("--ops-td", required=True)
    parser.add_argument("--seq-opt", default="seq-opt")
    args = parser.parse_args()

    files = sorted(glob.glob(os.path.join(args.examples, "*.mlir")))
    if not files:
        print("no examples found in", args.examples)
        return 1
    failures = 0
    used = set()
    for path in files:
        result = subprocess.run([args.seq_opt, path, "-o", os.devnull],
                                capture_output=True, text=True)
        if result.returncode != 0:
            failures += 1
            print("FAIL %s\n%s" % (path, result.stderr))
        used |= set(re.findall(r"\bseqnn\.(\w+)", open(path).read()))
    layers = layer_mnemonics(args.ops_td)
    if not layers:
        print("found no layer definitions in", args.ops_td)
        return 1
    missing = sorted(layers - used)
    for layer in missing:
        print("MISSING an example using seqnn.%s" % layer)
    print("%d examples, %d verified, %d of %d layer families covered"
          % (len(files), len(files) - failures, len(layers) - len(missing), len(layers)))
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main())
