//===- WeightStationaryMmaGates.cpp - the step's gates on tensor cores ----===//
#include "lib/Conversion/SeqToGPU/WeightStationaryStep.h"

using namespace mlir;

namespace seqc::weight_stationary {

Value StepKernelBuilder::weightPair(Value kPair, Value n, Value firstUnit) {
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

bool StepKernelBuilder::statePairsContiguous() {
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

SmallVector<Value, 3> StepKernelBuilder::statePair(Value row, Value k) {
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

void StepKernelBuilder::buildTensorCoreGates(Value thread, Value firstUnit,
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
    seq::StepInvariantMarker::set(stage);
    seq::StepInvariantMarker::set(gpu::BarrierOp::create(b));
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
    seq::StepInvariantMarker::set(region);
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
            seqc::mmaM16N8K16(b, tc.type, aFragment, bFragments[j],
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

Value StepKernelBuilder::gateFromPartials(ArrayRef<Value> at, Value firstUnit) {
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

Value StepKernelBuilder::sumPartials(Value partials, Value row, Value n) {
  Value sum;
  for (int64_t g = 0; g < step.tensorCores->warpsK; ++g) {
    Value partial =
        memref::LoadOp::create(b, partials, ValueRange{index(g), row, n});
    sum = sum ? arith::AddFOp::create(b, sum, partial).getResult() : partial;
  }
  return sum;
}

} // namespace seqc::weight_stationary
