#!/usr/bin/env python3
"""Backward versus forward on the CPU (issue 18's benchmark shapes): seqc's
@f_fwd and @f_bwd (seqc run --grad) for an LSTM (B16 T1024, 256 inputs,
H256; every step's state kept, and checkpoints every 32 steps) and a
GLA-style linear attention (B2 H4 T4096 d64, vector gate) and a gated
DeltaNet (seq.delta_rule with a gate, same sizes), next to
torch.nn.LSTM's forward and backward (PyTorch from Debian, same thread
count) and oneDNN's LSTM forward (training) and backward
(build/bin/seqc-bench-onednn-lstm, from libdnnl-dev; its gradients compared
with seqc's on the same inputs) in the same run. Prints a table; --csv writes it.

    /usr/bin/python3 benchmarks/gradients_cpu.py --csv benchmarks/results/gradients_cpu.csv
"""
import argparse
import csv
import os
import re
import subprocess
import tempfile
import time


def t(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def lstm_model(B, T, I, H):
    x, w, r, b, s, y = t((B, T, I)), t((I, 4 * H)), t((1, H, 4 * H)), t((4 * H,)), t((B, H)), t((B, T, H))
    return """func.func @lstm(%x: {x}, %w: {w}, %r: {r}, %b: {b}, %rb: {b}, %h0: {s}, %c0: {s})
    -> ({y}, {s}, {s}) {{
  %y, %h, %c = seqnn.lstm %x, %w, %r bias %b recurrent_bias %rb init(%h0, %c0)
      : ({x}, {w}, {r}, {b}, {b}, {s}, {s}) -> ({y}, {s}, {s})
  return %y, %h, %c : {y}, {s}, {s}
}}
""".format(x=x, w=w, r=r, b=b, s=s, y=y)


def gla_model(B, H, T, D):
    seq, state = t((B, T, H, D)), t((B, H, D, D))
    return """func.func @gla(%q: {q}, %k: {q}, %v: {q}, %g: {q}) -> ({q}, {s}) {{
  %o, %s = seq.linear_attention %q, %k, %v gate <vector> %g : ({q}, {q}, {q}, {q}) -> ({q}, {s})
  return %o, %s : {q}, {s}
}}
""".format(q=seq, s=state)


def gated_deltanet_model(B, H, T, D):
    seq, step, state = t((B, T, H, D)), t((B, T, H)), t((B, H, D, D))
    return """func.func @gdn(%q: {q}, %k: {q}, %v: {q}, %beta: {p}, %g: {p}) -> ({q}, {s}) {{
  %o, %s = seq.delta_rule %q, %k, %v, %beta gate %g : ({q}, {q}, {q}, {p}, {p}) -> ({q}, {s})
  return %o, %s : {q}, {s}
}}
""".format(q=seq, p=step, s=state)


def seqc_times(seqc, text, tmp, repeats, checkpoint=0):
    path = os.path.join(tmp, "model.mlir")
    with open(path, "w") as f:
        f.write(text)
    out = subprocess.run([seqc, "run", path, "--grad", "--seed=1", "--repeat=%d" % repeats,
                          "--grad-checkpoint=%d" % checkpoint],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"forward ([0-9.]+) ms, backward ([0-9.]+) ms.*residuals ([0-9]+) bytes", out)
    return float(m.group(1)), float(m.group(2)), int(m.group(3))


def onednn_lstm(seqc, onednn, B, T, I, H, repeats, tmp):
    """oneDNN's LSTM forward (training) and backward next to seqc's
    @lstm_fwd/@lstm_bwd on the same inputs and output cotangents; returns
    both rows and the largest relative difference of their gradients."""
    import numpy as np
    rng = np.random.default_rng(7)
    bound = 1.0 / np.sqrt(H)
    f32 = np.float32
    inputs = {
        "x": rng.standard_normal((B, T, I)).astype(f32),
        "w": rng.uniform(-bound, bound, (I, 4 * H)).astype(f32),
        "r": rng.uniform(-bound, bound, (1, H, 4 * H)).astype(f32),
        "b": rng.uniform(-bound, bound, (4 * H,)).astype(f32),
        "rb": rng.uniform(-bound, bound, (4 * H,)).astype(f32),
        "h0": (0.5 * rng.standard_normal((B, H))).astype(f32),
        "c0": (0.5 * rng.standard_normal((B, H))).astype(f32),
    }
    cotangents = [rng.standard_normal((B, T, H)).astype(f32),
                  rng.standard_normal((B, H)).astype(f32),
                  rng.standard_normal((B, H)).astype(f32)]
    seqc_dir, onednn_dir = os.path.join(tmp, "seqc"), os.path.join(tmp, "onednn")
    os.makedirs(seqc_dir, exist_ok=True)
    os.makedirs(onednn_dir, exist_ok=True)
    model = os.path.join(tmp, "lstm.mlir")
    with open(model, "w") as f:
        f.write(lstm_model(B, T, I, H))
    command = [seqc, "run", model, "--grad", "--repeat=%d" % repeats, "--dump-outputs", seqc_dir]
    for name, value in inputs.items():
        path = os.path.join(seqc_dir, name + ".npy")
        np.save(path, value)
        command += ["--input", "%s=%s" % (name, path)]
    for i, value in enumerate(cotangents):
        path = os.path.join(seqc_dir, "ct%d.npy" % i)
        np.save(path, value)
        command += ["--cotangent", "%d=%s" % (i, path)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    m = re.search(r"forward ([0-9.]+) ms, backward ([0-9.]+) ms.*residuals ([0-9]+) bytes", out)
    seqc_row = (float(m.group(1)), float(m.group(2)), int(m.group(3)))

    for name in ("x", "w", "r", "h0", "c0"):
        np.save(os.path.join(onednn_dir, name + ".npy"), inputs[name])
    np.save(os.path.join(onednn_dir, "b.npy"), inputs["b"] + inputs["rb"])
    for name, value in zip(("dy", "dh", "dc"), cotangents):
        np.save(os.path.join(onednn_dir, name + ".npy"), value)
    out = subprocess.run([onednn, onednn_dir, str(repeats)], check=True,
                         capture_output=True, text=True).stdout.split()
    version, inference, training, backward = out[1], float(out[3]), float(out[5]), float(out[7])

    pairs = [("x", "dx"), ("w", "dw"), ("r", "dr"), ("b", "db"), ("rb", "db"),
             ("h0", "dh0"), ("c0", "dc0")]
    worst = 0.0
    for mine, theirs in pairs:
        have = np.load(os.path.join(seqc_dir, "lstm_grad_%s.npy" % mine))
        want = np.load(os.path.join(onednn_dir, theirs + ".npy"))
        worst = max(worst, float(np.max(np.abs(have - want)) / np.max(np.abs(want))))
    return seqc_row, (training, backward, inference, version), worst


def torch_lstm_times(B, T, I, H, repeats):
    import torch
    torch.manual_seed(0)
    net = torch.nn.LSTM(I, H, batch_first=True)
    x = torch.randn(B, T, I, requires_grad=True)
    fwd, bwd = [], []
    for i in range(repeats + 1):
        start = time.perf_counter()
        y, _ = net(x)
        mid = time.perf_counter()
        y.backward(torch.ones_like(y))
        end = time.perf_counter()
        if i > 0:
            fwd.append((mid - start) * 1e3)
            bwd.append((end - mid) * 1e3)
    fwd.sort()
    bwd.sort()
    return fwd[len(fwd) // 2], bwd[len(bwd) // 2], torch.__version__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--onednn", default="build/bin/seqc-bench-onednn-lstm",
                        help="oneDNN's LSTM (built when libdnnl-dev is installed)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        f, b, r = seqc_times(args.seqc, lstm_model(16, 1024, 256, 256), tmp, args.repeats)
        rows.append(("LSTM B16 T1024 I256 H256", "seqc", f, b, r))
        f, b, r = seqc_times(args.seqc, lstm_model(16, 1024, 256, 256), tmp, args.repeats, 32)
        rows.append(("LSTM B16 T1024 I256 H256", "seqc K=32", f, b, r))
        if os.path.exists(args.onednn):
            mine, theirs, worst = onednn_lstm(args.seqc, args.onednn, 16, 1024, 256, 256,
                                              args.repeats, tmp)
            rows.append(("LSTM B16 T1024 I256 H256", "seqc (same inputs)", mine[0], mine[1],
                         mine[2]))
            rows.append(("LSTM B16 T1024 I256 H256", "oneDNN %s" % theirs[3], theirs[0],
                         theirs[1], ""))
            notes.append("oneDNN forward_inference %.1f ms; its gradients and seqc's differ by "
                         "at most %.1e of each gradient's largest entry" % (theirs[2], worst))
        try:
            tf, tb, version = torch_lstm_times(16, 1024, 256, 256, args.repeats)
            rows.append(("LSTM B16 T1024 I256 H256", "torch %s" % version, tf, tb, ""))
        except ImportError:
            pass
        f, b, r = seqc_times(args.seqc, gla_model(2, 4, 4096, 64), tmp, args.repeats)
        rows.append(("GLA B2 H4 T4096 d64", "seqc", f, b, r))
        f, b, r = seqc_times(args.seqc, gated_deltanet_model(2, 4, 4096, 64), tmp, args.repeats)
        rows.append(("GatedDeltaNet B2 H4 T4096 d64", "seqc", f, b, r))
    print("%-30s %-20s %12s %12s %8s %14s" % ("workload", "system", "forward ms", "backward ms",
                                            "bwd/fwd", "residual B"))
    for w, s, f, b, r in rows:
        print("%-30s %-20s %12.1f %12.1f %8.2f %14s" % (w, s, f, b, b / f, r))
    for note in notes:
        print(note)
    if args.csv:
        with open(args.csv, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["workload", "system", "forward_ms", "backward_ms", "residual_bytes"])
            writer.writerows(rows)


if __name__ == "__main__":
    main()
