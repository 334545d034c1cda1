//===- ReferenceEvaluator.cpp - run a function on the reference -----------===//
//
// Walks a seq-level function and evaluates each op with lib/Reference: the
// seq primitives through their families' ReferenceOpInterface, and here the
// small set of upstream ops that models put around and inside them
// (elementwise arith/math, constants, fills, matmuls, slices, reshapes).
// Combiner and recurrence bodies are evaluated by the same walker, on
// scalars and per-step tensors.
//
//===----------------------------------------------------------------------===//
#include "seqc/Evaluation/ReferenceEvaluator.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

#include <new>
#include <cmath>

using namespace mlir;
using seqc::ref::Tensor;

namespace seqc::eval {

std::vector<int64_t> shapeOf(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return std::vector<int64_t>(shaped.getShape());
  return {};
}

std::optional<double> ReferenceEvaluator::evaluateScalar(Operation &op,
                                                         ArrayRef<double> a) {
  return llvm::TypeSwitch<Operation *, std::optional<double>>(&op)
      .Case([&](arith::AddFOp) { return a[0] + a[1]; })
      .Case([&](arith::SubFOp) { return a[0] - a[1]; })
      .Case([&](arith::MulFOp) { return a[0] * a[1]; })
      .Case([&](arith::DivFOp) { return a[0] / a[1]; })
      .Case([&](arith::NegFOp) { return -a[0]; })
      .Case<arith::MaximumFOp, arith::MaxNumFOp>(
          [&](Operation *) { return std::max(a[0], a[1]); })
      .Case<arith::MinimumFOp, arith::MinNumFOp>(
          [&](Operation *) { return std::min(a[0], a[1]); })
      // Values are kept exactly; precision is the tolerance's business.
      .Case<arith::ExtFOp, arith::TruncFOp>([&](Operation *) { return a[0]; })
      .Case([&](arith::SelectOp) { return a[0] != 0 ? a[1] : a[2]; })
      .Case([&](arith::CmpFOp cmp) -> std::optional<double> {
        switch (cmp.getPredicate()) {
        case arith::CmpFPredicate::OGT:
        case arith::CmpFPredicate::UGT:
          return a[0] > a[1];
        case arith::CmpFPredicate::OGE:
        case arith::CmpFPredicate::UGE:
          return a[0] >= a[1];
        case arith::CmpFPredicate::OLT:
        case arith::CmpFPredicate::ULT:
          return a[0] < a[1];
        case arith::CmpFPredicate::OLE:
        case arith::CmpFPredicate::ULE:
          return a[0] <= a[1];
        case arith::CmpFPredicate::OEQ:
        case arith::CmpFPredicate::UEQ:
          return a[0] == a[1];
        default:
          return a[0] != a[1];
        }
      })
      .Case([&](math::ExpOp) { return std::exp(a[0]); })
      .Case([&](math::LogOp) { return std::log(a[0]); })
      .Case([&](math::Log1pOp) { return std::log1p(a[0]); })
      .Case([&](math::TanhOp) { return std::tanh(a[0]); })
      .Case([&](math::CosOp) { return std::cos(a[0]); })
      .Case([&](math::SinOp) { return std::sin(a[0]); })
      .Case([&](math::SqrtOp) { return std::sqrt(a[0]); })
      .Case([&](math::RsqrtOp) { return 1.0 / std::sqrt(a[0]); })
      .Case([&](math::AbsFOp) { return std::fabs(a[0]); })
      .Default([](Operation *) { return std::nullopt; });
}

FailureOr<std::vector<Tensor>>
ReferenceEvaluator::runBlock(Block &block,
                             const std::vector<Tensor> &arguments) {
  for (auto [arg, value] : llvm::zip(block.getArguments(), arguments))
    values[arg] = value;
  for (Operation &op : block.without_terminator())
    if (failed(evaluate(op)))
      return failure();
  std::vector<Tensor> results;
  for (Value v : block.getTerminator()->getOperands())
    results.push_back(values.lookup(v));
  return results;
}

LogicalResult ReferenceEvaluator::unsupported(Operation &op, StringRef why) {
  InFlightDiagnostic diag = op.emitError()
                            << "the reference interpreter cannot evaluate '"
                            << op.getName() << "'";
  if (!why.empty())
    diag << ": " << why;
  return diag;
}

/// Elementwise op over operands of one shape (scalars are rank 0).
LogicalResult ReferenceEvaluator::elementwise(Operation &op) {
  // An op with regions (a loop) is not elementwise; nor is one whose
  // operands the interpreter has no values of that shape for (indices).
  if (op.getNumRegions() != 0)
    return unsupported(op);
  Tensor result(shapeOf(op.getResult(0).getType()));
  std::vector<const Tensor *> operands;
  for (Value v : op.getOperands()) {
    auto it = values.find(v);
    if (it == values.end() || (it->second.data.size() != 1 &&
                               int64_t(it->second.data.size()) !=
                                   result.numElements()))
      return unsupported(op, "its operands are not float values of its "
                             "result's shape");
    operands.push_back(&it->second);
  }
  std::vector<double> args(operands.size());
  for (int64_t i = 0; i < result.numElements(); ++i) {
    for (size_t k = 0; k < operands.size(); ++k)
      args[k] = operands[k]->data.size() == 1 ? operands[k]->data[0]
                                              : operands[k]->data[i];
    std::optional<double> value = evaluateScalar(op, args);
    if (!value)
      return unsupported(op);
    result.data[i] = *value;
  }
  values[op.getResult(0)] = std::move(result);
  return success();
}

LogicalResult ReferenceEvaluator::evaluateConstant(arith::ConstantOp op) {
  Attribute value = op.getValue();
  if (auto f = dyn_cast<FloatAttr>(value)) {
    values[op] = Tensor({}, f.getValueAsDouble());
    return success();
  }
  if (auto dense = dyn_cast<DenseFPElementsAttr>(value)) {
    Tensor t(shapeOf(op.getType()));
    int64_t i = 0;
    for (APFloat v : dense.getValues<APFloat>())
      t.data[i++] = v.convertToDouble();
    if (dense.isSplat())
      std::fill(t.data.begin(), t.data.end(), t.data[0]);
    values[op] = std::move(t);
    return success();
  }
  if (isa<IntegerAttr>(value)) {
    // Index and integer constants only feed ops the walker skips.
    return success();
  }
  return unsupported(*op, "only float constants are modelled");
}

/// A scalar in a linalg.generic body: defined in the body, or captured
/// from above (constants hoisted by canonicalization).
double
ReferenceEvaluator::scalarValue(const llvm::DenseMap<Value, double> &scalars,
                                Value v) {
  auto it = scalars.find(v);
  if (it != scalars.end())
    return it->second;
  const Tensor &outer = values[v];
  return outer.data.empty() ? 0.0 : outer.data[0];
}

/// linalg.generic, point by point over its (static) iteration space; the
/// body is evaluated on scalars.
LogicalResult ReferenceEvaluator::evaluateGeneric(linalg::GenericOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return unsupported(*op, "dynamic iteration spaces are not modelled");
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  size_t numInputs = op.getInputs().size();
  std::vector<const Tensor *> inputs;
  for (Value v : op.getInputs())
    inputs.push_back(&values[v]);
  std::vector<Tensor> outputs;
  for (Value v : op.getOutputs())
    outputs.push_back(values[v]);
  auto offsetOf = [](const Tensor &t, ArrayRef<int64_t> index) {
    int64_t linear = 0;
    for (size_t d = 0; d < index.size(); ++d)
      linear = linear * t.shape[d] + index[d];
    return linear;
  };
  Block &body = op.getRegion().front();
  llvm::DenseMap<Value, double> scalars;
  SmallVector<int64_t> point(ranges.size(), 0);
  int64_t total = 1;
  for (int64_t r : ranges)
    total *= r;
  std::vector<int64_t> outputOffsets(outputs.size());
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t rem = flat;
    for (int64_t d = ranges.size() - 1; d >= 0; --d) {
      point[d] = rem % ranges[d];
      rem /= ranges[d];
    }
    scalars.clear();
    for (size_t i = 0; i < numInputs; ++i) {
      const Tensor &t = *inputs[i];
      scalars[body.getArgument(i)] =
          t.data.size() == 1 && t.rank() == 0
              ? t.data[0]
              : t.data[offsetOf(t, maps[i].compose(point))];
    }
    for (size_t o = 0; o < outputs.size(); ++o) {
      outputOffsets[o] =
          offsetOf(outputs[o], maps[numInputs + o].compose(point));
      scalars[body.getArgument(numInputs + o)] =
          outputs[o].data[outputOffsets[o]];
    }
    for (Operation &inner : body.without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
        scalars[index] = static_cast<double>(point[index.getDim()]);
        continue;
      }
      if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
        if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
          scalars[constant] = f.getValueAsDouble();
        else if (auto i = dyn_cast<IntegerAttr>(constant.getValue()))
          scalars[constant] = static_cast<double>(i.getInt());
        continue;
      }
      if (auto cmp = dyn_cast<arith::CmpIOp>(inner)) {
        double l = scalarValue(scalars, cmp.getLhs()),
               r = scalarValue(scalars, cmp.getRhs());
        bool result = false;
        switch (cmp.getPredicate()) {
        case arith::CmpIPredicate::ule:
        case arith::CmpIPredicate::sle:
          result = l <= r;
          break;
        case arith::CmpIPredicate::ult:
        case arith::CmpIPredicate::slt:
          result = l < r;
          break;
        case arith::CmpIPredicate::uge:
        case arith::CmpIPredicate::sge:
          result = l >= r;
          break;
        case arith::CmpIPredicate::ugt:
        case arith::CmpIPredicate::sgt:
          result = l > r;
          break;
        case arith::CmpIPredicate::eq:
          result = l == r;
          break;
        case arith::CmpIPredicate::ne:
          result = l != r;
          break;
        }
        scalars[cmp] = result;
        continue;
      }
      std::vector<double> args;
      for (Value v : inner.getOperands())
        args.push_back(scalarValue(scalars, v));
      std::optional<double> result = evaluateScalar(inner, args);
      if (!result || inner.getNumResults() != 1)
        return unsupported(inner, "inside linalg.generic");
      scalars[inner.getResult(0)] = *result;
    }
    for (auto [o, v] : llvm::enumerate(body.getTerminator()->getOperands()))
      outputs[o].data[outputOffsets[o]] = scalarValue(scalars, v);
  }
  for (size_t o = 0; o < outputs.size(); ++o)
    values[op.getResult(o)] = std::move(outputs[o]);
  return success();
}

LogicalResult
ReferenceEvaluator::evaluateBatchMatmul(linalg::BatchMatmulOp op) {
  if (op.hasUserDefinedMaps())
    return unsupported(*op, "only the default indexing maps are modelled");
  const Tensor &a = get(op.getInputs()[0]), &b = get(op.getInputs()[1]);
  Tensor c = get(op.getOutputs()[0]);
  int64_t batch = a.dim(0), m = a.dim(1), k = a.dim(2), n = b.dim(2);
  for (int64_t p = 0; p < batch; ++p)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = c.data[(p * m + i) * n + j];
        for (int64_t l = 0; l < k; ++l)
          sum += a.data[(p * m + i) * k + l] * b.data[(p * k + l) * n + j];
        c.data[(p * m + i) * n + j] = sum;
      }
  values[op.getResult(0)] = std::move(c);
  return success();
}

LogicalResult ReferenceEvaluator::evaluateTranspose(linalg::TransposeOp op) {
  const Tensor &source = get(op.getInput());
  ArrayRef<int64_t> permutation = op.getPermutation();
  Tensor result(shapeOf(op.getResult()[0].getType()));
  int64_t rank = source.rank();
  std::vector<int64_t> sourceStrides(rank, 1), index(rank);
  for (int64_t d = rank - 2; d >= 0; --d)
    sourceStrides[d] = sourceStrides[d + 1] * source.shape[d + 1];
  for (int64_t i = 0; i < result.numElements(); ++i) {
    int64_t rem = i, linear = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      index[d] = rem % result.shape[d];
      rem /= result.shape[d];
    }
    // result[i0, ..] = source[..] with result dim d = source dim perm[d].
    for (int64_t d = 0; d < rank; ++d)
      linear += index[d] * sourceStrides[permutation[d]];
    result.data[i] = source.data[linear];
  }
  values[op.getResult()[0]] = std::move(result);
  return success();
}

LogicalResult ReferenceEvaluator::evaluateMatmul(linalg::MatmulOp op) {
  const Tensor &a = get(op.getInputs()[0]), &b = get(op.getInputs()[1]);
  Tensor c = get(op.getOutputs()[0]);
  int64_t m = a.dim(0), k = a.dim(1), n = b.dim(1);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = c.data[i * n + j];
      for (int64_t l = 0; l < k; ++l)
        sum += a.data[i * k + l] * b.data[l * n + j];
      c.data[i * n + j] = sum;
    }
  values[op.getResult(0)] = std::move(c);
  return success();
}

LogicalResult
ReferenceEvaluator::evaluateExtractSlice(tensor::ExtractSliceOp op) {
  if (!op.getOffsets().empty() || !op.getSizes().empty() ||
      !op.getStrides().empty())
    return unsupported(*op, "only static slices are modelled");
  const Tensor &source = get(op.getSource());
  ArrayRef<int64_t> offsets = op.getStaticOffsets(),
                    sizes = op.getStaticSizes(),
                    strides = op.getStaticStrides();
  int64_t rank = source.rank();
  std::vector<int64_t> sourceStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    sourceStrides[d] = sourceStrides[d + 1] * source.shape[d + 1];
  Tensor result(shapeOf(op.getType()));
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < result.numElements(); ++i) {
    int64_t linear = 0, rem = i;
    for (int64_t d = rank - 1; d >= 0; --d) {
      index[d] = rem % sizes[d];
      rem /= sizes[d];
      linear += (offsets[d] + index[d] * strides[d]) * sourceStrides[d];
    }
    result.data[i] = source.data[linear];
  }
  values[op] = std::move(result);
  return success();
}

LogicalResult ReferenceEvaluator::evaluate(Operation &op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
      // The seq primitives: each family evaluates its own op.
      .Case([&](ReferenceOpInterface o) { return o.evaluateReference(*this); })
      .Case([&](arith::ConstantOp o) { return evaluateConstant(o); })
      // Tensor plumbing.
      .Case([&](tensor::EmptyOp o) {
        values[o] = Tensor(shapeOf(o.getType()));
        return success();
      })
      .Case([&](linalg::FillOp o) {
        Tensor t(shapeOf(o.getResult(0).getType()),
                 get(o.getInputs()[0]).data[0]);
        values[o.getResult(0)] = std::move(t);
        return success();
      })
      .Case([&](linalg::MatmulOp o) { return evaluateMatmul(o); })
      .Case([&](linalg::BatchMatmulOp o) { return evaluateBatchMatmul(o); })
      .Case([&](linalg::TransposeOp o) { return evaluateTranspose(o); })
      .Case([&](tensor::ExtractSliceOp o) { return evaluateExtractSlice(o); })
      .Case<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
          [&](Operation *reshape) {
            Tensor t = get(reshape->getOperand(0));
            t.shape = shapeOf(reshape->getResult(0).getType());
            values[reshape->getResult(0)] = std::move(t);
            return success();
          })
      .Case([&](linalg::GenericOp o) { return evaluateGeneric(o); })
      // Everything else must be an elementwise op of the scalar table.
      .Default([&](Operation *) -> LogicalResult {
        if (op.getNumResults() != 1)
          return unsupported(op);
        return elementwise(op);
      });
}

static LogicalResult evaluate(func::FuncOp function,
                              const std::vector<Tensor> &arguments,
                              std::vector<Tensor> &results,
                              ArrayRef<Value> capture,
                              std::vector<Tensor> *captured) {
  ReferenceEvaluator evaluator;
  auto outputs = evaluator.runBlock(function.getBody().front(), arguments);
  if (failed(outputs))
    return failure();
  results = std::move(*outputs);
  for (Value v : capture) {
    std::optional<Tensor> value = evaluator.lookup(v);
    if (!value)
      return failure();
    captured->push_back(std::move(*value));
  }
  return success();
}

LogicalResult evaluateFunction(func::FuncOp function,
                               const std::vector<Tensor> &arguments,
                               std::vector<Tensor> &results,
                               ArrayRef<Value> capture,
                               std::vector<Tensor> *captured) {
  // The reference holds every value in f64, which can be more than the
  // machine has. LLVM's new-handler would make a failed allocation a fatal
  // error; here it is this function's error instead (this file is built
  // with exceptions; the frames in between unwind without cleanups, which
  // leaks what they held: the evaluation is abandoned anyway).
  std::new_handler previous = std::set_new_handler(nullptr);
  LogicalResult result = failure();
  try {
    result = evaluate(function, arguments, results, capture, captured);
  } catch (const std::bad_alloc &) {
    // At the function's location, without printing the function.
    mlir::emitError(function.getLoc())
        << "the reference interpreter ran out of memory evaluating @"
        << function.getSymName();
    result = failure();
  }
  std::set_new_handler(previous);
  return result;
}

ref::Tensor toReference(const HostTensor &tensor) {
  ref::Tensor result(tensor.shape);
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    result.data[i] = tensor.get(i);
  return result;
}

} // namespace seqc::eval
