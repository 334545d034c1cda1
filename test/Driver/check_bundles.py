"""Compiles every example for the GPU chips and checks what ptxas reports.

    check_bundles.py SEQC OUTDIR EXAMPLES_DIR

(every EXAMPLES_DIR/*.mlir and EXAMPLES_DIR/seq/*.mlir)

For each example and chip (sm_80, sm_90): `seqc compile --target=<chip>`
must succeed, and for every kernel of the bundle the ptxas report must show
no spills, registers within the 255 a thread can have, and static shared
memory within the 48 KiB a block gets without opt-in. Stack frames are
listed, not failed: libdevice's sin/cos keep a 32-byte local array for the
Payne-Hanek reduction of huge arguments (LRU and S4D rotate by angles).
Each bundle must fit what a device check can carry (64 MiB). Prints one
line per bundle and exits non-zero on any violation.
"""
import concurrent.futures
import glob
import json
import os
import subprocess
import sys

LIMITS = {"registers": 255, "shared_bytes": 48 * 1024}
CARRY_LIMIT = 64 * 1024 * 1024


def compile_one(seqc, out, example, chip):
    name = os.path.splitext(os.path.basename(example))[0]
    if os.path.basename(os.path.dirname(example)) == "seq":
        name = "seq_" + name
    directory = os.path.join(out, chip, name)
    result = subprocess.run([seqc, "compile", example, "--target=" + chip, "--check-vectors=false",
                             "-o", directory], capture_output=True, text=True)
    if result.returncode != 0:
        return name, chip, ["compile failed: " + result.stderr.strip().splitlines()[0]], 0, 0, 0
    manifest = [f for f in os.listdir(directory) if f.endswith(".manifest.json")][0]
    with open(os.path.join(directory, manifest)) as f:
        kernels = json.load(f)["kernels"]
    problems = []
    for k in kernels:
        if k["spill_store_bytes"] or k["spill_load_bytes"]:
            problems.append("%s spills %d/%d bytes" % (k["name"], k["spill_store_bytes"],
                                                      k["spill_load_bytes"]))
        for key, limit in LIMITS.items():
            if not 0 <= k[key] <= limit:
                problems.append("%s uses %d %s (limit %d)" % (k["name"], k[key], key, limit))
    size = sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory)
               if os.path.isfile(os.path.join(directory, f)))
    if size > CARRY_LIMIT:
        problems.append("bundle is %d bytes, over the 64 MiB a device check carries" % size)
    stack = max((k["stack_bytes"] for k in kernels), default=0)
    return name, chip, problems, len(kernels), max((k["registers"] for k in kernels), default=0), stack


def main():
    seqc, out, root = sys.argv[1], sys.argv[2], sys.argv[3]
    examples = glob.glob(os.path.join(root, "*.mlir")) + glob.glob(os.path.join(root, "seq", "*.mlir"))
    jobs = [(e, chip) for e in sorted(examples) for chip in ("sm_80", "sm_90")]
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for name, chip, problems, count, registers, stack in pool.map(
                lambda job: compile_one(seqc, out, *job), jobs):
            status = "OK" if not problems else "FAIL: " + "; ".join(problems)
            print("%-28s %s %3d kernels, max %3d registers, max stack %2d bytes: %s"
                  % (name, chip, count, registers, stack, status))
            failed += bool(problems)
    print("%d of %d bundles within limits" % (len(jobs) - failed, len(jobs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
