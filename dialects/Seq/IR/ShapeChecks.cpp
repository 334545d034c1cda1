//===- ShapeChecks.cpp - shape diagnostics shared by verifiers ------------===//
#include "dialects/Seq/IR/ShapeChecks.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace seqc {

std::string formatDim(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::interleave(
      shape, [&](int64_t dim) { text += formatDim(dim); },
      [&] { text += ", "; });
  return text + "]";
}

bool dimsCompatible(int64_t lhs, int64_t rhs) {
  return ShapedType::isDynamic(lhs) || ShapedType::isDynamic(rhs) ||
         lhs == rhs;
}

bool shapesCompatible(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (auto [l, r] : llvm::zip_equal(lhs, rhs))
    if (!dimsCompatible(l, r))
      return false;
  return true;
}

SmallVector<int64_t> dropDim(ArrayRef<int64_t> shape, unsigned dim) {
  SmallVector<int64_t> result(shape);
  if (dim < result.size())
    result.erase(result.begin() + dim);
  return result;
}

LogicalResult expectShape(Operation *op, StringRef what, Type type,
                          ArrayRef<int64_t> expected, StringRef meaning) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (shaped && shapesCompatible(shaped.getShape(), expected))
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << what << " must have shape "
                            << formatShape(expected);
  if (!meaning.empty())
    diag << " (" << meaning << ")";
  diag << ", got ";
  if (shaped)
    diag << formatShape(shaped.getShape());
  else
    diag << type;
  return diag;
}

LogicalResult expectElementType(Operation *op, StringRef what, Type type,
                                Type expected) {
  Type actual = getElementTypeOrSelf(type);
  if (actual == expected)
    return success();
  return op->emitOpError() << what << " must have element type " << expected
                           << ", got " << actual;
}

int64_t dimOf(Type type, unsigned dim) {
  auto shaped = cast<RankedTensorType>(type);
  return dim < shaped.getRank() ? shaped.getDimSize(dim) : kAnyDim;
}

int64_t mulDims(int64_t lhs, int64_t rhs) {
  if (ShapedType::isDynamic(lhs) || ShapedType::isDynamic(rhs))
    return kAnyDim;
  return lhs * rhs;
}

} // namespace seqc
