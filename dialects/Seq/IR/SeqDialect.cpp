//===- SeqDialect.cpp - seq dialect, enums and attributes -----------------===//
#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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
                 std::optional<int64_t> stateTerms) {
  auto checkPositive = [&](StringRef name,
                           std::optional<int64_t> value) -> LogicalResult {
    if (value && *value <= 0)
      return emitError() << "form parameter '" << name
                         << "' must be positive, got " << *value;
    return success();
  };
  if (failed(checkPositive("chunk_size", chunkSize)) ||
      failed(checkPositive("block_threads", blockThreads)) ||
      failed(checkPositive("items_per_thread", itemsPerThread)) ||
      failed(checkPositive("head_tile", headTile)))
    return failure();
  if (variant && kind != FormKind::sequential)
    return emitError() << "form parameter 'variant' applies to the sequential "
                          "form only, not to '"
                       << stringifyFormKind(kind) << "'";
  if (stateTerms && (*stateTerms < 1 || *stateTerms > 3))
    return emitError() << "form parameter 'state_terms' must be 1, 2 or 3, "
                          "got "
                       << *stateTerms;
  if (stateTerms && kind != FormKind::sequential)
    return emitError() << "form parameter 'state_terms' applies to the "
                          "sequential form only, not to '"
                       << stringifyFormKind(kind) << "'";
  if (chunkSize && kind != FormKind::chunkwise && kind != FormKind::prefix)
    return emitError() << "form parameter 'chunk_size' applies to the "
                          "chunkwise and prefix forms only, not to '"
                       << stringifyFormKind(kind) << "'";
  return success();
}
