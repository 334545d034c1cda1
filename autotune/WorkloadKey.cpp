//===- WorkloadKey.cpp - structural keys of tuned ops ---------------------===//
#include "autotune/WorkloadKey.h"

#include "dialects/Seq/IR/SeqDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <fmt/format.h>

using namespace mlir;

namespace seqc::autotune {

namespace {

/// Time is dimension 1 of every sequence operand ([B, T, ...]).
int64_t timeDimension(Operation *op) {
  auto type = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  if (!type || type.getRank() < 2 || type.isDynamicDim(1))
    return ShapedType::kDynamic;
  return type.getDimSize(1);
}

int64_t bucketOf(int64_t T) {
  int64_t bucket = 1;
  while (bucket < T)
    bucket *= 2;
  return bucket;
}

/// A type with its time dimension (when it is the op's T) written as `T`.
std::string typeText(Type type, int64_t T) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  std::string s;
  llvm::raw_string_ostream os(s);
  if (!tensor) {
    type.print(os);
    return s;
  }
  for (auto [i, d] : llvm::enumerate(tensor.getShape())) {
    if (i == 1 && d == T)
      os << "T";
    else if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
    os << "x";
  }
  tensor.getElementType().print(os);
  return s;
}

} // namespace

std::string shapeBucketOf(Operation *op) {
  int64_t T = timeDimension(op);
  return ShapedType::isDynamic(T) ? "T=?" : fmt::format("T<={}", bucketOf(T));
}

std::string exactShapeOf(Operation *op) {
  std::string s;
  for (Value operand : op->getOperands()) {
    std::string one;
    llvm::raw_string_ostream os(one);
    operand.getType().print(os);
    s += (s.empty() ? "" : ", ") + one;
  }
  return s;
}

WorkloadKey workloadKeyOf(Operation *op, const HardwareModel &target) {
  int64_t T = timeDimension(op);
  std::string canonical = op->getName().getStringRef().str();
  for (NamedAttribute attr : op->getAttrDictionary()) {
    // The form and the seq dialect's own annotations (kernel prefix, tuned)
    // are decisions about the op, not part of the workload.
    if (attr.getName() == "form" ||
        attr.getNameDialect() ==
            op->getContext()->getLoadedDialect<seqc::seq::SeqDialect>())
      continue;
    std::string value;
    llvm::raw_string_ostream os(value);
    attr.getValue().print(os);
    canonical += " " + attr.getName().str() + "=" + value;
  }
  canonical += " (";
  for (Value operand : op->getOperands())
    canonical += typeText(operand.getType(), T) + ",";
  canonical += ") -> (";
  for (Type result : op->getResultTypes())
    canonical += typeText(result, T) + ",";
  canonical += ")";
  // Region bodies (seq.scan, seq.recurrence) are part of the structure.
  for (Region &region : op->getRegions()) {
    std::string body;
    llvm::raw_string_ostream os(body);
    OpPrintingFlags flags;
    flags.printGenericOpForm().elideLargeElementsAttrs(0);
    for (Block &block : region)
      for (Operation &inner : block)
        inner.print(os, flags);
    canonical += body;
  }
  WorkloadKey key;
  key.seqcVersion = SEQC_VERSION_STRING;
  key.target = targetFingerprint(target);
  key.opName = op->getName().getStringRef().str();
  key.opHash = llvm::utohexstr(llvm::xxh3_64bits(canonical), /*LowerCase=*/true);
  key.shapeBucket = shapeBucketOf(op);
  std::string dtype;
  llvm::raw_string_ostream os(dtype);
  getElementTypeOrSelf(op->getOperand(0).getType()).print(os);
  key.dtype = dtype;
  key.passOptions = kTuningPipelineVersion;
  return key;
}

/// The record's form text: the kind, and a sequential variant after a
/// slash ("sequential/fused").
std::string formText(const TileConfig &config) {
  std::string text = seq::stringifyFormKind(config.kind).str();
  if (config.variant)
    text += "/" + seq::stringifySequentialVariant(*config.variant).str();
  return text;
}

TuningRecord toRecord(const TileConfig &config) {
  TuningRecord r;
  r.form = formText(config);
  r.chunkSize = config.chunkSize;
  r.blockThreads = config.blockThreads;
  r.itemsPerThread = config.itemsPerThread;
  r.predictedSeconds = config.cost.seconds;
  return r;
}

std::optional<TileConfig> fromRecord(const TuningRecord &record) {
  auto [kindText, variantText] = llvm::StringRef(record.form).split('/');
  std::optional<seq::FormKind> kind = seq::symbolizeFormKind(kindText);
  if (!kind)
    return std::nullopt;
  TileConfig c;
  c.kind = *kind;
  if (!variantText.empty()) {
    c.variant = seq::symbolizeSequentialVariant(variantText);
    if (!c.variant)
      return std::nullopt;
  }
  c.chunkSize = record.chunkSize;
  c.blockThreads = record.blockThreads;
  c.itemsPerThread = record.itemsPerThread;
  c.cost.seconds = record.predictedSeconds;
  return c;
}

} // namespace seqc::autotune
