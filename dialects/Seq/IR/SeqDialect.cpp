//===- SeqDialect.cpp - seq dialect, enums and attributes -----------------===//
#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace seqc::seq;

#include "dialects/Seq/IR/SeqDialect.cpp.inc"
#include "dialects/Seq/IR/SeqEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Seq/IR/SeqAttrs.cpp.inc"

void SeqDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Seq/IR/SeqOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Seq/IR/SeqAttrs.cpp.inc"
      >();
}

LogicalResult
FormAttr::verify(function_ref<InFlightDiagnostic()> emitError, FormKind kind,
                 std::optional<SequentialVariant> variant,
                 std::optional<int64_t> chunkSize,
                 std::optional<int64_t> blockThreads,
                 std::optional<int64_t> itemsPerThread,
                 std::optional<int64_t> headTile,
                 std::optional<int64_t> stateTerms,
                 std::optional<int64_t> unitsPerBlock,
                 std::optional<int64_t> splitK,
                 std::optional<int64_t> workers) {
  // Positive, and no larger than anything they could tile: a chunk past
  // 2^20 steps or a block past CUDA's 1024 threads is a typo or garbage, and
  // sizes derived from it (padded lengths, chunk^2 matrices) would overflow.
  auto checkRange = [&](StringRef name, std::optional<int64_t> value,
                        int64_t most) -> LogicalResult {
    if (value && *value <= 0)
      return emitError() << "form parameter '" << name
                         << "' must be positive, got " << *value;
    if (value && *value > most)
      return emitError() << "form parameter '" << name << "' must be at most "
                         << most << ", got " << *value;
    return success();
  };
  constexpr int64_t kMostSteps = int64_t(1) << 20;
  if (failed(checkRange("chunk_size", chunkSize, kMostSteps)) ||
      failed(checkRange("block_threads", blockThreads, 1024)) ||
      failed(checkRange("items_per_thread", itemsPerThread, 1024)) ||
      failed(checkRange("head_tile", headTile, kMostSteps)) ||
      failed(checkRange("units_per_block", unitsPerBlock, kMostSteps)) ||
      failed(checkRange("split_k", splitK, kMostSteps)) ||
      failed(checkRange("workers", workers, 4096)))
    return failure();
  if (splitK && (*splitK > 32 || !llvm::isPowerOf2_64(*splitK)))
    return emitError() << "form parameter 'split_k' must be a power of two "
                          "up to 32 (lanes of a warp), got "
                       << *splitK;
  if (variant && kind != FormKind::sequential)
    return emitError() << "form parameter 'variant' applies to the sequential "
                          "form only, not to '"
                       << stringifyFormKind(kind) << "'";
  if (stateTerms && (*stateTerms < 1 || *stateTerms > 3))
    return emitError() << "form parameter 'state_terms' must be 1, 2 or 3, "
                          "got "
                       << *stateTerms;
  for (auto [name, present] :
       {std::pair<StringRef, bool>{"state_terms", stateTerms.has_value()},
        {"units_per_block", unitsPerBlock.has_value()},
        {"split_k", splitK.has_value()}})
    if (present && kind != FormKind::sequential)
      return emitError() << "form parameter '" << name
                         << "' applies to the sequential form only, not to '"
                         << stringifyFormKind(kind) << "'";
  if (workers && kind != FormKind::prefix)
    return emitError() << "form parameter 'workers' applies to the prefix "
                          "form only, not to '"
                       << stringifyFormKind(kind) << "'";
  if (chunkSize && kind != FormKind::chunkwise && kind != FormKind::prefix)
    return emitError() << "form parameter 'chunk_size' applies to the "
                          "chunkwise and prefix forms only, not to '"
                       << stringifyFormKind(kind) << "'";
  return success();
}

FormAttr FormAttr::withChunkSize(std::optional<int64_t> chunkSize) const {
  return FormAttr::get(getContext(), getKind(), getVariant(), chunkSize,
                       getBlockThreads(), getItemsPerThread(), getHeadTile(),
                       getStateTerms(), getUnitsPerBlock(), getSplitK(),
                       getWorkers());
}

FormAttr
FormAttr::withVariant(std::optional<SequentialVariant> variant) const {
  return FormAttr::get(getContext(), getKind(), variant, getChunkSize(),
                       getBlockThreads(), getItemsPerThread(), getHeadTile(),
                       getStateTerms(), getUnitsPerBlock(), getSplitK(),
                       getWorkers());
}

LogicalResult
RegisterTileAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         int64_t rows, int64_t columns, int64_t vectorWidth,
                         std::optional<int64_t> bf16Terms,
                         std::optional<int64_t> reductionBlock, bool) {
  // The bounds are those of any vector register file: a block beyond them
  // would spill every accumulator.
  if (vectorWidth < 1 || vectorWidth > 64 || !llvm::isPowerOf2_64(vectorWidth))
    return emitError() << "vector_width must be a power of two from 1 to 64, "
                          "got "
                       << vectorWidth;
  if (rows < 1 || rows > 64)
    return emitError() << "rows must be from 1 to 64, got " << rows;
  if (columns < 1 || columns % vectorWidth != 0 || columns / vectorWidth > 64)
    return emitError() << "columns must be a positive multiple of "
                          "vector_width (at most 64 vectors), got "
                       << columns;
  if (rows * (columns / vectorWidth) > 64)
    return emitError() << "rows x columns / vector_width accumulators must be "
                          "at most 64, got "
                       << rows * (columns / vectorWidth);
  if (bf16Terms && (*bf16Terms < 1 || *bf16Terms > 3))
    return emitError() << "bf16_terms must be 1, 2 or 3, got " << *bf16Terms;
  // The pair kernel steps through K two at a time.
  if (reductionBlock &&
      (*reductionBlock < 1 || (bf16Terms && *reductionBlock % 2)))
    return emitError() << "reduction_block must be positive"
                       << (bf16Terms ? " and even (the bf16 pair kernel "
                                       "steps through pairs of K)"
                                     : "")
                       << ", got " << *reductionBlock;
  return success();
}

LogicalResult GpuKernelAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, GpuKernelKind kind,
    std::optional<int64_t> coarsenedDim, std::optional<int64_t> coarsenedFactor,
    DenseI64ArrayAttr mmaTile, DenseI64ArrayAttr mmaWarps,
    DenseI64ArrayAttr mmaTerms, BoolAttr accumulatorsFromZero,
    std::optional<int64_t> unitsPerBlock,
    std::optional<GateProducts> gateProducts, std::optional<int64_t> splitK,
    std::optional<int64_t> stateTerms, std::optional<MemorySpace> weightsIn,
    std::optional<MemorySpace> gatesIn, BoolAttr cooperative,
    std::optional<int64_t> vectorWidth, std::optional<int64_t> carryWarps) {
  bool isScan = kind == GpuKernelKind::linear_scan_sequential ||
                kind == GpuKernelKind::linear_scan_prefix_aggregate ||
                kind == GpuKernelKind::linear_scan_prefix_carry ||
                kind == GpuKernelKind::linear_scan_prefix_apply;
  bool isStep = kind == GpuKernelKind::weight_stationary_step;
  bool isMma = kind == GpuKernelKind::mma_contraction;
  bool stepOnMma = isStep && gateProducts == GateProducts::mma_m16n8k16;
  // Each field: present at all, and the kinds it belongs to.
  struct Field {
    StringRef name;
    bool present, allowed;
    StringRef belongsTo;
  };
  Field fields[] = {
      {"coarsened_dim", coarsenedDim.has_value(),
       kind == GpuKernelKind::parallel_loop, "parallel_loop kernels"},
      {"coarsened_factor", coarsenedFactor.has_value(),
       kind == GpuKernelKind::parallel_loop, "parallel_loop kernels"},
      {"mma_tile", bool(mmaTile), isMma, "mma_contraction kernels"},
      {"mma_warps", bool(mmaWarps), isMma || stepOnMma,
       "mma_contraction kernels and weight_stationary_step kernels with "
       "gate_products = mma_m16n8k16"},
      {"mma_terms", bool(mmaTerms), isMma, "mma_contraction kernels"},
      {"accumulators_from_zero", bool(accumulatorsFromZero), isMma,
       "mma_contraction kernels"},
      {"units_per_block", unitsPerBlock.has_value(), isStep,
       "weight_stationary_step kernels"},
      {"gate_products", gateProducts.has_value(), isStep,
       "weight_stationary_step kernels"},
      {"split_k", splitK.has_value(),
       isStep && gateProducts == GateProducts::fma,
       "weight_stationary_step kernels with gate_products = fma"},
      {"state_terms", stateTerms.has_value(), stepOnMma,
       "weight_stationary_step kernels with gate_products = mma_m16n8k16"},
      {"weights_in", weightsIn.has_value(), stepOnMma,
       "weight_stationary_step kernels with gate_products = mma_m16n8k16"},
      {"gates_in", gatesIn.has_value(), stepOnMma,
       "weight_stationary_step kernels with gate_products = mma_m16n8k16"},
      {"cooperative", bool(cooperative),
       kind == GpuKernelKind::persistent_recurrence,
       "persistent_recurrence kernels"},
      {"vector_width", vectorWidth.has_value(), isScan, "linear_scan kernels"},
      {"carry_warps", carryWarps.has_value(),
       kind == GpuKernelKind::linear_scan_prefix_carry,
       "linear_scan_prefix_carry kernels"}};
  for (const Field &f : fields)
    if (f.present && !f.allowed)
      return emitError() << "gpu_kernel field '" << f.name << "' is for "
                         << f.belongsTo << ", not for a '"
                         << stringifyGpuKernelKind(kind) << "' kernel";
  for (auto [name, value] :
       {std::pair<StringRef, std::optional<int64_t>>{"coarsened_factor",
                                                     coarsenedFactor},
        {"units_per_block", unitsPerBlock},
        {"split_k", splitK},
        {"vector_width", vectorWidth},
        {"carry_warps", carryWarps}})
    if (value && *value <= 0)
      return emitError() << "gpu_kernel field '" << name
                         << "' must be positive, got " << *value;
  if (coarsenedDim && *coarsenedDim < 0)
    return emitError() << "gpu_kernel field 'coarsened_dim' must be a loop "
                          "dimension (0 or more), got "
                       << *coarsenedDim;
  if (stateTerms && (*stateTerms < 1 || *stateTerms > 3))
    return emitError() << "gpu_kernel field 'state_terms' must be 1, 2 or 3, "
                          "got "
                       << *stateTerms;
  auto checkArray = [&](StringRef name, DenseI64ArrayAttr array,
                        size_t size) -> LogicalResult {
    if (!array)
      return success();
    if (array.size() != int64_t(size))
      return emitError() << "gpu_kernel field '" << name << "' must have "
                         << size << " entries, got " << array.size();
    for (int64_t v : array.asArrayRef())
      if (v <= 0)
        return emitError() << "gpu_kernel field '" << name
                           << "' must be positive, got " << v;
    return success();
  };
  if (failed(checkArray("mma_tile", mmaTile, 3)) ||
      failed(checkArray("mma_warps", mmaWarps, isMma ? 2 : 3)) ||
      failed(checkArray("mma_terms", mmaTerms, 2)))
    return failure();
  // The mma.sync m16n8k16 shape: a block tile is made of whole mma tiles.
  if (mmaTile && (mmaTile[0] % 16 || mmaTile[1] % 8 || mmaTile[2] % 16))
    return emitError() << "gpu_kernel field 'mma_tile' must be multiples of "
                          "(16, 8, 16), the mma.sync m16n8k16 tile, got ("
                       << mmaTile[0] << ", " << mmaTile[1] << ", "
                       << mmaTile[2] << ")";
  return success();
}

LogicalResult SeqDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attribute) {
  StringRef name = attribute.getName().strref();
  Attribute value = attribute.getValue();
  auto expect = [&](bool ok, StringRef what) -> LogicalResult {
    if (ok)
      return success();
    return op->emitOpError() << "attribute '" << name << "' must be " << what
                             << ", got " << value;
  };
  if (name == GpuKernelAttrHelper::getNameStr())
    return expect(isa<GpuKernelAttr>(value), "a #seq.gpu_kernel");
  if (name == KernelPrefixAttrHelper::getNameStr())
    return expect(isa<StringAttr>(value), "a string");
  if (name == TimeLoopAttrHelper::getNameStr())
    return expect(isa<FormAttr>(value) &&
                      cast<FormAttr>(value).getKind() == FormKind::sequential,
                  "a sequential #seq.form");
  if (name == WorkgroupAttrHelper::getNameStr() ||
      name == StepInvariantAttrHelper::getNameStr() ||
      name == CoarsenedAttrHelper::getNameStr() ||
      name == JammedAttrHelper::getNameStr() ||
      name == TunedAttrHelper::getNameStr())
    return expect(isa<UnitAttr>(value), "a unit attribute");
  if (name == CheckpointEveryAttrHelper::getNameStr()) {
    auto every = dyn_cast<IntegerAttr>(value);
    return expect(every && every.getType().isInteger(64) &&
                      every.getInt() >= 1 && isa<RecurrenceOp>(op),
                  "a positive i64 on a seq.recurrence");
  }
  if (name == KeptProductsAttrHelper::getNameStr()) {
    auto kept = dyn_cast<IntegerAttr>(value);
    auto recurrence = dyn_cast<RecurrenceOp>(op);
    return expect(kept && kept.getType().isInteger(64) && kept.getInt() >= 1 &&
                      recurrence &&
                      kept.getInt() <= int64_t(recurrence.getOutputs().size()),
                  "a positive i64 on a seq.recurrence, at most its number of "
                  "outputs");
  }
  if (name == RegisterTileAttrHelper::getNameStr())
    return expect(isa<RegisterTileAttr>(value) &&
                      isa<linalg::MatmulOp, linalg::BatchMatmulOp,
                          scf::ForOp>(op),
                  "a #seq.register_tile on a linalg.matmul, "
                  "linalg.batch_matmul or the scf.for of its microkernel");
  return op->emitOpError()
         << "has an unknown seq attribute '" << name
         << "' (the seq dialect sets gpu_kernel, kernel_prefix, time_loop, "
            "workgroup, step_invariant, coarsened, jammed, tuned, "
            "checkpoint_every, kept_products and register_tile)";
}
