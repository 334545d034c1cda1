"""What the gradient tests against PyTorch share: running one model through
`seqc run --grad` on given inputs and output cotangents, and comparing its
gradients with autograd's."""
import os
import subprocess
import tempfile

import numpy as np


def seqc_gradients(seqc, text, function, inputs, cotangents):
    """seqc's gradient of every (name, array) input of @function in `text`,
    for the output cotangents (arrays or tensors), as {name: array}."""
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.mlir")
        with open(model, "w") as f:
            f.write(text)
        command = [seqc, "run", model, "--grad", "--repeat=1", "--dump-outputs", tmp]
        for name, value in inputs:
            path = os.path.join(tmp, name + ".npy")
            np.save(path, np.ascontiguousarray(np.asarray(value), dtype=np.float32))
            command += ["--input", "%s=%s" % (name, path)]
        for index, value in enumerate(cotangents):
            path = os.path.join(tmp, "ct%d.npy" % index)
            np.save(path, np.asarray(value).astype(np.float32))
            command += ["--cotangent", "%d=%s" % (index, path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return {name: np.load(os.path.join(tmp, "%s_grad_%s.npy" % (function, name)))
                for name, _ in inputs}


def compare(label, expected, got, rtol=lambda name: 1e-5, width=16):
    """Each gradient within rtol(name) of its scale (its largest entry: f32
    arithmetic against f64); prints the mismatches and one summary line."""
    ok, worst = True, 0.0
    for name, want in expected.items():
        have = got[name]
        error = float(np.max(np.abs(have - want)))
        scale = float(np.max(np.abs(want)))
        worst = max(worst, error / scale)
        if have.shape != want.shape or error > rtol(name) * scale:
            ok = False
            print("  %s: max abs error %.3e of scale %.3e" % (name, error, scale))
    print("%-*s worst relative error %.2e  %s" % (width, label, worst, "OK" if ok else "MISMATCH"))
    return ok
