//===- Sequential.cpp - sequential form of seq.linear_scan ----------------===//
//
// An scf.for over time per sequence, the state updated in place; each step
// is one linalg.generic over the channels.
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/LinearScan/LinearScan.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// The batch loop is outermost: each sequence's scan streams through its
/// own contiguous [T, ...] block with the state in cache, as a hand-written
/// loop does. (Time-outer would interleave B strided streams per array,
/// more than the hardware prefetchers follow.) It is an scf.forall: the
/// sequences run on separate cores (a scan is bound by memory bandwidth,
/// and one core does not reach the machine's: 2.1x on two cores at B16
/// T4096 D1024).
struct LowerLinearScan : OpRewritePattern<LinearScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value a = op.getA(), b = op.getB();
    RankedTensorType stateType = op.getFinalState().getType();
    Type stateElement = stateType.getElementType();
    // The state is carried in the compute type (f32 for a 16-bit state) and
    // rounded only where it is written (h, the final state), as the
    // reference rounds: rounded every step, the errors compound.
    Type compute = computeType(stateElement);
    Type hElement = op.getH().getType().getElementType();
    Value init =
        op.getInit() ? op.getInit() : lb.zeros(stateType, lb.sizesOf(a, 1));
    Value states = lb.empty(op.getH().getType(), lb.sizesOf(a));
    Value finals = lb.empty(stateType, lb.sizesOf(a, 1));
    // Per step and sequence, the state is [...] (rank - 2 dims).
    unsigned rank = stateType.getRank() - 1;
    SmallVector<unsigned> dims = identityDims(rank);

    auto batchLoop = scf::ForallOp::create(
        rewriter, loc, ArrayRef<OpFoldResult>{lb.dim(a, 0)},
        ValueRange{states, finals}, /*mapping=*/std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(batchLoop.getBody());
      OpBuilder &ob = rewriter;
      Location ol = loc;
      Value n = batchLoop.getInductionVar(0);
      ValueRange outer = batchLoop.getRegionIterArgs();
      LoopBuilder bb(ob, ol);
      Value aN = bb.extractSlice(a, 0, n), bN = bb.extractSlice(b, 0, n);
      Value hN = bb.extractSlice(outer[0], 0, n);
      Value stateN = bb.extractSlice(init, 0, n);
      // The initial state is copied (or converted): the update below is in
      // place and must not write into the caller's `init`.
      auto stateNType = cast<RankedTensorType>(stateN.getType());
      Value state = bb.convertElements(stateN, compute);
      if (state == stateN)
        state = linalg::CopyOp::create(ob, ol, stateN,
                                       bb.empty(stateNType, bb.sizesOf(stateN)))
                    .getResult(0);
      auto timeLoop = scf::ForOp::create(
          ob, ol, bb.index(0), bb.dim(aN, 0), bb.index(1),
          ValueRange{state, hN},
          [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
            LoopBuilder ib(nb, l);
            Value aT = ib.extractSlice(aN, 0, t);
            Value bT = ib.extractSlice(bN, 0, t);
            Value outT = ib.extractSlice(iter[1], 0, t);
            // h = a * h + b, written to the state (in place) and to the
            // output slice in the same loop.
            ValueRange updated = ib.generic(
                {aT, bT}, {iter[0], outT}, {dims, dims}, {dims, dims}, rank, {},
                [&](OpBuilder &eb, Location el, ValueRange args) {
                  LoopBuilder sb(eb, el);
                  Value result;
                  if (isa<ComplexType>(stateElement)) {
                    Value product =
                        complex::MulOp::create(eb, el, args[0], args[2]);
                    result = complex::AddOp::create(eb, el, product, args[1]);
                  } else {
                    Value aS = sb.convert(args[0], compute);
                    Value bS = sb.convert(args[1], compute);
                    Value product = arith::MulFOp::create(eb, el, aS, args[2]);
                    result = arith::AddFOp::create(eb, el, product, bS);
                  }
                  linalg::YieldOp::create(
                      eb, el, ValueRange{result, sb.convert(result, hElement)});
                });
            Value written = ib.insertSlice(updated[1], iter[1], 0, t);
            scf::YieldOp::create(nb, l, ValueRange{updated[0], written});
          });
      bb.parallelInsertSlice(timeLoop.getResult(1), outer[0], 0, n);
      bb.parallelInsertSlice(
          bb.convertElements(timeLoop.getResult(0), stateElement), outer[1],
          0, n);
    }
    rewriter.replaceOp(op, {batchLoop.getResult(0), batchLoop.getResult(1)});
    return success();
  }
};

} // namespace

void seqc::families::populateLinearScanSequentialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearScan>(patterns.getContext());
}
