#!/usr/bin/env python3
"""chunkwise.py T C GATE DTYPE [OUT]: seq.linear_attention in the chunkwise
form with chunk size C (dividing T or not), gate none / scalar / vector,
inputs of DTYPE, output and state of OUT (f32 by default)."""
import sys

T, C, gate, dtype = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = sys.argv[5] if len(sys.argv) > 5 else "f32"
s = "tensor<1x%dx2x8x%s>" % (T, dtype)
o = "tensor<1x%dx2x8x%s>" % (T, out)
state = "tensor<1x2x8x8x%s>" % out
args = ["%%q: %s" % s, "%%k: %s" % s, "%%v: %s" % s]
types = [s, s, s]
gate_text = ""
if gate != "none":
    g = "tensor<1x%dx2%sxf32>" % (T, "x8" if gate == "vector" else "")
    args.append("%%g: %s" % g)
    types.append(g)
    gate_text = " gate <%s> %%g" % gate
args.append("%%s0: %s" % state)
types.append(state)
print("func.func @chunkwise(%s) -> (%s, %s) {" % (", ".join(args), o, state))
print("  %%o, %%s = seq.linear_attention %%q, %%k, %%v%s init %%s0 {form = #seq.form<chunkwise, chunk_size = %d>}" % (gate_text, C))
print("      : (%s) -> (%s, %s)" % (", ".join(types), o, state))
print("  return %%o, %%s : %s, %s" % (o, state))
print("}")
