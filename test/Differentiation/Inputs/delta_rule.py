#!/usr/bin/env python3
"""delta_rule.py T GATE FORM CHUNK DTYPE NEGATIVE: one seq.delta_rule over q, k
[2, T, 2, 8] and v [2, T, 2, 4] (dk != dv), beta [2, T, 2], with an initial
state, gated (GATE = gate: a log decay [2, T, 2]) or not (none), in FORM
(sequential, chunkwise with CHUNK its chunk size, or auto: none written),
inputs of DTYPE, beta in [0, 2] when NEGATIVE is 1, for gradient checks."""
import sys

T, gate, form, chunk, dtype, negative = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                         int(sys.argv[4]), sys.argv[5], sys.argv[6] == "1")
qk = "tensor<2x%dx2x8x%s>" % (T, dtype)
v = "tensor<2x%dx2x4x%s>" % (T, dtype)
per_step = "tensor<2x%dx2x%s>" % (T, dtype)
out = "tensor<2x%dx2x4xf32>" % T
state = "tensor<2x2x8x4xf32>"
args = [("q", qk), ("k", qk), ("v", v), ("beta", per_step)]
gate_text = ""
if gate == "gate":
    args.append(("g", per_step))
    gate_text = " gate %g"
args.append(("s0", state))
attrs = []
if negative:
    attrs.append(" allow_negative_eigenvalues")
form_attr = ""
if form == "sequential":
    form_attr = " {form = #seq.form<sequential>}"
elif form == "chunkwise":
    form_attr = " {form = #seq.form<chunkwise, chunk_size = %d>}" % chunk
types = ", ".join(t for _, t in args)
print("func.func @delta(%s) -> (%s, %s) {" %
      (", ".join("%%%s: %s" % a for a in args), out, state))
print("  %%o, %%s = seq.delta_rule %%q, %%k, %%v, %%beta%s init %%s0%s%s" %
      (gate_text, "".join(attrs), form_attr))
print("      : (%s) -> (%s, %s)" % (types, out, state))
print("  return %%o, %%s : %s, %s" % (out, state))
print("}")
