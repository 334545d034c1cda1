#!/usr/bin/env python3
"""Gradients of a complex seq.linear_scan (h_t = a_t h_{t-1} + b_t over
complex<f32>, with an initial state) against torch autograd in complex128.
The reference interpreter does not model complex scans, so the independent
check here is torch's, with PyTorch's convention for complex cotangents
(the conjugate Wirtinger derivative): seqc's must match to rtol 1e-5.

complex_linear_scan.py SEQC FORM_SCRIPT
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch


def main():
    seqc, form_script = sys.argv[1], sys.argv[2]
    T = 37
    rng = np.random.default_rng(5)
    radius = rng.uniform(0.5, 0.999, (2, T, 8))
    angle = rng.uniform(-np.pi, np.pi, (2, T, 8))
    a = (radius * np.exp(1j * angle)).astype(np.complex64)
    b = (rng.standard_normal((2, T, 8)) + 1j * rng.standard_normal((2, T, 8))).astype(np.complex64)
    h0 = (rng.standard_normal((2, 8)) + 1j * rng.standard_normal((2, 8))).astype(np.complex64)
    gh = (rng.standard_normal((2, T, 8)) + 1j * rng.standard_normal((2, T, 8))).astype(np.complex64)
    glast = (rng.standard_normal((2, 8)) + 1j * rng.standard_normal((2, 8))).astype(np.complex64)

    ta, tb, th0 = (torch.tensor(v.astype(np.complex128), requires_grad=True) for v in (a, b, h0))
    state, states = th0, []
    for t in range(T):
        state = ta[:, t] * state + tb[:, t]
        states.append(state)
    h = torch.stack(states, dim=1)
    torch.autograd.backward([h, state], [torch.tensor(gh.astype(np.complex128)),
                                         torch.tensor(glast.astype(np.complex128))])
    expected = {"a": ta.grad.numpy(), "b": tb.grad.numpy(), "h0": th0.grad.numpy()}

    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "scan.mlir")
        with open(model, "w") as f:
            f.write(subprocess.run([sys.executable, form_script, str(T), "auto", "0", "complex"],
                                   check=True, capture_output=True, text=True).stdout)
        command = [seqc, "run", model, "--grad", "--repeat=1", "--dump-outputs", tmp]
        for name, value in [("a", a), ("b", b), ("h0", h0)]:
            path = os.path.join(tmp, name + ".npy")
            np.save(path, value)
            command += ["--input", "%s=%s" % (name, path)]
        for i, value in enumerate([gh, glast]):
            path = os.path.join(tmp, "ct%d.npy" % i)
            np.save(path, value)
            command += ["--cotangent", "%d=%s" % (i, path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        ok = True
        for name, want in expected.items():
            have = np.load(os.path.join(tmp, "scan_grad_%s.npy" % name))
            error = float(np.max(np.abs(have - want)))
            scale = float(np.max(np.abs(want)))
            good = error <= 1e-5 * scale
            ok &= good
            print("d%-3s max abs error %.2e of scale %.2e  %s" % (name, error, scale,
                                                                 "OK" if good else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
