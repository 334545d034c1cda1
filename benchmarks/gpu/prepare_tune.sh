#!/usr/bin/env bash
# Builds (here, no GPU needed) what the GPU tuning run carries, into
# .device/: seqc-gpu-check, the bundles of the examples whose GPU code
# takes tiles from Z3 (linear_scan kernels, prefix and chunkwise forms;
# re-checked on the GPU against the reference), and the tuning candidates
# of the workloads in tune_models.py (seqc tune --emit-candidates). The
# examples are a subset so that everything fits one device run's 64 MiB.
#   benchmarks/gpu/prepare_tune.sh [h200|h100|sm_80] [TOP_K] [checked|large]
# large: the issue's benchmark sizes, candidates without check vectors
# (checked on the GPU against each other with seqc-gpu-check --synthetic),
# and no examples.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${1:-h200}
TOPK=${2:-16}
SIZES=${3:-checked}
OUT=.device
rm -rf "$OUT" && mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/examples" "$OUT/tune" "$OUT/models"
cp build/bin/seqc-gpu-check "$OUT/bin/"
cp build/lib/libseqc_gpu_runtime.so "$OUT/lib/"
EXAMPLES=(examples/{mamba,hybrid_mamba_attention,gla,mamba2,retnet,aaren}.mlir
          examples/seq/{selective_scan,gla}.mlir)
# With the large sizes, only the examples whose scan kernels the model
# now tiles differently, to re-check them against the reference.
[[ $SIZES == large ]] && EXAMPLES=(examples/{mamba,hybrid_mamba_attention}.mlir examples/seq/selective_scan.mlir)
CHECK_VECTORS=true
[[ $SIZES == large ]] && CHECK_VECTORS=false
for f in "${EXAMPLES[@]}"; do
  name=$(basename "$f" .mlir)
  [[ $f == examples/seq/* ]] && name="seq_$name"
  build/bin/seqc compile "$f" --target="$TARGET" -o "$OUT/examples/$name" >/dev/null
done
python3 benchmarks/gpu/tune_models.py "$OUT/models" "$SIZES" >/dev/null
for m in "$OUT"/models/*.mlir; do
  name=$(basename "$m" .mlir)
  build/bin/seqc tune "$m" --target="$TARGET" --top-k "$TOPK" \
    --emit-candidates "$OUT/tune/$name" --emit-check-vectors=$CHECK_VECTORS | tail -1
done
# What the check does not read: the cubin is embedded in the library.
rm -f "$OUT"/examples/*/*.{o,ptx,cubin,_abi.c} "$OUT"/tune/*/*/*.{o,ptx,cubin}
du -sh "$OUT" "$OUT"/examples "$OUT"/tune
