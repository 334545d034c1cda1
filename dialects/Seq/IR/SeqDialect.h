//===- SeqDialect.h - the seq dialect, its enums and attributes -*- C++ -*-===//
#ifndef SEQC_DIALECTS_SEQ_IR_SEQDIALECT_H
#define SEQC_DIALECTS_SEQ_IR_SEQDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/Operation.h"

#include "mlir/IR/BuiltinAttributes.h"

// The attributes first: the dialect's helpers for its discardable
// attributes (SeqDialect.td) name them.
#include "dialects/Seq/IR/SeqEnums.h.inc"
#define GET_ATTRDEF_CLASSES
#include "dialects/Seq/IR/SeqAttrs.h.inc"

#include "dialects/Seq/IR/SeqDialect.h.inc"

namespace seqc::seq {

/// Typed access to one of the seq dialect's discardable attributes, by the
/// name SeqDialect.td gives it, without a dialect instance at hand (the
/// generated helpers need one).
template <typename Helper, typename AttrT>
struct DiscardableAttr {
  static constexpr llvm::StringLiteral name = Helper::getNameStr();
  static AttrT get(mlir::Operation *op) { return op->getAttrOfType<AttrT>(name); }
  static bool isPresent(mlir::Operation *op) {
    return op->hasAttrOfType<AttrT>(name);
  }
  static void set(mlir::Operation *op, AttrT value) {
    op->setAttr(name, value);
  }
  /// For the unit attributes (markers).
  static void set(mlir::Operation *op) {
    op->setAttr(name, mlir::UnitAttr::get(op->getContext()));
  }
  static bool remove(mlir::Operation *op) {
    return bool(op->removeAttr(name));
  }
};

/// The fields of a #seq.gpu_kernel by name, for building one:
///   GpuKernelFields f;
///   f.unitsPerBlock = 4;
///   GpuKernelOf::set(launch, f.get(context, kind));
struct GpuKernelFields {
  std::optional<int64_t> coarsenedDim, coarsenedFactor;
  mlir::DenseI64ArrayAttr mmaTile, mmaWarps, mmaTerms;
  mlir::BoolAttr accumulatorsFromZero;
  std::optional<int64_t> unitsPerBlock;
  std::optional<GateProducts> gateProducts;
  std::optional<int64_t> splitK, stateTerms;
  std::optional<MemorySpace> weightsIn, gatesIn;
  mlir::BoolAttr cooperative;
  std::optional<int64_t> vectorWidth, carryWarps;

  GpuKernelAttr get(mlir::MLIRContext *context, GpuKernelKind kind) const {
    return GpuKernelAttr::get(context, kind, coarsenedDim, coarsenedFactor,
                              mmaTile, mmaWarps, mmaTerms,
                              accumulatorsFromZero, unitsPerBlock,
                              gateProducts, splitK, stateTerms, weightsIn,
                              gatesIn, cooperative, vectorWidth, carryWarps);
  }
};

/// seq.gpu_kernel: the strategy of a gpu.launch the pipeline built.
using GpuKernelOf = DiscardableAttr<SeqDialect::GpuKernelAttrHelper, GpuKernelAttr>;
/// seq.kernel_prefix: the name a seq op's hand-written kernels start with.
using KernelPrefixOf =
    DiscardableAttr<SeqDialect::KernelPrefixAttrHelper, mlir::StringAttr>;
/// seq.time_loop: the form of the recurrence a sequential time loop is.
using TimeLoopOf = DiscardableAttr<SeqDialect::TimeLoopAttrHelper, FormAttr>;
/// Markers (unit attributes).
using WorkgroupMarker =
    DiscardableAttr<SeqDialect::WorkgroupAttrHelper, mlir::UnitAttr>;
using StepInvariantMarker =
    DiscardableAttr<SeqDialect::StepInvariantAttrHelper, mlir::UnitAttr>;
using CoarsenedMarker =
    DiscardableAttr<SeqDialect::CoarsenedAttrHelper, mlir::UnitAttr>;
using JammedMarker = DiscardableAttr<SeqDialect::JammedAttrHelper, mlir::UnitAttr>;
using TunedMarker = DiscardableAttr<SeqDialect::TunedAttrHelper, mlir::UnitAttr>;
/// seq.checkpoint_every: the interval of a recurrence's kept states for its
/// backward.
using CheckpointEveryOf =
    DiscardableAttr<SeqDialect::CheckpointEveryAttrHelper, mlir::IntegerAttr>;
/// seq.kept_products: how many of a recurrence's last outputs are the
/// products of every step its backward reads instead of recomputing.
using KeptProductsOf =
    DiscardableAttr<SeqDialect::KeptProductsAttrHelper, mlir::IntegerAttr>;
/// seq.register_tile: the register block of a CPU contraction's microkernel.
using RegisterTileOf =
    DiscardableAttr<SeqDialect::RegisterTileAttrHelper, RegisterTileAttr>;

} // namespace seqc::seq

#endif // SEQC_DIALECTS_SEQ_IR_SEQDIALECT_H
