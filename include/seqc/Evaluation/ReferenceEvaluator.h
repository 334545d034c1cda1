//===- ReferenceEvaluator.h - run MLIR on the reference --------*- C++ -*-===//
//
// The bridge from a seq-level function to lib/Reference: what `seqc run
// --check`, the GPU bundles' check vectors and the tuner compare against.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_EVALUATION_REFERENCEEVALUATOR_H
#define SEQC_EVALUATION_REFERENCEEVALUATOR_H

#include "seqc/Reference/Reference.h"
#include "seqc/Support/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <vector>

namespace mlir {
namespace arith {
class ConstantOp;
} // namespace arith
namespace linalg {
class GenericOp;
class MatmulOp;
class BatchMatmulOp;
class TransposeOp;
} // namespace linalg
namespace tensor {
class ExtractSliceOp;
} // namespace tensor
} // namespace mlir

namespace seqc::eval {

/// The static shape of a tensor type ([] for a scalar).
std::vector<int64_t> shapeOf(mlir::Type type);

/// Evaluates the ops of a block in f64 with lib/Reference. A seq primitive
/// is evaluated by its family (ReferenceOpInterface) through the accessors
/// below; the upstream ops models use are evaluated here.
class ReferenceEvaluator {
public:
  /// Evaluates the ops of `block` with its arguments bound to `arguments`;
  /// returns the terminator's operands. Errors are emitted on the op.
  llvm::FailureOr<std::vector<ref::Tensor>>
  runBlock(mlir::Block &block, const std::vector<ref::Tensor> &arguments);

  /// The value `v` had (after runBlock), if it was computed.
  std::optional<ref::Tensor> lookup(mlir::Value v) const {
    auto it = values.find(v);
    if (it == values.end())
      return std::nullopt;
    return it->second;
  }

  /// The value of an operand (evaluated before its users).
  const ref::Tensor &get(mlir::Value v) { return values[v]; }
  /// The value of an optional operand, none when it is absent.
  std::optional<ref::Tensor> getOptional(mlir::Value v) {
    if (!v)
      return std::nullopt;
    return values[v];
  }
  std::vector<ref::Tensor> getAll(mlir::ValueRange range) {
    std::vector<ref::Tensor> result;
    for (mlir::Value v : range)
      result.push_back(values[v]);
    return result;
  }
  /// Binds a seq op's results: its output sequences, then its final states.
  void setResults(mlir::Operation &op, const ref::ScanResult &r) {
    unsigned i = 0;
    for (const ref::Tensor &t : r.outputs)
      values[op.getResult(i++)] = t;
    for (const ref::Tensor &t : r.finalStates)
      values[op.getResult(i++)] = t;
  }
  /// An attention op's `scale`, none for the default 1/sqrt(dk).
  static std::optional<double> scaleOf(mlir::FloatAttr attr) {
    if (!attr)
      return std::nullopt;
    return attr.getValueAsDouble();
  }
  /// Emits "the reference interpreter cannot evaluate ..." on `op`.
  llvm::LogicalResult unsupported(mlir::Operation &op,
                                  llvm::StringRef why = "");

  /// The value of an elementwise arith/math op on scalar operands, or none
  /// when the op is not one the reference models (combiner bodies).
  static std::optional<double> evaluateScalar(mlir::Operation &op,
                                              llvm::ArrayRef<double> operands);

private:
  llvm::DenseMap<mlir::Value, ref::Tensor> values;

  llvm::LogicalResult evaluate(mlir::Operation &op);
  /// Elementwise op over operands of one shape (scalars are rank 0).
  llvm::LogicalResult elementwise(mlir::Operation &op);
  llvm::LogicalResult evaluateConstant(mlir::arith::ConstantOp op);
  double scalarValue(const llvm::DenseMap<mlir::Value, double> &scalars,
                     mlir::Value v);
  llvm::LogicalResult evaluateGeneric(mlir::linalg::GenericOp op);
  llvm::LogicalResult evaluateBatchMatmul(mlir::linalg::BatchMatmulOp op);
  llvm::LogicalResult evaluateTranspose(mlir::linalg::TransposeOp op);
  llvm::LogicalResult evaluateMatmul(mlir::linalg::MatmulOp op);
  llvm::LogicalResult evaluateExtractSlice(mlir::tensor::ExtractSliceOp op);
};

/// Evaluates `function` on `arguments`; with `capture`, also returns the
/// values those SSA values took (in `*captured`).
llvm::LogicalResult evaluateFunction(
    mlir::func::FuncOp function, const std::vector<ref::Tensor> &arguments,
    std::vector<ref::Tensor> &results, llvm::ArrayRef<mlir::Value> capture = {},
    std::vector<ref::Tensor> *captured = nullptr);

/// A host buffer's values as a reference tensor (f64).
ref::Tensor toReference(const HostTensor &tensor);

} // namespace seqc::eval

#endif // SEQC_EVALUATION_REFERENCEEVALUATOR_H
