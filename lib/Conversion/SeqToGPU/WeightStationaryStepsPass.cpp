//===- WeightStationaryStepsPass.cpp - seq-weight-stationary-steps --------===//
//
// FlashRNN's fused kernel keeps the recurrent matrix on chip: each block owns
// some hidden units, holds the columns of R that produce their gates, and
// per step computes those gates and the cell for its units. The step of a
// fused-variant recurrence on buffers is
//
//   fill acc                         (the gates' accumulator, 0)
//   acc[.., g, j] += f(h[.., k], R[k, g, j])      (the contraction)
//   cell: h', c' = cell(acc[.., 0, j], .., acc[.., 3, j], x[..], c[..])
//
// and becomes one kernel of `blocks` blocks of 256 threads:
//
//   units u = the dimensions of acc that index R and that every read of
//   the cell indexes alike (head and unit, not the gate); block p owns
//   units [p * UPB, (p + 1) * UPB), UPB = ceil(units / blocks)
//   stage R[k, g, u] for k, g and the block's u into shared memory
//                                      (tagged seq.step_invariant)
//   barrier                            (tagged seq.step_invariant)
//   for every (row, u) of the block: acc[row, g, u] for every gate g =
//     sum over k, R from shared; a thread takes all gates of a (row, u)
//     (one load of h[row, k] serves them all), and when rows x units leave
//     the block's threads idle, `split` lanes of a warp share the k loop
//     and add their partial sums by shuffles (seq.split_k)
//   barrier
//   for every (other cell loops, u) of the block: the cell
//
// Shared memory is laid out [k][unit][gate]: a thread's gates at one k are
// adjacent (one vector load; seq-align-workgroup-memory makes the buffer as
// aligned as that needs). The cell's threads take consecutive units, so its
// stores are coalesced.
//
// The cell only reads gates of its own units, which this block wrote, so a
// block barrier orders them; no grid-wide barrier separates the contraction
// from the cell. Once seq-persistent-time-loops makes the time loop one
// kernel, the staging runs once, before the first step.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/FormatVariadic.h"

namespace seqc {
#define GEN_PASS_DEF_SEQWEIGHTSTATIONARYSTEPS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// A fused-variant step: the contraction with loop-invariant weights, the
/// fill before it and the cell after it, with the contraction's loops by
/// role (each list in linearization order, the last fastest).
struct WeightStationaryStep {
  linalg::GenericOp fill; ///< null when acc is not filled just before
  Value fillValue;
  linalg::GenericOp contraction, cell;
  /// Copies of the cell's outputs right after it (the step's output into
  /// the output sequence, the state into the next step's buffer), folded
  /// into the cell: (copy, the cell's output number).
  SmallVector<std::pair<linalg::CopyOp, unsigned>> copies;
  unsigned weights; ///< the weights' operand number in the contraction
  SmallVector<int64_t> ranges, cellRanges;
  /// Contraction loops: units (in acc's dimension order), rows (not in
  /// the weights: batch), columns (in the weights, not units: gates),
  /// depth (reductions).
  SmallVector<unsigned> units, rows, columns, depth;
  /// The cell's loops of each unit loop (same order), and its others.
  SmallVector<unsigned> cellUnits, cellOthers;
  int64_t unitCount = 1, unitsPerBlock = 1;
  /// Lanes of a warp that share one (row, unit)'s reduction.
  int64_t split = 1;

  Value acc() { return contraction.getDpsInits()[0]; }
  int64_t product(ArrayRef<unsigned> dims, ArrayRef<int64_t> of) const {
    int64_t n = 1;
    for (unsigned d : dims)
      n *= of[d];
    return n;
  }
  int64_t rowCount() const { return product(rows, ranges); }
  int64_t columnCount() const { return product(columns, ranges); }
  int64_t depthCount() const { return product(depth, ranges); }
  int64_t cellOtherCount() const { return product(cellOthers, cellRanges); }
  int64_t stagedElements() const {
    return depthCount() * unitsPerBlock * columnCount();
  }
  int64_t stagedBytes() {
    Type element = cast<MemRefType>(contraction->getOperand(weights).getType())
                       .getElementType();
    return stagedElements() *
           llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
  }
};

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

/// The step around `contraction`, or failure: with `why` empty when the
/// contraction is not a recurrent one (no loop-invariant weights), else
/// saying why it stays as it is.
FailureOr<WeightStationaryStep> analyzeStep(linalg::GenericOp contraction,
                                            scf::ForOp loop, int64_t blocks,
                                            int64_t sharedBytes,
                                            std::string &why) {
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

  // Lanes sharing a (row, unit)'s k loop: as many as fill the block's
  // threads in one round, while each keeps 8 k or more; only for a sum.
  Block *body = contraction.getBody();
  auto yielded = dyn_cast<arith::AddFOp>(
      body->getTerminator()->getOperand(0).getDefiningOp());
  Value out = body->getArguments().back();
  bool additive = yielded && out.hasOneUse() &&
                  (yielded.getLhs() == out || yielded.getRhs() == out);
  int64_t tasks = step.rowCount() * step.unitsPerBlock;
  while (additive && step.split < 32 &&
         tasks * step.split * 2 <= seqc::kPersistentBlockThreads &&
         step.depthCount() / (step.split * 2) >= 8)
    step.split *= 2;

  int64_t bytes = step.stagedBytes();
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
  return step;
}

struct StepKernelBuilder {
  ImplicitLocOpBuilder &b;
  WeightStationaryStep &step;
  int64_t blocks;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value mul(Value x, int64_t y) {
    return y == 1 ? x : arith::MulIOp::create(b, x, index(y)).getResult();
  }
  Value div(Value x, int64_t y) {
    return y == 1 ? x : arith::DivUIOp::create(b, x, index(y)).getResult();
  }
  Value rem(Value x, int64_t y) {
    return y == 1 ? index(0)
                  : arith::RemUIOp::create(b, x, index(y)).getResult();
  }

  /// Loop indices of `dims` (ranges `of`) from their linearized index.
  void delinearize(Value linear, ArrayRef<unsigned> dims, ArrayRef<int64_t> of,
                   SmallVectorImpl<Value> &loops) {
    for (int64_t i = int64_t(dims.size()) - 1; i >= 0; --i) {
      loops[dims[i]] = i ? rem(linear, of[dims[i]]) : linear;
      if (i)
        linear = div(linear, of[dims[i]]);
    }
  }

  SmallVector<Value> indices(AffineMap map, ArrayRef<Value> loops) {
    return *affine::expandAffineMap(b, b.getLoc(), map, loops);
  }

  /// for e = thread; e < count; e += threads: if the unit `unitOf(e)` of
  /// this block exists, body(e, local unit, unit).
  scf::ForOp strided(Value thread, Value firstUnit, int64_t count,
                     function_ref<Value(Value)> localUnitOf,
                     function_ref<void(Value, Value, Value)> body) {
    auto loop = scf::ForOp::create(b, thread, index(count),
                                   index(seqc::kPersistentBlockThreads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value e = loop.getInductionVar();
    Value local = localUnitOf(e);
    Value unit = add(firstUnit, local);
    auto exists =
        scf::IfOp::create(b,
                          arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                                unit, index(step.unitCount)),
                          /*withElseRegion=*/false);
    b.setInsertionPointToStart(exists.thenBlock());
    body(e, local, unit);
    return loop;
  }

  /// `generic`'s body on `args`, the values it yields.
  SmallVector<Value> inlineBody(linalg::GenericOp generic,
                                ArrayRef<Value> args) {
    IRMapping mapping;
    mapping.map(generic.getBody()->getArguments(), args);
    for (Operation &op : generic.getBody()->without_terminator())
      b.clone(op, mapping);
    SmallVector<Value> yielded;
    for (Value v : generic.getBody()->getTerminator()->getOperands())
      yielded.push_back(mapping.lookupOrDefault(v));
    return yielded;
  }

  gpu::LaunchOp build() {
    linalg::GenericOp contraction = step.contraction, cell = step.cell;
    Value weights = contraction->getOperand(step.weights);
    auto workgroup = gpu::AddressSpaceAttr::get(
        b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
    auto stagedType =
        MemRefType::get({step.stagedElements()},
                        cast<MemRefType>(weights.getType()).getElementType(),
                        MemRefLayoutAttrInterface{}, workgroup);
    // Static shared memory up to the 48 KiB every launch may use; beyond,
    // dynamic shared memory (the runtime raises the kernel's limit).
    int64_t bytes = step.stagedBytes();
    bool dynamic = bytes > seqc::kStaticSharedBytes;
    Value one = index(1);
    auto launch = gpu::LaunchOp::create(
        b, index(blocks), one, one, index(seqc::kPersistentBlockThreads), one,
        one,
        dynamic
            ? arith::ConstantIntOp::create(b, b.getI32Type(), bytes).getResult()
            : Value(),
        /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{},
        dynamic ? TypeRange{} : TypeRange{stagedType});
    launch->setAttr("seq.kernel", b.getStringAttr("weight_stationary_step"));
    launch->setAttr("seq.units_per_block",
                    b.getI64IntegerAttr(step.unitsPerBlock));
    launch->setAttr("seq.split_k", b.getI64IntegerAttr(step.split));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    Value staged;
    if (dynamic) {
      Value raw = gpu::DynamicSharedMemoryOp::create(
          b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                             MemRefLayoutAttrInterface{}, workgroup));
      staged =
          memref::ViewOp::create(b, stagedType, raw, index(0), ValueRange{});
    } else {
      staged = launch.getWorkgroupAttributions()[0];
    }
    Value thread = launch.getThreadIds().x;
    Value firstUnit = mul(launch.getBlockIds().x, step.unitsPerBlock);
    int64_t upb = step.unitsPerBlock, columns = step.columnCount();
    SmallVector<AffineMap> maps = contraction.getIndexingMapsArray();
    auto localUnitOfStaged = [&](Value e) { return rem(div(e, columns), upb); };

    // Stage the block's weights: [k][unit][column].
    scf::ForOp stage = strided(
        thread, firstUnit, step.stagedElements(), localUnitOfStaged,
        [&](Value e, Value, Value unit) {
          SmallVector<Value> loops(step.ranges.size());
          delinearize(unit, step.units, step.ranges, loops);
          delinearize(rem(e, columns), step.columns, step.ranges, loops);
          delinearize(div(e, upb * columns), step.depth, step.ranges, loops);
          Value w = memref::LoadOp::create(b, weights,
                                           indices(maps[step.weights], loops));
          memref::StoreOp::create(b, w, staged, ValueRange{e});
        });
    stage->setAttr(seqc::kStepInvariantAttr, b.getUnitAttr());
    gpu::BarrierOp::create(b)->setAttr(seqc::kStepInvariantAttr,
                                       b.getUnitAttr());

    // The gates of the block's units, for every row: a thread computes every
    // column (gate) of one (row, unit), so that the state's loads serve them
    // all and their sums are independent chains; when the contraction
    // accumulates by addition, `split` consecutive lanes of a warp share a
    // (row, unit)'s k loop (lane s takes k = s, s + split, ...) and add their
    // partial sums by shuffles. Every thread runs the same number of rounds
    // (the shuffles need whole warps); tasks past the end run no k.
    int64_t split = step.split, threads = seqc::kPersistentBlockThreads;
    int64_t tasks = step.rowCount() * upb * split;
    Type accType = cast<MemRefType>(step.acc().getType()).getElementType();
    auto rounds = scf::ForOp::create(
        b, thread, index(llvm::divideCeil(tasks, threads) * threads),
        index(threads));
    {
      OpBuilder::InsertionGuard inRound(b);
      b.setInsertionPointToStart(rounds.getBody());
      Value e = rounds.getInductionVar();
      Value lane = rem(e, split), task = div(e, split);
      Value local = rem(task, upb), unit = add(firstUnit, local);
      auto less = [&](Value x, int64_t bound) {
        return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x,
                                     index(bound));
      };
      Value valid =
          arith::AndIOp::create(b, less(e, tasks), less(unit, step.unitCount));
      SmallVector<Value> loops(step.ranges.size());
      delinearize(unit, step.units, step.ranges, loops);
      delinearize(div(task, upb), step.rows, step.ranges, loops);
      auto atColumn = [&](int64_t column) {
        delinearize(index(column), step.columns, step.ranges, loops);
        return indices(maps.back(), loops);
      };
      Value zero = arith::ConstantOp::create(b, b.getZeroAttr(accType));
      // What acc holds before the contraction adds to it.
      auto initial = [&](int64_t column) -> Value {
        if (step.fillValue)
          return step.fillValue;
        auto guarded = scf::IfOp::create(b, TypeRange{accType}, valid,
                                         /*withElseRegion=*/true);
        OpBuilder::InsertionGuard inIf(b);
        b.setInsertionPointToStart(guarded.thenBlock());
        scf::YieldOp::create(b, ValueRange{memref::LoadOp::create(
                                    b, step.acc(), atColumn(column))});
        b.setInsertionPointToStart(guarded.elseBlock());
        scf::YieldOp::create(b, zero);
        return guarded.getResult(0);
      };
      SmallVector<Value> inits;
      for (int64_t c = 0; c < columns; ++c)
        inits.push_back(split > 1 ? zero : initial(c));
      Value depth =
          arith::SelectOp::create(b, valid, index(step.depthCount()), index(0));
      auto sum = scf::ForOp::create(b, lane, depth, index(split), inits);
      {
        OpBuilder::InsertionGuard inSum(b);
        b.setInsertionPointToStart(sum.getBody());
        Value k = sum.getInductionVar();
        delinearize(k, step.depth, step.ranges, loops);
        Value row = add(mul(k, upb * columns), mul(local, columns));
        SmallVector<Value> sums;
        for (int64_t c = 0; c < columns; ++c) {
          delinearize(index(c), step.columns, step.ranges, loops);
          SmallVector<Value> args;
          for (OpOperand *input : contraction.getDpsInputOperands()) {
            unsigned n = input->getOperandNumber();
            args.push_back(n == step.weights
                               ? memref::LoadOp::create(
                                     b, staged, ValueRange{add(row, index(c))})
                               : memref::LoadOp::create(
                                     b, input->get(), indices(maps[n], loops)));
          }
          args.push_back(sum.getRegionIterArgs()[c]);
          sums.push_back(inlineBody(contraction, args)[0]);
        }
        scf::YieldOp::create(b, sums);
      }
      SmallVector<Value> results(sum.getResults());
      for (int64_t offset = split / 2; offset >= 1; offset /= 2)
        for (Value &partial : results)
          partial = arith::AddFOp::create(
              b, partial,
              gpu::ShuffleOp::create(b, partial, offset, /*width=*/32,
                                     gpu::ShuffleMode::XOR)
                  .getShuffleResult());
      Value first = split > 1
                        ? arith::AndIOp::create(
                              b, valid,
                              arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                    lane, index(0)))
                              .getResult()
                        : valid;
      auto store = scf::IfOp::create(b, first, /*withElseRegion=*/false);
      b.setInsertionPointToStart(store.thenBlock());
      for (int64_t c = 0; c < columns; ++c) {
        Value value = results[c];
        if (split > 1)
          value = arith::AddFOp::create(b, initial(c), value);
        memref::StoreOp::create(b, value, step.acc(), atColumn(c));
      }
    }
    gpu::BarrierOp::create(b);

    // The cell of the block's units; consecutive threads, consecutive units.
    SmallVector<AffineMap> cellMaps = cell.getIndexingMapsArray();
    strided(
        thread, firstUnit, step.cellOtherCount() * upb,
        [&](Value e) { return rem(e, upb); },
        [&](Value e, Value, Value unit) {
          // The cell's unit loops have the contraction's ranges, in the
          // same order: the unit delinearizes alike.
          SmallVector<Value> loops(step.cellRanges.size());
          delinearize(unit, step.cellUnits, step.cellRanges, loops);
          delinearize(div(e, upb), step.cellOthers, step.cellRanges, loops);
          SmallVector<Value> args;
          for (OpOperand &operand : cell->getOpOperands()) {
            BlockArgument arg = cell.getMatchingBlockArgument(&operand);
            bool isInput = cell.isDpsInput(&operand);
            if (!isInput && arg.use_empty()) {
              args.push_back(arg); // unused: a placeholder
              continue;
            }
            args.push_back(memref::LoadOp::create(
                b, operand.get(),
                indices(cellMaps[operand.getOperandNumber()], loops)));
          }
          SmallVector<Value> yielded = inlineBody(cell, args);
          SmallVector<SmallVector<Value>> outIndices;
          for (auto [out, value] :
               llvm::zip(cell.getDpsInitsMutable(), yielded)) {
            outIndices.push_back(
                indices(cellMaps[out.getOperandNumber()], loops));
            memref::StoreOp::create(b, value, out.get(), outIndices.back());
          }
          for (auto [copy, out] : step.copies)
            memref::StoreOp::create(b, yielded[out], copy.getOutputs()[0],
                                    outIndices[out]);
        });
    gpu::TerminatorOp::create(b);
    return launch;
  }
};

struct WeightStationaryStepsPass
    : seqc::impl::SeqWeightStationaryStepsBase<WeightStationaryStepsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, scf::ForOp>> candidates;
    getOperation().walk([&](scf::ForOp loop) {
      if (!loop->hasAttr(seqc::kPersistentLoopAttr) ||
          loop->getParentOfType<gpu::LaunchOp>())
        return;
      for (auto generic : loop.getBody()->getOps<linalg::GenericOp>())
        candidates.push_back({generic, loop});
    });
    DenseSet<Operation *> erased;
    for (auto [contraction, loop] : candidates) {
      if (erased.contains(contraction))
        continue;
      std::string why;
      FailureOr<WeightStationaryStep> step =
          analyzeStep(contraction, loop, blocks, sharedBytes, why);
      if (failed(step)) {
        if (!why.empty())
          contraction.emitRemark("the recurrent weights stay in global "
                                 "memory, read every step: ")
              << why;
        continue;
      }
      // After the last op it replaces: what lies between only computes
      // indices, views and allocations.
      Operation *last = step->copies.empty()
                            ? step->cell.getOperation()
                            : step->copies.back().first.getOperation();
      ImplicitLocOpBuilder b(step->cell.getLoc(), last->getNextNode());
      StepKernelBuilder{b, *step, blocks}.build();
      SmallVector<Operation *> replaced{step->contraction, step->cell};
      if (step->fill)
        replaced.push_back(step->fill);
      for (auto [copy, out] : step->copies)
        replaced.push_back(copy);
      for (Operation *op : replaced) {
        erased.insert(op);
        op->erase();
      }
    }
  }
};

} // namespace
