//===- GpuCandidates.h - tuning for GPU targets, measured elsewhere -*- C++ -*-===//
#ifndef SEQC_AUTOTUNE_GPUCANDIDATES_H
#define SEQC_AUTOTUNE_GPUCANDIDATES_H

#include "autotune/Tuner.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace seqc::autotune {

/// Writes the top `k` configurations of every op as a GPU bundle under
/// `directory` (op<i>_c<rank>), with candidates.json naming each one's
/// configuration and workload key; `source` is the model file they come
/// from. With `checkVectors`, the bundles carry the op's inputs and the
/// reference outputs (one copy per op). Says what it wrote on `log`.
llvm::Error emitGpuCandidates(std::vector<OpWork> &ops, const HardwareModel &hw,
                              const std::string &source,
                              const std::string &directory, unsigned k,
                              bool checkVectors, uint64_t seed,
                              llvm::raw_ostream &log);

/// Reads seqc-gpu-check's CSV `csv` for the candidates in `directory` and
/// records the measurements in `db`; `reports` gets one per op. Returns
/// the number of measurements recorded.
llvm::Expected<size_t>
importGpuMeasurements(std::vector<OpWork> &ops, const HardwareModel &hw,
                      const std::string &source, const std::string &directory,
                      const std::string &csv, TuningDatabase &db,
                      std::vector<OpReport> &reports);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_GPUCANDIDATES_H
