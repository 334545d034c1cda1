//===- MmaKernel.cpp - the tensor-core kernel of a contraction ------------===//
#include "lib/Conversion/SeqToGPU/IndexArithmetic.h"
#include "lib/Conversion/SeqToGPU/MmaContraction.h"

using namespace mlir;

namespace seqc::mma {

namespace {

/// Builds the kernel of one contraction.
struct MmaKernelBuilder : IndexArithmetic {
  linalg::GenericOp op;
  const Contraction &con;
  const MmaTiling &tiling;
  /// Whether the accumulators start from 0 (the output was just filled
  /// with zeros, a fill this kernel replaces) instead of from the output.
  bool fromZero;
  /// The batch loops' indices of this block, set once.
  SmallVector<Value> batchIndices;
  /// The operands' indexing maps (A, B, C), read once.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();

  /// Loop indices of `dims` from their linearized index `linear`.
  void delinearize(Value linear, ArrayRef<unsigned> dims,
                   SmallVectorImpl<Value> &indices) {
    IndexArithmetic::delinearize(linear, dims, con.ranges, indices);
  }

  /// Indices into operand `operand` (0: A, 1: B, 2: C) of the element at
  /// linearized m (or -), n (or -) and k (or -).
  SmallVector<Value> elementIndices(unsigned operand, Value m, Value n,
                                    Value k) {
    SmallVector<Value> loops(con.ranges.size());
    Value zero = index(0);
    for (auto [d, range] : llvm::enumerate(con.ranges))
      if (range == 1)
        loops[d] = zero;
    for (auto [d, value] : llvm::zip(con.batch, batchIndices))
      loops[d] = value;
    if (m)
      delinearize(m, con.m, loops);
    if (n)
      delinearize(n, con.n, loops);
    if (k)
      delinearize(k, con.k, loops);
    SmallVector<Value> indices;
    for (AffineExpr result : maps[operand].getResults())
      indices.push_back(loops[cast<AffineDimExpr>(result).getPosition()]);
    return indices;
  }

  Value buffer(unsigned operand) { return op->getOperand(operand); }

  /// Whether the contiguous dimension of operand `operand` is one of
  /// `dims`.
  bool contiguousIn(unsigned operand, ArrayRef<unsigned> dims) {
    AffineMap map = maps[operand];
    if (map.getNumResults() == 0)
      return false;
    return llvm::is_contained(
        dims, cast<AffineDimExpr>(map.getResults().back()).getPosition());
  }

  /// How an operand's slices reach shared memory.
  enum class Staging {
    /// Two 2-byte loads per packed word (any layout).
    Pairs,
    /// The operand's contiguous dimension is k: one 16-byte load of 8 k
    /// is, in memory order, four packed words.
    AlongK,
    /// Its contiguous dimension is the tile's rows (m or n): 16-byte loads
    /// of 8 rows at k and at k + 1 pack into eight words, one per row.
    AlongRows,
  };

  /// The loop of the operand's contiguous dimension, in whole chunks: the
  /// innermost k loop in whole slices, or the innermost row loop in whole
  /// 8-row chunks (tiles are multiples of 8 rows).
  Staging stagingOf(unsigned operand, bool rowsAreM) {
    AffineMap map = maps[operand];
    if (int(operand) == con.splitOperand || map.getNumResults() == 0 ||
        !seqc::runsAligned(cast<MemRefType>(buffer(operand).getType()),
                           kVectorElements))
      return Staging::Pairs;
    unsigned last = cast<AffineDimExpr>(map.getResults().back()).getPosition();
    if (last == con.k.back() && con.ranges[last] % tiling.depth == 0)
      return Staging::AlongK;
    ArrayRef<unsigned> rowLoops = rowsAreM ? con.m : con.n;
    if (!rowLoops.empty() && last == rowLoops.back() &&
        con.ranges[last] % kVectorElements == 0)
      return Staging::AlongRows;
    return Staging::Pairs;
  }

  /// How many loads (packed words or vectors of them) stage a `rows` x
  /// depth slice.
  int64_t stagingUnits(Staging staging, int64_t rows) {
    switch (staging) {
    case Staging::Pairs:
      return rows * tiling.depth / 2;
    case Staging::AlongK:
      return rows * tiling.depth / kVectorElements;
    case Staging::AlongRows:
      return rows * tiling.depth / (2 * kVectorElements);
    }
    return 0;
  }

  /// Where this thread's `i`-th pair of the block's `rows` x depth slice
  /// of operand `operand` is: (row in the tile, pair of k), with
  /// consecutive threads along the buffer's contiguous dimension.
  std::pair<Value, Value> pairPosition(unsigned operand, int64_t rows, Value p,
                                       bool rowsAreM) {
    int64_t pairsPerRow = tiling.depth / 2;
    bool rowContiguous =
        contiguousIn(operand, rowsAreM ? ArrayRef<unsigned>(con.m)
                                       : ArrayRef<unsigned>(con.n));
    Value row = rowContiguous ? rem(p, rows) : div(p, pairsPerRow);
    Value pair = rowContiguous ? div(p, rows) : rem(p, pairsPerRow);
    return {row, pair};
  }

  /// The pairs this thread stages of slice `k0` of operand `operand`
  /// (rows along m or n from `rowBase`), loaded from global memory and
  /// packed, in the order storeSlice expects (0 for a thread without one).
  SmallVector<Value> loadSlice(unsigned operand, int64_t rows, Value rowBase,
                               Value k0, Value tid, bool rowsAreM) {
    Staging staging = stagingOf(operand, rowsAreM);
    if (staging != Staging::Pairs)
      return loadSliceWide(operand, staging, rows, rowBase, k0, tid, rowsAreM);
    int64_t pairs = rows * (tiling.depth / 2), threads = tiling.threads();
    SmallVector<Value> words;
    for (int64_t first = 0; first < pairs; first += threads) {
      Value p = add(tid, first);
      auto [row, pair] = pairPosition(operand, rows, p, rowsAreM);
      Value line = add(rowBase, row);
      Value k = add(k0, mul(pair, 2));
      auto element = [&](int64_t i) {
        auto load = [&]() -> Value {
          Value kk = add(k, i);
          return memref::LoadOp::create(
              b, buffer(operand),
              rowsAreM ? elementIndices(operand, line, Value(), kk)
                       : elementIndices(operand, Value(), line, kk));
        };
        Type type =
            cast<MemRefType>(buffer(operand).getType()).getElementType();
        return first + threads <= pairs ? load()
                                        : loadIfBelow(p, pairs, type, load);
      };
      Value low = element(0), high = element(1);
      // An f32 operand: its terms' words, smallest first.
      if (int(operand) == con.splitOperand)
        llvm::append_range(words, seqc::bf16TermWords(b, low, high, con.terms));
      else
        words.push_back(seqc::packHalves(b, low, high));
    }
    return words;
  }

  /// `load()` where `p` < `count`, zeros elsewhere (a thread past the end
  /// of the last round).
  Value loadIfBelow(Value p, int64_t count, Type type,
                    function_ref<Value()> load) {
    return seqc::valueOrZero(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, p, index(count)),
        type, load);
  }

  /// loadSlice for 16-byte staging. AlongK: this thread's 8-k chunks
  /// (consecutive threads along a row's chunks) as vectors of four packed
  /// words. AlongRows: its (8-row chunk, k pair)s (consecutive threads
  /// along the rows), two loads each, as vectors of eight words, word i
  /// the pair of row i.
  SmallVector<Value> loadSliceWide(unsigned operand, Staging staging,
                                   int64_t rows, Value rowBase, Value k0,
                                   Value tid, bool rowsAreM) {
    bool alongK = staging == Staging::AlongK;
    int64_t units = stagingUnits(staging, rows), threads = tiling.threads();
    int64_t perLine =
        alongK ? tiling.depth / kVectorElements : rows / kVectorElements;
    auto chunkType = VectorType::get({kVectorElements}, con.operandType);
    auto wordsType = VectorType::get(
        {alongK ? kVectorElements / 2 : kVectorElements}, b.getI32Type());
    auto loadChunk = [&](Value line, Value k) -> Value {
      return vector::LoadOp::create(
          b, chunkType, buffer(operand),
          rowsAreM ? elementIndices(operand, line, Value(), k)
                   : elementIndices(operand, Value(), line, k),
          /*nontemporal=*/false, llvm::Align(2 * kVectorElements));
    };
    // A chunk's elements as the low (or, shifted, high) halves of words.
    auto widen = [&](Value chunk) -> Value {
      Value bits = vector::BitCastOp::create(
          b, VectorType::get({kVectorElements}, b.getI16Type()), chunk);
      return arith::ExtUIOp::create(b, wordsType, bits);
    };
    SmallVector<Value> vectors;
    for (int64_t first = 0; first < units; first += threads) {
      Value c = add(tid, first);
      auto load = [&]() -> Value {
        if (alongK)
          return vector::BitCastOp::create(
              b, wordsType,
              loadChunk(add(rowBase, div(c, perLine)),
                        add(k0, mul(rem(c, perLine), kVectorElements))));
        Value line = add(rowBase, mul(rem(c, perLine), kVectorElements));
        Value k = add(k0, mul(div(c, perLine), 2));
        Value sixteen = arith::ConstantOp::create(
            b, DenseElementsAttr::get(wordsType, b.getI32IntegerAttr(16)));
        return arith::OrIOp::create(
            b, widen(loadChunk(line, k)),
            arith::ShLIOp::create(b, widen(loadChunk(line, add(k, 1))),
                                  sixteen));
      };
      vectors.push_back(first + threads <= units
                            ? load()
                            : loadIfBelow(c, units, wordsType, load));
    }
    return vectors;
  }

  /// Writes loadSlice's `words` into `shared` (rows of packed k pairs).
  void storeSlice(unsigned operand, ArrayRef<Value> words, Value shared,
                  int64_t rows, Value tid, bool rowsAreM) {
    Staging staging = stagingOf(operand, rowsAreM);
    int64_t pairs = stagingUnits(staging, rows), threads = tiling.threads();
    int64_t terms = con.termsOf(operand);
    for (auto [i, word] : llvm::enumerate(words)) {
      // A split operand's words come `terms` to a pair; term t's tile is
      // rows t * rows.. of `shared`.
      int64_t first = int64_t(i) / terms * threads;
      int64_t termRows = int64_t(i) % terms * rows;
      Value p = add(tid, first);
      std::optional<scf::IfOp> guard;
      if (first + threads > pairs) {
        guard = scf::IfOp::create(
            b,
            arith::CmpIOp::create(b, arith::CmpIPredicate::ult, p,
                                  index(pairs)),
            /*withElseRegion=*/false);
        b.setInsertionPointToStart(&guard->getThenRegion().front());
      }
      if (staging == Staging::AlongK) {
        // Rows of shared memory are 16-byte multiples (rowWords): the
        // chunk's four words are one aligned vector store.
        int64_t perRow = tiling.depth / kVectorElements;
        vector::StoreOp::create(
            b, word, shared,
            ValueRange{div(p, perRow),
                       mul(rem(p, perRow), kVectorElements / 2)},
            /*nontemporal=*/false, llvm::Align(2 * kVectorElements));
      } else if (staging == Staging::AlongRows) {
        // Eight rows, one word each (their rows are 20 or 12 words apart:
        // eight distinct banks).
        int64_t perLine = rows / kVectorElements;
        Value firstRow = mul(rem(p, perLine), kVectorElements);
        Value pair = div(p, perLine);
        for (int64_t i = 0; i < kVectorElements; ++i)
          memref::StoreOp::create(b, vector::ExtractOp::create(b, word, i),
                                  shared, ValueRange{add(firstRow, i), pair});
      } else {
        auto [row, pair] = pairPosition(operand, rows, p, rowsAreM);
        memref::StoreOp::create(b, word, shared,
                                ValueRange{add(row, termRows), pair});
      }
      if (guard)
        b.setInsertionPointAfter(*guard);
    }
  }

  /// A fragment register: a packed word of `shared`, as the mma operand
  /// type wants it (i32 for bf16, vector<2xf16> for f16).
  Value fragment(Value shared, Value row, Value word) {
    return seqc::mmaRegister(
        b, memref::LoadOp::create(b, shared, ValueRange{row, word}),
        con.operandType);
  }

  gpu::LaunchOp build() {
    MLIRContext *context = b.getContext();
    auto workgroup = gpu::AddressSpaceAttr::get(
        context, gpu::GPUDialect::getWorkgroupAddressSpace());
    auto sharedType = [&](int64_t rows) {
      return MemRefType::get({rows, tiling.rowWords()}, b.getI32Type(),
                             MemRefLayoutAttrInterface{}, workgroup);
    };
    auto launch = gpu::LaunchOp::create(
        b, index(con.N / tiling.blockN), index(con.M / tiling.blockM),
        index(con.B), index(tiling.threads()), index(1), index(1),
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{},
        TypeRange{sharedType(tiling.blockM * con.termsOf(0)),
                  sharedType(tiling.blockN * con.termsOf(1))});
    seq::GpuKernelFields kernel;
    kernel.mmaTile =
        b.getDenseI64ArrayAttr({tiling.blockM, tiling.blockN, tiling.depth});
    kernel.mmaWarps = b.getDenseI64ArrayAttr({tiling.warpsM, tiling.warpsN});
    if (fromZero)
      kernel.accumulatorsFromZero = b.getBoolAttr(true);
    if (con.splitOperand >= 0)
      kernel.mmaTerms = b.getDenseI64ArrayAttr({con.termsOf(0), con.termsOf(1)});
    seq::GpuKernelOf::set(
        launch, kernel.get(b.getContext(), seq::GpuKernelKind::mma_contraction));
    Value sharedA = launch.getWorkgroupAttributions()[0];
    Value sharedB = launch.getWorkgroupAttributions()[1];
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());

    Value tid = launch.getThreadIds().x;
    Value lane = rem(tid, kWarp), warp = div(tid, kWarp);
    Value group = div(lane, 4), inGroup = rem(lane, 4);
    Value warpM = div(warp, tiling.warpsN), warpN = rem(warp, tiling.warpsN);
    Value mBase = mul(launch.getBlockIds().y, tiling.blockM);
    Value nBase = mul(launch.getBlockIds().x, tiling.blockN);
    batchIndices.assign(con.batch.size(), Value());
    {
      SmallVector<Value> loops(con.ranges.size());
      delinearize(launch.getBlockIds().z, con.batch, loops);
      for (auto [i, d] : llvm::enumerate(con.batch))
        batchIndices[i] = loops[d];
    }
    // This thread's rows (in the block tile) and first column of each
    // fragment.
    Value row0 = add(mul(warpM, 16), group), row1 = add(row0, 8);
    SmallVector<Value> columns;
    for (int64_t f = 0; f < tiling.fragments(); ++f)
      columns.push_back(
          add(add(mul(warpN, tiling.warpN()), f * 8), mul(inGroup, 2)));
    // The accumulators start from the output (linalg accumulates into it).
    auto outputAt = [&](Value row, Value column) {
      return elementIndices(2, add(mBase, row), add(nBase, column), Value());
    };
    SmallVector<Value> initial;
    Value zero =
        fromZero
            ? arith::ConstantOp::create(b, b.getF32FloatAttr(0)).getResult()
            : Value();
    for (Value column : columns)
      for (Value row : {row0, row1})
        for (int64_t j = 0; j < 2; ++j)
          initial.push_back(
              fromZero ? zero
                       : memref::LoadOp::create(b, buffer(2),
                                                outputAt(row, add(column, j)))
                             .getResult());
    // initial is (row0: c0 c1, row1: c2 c3) per fragment.

    // The first slice's words are loaded before the loop; each iteration
    // stores the words it carries, then loads the next slice's (the last
    // iteration reloads its own: a clamped slice, no branch) so that
    // those global loads are in flight during this slice's mma.sync.
    auto loadBoth = [&](Value k0) {
      SmallVector<Value> words =
          loadSlice(0, tiling.blockM, mBase, k0, tid, /*rowsAreM=*/true);
      llvm::append_range(words, loadSlice(1, tiling.blockN, nBase, k0, tid,
                                          /*rowsAreM=*/false));
      return words;
    };
    SmallVector<Value> firstWords = loadBoth(index(0));
    // What loadSlice returns for A: packed words, or 16-byte vectors of
    // them.
    size_t wordsOfA =
        llvm::divideCeil(
            stagingUnits(stagingOf(0, /*rowsAreM=*/true), tiling.blockM),
            tiling.threads()) *
        con.termsOf(0);
    SmallVector<Value> carried(initial);
    llvm::append_range(carried, firstWords);
    auto loop = scf::ForOp::create(b, index(0), index(con.K),
                                   index(tiling.depth), carried);
    {
      OpBuilder::InsertionGuard inLoop(b);
      b.setInsertionPointToStart(loop.getBody());
      Value k0 = loop.getInductionVar();
      ArrayRef<BlockArgument> words =
          loop.getRegionIterArgs().drop_front(initial.size());
      SmallVector<Value> wordsA(words.take_front(wordsOfA)),
          wordsB(words.drop_front(wordsOfA));
      storeSlice(0, wordsA, sharedA, tiling.blockM, tid, /*rowsAreM=*/true);
      storeSlice(1, wordsB, sharedB, tiling.blockN, tid, /*rowsAreM=*/false);
      gpu::BarrierOp::create(b);
      Value next = arith::MinUIOp::create(b, add(k0, tiling.depth),
                                          index(con.K - tiling.depth));
      SmallVector<Value> nextWords = loadBoth(next);
      SmallVector<Value> acc(
          loop.getRegionIterArgs().take_front(initial.size()));
      for (int64_t step = 0; step < tiling.depth / 16; ++step) {
        Value word0 = add(inGroup, step * 8), word1 = add(word0, 4);
        // Each fragment read once a step: A's per term (a split operand's
        // term t is rows t * BM.. of its tile), then for each n fragment
        // B's per term, and one product per pair of terms, the smallest
        // term first.
        SmallVector<SmallVector<Value>> a;
        for (int64_t term = 0; term < con.termsOf(0); ++term) {
          Value r0 = add(row0, term * tiling.blockM),
                r1 = add(row1, term * tiling.blockM);
          a.push_back(
              {fragment(sharedA, r0, word0), fragment(sharedA, r1, word0),
               fragment(sharedA, r0, word1), fragment(sharedA, r1, word1)});
        }
        for (int64_t f = 0; f < tiling.fragments(); ++f) {
          Value n = add(add(mul(warpN, tiling.warpN()), f * 8), group);
          SmallVector<SmallVector<Value>> bFragments;
          for (int64_t term = 0; term < con.termsOf(1); ++term) {
            Value row = add(n, term * tiling.blockN);
            bFragments.push_back(
                {fragment(sharedB, row, word0), fragment(sharedB, row, word1)});
          }
          for (ArrayRef<Value> aTerm : a)
            for (ArrayRef<Value> bTerm : bFragments)
              seqc::mmaM16N8K16(b, con.operandType, aTerm, bTerm,
                                MutableArrayRef<Value>(acc.data() + 4 * f, 4));
        }
      }
      // The next slice overwrites the tiles only once every warp is done.
      gpu::BarrierOp::create(b);
      llvm::append_range(acc, nextWords);
      scf::YieldOp::create(b, acc);
    }
    unsigned i = 0; // the accumulators lead the loop's results
    for (Value column : columns)
      for (Value row : {row0, row1})
        for (int64_t j = 0; j < 2; ++j)
          memref::StoreOp::create(b, loop.getResult(i++), buffer(2),
                                  outputAt(row, add(column, j)));
    gpu::TerminatorOp::create(b);
    return launch;
  }
};

} // namespace

gpu::LaunchOp buildMmaKernel(ImplicitLocOpBuilder &b, linalg::GenericOp op,
                             const Contraction &con, const MmaTiling &tiling,
                             bool fromZero) {
  return MmaKernelBuilder{{b}, op, con, tiling, fromZero, {}}.build();
}

} // namespace seqc::mma
