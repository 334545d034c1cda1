//===- WeightStationaryAnalysis.cpp - which steps stay on chip, and how ---===//
#include "lib/Conversion/SeqToGPU/WeightStationaryStep.h"

using namespace mlir;

namespace seqc::weight_stationary {

namespace {

/// Whether any op in `loop` may write the buffer `buffer` is a view of (an
/// op with unknown effects may).
bool writtenIn(scf::ForOp loop, Value buffer) {
  Value base = seqc::underlyingBuffer(buffer);
  return llvm::any_of(loop.getBody()->getOperations(), [&](Operation &op) {
    std::optional<SmallVector<MemoryEffects::EffectInstance>> effects =
        getEffectsRecursively(&op);
    return !effects ||
           llvm::any_of(*effects, [&](MemoryEffects::EffectInstance &e) {
             return isa<MemoryEffects::Write>(e.getEffect()) &&
                    (!e.getValue() ||
                     seqc::underlyingBuffer(e.getValue()) == base);
           });
  });
}

bool touches(Operation *op, Value buffer) {
  Value base = seqc::underlyingBuffer(buffer);
  return llvm::any_of(op->getOperands(), [&](Value v) {
    return isa<MemRefType>(v.getType()) && seqc::underlyingBuffer(v) == base;
  });
}

constexpr int64_t kWarps = seqc::kPersistentBlockThreads / 32;
/// f32 accumulators a thread may hold (4 per m16n8 tile it computes).
constexpr int64_t kAccumulatorRegisters = 64;

/// Whether `body` yields out + x * y with {x, y} = {extf(weight), state}
/// (`stateWidened`: extf(state)).
bool isSumOfProducts(Block *body, Value weight, Value state,
                     bool stateWidened) {
  if (body->getOperations().size() > 5)
    return false;
  Value out = body->getArguments().back();
  auto add = dyn_cast_or_null<arith::AddFOp>(
      body->getTerminator()->getOperand(0).getDefiningOp());
  if (!add || (add.getLhs() != out && add.getRhs() != out))
    return false;
  auto mul = (add.getLhs() == out ? add.getRhs() : add.getLhs())
                 .getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  auto is = [](Value v, Value arg, bool widened) {
    if (!widened)
      return v == arg;
    auto ext = v.getDefiningOp<arith::ExtFOp>();
    return ext && ext.getIn() == arg;
  };
  return (is(mul.getLhs(), weight, true) &&
          is(mul.getRhs(), state, stateWidened)) ||
         (is(mul.getRhs(), weight, true) &&
          is(mul.getLhs(), state, stateWidened));
}

/// The tensor-core plan of `step` (its units per block known), or nullopt
/// with `why` saying why its gates stay FMA (empty when the weights are
/// not 16-bit: nothing to say).
std::optional<WeightStationaryStep::TensorCores>
planTensorCores(WeightStationaryStep &step, int64_t fragmentRegisters,
                int64_t stateTerms, std::string &why) {
  linalg::GenericOp contraction = step.contraction;
  auto elementOf = [&](unsigned operand) {
    return cast<MemRefType>(contraction->getOperand(operand).getType())
        .getElementType();
  };
  Type weight = elementOf(step.weights);
  if (!isa<BFloat16Type, Float16Type>(weight) ||
      contraction.getNumDpsInputs() != 2)
    return std::nullopt;
  Type state = elementOf(step.state);
  WeightStationaryStep::TensorCores tc;
  tc.type = cast<FloatType>(weight);
  bool split = state.isF32();
  tc.stateTerms = split ? stateTerms : 1;
  if (!cast<MemRefType>(step.acc().getType()).getElementType().isF32()) {
    why = "the gates accumulate in a type other than f32";
    return std::nullopt;
  }
  if (split && !isa<BFloat16Type>(weight)) {
    why = "the state is f32 and the weights f16: f16 terms of the state "
          "would not keep f32's range";
    return std::nullopt;
  }
  if (!split && state != weight) {
    why = "the state's type is neither f32 nor the weights'";
    return std::nullopt;
  }
  Block *body = contraction.getBody();
  if (!isSumOfProducts(body, body->getArgument(step.weights),
                       body->getArgument(step.state), !split)) {
    why = "the contraction's body is not a sum of products of the state and "
          "the weights";
    return std::nullopt;
  }
  // The columns of a block's tile share the state's rows: the state may
  // index unit loops (heads) only if a block's units stay within one value
  // of them, so its units per block divide the units inner to them (the
  // heads map to blocks).
  AffineMap stateMap = contraction.getIndexingMapsArray()[step.state];
  for (unsigned d : step.columns)
    if (stateMap.isFunctionOfDim(d) && step.ranges[d] > 1) {
      why = "the state is indexed by a gate's loop: the columns of a "
            "block's tile would need different rows of the state";
      return std::nullopt;
    }
  int64_t inner = 1;
  bool headed = false;
  for (unsigned d : llvm::reverse(step.units)) {
    if (stateMap.isFunctionOfDim(d) && step.ranges[d] > 1) {
      headed = true;
      break;
    }
    inner *= step.ranges[d];
  }
  tc.unitsPerBlock = step.unitsPerBlock;
  while (headed && tc.unitsPerBlock < inner && inner % tc.unitsPerBlock)
    ++tc.unitsPerBlock;
  if (headed && tc.unitsPerBlock > inner) {
    why = llvm::formatv("a block's {0} units would span heads of {1} units "
                        "(the state's rows differ per head)",
                        tc.unitsPerBlock, inner);
    return std::nullopt;
  }
  if (step.depthCount() % 16) {
    why = llvm::formatv("the depth {0} is not a multiple of 16",
                        step.depthCount());
    return std::nullopt;
  }
  tc.mTiles = llvm::divideCeil(step.rowCount(), 16);
  tc.nTiles = llvm::divideCeil(tc.unitsPerBlock * step.columnCount(), 8);
  tc.kSteps = step.depthCount() / 16;
  // The split with the fewest mma per warp (the step's work); then, with
  // at most kAccumulatorRegisters accumulators a thread, the shortest
  // chain of dependent mma (k steps a warp: each tile accumulates in
  // order, so a long chain waits on mma latency where independent tiles
  // overlap); then the fewest accumulators.
  auto cost = [&](int64_t wm, int64_t wn, int64_t wk) {
    int64_t tiles = (tc.mTiles / wm) * (tc.nTiles / wn), chain = tc.kSteps / wk;
    return std::make_tuple(
        tiles * chain, std::max<int64_t>(0, tiles * 4 - kAccumulatorRegisters),
        chain, tiles);
  };
  std::optional<decltype(cost(1, 1, 1))> best;
  for (int64_t wm = 1; wm <= kWarps; wm *= 2)
    for (int64_t wn = 1; wm * wn <= kWarps; wn *= 2)
      for (int64_t wk = 1; wm * wn * wk <= kWarps; wk *= 2) {
        if (tc.mTiles % wm || tc.nTiles % wn || tc.kSteps % wk)
          continue;
        if (!best || cost(wm, wn, wk) < *best) {
          best = cost(wm, wn, wk);
          tc.warpsM = wm;
          tc.warpsN = wn;
          tc.warpsK = wk;
        }
      }
  tc.weightsInRegisters = tc.fragmentWords() <= fragmentRegisters;
  // Rows of the staged weights: a warp's fragment read (lanes: k pair t,
  // column g) hits 32 distinct banks when a row is 8 or 24 words mod 32.
  tc.rowWords = tc.nTiles * 8;
  while (tc.rowWords % 32 != 8 && tc.rowWords % 32 != 24)
    tc.rowWords += 8;
  return tc;
}

} // namespace

/// The step around `contraction`, or failure: with `why` empty when the
/// contraction is not a recurrent one (no loop-invariant weights), else
/// saying why it stays as it is.
FailureOr<WeightStationaryStep>
analyzeStep(linalg::GenericOp contraction, scf::ForOp loop, int64_t blocks,
            int64_t sharedBytes, bool tensorCores, int64_t fragmentRegisters,
            int64_t stateTerms, std::string &why,
            std::string &whyNotTensorCores, bool &invalidForm) {
  seq::FormAttr form = seqc::seq::TimeLoopOf::get(loop);
  std::optional<int64_t> writtenUnits =
      form ? form.getUnitsPerBlock() : std::nullopt;
  std::optional<int64_t> writtenSplit = form ? form.getSplitK() : std::nullopt;
  auto cannotHonour = [&](StringRef field, int64_t value,
                          const Twine &reason) {
    loop.emitError() << "the recurrence's form sets " << field << " = "
                     << value << ", which its GPU step kernel cannot honour: "
                     << reason;
    invalidForm = true;
    return failure();
  };
  WeightStationaryStep step;
  step.contraction = contraction;
  if (contraction->getParentOp() != loop || contraction.getNumDpsInits() != 1 ||
      !contraction.hasPureBufferSemantics() ||
      contraction.getNumReductionLoops() == 0)
    return failure();
  step.ranges = contraction.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(step.ranges))
    return failure();
  SmallVector<AffineMap> maps = contraction.getIndexingMapsArray();
  if (!llvm::all_of(maps,
                    [](AffineMap m) { return m.isProjectedPermutation(); }))
    return failure();
  // The weights: the largest input the loop does not write.
  int64_t largest = 0;
  for (OpOperand *input : contraction.getDpsInputOperands()) {
    auto type = dyn_cast<MemRefType>(input->get().getType());
    Value base = seqc::underlyingBuffer(input->get());
    if (!type || !loop.isDefinedOutsideOfLoop(base) ||
        writtenIn(loop, input->get()) || type.getNumElements() <= largest)
      continue;
    largest = type.getNumElements();
    step.weights = input->getOperandNumber();
  }
  if (!largest)
    return failure();
  if (contraction.getNumDpsInputs() == 2)
    step.state = step.weights == 0 ? 1 : 0;
  AffineMap weightMap = maps[step.weights], accMap = maps.back();
  auto iterators = contraction.getIteratorTypesArray();
  // Every parallel loop is a dimension of acc (each is a unit, row or
  // column of the kernel).
  if (accMap.getNumResults() != contraction.getNumParallelLoops())
    return failure();
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] == utils::IteratorType::reduction &&
        !weightMap.isFunctionOfDim(d)) {
      why = "a reduction loop does not index the weights";
      return failure();
    }

  // The cell: the next op that is not an index computation, view or
  // allocation, reading acc.
  Operation *next = contraction->getNextNode();
  while (next && (isPure(next) || isa<ViewLikeOpInterface>(next) ||
                  isa<memref::AllocOp>(next)))
    next = next->getNextNode();
  auto cell = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!cell || !llvm::is_contained(cell.getDpsInputs(), step.acc())) {
    why = "the next op of the step is not an elementwise op reading the "
          "contraction's result";
    return failure();
  }
  step.cell = cell;
  step.cellRanges = cell.getStaticLoopRanges();
  // What other blocks may still be reading while a block runs its cell:
  // every input of the contraction (the state above all).
  auto readByContraction = [&](Value buffer) {
    return llvm::any_of(contraction.getDpsInputs(), [&](Value input) {
      return seqc::underlyingBuffer(input) == seqc::underlyingBuffer(buffer);
    });
  };
  if (llvm::any_of(cell.getDpsInits(), readByContraction)) {
    why = "the cell writes a buffer the contraction reads (in place): other "
          "blocks may still be reading it";
    return failure();
  }
  if (cell.getNumReductionLoops() || !cell.hasPureBufferSemantics() ||
      ShapedType::isDynamicShape(step.cellRanges) ||
      llvm::any_of(cell.getDpsInits(), [&](Value out) {
        return seqc::underlyingBuffer(out) ==
               seqc::underlyingBuffer(step.acc());
      })) {
    why = "the cell is not a static elementwise op that leaves the "
          "contraction's result alone";
    return failure();
  }

  // Copies of the cell's outputs that follow it: every element of such an
  // output is written by one iteration of the cell (a permutation map), so
  // that iteration can store the copy too.
  for (Operation *op = cell->getNextNode(); op; op = op->getNextNode()) {
    if (isPure(op) || isa<ViewLikeOpInterface, memref::AllocOp>(op))
      continue;
    auto copy = dyn_cast<linalg::CopyOp>(op);
    if (!copy || !copy.hasPureBufferSemantics())
      break;
    auto outs = cell.getDpsInits();
    auto it = llvm::find(outs, copy.getInputs()[0]);
    Value dst = copy.getOutputs()[0];
    if (it == outs.end() || touches(cell, dst) || readByContraction(dst))
      break;
    unsigned out = it - outs.begin();
    if (!cell.getIndexingMapsArray()[cell.getNumDpsInputs() + out]
             .isPermutation())
      break;
    step.copies.push_back({copy, out});
  }

  // Units: acc dimensions that index the weights and that every read of
  // the cell indexes by the same loop of the cell.
  SmallVector<AffineMap> cellMaps = cell.getIndexingMapsArray();
  for (unsigned a = 0; a < accMap.getNumResults(); ++a) {
    unsigned d = accMap.getDimPosition(a);
    std::optional<unsigned> cellLoop;
    bool alike = true;
    for (OpOperand *input : cell.getDpsInputOperands()) {
      if (input->get() != step.acc())
        continue;
      auto dim = dyn_cast<AffineDimExpr>(
          cellMaps[input->getOperandNumber()].getResult(a));
      if (!dim || (cellLoop && *cellLoop != dim.getPosition()))
        alike = false;
      else
        cellLoop = dim.getPosition();
    }
    if (weightMap.isFunctionOfDim(d) && alike && cellLoop &&
        !llvm::is_contained(step.cellUnits, *cellLoop) &&
        step.cellRanges[*cellLoop] == step.ranges[d]) {
      step.units.push_back(d);
      step.cellUnits.push_back(*cellLoop);
    } else if (weightMap.isFunctionOfDim(d)) {
      step.columns.push_back(d);
    } else {
      step.rows.push_back(d);
    }
  }
  if (step.units.empty()) {
    why = "every unit's cell reads gates that other units' weights produce";
    return failure();
  }
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] == utils::IteratorType::reduction)
      step.depth.push_back(d);
  for (unsigned d = 0; d < step.cellRanges.size(); ++d)
    if (!llvm::is_contained(step.cellUnits, d))
      step.cellOthers.push_back(d);
  step.unitCount = step.product(step.units, step.ranges);
  step.unitsPerBlock = llvm::divideCeil(step.unitCount, blocks);
  if (writtenUnits) {
    // Every block is resident (a grid barrier per step): the units must
    // fit the grid.
    if (*writtenUnits > step.unitCount)
      return cannotHonour("units_per_block", *writtenUnits,
                          llvm::formatv("the step has {0} units",
                                        step.unitCount));
    if (*writtenUnits < step.unitsPerBlock)
      return cannotHonour(
          "units_per_block", *writtenUnits,
          llvm::formatv("{0} units on {1} resident blocks need at least {2} "
                        "per block",
                        step.unitCount, blocks, step.unitsPerBlock));
    step.unitsPerBlock = *writtenUnits;
  }

  // Lanes sharing a (row, unit)'s k loop: as many as fill the block's
  // threads in one round, while each keeps 8 k or more; only for a sum.
  Block *body = contraction.getBody();
  auto yielded = dyn_cast<arith::AddFOp>(
      body->getTerminator()->getOperand(0).getDefiningOp());
  Value out = body->getArguments().back();
  bool additive = yielded && out.hasOneUse() &&
                  (yielded.getLhs() == out || yielded.getRhs() == out);
  int64_t tasks = step.rowCount() * step.unitsPerBlock;
  while (!writtenSplit && additive && step.split < 32 &&
         tasks * step.split * 2 <= seqc::kPersistentBlockThreads &&
         step.depthCount() / (step.split * 2) >= 8)
    step.split *= 2;
  if (writtenSplit) {
    if (*writtenSplit > 1 && !additive)
      return cannotHonour("split_k", *writtenSplit,
                          "its reduction is not a sum the lanes can share");
    if (*writtenSplit > step.depthCount())
      return cannotHonour("split_k", *writtenSplit,
                          llvm::formatv("the dot products are {0} long",
                                        step.depthCount()));
    if (tasks * *writtenSplit > seqc::kPersistentBlockThreads)
      return cannotHonour(
          "split_k", *writtenSplit,
          llvm::formatv("{0} (row, unit) tasks of a block times {1} lanes "
                        "exceed its {2} threads",
                        tasks, *writtenSplit, seqc::kPersistentBlockThreads));
    step.split = *writtenSplit;
  }

  int64_t fmaUnitsPerBlock = step.unitsPerBlock;
  // The loop's form may choose the state's terms.
  if (form && form.getStateTerms())
    stateTerms = *form.getStateTerms();
  if (tensorCores)
    step.tensorCores =
        planTensorCores(step, fragmentRegisters, stateTerms, whyNotTensorCores);
  // A written split_k is the FMA path's.
  if (step.tensorCores && writtenSplit) {
    whyNotTensorCores = "the form sets split_k, a parameter of the FMA path";
    step.tensorCores.reset();
  }
  if (step.tensorCores && writtenUnits &&
      step.tensorCores->unitsPerBlock != *writtenUnits) {
    whyNotTensorCores = llvm::formatv(
        "the form's units_per_block = {0} does not align with the heads "
        "(the tensor-core step needs {1})",
        *writtenUnits, step.tensorCores->unitsPerBlock);
    step.tensorCores.reset();
  }
  if (step.tensorCores)
    step.unitsPerBlock = step.tensorCores->unitsPerBlock;
  if (step.tensorCores && step.sharedBytes() > sharedBytes) {
    whyNotTensorCores = llvm::formatv(
        "the weights and partial sums of a block take {0} bytes of shared "
        "memory, over the {1} bytes available",
        step.sharedBytes(), sharedBytes);
    step.tensorCores.reset();
    step.unitsPerBlock = fmaUnitsPerBlock;
  }
  int64_t bytes = step.sharedBytes();
  if (bytes > sharedBytes && writtenUnits)
    return cannotHonour(
        "units_per_block", *writtenUnits,
        llvm::formatv("the weights of a block's units take {0} bytes of "
                      "shared memory, over the {1} bytes available",
                      bytes, sharedBytes));
  if (bytes > sharedBytes) {
    why = llvm::formatv("the weights of a block's {0} units take {1} bytes of "
                        "shared memory, over the {2} bytes available",
                        step.unitsPerBlock, bytes, sharedBytes);
    return failure();
  }

  // The fill: the last op before the contraction that touches acc, if it
  // writes a value from outside its body to all of acc.
  for (Operation *prev = contraction->getPrevNode(); prev;
       prev = prev->getPrevNode()) {
    if (!touches(prev, step.acc()))
      continue;
    auto fill = dyn_cast<linalg::GenericOp>(prev);
    if (fill && fill.getNumDpsInputs() == 0 && fill.getNumDpsInits() == 1 &&
        fill.getDpsInits()[0] == step.acc() &&
        fill.getIndexingMapsArray()[0].isIdentity()) {
      Value yielded =
          cast<linalg::YieldOp>(fill.getBody()->getTerminator()).getOperand(0);
      if (yielded.getParentRegion() != &fill.getRegion()) {
        step.fill = fill;
        step.fillValue = yielded;
      }
    }
    break;
  }
  if (step.tensorCores) {
    Value acc = step.acc();
    step.tensorCores->gatesInShared =
        step.fill && acc.getDefiningOp<memref::AllocOp>() &&
        llvm::all_of(acc.getUsers(), [&](Operation *user) {
          return user == step.fill || user == contraction ||
                 user == step.cell || isa<memref::DeallocOp>(user);
        });
  }
  return step;
}

} // namespace seqc::weight_stationary
