#!/usr/bin/env python3
"""Property test: every implemented non-sequential form (prefix linear_scan,
chunkwise and parallel linear_attention, prefix softmax scan, parallel and
chunkwise (flash) causal softmax attention) agrees with the reference interpreter on randomized shapes and
adversarial values.

Cases are drawn from a seeded generator: T in {1, 2, 37, 64, 1000, 16384}
(the longest only in --soak), chunk sizes that do and do not divide T,
several heads and head dims, f32 and bf16, and adversarial inputs written as
.npy: decays near +-1 over long T and negative, log gates strongly negative
and near zero. Each case runs `seqc run --check`; a failing case prints its
seed so that `forms_agree.py SEQC --seed S --cases 1` replays it (with
--soak if it came from a soak run).

Usage: forms_agree.py SEQC [--cases N] [--seed S] [--soak]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

import numpy as np


def to_bf16_bits(x):
    bits = np.asarray(x, dtype=np.float32).view(np.uint32)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def save(path, value, dtype):
    np.save(path, to_bf16_bits(value) if dtype == "bf16" else value.astype(np.float32))


def t(shape, el):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + el + ">"


def linear_scan_case(rng, lengths):
    T = rng.choice(lengths)
    kind = rng.choice(["prefix", "chunkwise"])
    # The chunkwise form is O(C) per step: chunks up to 64.
    C = rng.choice([1, 3, 16, 64, 256, max(1, T)] if kind == "prefix"
                   else [1, 3, 16, 64, max(1, min(T, 64))])
    B, D = rng.choice([1, 2]), rng.choice([1, 4, 8])
    dtype = rng.choice(["f32", "bf16"])
    mode = rng.choice(["near_one", "negative", "mixed", "zeros"])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    if mode == "near_one":
        a = 1.0 - nrng.uniform(0, 1e-3, (B, T, D))
    elif mode == "negative":
        a = -nrng.uniform(0.9, 0.999, (B, T, D))
    elif mode == "zeros":
        # Resets (a = 0) amid negative and positive decays.
        a = nrng.uniform(-0.999, 0.999, (B, T, D))
        a[nrng.random((B, T, D)) < 0.05] = 0.0
    else:
        a = nrng.uniform(-0.999, 0.999, (B, T, D))
    b = nrng.standard_normal((B, T, D))
    # The prefix form in rounds of 1, 2 or 3 chunks per sequence (the CPU's
    # threads), or every chunk in one round.
    workers = [0, 1, 2, 3][int(nrng.integers(4))] if kind == "prefix" else 0
    params = "chunk_size = %d" % C + (", workers = %d" % workers if workers else "")
    s, st, o = t((B, T, D), dtype), t((B, D), "f32"), t((B, T, D), "f32")
    text = ("func.func @case(%%a: %s, %%b: %s) -> (%s, %s) {\n"
            "  %%h, %%l = seq.linear_scan %%a, %%b {form = #seq.form<%s, %s>}"
            " : (%s, %s) -> (%s, %s)\n  return %%h, %%l : %s, %s\n}\n"
            % (s, s, o, st, kind, params, s, s, o, st, o, st))
    return "linear_scan %s T=%d C=%d%s B=%d D=%d %s %s" % (
        kind, T, C, " workers=%d" % workers if workers else "", B, D, dtype, mode), \
        text, {"a": a, "b": b}, dtype


def linear_attention_case(rng, lengths):
    T = rng.choice(lengths)
    # Scores are C x C per chunk: one chunk of all steps up to 1000.
    C = rng.choice([1, 5, 16, 64, max(1, min(T, 1000))])
    H, dk, dv = rng.choice([1, 2]), rng.choice([4, 8]), rng.choice([4, 8])
    gate = rng.choice(["none", "scalar", "vector"])
    dtype = rng.choice(["f32", "bf16"])
    # A bf16 output also makes the matmul operands bf16 (f32 accumulation).
    out = rng.choice(["f32", dtype])
    mode = rng.choice(["strong_decay", "weak_decay", "mixed"])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    q, k, v = (nrng.standard_normal((1, T, H, d)) / np.sqrt(d) for d in (dk, dk, dv))
    gshape = (1, T, H) if gate == "scalar" else (1, T, H, dk)
    if mode == "strong_decay":
        g = -nrng.uniform(5, 30, gshape)
    elif mode == "weak_decay":
        g = -nrng.uniform(0, 1e-4, gshape)
    else:
        g = -nrng.exponential(1.0, gshape)
    el = dtype
    args = ["%%q: %s" % t((1, T, H, dk), el), "%%k: %s" % t((1, T, H, dk), el),
            "%%v: %s" % t((1, T, H, dv), el)]
    types = [t((1, T, H, dk), el), t((1, T, H, dk), el), t((1, T, H, dv), el)]
    inputs = {"q": q, "k": k, "v": v}
    gate_text = ""
    if gate != "none":
        args.append("%%g: %s" % t(gshape, "f32"))
        types.append(t(gshape, "f32"))
        gate_text = " gate <%s> %%g" % gate
        inputs["g"] = g
    o, st = t((1, T, H, dv), out), t((1, H, dk, dv), out)
    # The parallel form (T x T scores) where T is not the soak length.
    parallel = T <= 1000 and rng.random() < 0.3
    form = "#seq.form<parallel>" if parallel else "#seq.form<chunkwise, chunk_size = %d>" % C
    text = ("func.func @case(%s) -> (%s, %s) {\n"
            "  %%o, %%s = seq.linear_attention %%q, %%k, %%v%s {form = %s}"
            " : (%s) -> (%s, %s)\n  return %%o, %%s : %s, %s\n}\n"
            % (", ".join(args), o, st, gate_text, form, ", ".join(types), o, st, o, st))
    return "linear_attention %s T=%d H=%d dk=%d dv=%d gate=%s %s %s" % (
        "parallel" if parallel else "chunkwise C=%d" % C, T, H, dk, dv, gate,
        "%s->%s" % (dtype, out), mode), text, inputs, dtype


def delta_rule_case(rng, lengths):
    T = rng.choice(lengths)
    # The UT transform is C x C per chunk, its forward substitution C^3:
    # one chunk of all steps only up to 256.
    C = rng.choice([1, 5, 16, 64, max(1, min(T, 256))])
    H, dk, dv = rng.choice([1, 2]), rng.choice([4, 8]), rng.choice([4, 8])
    gated = rng.random() < 0.5
    negative = rng.random() < 0.5
    dtype = rng.choice(["f32", "bf16"])
    out = rng.choice(["f32", dtype])
    # beta at the ends of its range (0 and 1, or 0 and 2 with negative
    # eigenvalues) or anywhere in it; gates strongly negative, near zero, or
    # mixed.
    beta_mode = rng.choice(["near_zero", "near_max", "uniform"])
    gate_mode = rng.choice(["strong_decay", "weak_decay", "mixed"])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    q = nrng.standard_normal((1, T, H, dk)) / np.sqrt(dk)
    k = nrng.standard_normal((1, T, H, dk))
    k /= np.linalg.norm(k, axis=-1, keepdims=True)  # L2-normalized keys
    v = nrng.standard_normal((1, T, H, dv))
    top = 2.0 if negative else 1.0
    if beta_mode == "near_zero":
        beta = nrng.uniform(0, 1e-3, (1, T, H))
    elif beta_mode == "near_max":
        beta = top - nrng.uniform(0, 1e-3, (1, T, H))
    else:
        beta = nrng.uniform(0, top, (1, T, H))
    if gate_mode == "strong_decay":
        g = -nrng.uniform(5, 30, (1, T, H))
    elif gate_mode == "weak_decay":
        g = -nrng.uniform(0, 1e-4, (1, T, H))
    else:
        g = -nrng.exponential(1.0, (1, T, H))
    el = dtype
    args = ["%%q: %s" % t((1, T, H, dk), el), "%%k: %s" % t((1, T, H, dk), el),
            "%%v: %s" % t((1, T, H, dv), el), "%%beta: %s" % t((1, T, H), el)]
    types = [t((1, T, H, dk), el), t((1, T, H, dk), el), t((1, T, H, dv), el),
             t((1, T, H), el)]
    inputs = {"q": q, "k": k, "v": v, "beta": beta}
    gate_text = ""
    if gated:
        args.append("%%g: %s" % t((1, T, H), "f32"))
        types.append(t((1, T, H), "f32"))
        gate_text = " gate %g"
        inputs["g"] = g
    o, st = t((1, T, H, dv), out), t((1, H, dk, dv), out)
    text = ("func.func @case(%s) -> (%s, %s) {\n"
            "  %%o, %%s = seq.delta_rule %%q, %%k, %%v, %%beta%s%s"
            " {form = #seq.form<chunkwise, chunk_size = %d>}"
            " : (%s) -> (%s, %s)\n  return %%o, %%s : %s, %s\n}\n"
            % (", ".join(args), o, st, gate_text,
               " allow_negative_eigenvalues" if negative else "", C,
               ", ".join(types), o, st, o, st))
    return "delta_rule chunkwise C=%d T=%d H=%d dk=%d dv=%d %s%s %s beta=%s gate=%s" % (
        C, T, H, dk, dv, "gated" if gated else "ungated",
        " negative-eigenvalues" if negative else "", "%s->%s" % (dtype, out), beta_mode,
        gate_mode if gated else "-"), text, inputs, dtype


def generic_scan_case(rng, lengths):
    """seq.scan in the prefix form with one of two combiners: the running
    maximum with a running sum (two sequences), or the composition of
    affine maps (a, b) o (a2, b2) = (a a2, a2 b + b2), which does not
    commute: operand order matters. With or without init, inclusive or
    exclusive, forward or reverse; f32, or bf16 for the affine maps."""
    T = rng.choice([t for t in lengths if t > 0])
    C = rng.choice([1, 3, 16, 64, max(1, T)])
    B, D = rng.choice([1, 2]), rng.choice([1, 4])
    combiner = rng.choice(["max_sum", "affine"])
    reverse = rng.random() < 0.3
    has_init = rng.random() < 0.5
    exclusive = has_init and rng.random() < 0.4
    # bf16 only with the contracting affine combiner: a running sum rounded
    # to bf16 at every step drifts from the f64 reference by ~3% after 1000
    # steps in any association (the sequential form's too).
    el = rng.choice(["f32", "bf16"]) if combiner == "affine" else "f32"
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    if combiner == "max_sum":
        x = nrng.standard_normal((B, T, D))
        y = nrng.standard_normal((B, T, D))
        body = ("  ^bb0(%l0: EL, %l1: EL, %r0: EL, %r1: EL):\n"
                "    %m = arith.maximumf %l0, %r0 : EL\n"
                "    %s = arith.addf %l1, %r1 : EL\n"
                "    seq.yield %m, %s : EL, EL\n").replace("EL", el)
        init_values = {"i0": nrng.standard_normal((B, D)), "i1": nrng.standard_normal((B, D))}
    else:
        x = nrng.uniform(-0.999, 0.999, (B, T, D))
        y = nrng.standard_normal((B, T, D))
        body = ("  ^bb0(%l0: EL, %l1: EL, %r0: EL, %r1: EL):\n"
                "    %a = arith.mulf %l0, %r0 : EL\n"
                "    %p = arith.mulf %r0, %l1 : EL\n"
                "    %b = arith.addf %p, %r1 : EL\n"
                "    seq.yield %a, %b : EL, EL\n").replace("EL", el)
        init_values = {"i0": np.ones((B, D)), "i1": nrng.standard_normal((B, D))}
    s_ = t((B, T, D), el)
    st = t((B, D), el)
    args = ["%%x: %s" % s_, "%%y: %s" % s_]
    inputs = {"x": x, "y": y}
    init_text = ""
    if has_init:
        args += ["%%i0: %s" % st, "%%i1: %s" % st]
        inputs.update(init_values)
        init_text = " init(%%i0, %%i1 : %s, %s)" % (st, st)
    flags = (" reverse" if reverse else "") + (" exclusive" if exclusive else "")
    text = ("func.func @case(%s) -> (%s, %s, %s, %s) {\n"
            "  %%o:2, %%f:2 = seq.scan ins(%%x, %%y : %s, %s)%s%s"
            " attributes {form = #seq.form<prefix, chunk_size = %d>}\n"
            "      -> (%s, %s) final (%s, %s) {\n%s  }\n"
            "  return %%o#0, %%o#1, %%f#0, %%f#1 : %s, %s, %s, %s\n}\n"
            % (", ".join(args), s_, s_, st, st, s_, s_, init_text, flags, C,
               s_, s_, st, st, body, s_, s_, st, st))
    return "scan prefix C=%d T=%d B=%d D=%d %s %s%s%s%s" % (
        C, T, B, D, el, combiner, " init" if has_init else "", " reverse" if reverse else "",
        " exclusive" if exclusive else ""), text, inputs, el


def aaren_case(rng, lengths):
    T = rng.choice(lengths)
    C = rng.choice([1, 4, 16, 256, max(1, T)])
    H, dk, dv = rng.choice([1, 2]), rng.choice([4, 8]), rng.choice([4, 8])
    dtype = rng.choice(["f32", "bf16"])
    mode = rng.choice(["peaked", "flat", "mixed"])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    q = nrng.standard_normal((1, H, dk))
    # peaked: scores of magnitude ~50 (one key dominates); flat: ~0.
    magnitude = {"peaked": 20.0, "flat": 1e-3, "mixed": 1.0}[mode]
    k = nrng.standard_normal((1, T, H, dk)) * magnitude
    v = nrng.standard_normal((1, T, H, dv))
    o, m, w = t((1, T, H, dv), "f32"), t((1, H), "f32"), t((1, H, dv), "f32")
    text = ("func.func @case(%%q: %s, %%k: %s, %%v: %s) -> (%s, %s, %s, %s) {\n"
            "  %%o, %%m, %%u, %%w = seq.softmax_attention %%q, %%k, %%v"
            " {form = #seq.form<prefix, chunk_size = %d>} : (%s, %s, %s) -> (%s, %s, %s, %s)\n"
            "  return %%o, %%m, %%u, %%w : %s, %s, %s, %s\n}\n"
            % (t((1, H, dk), dtype), t((1, T, H, dk), dtype), t((1, T, H, dv), dtype),
               o, m, m, w, C, t((1, H, dk), dtype), t((1, T, H, dk), dtype),
               t((1, T, H, dv), dtype), o, m, m, w, o, m, m, w))
    return "softmax_attention (Aaren) prefix T=%d C=%d H=%d dk=%d dv=%d %s %s" % (
        T, C, H, dk, dv, dtype, mode), text, {"q": q, "k": k, "v": v}, dtype


def causal_attention_case(rng, lengths):
    T = rng.choice(lengths)
    P = rng.choice([0, 0, 3, 17])  # cached steps every query also sees
    H, dk, dv = rng.choice([1, 2]), rng.choice([4, 8]), rng.choice([4, 8])
    dtype = rng.choice(["f32", "bf16"])
    mode = rng.choice(["peaked", "flat", "mixed"])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    magnitude = {"peaked": 20.0, "flat": 1e-3, "mixed": 1.0}[mode]
    q = nrng.standard_normal((1, T, H, dk))
    k = nrng.standard_normal((1, T, H, dk)) * magnitude
    v = nrng.standard_normal((1, T, H, dv))
    inputs = {"q": q, "k": k, "v": v}
    ins = [("q", (1, T, H, dk)), ("k", (1, T, H, dk)), ("v", (1, T, H, dv))]
    init = ""
    if P:
        inputs["kc"] = nrng.standard_normal((1, P, H, dk)) * magnitude
        inputs["vc"] = nrng.standard_normal((1, P, H, dv))
        ins += [("kc", (1, P, H, dk)), ("vc", (1, P, H, dv))]
        init = " init(%kc, %vc)"
    o, kcache, vcache = t((1, T, H, dv), "f32"), t((1, P + T, H, dk), dtype), t((1, P + T, H, dv), dtype)
    types = ", ".join(t(shape, dtype) for _, shape in ins)
    # Parallel (T x (P+T) scores), or chunkwise (flash) with a chunk of keys
    # that does or does not divide P + T.
    C = rng.choice([1, 7, 32, 64, P + T])
    flash = rng.random() < 0.5
    form = "#seq.form<chunkwise, chunk_size = %d>" % C if flash else "#seq.form<parallel>"
    text = ("func.func @case(%s) -> (%s, %s, %s) {\n"
            "  %%o, %%kk, %%vv = seq.softmax_attention %%q, %%k, %%v%s"
            " {form = %s} : (%s) -> (%s, %s, %s)\n"
            "  return %%o, %%kk, %%vv : %s, %s, %s\n}\n"
            % (", ".join("%%%s: %s" % (n, t(shape, dtype)) for n, shape in ins),
               o, kcache, vcache, init, form, types, o, kcache, vcache, o, kcache, vcache))
    return "softmax_attention %s T=%d P=%d H=%d dk=%d dv=%d %s %s" % (
        "chunkwise C=%d" % C if flash else "parallel", T, P, H, dk, dv, dtype,
        mode), text, inputs, dtype


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seqc")
    parser.add_argument("--cases", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--soak", action="store_true", help="long sequences, more cases")
    parser.add_argument("--ops", default="",
                        help="comma-separated case kinds to draw (default: all), e.g. "
                             "linear_attention,delta_rule")
    args = parser.parse_args()
    lengths = [1, 2, 37, 64, 1000] + ([16384] if args.soak else [])
    cases = args.cases * (10 if args.soak else 1)
    makers = [linear_scan_case, linear_attention_case, delta_rule_case, generic_scan_case,
              aaren_case, causal_attention_case]
    if args.ops:
        wanted = args.ops.split(",")
        makers = [m for m in makers if m.__name__[:-len("_case")] in wanted]
        if len(makers) != len(wanted):
            parser.error("unknown case kind in --ops %s" % args.ops)
    failures = 0
    for index in range(cases):
        seed = args.seed + index
        rng = random.Random(seed)
        make = makers[seed % len(makers)]
        name, text, inputs, dtype = make(rng, lengths)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "case.mlir")
            with open(path, "w") as f:
                f.write(text)
            command = [args.seqc, "run", path, "--check", "--repeat=1"]
            for key, value in inputs.items():
                file = os.path.join(tmp, key + ".npy")
                save(file, value, dtype if key != "g" else "f32")
                command += ["--input", "%s=%s" % (key, file)]
            result = subprocess.run(command, capture_output=True, text=True)
        ok = result.returncode == 0 and "nan" not in result.stdout.lower()
        if not ok:
            failures += 1
            print("FAIL seed %d: %s\n%s%s" % (seed, name, result.stdout, result.stderr))
    print("%d cases, %d failures" % (cases, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
