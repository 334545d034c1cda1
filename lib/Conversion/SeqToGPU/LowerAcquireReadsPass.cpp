//===- LowerAcquireReadsPass.cpp - seq-lower-acquire-reads ----------------===//
//
// A grid barrier's blocks spin on a counter the other blocks add to. Read
// by `atom.add 0`, every poll is an atomic that the counter's L2 slice
// serializes with the arrivals it is waiting for; read by `ld.acquire.gpu`
// the polls are loads, and the acquire still orders the block's reads after
// the barrier behind the writes the counter's value proves done (with the
// arriving blocks' membar.gl before their atomic add).
//
// The spin is built with `memref.atomic_rmw addi 0` (seq-persistent-time-
// loops tags it seq.acquire_read) because memref has no ordered load: the
// atomic means the same, so every pass and the emulator take it as it is,
// and only this pass, on outlined kernels, turns it into an LLVM atomic
// load of the element's address.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQLOWERACQUIREREADS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Why a tagged op cannot become an acquire load, or the empty string.
std::string unsupportedReason(memref::AtomicRMWOp op) {
  if (op.getKind() != arith::AtomicRMWKind::addi)
    return "is not an addi";
  if (!matchPattern(op.getValue(), mlir::m_Zero()))
    return "adds a value that is not 0";
  if (!op.getMemRefType().isStrided())
    return "reads a memref without a strided layout";
  return "";
}

/// memref.atomic_rmw addi 0 {seq.acquire_read} -> the element's address,
/// loaded atomically with acquire ordering at GPU scope.
struct AcquireReadToAtomicLoad : OpRewritePattern<memref::AtomicRMWOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::AtomicRMWOp op,
                                PatternRewriter &rewriter) const override {
    if (!op->hasAttr(seqc::kAcquireReadAttr) || !unsupportedReason(op).empty())
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value memref = op.getMemref();
    auto metadata = memref::ExtractStridedMetadataOp::create(b, memref);
    Value element = metadata.getOffset();
    for (auto [index, stride] :
         llvm::zip_equal(op.getIndices(), metadata.getStrides()))
      element = arith::AddIOp::create(b, element,
                                      arith::MulIOp::create(b, index, stride));
    Type type = op.getType();
    int64_t bytes = type.getIntOrFloatBitWidth() / 8;
    Value address = arith::AddIOp::create(
        b, memref::ExtractAlignedPointerAsIndexOp::create(b, memref),
        arith::MulIOp::create(b, element,
                              arith::ConstantIndexOp::create(b, bytes)));
    Value pointer = LLVM::IntToPtrOp::create(
        b, LLVM::LLVMPointerType::get(b.getContext()),
        arith::IndexCastOp::create(b, b.getI64Type(), address).getResult());
    // "device" is NVPTX's name for the GPU scope (.gpu).
    rewriter.replaceOp(
        op, LLVM::LoadOp::create(b, type, pointer, /*alignment=*/bytes,
                                 /*isVolatile=*/false,
                                 /*isNonTemporal=*/false,
                                 /*isInvariant=*/false,
                                 /*isInvariantGroup=*/false,
                                 LLVM::AtomicOrdering::acquire, "device"));
    return success();
  }
};

struct LowerAcquireReadsPass
    : seqc::impl::SeqLowerAcquireReadsBase<LowerAcquireReadsPass> {
  void runOnOperation() override {
    bool invalid = false;
    getOperation().walk([&](memref::AtomicRMWOp op) {
      if (!op->hasAttr(seqc::kAcquireReadAttr))
        return;
      std::string reason = unsupportedReason(op);
      if (!reason.empty()) {
        op.emitOpError("tagged ")
            << seqc::kAcquireReadAttr << " cannot be an acquire load: it "
            << reason;
        invalid = true;
      }
    });
    if (invalid)
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    seqc::populateLowerAcquireReadsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void seqc::populateLowerAcquireReadsPatterns(RewritePatternSet &patterns) {
  patterns.add<AcquireReadToAtomicLoad>(patterns.getContext());
}
