//===- AffineToLinearScan.cpp - seq-canonicalize: affine recurrences ------===//
//
// Classifies every value of a recurrence body by its dependence on the
// state h: independent of h, affine (a (.) h + b, elementwise, with a and b
// independent of h), or neither. If the next state is affine, the
// recurrence is a diagonal linear recurrence and becomes seq.linear_scan,
// whose a and b are the body's state-free ops applied to whole sequences.
//
// The pass is declared with the dialect's passes (seq-canonicalize,
// dialects/Seq/Transforms/Passes.td); it lives in the recurrence's home
// because all it knows is about recurrence bodies.
//
//===----------------------------------------------------------------------===//
#include "dialects/Seq/Transforms/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc::seq {
#define GEN_PASS_DEF_SEQCANONICALIZE
#include "dialects/Seq/Transforms/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

/// A body value as a function of the state: `coefficient (.) h + offset`,
/// each a value of the rewritten (whole-sequence) IR, null meaning 0 for the
/// offset and "independent of h" for the coefficient.
struct Affine {
  Value coefficient, offset;
};

class AffineAnalysis {
public:
  AffineAnalysis(RecurrenceOp op, unsigned stateIndex, OpBuilder &builder)
      : op(op), stateIndex(stateIndex), b(builder), loc(op.getLoc()) {}

  /// Builds a and b for `h' = a (.) h + b` over whole sequences for state
  /// `stateIndex`, or returns failure with `reason` naming what is not
  /// affine. Only the ops the next state depends on are analyzed.
  LogicalResult run(Value &a, Value &bValue, std::string &reason) {
    Block &body = op.getBody().front();
    unsigned numInputs = op.getInputs().size();
    unsigned numStates = op.getFinalStates().size();
    BlockArgument state = body.getArgument(numInputs + stateIndex);
    stateType = cast<RankedTensorType>(state.getType());
    SmallVector<int64_t> shape(stateType.getShape());
    shape.insert(shape.begin() + 1, cast<RankedTensorType>(
                                        op.getInputs()[0].getType())
                                        .getDimSize(1));
    sequenceType = RankedTensorType::get(shape, stateType.getElementType());
    // Per-step slices of the inputs are the inputs themselves, whole.
    for (unsigned i = 0; i < numInputs; ++i) {
      if (body.getArgument(i).getType() != stateType) {
        reason = "input #" + std::to_string(i) +
                 " is not shaped like the state";
        return failure();
      }
      values[body.getArgument(i)] = {Value(), op.getInputs()[i]};
    }
    values[state] = {one(), Value()};
    // The other states are per-step values this state must not read
    // (coupled states are a non-diagonal system).
    for (unsigned k = 0; k < numStates; ++k)
      if (k != stateIndex)
        otherStates[body.getArgument(numInputs + k)] = k;
    // Weights are the same every step: shaped like the state, they become
    // the state broadcast over time (when an analyzed op reads them);
    // others can only be used by ops that do not reach the next state.
    for (auto [weight, value] :
         llvm::zip(body.getArguments().drop_front(numInputs + numStates),
                   op.getWeights())) {
      if (weight.getType() == stateType)
        weights[weight] = value;
      else
        opaque.insert(weight);
    }
    // Only the ops the next state depends on (in block order).
    Value nextState = body.getTerminator()->getOperand(stateIndex);
    SetVector<Operation *> slice;
    BackwardSliceOptions options;
    options.inclusive = true;
    options.omitBlockArguments = true;
    if (failed(getBackwardSlice(nextState, &slice, options)))
      return failure();
    for (Operation &inner : body.without_terminator())
      if (slice.contains(&inner) && failed(visit(inner, reason)))
        return failure();
    Affine next = values.lookup(nextState);
    if (!next.coefficient) {
      reason = "the next state does not depend on the state";
      return failure();
    }
    a = next.coefficient;
    bValue = next.offset ? next.offset : zero();
    return success();
  }

private:
  RecurrenceOp op;
  unsigned stateIndex;
  OpBuilder &b;
  Location loc;
  RankedTensorType stateType, sequenceType;
  llvm::DenseMap<Value, Affine> values;
  /// State-free constants and weights that cannot be widened to whole
  /// sequences.
  llvm::DenseSet<Value> opaque;
  /// The other states' block arguments, with their indices.
  llvm::DenseMap<Value, unsigned> otherStates;
  /// State-shaped weights' block arguments, with the op's operands.
  llvm::DenseMap<Value, Value> weights;

  Value splat(double v) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(sequenceType,
                                       b.getFloatAttr(sequenceType.getElementType(), v)));
  }
  /// The state's own coefficient, one splat shared so that products with
  /// it fold away.
  Value unit;
  Value one() {
    if (!unit)
      unit = splat(1.0);
    return unit;
  }
  Value zero() { return splat(0.0); }
  Value add(Value x, Value y) {
    if (!x)
      return y;
    if (!y)
      return x;
    return arith::AddFOp::create(b, loc, x, y);
  }
  Value neg(Value x) { return x ? arith::NegFOp::create(b, loc, x) : x; }
  Value mul(Value x, Value c) {
    if (x && x == unit)
      return c;
    return x ? arith::MulFOp::create(b, loc, x, c) : x;
  }
  Value div(Value x, Value c) { return x ? arith::DivFOp::create(b, loc, x, c) : x; }

  /// What is known of body value `v`; a state-shaped weight is broadcast
  /// over time on first use.
  Affine lookup(Value v) {
    if (Value weight = weights.lookup(v); weight && !values.count(v)) {
      Value sequence = tensor::EmptyOp::create(b, loc, sequenceType.getShape(),
                                               sequenceType.getElementType());
      values[v] = {Value(), linalg::BroadcastOp::create(
                                b, loc, weight, sequence, ArrayRef<int64_t>{1})
                                .getResult()[0]};
    }
    return values.lookup(v);
  }
  /// The whole-sequence value of a state-free body value.
  Value independent(Value v) { return lookup(v).offset; }

  LogicalResult visit(Operation &inner, std::string &reason) {
    auto name = [&] { return inner.getName().getStringRef().str(); };
    // Constants: splats of the state's shape become splats of the
    // sequence's shape.
    if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
      auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
      if (!dense || !dense.isSplat() || constant.getType() != stateType) {
        // Fine as long as nothing needs it over whole sequences.
        opaque.insert(constant);
        return success();
      }
      values[constant] = {Value(), splat(dense.getSplatValue<APFloat>().convertToDouble())};
      return success();
    }
    for (Value v : inner.getOperands())
      if (otherStates.count(v)) {
        reason = "the update of state #" + std::to_string(stateIndex) +
                 " reads state #" + std::to_string(otherStates.lookup(v)) +
                 " through '" + name() +
                 "' (coupled states are not a diagonal recurrence)";
        return failure();
      }
    bool dependsOnState = llvm::any_of(inner.getOperands(), [&](Value v) {
      return bool(lookup(v).coefficient);
    });
    bool elementwise = inner.getNumResults() == 1 &&
                       inner.getResult(0).getType() == stateType &&
                       llvm::all_of(inner.getOperandTypes(),
                                    [&](Type t) { return t == stateType; }) &&
                       OpTrait::hasElementwiseMappableTraits(&inner);
    if (!elementwise) {
      reason = "'" + name() + "' is not an elementwise op on the state's "
               "shape (a channel-mixing op makes the recurrence non-diagonal)";
      return failure();
    }
    if (!dependsOnState) {
      for (Value v : inner.getOperands())
        if (opaque.contains(v)) {
          reason = "'" + name() +
                   "' uses a constant or weight not shaped like the state";
          return failure();
        }
      // Re-applied to whole sequences: same op, sequence-shaped operands.
      IRMapping mapping;
      for (Value v : inner.getOperands())
        mapping.map(v, independent(v));
      Operation *clone = b.clone(inner, mapping);
      clone->getResult(0).setType(sequenceType);
      values[inner.getResult(0)] = {Value(), clone->getResult(0)};
      return success();
    }
    Affine x = lookup(inner.getOperand(0));
    Affine y = inner.getNumOperands() > 1 ? lookup(inner.getOperand(1))
                                          : Affine{};
    Affine result;
    if (isa<arith::AddFOp>(inner)) {
      result = {add(x.coefficient, y.coefficient), add(x.offset, y.offset)};
    } else if (isa<arith::SubFOp>(inner)) {
      result = {add(x.coefficient, neg(y.coefficient)), add(x.offset, neg(y.offset))};
    } else if (isa<arith::NegFOp>(inner)) {
      result = {neg(x.coefficient), neg(x.offset)};
    } else if (isa<arith::MulFOp>(inner) && (!x.coefficient || !y.coefficient)) {
      Affine affine = x.coefficient ? x : y;
      Value factor = x.coefficient ? y.offset : x.offset;
      result = {mul(affine.coefficient, factor), mul(affine.offset, factor)};
    } else if (isa<arith::DivFOp>(inner) && !y.coefficient) {
      result = {div(x.coefficient, y.offset), div(x.offset, y.offset)};
    } else {
      reason = "'" + name() + "' is not affine in the state";
      return failure();
    }
    values[inner.getResult(0)] = result;
    return success();
  }
};

/// Rewrites `op` into seq.linear_scan when its body is affine in its state;
/// otherwise leaves it and, with `remarks`, says why.
struct AffineRecurrenceToLinearScan {
  bool remarks;

  LogicalResult rewrite(RecurrenceOp op, RewriterBase &rewriter) const {
    auto reject = [&](const Twine &why) {
      if (remarks)
        op.emitRemark() << "stays a recurrence: " << why;
      return failure();
    };
    if (op.getFormAttr() &&
        op.getFormAttr().getKind() != FormKind::sequential)
      return failure();
    Block &body = op.getBody().front();
    unsigned numStates = op.getFinalStates().size();
    ValueRange yielded = body.getTerminator()->getOperands();
    // Per-step outputs must be new states themselves.
    SmallVector<unsigned> outputState;
    for (Value output : yielded.drop_front(numStates)) {
      auto it = llvm::find(yielded.take_front(numStates), output);
      if (it == yielded.begin() + numStates)
        return reject("a per-step output is not a new state");
      outputState.push_back(it - yielded.begin());
    }
    for (Value next : yielded.take_front(numStates))
      if (!isa<FloatType>(getElementTypeOrSelf(next.getType())))
        return reject("a state is not a float tensor");

    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    // One diagonal linear recurrence per state, each built into a scratch
    // block first: a failed analysis leaves no IR.
    Block scratch;
    OpBuilder scratchBuilder(op.getContext());
    scratchBuilder.setInsertionPointToStart(&scratch);
    SmallVector<std::pair<Value, Value>> coefficients;
    for (unsigned s = 0; s < numStates; ++s) {
      AffineAnalysis analysis(op, s, scratchBuilder);
      Value a, b;
      std::string reason;
      if (failed(analysis.run(a, b, reason))) {
        while (!scratch.empty())
          scratch.back().erase();
        return reject(reason);
      }
      coefficients.push_back({a, b});
    }
    // Move the a/b computations before the op.
    rewriter.getInsertionBlock()->getOperations().splice(
        rewriter.getInsertionPoint(), scratch.getOperations());
    SmallVector<Value> sequences, finals;
    for (auto [s, ab] : llvm::enumerate(coefficients)) {
      Value init = op.getInit().empty() ? Value() : op.getInit()[s];
      auto hType = cast<RankedTensorType>(ab.first.getType());
      auto scan = LinearScanOp::create(
          rewriter, op.getLoc(), hType,
          cast<RankedTensorType>(op.getFinalStates()[s].getType()), ab.first,
          ab.second, init, op.getFormAttr());
      sequences.push_back(scan.getH());
      finals.push_back(scan.getFinalState());
    }
    SmallVector<Value> results;
    for (unsigned s : outputState)
      results.push_back(sequences[s]);
    llvm::append_range(results, finals);
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct SeqCanonicalizePass
    : seqc::seq::impl::SeqCanonicalizeBase<SeqCanonicalizePass> {
  using SeqCanonicalizeBase::SeqCanonicalizeBase;
  void runOnOperation() override {
    // One decision per recurrence (a greedy driver would revisit, and
    // repeat the remarks).
    SmallVector<RecurrenceOp> recurrences;
    getOperation()->walk([&](RecurrenceOp op) { recurrences.push_back(op); });
    IRRewriter rewriter(&getContext());
    AffineRecurrenceToLinearScan converter{remarks};
    for (RecurrenceOp op : recurrences)
      (void)converter.rewrite(op, rewriter);
  }
};

} // namespace
