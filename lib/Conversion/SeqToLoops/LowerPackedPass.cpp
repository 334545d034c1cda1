//===- LowerPackedPass.cpp - seq-lower-packed -----------------------------===//
//
//   ok = offsets[0] == 0 && offsets[N] == total && offsets strictly increase
//   if (!ok) seqc_invalid_packed_offsets()      // does not return
//   for n in [0, N):                             // outputs, finals carried
//     s = offsets[n], e = offsets[n + 1]         // clamped into the buffers
//     body(sequence[:, s:e], init[n:n+1], weights) -> (out_n, final_n)
//     outputs[:, s:e] = out_n; finals[n:n+1] = final_n
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace seqc {
#define GEN_PASS_DEF_SEQLOWERPACKED
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

constexpr const char *kInvalidOffsets = "seqc_invalid_packed_offsets";

/// Builds the loop nest of one seq.packed.
class PackedLowering {
public:
  PackedLowering(seqc::seq::PackedOp op) : op(op), b(op), loc(op.getLoc()) {}

  void run() {
    Value total = tensor::DimOp::create(b, loc, op.getSequences().front(), 1);
    Value entries = tensor::DimOp::create(b, loc, op.getOffsets(), 0);
    // N = entries - 1 sequences (none when there are no offsets at all).
    Value count = arith::MaxSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, entries, index(1)), index(0));
    reportInvalidOffsets(entries, total, count);

    SmallVector<Value> carried;
    for (Value output : op.getOutputs())
      carried.push_back(emptyLike(output, total, count, /*isSequence=*/true));
    for (Value state : op.getFinalStates())
      carried.push_back(emptyLike(state, total, count, /*isSequence=*/false));
    auto loop = scf::ForOp::create(
        b, loc, index(0), count, index(1), carried,
        [&](OpBuilder &nb, Location, Value n, ValueRange iterArgs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          scf::YieldOp::create(b, loc, sequenceStep(n, total, iterArgs));
        });
    op->replaceAllUsesWith(loop.getResults());
    op->erase();
  }

private:
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  /// offsets[i] as an index.
  Value offset(Value i) {
    Value v = tensor::ExtractOp::create(b, loc, op.getOffsets(), i);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  }

  Value clamp(Value v, Value low, Value high) {
    return arith::MinSIOp::create(b, loc,
                                  arith::MaxSIOp::create(b, loc, v, low), high);
  }

  /// Calls the runtime's error function unless the offsets describe the
  /// buffers: at least two, 0 first, `total` last, strictly increasing, N
  /// rows in every initial state.
  void reportInvalidOffsets(Value entries, Value total, Value count) {
    Value enough = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                         entries, index(2));
    auto guarded = scf::IfOp::create(b, loc, b.getI1Type(), enough,
                                     /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(guarded.elseBlock());
      scf::YieldOp::create(
          b, loc,
          ValueRange{arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0)
                         .getResult()});
      b.setInsertionPointToStart(guarded.thenBlock());
      scf::YieldOp::create(b, loc, ValueRange{offsetsAreValid(total, count)});
    }
    Value invalid = arith::XOrIOp::create(
        b, loc, guarded.getResult(0),
        arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
    auto branch = scf::IfOp::create(b, loc, invalid, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(branch.thenBlock());
    func::CallOp::create(b, loc, kInvalidOffsets, TypeRange{});
  }

  /// Whether offsets (two or more of them) are 0 first, `total` last and
  /// strictly increasing, with a row of every initial state per sequence.
  Value offsetsAreValid(Value total, Value count) {
    Value first = offset(index(0));
    Value last = offset(count);
    Value ok = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, first,
                              index(0)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, last, total));
    // One row of every initial state per sequence.
    for (Value state : op.getInit())
      ok = arith::AndIOp::create(
          b, loc, ok,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                tensor::DimOp::create(b, loc, state, 0),
                                count));
    auto scan = scf::ForOp::create(
        b, loc, index(0), count, index(1), ValueRange{ok},
        [&](OpBuilder &nb, Location, Value i, ValueRange iterArgs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          Value next = arith::AddIOp::create(b, loc, i, index(1));
          Value increasing = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::slt, offset(i), offset(next));
          scf::YieldOp::create(
              b, loc,
              ValueRange{arith::AndIOp::create(b, loc, iterArgs[0], increasing)
                             .getResult()});
        });
    return scan.getResult(0);
  }

  /// An uninitialized result: [1, total, ...] or [count, ...].
  Value emptyLike(Value result, Value total, Value count, bool isSequence) {
    auto type = cast<RankedTensorType>(result.getType());
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(isSequence ? (d == 1 ? total : index(1))
                                   : (d == 0 ? count : Value()));
    return tensor::EmptyOp::create(b, loc, type, sizes);
  }

  /// Sizes, offsets and strides of a slice along `dim` at `offset` of
  /// `size` elements, whole along every other dimension.
  void sliceOf(Value tensor, unsigned dim, OpFoldResult offset,
               OpFoldResult size, SmallVector<OpFoldResult> &offsets,
               SmallVector<OpFoldResult> &sizes,
               SmallVector<OpFoldResult> &strides) {
    auto type = cast<RankedTensorType>(tensor.getType());
    sizes = tensor::getMixedSizes(b, loc, tensor);
    offsets.assign(type.getRank(), b.getIndexAttr(0));
    strides.assign(type.getRank(), b.getIndexAttr(1));
    offsets[dim] = offset;
    sizes[dim] = size;
  }

  Value extract(Value tensor, unsigned dim, OpFoldResult offset,
                OpFoldResult size, Type sliceType) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    sliceOf(tensor, dim, offset, size, offsets, sizes, strides);
    return tensor::ExtractSliceOp::create(b, loc,
                                          cast<RankedTensorType>(sliceType),
                                          tensor, offsets, sizes, strides);
  }

  Value insert(Value slice, Value into, unsigned dim, OpFoldResult offset,
               OpFoldResult size) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    sliceOf(into, dim, offset, size, offsets, sizes, strides);
    return tensor::InsertSliceOp::create(b, loc, slice, into, offsets, sizes,
                                         strides);
  }

  /// One sequence: the body on its slices, the results written back.
  SmallVector<Value> sequenceStep(Value n, Value total, ValueRange carried) {
    // Clamped, so that even offsets the check rejected stay in bounds:
    // 0 <= start < total, start < end <= total.
    Value start = clamp(offset(n), index(0),
                        arith::SubIOp::create(b, loc, total, index(1)));
    Value end = clamp(offset(arith::AddIOp::create(b, loc, n, index(1))),
                      arith::AddIOp::create(b, loc, start, index(1)), total);
    Value length = arith::SubIOp::create(b, loc, end, start);
    Block &body = op.getBody().front();
    IRMapping mapping;
    unsigned argument = 0;
    for (Value sequence : op.getSequences())
      mapping.map(body.getArgument(argument),
                  extract(sequence, 1, start, length,
                          body.getArgument(argument).getType())),
          ++argument;
    for (Value state : op.getInit())
      mapping.map(body.getArgument(argument),
                  extract(state, 0, n, b.getIndexAttr(1),
                          body.getArgument(argument).getType())),
          ++argument;
    for (Value weight : op.getWeights())
      mapping.map(body.getArgument(argument++), weight);
    for (Operation &nested : body.without_terminator())
      b.clone(nested, mapping);
    Operation *yield = body.getTerminator();
    SmallVector<Value> results;
    size_t numOutputs = op.getOutputs().size();
    for (auto [i, into] : llvm::enumerate(carried)) {
      Value slice = mapping.lookupOrDefault(yield->getOperand(i));
      results.push_back(
          i < numOutputs
              ? insert(slice, into, 1, start, length)
              : insert(slice, into, 0, n, b.getIndexAttr(1)));
    }
    return results;
  }

  seqc::seq::PackedOp op;
  OpBuilder b;
  Location loc;
};

struct SeqLowerPackedPass
    : seqc::impl::SeqLowerPackedBase<SeqLowerPackedPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<seqc::seq::PackedOp> ops;
    module.walk([&](seqc::seq::PackedOp op) { ops.push_back(op); });
    if (ops.empty())
      return;
    // The runtime's error function: defined by the C entry point's adapter
    // (longjmp to it, status 3) and by the JIT runner.
    if (!module.lookupSymbol(kInvalidOffsets)) {
      OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
      auto declaration = func::FuncOp::create(
          b, module.getLoc(), kInvalidOffsets, b.getFunctionType({}, {}));
      declaration.setPrivate();
    }
    // Innermost first (post-order walk): an enclosing body clones lowered
    // loops.
    for (seqc::seq::PackedOp op : ops)
      PackedLowering(op).run();
  }
};

} // namespace
