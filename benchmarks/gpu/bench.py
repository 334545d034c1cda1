#!/usr/bin/env python3
"""GPU benchmarks of seqc bundles against their PyTorch peers (issue 6).

    python3 benchmarks/gpu/bench.py BUNDLES_DIR [--csv FILE]

BUNDLES_DIR holds the bundles compiled from benchmarks/gpu/models.py
(`seqc compile M.mlir --target=sm_90 -o BUNDLES_DIR/<name>`). Each case
checks seqc's outputs against an independent PyTorch computation, then times
both with CUDA events (warm-up, repeats, median) and prints the ratio.
"""
import argparse
import csv
import os
import sys

import faulthandler

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import seqc  # noqa: E402


def median_ms(fn, warmup=3, repeat=15):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    times.sort()
    return times[len(times) // 2]


def graph_ms(fn, repeat=15):
    """Median time of replaying `fn` captured as a CUDA graph: the device
    time without the host's launch gaps (None if capture fails)."""
    try:
        fn()
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            fn()
        return median_ms(graph.replay, repeat=repeat)
    except Exception as e:  # report, keep the stream-timed number
        print("  (graph capture failed: %s)" % str(e).splitlines()[0], flush=True)
        return None


def rel_err(got, ref):
    got, ref = got.double(), ref.double()
    if not torch.isfinite(got).all():
        return float("inf")
    return (torch.linalg.vector_norm(got - ref) / torch.linalg.vector_norm(ref)).item()


ROWS = []
PROFILE = False
faulthandler.enable()  # a crash in a bundle names the Python line


def print_profile(fn):
    """Device time per kernel of one call of `fn` (CUPTI sees a bundle's
    launches too)."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        fn()
        torch.cuda.synchronize()
    print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=14), flush=True)


def row(case, sizes, ours_ms, peer, peer_ms, err, tol, note="", graph=None, verdict=None):
    """verdict overrides PASS/FAIL for rows that are not compared with a
    reference (e.g. "FINITE" when only NaN/Inf are checked)."""
    ok = err <= tol
    ratio = peer_ms / ours_ms if ours_ms and peer_ms else float("nan")
    if graph:
        note = ("graph replay %.4f ms; " % graph) + note
    ROWS.append(dict(case=case, sizes=sizes, seqc_ms="%.4f" % ours_ms,
                     seqc_graph_ms="%.4f" % graph if graph else "", peer=peer,
                     peer_ms="%.4f" % peer_ms if peer_ms else "", speedup="%.3f" % ratio,
                     rel_err="%.2e" % err,
                     check=verdict or ("PASS" if ok else "FAIL"), note=note))
    print("%-24s %-28s seqc %9.3f ms  %-22s %9s ms  seqc speedup %6.3fx  rel err %.2e %s %s"
          % (case, sizes, ours_ms, peer, "%.3f" % peer_ms if peer_ms else "-", ratio, err,
             verdict or ("PASS" if ok else "FAIL"), note), flush=True)


def measure_forms(bundles, names, function, args, expected, sizes, peer, peer_ms,
                  note="", tol=1e-3):
    """One row per bundle of `names` that was built: `function` called on
    `args`, its outputs checked against `expected` (float64 references),
    timed launched and as a CUDA graph. The first name is the cost model's
    pick."""
    for index, name in enumerate(names):
        path = os.path.join(bundles, name)
        if not os.path.isdir(path):
            continue
        fn = getattr(seqc.load(path), function)
        out = fn(*args)
        err = max(rel_err(o, e) for o, e in zip(out, expected))
        ms = median_ms(lambda: fn(*args, out=out))
        graph = graph_ms(lambda: fn(*args, out=out))
        if PROFILE and index == 0:
            print_profile(lambda: fn(*args, out=out))
        row(name + (" (pick)" if index == 0 else ""), sizes, ms, peer, peer_ms,
            err, tol, note, graph)


def linear_scan(bundles):
    for size, (B, T, D) in (("large", (16, 4096, 1024)), ("small", (1, 65536, 64))):
        g = torch.Generator(device="cuda").manual_seed(0)
        mag = 0.5 + 0.499 * torch.rand(B, T, D, device="cuda", generator=g)
        sign = torch.where(torch.rand(B, T, D, device="cuda", generator=g) < 0.25, -1.0, 1.0)
        a = (mag * sign).contiguous()
        b = torch.randn(B, T, D, device="cuda", generator=g)
        # Reference: the recurrence step by step in float64.
        h = torch.zeros(B, D, device="cuda", dtype=torch.float64)
        ref = torch.empty(B, T, D, device="cuda", dtype=torch.float64)
        a64, b64 = a.double(), b.double()
        for t in range(T):
            h = a64[:, t] * h + b64[:, t]
            ref[:, t] = h
        # Peer: a device copy of as many bytes as a scan must move (read a
        # and b, write h), counted as read + write.
        src = torch.empty(3 * B * T * D // 2, device="cuda")
        dst = torch.empty_like(src)
        copy_ms = median_ms(lambda: dst.copy_(src))
        copy_gbs = 2 * src.numel() * 4 / (copy_ms * 1e-3) / 1e9
        times = {}
        for name in sorted(os.listdir(bundles)):
            prefix = "linear_scan_%s_" % size
            if not name.startswith(prefix):
                continue
            variant = name[len(prefix):]
            fn = seqc.load(os.path.join(bundles, name)).linear_scan
            out = fn(a, b)
            err = max(rel_err(out[0], ref), rel_err(out[1], ref[:, -1]))
            ms = median_ms(lambda: fn(a, b, out=out))
            graph = graph_ms(lambda: fn(a, b, out=out))
            times[variant] = graph or ms
            gbs = 3 * B * T * D * 4 / ((graph or ms) * 1e-3) / 1e9
            row("linear_scan " + variant, "B%d T%d D%d f32" % (B, T, D), ms,
                "device copy %.0f GB/s" % copy_gbs, copy_ms, err, 1e-4,
                "%.0f GB/s effective" % gbs, graph)
        if "auto" in times and len(times) > 1:
            fastest = min((v for v in times if v != "auto"), key=times.get)
            print("linear_scan %s: the cost model's pick runs in %.4f ms, the fastest form (%s) "
                  "in %.4f ms: pick/fastest = %.2f" % (size, times["auto"], fastest,
                                                     times[fastest], times["auto"] / times[fastest]),
                  flush=True)


class TorchLSTM:
    """A seeded bf16 torch.nn.LSTM of B x T x H: its time (cuDNN), its
    float32 outputs (the reference of every LSTM row, cuDNN's own too), and
    the arguments of a seqc `lstm` bundle with the same weights."""

    def __init__(self, B, T, H):
        torch.manual_seed(0)
        net = torch.nn.LSTM(H, H, batch_first=True).cuda().to(torch.bfloat16)
        x = torch.randn(B, T, H, device="cuda", dtype=torch.bfloat16)
        h0 = torch.randn(1, B, H, device="cuda", dtype=torch.bfloat16)
        c0 = torch.randn(1, B, H, device="cuda", dtype=torch.bfloat16)
        with torch.no_grad():
            y_ref, _ = net(x, (h0, c0))
            self.torch_ms = median_ms(lambda: net(x, (h0, c0)))
            net32 = torch.nn.LSTM(H, H, batch_first=True).cuda()
            net32.load_state_dict({k: v.float() for k, v in net.state_dict().items()})
            self.y32, (h32, c32) = net32(x.float(), (h0.float(), c0.float()))
        self.h32, self.c32 = h32[0], c32[0]
        self.torch_err = rel_err(y_ref, self.y32)
        self.x, self.h0, self.c0 = x, h0[0].contiguous(), c0[0].contiguous()
        self.w = net.weight_ih_l0.detach().t().contiguous()
        self.bias = net.bias_ih_l0.detach().contiguous()
        self.rbias = net.bias_hh_l0.detach().contiguous()
        self.args = self.args_with(net.weight_hh_l0.detach().t().contiguous()[None])

    def args_with(self, r):
        """A bundle's arguments with recurrent weights `r` ([heads, d, 4d])."""
        return (self.x, self.w, r, self.bias, self.rbias, self.h0, self.c0)

    def err(self, out):
        return max(rel_err(out[0], self.y32), rel_err(out[1], self.h32),
                   rel_err(out[2], self.c32))


def lstm(bundles):
    B, T, H = 16, 1024, 768
    ref = TorchLSTM(B, T, H)
    torch_ms, torch_err, args = ref.torch_ms, ref.torch_err, ref.args
    fn = seqc.load(os.path.join(bundles, "lstm_h768_1head")).lstm
    out = fn(*args)
    err = ref.err(out)
    ms = median_ms(lambda: fn(*args, out=out))
    graph = graph_ms(lambda: fn(*args, out=out), repeat=5)
    if PROFILE:
        print_profile(lambda: fn(*args, out=out))
    row("lstm 1 head alternating", "B%d T%d H%d bf16" % (B, T, H), ms, "torch.nn.LSTM (cuDNN)", torch_ms,
        err, 5e-2, "cuDNN rel err %.2e" % torch_err, graph)
    # FlashRNN's fused variant: one persistent cooperative kernel; then the
    # same with h rounded to bf16 in h R (--rnn-state-terms=1): cuDNN's
    # precision, a third of the tensor-core products.
    for name, label, note in (
            ("lstm_h768_1head_fused", "lstm 1 head fused",
             "persistent kernel, h R on tensor cores (3 bf16 terms of h), R in registers"),
            ("lstm_h768_1head_fused_1term", "lstm 1 head fused 1 term",
             "as above, h rounded to bf16 in h R")):
        if not os.path.isdir(os.path.join(bundles, name)):
            continue
        fn = seqc.load(os.path.join(bundles, name)).lstm
        out = fn(*args)
        err = ref.err(out)
        ms = median_ms(lambda: fn(*args, out=out))
        graph = graph_ms(lambda: fn(*args, out=out), repeat=5)
        row(label, "B%d T%d H%d bf16" % (B, T, H), ms, "torch.nn.LSTM (cuDNN)", torch_ms,
            err, 5e-2, note, graph)
    name = "lstm_h768_12heads"
    if os.path.isdir(os.path.join(bundles, name)):
        fn = seqc.load(os.path.join(bundles, name)).lstm
        d = H // 12
        r12 = (torch.randn(12, d, 4 * d, device="cuda") / d ** 0.5).to(torch.bfloat16)
        args = ref.args_with(r12)
        out = fn(*args)
        finite = bool(torch.isfinite(out[0]).all())
        ms = median_ms(lambda: fn(*args, out=out))
        graph = graph_ms(lambda: fn(*args, out=out), repeat=5)
        # No peer computes a block-diagonal LSTM: only NaN/Inf are checked.
        row("lstm 12 heads x 64 alternating", "B%d T%d H%d bf16" % (B, T, H), ms, "(no torch peer)", 0.0,
            0.0 if finite else float("inf"), 1.0, "not compared with a reference",
            graph, verdict="FINITE" if finite else "FAIL")
        # The fused variant, checked against the alternating one (the same
        # math in other kernels) and timed against it.
        name = "lstm_h768_12heads_fused"
        if os.path.isdir(os.path.join(bundles, name)) and finite:
            alternating_ms = ms
            fused = seqc.load(os.path.join(bundles, name)).lstm
            fused_out = fused(*args)
            err = max(rel_err(a, b.float()) for a, b in zip(fused_out, out))
            ms = median_ms(lambda: fused(*args, out=fused_out))
            graph = graph_ms(lambda: fused(*args, out=fused_out), repeat=5)
            row("lstm 12 heads x 64 fused", "B%d T%d H%d bf16" % (B, T, H), ms,
                "seqc alternating", alternating_ms, err, 5e-2,
                "persistent kernel; error vs the alternating variant", graph)


def chosen_variant(bundles, name):
    """The variant `seqc explain` (run by prepare.sh) chose for `name`, and
    its predicted ms per variant."""
    chosen, predicted = None, {}
    path = os.path.join(bundles, "explain_%s.txt" % name)
    if not os.path.exists(path):
        return None, {}
    for line in open(path):
        words = line.split()
        if len(words) > 2 and words[0] == "sequential" and "ms" in words:
            variant = "fused" if "variant=fused" in words else "alternating"
            predicted[variant] = float(words[words.index("ms") - 1])
            if "<-" in words:
                chosen = variant
    return chosen, predicted


def lstm_sweep(bundles):
    """Both of FlashRNN's variants at sizes where the cost model picks each:
    the pick is checked against the measured faster one."""
    from models import LSTM_SWEEP
    T = 256
    for B, H in LSTM_SWEEP:
        name = "lstm_sweep_b%d_h%d" % (B, H)
        if not os.path.isdir(os.path.join(bundles, name)):
            continue
        ref = TorchLSTM(B, T, H)
        chosen, predicted = chosen_variant(bundles, name)
        graphs = {}
        sizes = "B%d T%d H%d bf16" % (B, T, H)
        for variant, bundle in (("alternating", name), ("fused", name + "_fused"),
                                ("alternating 1 term", name + "_1term")):
            if not os.path.isdir(os.path.join(bundles, bundle)):
                continue
            fn = seqc.load(os.path.join(bundles, bundle)).lstm
            out = fn(*ref.args)
            err = ref.err(out)
            ms = median_ms(lambda: fn(*ref.args, out=out))
            graphs[variant] = graph_ms(lambda: fn(*ref.args, out=out), repeat=5)
            note = "predicted %s ms%s" % (predicted.get(variant, "?"),
                                          "; the model's pick" if variant == chosen else "")
            row("lstm %s" % variant, sizes, ms, "torch.nn.LSTM (cuDNN)", ref.torch_ms, err, 5e-2,
                note, graphs[variant])
        if chosen and "alternating" in graphs and "fused" in graphs:
            # The variants at the model's precision (3 terms).
            fastest = min(("alternating", "fused"), key=graphs.get)
            print("lstm sweep %s: the cost model picks %s; measured (graph) alternating %.3f ms, "
                  "fused %.3f ms: pick/fastest = %.2f" % (
                      sizes, chosen, graphs["alternating"], graphs["fused"],
                      graphs[chosen] / graphs[fastest]), flush=True)


def gla_chunk_torch(q, k, v, g, C=64):
    """GLA forward, chunkwise with matmuls (DESIGN.md's chunk form), float32;
    q scaled by 1/sqrt(dk) as seq.linear_attention does by default."""
    B, T, H, d = q.shape
    q = q * d ** -0.5
    q, k, v, g = (t.transpose(1, 2) for t in (q, k, v, g))  # [B, H, T, d]
    S = torch.zeros(B, H, d, v.shape[-1], device=q.device, dtype=q.dtype)
    out = torch.empty_like(v)
    mask = torch.tril(torch.ones(C, C, device=q.device, dtype=torch.bool))
    for s in range(0, T, C):
        qc, kc, vc, gc = (t[:, :, s:s + C] for t in (q, k, v, g))
        L = torch.cumsum(gc, dim=2)
        Lc = L[:, :, -1:]
        # exponents relative to the chunk's first step stay bounded for C=64
        A = torch.einsum("bhid,bhjd->bhij", qc * torch.exp(L), kc * torch.exp(-L))
        A = A.masked_fill(~mask[:qc.shape[2], :qc.shape[2]], 0)
        out[:, :, s:s + C] = (qc * torch.exp(L)) @ S + A @ vc
        S = torch.exp(Lc).transpose(-1, -2) * S + (kc * torch.exp(Lc - L)).transpose(-1, -2) @ vc
    return out.transpose(1, 2).contiguous(), S


def gla(bundles):
    B, T, H, d = 2, 4096, 4, 64
    torch.manual_seed(0)
    q = torch.randn(B, T, H, d, device="cuda")
    k = torch.nn.functional.normalize(torch.randn(B, T, H, d, device="cuda"), dim=-1)
    v = torch.randn(B, T, H, d, device="cuda")
    g = torch.log(0.85 + 0.149 * torch.rand(B, T, H, d, device="cuda"))
    # Reference: the recurrence step by step in float64.
    S = torch.zeros(B, H, d, d, device="cuda", dtype=torch.float64)
    ref = torch.empty(B, T, H, d, device="cuda", dtype=torch.float64)
    q64, k64, v64, a64 = q.double(), k.double(), v.double(), torch.exp(g.double())
    for t in range(T):
        S = a64[:, t, :, :, None] * S + k64[:, t, :, :, None] * v64[:, t, :, None, :]
        ref[:, t] = torch.einsum("bhd,bhde->bhe", q64[:, t], S) * d ** -0.5
    o_t, S_t = gla_chunk_torch(q, k, v, g)
    torch_err = rel_err(o_t, ref)
    torch_ms = median_ms(lambda: gla_chunk_torch(q, k, v, g))
    # The model's pick, then the same op in the other forms.
    measure_forms(bundles, ("gla", "gla_sequential", "gla_c32", "gla_c64", "gla_c128"),
                  "gla", (q, k, v, g), (ref, S), "B%d T%d H%d dk=dv=%d f32" % (B, T, H, d),
                  "torch chunked GLA", torch_ms, "torch rel err %.2e" % torch_err)
    # bf16 inputs and outputs: our matmuls on tensor cores (mma.sync), the
    # peer's in bf16 too (cuBLAS tensor cores); bf16 tolerance.
    q16, k16, v16 = (x.bfloat16() for x in (q, k, v))
    torch16_ms = median_ms(lambda: gla_chunk_torch(q16, k16, v16, g.bfloat16()))
    torch16_err = rel_err(gla_chunk_torch(q16, k16, v16, g.bfloat16())[0], ref)
    measure_forms(bundles, ("gla_bf16", "gla_bf16_c64"), "gla", (q16, k16, v16, g),
                  (ref, S), "B%d T%d H%d dk=dv=%d bf16" % (B, T, H, d),
                  "torch chunked GLA bf16", torch16_ms, "torch rel err %.2e" % torch16_err,
                  tol=3e-2)


def deltanet_chunk_torch(q, k, v, beta, g, C=64):
    """Gated DeltaNet forward in the WY/UT chunk form (DESIGN.md), float32
    PyTorch: the transform by a batched triangular solve, then a loop over
    chunks. The plain-PyTorch peer (fla's Triton kernels are not on this
    machine)."""
    B, T, H, d = q.shape
    N = T // C
    scale = d ** -0.5
    # [B, H, N, C, ...]
    def chunks(x):
        return x.transpose(1, 2).reshape(B, H, N, C, *x.shape[3:])
    qc, kc, vc = chunks(q) * scale, chunks(k), chunks(v)
    bc, L = chunks(beta), chunks(g).cumsum(-1)
    diff = L[..., :, None] - L[..., None, :]
    causal = torch.ones(C, C, dtype=torch.bool, device=q.device).tril()
    gamma = torch.where(causal, torch.exp(torch.where(causal, diff, 0)), 0)
    A = (bc[..., :, None] * (kc @ kc.transpose(-1, -2)) * gamma).tril(-1)
    eye = torch.eye(C, device=q.device).expand_as(A)
    Tinv = torch.linalg.solve_triangular(eye + A, eye, upper=False, unitriangular=True)
    W = Tinv @ (bc[..., None] * kc * torch.exp(L)[..., None])
    U = Tinv @ (bc[..., None] * vc)
    scores = (qc @ kc.transpose(-1, -2)) * gamma
    qe = qc * torch.exp(L)[..., None]
    ke = kc * torch.exp(L[..., -1:] - L)[..., None]
    S = torch.zeros(B, H, d, v.shape[-1], device=q.device)
    out = torch.empty_like(vc)
    for n in range(N):
        corrected = U[:, :, n] - W[:, :, n] @ S
        out[:, :, n] = qe[:, :, n] @ S + scores[:, :, n] @ corrected
        S = torch.exp(L[:, :, n, -1])[..., None, None] * S + ke[:, :, n].transpose(-1, -2) @ corrected
    return out.reshape(B, H, T, -1).transpose(1, 2), S


def deltanet(bundles):
    B, T, H, d = 2, 4096, 4, 64
    torch.manual_seed(0)
    q = torch.randn(B, T, H, d, device="cuda")
    k = torch.nn.functional.normalize(torch.randn(B, T, H, d, device="cuda"), dim=-1)
    v = torch.randn(B, T, H, d, device="cuda")
    beta = torch.rand(B, T, H, device="cuda")
    g = torch.log(0.9 + 0.099 * torch.rand(B, T, H, device="cuda"))
    # Reference: the recurrence step by step in float64.
    S = torch.zeros(B, H, d, d, device="cuda", dtype=torch.float64)
    ref = torch.empty(B, T, H, d, device="cuda", dtype=torch.float64)
    q64, k64, v64 = q.double(), k.double(), v.double()
    b64, a64 = beta.double(), torch.exp(g.double())
    for t in range(T):
        kt, bt = k64[:, t], b64[:, t, :, None, None]
        kS = torch.einsum("bhd,bhde->bhe", kt, S)
        S = a64[:, t, :, None, None] * (S - bt * kt[..., None] * kS[:, :, None, :]) \
            + bt * kt[..., None] * v64[:, t, :, None, :]
        ref[:, t] = torch.einsum("bhd,bhde->bhe", q64[:, t], S) * d ** -0.5
    o_t, S_t = deltanet_chunk_torch(q, k, v, beta, g)
    torch_err = max(rel_err(o_t, ref), rel_err(S_t, S))
    torch_ms = median_ms(lambda: deltanet_chunk_torch(q, k, v, beta, g))
    measure_forms(bundles, ("gated_deltanet", "gated_deltanet_c32", "gated_deltanet_c64",
                            "gated_deltanet_sequential"),
                  "gated_deltanet", (q, k, v, beta, g), (ref, S),
                  "B%d T%d H%d dk=dv=%d f32" % (B, T, H, d), "torch chunked DeltaNet",
                  torch_ms, "torch rel err %.2e" % torch_err)
    # bf16: against the f32 torch peer (its triangular solve has no bf16).
    q16, k16, v16, beta16 = (x.bfloat16() for x in (q, k, v, beta))
    measure_forms(bundles, ("gated_deltanet_bf16", "gated_deltanet_bf16_c64"),
                  "gated_deltanet", (q16, k16, v16, beta16, g), (ref, S),
                  "B%d T%d H%d dk=dv=%d bf16" % (B, T, H, d), "torch chunked DeltaNet f32",
                  torch_ms, "torch rel err %.2e" % torch_err, tol=3e-2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundles")
    parser.add_argument("--csv")
    parser.add_argument("--cases", default="linear_scan,lstm,lstm_sweep,gla,deltanet",
                        help="comma-separated subset of linear_scan, lstm, lstm_sweep, gla, "
                        "deltanet")
    parser.add_argument("--profile", action="store_true",
                        help="print the device time per kernel of one LSTM call")
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    print("device:", torch.cuda.get_device_name(), "torch", torch.__version__, flush=True)
    for case in (linear_scan, lstm, lstm_sweep, gla, deltanet):
        if case.__name__ not in args.cases.split(","):
            continue
        try:
            case(args.bundles)
        except Exception as e:  # keep the other cases' numbers
            print("%s: ERROR %s: %s" % (case.__name__, type(e).__name__, e), flush=True)
            ROWS.append(dict(case=case.__name__, check="ERROR", note=str(e)[:200]))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            fields = ["case", "sizes", "seqc_ms", "seqc_graph_ms", "peer", "peer_ms", "speedup",
                      "rel_err", "check", "note"]
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            for r in ROWS:
                w.writerow({k: r.get(k, "") for k in fields})
    return 0 if all(r.get("check") in ("PASS", "FINITE") for r in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
