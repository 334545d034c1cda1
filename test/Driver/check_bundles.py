"""Compiles every example for the GPU chips and checks what ptxas reports.

    check_bundles.py SEQC OUTDIR EXAMPLES_DIR [SEQC_FLAG...] [--only=NAME,...]

(every EXAMPLES_DIR/*.mlir and EXAMPLES_DIR/seq/*.mlir, or those --only
names; SEQC_FLAGs such as --rnn-variant=fused go to every seqc compile)

For each example and chip (sm_80, sm_90): `seqc compile --target=<chip>`
must succeed, and for every kernel of the bundle the ptxas report must show
no spills, registers within the 255 a thread can have, and static shared
memory within the 48 KiB a block gets without opt-in; with a launch's
dynamic shared memory, within what a block may opt into (A100 163 KiB,
H100 227 KiB). Stack frames are
listed, not failed: libdevice's sin/cos keep a 32-byte local array for the
Payne-Hanek reduction of huge arguments (LRU and S4D rotate by angles).
Each bundle must fit what a device check can carry (64 MiB).

The manifest's "tiling" entries say what the cost model assumed for each
op's configuration (registers per thread, no spills, no shared memory);
every kernel of that op ("<kernel_prefix>_*") must stay within it: the
model's register bound is what its Z3 constraints (registers per thread
and per block) were solved against. Prints one line per bundle and exits
non-zero on any violation.
"""
import concurrent.futures
import glob
import json
import os
import subprocess
import sys

LIMITS = {"registers": 255, "shared_bytes": 48 * 1024}
# Static plus dynamic shared memory a block may opt into.
OPT_IN_SHARED_BYTES = {"sm_80": 163 * 1024, "sm_90": 227 * 1024}
CARRY_LIMIT = 64 * 1024 * 1024


def compile_one(seqc, out, example, chip, flags):
    name = os.path.splitext(os.path.basename(example))[0]
    if os.path.basename(os.path.dirname(example)) == "seq":
        name = "seq_" + name
    directory = os.path.join(out, chip, name)
    result = subprocess.run([seqc, "compile", example, "--target=" + chip, "--check-vectors=false",
                             "-o", directory] + flags, capture_output=True, text=True)
    if result.returncode != 0:
        return name, chip, ["compile failed: " + result.stderr.strip().splitlines()[0]], 0, 0, 0, 0
    manifest = [f for f in os.listdir(directory) if f.endswith(".manifest.json")][0]
    with open(os.path.join(directory, manifest)) as f:
        data = json.load(f)
    kernels = data["kernels"]
    problems = []
    modeled = 0
    for function in data["functions"]:
        for t in function.get("tiling", []):
            if "assumed_registers" not in t:
                continue
            mine = [k for k in kernels if k["name"].startswith(t["kernel_prefix"] + "_")]
            if not mine:
                problems.append("no kernel for %s (%s)" % (t["kernel_prefix"], t.get("form")))
            for k in mine:
                modeled += 1
                if k["registers"] > t["assumed_registers"]:
                    problems.append("%s uses %d registers, the model assumed at most %d for %s"
                                    % (k["name"], k["registers"], t["assumed_registers"],
                                       t.get("form")))
                spills = k["spill_store_bytes"] + k["spill_load_bytes"]
                if spills > t["assumed_spill_bytes"]:
                    problems.append("%s spills %d bytes, the model assumed none" % (k["name"], spills))
                if k["shared_bytes"] > t["assumed_shared_bytes"]:
                    problems.append("%s uses %d bytes of shared memory, the model assumed %d"
                                    % (k["name"], k["shared_bytes"], t["assumed_shared_bytes"]))
    for k in kernels:
        if k["spill_store_bytes"] or k["spill_load_bytes"]:
            problems.append("%s spills %d/%d bytes" % (k["name"], k["spill_store_bytes"],
                                                      k["spill_load_bytes"]))
        for key, limit in LIMITS.items():
            if not 0 <= k[key] <= limit:
                problems.append("%s uses %d %s (limit %d)" % (k["name"], k[key], key, limit))
    static = {k["name"]: k["shared_bytes"] for k in kernels}
    for function in data["functions"]:
        for launch in function["launches"]:
            total = static.get(launch["kernel"], 0) + launch["dynamic_shared_bytes"]
            if total > OPT_IN_SHARED_BYTES[chip]:
                problems.append("%s launches with %d bytes of shared memory (limit %d)"
                                % (launch["kernel"], total, OPT_IN_SHARED_BYTES[chip]))
    size = sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory)
               if os.path.isfile(os.path.join(directory, f)))
    if size > CARRY_LIMIT:
        problems.append("bundle is %d bytes, over the 64 MiB a device check carries" % size)
    stack = max((k["stack_bytes"] for k in kernels), default=0)
    return (name, chip, problems, len(kernels), max((k["registers"] for k in kernels), default=0),
            stack, modeled)


def main():
    seqc, out, root = sys.argv[1], sys.argv[2], sys.argv[3]
    flags = [a for a in sys.argv[4:] if not a.startswith("--only=")]
    only = [a[len("--only="):].split(",") for a in sys.argv[4:] if a.startswith("--only=")]
    examples = glob.glob(os.path.join(root, "*.mlir")) + glob.glob(os.path.join(root, "seq", "*.mlir"))
    if only:
        examples = [e for e in examples if os.path.splitext(os.path.basename(e))[0] in only[0]]
    jobs = [(e, chip, flags) for e in sorted(examples) for chip in ("sm_80", "sm_90")]
    failed = 0
    checked_against_model = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for name, chip, problems, count, registers, stack, modeled in pool.map(
                lambda job: compile_one(seqc, out, *job), jobs):
            status = "OK" if not problems else "FAIL: " + "; ".join(problems)
            print("%-28s %s %3d kernels (%d against the model), max %3d registers, "
                  "max stack %2d bytes: %s"
                  % (name, chip, count, modeled, registers, stack, status))
            failed += bool(problems)
            checked_against_model += modeled
    print("%d kernels held against the cost model's assumptions" % checked_against_model)
    print("%d of %d bundles within limits" % (len(jobs) - failed, len(jobs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
