//===- ScalarAdjoints.cpp - derivative rules of scalar arith/math ---------===//
//
// One rule per op a cell's elementwise body may contain. The rules reuse
// the op's own result where the derivative is a function of it (exp, tanh,
// sqrt, rsqrt, divf), as hand-written backward kernels do.
//
//===----------------------------------------------------------------------===//
#include "lib/Differentiation/ScalarAdjoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace seqc::ad {

namespace {

/// Scalar arithmetic at one insertion point.
struct Scalars {
  OpBuilder &b;
  Location loc;

  Value constant(Type type, double v) {
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  }
  Value add(Value x, Value y) {
    if (isa<ComplexType>(x.getType()))
      return complex::AddOp::create(b, loc, x, y);
    return arith::AddFOp::create(b, loc, x, y);
  }
  Value sub(Value x, Value y) {
    if (isa<ComplexType>(x.getType()))
      return complex::SubOp::create(b, loc, x, y);
    return arith::SubFOp::create(b, loc, x, y);
  }
  Value mul(Value x, Value y) {
    if (isa<ComplexType>(x.getType()))
      return complex::MulOp::create(b, loc, x, y);
    return arith::MulFOp::create(b, loc, x, y);
  }
  Value div(Value x, Value y) {
    if (isa<ComplexType>(x.getType()))
      return complex::DivOp::create(b, loc, x, y);
    return arith::DivFOp::create(b, loc, x, y);
  }
  Value neg(Value x) {
    if (isa<ComplexType>(x.getType()))
      return complex::NegOp::create(b, loc, x);
    return arith::NegFOp::create(b, loc, x);
  }
  /// conj(x) for complex values, x itself for real ones (PyTorch's
  /// convention: the cotangent of x in y = a * x is conj(a) * dy).
  Value conj(Value x) { return conjugateScalar(b, loc, x); }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value zeroLike(Value x) { return constant(x.getType(), 0.0); }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
};

} // namespace

Value conjugateScalar(OpBuilder &b, Location loc, Value x) {
  auto type = dyn_cast<ComplexType>(x.getType());
  if (!type)
    return x;
  Value re = complex::ReOp::create(b, loc, x);
  Value im = complex::ImOp::create(b, loc, x);
  Value negIm = arith::NegFOp::create(b, loc, im);
  return complex::CreateOp::create(b, loc, type, re, negIm);
}

void accumulateScalar(OpBuilder &b, Location loc,
                      DenseMap<Value, Value> &cotangents, Value v, Value ct) {
  if (!ct)
    return;
  Value &slot = cotangents[v];
  slot = slot ? Scalars{b, loc}.add(slot, ct) : ct;
}

/// The rule of one op: `g` is the cotangent of its (single) result; the
/// operands' cotangents are added through `add`. Failure: no rule.
static LogicalResult
scalarRule(Operation *op, Value g, Scalars &s,
           function_ref<void(Value operand, Value ct)> add) {
  auto operand = [&](unsigned i) { return op->getOperand(i); };
  Value result = op->getNumResults() == 1 ? op->getResult(0) : Value();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<arith::AddFOp, complex::AddOp>([&](Operation *) {
        add(operand(0), g);
        add(operand(1), g);
        return success();
      })
      .Case<arith::SubFOp, complex::SubOp>([&](Operation *) {
        add(operand(0), g);
        add(operand(1), s.neg(g));
        return success();
      })
      .Case<arith::MulFOp, complex::MulOp>([&](Operation *) {
        add(operand(0), s.mul(g, s.conj(operand(1))));
        add(operand(1), s.mul(g, s.conj(operand(0))));
        return success();
      })
      .Case<arith::DivFOp, complex::DivOp>([&](Operation *) {
        // d(x/y) = dx / y - (x/y) dy / y.
        Value gOverY = s.div(g, s.conj(operand(1)));
        add(operand(0), gOverY);
        add(operand(1), s.neg(s.mul(gOverY, s.conj(result))));
        return success();
      })
      .Case<arith::NegFOp, complex::NegOp>([&](Operation *) {
        add(operand(0), s.neg(g));
        return success();
      })
      .Case<complex::ConjOp>([&](Operation *) {
        add(operand(0), s.conj(g));
        return success();
      })
      .Case<arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp,
            arith::MinNumFOp>([&](Operation *) {
        // The gradient goes to the operand that was picked (the first on a
        // tie, as PyTorch's max does for one of them).
        bool isMax = isa<arith::MaximumFOp, arith::MaxNumFOp>(op);
        Value firstPicked =
            s.cmp(isMax ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OLE,
                  operand(0), operand(1));
        Value zero = s.zeroLike(g);
        add(operand(0), s.select(firstPicked, g, zero));
        add(operand(1), s.select(firstPicked, zero, g));
        return success();
      })
      .Case<arith::SelectOp>([&](arith::SelectOp select) {
        Value zero = s.zeroLike(g);
        add(select.getTrueValue(), s.select(select.getCondition(), g, zero));
        add(select.getFalseValue(), s.select(select.getCondition(), zero, g));
        return success();
      })
      .Case<arith::ExtFOp, arith::TruncFOp>([&](Operation *) {
        Type to = operand(0).getType();
        auto from = cast<FloatType>(g.getType());
        Value converted =
            cast<FloatType>(to).getWidth() > from.getWidth()
                ? Value(arith::ExtFOp::create(s.b, s.loc, to, g))
                : Value(arith::TruncFOp::create(s.b, s.loc, to, g));
        add(operand(0), converted);
        return success();
      })
      .Case<math::ExpOp>([&](Operation *) {
        add(operand(0), s.mul(g, result));
        return success();
      })
      .Case<math::LogOp>([&](Operation *) {
        add(operand(0), s.div(g, operand(0)));
        return success();
      })
      .Case<math::Log1pOp>([&](Operation *) {
        Value one = s.constant(g.getType(), 1.0);
        add(operand(0), s.div(g, s.add(one, operand(0))));
        return success();
      })
      .Case<math::TanhOp>([&](Operation *) {
        Value one = s.constant(g.getType(), 1.0);
        add(operand(0), s.mul(g, s.sub(one, s.mul(result, result))));
        return success();
      })
      .Case<math::SqrtOp>([&](Operation *) {
        Value half = s.constant(g.getType(), 0.5);
        add(operand(0), s.div(s.mul(g, half), result));
        return success();
      })
      .Case<math::RsqrtOp>([&](Operation *) {
        // d(x^-1/2) = -1/2 x^-3/2 = -1/2 r / x.
        Value minusHalf = s.constant(g.getType(), -0.5);
        add(operand(0),
            s.div(s.mul(s.mul(g, minusHalf), result), operand(0)));
        return success();
      })
      .Case<math::SinOp>([&](Operation *) {
        add(operand(0),
            s.mul(g, math::CosOp::create(s.b, s.loc, operand(0))));
        return success();
      })
      .Case<math::CosOp>([&](Operation *) {
        add(operand(0),
            s.neg(s.mul(g, math::SinOp::create(s.b, s.loc, operand(0)))));
        return success();
      })
      .Case<math::AbsFOp>([&](Operation *) {
        // sign(x) * g, with sign(0) = 0 as PyTorch has it.
        Value zero = s.zeroLike(g);
        Value x = operand(0);
        Value positive = s.cmp(arith::CmpFPredicate::OGT, x, zero);
        Value negative = s.cmp(arith::CmpFPredicate::OLT, x, zero);
        add(x, s.select(positive, g, s.select(negative, s.neg(g), zero)));
        return success();
      })
      .Default([](Operation *) { return failure(); });
}

LogicalResult backpropagateScalars(OpBuilder &b, ArrayRef<Operation *> ops,
                                   DenseMap<Value, Value> &cotangents) {
  for (Operation *op : llvm::reverse(ops)) {
    if (op->hasTrait<OpTrait::IsTerminator>() || op->getNumResults() != 1)
      continue;
    Value g = cotangents.lookup(op->getResult(0));
    if (!g)
      continue;
    // Comparisons and constants carry no cotangent on.
    if (isa<arith::CmpFOp, arith::ConstantOp, complex::ConstantOp>(op))
      continue;
    Scalars s{b, op->getLoc()};
    auto add = [&](Value operand, Value ct) {
      accumulateScalar(b, op->getLoc(), cotangents, operand, ct);
    };
    if (failed(scalarRule(op, g, s, add))) {
      op->emitOpError("has no derivative rule, so gradients cannot flow "
                      "through this elementwise body")
              .attachNote()
          << "rules exist for arith add/sub/mul/div/neg/max/min/select/"
             "extf/truncf, math exp/log/log1p/tanh/sqrt/rsqrt/sin/cos/absf "
             "and complex add/sub/mul/div/neg/conj";
      return failure();
    }
  }
  return success();
}

} // namespace seqc::ad
