#!/usr/bin/env python3
"""Writes the seq/seqnn models of the GPU benchmarks (sizes of issue 6).

    python3 benchmarks/gpu/models.py OUTDIR
"""
import os
import sys


def t(shape, dtype="f32"):
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), dtype)


def lstm(heads, B=16, T=1024, H=768, dtype="bf16"):
    I = H
    d = H // heads
    args = [("x", (B, T, I)), ("w", (I, 4 * H)), ("r", (heads, d, 4 * d)),
            ("bias", (4 * H,)), ("recurrent_bias", (4 * H,)), ("h0", (B, H)), ("c0", (B, H))]
    outs = [(B, T, H), (B, H), (B, H)]
    sig = ", ".join("%%%s: %s" % (n, t(s, dtype)) for n, s in args)
    rt = ", ".join(t(s, dtype) for s in outs)
    heads_attr = " {heads = %d}" % heads if heads > 1 else ""
    return ("func.func @lstm(%s) -> (%s) {\n"
            "  %%y, %%h, %%c = seqnn.lstm %%x, %%w, %%r bias %%bias recurrent_bias %%recurrent_bias "
            "init(%%h0, %%c0)%s\n      : (%s) -> (%s)\n"
            "  return %%y, %%h, %%c : %s\n}\n" % (
                sig, rt, heads_attr, ", ".join(t(s, dtype) for _, s in args), rt, rt))


def linear_scan(form, B, T, D):
    """form None: seq-select-form picks (what `seqc explain` shows)."""
    ty = t((B, T, D))
    st = t((B, D))
    attr = " {form = %s}" % form if form else ""
    return ("func.func @linear_scan(%%a: %s, %%b: %s) -> (%s, %s) {\n"
            "  %%h, %%last = seq.linear_scan %%a, %%b%s\n"
            "      : (%s, %s) -> (%s, %s)\n"
            "  return %%h, %%last : %s, %s\n}\n" % (ty, ty, ty, st, attr, ty, ty, ty, st, ty, st))


def gla(B=2, T=4096, H=4, dk=64, form=None, dtype="f32"):
    """q, k, v, output and state in `dtype` (bf16: tensor-core matmuls), the
    gate in f32."""
    ty = t((B, T, H, dk), dtype)
    gt = t((B, T, H, dk))
    st = t((B, H, dk, dk), dtype)
    attr = " {form = %s}" % form if form else ""
    return ("func.func @gla(%%q: %s, %%k: %s, %%v: %s, %%g: %s) -> (%s, %s) {\n"
            "  %%o, %%s = seq.linear_attention %%q, %%k, %%v gate <vector> %%g%s\n"
            "      : (%s, %s, %s, %s) -> (%s, %s)\n"
            "  return %%o, %%s : %s, %s\n}\n" % ((ty,) * 3 + (gt, ty, st, attr) + (ty,) * 3
                                              + (gt, ty, st, ty, st)))


def gated_deltanet(B=2, T=4096, H=4, dk=64, form=None, dtype="f32"):
    """q, k, v, beta, output and state in `dtype`, the gate in f32."""
    ty = t((B, T, H, dk), dtype)
    p = t((B, T, H), dtype)
    gt = t((B, T, H))
    st = t((B, H, dk, dk), dtype)
    attr = " {form = %s}" % form if form else ""
    return ("func.func @gated_deltanet(%%q: %s, %%k: %s, %%v: %s, %%beta: %s, %%g: %s)"
            " -> (%s, %s) {\n"
            "  %%o, %%s = seq.delta_rule %%q, %%k, %%v, %%beta gate %%g%s\n"
            "      : (%s, %s, %s, %s, %s) -> (%s, %s)\n"
            "  return %%o, %%s : %s, %s\n}\n" % (ty, ty, ty, p, gt, ty, st, attr, ty, ty, ty,
                                              p, gt, ty, st, ty, st))


# Linear scans at a large and a small B*D, in each form and as the cost
# model picks (the hit rate compares the pick with the fastest).
SCAN_SIZES = {"large": (16, 4096, 1024), "small": (1, 65536, 64)}
SCAN_FORMS = {
    "auto": None,
    "sequential_u4": "#seq.form<sequential, items_per_thread = 4>",
    "sequential_u8": "#seq.form<sequential, items_per_thread = 8>",
    "sequential_u16": "#seq.form<sequential, items_per_thread = 16>",
    "prefix_c64": "#seq.form<prefix, chunk_size = 64, items_per_thread = 4>",
    "prefix_c256": "#seq.form<prefix, chunk_size = 256, items_per_thread = 8>",
}

# The matrix-state ops in each form; "gla" and "gated_deltanet" are the
# cost model's picks.
MODELS = {
    "lstm_h768_1head": lstm(1),
    "lstm_h768_12heads": lstm(12),
    # prepare.sh compiles *_fused* with --rnn-variant=fused, and *_1term
    # with --rnn-state-terms=1 (the state rounded to bf16 in h R, as cuDNN).
    "lstm_h768_1head_fused": lstm(1),
    "lstm_h768_1head_fused_1term": lstm(1),
    "lstm_h768_12heads_fused": lstm(12),
    "gla": gla(),
    "gla_sequential": gla(form="#seq.form<sequential>"),
    "gla_c32": gla(form="#seq.form<chunkwise, chunk_size = 32>"),
    "gla_c64": gla(form="#seq.form<chunkwise, chunk_size = 64>"),
    "gla_c128": gla(form="#seq.form<chunkwise, chunk_size = 128>"),
    "gated_deltanet": gated_deltanet(),
    "gated_deltanet_sequential": gated_deltanet(form="#seq.form<sequential>"),
    "gated_deltanet_c32": gated_deltanet(form="#seq.form<chunkwise, chunk_size = 32>"),
    "gated_deltanet_c64": gated_deltanet(form="#seq.form<chunkwise, chunk_size = 64>"),
    # bf16: the chunked forms' matmuls on tensor cores (seq-contractions-to-mma).
    "gla_bf16": gla(dtype="bf16"),
    "gla_bf16_c64": gla(form="#seq.form<chunkwise, chunk_size = 64>", dtype="bf16"),
    "gated_deltanet_bf16": gated_deltanet(dtype="bf16"),
    "gated_deltanet_bf16_c64": gated_deltanet(form="#seq.form<chunkwise, chunk_size = 64>",
                                              dtype="bf16"),
}
# The cost model's choice between FlashRNN's variants, checked by measuring
# both (bench.py's lstm sweep): batch x hidden sizes where it picks fused
# (weights resident, little state to read), alternating (the weights do not
# fit in the blocks' shared memory) and alternating again (every block
# re-reading a large state each step).
LSTM_SWEEP = [(16, 2048), (64, 1024), (256, 512)]
for B, H in LSTM_SWEEP:
    MODELS["lstm_sweep_b%d_h%d" % (B, H)] = lstm(1, B=B, T=256, H=H)
    MODELS["lstm_sweep_b%d_h%d_fused" % (B, H)] = lstm(1, B=B, T=256, H=H)
    # cuDNN's precision (the state rounded to bf16 in h R), alternating.
    MODELS["lstm_sweep_b%d_h%d_1term" % (B, H)] = lstm(1, B=B, T=256, H=H)
for size, shape in SCAN_SIZES.items():
    for form, attr in SCAN_FORMS.items():
        MODELS["linear_scan_%s_%s" % (size, form)] = linear_scan(attr, *shape)

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in MODELS.items():
        with open(os.path.join(out, name + ".mlir"), "w") as f:
            f.write(text)
        print(os.path.join(out, name + ".mlir"))
