//===- WeightStationaryFmaGates.cpp - the step's gates by FMA -------------===//
#include "lib/Conversion/SeqToGPU/WeightStationaryStep.h"

using namespace mlir;

namespace seqc::weight_stationary {

void StepKernelBuilder::buildFmaGates(Value thread, Value firstUnit,
                                      Value staged) {
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
  seq::StepInvariantMarker::set(stage);
  seq::StepInvariantMarker::set(gpu::BarrierOp::create(b));

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
    inits.push_back(split > 1 ? zero
                              : initialAcc(accIndices(loops, index(c)), valid));
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
      split > 1 ? both(valid, arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
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

} // namespace seqc::weight_stationary
