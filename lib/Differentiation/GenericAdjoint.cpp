//===- GenericAdjoint.cpp - the derivative rule of linalg.generic ---------===//
//
// An elementwise body f over an iteration space with indexing maps: the
// cotangent of operand k at each point is g . df/dx_k there, summed over
// the points that read the same element (the loop dims its map does not
// index become reduction dims). The backward is itself linalg.generic ops
// that recompute the body and run its scalar reverse sweep: one generic
// for all operands whose maps index every loop (multiple results, all
// parallel), one per broadcast operand. Maps may fix a dim to a constant
// (the gate slices of an LSTM cell read [B, gate, ...] at gate 0..3): the
// cotangent is computed without that dim and written into zeros at it.
//
// Reductions: a generic with reduction loops is supported when its body
// accumulates additively (yield out + x, out not otherwise used): the
// cotangent of every summand is the result's, and so is the initial
// value's.
//
//===----------------------------------------------------------------------===//
#include "seqc/Differentiation/Adjoint.h"
#include "seqc/Differentiation/Differentiate.h"

#include "lib/Differentiation/ScalarAdjoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace seqc::ad {
namespace {

/// Operand k's map with its constant results dropped (which must leave a
/// projected permutation); the dropped positions and constants.
struct CotangentMap {
  AffineMap map;
  SmallVector<std::pair<unsigned, int64_t>> fixed;
  /// Results `d floordiv c` (an operand shared by groups of c along loop
  /// d, as Mamba-2's grouped heads): the position among `map`'s results,
  /// and c. The cotangent is computed along d and summed over each group.
  SmallVector<std::pair<unsigned, int64_t>> grouped;
  bool coversAllLoops() const {
    return map.getNumResults() == map.getNumDims();
  }
};

FailureOr<CotangentMap> cotangentMapOf(AffineMap map, MLIRContext *context) {
  CotangentMap result;
  SmallVector<AffineExpr> kept;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
      result.fixed.push_back({unsigned(i), constant.getValue()});
      continue;
    }
    if (auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
        binary && binary.getKind() == AffineExprKind::FloorDiv &&
        isa<AffineDimExpr>(binary.getLHS()) &&
        isa<AffineConstantExpr>(binary.getRHS()) &&
        cast<AffineConstantExpr>(binary.getRHS()).getValue() > 0) {
      result.grouped.push_back(
          {unsigned(kept.size()),
           cast<AffineConstantExpr>(binary.getRHS()).getValue()});
      kept.push_back(binary.getLHS());
      continue;
    }
    if (!isa<AffineDimExpr>(expr))
      return failure();
    kept.push_back(expr);
  }
  result.map = AffineMap::get(map.getNumDims(), 0, kept, context);
  if (!result.map.isProjectedPermutation())
    return failure();
  return result;
}

/// An operand whose cotangent a backward generic builds.
struct CotangentTarget {
  OpOperand *operand;
  CotangentMap map;
};

/// For a generic with reduction loops: whether every yielded value that
/// depends on its output block argument is `out + x` with `out` used
/// nowhere else.
bool accumulatesAdditively(linalg::GenericOp generic) {
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  for (auto [i, out] : llvm::enumerate(generic.getRegionOutputArgs())) {
    if (out.use_empty())
      continue;
    auto add = yield.getOperand(i).getDefiningOp<arith::AddFOp>();
    if (!add || !out.hasOneUse() ||
        (add.getLhs() != out && add.getRhs() != out))
      return false;
  }
  return true;
}

/// `tensor` with dimension `position` (of size n c) summed over each group
/// of c consecutive entries: size n.
Value sumGroups(OpBuilder &b, Location loc, Value tensor, unsigned position,
                int64_t factor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<int64_t> expandedShape, reducedShape;
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    int64_t size = type.getDimSize(d);
    if (d == position) {
      groups.push_back({int64_t(expandedShape.size()),
                        int64_t(expandedShape.size()) + 1});
      expandedShape.push_back(size / factor);
      expandedShape.push_back(factor);
      reducedShape.push_back(size / factor);
      continue;
    }
    groups.push_back({int64_t(expandedShape.size())});
    expandedShape.push_back(size);
    reducedShape.push_back(size);
  }
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(expandedShape, type.getElementType()),
      tensor, groups);
  unsigned rank = expandedShape.size();
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (unsigned d = 0; d < rank; ++d) {
    bool summed = d == position + 1;
    iterators.push_back(summed ? utils::IteratorType::reduction
                               : utils::IteratorType::parallel);
    if (!summed)
      outExprs.push_back(b.getAffineDimExpr(d));
  }
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outExprs,
                                                b.getContext())};
  auto reducedType = RankedTensorType::get(reducedShape, type.getElementType());
  return linalg::GenericOp::create(
             b, loc, reducedType, expanded, zerosOf(b, loc, reducedType), maps,
             iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Value sum = arith::AddFOp::create(nb, nl, args[1], args[0]);
               linalg::YieldOp::create(nb, nl, sum);
             })
      .getResult(0);
}

/// `generic` without the recomputed body ops its cotangents do not need,
/// and without the inputs nothing reads then: the derivative of a sum does
/// not read the summands, and an input the backward does not read must not
/// become a residual of the forward function.
linalg::GenericOp dropUnusedInputs(linalg::GenericOp generic, OpBuilder &b) {
  Block &body = generic.getRegion().front();
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();
  SmallVector<unsigned> kept;
  for (unsigned i = 0; i < generic.getNumDpsInputs(); ++i)
    if (!body.getArgument(i).use_empty())
      kept.push_back(i);
  if (int64_t(kept.size()) == generic.getNumDpsInputs())
    return generic;
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  auto allMaps = generic.getIndexingMapsArray();
  for (unsigned i : kept) {
    inputs.push_back(generic.getDpsInputs()[i]);
    maps.push_back(allMaps[i]);
  }
  for (unsigned i = generic.getNumDpsInputs(); i < allMaps.size(); ++i)
    maps.push_back(allMaps[i]);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(generic);
  auto slim = linalg::GenericOp::create(
      b, generic.getLoc(), generic.getResultTypes(), inputs,
      generic.getDpsInits(), maps, generic.getIteratorTypesArray());
  slim.getRegion().takeBody(generic.getRegion());
  llvm::BitVector unused(slim.getRegion().front().getNumArguments());
  for (unsigned i = 0; i < generic.getNumDpsInputs(); ++i)
    if (!llvm::is_contained(kept, i))
      unused.set(i);
  slim.getRegion().front().eraseArguments(unused);
  generic.replaceAllUsesWith(slim.getResults());
  generic.erase();
  return slim;
}

struct GenericAdjoint
    : AdjointOpInterface::ExternalModel<GenericAdjoint, linalg::GenericOp> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto generic = cast<linalg::GenericOp>(op);
    Location loc = op->getLoc();
    MLIRContext *context = op->getContext();
    OpBuilder &b = adjoints.builder();
    bool reduces = generic.getNumReductionLoops() > 0;
    if (reduces && !accumulatesAdditively(generic))
      return op->emitOpError(
          "has no derivative rule: it reduces other than by addition");

    // The results that carry a cotangent, and the outs operand each one's
    // initial value came from (its cotangent, for an additive reduction or
    // a body that ignores it, is the result's as far as the body passes it
    // on).
    SmallVector<unsigned> seeded;
    for (unsigned j = 0; j < generic.getNumResults(); ++j)
      if (adjoints.cotangent(generic.getResult(j)))
        seeded.push_back(j);
    if (seeded.empty())
      return success();

    // The operands whose cotangents we build: differentiable, read by the
    // body. For an additive reduction the output argument is not
    // differentiated through the body: its cotangent is the result's.
    SmallVector<CotangentTarget> wide, narrow;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isDifferentiableType(operand.get().getType()))
        continue;
      BlockArgument arg = generic.getMatchingBlockArgument(&operand);
      if (arg.use_empty())
        continue;
      bool isOut = generic.isDpsInit(&operand);
      if (isOut && reduces) {
        unsigned j = generic.getTiedOpResult(&operand).getResultNumber();
        adjoints.accumulate(operand.get(),
                            adjoints.cotangent(generic.getResult(j)), loc);
        continue;
      }
      auto map =
          cotangentMapOf(generic.getMatchingIndexingMap(&operand), context);
      if (failed(map)) {
        std::string text;
        llvm::raw_string_ostream os(text);
        generic.getMatchingIndexingMap(&operand).print(os);
        return op->emitOpError("has no derivative rule for the indexing map ")
               << text << " of operand #" << operand.getOperandNumber();
      }
      (map->coversAllLoops() && !reduces ? wide : narrow)
          .push_back({&operand, *map});
    }
    if (!wide.empty() && failed(buildCotangents(generic, wide, seeded,
                                                adjoints, b, loc)))
      return failure();
    for (CotangentTarget &target : narrow)
      if (failed(buildCotangents(generic, ArrayRef(target), seeded, adjoints,
                                 b, loc)))
        return failure();
    return success();
  }

  static LogicalResult buildCotangents(linalg::GenericOp generic,
                                       ArrayRef<CotangentTarget> targets,
                                       ArrayRef<unsigned> seeded,
                                       AdjointBuilder &adjoints, OpBuilder &b,
                                       Location loc) {
    unsigned loops = generic.getNumLoops();
    // ins: every original operand (the body recomputed), then the seeded
    // results' cotangents; outs: one accumulator per target.
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand &operand : generic->getOpOperands()) {
      inputs.push_back(operand.get());
      maps.push_back(generic.getMatchingIndexingMap(&operand));
    }
    for (unsigned j : seeded) {
      inputs.push_back(adjoints.cotangent(generic.getResult(j)));
      maps.push_back(generic.getIndexingMapMatchingResult(
          cast<OpResult>(generic.getResult(j))));
    }
    SmallVector<Value> accumulators;
    SmallVector<Type> resultTypes;
    llvm::SmallBitVector indexed(loops);
    for (const CotangentTarget &target : targets) {
      auto operandType = cast<RankedTensorType>(target.operand->get().getType());
      SmallVector<int64_t> shape;
      for (AffineExpr expr : target.map.map.getResults()) {
        unsigned dim = cast<AffineDimExpr>(expr).getPosition();
        indexed.set(dim);
        shape.push_back(generic.getStaticLoopRanges()[dim]);
      }
      auto type = RankedTensorType::get(shape, operandType.getElementType());
      accumulators.push_back(zerosOf(b, loc, type));
      resultTypes.push_back(type);
      maps.push_back(target.map.map);
    }
    SmallVector<utils::IteratorType> iterators;
    for (unsigned d = 0; d < loops; ++d)
      iterators.push_back(indexed.test(d) ? utils::IteratorType::parallel
                                          : utils::IteratorType::reduction);

    Block &primalBody = generic.getRegion().front();
    LogicalResult bodyResult = success();
    auto backward = linalg::GenericOp::create(
        b, loc, resultTypes, inputs, accumulators, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          unsigned numPrimal = generic->getNumOperands();
          IRMapping mapping;
          for (auto [arg, value] :
               llvm::zip(primalBody.getArguments(), args.take_front(numPrimal)))
            mapping.map(arg, value);
          SmallVector<Operation *> recomputed;
          for (Operation &primalOp : primalBody.without_terminator())
            recomputed.push_back(nb.clone(primalOp, mapping));
          auto yield = cast<linalg::YieldOp>(primalBody.getTerminator());
          DenseMap<Value, Value> cotangents;
          for (auto [k, j] : llvm::enumerate(seeded))
            accumulateScalar(nb, nl, cotangents,
                             mapping.lookupOrDefault(yield.getOperand(j)),
                             args[numPrimal + k]);
          // An additive reduction's output argument is a constant here.
          if (failed(backpropagateScalars(nb, recomputed, cotangents)))
            bodyResult = failure();
          SmallVector<Value> results;
          ValueRange accs = args.take_back(targets.size());
          for (auto [target, acc] : llvm::zip(targets, accs)) {
            Value arg = args[target.operand->getOperandNumber()];
            Value ct = cotangents.lookup(arg);
            results.push_back(ct ? Value(arith::AddFOp::create(nb, nl, acc, ct))
                                 : acc);
          }
          linalg::YieldOp::create(nb, nl, results);
        });
    if (failed(bodyResult))
      return failure();
    backward = dropUnusedInputs(backward, b);

    for (auto [target, result] : llvm::zip(targets, backward.getResults())) {
      Value operand = target.operand->get();
      auto operandType = cast<RankedTensorType>(operand.getType());
      Value summed = result;
      for (auto [position, factor] : target.map.grouped)
        summed = sumGroups(b, loc, summed, position, factor);
      Value ct = summed;
      if (!target.map.fixed.empty()) {
        // Written into zeros at the constant positions (a rank-reducing
        // insert_slice drops those unit dims).
        SmallVector<OpFoldResult> offsets, sizes,
            strides(operandType.getRank(), b.getIndexAttr(1));
        for (int64_t d = 0; d < operandType.getRank(); ++d) {
          offsets.push_back(b.getIndexAttr(0));
          sizes.push_back(b.getIndexAttr(operandType.getDimSize(d)));
        }
        for (auto [position, value] : target.map.fixed) {
          offsets[position] = b.getIndexAttr(value);
          sizes[position] = b.getIndexAttr(1);
        }
        ct = tensor::InsertSliceOp::create(b, loc, summed,
                                           zerosOf(b, loc, operandType),
                                           offsets, sizes, strides);
      } else if (summed.getType() != operandType) {
        return generic.emitOpError("has no derivative rule for operand #")
               << target.operand->getOperandNumber()
               << " (its map does not index it in order)";
      }
      adjoints.accumulate(operand, ct, loc);
    }
    return success();
  }
};

} // namespace

void attachGenericAdjoint(MLIRContext &context) {
  linalg::GenericOp::attachInterface<GenericAdjoint>(context);
}

} // namespace seqc::ad
