//===- RegisterTileContractionsPass.cpp -----------------------------------===//
//
// A contraction C[b, i, j] += A[b, i, k] B[b, k, j] (linalg.matmul,
// linalg.batch_matmul on buffers) that carries a #seq.register_tile becomes
// a microkernel nest:
//
//   scf.parallel (b, i0, j0) step (1, rows, columns)   -- every block
//     acc[r][v] = C[b, i0 + r, j0 + v*w : w]           -- rows x vectors
//     scf.for k iter_args(acc) {seq.register_tile}
//       bv[v] = B[b, k, j0 + v*w : w]
//       acc[r][v] = fma(broadcast(A[b, i0 + r, k]), bv[v], acc[r][v])
//     C[...] = acc
//
// where the last column block is a column tail (fewer vectors, the last
// one masked) and a partial last row block runs kernels of the powers of
// two below `rows` over the rows left (which also serves a dynamic row
// count), all in one thread team. The accumulators are loop-carried vectors, so
// LLVM keeps them in registers for the whole reduction: rows x vectors
// multiply-adds per step from `vectors` loads of B and `rows` broadcasts of A,
// where the generic loop nest reloads and stores the output row at every step.
//
// With `packed_b`, B is first copied into panels of the block's columns
// (PackedPanels.h), once, before the outermost loop that does not define B
// when nothing writes B; a block then reads its panel contiguously.
//
// A tile with `bf16_terms` builds the bf16 pair kernel instead (hosts with
// AVX-512 BF16): each reduction step takes two steps of K, B's rows packed
// in pairs and panels (where `packed_b` would pack them) and A's pair
// broadcast as a 32-bit word from A itself (bf16, rows contiguous, K even)
// or from its bf16 terms, each term one `x86vector.avx512.dot` per
// accumulator (Bf16Operands.h).
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/Bf16Operands.h"
#include "lib/Conversion/SeqToLoops/ContractionStart.h"
#include "lib/Conversion/SeqToLoops/PackedPanels.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQREGISTERTILECONTRACTIONS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;
using seqc::seq::RegisterTileAttr;
using seqc::seq::RegisterTileOf;
using namespace seqc;

namespace {

/// The operands of a contraction in one shape: A [batch?, M, K],
/// B [batch?, K, N], C [batch?, M, N].
struct Contraction {
  Value a, b, c;
  bool batched = false;
  /// A is given as A^T [batch?, K, M] (indexing maps (k, i) for A): its
  /// elements are broadcast one at a time, so its layout costs nothing.
  bool aTransposed = false;
  /// What C holds when the contraction starts, when the op just before it
  /// wrote it and is subsumed (ContractionStart.h). The accumulators then
  /// start from it and C is written once, not filled, reread and rewritten.
  ContractionStart start;
  /// B packed in panels of the block's columns [batch?, panels, K,
  /// columns] (`packed_b`), or null.
  Value bPanels;
  /// The pair kernel's operands: B packed in panels of pairs of rows
  /// [batch?, panels, ceil(K/2), 2 columns]; A's pairs in a bf16 buffer with
  /// contiguous rows, [batch?, M, K] (A itself) or [batch?, terms, M, K'] (its
  /// terms).
  Value bPairs, aPairs;
  int64_t terms = 0;
  bool aPairsHaveTerms = false;
  /// The blocks of a column panel run consecutively
  /// (registerTileColumnsOuter).
  bool columnsOuter = false;
};

/// Whether `v`'s rows are contiguous (unit innermost stride).
bool contiguousRows(Value v) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(
             cast<MemRefType>(v.getType()).getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// Why `op` cannot become a microkernel, or empty: the default indexing
/// maps, static K and N, a unit innermost stride in C (and in B, read as
/// vectors); f32 buffers, or for the pair kernel (`pairs`) an f32 C, an f32
/// or bf16 A and a B that reads bf16 values (bf16ValuesOf).
std::string unsupportedReason(linalg::LinalgOp op, Contraction &operands,
                              bool pairs) {
  if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op.getOperation()))
    return "it is not a linalg.matmul or linalg.batch_matmul";
  if (!op.hasPureBufferSemantics())
    return "it is not on buffers (the pass runs after bufferization)";
  operands.batched = isa<linalg::BatchMatmulOp>(op.getOperation());
  // The maps: the default ones, or A transposed ((b,) k, i) with B and C
  // as usual.
  unsigned loops = operands.batched ? 4 : 3;
  MLIRContext *context = op->getContext();
  auto map = [&](ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    if (operands.batched)
      exprs.push_back(getAffineDimExpr(0, context));
    for (unsigned d : dims)
      exprs.push_back(getAffineDimExpr(d + (operands.batched ? 1 : 0), context));
    return AffineMap::get(loops, 0, exprs, context);
  };
  // Loops (i, j, k) after the batch loop.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[1] != map({2, 1}) || maps[2] != map({0, 1}))
    return "it has transposed or broadcast operands (indexing_maps)";
  if (maps[0] == map({2, 0}))
    operands.aTransposed = true;
  else if (maps[0] != map({0, 2}))
    return "it has transposed or broadcast operands (indexing_maps)";
  operands.a = op.getDpsInputOperand(0)->get();
  operands.b = op.getDpsInputOperand(1)->get();
  operands.c = op.getDpsInitOperand(0)->get();
  auto elementOf = [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  };
  if (!pairs) {
    for (Value v : {operands.a, operands.b, operands.c})
      if (!elementOf(v).isF32())
        return "an operand is not f32";
  } else {
    if (!elementOf(operands.c).isF32() ||
        !isa<Float32Type, BFloat16Type>(elementOf(operands.a)))
      return "the bf16 pair kernel needs an f32 C and an f32 or bf16 A";
    if (!bf16ValuesOf(operands.b, op, /*builder=*/nullptr))
      return "B does not read bf16 values (bf16 elements, or f32 ones "
             "widened from a bf16 argument nothing writes)";
  }
  auto bType = cast<MemRefType>(operands.b.getType());
  int64_t rank = bType.getRank();
  if (bType.isDynamicDim(rank - 1) || bType.isDynamicDim(rank - 2))
    return "its reduction or column size is dynamic";
  if (!contiguousRows(operands.c) || (!pairs && !contiguousRows(operands.b)))
    return "an operand's rows are not contiguous";
  return "";
}

/// Builds the kernels of one contraction.
class MicrokernelBuilder {
public:
  MicrokernelBuilder(OpBuilder &b, Location loc, const Contraction &operands,
                     RegisterTileAttr tile)
      : b(b), loc(loc), ops(operands), tile(tile),
        width(tile.getVectorWidth()),
        vectorType(VectorType::get({width}, b.getF32Type())),
        pairType(VectorType::get({2 * width}, b.getBF16Type())) {}

  void build() {
    auto bType = cast<MemRefType>(ops.b.getType());
    int64_t rank = bType.getRank();
    int64_t n = bType.getDimSize(rank - 1);
    int64_t rows = tile.getRows(), columns = tile.getColumns();
    Value m = memref::DimOp::create(b, loc, ops.c, rank - 2);

    // One thread team over every block (a fork and join per contraction,
    // which inside a step loop is per step): full blocks, the column tail
    // (the last column block, narrower and masked) and the row tail (the
    // last row block when it is partial: one-row kernels over the rows
    // left, which also serves a dynamic row count).
    // Block order: a thread team takes consecutive blocks. When A has few
    // rows (a step's batch) its blocks of one column panel run one after
    // another, so each panel of B is read once per contraction (the step's
    // h R at H768: R, 4.7 MiB in bf16, was streamed from L3 once per row
    // block); with many rows (a projection) a row block sweeps the columns,
    // so A is read once.
    bool columnsOuter = ops.columnsOuter;
    SmallVector<Value> uppers = {m, index(n)};
    SmallVector<int64_t> steps = {rows, columns};
    if (columnsOuter) {
      std::swap(uppers[0], uppers[1]);
      std::swap(steps[0], steps[1]);
    }
    // A blocked reduction: one team per block of K's steps (of K's pairs
    // for the pair kernel), in order, each block's accumulators starting
    // from what the one before stored.
    int64_t reductionSteps = this->reductionSteps();
    int64_t block = reductionSteps;
    if (std::optional<int64_t> steps = tile.getReductionBlock())
      block = ops.bPairs ? std::max<int64_t>(1, *steps / 2) : *steps;
    if (block >= reductionSteps) {
      chunkStart = index(0);
      chunkEnd = index(reductionSteps);
      blocks(uppers, steps, columnsOuter, m, n);
      return;
    }
    scf::ForOp::create(
        b, loc, index(0), index(reductionSteps), index(block), ValueRange{},
        [&](OpBuilder &nested, Location, Value k0, ValueRange) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          chunkStart = k0;
          chunkEnd = arith::MinSIOp::create(b, loc, plus(k0, block),
                                            index(reductionSteps));
          blocks(uppers, steps, columnsOuter, m, n);
          scf::YieldOp::create(b, loc);
        });
  }

private:
  /// The reduction's steps: K, or K's pairs for the pair kernel.
  int64_t reductionSteps() {
    Value reductionB = ops.bPairs ? ops.bPairs : ops.b;
    auto bType = cast<MemRefType>(reductionB.getType());
    return bType.getDimSize(bType.getRank() - 2);
  }

  /// One thread team over every block of C, for the reduction steps from
  /// chunkStart to chunkEnd.
  void blocks(ArrayRef<Value> uppers, ArrayRef<int64_t> steps,
              bool columnsOuter, Value m, int64_t n) {
    int64_t rows = tile.getRows(), columns = tile.getColumns();
    int64_t fullColumns = n / columns * columns, rest = n - fullColumns;
    parallel(uppers, steps, [&](Value bat, ValueRange blockIndex) {
      Value i0 = blockIndex[columnsOuter ? 1 : 0],
            j0 = blockIndex[columnsOuter ? 0 : 1];
      Value lastRow = arith::AddIOp::create(b, loc, i0, index(rows));
      Value fullRowBlock = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sle, lastRow, m);
      auto columnBlock = [&](Value i, int64_t blockRows) {
        if (rest == 0)
          return kernel(bat, i, j0, blockRows, tile.getVectorsPerRow(), 0);
        if (fullColumns == 0)
          return kernel(bat, i, j0, blockRows, ceilDiv(rest, width),
                        rest % width);
        Value fullColumnBlock = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::slt, j0, index(fullColumns));
        branch(
            fullColumnBlock,
            [&] { kernel(bat, i, j0, blockRows, tile.getVectorsPerRow(), 0); },
            [&] {
              kernel(bat, i, j0, blockRows, ceilDiv(rest, width), rest % width);
            });
      };
      branch(
          fullRowBlock, [&] { columnBlock(i0, rows); },
          [&] {
            // The rows left (fewer than `rows`) in kernels of the powers
            // of two below `rows`, largest first: each at most once, so
            // together exactly the rows left (their binary digits), in
            // a few blocks where one-row kernels took one per row.
            Value i = i0;
            int64_t size = int64_t(1) << llvm::Log2_64(rows);
            if (size == rows)
              size /= 2;
            for (; size >= 1; size /= 2) {
              Value left = arith::SubIOp::create(b, loc, m, i);
              Value fits = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::sge, left, index(size));
              auto taken = scf::IfOp::create(b, loc, b.getIndexType(), fits,
                                             /*withElseRegion=*/true);
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPointToStart(taken.thenBlock());
              columnBlock(i, size);
              scf::YieldOp::create(
                  b, loc, ValueRange{arith::AddIOp::create(b, loc, i,
                                                           index(size))
                                         .getResult()});
              b.setInsertionPointToStart(taken.elseBlock());
              scf::YieldOp::create(b, loc, ValueRange{i});
              b.setInsertionPointAfter(taken);
              i = taken.getResult(0);
            }
          });
    });
  }

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  static int64_t ceilDiv(int64_t a, int64_t d) { return (a + d - 1) / d; }

  /// scf.if (condition) { then } else { otherwise }.
  void branch(Value condition, function_ref<void()> then,
              function_ref<void()> otherwise) {
    auto ifOp = scf::IfOp::create(b, loc, condition, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    then();
    b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
    otherwise();
  }

  /// An scf.parallel over the batch (when batched) and the given row and
  /// column dimensions (upper bounds and steps, from 0), whose body gets
  /// the batch index and the others.
  void parallel(ArrayRef<Value> uppers, ArrayRef<int64_t> steps,
                function_ref<void(Value, ValueRange)> body) {
    SmallVector<Value> lbs, ubs, sts;
    if (ops.batched) {
      lbs.push_back(index(0));
      ubs.push_back(memref::DimOp::create(b, loc, ops.c, 0));
      sts.push_back(index(1));
    }
    for (auto [d, upper] : llvm::enumerate(uppers)) {
      lbs.push_back(index(0));
      ubs.push_back(upper);
      sts.push_back(index(steps[d]));
    }
    OpBuilder::InsertionGuard guard(b);
    scf::ParallelOp::create(
        b, loc, lbs, ubs, sts,
        [&](OpBuilder &nested, Location, ValueRange ivs) {
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          Value bat = ops.batched ? ivs.front() : Value();
          body(bat, ops.batched ? ivs.drop_front() : ivs);
        });
  }

  /// The indices of element (i, j) of a [batch?, rows, columns] operand.
  SmallVector<Value> at(Value bat, Value i, Value j) {
    SmallVector<Value> indices;
    if (bat)
      indices.push_back(bat);
    indices.push_back(i);
    indices.push_back(j);
    return indices;
  }

  Value plus(Value v, int64_t c) {
    return c == 0 ? v : arith::AddIOp::create(b, loc, v, index(c)).getResult();
  }

  /// One block of `rows` x `vectors` accumulators at (i0, j0); with
  /// `lastLanes` > 0 the last vector holds that many columns (masked).
  void kernel(Value bat, Value i0, Value j0, int64_t rows, int64_t vectors,
              int64_t lastLanes) {
    Value mask;
    if (lastLanes > 0)
      mask = vector::CreateMaskOp::create(
          b, loc, VectorType::get({width}, b.getI1Type()),
          ValueRange{index(lastLanes)});
    Value zeros = arith::ConstantOp::create(
        b, loc, vectorType,
        DenseElementsAttr::get(vectorType, b.getF32FloatAttr(0.0f)));
    auto masked = [&](int64_t v) { return mask && v == vectors - 1; };
    auto load = [&](Value memref, ArrayRef<Value> indices,
                    int64_t v) -> Value {
      if (masked(v))
        return vector::MaskedLoadOp::create(b, loc, vectorType, memref,
                                            indices, mask, zeros);
      return vector::LoadOp::create(b, loc, vectorType, memref, indices);
    };

    SmallVector<Value> rowIndex, columnIndex;
    for (int64_t r = 0; r < rows; ++r)
      rowIndex.push_back(plus(i0, r));
    for (int64_t v = 0; v < vectors; ++v)
      columnIndex.push_back(plus(j0, v * width));
    // The block's panel of a packed B (j0 is a multiple of the columns).
    Value panel;
    if (ops.bPanels || ops.bPairs)
      panel = arith::DivUIOp::create(b, loc, j0, index(tile.getColumns()));
    auto loadC = [&] {
      SmallVector<Value> values;
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t v = 0; v < vectors; ++v)
          values.push_back(
              load(ops.c, at(bat, rowIndex[r], columnIndex[v]), v));
      return values;
    };
    auto start = [&] {
      if (!ops.start.scalar && !ops.start.row)
        return loadC();
      SmallVector<Value> values;
      Value scalarStart = ops.start.scalar
                              ? vector::BroadcastOp::create(b, loc, vectorType,
                                                            ops.start.scalar)
                                    .getResult()
                              : Value();
      SmallVector<Value> rowStart;
      for (int64_t v = 0; ops.start.row && v < vectors; ++v)
        rowStart.push_back(load(ops.start.row, {columnIndex[v]}, v));
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t v = 0; v < vectors; ++v)
          values.push_back(scalarStart ? scalarStart : rowStart[v]);
      return values;
    };
    // A later block of a blocked reduction continues from C.
    SmallVector<Value> init;
    std::optional<int64_t> first = getConstantIntValue(chunkStart);
    if (first && *first == 0) {
      init = start();
    } else if (!ops.start.scalar && !ops.start.row) {
      init = loadC();
    } else {
      Value isFirst =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, chunkStart,
                                index(0));
      SmallVector<Type> types(rows * vectors, vectorType);
      auto choice = scf::IfOp::create(b, loc, types, isFirst,
                                      /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(choice.thenBlock());
      scf::YieldOp::create(b, loc, start());
      b.setInsertionPointToStart(choice.elseBlock());
      scf::YieldOp::create(b, loc, loadC());
      init.assign(choice.getResults().begin(), choice.getResults().end());
    }

    auto reduction = scf::ForOp::create(
        b, loc, chunkStart, chunkEnd, index(1), init,
        [&](OpBuilder &, Location, Value kk, ValueRange acc) {
          if (ops.bPairs)
            return pairStep(bat, panel, kk, acc, rowIndex, vectors, lastLanes);
          SmallVector<Value> rhs;
          for (int64_t v = 0; v < vectors; ++v)
            rhs.push_back(
                ops.bPanels
                    ? load(ops.bPanels, inPanel(bat, panel, kk, v * width), v)
                    : load(ops.b, at(bat, kk, columnIndex[v]), v));
          SmallVector<Value> next;
          for (int64_t r = 0; r < rows; ++r) {
            Value a = memref::LoadOp::create(
                b, loc, ops.a,
                ops.aTransposed ? at(bat, kk, rowIndex[r])
                                : at(bat, rowIndex[r], kk));
            Value lhs = vector::BroadcastOp::create(b, loc, vectorType, a);
            for (int64_t v = 0; v < vectors; ++v)
              next.push_back(vector::FMAOp::create(b, loc, lhs, rhs[v],
                                                   acc[r * vectors + v]));
          }
          scf::YieldOp::create(b, loc, next);
        });
    RegisterTileOf::set(
        reduction,
        RegisterTileAttr::get(b.getContext(), rows, vectors * width, width,
                              tile.getBf16Terms(), tile.getReductionBlock(),
                              tile.getPackedB()));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t v = 0; v < vectors; ++v) {
        Value value = reduction.getResult(r * vectors + v);
        SmallVector<Value> indices = at(bat, rowIndex[r], columnIndex[v]);
        if (masked(v))
          vector::MaskedStoreOp::create(b, loc, ops.c, indices, mask, value);
        else
          vector::StoreOp::create(b, loc, value, ops.c, indices);
      }
  }

  /// The indices of element `lane` of row kk of packed panel `panel`.
  SmallVector<Value> inPanel(Value bat, Value panel, Value kk, int64_t lane) {
    SmallVector<Value> indices;
    if (bat)
      indices.push_back(bat);
    indices.append({panel, kk, index(lane)});
    return indices;
  }

  /// One step of the pair kernel: reduction steps 2 kk and 2 kk + 1. Row kk
  /// of B's packed panel gives each vector of columns as 2 x width bf16 (a
  /// column's pair side by side); A's pair of each row (and term) is one
  /// 32-bit word broadcast to every lane.
  void pairStep(Value bat, Value panel, Value kk, ValueRange acc,
                ArrayRef<Value> rowIndex, int64_t vectors, int64_t lastLanes) {
    Value pairMask, zeros;
    if (lastLanes > 0) {
      // A column's pair is two bf16 lanes.
      pairMask = vector::CreateMaskOp::create(
          b, loc, VectorType::get({2 * width}, b.getI1Type()),
          ValueRange{index(2 * lastLanes)});
      zeros = arith::ConstantOp::create(
          b, loc, pairType,
          DenseElementsAttr::get(pairType, b.getFloatAttr(b.getBF16Type(), 0)));
    }
    Value two = index(2);
    SmallVector<Value> rhs;
    for (int64_t v = 0; v < vectors; ++v) {
      SmallVector<Value> indices = inPanel(bat, panel, kk, 2 * v * width);
      rhs.push_back(pairMask && v == vectors - 1
                        ? vector::MaskedLoadOp::create(b, loc, pairType,
                                                       ops.bPairs, indices,
                                                       pairMask, zeros)
                              .getResult()
                        : vector::LoadOp::create(b, loc, pairType, ops.bPairs,
                                                 indices)
                              .getResult());
    }
    Value pairColumn = arith::MulIOp::create(b, loc, kk, two);
    auto wordType = VectorType::get({1}, b.getI32Type());
    SmallVector<Value> next(acc.begin(), acc.end());
    for (int64_t r = 0; r < int64_t(rowIndex.size()); ++r)
      for (int64_t t = 0; t < std::max<int64_t>(1, ops.terms); ++t) {
        SmallVector<Value> indices;
        if (bat)
          indices.push_back(bat);
        if (ops.aPairsHaveTerms)
          indices.push_back(index(t));
        indices.append({rowIndex[r], pairColumn});
        Value pair = vector::LoadOp::create(
            b, loc, VectorType::get({2}, b.getBF16Type()), ops.aPairs,
            indices);
        Value word = vector::BitCastOp::create(b, loc, wordType, pair);
        Value words = vector::BroadcastOp::create(
            b, loc, VectorType::get({width}, b.getI32Type()), word);
        Value lhs = vector::BitCastOp::create(b, loc, pairType, words);
        for (int64_t v = 0; v < vectors; ++v)
          next[r * vectors + v] = x86vector::DotBF16Op::create(
              b, loc, next[r * vectors + v], lhs, rhs[v]);
      }
    scf::YieldOp::create(b, loc, next);
  }

  OpBuilder &b;
  Location loc;
  Contraction ops;
  RegisterTileAttr tile;
  int64_t width;
  VectorType vectorType, pairType;
  /// The reduction steps the kernels being built run (all of them, or one
  /// block of a blocked reduction).
  Value chunkStart, chunkEnd;
};

} // namespace

bool seqc::registerTileColumnsOuter(Operation *op) {
  auto c = cast<ShapedType>(
      cast<linalg::LinalgOp>(op).getDpsInitOperand(0)->get().getType());
  int64_t m = c.getDimSize(c.getRank() - 2);
  if (!ShapedType::isDynamic(m))
    return m <= 64;
  for (Operation *parent = op->getParentOp(); parent;
       parent = parent->getParentOp())
    if (seqc::seq::TimeLoopOf::isPresent(parent))
      return true;
  return false;
}

std::string seqc::registerTileBlocker(Operation *op, bool bf16Pairs) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return "it is not a linalg.matmul or linalg.batch_matmul";
  Contraction operands;
  return unsupportedReason(linalgOp, operands, bf16Pairs);
}

namespace {

/// Where B's packed copy is built: before the outermost op around `op` in
/// the block where `source` (B, or the bf16 values it holds) gets its
/// values for good (once per call, not per step of a loop around `op`):
/// the function's block for an argument nothing writes, the block of the
/// one op that writes an allocation (a recurrence's R^T, transposed before
/// the time loop) when that op comes first; else right before `op`.
Operation *packingPoint(Operation *op, Value source) {
  Block *block = nullptr;
  Operation *writer = nullptr;
  if (isReadOnlyBuffer(source)) {
    block = isa<BlockArgument>(source) ? cast<BlockArgument>(source).getOwner()
                                       : source.getDefiningOp()->getBlock();
  } else if ((writer = soleWriter(source))) {
    block = writer->getBlock();
  }
  if (!block)
    return op;
  Operation *outermost = block->findAncestorOpInBlock(*op);
  if (!outermost || outermost == op ||
      (writer && !writer->isBeforeInBlock(outermost)))
    return op;
  return outermost;
}

/// Builds Contraction::bPanels (`packed_b`) and its deallocation.
void preparePanels(linalg::LinalgOp op, Contraction &operands,
                   RegisterTileAttr tile) {
  Operation *point = packingPoint(op, operands.b);
  OpBuilder b(point);
  operands.bPanels = packPanels(b, op.getLoc(), operands.b, tile.getColumns());
  b.setInsertionPointAfter(point);
  memref::DeallocOp::create(b, op.getLoc(), operands.bPanels);
}

/// Builds the pair kernel's operands (Contraction::bPairs, aPairs) and the
/// deallocations of those it allocates.
void preparePairs(linalg::LinalgOp op, Contraction &operands,
                  RegisterTileAttr tile) {
  Location loc = op.getLoc();
  // B: its bf16 values (the views of a widened argument rebuilt at the
  // argument), packed where they cannot change.
  Value bf16B = bf16ValuesOf(operands.b, op, nullptr);
  Operation *point = packingPoint(op, bf16B);
  OpBuilder b(point);
  bf16B = bf16ValuesOf(operands.b, op, &b);
  operands.bPairs = packPairPanels(b, loc, bf16B, tile.getColumns());
  b.setInsertionPointAfter(point);
  memref::DeallocOp::create(b, loc, operands.bPairs);

  // A: itself when its pairs are already 32-bit words (bf16, rows
  // contiguous, K even); else its bf16 terms, split before the kernel.
  auto aType = cast<MemRefType>(operands.a.getType());
  int64_t k = cast<MemRefType>(operands.b.getType())
                  .getDimSize(aType.getRank() - 2);
  bool direct = aType.getElementType().isBF16() && !operands.aTransposed &&
                k % 2 == 0 && contiguousRows(operands.a);
  operands.terms = aType.getElementType().isBF16()
                       ? 1
                       : tile.getBf16Terms().value_or(3);
  if (direct) {
    operands.aPairs = operands.a;
    return;
  }
  b.setInsertionPoint(op);
  operands.aPairs =
      splitIntoBf16Terms(b, loc, operands.a, operands.aTransposed,
                         operands.batched, operands.terms);
  operands.aPairsHaveTerms = true;
  b.setInsertionPointAfter(op);
  memref::DeallocOp::create(b, loc, operands.aPairs);
}

} // namespace

bool seqc::registerTilePacksOnce(Operation *op) {
  Value b = cast<linalg::LinalgOp>(op).getDpsInputOperand(1)->get();
  return packingPoint(op, b) != op;
}

namespace {

struct SeqRegisterTileContractionsPass
    : seqc::impl::SeqRegisterTileContractionsBase<
          SeqRegisterTileContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> tiled;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op.getOperation()) &&
          RegisterTileOf::isPresent(op))
        tiled.push_back(op);
    });
    for (linalg::LinalgOp op : tiled) {
      Contraction operands;
      RegisterTileAttr tile = RegisterTileOf::get(op);
      bool pairs = tile.getBf16Terms().has_value();
      std::string reason = unsupportedReason(op, operands, pairs);
      if (reason.empty() && pairs && tile.getVectorWidth() != 16 &&
          tile.getVectorWidth() != 8 && tile.getVectorWidth() != 4)
        reason = "the bf16 pair kernel's vector_width is 4, 8 or 16 f32 "
                 "lanes (vdpbf16ps)";
      if (!reason.empty()) {
        op->emitOpError("has a register tile but cannot become a microkernel: ")
            << reason;
        return signalPassFailure();
      }
      operands.start = findContractionStart(op, operands.c);
      operands.columnsOuter = registerTileColumnsOuter(op);
      if (pairs)
        preparePairs(op, operands, tile);
      else if (tile.getPackedB())
        preparePanels(op, operands, tile);
      OpBuilder b(op);
      MicrokernelBuilder(b, op.getLoc(), operands, tile).build();
      op->erase();
      if (operands.start.writer)
        eraseStartWriter(operands.start.writer);
    }
  }
};

} // namespace
