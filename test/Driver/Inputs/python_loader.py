"""Drives python/seqc on a bundle without a GPU: argument checks only."""
import sys

sys.path.insert(0, sys.argv[1])
import seqc  # noqa: E402
import torch  # noqa: E402

bundle = seqc.load(sys.argv[2])
print("functions:", sorted(bundle.functions))
f = bundle.selective_scan
print("inputs:", ", ".join("%s %s %s" % (p["name"], p["dtype"], p["shape"]) for p in f.inputs))
for label, call in [
        ("count", lambda: f(torch.zeros(1))),
        ("device", lambda: f(torch.zeros(2, 128, 32, 16, dtype=torch.bfloat16),
                             torch.zeros(2, 128, 32, 16, dtype=torch.bfloat16),
                             torch.zeros(2, 32, 16))),
        ("missing", lambda: bundle.nope)]:
    try:
        call()
        print(label + ": no error")
    except Exception as e:
        print("%s: %s: %s" % (label, type(e).__name__, e))
