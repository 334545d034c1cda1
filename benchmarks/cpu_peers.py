"""seqc's CPU RNN layers against their CPU peers, same inputs, one run.

For LSTM and GRU at B16 T1024 with input size = hidden size (H256, H768),
f32, forward inference on all cores:

- seqc: `seqc run` on the layer (seqnn.lstm / seqnn.gru), JIT-compiled,
  median of --repeats runs after a warm-up;
- oneDNN (Debian's libdnnl-dev) through build/bin/seqc-bench-onednn-lstm in
  its forward mode (lstm_forward / lbr_gru_forward, forward_inference);
- PyTorch's torch.nn.LSTM / torch.nn.GRU under torch.no_grad(), on as
  many threads (--torch-repeats runs after a warm-up: Debian's CPU build
  takes seconds per call).

Where the host has AVX-512 BF16, each size again in bf16 against oneDNN's
bf16 LSTM/GRU (bf16 data, hidden state and weights; f32 cell state and
accumulation): seqc with its state rounded to bf16 in h R as oneDNN does
(--rnn-state-terms=1) and with f32's precision (3 terms).

Every peer's output y is compared with seqc's (largest absolute
difference). Then the H768 projection x W alone ([16384 x 768] x
[768 x 3072]) against numpy.matmul, i.e. the BLAS sgemm numpy links (Debian's
libblas.so.3 alternative: OpenBLAS where libopenblas0 is installed; the
table names the library). Prints a table; --csv writes it.

The peers in this process (numpy's BLAS, PyTorch) run as a user of this
host would set them up: OpenBLAS 0.3.21 does not know recent Xeons (family
6 model 207 is detected as "Prescott", SSE3 kernels, 4x slower than its
AVX-512 ones), so OPENBLAS_CORETYPE names the AVX-512 kernels where the
host has AVX-512 (COOPERLAKE with AVX-512 BF16, else SKYLAKEX) unless set;
and OMP_WAIT_POLICY=PASSIVE unless set, so that PyTorch's idle OpenMP
threads do not spin against OpenBLAS's (PyTorch's LSTM H768 7.7 -> 3.1 s
on the 2-core Xeon). seqc and oneDNN run in subprocesses with the
environment this script was given.

    python3 benchmarks/cpu_peers.py --repeats 3 --csv benchmarks/results/cpu_peers.csv
"""
import argparse
import csv
import os
import re
import subprocess
import tempfile
import time

# Before numpy and torch load their BLAS and OpenMP runtimes.
SUBPROCESS_ENV = dict(os.environ)


def cpu_flags():
    """The host's CPU flags (/proc/cpuinfo), empty where unreadable."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith("flags")), "")
    except OSError:
        return set()
    return set(flags.split())


CPU_FLAGS = cpu_flags()
if "avx512f" in CPU_FLAGS:
    os.environ.setdefault("OPENBLAS_CORETYPE",
                          "COOPERLAKE" if "avx512_bf16" in CPU_FLAGS else "SKYLAKEX")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

GATES = {"lstm": 4, "gru": 3}


def layer_model(cell, B, T, I, H):
    """The layer as seqc MLIR: every argument given, torch's gate order."""
    G = GATES[cell]
    x, w, r = "tensor<%dx%dx%dxf32>" % (B, T, I), "tensor<%dx%dxf32>" % (I, G * H), \
        "tensor<1x%dx%dxf32>" % (H, G * H)
    b, s, y = "tensor<%dxf32>" % (G * H), "tensor<%dx%dxf32>" % (B, H), \
        "tensor<%dx%dx%dxf32>" % (B, T, H)
    states = ["h0", "c0"] if cell == "lstm" else ["h0"]
    args = ", ".join(["%%x: %s" % x, "%%w: %s" % w, "%%r: %s" % r, "%%b: %s" % b,
                      "%%rb: %s" % b] + ["%%%s: %s" % (n, s) for n in states])
    results = [y] + [s] * len(states)
    names = ["%y"] + ["%%%s_final" % n[0] for n in states]
    init = ", ".join("%" + n for n in states)
    types = ", ".join([x, w, r, b, b] + [s] * len(states))
    return (
        "func.func @%s(%s) -> (%s) {\n"
        "  %s = seqnn.%s %%x, %%w, %%r bias %%b recurrent_bias %%rb init(%s)\n"
        "      : (%s) -> (%s)\n"
        "  return %s : %s\n"
        "}\n" % (cell, args, ", ".join(results), ", ".join(names), cell, init,
                 types, ", ".join(results), ", ".join(names), ", ".join(results)))


def inputs(cell, B, T, I, H, seed=0):
    """Inputs in seqc's (and torch's) layouts and gate order."""
    G = GATES[cell]
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(H)
    values = {
        "x": rng.standard_normal((B, T, I)),
        "w": rng.uniform(-scale, scale, (I, G * H)),
        "r": rng.uniform(-scale, scale, (1, H, G * H)),
        "b": rng.uniform(-scale, scale, (G * H,)),
        "rb": rng.uniform(-scale, scale, (G * H,)),
        "h0": rng.standard_normal((B, H)) * 0.5,
    }
    if cell == "lstm":
        values["c0"] = rng.standard_normal((B, H)) * 0.5
    return {k: v.astype(np.float32) for k, v in values.items()}


def to_bf16_bits(a):
    """f32 values as bf16 bits (round to nearest even): seqc's bf16 .npy."""
    bits = np.ascontiguousarray(a, np.float32).view(np.uint32).astype(np.uint64)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16_bits(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def seqc_run(seqc, cell, values, dims, repeats, tmp, bf16=False, state_terms=0):
    """seqc's median ms and its output y; with `bf16` every argument and
    result is bf16 (f32 state and accumulation), the state entering h R as
    `state_terms` bf16 terms."""
    directory = os.path.join(tmp, "seqc")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "model.mlir")
    model = layer_model(cell, *dims)
    with open(path, "w") as f:
        f.write(model.replace("xf32>", "xbf16>") if bf16 else model)
    command = [seqc, "run", path, "--repeat=%d" % repeats, "--dump-outputs=" + directory]
    if state_terms:
        command.append("--rnn-state-terms=%d" % state_terms)
    for name, value in values.items():
        np.save(os.path.join(directory, name + ".npy"), to_bf16_bits(value) if bf16 else value)
        command.append("--input=%s=%s" % (name, os.path.join(directory, name + ".npy")))
    out = subprocess.run(command, check=True, capture_output=True, text=True,
                         env=SUBPROCESS_ENV).stdout
    ms = float(re.search(r"on cpu: ([0-9.]+) ms", out).group(1))
    y = np.load(os.path.join(directory, "%s_out0.npy" % cell))
    return ms, from_bf16_bits(y) if bf16 else y


def host_has_bf16():
    return "avx512_bf16" in CPU_FLAGS


def onednn_order(cell, values):
    """oneDNN's layouts: the GRU's gates (u, r, o) are torch's (z, r, n), and
    its bias has a 4th gate, the candidate's recurrent bias; the LSTM has
    one bias (the sum)."""
    H = values["h0"].shape[1]
    if cell == "lstm":
        return {"x": values["x"], "w": values["w"], "r": values["r"],
                "b": values["b"] + values["rb"], "h0": values["h0"], "c0": values["c0"]}

    def gates(a, axis):
        r, z, n = np.split(a, 3, axis=axis)
        return np.concatenate([z, r, n], axis=axis)
    b, rb = values["b"], values["rb"]
    bias = gates(b + rb, 0)
    bias[2 * H:] = b[2 * H:]  # the candidate's input bias alone
    return {"x": values["x"], "w": gates(values["w"], 1), "r": gates(values["r"], 2),
            "b": np.concatenate([bias, rb[2 * H:]]), "h0": values["h0"]}


def onednn_run(onednn, cell, values, repeats, tmp, bf16=False):
    directory = os.path.join(tmp, "onednn")
    os.makedirs(directory, exist_ok=True)
    for name, value in onednn_order(cell, values).items():
        np.save(os.path.join(directory, name + ".npy"), np.ascontiguousarray(value))
    out = subprocess.run([onednn, directory, str(repeats), "forward", cell,
                          "bf16" if bf16 else "f32"], check=True,
                         capture_output=True, text=True, env=SUBPROCESS_ENV).stdout
    match = re.search(r"onednn (\S+) forward_inference \S+ ([0-9.]+)", out)
    return match.group(1), float(match.group(2)), np.load(os.path.join(directory, "y.npy"))


def torch_run(cell, values, repeats, threads):
    import torch
    torch.set_num_threads(threads)
    H = values["h0"].shape[1]
    I = values["x"].shape[2]
    module = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(I, H, batch_first=True)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(values["w"].T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(values["r"][0].T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(values["b"]))
        module.bias_hh_l0.copy_(torch.from_numpy(values["rb"]))
        x = torch.from_numpy(values["x"])
        h0 = torch.from_numpy(values["h0"])[None]
        state = (h0, torch.from_numpy(values["c0"])[None]) if cell == "lstm" else h0
        times = []
        for i in range(repeats + 1):
            start = time.perf_counter()
            y, _ = module(x, state)
            if i:
                times.append((time.perf_counter() - start) * 1e3)
    return torch.__version__, sorted(times)[len(times) // 2], y.numpy()


def projection_model(m, k, n):
    a, b, c = "tensor<%dx%dxf32>" % (m, k), "tensor<%dx%dxf32>" % (k, n), "tensor<%dx%dxf32>" % (m, n)
    return ("func.func @projection(%%x: %s, %%w: %s) -> %s {\n"
            "  %%zero = arith.constant 0.0 : f32\n"
            "  %%empty = tensor.empty() : %s\n"
            "  %%init = linalg.fill ins(%%zero : f32) outs(%%empty : %s) -> %s\n"
            "  %%y = linalg.matmul ins(%%x, %%w : %s, %s) outs(%%init : %s) -> %s\n"
            "  return %%y : %s\n}\n" % (a, b, c, c, c, c, a, b, c, c, c))


def blas_library():
    """The BLAS library numpy's matmul runs (Debian's libblas.so.3
    alternative: OpenBLAS when installed, else the reference BLAS)."""
    with open("/proc/self/maps") as maps:
        paths = [line.split()[-1] for line in maps if ".so" in line]
    for name in ("libopenblas", "libblis", "libmkl", "libblas"):
        for path in paths:
            if os.path.basename(path).startswith(name):
                core = os.environ.get("OPENBLAS_CORETYPE")
                if name == "libopenblas" and core:
                    return "%s %s" % (os.path.basename(path), core)
                return os.path.basename(path)
    return "unknown"


def projection_rows(seqc, repeats, tmp):
    """x W of an LSTM layer's projection at H768 (B16 T1024: [16384 x 768] x
    [768 x 3072]): seqc's microkernels against numpy.matmul (the BLAS sgemm
    it links), into a preallocated output."""
    m, k, n = 16384, 768, 3072
    rng = np.random.default_rng(1)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = rng.standard_normal((k, n)).astype(np.float32)
    directory = os.path.join(tmp, "projection")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "model.mlir")
    with open(path, "w") as f:
        f.write(projection_model(m, k, n))
    np.save(os.path.join(directory, "x.npy"), x)
    np.save(os.path.join(directory, "w.npy"), w)
    out = subprocess.run([seqc, "run", path, "--repeat=%d" % repeats, "--dump-outputs=" + directory,
                          "--input=x=" + os.path.join(directory, "x.npy"),
                          "--input=w=" + os.path.join(directory, "w.npy")],
                         check=True, capture_output=True, text=True,
                         env=SUBPROCESS_ENV).stdout
    ms = float(re.search(r"on cpu: ([0-9.]+) ms", out).group(1))
    y = np.load(os.path.join(directory, "projection_out0.npy"))
    product = np.empty((m, n), np.float32)
    times = []
    for i in range(repeats + 1):
        start = time.perf_counter()
        np.matmul(x, w, out=product)
        if i:
            times.append((time.perf_counter() - start) * 1e3)
    theirs = sorted(times)[len(times) // 2]
    flops = 2.0 * m * k * n
    workload = "x W %dx%d . %dx%d" % (m, k, k, n)
    return [("seqc", "", ms, 0.0, flops, workload),
            ("BLAS sgemm", blas_library(), theirs, float(np.abs(product - y).max()), flops, workload)]


def table_row(workload, peer, version, threads, ms, seqc_ms, flops, diff):
    return {"workload": workload, "peer": peer, "version": version,
            "threads": threads, "ms": round(ms, 2),
            "gflops": round(flops / ms / 1e6, 1),
            "seqc_speedup": round(ms / seqc_ms, 2),
            "max_abs_diff_vs_seqc": "%.2e" % diff}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seqc", default="build/bin/seqc")
    parser.add_argument("--onednn", default="build/bin/seqc-bench-onednn-lstm")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="lstm:256,lstm:768,gru:256,gru:768")
    parser.add_argument("--no-projection", action="store_true")
    parser.add_argument("--csv", default="")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--torch-repeats", type=int, default=1,
                        help="PyTorch's runs (seconds each on a CPU build without MKL)")
    parser.add_argument("--no-bf16", action="store_true",
                        help="skip the bf16 rows (run where the host has AVX-512 BF16)")
    args = parser.parse_args()
    threads = os.cpu_count()
    B, T = 16, 1024
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in args.sizes.split(","):
            cell, H = item.split(":")
            H = int(H)
            dims = (B, T, H, H)
            values = inputs(cell, *dims)
            G = GATES[cell]
            flops = 2.0 * B * T * (H * G * H) * 2  # x W and h R
            ms, y = seqc_run(args.seqc, cell, values, dims, args.repeats, tmp)
            workload = "%s B%d T%d H%d" % (cell.upper(), B, T, H)
            results = [("seqc", "", ms, 0.0)]
            if os.path.exists(args.onednn):
                version, theirs, y1 = onednn_run(args.onednn, cell, values, args.repeats, tmp)
                results.append(("oneDNN", version, theirs, float(np.abs(y1 - y).max())))
            if not args.no_torch:
                version, theirs, y2 = torch_run(cell, values, args.torch_repeats, threads)
                results.append(("PyTorch", version, theirs, float(np.abs(y2 - y).max())))
            rows += [table_row(workload, peer, version, threads, t, ms, flops, diff)
                     for peer, version, t, diff in results]
            if args.no_bf16 or not host_has_bf16() or not os.path.exists(args.onednn):
                continue
            # bf16 against oneDNN's bf16 (bf16 data, hidden state and
            # weights; f32 cell state and accumulation): seqc with the
            # state rounded to bf16 in h R as oneDNN does (1 term), and
            # with f32's precision (3 terms). Inputs: the f32 ones rounded.
            rounded = {k: from_bf16_bits(to_bf16_bits(v)) for k, v in values.items()}
            ms, y = seqc_run(args.seqc, cell, rounded, dims, args.repeats, tmp, True, 1)
            ms3, y3 = seqc_run(args.seqc, cell, rounded, dims, args.repeats, tmp, True, 3)
            version, theirs, y1 = onednn_run(args.onednn, cell, rounded, args.repeats, tmp, True)
            workload += " bf16"
            rows += [table_row(workload, peer, version, threads, t, ms, flops, diff)
                     for peer, version, t, diff in [
                         ("seqc", "1 state term", ms, 0.0),
                         ("seqc", "3 state terms", ms3, float(np.abs(y3 - y).max())),
                         ("oneDNN", version + " bf16", theirs, float(np.abs(y1 - y).max()))]]
        if not args.no_projection:
            projection = projection_rows(args.seqc, args.repeats, tmp)
            ms = projection[0][2]
            rows += [table_row(workload, peer, version, threads, t, ms, flops, diff)
                     for peer, version, t, diff, flops, workload in projection]
    header = "%-28s %-10s %-16s %10s %9s %14s %12s" % (
        "workload", "peer", "version", "ms", "GFLOP/s", "peer/seqc time", "max |dy|")
    print(header)
    for row in rows:
        print("%-28s %-10s %-16s %10.2f %9.1f %14.2f %12s" % (
            row["workload"], row["peer"], row["version"], row["ms"], row["gflops"],
            row["seqc_speedup"], row["max_abs_diff_vs_seqc"]))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
