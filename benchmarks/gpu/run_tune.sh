#!/usr/bin/env bash
# On the GPU machine, over what prepare_tune.sh built (carried as .device/):
# every example bundle checked against the reference, then every tuning
# candidate checked and timed. Results go to $OUT; back on the compile
# host, `seqc tune MODEL --target=h200 --db DB --import DIR` records them.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-benchmarks/results/gpu}
mkdir -p "$OUT/tune"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv 2>&1 | tee "$OUT/device.txt"
status=0
if compgen -G ".device/examples/*" >/dev/null; then
  timeout 200 .device/bin/seqc-gpu-check .device/examples/* --csv "$OUT/gpu_check.csv" 2>&1 | tee "$OUT/gpu_check.log" || status=1
fi
for d in .device/tune/*/; do
  name=$(basename "$d")
  # Candidates without check vectors are checked against the first.
  timeout 120 .device/bin/seqc-gpu-check "$d"op* --warmup 5 --repeat 50 --synthetic \
    --csv "$OUT/tune/$name.csv" > "$OUT/tune/$name.log" 2>&1 || status=1
  tail -22 "$OUT/tune/$name.log"
done
exit $status
