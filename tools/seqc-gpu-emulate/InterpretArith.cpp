//===- InterpretArith.cpp - arith and math in the emulator ----------------===//
//
// Scalar and vector arith/math ops, rounded to their types as the GPU
// rounds them (bf16/f16 round to nearest even, integers wrap).
//
//===----------------------------------------------------------------------===//
#include "Interpreter.h"

using namespace mlir;

namespace seqc::emulate::detail {

void Interpreter::runArith(Operation *op, Env &env, bool lane) {
  // Vectors lane by lane (a scalar operand is the same in every lane);
  // vector constants are splats.
  if (op->getNumResults() == 1 && !lane)
    if (auto vector = dyn_cast<VectorType>(op->getResult(0).getType())) {
      if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
        auto splat = dyn_cast<SplatElementsAttr>(constant.getValue());
        if (!splat)
          return fail(op, "only splat vector constants");
        Attribute element = splat.getSplatValue<Attribute>();
        RV one = isa<FloatAttr>(element)
                     ? RV::real(cast<FloatAttr>(element).getValueAsDouble())
                     : RV::integer(cast<IntegerAttr>(element).getInt());
        RV r;
        r.e.assign(vector.getNumElements(), one);
        return env.set(op->getResult(0), r);
      }
      RV r;
      for (int64_t l = 0; l < vector.getNumElements(); ++l) {
        Env laneEnv(&env);
        for (Value operand : op->getOperands()) {
          RV value = env.get(operand);
          if (isa<VectorType>(operand.getType()) &&
              int64_t(value.e.size()) <= l)
            return fail(op, "a vector operand the emulator does not know");
          laneEnv.set(operand,
                      isa<VectorType>(operand.getType()) ? value.e[l] : value);
        }
        runArith(op, laneEnv, /*lane=*/true);
        r.e.push_back(laneEnv.get(op->getResult(0)));
      }
      return env.set(op->getResult(0), r);
    }
  auto arg = [&](unsigned i) { return env.get(op->getOperand(i)); };
  Type type = op->getNumResults()
                  ? getElementTypeOrSelf(op->getResult(0).getType())
                  : Type();
  auto setI = [&](int64_t v) {
    env.set(op->getResult(0), RV::integer(wrap(type, v)));
  };
  auto setF = [&](double v) {
    env.set(op->getResult(0), RV::real(roundTo(type, v)));
  };
  Type operandType = op->getNumOperands()
                         ? getElementTypeOrSelf(op->getOperand(0).getType())
                         : Type();
  auto u = [&](unsigned i) { return unsignedOf(operandType, arg(i).i); };
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = constant.getValue();
    if (auto i = dyn_cast<IntegerAttr>(value))
      return setI(
          type.isInteger(1)
              ? int64_t(i.getValue().getBoolValue())
              : (type.isIndex() ? i.getInt() : i.getValue().getSExtValue()));
    if (auto f = dyn_cast<FloatAttr>(value))
      return setF(f.getValueAsDouble());
    return fail(op, "only scalar constants");
  }
  if (isa<arith::AddIOp>(op))
    return setI(arg(0).i + arg(1).i);
  if (isa<arith::SubIOp>(op))
    return setI(arg(0).i - arg(1).i);
  if (isa<arith::MulIOp>(op))
    return setI(arg(0).i * arg(1).i);
  if (isa<arith::DivUIOp>(op))
    return setI(int64_t(u(0) / u(1)));
  if (isa<arith::RemUIOp>(op))
    return setI(int64_t(u(0) % u(1)));
  if (isa<arith::DivSIOp>(op))
    return setI(arg(0).i / arg(1).i);
  if (isa<arith::RemSIOp>(op))
    return setI(arg(0).i % arg(1).i);
  if (isa<arith::CeilDivUIOp>(op))
    return setI(int64_t((u(0) + u(1) - 1) / u(1)));
  if (isa<arith::MinUIOp>(op))
    return setI(int64_t(std::min(u(0), u(1))));
  if (isa<arith::MaxUIOp>(op))
    return setI(int64_t(std::max(u(0), u(1))));
  if (isa<arith::MinSIOp>(op))
    return setI(std::min(arg(0).i, arg(1).i));
  if (isa<arith::MaxSIOp>(op))
    return setI(std::max(arg(0).i, arg(1).i));
  if (isa<arith::AndIOp>(op))
    return setI(arg(0).i & arg(1).i);
  if (isa<arith::OrIOp>(op))
    return setI(arg(0).i | arg(1).i);
  if (isa<arith::XOrIOp>(op))
    return setI(arg(0).i ^ arg(1).i);
  if (isa<arith::ShLIOp>(op))
    return setI(int64_t(u(0) << u(1)));
  if (isa<arith::ShRUIOp>(op))
    return setI(int64_t(u(0) >> u(1)));
  if (isa<arith::ExtUIOp>(op))
    return setI(int64_t(u(0)));
  if (isa<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp,
          arith::IndexCastUIOp>(op))
    return setI(isa<arith::IndexCastUIOp>(op) ? int64_t(u(0)) : arg(0).i);
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    unsigned width =
        operandType.isIndex() ? 64 : operandType.getIntOrFloatBitWidth();
    APInt a(width, u(0)), b(width, u(1));
    return env.set(op->getResult(0), RV::integer(arith::applyCmpPredicate(
                                         cmp.getPredicate(), a, b)));
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    env.set(op->getResult(0), (arg(0).i & 1) ? arg(1) : arg(2));
    return;
  }
  if (isa<arith::AddFOp>(op))
    return setF(arg(0).f + arg(1).f);
  if (isa<arith::SubFOp>(op))
    return setF(arg(0).f - arg(1).f);
  if (isa<arith::MulFOp>(op))
    return setF(arg(0).f * arg(1).f);
  if (isa<arith::DivFOp>(op))
    return setF(arg(0).f / arg(1).f);
  if (isa<arith::NegFOp>(op))
    return setF(-arg(0).f);
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
    return setF(std::max(arg(0).f, arg(1).f));
  if (isa<arith::MinimumFOp, arith::MinNumFOp>(op))
    return setF(std::min(arg(0).f, arg(1).f));
  if (isa<arith::ExtFOp, arith::TruncFOp>(op))
    return setF(arg(0).f);
  if (isa<arith::SIToFPOp>(op))
    return setF(double(arg(0).i));
  if (isa<arith::UIToFPOp>(op))
    return setF(double(u(0)));
  if (isa<arith::FPToSIOp>(op))
    return setI(int64_t(arg(0).f));
  if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
    // In double: the operands are already rounded to their type.
    return env.set(op->getResult(0), RV::integer(arith::applyCmpPredicate(
                                         cmp.getPredicate(), APFloat(arg(0).f),
                                         APFloat(arg(1).f))));
  }

  if (auto cast = dyn_cast<arith::BitcastOp>(op)) {
    Type from = cast.getIn().getType(), to = cast.getType();
    if (isa<FloatType>(from) && from.getIntOrFloatBitWidth() == 16 &&
        to.isInteger(16))
      return setI(int64_t(bitsOf16(from, arg(0).f)));
    if (from.isInteger(16) && isa<FloatType>(to) &&
        to.getIntOrFloatBitWidth() == 16)
      return setF(from16Bits(to, u(0)));
    if (from.isF32() && to.isInteger(32))
      return setI(int64_t(floatToBits(float(arg(0).f))));
    if (from.isInteger(32) && to.isF32())
      return setF(bitsToFloat(uint32_t(u(0))));
    return fail(op, "bitcast not emulated");
  }
  if (isa<math::ExpOp>(op))
    return setF(std::exp(arg(0).f));
  if (isa<math::LogOp>(op))
    return setF(std::log(arg(0).f));
  if (isa<math::Log1pOp>(op))
    return setF(std::log1p(arg(0).f));
  if (isa<math::TanhOp>(op))
    return setF(std::tanh(arg(0).f));
  if (isa<math::SinOp>(op))
    return setF(std::sin(arg(0).f));
  if (isa<math::CosOp>(op))
    return setF(std::cos(arg(0).f));
  if (isa<math::SqrtOp>(op))
    return setF(std::sqrt(arg(0).f));
  if (isa<math::AbsFOp>(op))
    return setF(std::fabs(arg(0).f));
  if (isa<math::FmaOp>(op))
    return setF(arg(0).f * arg(1).f + arg(2).f);
  fail(op, "not emulated");
}

} // namespace seqc::emulate::detail
