#!/usr/bin/env bash
# Builds (here, no GPU needed) everything the GPU check carries, into
# .device/ (ignored by git): seqc-gpu-check and the runtime, the bundles of
# every example (with check vectors) and of the benchmark models.
#   benchmarks/gpu/prepare.sh [sm_90|sm_80]
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${1:-sm_90}
OUT=.device
rm -rf "$OUT" && mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/examples" "$OUT/bench" "$OUT/models"
cp build/bin/seqc-gpu-check "$OUT/bin/"
cp build/lib/libseqc_gpu_runtime.so "$OUT/lib/"
# The examples, and one model with every chunked form the examples may not
# pick (vector- and scalar-gated linear attention, the gated delta rule with
# negative eigenvalues, the chunked linear scan).
for f in examples/*.mlir examples/seq/*.mlir test/Driver/Inputs/chunked/*.mlir; do
  name=$(basename "$f" .mlir)
  [[ $f == examples/seq/* ]] && name="seq_$name"
  if ! build/bin/seqc compile "$f" --target="$TARGET" -o "$OUT/examples/$name" >/dev/null 2>"$OUT/$name.error"; then
    echo "prepare: $f does not compile for $TARGET: $(head -1 "$OUT/$name.error")"
    rm -rf "$OUT/examples/$name"
  fi
  rm -f "$OUT/$name.error"
done
python3 benchmarks/gpu/models.py "$OUT/models" >/dev/null
for m in "$OUT"/models/*.mlir; do
  name=$(basename "$m" .mlir)
  variant=()
  # The LSTM models in both of FlashRNN's variants (the cost model's
  # default is fused).
  [[ $name == lstm_* ]] && variant=(--rnn-variant=alternating)
  [[ $name == *_fused* ]] && variant=(--rnn-variant=fused)
  [[ $name == *_1term ]] && variant+=(--rnn-state-terms=1)
  build/bin/seqc compile "$m" --target="$TARGET" "${variant[@]}" -o "$OUT/bench/$name" --check-vectors=false >/dev/null
  # What the cost model predicts for each variant, for bench.py's sweep.
  [[ $name == lstm_sweep_* && $name != *_fused ]] &&
    build/bin/seqc explain "$m" --target="$TARGET" > "$OUT/bench/explain_$name.txt"
done
# What the check does not read: the cubin is embedded in the library.
rm -f "$OUT"/examples/*/*.{o,ptx,cubin} "$OUT"/bench/*/*.{o,ptx,cubin}
du -sh "$OUT"
