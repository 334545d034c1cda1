//===- MmaFragments.cpp - mma.sync m16n8k16 fragments ---------------------===//
#include "lib/Conversion/SeqToGPU/MmaFragments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

Value seqc::valueOrZero(ImplicitLocOpBuilder &b, Value condition, Type type,
                        function_ref<Value()> then) {
  auto guard = scf::IfOp::create(b, TypeRange{type}, condition,
                                 /*withElseRegion=*/true);
  OpBuilder::InsertionGuard inIf(b);
  b.setInsertionPointToStart(guard.thenBlock());
  scf::YieldOp::create(b, then());
  b.setInsertionPointToStart(guard.elseBlock());
  scf::YieldOp::create(
      b, arith::ConstantOp::create(b, b.getZeroAttr(type)).getResult());
  return guard.getResult(0);
}

bool seqc::runsAligned(MemRefType type, int64_t elements) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.empty() ||
      strides.back() != 1 || ShapedType::isDynamic(offset) || offset % elements)
    return false;
  return llvm::all_of(
      ArrayRef<int64_t>(strides).drop_back(), [&](int64_t stride) {
        return !ShapedType::isDynamic(stride) && stride % elements == 0;
      });
}

Value seqc::packHalves(ImplicitLocOpBuilder &b, Value low, Value high) {
  Type i16 = b.getI16Type(), i32 = b.getI32Type();
  auto widen = [&](Value x) {
    return arith::ExtUIOp::create(b, i32, arith::BitcastOp::create(b, i16, x));
  };
  Value shifted = arith::ShLIOp::create(
      b, widen(high), arith::ConstantIntOp::create(b, i32, 16));
  return arith::OrIOp::create(b, shifted, widen(low));
}

SmallVector<Value, 3> seqc::bf16TermWords(ImplicitLocOpBuilder &b, Value low,
                                          Value high, int64_t terms) {
  SmallVector<Value, 3> words;
  Value rest[2] = {low, high};
  for (int64_t term = 0; term < terms; ++term) {
    Value halves[2];
    for (int64_t i = 0; i < 2; ++i) {
      halves[i] = arith::TruncFOp::create(b, b.getBF16Type(), rest[i]);
      if (term + 1 < terms)
        rest[i] = arith::SubFOp::create(
            b, rest[i], arith::ExtFOp::create(b, b.getF32Type(), halves[i]));
    }
    words.insert(words.begin(), packHalves(b, halves[0], halves[1]));
  }
  return words;
}

Value seqc::mmaRegister(ImplicitLocOpBuilder &b, Value word, FloatType type) {
  if (isa<BFloat16Type>(type))
    return word;
  return LLVM::BitcastOp::create(b, VectorType::get({2}, type), word);
}

void seqc::mmaM16N8K16(ImplicitLocOpBuilder &b, FloatType type,
                       ArrayRef<Value> a, ArrayRef<Value> bFragment,
                       MutableArrayRef<Value> c) {
  Type f32 = b.getF32Type();
  auto resultType = LLVM::LLVMStructType::getLiteral(b.getContext(),
                                                     SmallVector<Type>(4, f32));
  NVVM::MMATypes ptxType =
      isa<BFloat16Type>(type) ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
  Value d = NVVM::MmaOp::create(
      b, resultType, SmallVector<Value>(a), SmallVector<Value>(bFragment),
      SmallVector<Value>(c), ArrayRef<int64_t>{16, 8, 16}, std::nullopt,
      std::nullopt, std::array<NVVM::MMATypes, 2>{ptxType, ptxType},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  for (int64_t i = 0; i < 4; ++i)
    c[i] = LLVM::ExtractValueOp::create(b, d, i);
}
