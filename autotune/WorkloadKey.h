//===- WorkloadKey.h - what identifies a tuned op --------------*- C++ -*-===//
#ifndef SEQC_AUTOTUNE_WORKLOADKEY_H
#define SEQC_AUTOTUNE_WORKLOADKEY_H

#include "autotune/HardwareModel.h"
#include "autotune/TuningDatabase.h"
#include "autotune/CostModel.h"

#include "mlir/IR/Operation.h"

namespace seqc::autotune {

/// Bumped whenever a lowering changes what a tile parameter means: records
/// of other pipeline versions are not used.
constexpr const char *kTuningPipelineVersion = "pipeline-1";

/// The key of `op` on `target`: the op's structure without its form and
/// location (operation name, attributes, operand and result types with the
/// time dimension replaced by its bucket), so that equal layers in one
/// model, and sequence lengths in one power-of-two bucket, share records.
WorkloadKey workloadKeyOf(mlir::Operation *op, const HardwareModel &target);

/// "T<=4096": the power-of-two bucket of the op's time dimension.
std::string shapeBucketOf(mlir::Operation *op);
/// The exact operand shapes, for the record.
std::string exactShapeOf(mlir::Operation *op);

TuningRecord toRecord(const TileConfig &config);
/// The configuration a record describes (no cost); none for an unknown form.
std::optional<TileConfig> fromRecord(const TuningRecord &record);
/// "prefix", "sequential/fused": a record's form text for `config`.
std::string formText(const TileConfig &config);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_WORKLOADKEY_H
