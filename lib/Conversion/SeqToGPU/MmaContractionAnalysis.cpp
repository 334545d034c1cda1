//===- MmaContractionAnalysis.cpp - which contractions, tiled how ---------===//
#include "lib/Conversion/SeqToGPU/MmaContraction.h"

using namespace mlir;

namespace seqc::mma {

namespace {

/// For yield(addf(out, mulf(x, y))) with {x, y} = {in0 or extf(in0), in1
/// or extf(in1)} in any order: whether in0 and in1 are widened.
std::optional<std::pair<bool, bool>> mulAddWidening(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || body.getOperations().size() > 5)
    return std::nullopt;
  Value acc = body.getArgument(2);
  if (add.getLhs() != acc && add.getRhs() != acc)
    return std::nullopt;
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return std::nullopt;
  // A factor: (the argument it reads, whether through extf).
  auto factor = [](Value v) -> std::pair<Value, bool> {
    if (auto ext = v.getDefiningOp<arith::ExtFOp>())
      return {ext.getIn(), true};
    return {v, false};
  };
  auto [x, xWide] = factor(mul.getLhs());
  auto [y, yWide] = factor(mul.getRhs());
  if (x == body.getArgument(0) && y == body.getArgument(1))
    return std::make_pair(xWide, yWide);
  if (x == body.getArgument(1) && y == body.getArgument(0))
    return std::make_pair(yWide, xWide);
  return std::nullopt;
}

/// The loops of `dims` ordered by where `map` reads them.
SmallVector<unsigned> orderedBy(AffineMap map, ArrayRef<unsigned> dims) {
  SmallVector<unsigned> ordered;
  for (AffineExpr result : map.getResults()) {
    unsigned d = cast<AffineDimExpr>(result).getPosition();
    if (llvm::is_contained(dims, d))
      ordered.push_back(d);
  }
  return ordered;
}

} // namespace

/// Why `op` is not a tensor-core contraction, or its loops by role. Its
/// operands: two bf16 (or two f16) widened to f32, or one f32 and one bf16
/// widened (the f32 one split into `f32Terms` bf16 terms).
FailureOr<Contraction> analyze(linalg::GenericOp op, int64_t f32Terms,
                               std::string &why) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  auto a = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
  auto b = dyn_cast<MemRefType>(op.getDpsInputs()[1].getType());
  auto c = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
  if (!a || !b || !c || !c.getElementType().isF32())
    return failure();
  std::optional<std::pair<bool, bool>> widened = mulAddWidening(op);
  if (!widened)
    return failure();
  Type aType = a.getElementType(), bType = b.getElementType();
  Contraction con;
  if (aType == bType && isa<BFloat16Type, Float16Type>(aType) &&
      widened->first && widened->second) {
    con.operandType = cast<FloatType>(aType);
  } else if (aType.isF32() && isa<BFloat16Type>(bType) && !widened->first &&
             widened->second) {
    con.operandType = cast<FloatType>(bType);
    con.splitOperand = 0;
  } else if (bType.isF32() && isa<BFloat16Type>(aType) && widened->first &&
             !widened->second) {
    con.operandType = cast<FloatType>(aType);
    con.splitOperand = 1;
  } else {
    return failure();
  }
  con.terms = con.splitOperand >= 0 ? f32Terms : 1;
  con.ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(con.ranges)) {
    why = "its shape is dynamic";
    return failure();
  }
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (AffineMap map : maps)
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
      return failure();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < iterators.size(); ++d) {
    utils::IteratorType iterator = iterators[d];
    bool inA = maps[0].isFunctionOfDim(d), inB = maps[1].isFunctionOfDim(d),
         inC = maps[2].isFunctionOfDim(d);
    if (con.ranges[d] == 1)
      continue; // a unit loop has no role
    if (iterator == utils::IteratorType::reduction && inA && inB && !inC)
      con.k.push_back(d);
    else if (iterator == utils::IteratorType::parallel && inA && inB && inC)
      con.batch.push_back(d);
    else if (iterator == utils::IteratorType::parallel && inA && inC)
      con.m.push_back(d);
    else if (iterator == utils::IteratorType::parallel && inB && inC)
      con.n.push_back(d);
    else
      return failure(); // a broadcast or a reduction the output keeps
  }
  con.batch = orderedBy(maps[2], con.batch);
  con.m = orderedBy(maps[2], con.m);
  con.n = orderedBy(maps[2], con.n);
  con.k = orderedBy(maps[0], con.k);
  auto product = [&](ArrayRef<unsigned> dims) {
    int64_t size = 1;
    for (unsigned d : dims)
      size *= con.ranges[d];
    return size;
  };
  con.B = product(con.batch);
  con.M = product(con.m);
  con.N = product(con.n);
  con.K = product(con.k);
  if (con.M % 16 || con.N % 8 || con.K % 16) {
    why = llvm::formatv("M = {0}, N = {1}, K = {2} do not tile by "
                        "m16n8k16 (M and K multiples of 16, N of 8)",
                        con.M, con.N, con.K)
              .str();
    return failure();
  }
  // Grid y holds M / BM blocks (BM >= 16) and grid z the batch.
  if (con.B > 65535 || con.M / 16 > 65535) {
    why = llvm::formatv("a batch of {0} or M = {1} exceeds the grid's y/z "
                        "limit (65535 blocks)",
                        con.B, con.M)
              .str();
    return failure();
  }
  return con;
}

/// The op right before `op` if it only fills `op`'s output with 0.0 (what
/// bufferization leaves before a contraction into a fresh buffer, e.g. each
/// RNN step's gates): the kernel writes every element of the output, so it
/// can start its accumulators from 0 and take the fill's place (a launch
/// and a pass over the output fewer).
linalg::GenericOp zeroFillOfOutput(linalg::GenericOp op) {
  auto fill = dyn_cast_or_null<linalg::GenericOp>(op->getPrevNode());
  if (!fill || fill.getNumDpsInputs() != 0 || fill.getNumDpsInits() != 1 ||
      fill.getDpsInits()[0] != op.getDpsInits()[0] ||
      fill.getNumReductionLoops() != 0 ||
      !fill.getIndexingMapsArray()[0].isIdentity())
    return {};
  auto yield = cast<linalg::YieldOp>(fill.getBody()->getTerminator());
  if (!matchPattern(yield.getOperand(0), m_AnyZeroFloat()) ||
      !llvm::hasSingleElement(*fill.getBody()))
    return {};
  return fill;
}

MmaTiling chooseTiling(const Contraction &con, int64_t multiprocessors) {
  // A grid smaller than the chip leaves multiprocessors idle while each
  // block walks the whole reduction (the alternating RNN step's h R: M =
  // a batch of 16, N = 4 H): narrower tiles until the grid covers them,
  // and, for a grid of about a block a multiprocessor, whose k loop is
  // bound by the latency of its slices' loads, slices 64 deep (half the
  // iterations).
  seqc::MmaBlockTile tile =
      seqc::mmaBlockTile(con.M, con.N, con.B, multiprocessors);
  MmaTiling tiling;
  tiling.blockM = tile.rows;
  tiling.blockN = tile.columns;
  int64_t blocks = (con.N / tile.columns) * (con.M / tile.rows) * con.B;
  tiling.depth = con.K % 64 == 0 && blocks < 2 * multiprocessors ? 64
                 : con.K % 32 == 0                               ? 32
                                                                 : 16;
  tiling.warpsM = tiling.blockM / 16;
  // Up to 4 warps per block: the rest split the block's columns, each
  // keeping whole 8-wide fragments.
  tiling.warpsN = 1;
  while (tiling.warpsM * tiling.warpsN * 2 <= 4 &&
         (tiling.blockN / (tiling.warpsN * 2)) % 8 == 0)
    tiling.warpsN *= 2;
  return tiling;
}

} // namespace seqc::mma
