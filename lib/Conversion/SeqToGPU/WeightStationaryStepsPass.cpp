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
#include "lib/Conversion/SeqToGPU/WeightStationaryStep.h"

namespace seqc {
#define GEN_PASS_DEF_SEQWEIGHTSTATIONARYSTEPS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;
using namespace seqc::weight_stationary;

namespace {

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
    Operation *op = getOperation();
    if (failed(seqc::checkPassOption(op, getArgument(), "blocks", blocks, 1)) ||
        failed(seqc::checkPassOption(op, getArgument(), "shared-bytes",
                                     sharedBytes, 0)) ||
        failed(seqc::checkPassOption(op, getArgument(), "fragment-registers",
                                     fragmentRegisters, 0)))
      return signalPassFailure();
    SmallVector<std::pair<linalg::GenericOp, scf::ForOp>> candidates;
    getOperation().walk([&](scf::ForOp loop) {
      if (!seqc::isFusedTimeLoop(loop) ||
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
      bool invalidForm = false;
      FailureOr<WeightStationaryStep> step = analyzeStep(
          contraction, loop, blocks, sharedBytes, tensorCores,
          fragmentRegisters, stateTerms, why, whyNotTensorCores, invalidForm);
      if (invalidForm)
        return signalPassFailure();
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
      StepKernelBuilder{{b}, *step, blocks}.build();
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
