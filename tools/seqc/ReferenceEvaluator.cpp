//===- ReferenceEvaluator.cpp - run a function on the reference -----------===//
//
// Walks the seq-level function and evaluates each op with lib/Reference:
// the seq primitives directly, and the small set of upstream ops that
// models put around and inside them (elementwise arith/math, constants,
// fills, matmuls, slices, reshapes). Combiner and recurrence bodies are
// evaluated by the same walker, on scalars and per-step tensors.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using seqc::ref::Tensor;

namespace seqc::driver {
namespace {

std::vector<int64_t> shapeOf(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return std::vector<int64_t>(shaped.getShape());
  return {};
}

/// The value of an elementwise arith/math op on scalar operands, or none
/// when the op is not one the reference models.
std::optional<double> scalarOp(Operation &op, ArrayRef<double> a) {
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

class Evaluator {
public:
  /// Evaluates the ops of `block` with its arguments bound to `arguments`;
  /// returns the terminator's operands.
  FailureOr<std::vector<Tensor>> runBlock(Block &block,
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

  /// The value `v` had (after runBlock), if it was computed.
  std::optional<Tensor> lookup(Value v) const {
    auto it = values.find(v);
    if (it == values.end())
      return std::nullopt;
    return it->second;
  }

private:
  llvm::DenseMap<Value, Tensor> values;

  const Tensor &get(Value v) { return values[v]; }
  std::optional<Tensor> getOptional(Value v) {
    if (!v)
      return std::nullopt;
    return values[v];
  }
  std::vector<Tensor> getAll(ValueRange range) {
    std::vector<Tensor> result;
    for (Value v : range)
      result.push_back(values[v]);
    return result;
  }
  void setResults(Operation &op, const ref::ScanResult &r) {
    unsigned i = 0;
    for (const Tensor &t : r.outputs)
      values[op.getResult(i++)] = t;
    for (const Tensor &t : r.finalStates)
      values[op.getResult(i++)] = t;
  }
  static std::optional<double> scaleOf(FloatAttr attr) {
    if (!attr)
      return std::nullopt;
    return attr.getValueAsDouble();
  }

  LogicalResult unsupported(Operation &op, StringRef why = "") {
    InFlightDiagnostic diag = op.emitError()
                              << "the reference interpreter cannot evaluate '"
                              << op.getName() << "'";
    if (!why.empty())
      diag << ": " << why;
    return diag;
  }

  /// Elementwise op over operands of one shape (scalars are rank 0).
  LogicalResult elementwise(Operation &op) {
    std::vector<const Tensor *> operands;
    for (Value v : op.getOperands())
      operands.push_back(&values[v]);
    Tensor result(shapeOf(op.getResult(0).getType()));
    std::vector<double> args(operands.size());
    for (int64_t i = 0; i < result.numElements(); ++i) {
      for (size_t k = 0; k < operands.size(); ++k)
        args[k] = operands[k]->data.size() == 1 ? operands[k]->data[0]
                                                 : operands[k]->data[i];
      std::optional<double> value = scalarOp(op, args);
      if (!value)
        return unsupported(op);
      result.data[i] = *value;
    }
    values[op.getResult(0)] = std::move(result);
    return success();
  }

  LogicalResult evaluateConstant(arith::ConstantOp op) {
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
  double scalarValue(const llvm::DenseMap<Value, double> &scalars, Value v) {
    auto it = scalars.find(v);
    if (it != scalars.end())
      return it->second;
    const Tensor &outer = values[v];
    return outer.data.empty() ? 0.0 : outer.data[0];
  }

  /// linalg.generic, point by point over its (static) iteration space; the
  /// body is evaluated on scalars.
  LogicalResult evaluateGeneric(linalg::GenericOp op) {
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
        std::optional<double> result = scalarOp(inner, args);
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

  LogicalResult evaluateBatchMatmul(linalg::BatchMatmulOp op) {
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

  LogicalResult evaluateTranspose(linalg::TransposeOp op) {
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

  LogicalResult evaluateMatmul(linalg::MatmulOp op) {
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

  LogicalResult evaluateExtractSlice(tensor::ExtractSliceOp op) {
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

  LogicalResult evaluate(Operation &op) {
    return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
        // The seq primitives.
        .Case([&](seq::LinearScanOp o) -> LogicalResult {
          if (isa<ComplexType>(o.getA().getType().getElementType()))
            return unsupported(op, "complex linear scans are not modelled yet");
          setResults(op, ref::linearScan(get(o.getA()), get(o.getB()),
                                         getOptional(o.getInit())));
          return success();
        })
        .Case([&](seq::LinearAttentionOp o) {
          ref::GateKind kind = o.getGateKind() == seq::GateKind::none
                                   ? ref::GateKind::none
                               : o.getGateKind() == seq::GateKind::scalar
                                   ? ref::GateKind::scalar
                                   : ref::GateKind::vector;
          setResults(op, ref::linearAttention(
                             get(o.getQ()), get(o.getK()), get(o.getV()), kind,
                             getOptional(o.getGate()), getOptional(o.getInit()),
                             scaleOf(o.getScaleAttr())));
          return success();
        })
        .Case([&](seq::DeltaRuleOp o) {
          setResults(op, ref::deltaRule(get(o.getQ()), get(o.getK()),
                                        get(o.getV()), get(o.getBeta()),
                                        getOptional(o.getGate()),
                                        getOptional(o.getInit()),
                                        scaleOf(o.getScaleAttr())));
          return success();
        })
        .Case([&](seq::SoftmaxAttentionOp o) {
          setResults(op, ref::softmaxAttention(get(o.getQ()), get(o.getK()),
                                               get(o.getV()),
                                               getAll(o.getInit()),
                                               scaleOf(o.getScaleAttr())));
          return success();
        })
        .Case([&](seq::ScanOp o) -> LogicalResult {
          Block &combiner = o.getCombiner().front();
          size_t n = o.getInputs().size();
          bool ok = true;
          // The combiner runs once per element and step: evaluate it on
          // plain doubles, with one map reused across calls.
          llvm::DenseMap<Value, double> scalars;
          ref::Combiner combine = [&](const double *lhs, const double *rhs,
                                      double *out) {
            scalars.clear();
            for (size_t i = 0; i < n; ++i) {
              scalars[combiner.getArgument(i)] = lhs[i];
              scalars[combiner.getArgument(n + i)] = rhs[i];
            }
            for (Operation &inner : combiner.without_terminator()) {
              if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
                if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
                  scalars[constant] = f.getValueAsDouble();
                continue;
              }
              std::vector<double> args;
              for (Value v : inner.getOperands())
                args.push_back(scalars.lookup(v));
              std::optional<double> result = scalarOp(inner, args);
              if (!result || inner.getNumResults() != 1) {
                if (ok)
                  (void)unsupported(inner, "inside a seq.scan combiner");
                ok = false;
                return;
              }
              scalars[inner.getResult(0)] = *result;
            }
            for (size_t i = 0; i < n; ++i)
              out[i] = scalars.lookup(combiner.getTerminator()->getOperand(i));
          };
          ref::ScanResult r = ref::scan(getAll(o.getInputs()),
                                        getAll(o.getInit()), o.getReverse(),
                                        o.getExclusive(), combine);
          if (!ok)
            return failure();
          setResults(op, r);
          return success();
        })
        .Case([&](seq::RecurrenceOp o) -> LogicalResult {
          Block &body = o.getBody().front();
          std::vector<Tensor> weights = getAll(o.getWeights());
          std::vector<std::vector<int64_t>> stateShapes;
          for (Value s : o.getFinalStates())
            stateShapes.push_back(shapeOf(s.getType()));
          bool ok = true;
          ref::RecurrenceStep step = [&](const std::vector<Tensor> &slices,
                                         const std::vector<Tensor> &states) {
            std::vector<Tensor> args(slices);
            args.insert(args.end(), states.begin(), states.end());
            args.insert(args.end(), weights.begin(), weights.end());
            Evaluator inner;
            auto results = inner.runBlock(body, args);
            if (failed(results)) {
              ok = false;
              std::vector<Tensor> zeros;
              for (Value v : body.getTerminator()->getOperands())
                zeros.emplace_back(shapeOf(v.getType()));
              return zeros;
            }
            return *results;
          };
          ref::ScanResult r =
              ref::recurrence(getAll(o.getInputs()), getAll(o.getInit()),
                              stateShapes, o.getOutputs().size(), step);
          if (!ok)
            return failure();
          setResults(op, r);
          return success();
        })
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
};

} // namespace

int evaluateReference(const Program &program,
                      const std::vector<ref::Tensor> &arguments,
                      std::vector<ref::Tensor> &results,
                      ArrayRef<Value> capture,
                      std::vector<ref::Tensor> *captured) {
  Evaluator evaluator;
  auto outputs =
      evaluator.runBlock(func::FuncOp(program.function).getBody().front(), arguments);
  if (failed(outputs))
    return 1;
  results = std::move(*outputs);
  for (Value v : capture) {
    std::optional<ref::Tensor> value = evaluator.lookup(v);
    if (!value)
      return 1;
    captured->push_back(std::move(*value));
  }
  return 0;
}

} // namespace seqc::driver
