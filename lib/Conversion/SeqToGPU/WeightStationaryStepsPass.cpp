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
// With 16-bit weights (and a state that only a block's head indexes among
// the unit dimensions: heads map to blocks), the gates are products on
// tensor cores instead (mma.sync.m16n8k16): the block's rows x (units x
// gates) slice of acc is m16n8 tiles, the depth 16-deep steps, and the 8
// warps split tiles and steps; a warp keeps its fragments of R in
// registers across steps (FlashRNN's "R in registers") when they fit in
// `fragment-registers` words (64; a thread may have 255 with 256 threads a
// block), else they come from R staged in shared memory. The warps'
// partial tiles meet in shared memory, where the cell reads its gates
// when acc is filled every step and read by nothing else (acc is then
// never written). An f32 state (our states are f32) enters as a
// sum of `state-terms` bf16 terms, one product each: x = t0 + t1 + t2 with
// each t the bf16 rounding of what the previous leave, exact to about
// 2^-24 |x| with three terms (the default: the products are f32's, the
// gates differ from the FMA path's only by summation order), 2^-17 with
// two, 2^-9 with one (the state rounded to bf16, what cuDNN's bf16 LSTM
// computes with).
//
// On the FMA path shared memory is laid out [k][unit][gate]: a thread's gates
// at one k are adjacent (one vector load; seq-align-workgroup-memory makes the
// buffer as aligned as that needs). The cell's threads take consecutive units,
// so its stores are coalesced.
//
// The cell only reads gates of its own units, which this block wrote, so a
// block barrier orders them; no grid-wide barrier separates the contraction
// from the cell. Once seq-persistent-time-loops makes the time loop one
// kernel, the staging runs once, before the first step.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToGPU/MmaFragments.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/FormatVariadic.h"

#include <tuple>

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
  /// Lanes of a warp that share one (row, unit)'s reduction (FMA path).
  int64_t split = 1;
  /// The contraction's other input: the state (h).
  unsigned state = 0;

  /// The gates' products on tensor cores: the block's rows x (units x
  /// columns) slice of acc in m16n8 tiles, the depth in 16-deep steps, the
  /// three split among the block's 8 warps (warp w takes the tiles and
  /// steps congruent to its coordinates).
  struct TensorCores {
    FloatType type; ///< the fragments' 16-bit type (the weights')
    /// bf16 terms an f32 state is split into (1 for a 16-bit state).
    int64_t stateTerms = 1;
    int64_t mTiles = 1, nTiles = 1, kSteps = 1;
    int64_t warpsM = 1, warpsN = 1, warpsK = 1;
    /// The warp's fragments of R held in registers across steps (loaded
    /// once); otherwise R is staged in shared memory as packed k pairs,
    /// rows of `rowWords` words, and read per step.
    bool weightsInRegisters = true;
    int64_t rowWords = 0;
    /// Units per block: the FMA path's, or more so that no block's units
    /// straddle two heads when the state is indexed by the head.
    int64_t unitsPerBlock = 1;
    /// The cell takes its gates from the partial tiles in shared memory
    /// (acc, filled every step and read by nothing else, is never
    /// written); otherwise they are added into acc first.
    bool gatesInShared = false;
    int64_t mPerWarp() const { return mTiles / warpsM; }
    int64_t nPerWarp() const { return nTiles / warpsN; }
    int64_t kPerWarp() const { return kSteps / warpsK; }
    int64_t warps() const { return warpsM * warpsN * warpsK; }
    int64_t fragmentWords() const { return nPerWarp() * kPerWarp() * 2; }
    int64_t stagedBytes() const {
      return weightsInRegisters ? 0 : kSteps * 8 * rowWords * 4;
    }
    int64_t partialBytes() const {
      return warpsK * mTiles * 16 * nTiles * 8 * 4;
    }
  };
  std::optional<TensorCores> tensorCores;

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
  /// The shared memory a block uses (each buffer 16-byte aligned).
  int64_t sharedBytes() {
    if (!tensorCores)
      return stagedBytes();
    return llvm::alignTo(tensorCores->stagedBytes(), 16) +
           tensorCores->partialBytes();
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

/// The step around `contraction`, or failure: with `why` empty when the
/// contraction is not a recurrent one (no loop-invariant weights), else
/// saying why it stays as it is.
FailureOr<WeightStationaryStep>
analyzeStep(linalg::GenericOp contraction, scf::ForOp loop, int64_t blocks,
            int64_t sharedBytes, bool tensorCores, int64_t fragmentRegisters,
            int64_t stateTerms, std::string &why,
            std::string &whyNotTensorCores) {
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

  int64_t fmaUnitsPerBlock = step.unitsPerBlock;
  // The loop's form may choose the state's terms (seq.state_terms).
  if (auto terms = loop->getAttrOfType<IntegerAttr>(seqc::kStateTermsAttr))
    stateTerms = terms.getInt();
  if (tensorCores)
    step.tensorCores =
        planTensorCores(step, fragmentRegisters, stateTerms, whyNotTensorCores);
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

struct StepKernelBuilder {
  ImplicitLocOpBuilder &b;
  WeightStationaryStep &step;
  int64_t blocks;
  /// The tensor cores' partial tiles, when the cell reads its gates there.
  Value gatePartials = nullptr;
  /// Set by buildTensorCoreGates for statePair: whether the state's pairs
  /// are one vector load each, and its loops with the block's head.
  bool stateVectorPairs = false;
  SmallVector<Value> stateHeadLoops = {};

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

  Value ult(Value x, int64_t bound) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, index(bound));
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, x, y); }

  /// acc's indices where `loops` holds the unit and row loops, the column
  /// loops at the linearized column `column`.
  SmallVector<Value> accIndices(SmallVectorImpl<Value> &loops, Value column) {
    delinearize(column, step.columns, step.ranges, loops);
    return indices(step.contraction.getIndexingMapsArray().back(), loops);
  }

  /// What acc holds at `at` before the contraction adds to it: the fill's
  /// value, or acc's element (where `valid`, if given; 0 elsewhere).
  Value initialAcc(ArrayRef<Value> at, Value valid) {
    if (step.fillValue)
      return step.fillValue;
    auto load = [&]() -> Value {
      return memref::LoadOp::create(b, step.acc(), at);
    };
    if (!valid)
      return load();
    return seqc::valueOrZero(
        b, valid, cast<MemRefType>(step.acc().getType()).getElementType(),
        load);
  }

  gpu::LaunchOp build() {
    Value weights = step.contraction->getOperand(step.weights);
    auto workgroup = gpu::AddressSpaceAttr::get(
        b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
    auto sharedType = [&](ArrayRef<int64_t> shape, Type element) -> Type {
      return MemRefType::get(shape, element, MemRefLayoutAttrInterface{},
                             workgroup);
    };
    // The block's shared buffers: the staged weights (unless the tensor-core
    // fragments of R live in registers), and the tensor cores' partial sums
    // of each k group.
    const std::optional<WeightStationaryStep::TensorCores> &tc =
        step.tensorCores;
    SmallVector<Type> sharedTypes;
    if (!tc) {
      sharedTypes.push_back(
          sharedType({step.stagedElements()},
                     cast<MemRefType>(weights.getType()).getElementType()));
    } else {
      if (!tc->weightsInRegisters)
        sharedTypes.push_back(
            sharedType({tc->kSteps * 8, tc->rowWords}, b.getI32Type()));
      sharedTypes.push_back(sharedType(
          {tc->warpsK, tc->mTiles * 16, tc->nTiles * 8}, b.getF32Type()));
    }
    // Static shared memory up to the 48 KiB every launch may use; beyond,
    // dynamic shared memory (the runtime raises the kernel's limit), the
    // buffers views of it at 16-byte aligned offsets.
    int64_t bytes = step.sharedBytes();
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
        dynamic ? TypeRange{} : TypeRange(sharedTypes));
    launch->setAttr("seq.kernel", b.getStringAttr("weight_stationary_step"));
    launch->setAttr("seq.units_per_block",
                    b.getI64IntegerAttr(step.unitsPerBlock));
    if (tc) {
      launch->setAttr("seq.gate_products", b.getStringAttr("mma.m16n8k16"));
      launch->setAttr(
          "seq.mma_warps",
          b.getDenseI64ArrayAttr({tc->warpsM, tc->warpsN, tc->warpsK}));
      launch->setAttr(
          "seq.weights_in",
          b.getStringAttr(tc->weightsInRegisters ? "registers" : "shared"));
      launch->setAttr("seq.state_terms", b.getI64IntegerAttr(tc->stateTerms));
      launch->setAttr("seq.gates_in",
                      b.getStringAttr(tc->gatesInShared ? "shared" : "global"));
    } else {
      launch->setAttr("seq.gate_products", b.getStringAttr("fma"));
      launch->setAttr("seq.split_k", b.getI64IntegerAttr(step.split));
    }
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    SmallVector<Value> buffers;
    if (dynamic) {
      Value raw = gpu::DynamicSharedMemoryOp::create(
          b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                             MemRefLayoutAttrInterface{}, workgroup));
      int64_t offset = 0;
      for (Type type : sharedTypes) {
        auto memref = cast<MemRefType>(type);
        buffers.push_back(memref::ViewOp::create(b, memref, raw, index(offset),
                                                 ValueRange{}));
        offset += llvm::alignTo(
            memref.getNumElements() * memref.getElementTypeBitWidth() / 8, 16);
      }
    } else {
      llvm::append_range(buffers, launch.getWorkgroupAttributions());
    }
    Value thread = launch.getThreadIds().x;
    Value firstUnit = mul(launch.getBlockIds().x, step.unitsPerBlock);
    if (tc)
      buildTensorCoreGates(thread, firstUnit, buffers);
    else
      buildFmaGates(thread, firstUnit, buffers[0]);
    gpu::BarrierOp::create(b);
    buildCell(thread, firstUnit);
    gpu::TerminatorOp::create(b);
    return launch;
  }

  /// Stages the block's weights in `staged` ([k][unit][column]), then
  /// computes the gates of its units by FMA: a thread computes every column
  /// (gate) of one (row, unit), so that the state's loads serve them all
  /// and their sums are independent chains; when the contraction
  /// accumulates by addition, `split` consecutive lanes of a warp share a
  /// (row, unit)'s k loop (lane s takes k = s, s + split, ...) and add
  /// their partial sums by shuffles. Every thread runs the same number of
  /// rounds (the shuffles need whole warps); tasks past the end run no k.
  void buildFmaGates(Value thread, Value firstUnit, Value staged) {
    linalg::GenericOp contraction = step.contraction;
    Value weights = contraction->getOperand(step.weights);
    int64_t upb = step.unitsPerBlock, columns = step.columnCount();
    SmallVector<AffineMap> maps = contraction.getIndexingMapsArray();
    auto localUnitOfStaged = [&](Value e) { return rem(div(e, columns), upb); };
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

    int64_t split = step.split, threads = seqc::kPersistentBlockThreads;
    int64_t tasks = step.rowCount() * upb * split;
    Type accType = cast<MemRefType>(step.acc().getType()).getElementType();
    auto rounds = scf::ForOp::create(
        b, thread, index(llvm::divideCeil(tasks, threads) * threads),
        index(threads));
    OpBuilder::InsertionGuard inRound(b);
    b.setInsertionPointToStart(rounds.getBody());
    Value e = rounds.getInductionVar();
    Value lane = rem(e, split), task = div(e, split);
    Value local = rem(task, upb), unit = add(firstUnit, local);
    Value valid = both(ult(e, tasks), ult(unit, step.unitCount));
    SmallVector<Value> loops(step.ranges.size());
    delinearize(unit, step.units, step.ranges, loops);
    delinearize(div(task, upb), step.rows, step.ranges, loops);
    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(accType));
    SmallVector<Value> inits;
    for (int64_t c = 0; c < columns; ++c)
      inits.push_back(
          split > 1 ? zero : initialAcc(accIndices(loops, index(c)), valid));
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
                             : memref::LoadOp::create(b, input->get(),
                                                      indices(maps[n], loops)));
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
    Value first =
        split > 1
            ? both(valid, arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                lane, index(0)))
            : valid;
    auto store = scf::IfOp::create(b, first, /*withElseRegion=*/false);
    b.setInsertionPointToStart(store.thenBlock());
    for (int64_t c = 0; c < columns; ++c) {
      SmallVector<Value> at = accIndices(loops, index(c));
      Value value = results[c];
      if (split > 1)
        value = arith::AddFOp::create(b, initialAcc(at, Value()), value);
      memref::StoreOp::create(b, value, step.acc(), at);
    }
  }

  /// R at k pair `kPair` and the block's column `n` (its local unit
  /// n / columns, column n % columns): R[2 kPair, n] and R[2 kPair + 1, n]
  /// packed, an mma B-fragment word; 0 past the block's units.
  Value weightPair(Value kPair, Value n, Value firstUnit) {
    int64_t columns = step.columnCount();
    Value local = div(n, columns), unit = add(firstUnit, local);
    return seqc::valueOrZero(
        b, both(ult(local, step.unitsPerBlock), ult(unit, step.unitCount)),
        b.getI32Type(), [&]() {
          SmallVector<Value> loops(step.ranges.size());
          delinearize(unit, step.units, step.ranges, loops);
          delinearize(rem(n, columns), step.columns, step.ranges, loops);
          AffineMap map = step.contraction.getIndexingMapsArray()[step.weights];
          Value weights = step.contraction->getOperand(step.weights);
          SmallVector<Value> pair;
          for (int64_t i = 0; i < 2; ++i) {
            delinearize(add(mul(kPair, 2), index(i)), step.depth, step.ranges,
                        loops);
            pair.push_back(
                memref::LoadOp::create(b, weights, indices(map, loops)));
          }
          return seqc::packHalves(b, pair[0], pair[1]);
        });
  }

  /// Whether the state's (k, k + 1) pairs (k even) are adjacent and as
  /// aligned as the pair: the state's innermost dimension is the innermost
  /// depth loop, of even range, its pairs aligned (seqc::runsAligned).
  bool statePairsContiguous() {
    AffineMap map = step.contraction.getIndexingMapsArray()[step.state];
    if (!map.getNumResults())
      return false;
    auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
    return last && last.getPosition() == step.depth.back() &&
           step.ranges[last.getPosition()] % 2 == 0 &&
           seqc::runsAligned(
               cast<MemRefType>(
                   step.contraction->getOperand(step.state).getType()),
               2);
  }

  /// The state at (row, k) and (row, k + 1) as A-fragment registers: one
  /// word of a 16-bit state, or for an f32 state one word per bf16 term,
  /// the smallest first (each the rounding of what the larger ones leave:
  /// the subtraction is exact); 0 past the rows.
  SmallVector<Value, 3> statePair(Value row, Value k) {
    const WeightStationaryStep::TensorCores &tc = *step.tensorCores;
    int64_t rows = step.rowCount();
    Value valid = ult(row, rows);
    SmallVector<Value> loops(stateHeadLoops);
    delinearize(arith::MinUIOp::create(b, row, index(rows - 1)), step.rows,
                step.ranges, loops);
    AffineMap map = step.contraction.getIndexingMapsArray()[step.state];
    Value state = step.contraction->getOperand(step.state);
    Type element = cast<MemRefType>(state.getType()).getElementType();
    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(element));
    SmallVector<Value> rest;
    if (stateVectorPairs) {
      // k is even: the pair is one aligned 2-element load (one 16-bit
      // state's pair is the fragment word as it is).
      delinearize(k, step.depth, step.ranges, loops);
      int64_t bytes = 2 * element.getIntOrFloatBitWidth() / 8;
      Value pair = vector::LoadOp::create(
          b, VectorType::get({2}, element), state, indices(map, loops),
          /*nontemporal=*/false, llvm::Align(bytes));
      if (!element.isF32()) {
        Value word = vector::ExtractOp::create(
            b,
            vector::BitCastOp::create(b, VectorType::get({1}, b.getI32Type()),
                                      pair),
            0);
        return {seqc::mmaRegister(
            b,
            arith::SelectOp::create(
                b, valid, word,
                arith::ConstantIntOp::create(b, b.getI32Type(), 0)),
            tc.type)};
      }
      for (int64_t i = 0; i < 2; ++i)
        rest.push_back(arith::SelectOp::create(
            b, valid, vector::ExtractOp::create(b, pair, i), zero));
    } else {
      for (int64_t i = 0; i < 2; ++i) {
        delinearize(add(k, index(i)), step.depth, step.ranges, loops);
        rest.push_back(arith::SelectOp::create(
            b, valid, memref::LoadOp::create(b, state, indices(map, loops)),
            zero));
      }
    }
    if (!element.isF32())
      return {
          seqc::mmaRegister(b, seqc::packHalves(b, rest[0], rest[1]), tc.type)};
    return seqc::bf16TermWords(b, rest[0], rest[1], tc.stateTerms);
  }

  /// The gates of the block's units on tensor cores. Warp w has tile
  /// coordinates (m, n, k) in the plan's (warpsM, warpsN, warpsK) and takes
  /// the m16n8 tiles and 16-deep k steps congruent to them; its fragments
  /// of R are loaded once (registers: an op tagged seq.step_invariant that
  /// seq-persistent-time-loops runs before the first step) or read from
  /// shared memory where R is staged once as packed k pairs. Each k group's
  /// partial tiles go to shared memory; after a barrier, a thread per
  /// element of acc adds them (and acc's initial value) up.
  void buildTensorCoreGates(Value thread, Value firstUnit,
                            ArrayRef<Value> buffers) {
    const WeightStationaryStep::TensorCores &tc = *step.tensorCores;
    stateVectorPairs = statePairsContiguous();
    // The block's head (every unit of a block has the same), in bounds for
    // a block past the units: the state's unit loops for every load.
    stateHeadLoops.assign(step.ranges.size(), index(0));
    delinearize(arith::MinUIOp::create(b, firstUnit, index(step.unitCount - 1)),
                step.units, step.ranges, stateHeadLoops);
    Value staged = tc.weightsInRegisters ? Value() : buffers[0];
    Value partials = buffers.back();
    int64_t paddedColumns = tc.nTiles * 8,
            threads = seqc::kPersistentBlockThreads;
    if (staged) {
      // R as packed k pairs, [k pair][column]: consecutive threads take
      // consecutive columns.
      int64_t words = tc.kSteps * 8 * paddedColumns;
      auto stage = scf::ForOp::create(b, thread, index(words), index(threads));
      {
        OpBuilder::InsertionGuard inStage(b);
        b.setInsertionPointToStart(stage.getBody());
        Value e = stage.getInductionVar();
        Value kPair = div(e, paddedColumns), n = rem(e, paddedColumns);
        memref::StoreOp::create(b, weightPair(kPair, n, firstUnit), staged,
                                ValueRange{kPair, n});
      }
      stage->setAttr(seqc::kStepInvariantAttr, b.getUnitAttr());
      gpu::BarrierOp::create(b)->setAttr(seqc::kStepInvariantAttr,
                                         b.getUnitAttr());
    }

    Value lane = rem(thread, 32), warp = div(thread, 32);
    Value group = div(lane, 4), inGroup = rem(lane, 4);
    // Warps past the split (when the tiles do not fill the block) repeat
    // a coordinate's loads but neither compute nor store.
    Value w = rem(warp, tc.warps());
    Value warpK = rem(w, tc.warpsK), warpN = rem(div(w, tc.warpsK), tc.warpsN),
          warpM = div(w, tc.warpsK * tc.warpsN);
    auto kStepOf = [&](int64_t s) { return add(warpK, index(s * tc.warpsK)); };
    auto nTileOf = [&](int64_t j) { return add(warpN, index(j * tc.warpsN)); };
    auto mTileOf = [&](int64_t i) { return add(warpM, index(i * tc.warpsM)); };
    // Fragment word h (0: k 2t.., 1: k 2t+8..) of the warp's s-th k step
    // and j-th n tile: its k pair and column.
    auto fragmentAt = [&](int64_t s, int64_t j, int64_t h) {
      Value kPair = add(add(mul(kStepOf(s), 8), inGroup), index(4 * h));
      Value n = add(mul(nTileOf(j), 8), group);
      return std::make_pair(kPair, n);
    };
    SmallVector<Value> fragments;
    if (!staged) {
      auto region = scf::ExecuteRegionOp::create(
          b, SmallVector<Type>(tc.fragmentWords(), b.getI32Type()));
      region.setNoInline(true);
      region->setAttr(seqc::kStepInvariantAttr, b.getUnitAttr());
      OpBuilder::InsertionGuard inRegion(b);
      b.setInsertionPointToStart(&region.getRegion().emplaceBlock());
      SmallVector<Value> words;
      for (int64_t s = 0; s < tc.kPerWarp(); ++s)
        for (int64_t j = 0; j < tc.nPerWarp(); ++j)
          for (int64_t h = 0; h < 2; ++h) {
            auto [kPair, n] = fragmentAt(s, j, h);
            words.push_back(weightPair(kPair, n, firstUnit));
          }
      scf::YieldOp::create(b, words);
      llvm::append_range(fragments, region.getResults());
    }
    auto weightFragment = [&](int64_t s, int64_t j) {
      SmallVector<Value> registers;
      for (int64_t h = 0; h < 2; ++h) {
        Value word;
        if (staged) {
          auto [kPair, n] = fragmentAt(s, j, h);
          word = memref::LoadOp::create(b, staged, ValueRange{kPair, n});
        } else {
          word = fragments[(s * tc.nPerWarp() + j) * 2 + h];
        }
        registers.push_back(seqc::mmaRegister(b, word, tc.type));
      }
      return registers;
    };

    auto active = scf::IfOp::create(b, ult(warp, tc.warps()),
                                    /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard inActive(b);
      b.setInsertionPointToStart(active.thenBlock());
      Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0));
      // acc tiles [i][j], four registers each.
      SmallVector<Value> acc(tc.mPerWarp() * tc.nPerWarp() * 4, zero);
      for (int64_t s = 0; s < tc.kPerWarp(); ++s) {
        SmallVector<SmallVector<Value>> bFragments;
        for (int64_t j = 0; j < tc.nPerWarp(); ++j)
          bFragments.push_back(weightFragment(s, j));
        Value k0 = add(mul(kStepOf(s), 16), mul(inGroup, 2)),
              k1 = add(k0, index(8));
        for (int64_t i = 0; i < tc.mPerWarp(); ++i) {
          Value row0 = add(mul(mTileOf(i), 16), group),
                row1 = add(row0, index(8));
          // a0a1 (g, 2t), a2a3 (g+8, 2t), a4a5 (g, 2t+8), a6a7 (g+8, 2t+8);
          // each one word, or a high and a low word.
          SmallVector<SmallVector<Value, 3>> a = {
              statePair(row0, k0), statePair(row1, k0), statePair(row0, k1),
              statePair(row1, k1)};
          for (size_t half = 0; half < a[0].size(); ++half) {
            SmallVector<Value> aFragment;
            for (auto &words : a)
              aFragment.push_back(words[half]);
            for (int64_t j = 0; j < tc.nPerWarp(); ++j)
              seqc::mmaM16N8K16(
                  b, tc.type, aFragment, bFragments[j],
                  MutableArrayRef<Value>(
                      acc.data() + (i * tc.nPerWarp() + j) * 4, 4));
          }
        }
      }
      for (int64_t i = 0; i < tc.mPerWarp(); ++i)
        for (int64_t j = 0; j < tc.nPerWarp(); ++j) {
          Value row = add(mul(mTileOf(i), 16), group);
          Value column = add(mul(nTileOf(j), 8), mul(inGroup, 2));
          for (int64_t r = 0; r < 4; ++r)
            memref::StoreOp::create(
                b, acc[(i * tc.nPerWarp() + j) * 4 + r], partials,
                ValueRange{warpK, r < 2 ? row : add(row, index(8)),
                           add(column, index(r % 2))});
        }
    }
    // With the gates in shared memory, the cell adds the partial tiles up
    // after build's barrier.
    if (tc.gatesInShared) {
      gatePartials = partials;
      return;
    }
    gpu::BarrierOp::create(b);

    // acc = its initial value + the k groups' partial sums, in group order.
    int64_t columns = step.columnCount(),
            blockColumns = step.unitsPerBlock * columns;
    strided(
        thread, firstUnit, step.rowCount() * blockColumns,
        [&](Value e) { return div(rem(e, blockColumns), columns); },
        [&](Value e, Value, Value unit) {
          Value row = div(e, blockColumns), n = rem(e, blockColumns);
          Value sum = sumPartials(partials, row, n);
          SmallVector<Value> loops(step.ranges.size());
          delinearize(unit, step.units, step.ranges, loops);
          delinearize(row, step.rows, step.ranges, loops);
          SmallVector<Value> at = accIndices(loops, rem(n, columns));
          memref::StoreOp::create(
              b, arith::AddFOp::create(b, initialAcc(at, Value()), sum),
              step.acc(), at);
        });
  }

  /// The linear index of `dims` (ranges `of`) at `loops`.
  Value linearize(ArrayRef<Value> loops, ArrayRef<unsigned> dims,
                  ArrayRef<int64_t> of) {
    Value linear = index(0);
    for (unsigned d : dims)
      linear = add(mul(linear, of[d]), loops[d]);
    return linear;
  }

  /// The gate at acc's indices `at` (of this block's units): the fill's
  /// value plus the k groups' partial sums, in group order.
  Value gateFromPartials(ArrayRef<Value> at, Value firstUnit) {
    AffineMap accMap = step.contraction.getIndexingMapsArray().back();
    SmallVector<Value> loops(step.ranges.size());
    for (auto [a, value] : llvm::enumerate(at))
      loops[accMap.getDimPosition(a)] = value;
    Value row = linearize(loops, step.rows, step.ranges);
    Value local = arith::SubIOp::create(
        b, linearize(loops, step.units, step.ranges), firstUnit);
    Value n = add(mul(local, step.columnCount()),
                  linearize(loops, step.columns, step.ranges));
    return arith::AddFOp::create(b, step.fillValue,
                                 sumPartials(gatePartials, row, n));
  }

  /// The k groups' partial sums of the block's gate (row, n), in group
  /// order.
  Value sumPartials(Value partials, Value row, Value n) {
    Value sum;
    for (int64_t g = 0; g < step.tensorCores->warpsK; ++g) {
      Value partial =
          memref::LoadOp::create(b, partials, ValueRange{index(g), row, n});
      sum = sum ? arith::AddFOp::create(b, sum, partial).getResult() : partial;
    }
    return sum;
  }

  /// The cell of the block's units; consecutive threads, consecutive units.
  void buildCell(Value thread, Value firstUnit) {
    linalg::GenericOp cell = step.cell;
    int64_t upb = step.unitsPerBlock;
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
            SmallVector<Value> at =
                indices(cellMaps[operand.getOperandNumber()], loops);
            args.push_back(
                gatePartials && operand.get() == step.acc()
                    ? gateFromPartials(at, firstUnit)
                    : memref::LoadOp::create(b, operand.get(), at).getResult());
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
  }
};

struct WeightStationaryStepsPass
    : seqc::impl::SeqWeightStationaryStepsBase<WeightStationaryStepsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (stateTerms < 1 || stateTerms > 3) {
      getOperation().emitError("seq-weight-stationary-steps: state-terms must "
                               "be 1, 2 or 3, not ")
          << int64_t(stateTerms);
      return signalPassFailure();
    }
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
      std::string why, whyNotTensorCores;
      FailureOr<WeightStationaryStep> step =
          analyzeStep(contraction, loop, blocks, sharedBytes, tensorCores,
                      fragmentRegisters, stateTerms, why, whyNotTensorCores);
      if (failed(step)) {
        if (!why.empty())
          contraction.emitRemark("the recurrent weights stay in global "
                                 "memory, read every step: ")
              << why;
        continue;
      }
      if (!whyNotTensorCores.empty())
        contraction.emitRemark("the gates' products run on FMA units, not "
                               "tensor cores: ")
            << whyNotTensorCores;
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
