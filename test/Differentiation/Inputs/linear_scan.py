#!/usr/bin/env python3
"""linear_scan.py T FORM CHUNK DTYPE: one seq.linear_scan over [2, T, 8] with
an initial state, in FORM (sequential, prefix or chunkwise, CHUNK its chunk
size; 0: the form selection chooses), for gradient checks."""
import sys

T, form, chunk, dtype = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
state_el = "complex<f32>" if dtype == "complex" else "f32"
el = "complex<f32>" if dtype == "complex" else dtype
seq = "tensor<2x%dx8x%s>" % (T, el)
out = "tensor<2x%dx8x%s>" % (T, state_el)
state = "tensor<2x8x%s>" % state_el
attr = ""
if form == "sequential":
    attr = " {form = #seq.form<sequential>}"
elif form != "auto":
    attr = " {form = #seq.form<%s, chunk_size = %d>}" % (form, chunk)
print("func.func @scan(%%a: %s, %%b: %s, %%h0: %s) -> (%s, %s) {" % (seq, seq, state, out, state))
print("  %%h, %%last = seq.linear_scan %%a, %%b init %%h0%s" % attr)
print("      : (%s, %s, %s) -> (%s, %s)" % (seq, seq, state, out, state))
print("  return %%h, %%last : %s, %s" % (out, state))
print("}")
