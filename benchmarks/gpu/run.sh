#!/usr/bin/env bash
# The GPU check, run on a GPU machine over what benchmarks/gpu/prepare.sh
# built (carried as .device/): every example bundle run and compared with
# the reference interpreter's outputs, then the PyTorch benchmarks.
# Results go to $OUT (or results/ when OUT is unset).
#   benchmarks/gpu/run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-benchmarks/results/gpu}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv 2>&1 | tee "$OUT/device.txt"
status=0
timeout 240 .device/bin/seqc-gpu-check .device/examples/* --csv "$OUT/gpu_check.csv" 2>&1 | tee "$OUT/gpu_check.log" || status=1
# One process per case: a crash in one case keeps the others' numbers.
for case in linear_scan lstm lstm_sweep gla deltanet; do
  timeout 240 python3 benchmarks/gpu/bench.py .device/bench --cases "$case" ${PROFILE:+--profile} \
      --csv "$OUT/gpu_bench_$case.csv" 2>&1 | tee "$OUT/gpu_bench_$case.log" || status=1
done
exit $status
