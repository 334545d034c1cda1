//===- WeightStationaryStep.h - the fused step, analyzed and built ---*- C++
//-*-===//
//
// seq-weight-stationary-steps in four parts: the analysis of a fused-variant
// step (WeightStationaryAnalysis.cpp), the kernel it becomes
// (WeightStationaryKernel.cpp: staging, the cell, the launch), and the
// gates' products by FMA (WeightStationaryFmaGates.cpp) or on tensor cores
// (WeightStationaryMmaGates.cpp). The pass (WeightStationaryStepsPass.cpp)
// says what the whole does.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_SEQTOGPU_WEIGHTSTATIONARYSTEP_H
#define SEQC_CONVERSION_SEQTOGPU_WEIGHTSTATIONARYSTEP_H

#include "lib/Conversion/SeqToGPU/IndexArithmetic.h"
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

namespace seqc::weight_stationary {

using namespace mlir;

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

/// The step around `contraction`, or failure: with `why` empty when the
/// contraction is not a recurrent one (no loop-invariant weights), else
/// saying why it stays as it is. The time loop's form (seq.time_loop) may
/// fix the state terms, `units_per_block` and `split_k`; a fixed value the
/// step cannot honour is an error on the loop naming the field
/// (`invalidForm` set).
FailureOr<WeightStationaryStep>
analyzeStep(linalg::GenericOp contraction, scf::ForOp loop, int64_t blocks,
            int64_t sharedBytes, bool tensorCores, int64_t fragmentRegisters,
            int64_t stateTerms, std::string &why,
            std::string &whyNotTensorCores, bool &invalidForm);

struct StepKernelBuilder : IndexArithmetic {
  WeightStationaryStep &step;
  int64_t blocks;
  /// The tensor cores' partial tiles, when the cell reads its gates there.
  Value gatePartials = nullptr;
  /// Set by buildTensorCoreGates for statePair: whether the state's pairs
  /// are one vector load each, and its loops with the block's head.
  bool stateVectorPairs = false;
  SmallVector<Value> stateHeadLoops = {};

  SmallVector<Value> indices(AffineMap map, ArrayRef<Value> loops) {
    return *affine::expandAffineMap(b, b.getLoc(), map, loops);
  }

  /// for e = thread; e < count; e += threads: if the unit `unitOf(e)` of
  /// this block exists, body(e, local unit, unit).
  scf::ForOp strided(Value thread, Value firstUnit, int64_t count,
                     function_ref<Value(Value)> localUnitOf,
                     function_ref<void(Value, Value, Value)> body);

  /// `generic`'s body on `args`, the values it yields.
  SmallVector<Value> inlineBody(linalg::GenericOp generic,
                                ArrayRef<Value> args);


  /// acc's indices where `loops` holds the unit and row loops, the column
  /// loops at the linearized column `column`.
  SmallVector<Value> accIndices(SmallVectorImpl<Value> &loops, Value column) {
    delinearize(column, step.columns, step.ranges, loops);
    return indices(step.contraction.getIndexingMapsArray().back(), loops);
  }

  /// What acc holds at `at` before the contraction adds to it: the fill's
  /// value, or acc's element (where `valid`, if given; 0 elsewhere).
  Value initialAcc(ArrayRef<Value> at, Value valid);

  gpu::LaunchOp build();

  /// Stages the block's weights in `staged` ([k][unit][column]), then
  /// computes the gates of its units by FMA: a thread computes every column
  /// (gate) of one (row, unit), so that the state's loads serve them all
  /// and their sums are independent chains; when the contraction
  /// accumulates by addition, `split` consecutive lanes of a warp share a
  /// (row, unit)'s k loop (lane s takes k = s, s + split, ...) and add
  /// their partial sums by shuffles. Every thread runs the same number of
  /// rounds (the shuffles need whole warps); tasks past the end run no k.
  void buildFmaGates(Value thread, Value firstUnit, Value staged);

  /// R at k pair `kPair` and the block's column `n` (its local unit
  /// n / columns, column n % columns): R[2 kPair, n] and R[2 kPair + 1, n]
  /// packed, an mma B-fragment word; 0 past the block's units.
  Value weightPair(Value kPair, Value n, Value firstUnit);

  /// Whether the state's (k, k + 1) pairs (k even) are adjacent and as
  /// aligned as the pair: the state's innermost dimension is the innermost
  /// depth loop, of even range, its pairs aligned (seqc::runsAligned).
  bool statePairsContiguous();

  /// The state at (row, k) and (row, k + 1) as A-fragment registers: one
  /// word of a 16-bit state, or for an f32 state one word per bf16 term,
  /// the smallest first (each the rounding of what the larger ones leave:
  /// the subtraction is exact); 0 past the rows.
  SmallVector<Value, 3> statePair(Value row, Value k);

  /// The gates of the block's units on tensor cores. Warp w has tile
  /// coordinates (m, n, k) in the plan's (warpsM, warpsN, warpsK) and takes
  /// the m16n8 tiles and 16-deep k steps congruent to them; its fragments
  /// of R are loaded once (registers: an op tagged seq.step_invariant that
  /// seq-persistent-time-loops runs before the first step) or read from
  /// shared memory where R is staged once as packed k pairs. Each k group's
  /// partial tiles go to shared memory; after a barrier, a thread per
  /// element of acc adds them (and acc's initial value) up.
  void buildTensorCoreGates(Value thread, Value firstUnit,
                            ArrayRef<Value> buffers);


  /// The gate at acc's indices `at` (of this block's units): the fill's
  /// value plus the k groups' partial sums, in group order.
  Value gateFromPartials(ArrayRef<Value> at, Value firstUnit);

  /// The k groups' partial sums of the block's gate (row, n), in group
  /// order.
  Value sumPartials(Value partials, Value row, Value n);

  /// The cell of the block's units; consecutive threads, consecutive units.
  void buildCell(Value thread, Value firstUnit);
};

} // namespace seqc::weight_stationary

#endif // SEQC_CONVERSION_SEQTOGPU_WEIGHTSTATIONARYSTEP_H
