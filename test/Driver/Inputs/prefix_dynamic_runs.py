"""prefix_dynamic_runs.py MLIR DIR B,T...: runs MLIR (dynamic batch and
time) at each size and the same function with the sizes written into its
types under --check, and compares their dumped outputs exactly."""
import os
import re
import subprocess
import sys

import numpy

source, work = sys.argv[1], sys.argv[2]
text = open(source).read()
for size in sys.argv[3:]:
    b, t = size.split(",")
    dynamic = os.path.join(work, "d%s_%s" % (b, t))
    static = os.path.join(work, "s%s_%s" % (b, t))
    subprocess.run(["seqc", "run", source, "--batch=" + b, "--time=" + t,
                    "--seed=3", "--dump-outputs", dynamic], check=True,
                   stdout=subprocess.DEVNULL)
    fixed = re.sub(r"tensor<\?x\?x", "tensor<%sx%sx" % (b, t), text)
    fixed = re.sub(r"tensor<\?x", "tensor<%sx" % b, fixed)
    static_file = static + ".mlir"
    open(static_file, "w").write(fixed)
    checked = subprocess.run(["seqc", "run", static_file, "--seed=3",
                              "--check", "--dump-outputs", static],
                             capture_output=True, text=True)
    passed = "check PASSED" in checked.stdout + checked.stderr
    same = all(
        numpy.array_equal(numpy.load(os.path.join(dynamic, name)),
                          numpy.load(os.path.join(static, name)))
        for name in sorted(os.listdir(static)))
    print("B=%s T=%s: static check %s, dynamic %s static" %
          (b, t, "PASSED" if passed else "FAILED", "==" if same else "!="))
