//===- Adjoint.cpp - the derivative rule of seq.recurrence ----------------===//
//
// Backpropagation through time, as a seq.recurrence again: the backward
// recurrence runs over reversed time; its body is the forward step
// recomputed from the saved state and the step's kept recurrent products
// (h R: the forward outputs them per step, seq.kept_products, so that the
// backward does not multiply them again; cuDNN keeps its gates likewise),
// followed by that step's reverse sweep (the body differentiated op by op
// with the same rules as the function around it). Its states are the
// cotangents of the forward states and the running sums of the weights'
// cotangents; its outputs are the inputs' cotangents per step:
//
//   per step t = T-1 .. 0, with s = the state before step t:
//     (s', y_t) = step(x_t, s, W)                       -- recomputed
//     (dx_t, ds, dW_t) = vjp(step)(dstate, dy_t)
//     dstate <- ds;  dW <- dW + dW_t
//
// Weight cotangents are not summed step by step where that can be avoided:
// a weight that reaches the step only as the right operand of matmuls or
// batch_matmuls (through reshapes and transposes) whose left operand has
// the batch as its rows gets, per step, that left operand and the product's
// cotangent as outputs of the backward recurrence, and its cotangent is one
// contraction over all rows and steps afterwards (dR = sum_t h_t^T dG_t, as
// cuDNN and FlashRNN compute it). Any other weight is summed in the
// backward recurrence, as a declared accumulator state.
//
// The residuals are the state before every step and the recurrent products
// of every step. The forward op is rewritten to output its states after
// every step (a state it already yields as an output is not stored twice)
// and its products; the states before each step are those shifted by one
// with the initial state first. With checkpoints, only the states before
// each segment are kept, and each segment's recomputation outputs its
// products for the segment's backward.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/Recurrence/Recurrence.h"
#include "lib/Families/Recurrence/StepResiduals.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::ad;
using namespace seqc::families;

namespace {
/// A contraction of the step whose right operand is a view of a weight.
struct WeightContraction {
  /// In the forward body.
  linalg::LinalgOp contraction;
  /// The views from the weight argument to the right operand, in order.
  SmallVector<Operation *> views;
};
} // namespace

/// The contractions through which weight `arg` reaches the step, when that
/// is its only way in and each one's left operand has the batch as its
/// rows; none otherwise (the weight is then summed step by step).
static std::optional<SmallVector<WeightContraction>>
weightContractions(BlockArgument arg, int64_t batch) {
  SmallVector<WeightContraction> found;
  SmallVector<std::pair<Value, SmallVector<Operation *>>> worklist = {
      {arg, {}}};
  while (!worklist.empty()) {
    auto [value, views] = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
              linalg::TransposeOp>(user) &&
          use.getOperandNumber() == 0) {
        SmallVector<Operation *> longer(views);
        longer.push_back(user);
        worklist.push_back({user->getResult(0), longer});
        continue;
      }
      auto contraction = dyn_cast<linalg::LinalgOp>(user);
      bool batched = isa<linalg::BatchMatmulOp>(user);
      if (!contraction || !isa<linalg::MatmulOp, linalg::BatchMatmulOp>(user) ||
          use.getOperandNumber() != 1 || contraction.hasUserDefinedMaps())
        return std::nullopt;
      auto lhs = cast<RankedTensorType>(user->getOperand(0).getType());
      if (lhs.getDimSize(batched ? 1 : 0) != batch ||
          lhs.getElementType() !=
              getElementTypeOrSelf(user->getOperand(1).getType()) ||
          lhs.getElementType() != getElementTypeOrSelf(user->getResult(0)))
        return std::nullopt;
      found.push_back({contraction, views});
    }
  }
  return found;
}

/// sum over rows and steps of lhs^T g, from the per-step operands stacked
/// as [B, T, X] (matmul) or [B, T, nb, X] (batch_matmul).
static Value contractOverSteps(OpBuilder &b, Location loc, Value lhs, Value g,
                               bool batched) {
  auto collapse = [&](Value v) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (!batched)
      return tensor::CollapseShapeOp::create(
          b, loc, v, SmallVector<ReassociationIndices>{{0, 1}, {2}});
    (void)type;
    Value headsFirst = transposeTensor(b, loc, v, {2, 0, 1, 3});
    return tensor::CollapseShapeOp::create(
        b, loc, headsFirst,
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}});
  };
  Value rows = collapse(lhs), gs = collapse(g);
  Value lhsT = transposeTensor(b, loc, rows,
                               batched ? SmallVector<int64_t>{0, 2, 1}
                                       : SmallVector<int64_t>{1, 0});
  auto lhsType = cast<RankedTensorType>(lhsT.getType());
  auto gType = cast<RankedTensorType>(gs.getType());
  SmallVector<int64_t> shape(lhsType.getShape().drop_back());
  shape.push_back(gType.getShape().back());
  Value zeros = zerosOf(
      b, loc, RankedTensorType::get(shape, lhsType.getElementType()));
  if (batched)
    return linalg::BatchMatmulOp::create(b, loc, ValueRange{lhsT, gs},
                                         ValueRange{zeros})
        .getResult(0);
  return linalg::MatmulOp::create(b, loc, ValueRange{lhsT, gs},
                                  ValueRange{zeros})
      .getResult(0);
}

namespace {
/// What the backward of a recurrence differentiates, decided once.
struct BackwardPlan {
  /// The inputs, and the weights summed in the loop, that take cotangents.
  SmallVector<unsigned> dInputs, summedWeights;
  /// The weights whose cotangent is one contraction after the loop.
  SmallVector<std::pair<unsigned, WeightContraction>> hoisted;
  /// The outputs whose cotangents reach the op.
  SmallVector<unsigned> seededOutputs;
};

/// What one backward recurrence over a stretch of steps returns, in
/// forward time order.
struct BackwardResult {
  /// Per differentiated input, its cotangent sequence.
  SmallVector<Value> dInputs;
  /// Per hoisted contraction, its left operand and its product's cotangent
  /// per step, rows first.
  SmallVector<Value> hoistedLhs, hoistedGrad;
  /// The cotangents of the states before the stretch, then the summed
  /// weights' running cotangents.
  SmallVector<Value> finals;
};
} // namespace

/// [B, T, X...] -> [B, X...].
static RankedTensorType stepTypeOf(Type sequence) {
  auto type = cast<RankedTensorType>(sequence);
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 1);
  return RankedTensorType::get(shape, type.getElementType());
}

/// A recurrence body block: one step slice per sequence of `inputs`, the
/// states (typed as `init`), the weights.
static Block *stepBlock(Location loc, ValueRange inputs, ValueRange init,
                        ValueRange weights) {
  Block *body = new Block();
  for (Value v : inputs)
    body->addArgument(stepTypeOf(v.getType()), loc);
  for (Value v : init)
    body->addArgument(v.getType(), loc);
  for (Value w : weights)
    body->addArgument(w.getType(), loc);
  return body;
}

/// The backward recurrence of `op` over the steps whose inputs are `xs`
/// ([B, S, ...] each), starting from the states `before` each step, with
/// output cotangents `gys` (one per seeded output), from the state
/// cotangents `stateCotangents` after the last of these steps and the
/// running weight cotangents `sums`; `weights` are op's weights as seen
/// where it is built.
///
/// `products`, when given, holds per hoisted contraction its product of
/// every step, rows first ([B, S, ...]), kept by the forward: the step's
/// recomputation reads it instead of multiplying again (its reverse sweep
/// still differentiates the contraction, which reads only its operands).
static FailureOr<BackwardResult>
buildBackward(OpBuilder &b, Location loc, RecurrenceOp op,
              const BackwardPlan &plan, ValueRange xs, ValueRange before,
              ValueRange gys, ValueRange stateCotangents, ValueRange sums,
              ValueRange weights, ValueRange products = {}) {
  unsigned numInputs = op.getInputs().size();
  unsigned numStates = op.getFinalStates().size();
  unsigned numWeights = op.getWeights().size();
  int64_t steps = cast<RankedTensorType>(xs[0].getType()).getDimSize(1);
  SmallVector<Value> inputs;
  for (Value v : xs)
    inputs.push_back(reverseTime(b, loc, v));
  for (Value v : before)
    inputs.push_back(reverseTime(b, loc, v));
  for (Value v : gys)
    inputs.push_back(reverseTime(b, loc, v));
  for (Value v : products)
    inputs.push_back(reverseTime(b, loc, v));
  SmallVector<Value> init(stateCotangents.begin(), stateCotangents.end());
  init.append(sums.begin(), sums.end());
  SmallVector<Type> outputTypes, finalTypes;
  for (unsigned i : plan.dInputs)
    outputTypes.push_back(xs[i].getType());
  // Per hoisted contraction: its left operand and its product's cotangent,
  // rows first, per step.
  auto rowsFirstSequence = [&](Type stepValue, bool batched) {
    auto type = cast<RankedTensorType>(stepValue);
    SmallVector<int64_t> shape(type.getShape());
    if (batched)
      std::swap(shape[0], shape[1]);
    shape.insert(shape.begin() + 1, steps);
    return RankedTensorType::get(shape, type.getElementType());
  };
  for (auto &[k, c] : plan.hoisted) {
    bool batched = isa<linalg::BatchMatmulOp>(c.contraction);
    outputTypes.push_back(
        rowsFirstSequence(c.contraction->getOperand(0).getType(), batched));
    outputTypes.push_back(
        rowsFirstSequence(c.contraction->getResult(0).getType(), batched));
  }
  for (Value v : init)
    finalTypes.push_back(v.getType());

  auto backward = RecurrenceOp::create(
      b, loc, outputTypes, finalTypes, inputs, init, weights, FormAttr(),
      b.getI64IntegerAttr(plan.summedWeights.size()));
  Block *body = stepBlock(loc, inputs, init, op.getWeights());
  backward.getBody().push_back(body);
  auto args = body->getArguments();
  auto xArgs = args.take_front(numInputs);
  auto sArgs = args.slice(numInputs, numStates);
  auto dyArgs = args.slice(numInputs + numStates, plan.seededOutputs.size());
  auto productArgs = args.slice(
      numInputs + numStates + plan.seededOutputs.size(), products.size());
  unsigned stateBase = inputs.size();
  auto dsArgs = args.slice(stateBase, numStates);
  auto dwArgs = args.slice(stateBase + numStates, plan.summedWeights.size());
  auto wArgs = args.take_back(numWeights);

  // The forward step, recomputed from the saved state.
  Block &forwardBody = op.getBody().front();
  auto forwardArgs = forwardBody.getArguments();
  OpBuilder bb = OpBuilder::atBlockEnd(body);
  IRMapping mapping;
  mapping.map(forwardArgs.take_front(numInputs), xArgs);
  mapping.map(forwardArgs.slice(numInputs, numStates), sArgs);
  mapping.map(forwardArgs.take_back(numWeights), wArgs);
  SmallVector<Operation *> recomputed;
  for (Operation &forwardOp : forwardBody.without_terminator())
    recomputed.push_back(bb.clone(forwardOp, mapping));
  auto forwardYield = cast<YieldOp>(forwardBody.getTerminator());

  // Its reverse sweep; the hoisted weights' cotangents are not built here.
  AdjointBuilder step(bb);
  for (auto &[k, c] : plan.hoisted) {
    step.markInactive(wArgs[k]);
    for (Operation *view : c.views)
      step.markInactive(mapping.lookup(view->getResult(0)));
  }
  for (unsigned j = 0; j < numStates; ++j)
    step.accumulate(mapping.lookupOrDefault(forwardYield.getOperand(j)),
                    dsArgs[j], loc);
  for (auto [k, m] : llvm::enumerate(plan.seededOutputs))
    step.accumulate(
        mapping.lookupOrDefault(forwardYield.getOperand(numStates + m)),
        dyArgs[k], loc);
  if (failed(step.backpropagate(recomputed)))
    return failure();
  SmallVector<Value> yielded;
  for (Value s : sArgs)
    yielded.push_back(step.cotangentOrZeros(s, loc));
  for (auto [k, index] : llvm::enumerate(plan.summedWeights)) {
    Value dw = step.cotangent(wArgs[index]);
    yielded.push_back(dw ? addTensors(bb, loc, dwArgs[k], dw) : dwArgs[k]);
  }
  for (unsigned i : plan.dInputs)
    yielded.push_back(step.cotangentOrZeros(xArgs[i], loc));
  for (auto &[k, c] : plan.hoisted) {
    bool batched = isa<linalg::BatchMatmulOp>(c.contraction);
    Value lhs = mapping.lookup(c.contraction->getOperand(0));
    Value product = mapping.lookup(c.contraction->getResult(0));
    yielded.push_back(rowsFirst(bb, loc, lhs, batched));
    yielded.push_back(
        rowsFirst(bb, loc, step.cotangentOrZeros(product, loc), batched));
  }
  YieldOp::create(bb, loc, yielded);
  // The kept products replace the recomputed ones (whose contractions are
  // then dead: canonicalization erases them).
  for (auto [h, entry] : llvm::enumerate(plan.hoisted)) {
    if (h >= products.size())
      break;
    bool batched = isa<linalg::BatchMatmulOp>(entry.second.contraction);
    Value product = mapping.lookup(entry.second.contraction->getResult(0));
    OpBuilder at(product.getDefiningOp());
    at.setInsertionPointAfter(product.getDefiningOp());
    Value kept = rowsFirst(at, loc, productArgs[h], batched);
    product.replaceUsesWithIf(kept, [&](OpOperand &use) {
      return use.getOwner() != kept.getDefiningOp();
    });
  }

  BackwardResult result;
  unsigned n = 0;
  for (; n < plan.dInputs.size(); ++n)
    result.dInputs.push_back(reverseTime(b, loc, backward.getOutputs()[n]));
  for (unsigned h = 0; h < plan.hoisted.size(); ++h) {
    // Summed over all steps afterwards: their order does not matter.
    result.hoistedLhs.push_back(backward.getOutputs()[n++]);
    result.hoistedGrad.push_back(backward.getOutputs()[n++]);
  }
  llvm::append_range(result.finals, backward.getFinalStates());
  return result;
}

/// [B, T, X...] -> [B, T/K, K, X...].
static Value segments(OpBuilder &b, Location loc, Value sequence,
                      int64_t every) {
  auto type = cast<RankedTensorType>(sequence.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0), type.getDimSize(1) / every,
                                every};
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
  for (int64_t d = 2; d < type.getRank(); ++d) {
    shape.push_back(type.getDimSize(d));
    groups.push_back({int64_t(shape.size()) - 1});
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), sequence,
      groups);
}

/// [B, T/K, K, X...] -> [B, T, X...].
static Value unsegment(OpBuilder &b, Location loc, Value segmented) {
  auto type = cast<RankedTensorType>(segmented.getType());
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
  for (int64_t d = 3; d < type.getRank(); ++d)
    groups.push_back({d});
  return tensor::CollapseShapeOp::create(b, loc, segmented, groups);
}

/// With checkpoints every K steps: the forward keeps the states before
/// each segment only; the backward is a recurrence over the segments in
/// reverse whose body recomputes the segment's states from its checkpoint
/// (a forward recurrence over K steps) and runs the segment's backward
/// recurrence (buildBackward).
static FailureOr<BackwardResult>
buildCheckpointedBackward(OpBuilder &b, Location loc, RecurrenceOp op,
                          const BackwardPlan &plan, ValueRange checkpoints,
                          ValueRange gys, ValueRange stateCotangents,
                          ValueRange sums, int64_t every,
                          AdjointBuilder &adjoints) {
  unsigned numInputs = op.getInputs().size();
  unsigned numStates = op.getFinalStates().size();
  SmallVector<Value> inputs;
  for (Value x : op.getInputs())
    inputs.push_back(reverseTime(b, loc, segments(b, loc, x, every)));
  for (Value c : checkpoints)
    inputs.push_back(reverseTime(b, loc, c));
  for (Value g : gys)
    inputs.push_back(reverseTime(b, loc, segments(b, loc, g, every)));
  SmallVector<Value> init(stateCotangents.begin(), stateCotangents.end());
  init.append(sums.begin(), sums.end());

  // Build the outer body first (into a detached block), then the op with
  // the types its yield has.
  Block *body = stepBlock(loc, inputs, init, op.getWeights());
  auto args = body->getArguments();
  auto xSegs = args.take_front(numInputs);
  auto ckpts = args.slice(numInputs, numStates);
  auto gySegs = args.slice(numInputs + numStates, gys.size());
  auto carried = args.slice(inputs.size(), init.size());
  auto wArgs = args.take_back(op.getWeights().size());
  // (The block has no region yet: the builder takes the context itself.)
  OpBuilder bb(op->getContext());
  bb.setInsertionPointToEnd(body);

  // The segment's forward states, recomputed from its checkpoint.
  SmallVector<Type> segmentOutputTypes;
  for (Type t : op.getOutputs().getTypes()) {
    auto type = cast<RankedTensorType>(t);
    SmallVector<int64_t> shape(type.getShape());
    shape[1] = every;
    segmentOutputTypes.push_back(
        RankedTensorType::get(shape, type.getElementType()));
  }
  auto segment = RecurrenceOp::create(
      bb, loc, segmentOutputTypes, op.getFinalStates().getTypes(), xSegs,
      ckpts, wArgs, FormAttr(), op.getAccumulatorsAttr());
  IRMapping cloneMap;
  op.getBody().cloneInto(&segment.getBody(), cloneMap);
  // (op outputs every state per step already: keepStatesPerStep.)
  SmallVector<Value> after;
  for (unsigned j = 0; j < numStates; ++j)
    after.push_back(segment.getOutputs()[*outputHoldingState(segment, j)]);
  // The segment's recurrent products too, from the same recomputation:
  // its backward does not multiply them a second time.
  SmallVector<linalg::LinalgOp> segmentContractions;
  for (const auto &entry : plan.hoisted) {
    Operation *contraction = entry.second.contraction;
    segmentContractions.push_back(
        cast<linalg::LinalgOp>(cloneMap.lookup(contraction)));
  }
  SmallVector<Value> products =
      keepProductsPerStep(segment, segmentContractions, after, adjoints);
  SmallVector<Value> before;
  for (unsigned j = 0; j < numStates; ++j)
    before.push_back(statesBeforeEachStep(bb, loc, ckpts[j], after[j]));
  auto inner = buildBackward(bb, loc, op, plan, xSegs, before, gySegs,
                             carried.take_front(numStates),
                             carried.drop_front(numStates), wArgs, products);
  if (failed(inner)) {
    delete body;
    return failure();
  }
  SmallVector<Value> yielded(inner->finals);
  llvm::append_range(yielded, inner->dInputs);
  for (unsigned h = 0; h < inner->hoistedLhs.size(); ++h) {
    yielded.push_back(inner->hoistedLhs[h]);
    yielded.push_back(inner->hoistedGrad[h]);
  }
  YieldOp::create(bb, loc, yielded);

  int64_t count = cast<RankedTensorType>(inputs[0].getType()).getDimSize(1);
  SmallVector<Type> outputTypes, finalTypes;
  for (Value v : ArrayRef(yielded).drop_front(init.size())) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.insert(shape.begin() + 1, count);
    outputTypes.push_back(RankedTensorType::get(shape, type.getElementType()));
  }
  for (Value v : init)
    finalTypes.push_back(v.getType());
  auto outer = RecurrenceOp::create(
      b, loc, outputTypes, finalTypes, inputs, init, op.getWeights(),
      FormAttr(), b.getI64IntegerAttr(plan.summedWeights.size()));
  outer.getBody().push_back(body);

  BackwardResult result;
  unsigned n = 0;
  auto forwardOrder = [&](Value v) {
    return unsegment(b, loc, reverseTime(b, loc, v));
  };
  for (; n < plan.dInputs.size(); ++n)
    result.dInputs.push_back(forwardOrder(outer.getOutputs()[n]));
  for (unsigned h = 0; h < plan.hoisted.size(); ++h) {
    result.hoistedLhs.push_back(forwardOrder(outer.getOutputs()[n++]));
    result.hoistedGrad.push_back(forwardOrder(outer.getOutputs()[n++]));
  }
  llvm::append_range(result.finals, outer.getFinalStates());
  return result;
}

LogicalResult families::buildRecurrenceAdjoint(RecurrenceOp op,
                                               AdjointBuilder &adjoints) {
  Location loc = op.getLoc();
  for (Type t : op->getResultTypes())
    if (!cast<RankedTensorType>(t).hasStaticShape())
      return op.emitOpError("has no derivative rule for dynamic shapes");
  int64_t steps = stepsOf(op);
  if (ShapedType::isDynamic(steps))
    return op.emitOpError("has no derivative rule without a sequence operand");

  SmallVector<Value> statesAfter = keepStatesPerStep(op, adjoints);
  unsigned numInputs = op.getInputs().size();
  unsigned numStates = op.getFinalStates().size();
  unsigned numWeights = op.getWeights().size();
  unsigned numOutputs = op.getOutputs().size();
  OpBuilder &b = adjoints.builder();

  BackwardPlan plan;
  SmallVector<Value> gys;
  for (unsigned m = 0; m < numOutputs; ++m)
    if (Value dy = adjoints.cotangent(op.getOutputs()[m])) {
      plan.seededOutputs.push_back(m);
      gys.push_back(dy);
    }
  Block &forwardBody = op.getBody().front();
  auto forwardArgs = forwardBody.getArguments();
  int64_t batch =
      cast<RankedTensorType>(op.getInputs()[0].getType()).getDimSize(0);
  for (unsigned i = 0; i < numInputs; ++i)
    if (isDifferentiableType(op.getInputs()[i].getType()))
      plan.dInputs.push_back(i);
  for (unsigned k = 0; k < numWeights; ++k) {
    if (!isDifferentiableType(op.getWeights()[k].getType()))
      continue;
    auto contractions =
        weightContractions(forwardArgs[numInputs + numStates + k], batch);
    if (!contractions) {
      plan.summedWeights.push_back(k);
      continue;
    }
    for (WeightContraction &c : *contractions)
      plan.hoisted.push_back({k, c});
  }
  SmallVector<Value> stateCotangents, sums;
  for (Value final : op.getFinalStates())
    stateCotangents.push_back(adjoints.cotangentOrZeros(final, loc));
  for (unsigned k : plan.summedWeights)
    sums.push_back(zerosOf(
        b, loc, cast<RankedTensorType>(op.getWeights()[k].getType())));

  // Checkpoints every K steps when asked for (the op's own
  // seq.checkpoint_every, else the sweep's policy) and K divides T;
  // otherwise the state before every step is kept.
  int64_t every = adjoints.checkpointEvery();
  if (IntegerAttr own = CheckpointEveryOf::get(op))
    every = own.getInt();
  bool checkpointed = every > 1 && every < steps && steps % every == 0;
  FailureOr<BackwardResult> backward = failure();
  if (checkpointed) {
    // The states before each segment, taken in the forward computation so
    // that only they outlive it.
    OpBuilder fb(op->getContext());
    fb.setInsertionPointAfter(op);
    SmallVector<Value> checkpoints;
    for (unsigned j = 0; j < numStates; ++j) {
      Value init = op.getInit().empty() ? Value() : op.getInit()[j];
      Value before = statesBeforeEachStep(fb, loc, init, statesAfter[j]);
      auto type = cast<RankedTensorType>(before.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), fb.getIndexAttr(0)),
          sizes, strides(type.getRank(), fb.getIndexAttr(1));
      for (int64_t d = 0; d < type.getRank(); ++d)
        sizes.push_back(fb.getIndexAttr(d == 1 ? steps / every
                                               : type.getDimSize(d)));
      strides[1] = fb.getIndexAttr(every);
      checkpoints.push_back(tensor::ExtractSliceOp::create(
          fb, loc, before, offsets, sizes, strides));
    }
    backward = buildCheckpointedBackward(
        b, loc, op, plan, checkpoints, gys, stateCotangents, sums, every,
        adjoints);
  } else {
    // Every step's state kept: its recurrent products too, so that the
    // backward does not multiply them again.
    SmallVector<linalg::LinalgOp> contractions;
    for (auto &entry : plan.hoisted)
      contractions.push_back(entry.second.contraction);
    SmallVector<Value> products =
        keepProductsPerStep(op, contractions, statesAfter, adjoints);
    SmallVector<Value> before;
    for (unsigned j = 0; j < numStates; ++j) {
      Value init = op.getInit().empty() ? Value() : op.getInit()[j];
      before.push_back(statesBeforeEachStep(b, loc, init, statesAfter[j]));
    }
    backward = buildBackward(b, loc, op, plan, op.getInputs(), before, gys,
                             stateCotangents, sums, op.getWeights(), products);
  }
  if (failed(backward))
    return failure();

  // The cotangents of the forward operands.
  for (auto [n, i] : llvm::enumerate(plan.dInputs))
    adjoints.accumulate(op.getInputs()[i], backward->dInputs[n], loc);
  if (!op.getInit().empty())
    for (unsigned j = 0; j < numStates; ++j)
      adjoints.accumulate(op.getInit()[j], backward->finals[j], loc);
  for (auto [k, index] : llvm::enumerate(plan.summedWeights))
    adjoints.accumulate(op.getWeights()[index],
                        backward->finals[numStates + k], loc);
  // A hoisted weight: one contraction over every row and step (the order
  // of the steps does not matter to the sum), then back through its views.
  for (auto [h, entry] : llvm::enumerate(plan.hoisted)) {
    auto &[k, c] = entry;
    bool batched = isa<linalg::BatchMatmulOp>(c.contraction);
    Value dView =
        contractOverSteps(b, loc, backward->hoistedLhs[h],
                          backward->hoistedGrad[h], batched);
    IRMapping views;
    views.map(forwardArgs[numInputs + numStates + k], op.getWeights()[k]);
    SmallVector<Operation *> cloned;
    for (Operation *view : c.views) {
      if (auto transpose = dyn_cast<linalg::TransposeOp>(view)) {
        // Its init is an empty tensor of the forward body: made anew.
        Value t = transposeTensor(b, loc, views.lookup(transpose.getInput()),
                                  transpose.getPermutation());
        views.map(transpose.getResult()[0], t);
        cloned.push_back(t.getDefiningOp());
        continue;
      }
      cloned.push_back(b.clone(*view, views));
    }
    Value rhs = views.lookupOrDefault(c.contraction->getOperand(1));
    adjoints.accumulate(rhs, dView, loc);
    if (failed(adjoints.backpropagate(cloned)))
      return failure();
  }
  return success();
}

LogicalResult families::differentiateAsRecurrence(Operation *op,
                                                  ValueRange inputs,
                                                  ValueRange inits,
                                                  StepBuilder step,
                                                  AdjointBuilder &adjoints) {
  Location loc = op->getLoc();
  Value output = op->getResult(0);
  ResultRange finals = op->getResults().drop_front();
  OpBuilder b(op);
  auto recurrence = RecurrenceOp::create(
      b, loc, TypeRange{output.getType()}, finals.getTypes(), inputs, inits,
      ValueRange{}, FormAttr(), b.getI64IntegerAttr(0));
  Block *body = new Block();
  recurrence.getBody().push_back(body);
  for (Value v : inputs) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.erase(shape.begin() + 1);
    body->addArgument(RankedTensorType::get(shape, type.getElementType()),
                      loc);
  }
  for (Value final : finals)
    body->addArgument(final.getType(), loc);
  OpBuilder bb = OpBuilder::atBlockEnd(body);
  auto args = body->getArguments();
  SmallVector<Value> yielded =
      step(bb, loc, args.take_front(inputs.size()),
           args.drop_front(inputs.size()));
  YieldOp::create(bb, loc, yielded);
  output.replaceAllUsesWith(recurrence.getOutputs()[0]);
  adjoints.transfer(output, recurrence.getOutputs()[0]);
  for (auto [old, kept] : llvm::zip(finals, recurrence.getFinalStates())) {
    old.replaceAllUsesWith(kept);
    adjoints.transfer(old, kept);
  }
  op->erase();
  return buildRecurrenceAdjoint(recurrence, adjoints);
}
