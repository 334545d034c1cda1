#!/usr/bin/env python3
"""A/B timing of LSTM bundles of the same model built two ways (e.g. by two
versions of the compiler), on the same inputs, in one process: CUDA-graph
replays interleaved A, B, A, B, ... so that clock and thermal drift fall on
both alike; outputs compared between A and B.

    python3 benchmarks/gpu/ab_lstm.py BUNDLES_DIR A:B [A:B ...] [--rounds N]

Each A and B names a bundle of BUNDLES_DIR compiled from one of
benchmarks/gpu/models.py's B16 T1024 H768 LSTMs (names with "12heads" get
the 12 x 64 block-diagonal R).
"""
import argparse
import os
import statistics
import sys

import torch

from bench import TorchLSTM, graph_ms, rel_err, seqc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundles")
    parser.add_argument("pairs", nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("device:", torch.cuda.get_device_name(), flush=True)
    ref = TorchLSTM(16, 1024, 768)
    d = 64
    r12 = (torch.randn(12, d, 4 * d, device="cuda") / d ** 0.5).to(torch.bfloat16)
    for pair in args.pairs:
        names = pair.split(":")
        inputs = ref.args_with(r12) if "12heads" in names[0] else ref.args
        fns = [seqc.load(os.path.join(args.bundles, n)).lstm for n in names]
        outs = [fn(*inputs) for fn in fns]
        diff = max(rel_err(a.float(), b.float()) for a, b in zip(outs[0], outs[1]))
        times = [[], []]
        for _ in range(args.rounds):
            for i in (0, 1):
                times[i].append(graph_ms(lambda: fns[i](*inputs, out=outs[i]), repeat=5))
        med = [statistics.median(t) for t in times]
        print("%-40s %8.3f ms  %-40s %8.3f ms  B/A %.3f  (medians of %d graph replays; "
              "A vs B rel diff %.1e)" % (names[0], med[0], names[1], med[1], med[1] / med[0],
                                         args.rounds, diff), flush=True)
        print("   A: %s" % " ".join("%.3f" % t for t in times[0]))
        print("   B: %s" % " ".join("%.3f" % t for t in times[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
