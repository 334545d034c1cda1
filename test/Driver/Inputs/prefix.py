#!/usr/bin/env python3
"""prefix.py T C DTYPE RANK [WORKERS]: seq.linear_scan in the prefix form
with chunk size C (dividing T or not), over [2, T] (RANK 2) or [2, T, 8]
(RANK 3), in rounds of WORKERS chunks per sequence when given."""
import sys

T, C, dtype, rank = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
workers = ", workers = %s" % sys.argv[5] if len(sys.argv) > 5 else ""
rest = "" if rank == 2 else "x8"
seq = "tensor<2x%d%sx%s>" % (T, rest, dtype)
out = "tensor<2x%d%sxf32>" % (T, rest)
state = "tensor<2%sxf32>" % rest
print("func.func @prefix(%%a: %s, %%b: %s, %%h0: %s) -> (%s, %s) {" % (seq, seq, state, out, state))
print("  %%h, %%last = seq.linear_scan %%a, %%b init %%h0 {form = #seq.form<prefix, chunk_size = %d%s>}" % (C, workers))
print("      : (%s, %s, %s) -> (%s, %s)" % (seq, seq, state, out, state))
print("  return %%h, %%last : %s, %s" % (out, state))
print("}")
