//===- ElementwiseAdjoints.cpp - arith/math ops on whole tensors ----------===//
//
// Recurrence bodies and model glue apply arith and math ops to whole
// tensors (`math.tanh %pre : tensor<2x16xf32>`). Their rule is the scalar
// rule of ScalarAdjoints.cpp run per element: one linalg.generic over the
// operands and the result's cotangent that rebuilds the op on scalars and
// yields every operand's cotangent.
//
//===----------------------------------------------------------------------===//
#include "seqc/Differentiation/Adjoint.h"
#include "seqc/Differentiation/Differentiate.h"

#include "lib/Differentiation/ScalarAdjoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace seqc::ad {
namespace {

template <typename OpT>
struct ElementwiseAdjoint
    : AdjointOpInterface::ExternalModel<ElementwiseAdjoint<OpT>, OpT> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    Value result = op->getResult(0);
    Value g = adjoints.cotangent(result);
    auto resultType = dyn_cast<RankedTensorType>(result.getType());
    if (!g || !resultType)
      return success();
    // The operands that take a cotangent (float tensors of the result's
    // shape; a select's condition does not).
    SmallVector<unsigned> targets;
    for (OpOperand &operand : op->getOpOperands())
      if (isDifferentiableType(operand.get().getType()) &&
          adjoints.isActive(operand.get()))
        targets.push_back(operand.getOperandNumber());
    if (targets.empty())
      return success();
    OpBuilder &b = adjoints.builder();
    Location loc = op->getLoc();
    unsigned rank = resultType.getRank();
    SmallVector<Value> inputs(op->getOperands());
    inputs.push_back(g);
    SmallVector<Value> inits;
    SmallVector<Type> types;
    for (unsigned i : targets) {
      auto type = cast<RankedTensorType>(op->getOperand(i).getType());
      inits.push_back(zerosOf(b, loc, type));
      types.push_back(type);
    }
    SmallVector<AffineMap> maps(inputs.size() + inits.size(),
                                b.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    LogicalResult bodyResult = success();
    auto generic = linalg::GenericOp::create(
        b, loc, types, inputs, inits, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          unsigned numOperands = op->getNumOperands();
          // The op on scalars.
          OperationState state(nl, op->getName());
          state.addOperands(args.take_front(numOperands));
          state.addTypes(getElementTypeOrSelf(result.getType()));
          state.addAttributes(op->getAttrs());
          Operation *scalar = nb.create(state);
          DenseMap<Value, Value> cotangents;
          accumulateScalar(nb, nl, cotangents, scalar->getResult(0),
                           args[numOperands]);
          if (failed(backpropagateScalars(nb, {scalar}, cotangents)))
            bodyResult = failure();
          SmallVector<Value> yielded;
          for (auto [k, i] : llvm::enumerate(targets)) {
            Value ct = cotangents.lookup(args[i]);
            yielded.push_back(ct ? ct : args[numOperands + 1 + k]);
          }
          linalg::YieldOp::create(nb, nl, yielded);
        });
    if (failed(bodyResult))
      return failure();
    for (auto [k, i] : llvm::enumerate(targets))
      adjoints.accumulate(op->getOperand(i), generic.getResult(k), loc);
    return success();
  }
};

template <typename... OpTs> void attach(MLIRContext &context) {
  (OpTs::template attachInterface<ElementwiseAdjoint<OpTs>>(context), ...);
}

} // namespace

void registerElementwiseAdjoints(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, arith::ArithDialect *) {
    attach<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
           arith::NegFOp, arith::MaximumFOp, arith::MinimumFOp,
           arith::MaxNumFOp, arith::MinNumFOp, arith::SelectOp, arith::ExtFOp,
           arith::TruncFOp>(*context);
  });
  registry.addExtension(+[](MLIRContext *context, math::MathDialect *) {
    attach<math::ExpOp, math::LogOp, math::Log1pOp, math::TanhOp,
           math::SqrtOp, math::RsqrtOp, math::SinOp, math::CosOp,
           math::AbsFOp>(*context);
  });
}

} // namespace seqc::ad
