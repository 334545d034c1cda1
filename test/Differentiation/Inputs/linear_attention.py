#!/usr/bin/env python3
"""linear_attention.py T GATE FORM CHUNK DTYPE: one seq.linear_attention over
q, k [2, T, 2, 8] and v [2, T, 2, 4] (dk != dv) with an initial state, gate
GATE (none, scalar or vector), in FORM (sequential, chunkwise with CHUNK its
chunk size, parallel, or auto: none written), inputs of DTYPE, for gradient
checks."""
import sys

T, gate, form, chunk, dtype = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                               int(sys.argv[4]), sys.argv[5])
qk = "tensor<2x%dx2x8x%s>" % (T, dtype)
v = "tensor<2x%dx2x4x%s>" % (T, dtype)
out = "tensor<2x%dx2x4xf32>" % T
state = "tensor<2x2x8x4xf32>"
args = [("q", qk), ("k", qk), ("v", v)]
gate_text = ""
if gate == "vector":
    args.append(("g", qk))
    gate_text = " gate <vector> %g"
elif gate == "scalar":
    args.append(("g", "tensor<2x%dx2x%s>" % (T, dtype)))
    gate_text = " gate <scalar> %g"
args.append(("s0", state))
attr = ""
if form == "sequential" or form == "parallel":
    attr = " {form = #seq.form<%s>}" % form
elif form == "chunkwise":
    attr = " {form = #seq.form<chunkwise, chunk_size = %d>}" % chunk
types = ", ".join(t for _, t in args)
print("func.func @attention(%s) -> (%s, %s) {" %
      (", ".join("%%%s: %s" % a for a in args), out, state))
print("  %%o, %%s = seq.linear_attention %%q, %%k, %%v%s init %%s0%s" % (gate_text, attr))
print("      : (%s) -> (%s, %s)" % (types, out, state))
print("  return %%o, %%s : %s, %s" % (out, state))
print("}")
