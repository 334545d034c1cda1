//===- FamilyModels.h - external models every family attaches -*- C++ -*-===//
//
// The cost-model and reference models are the same for every family: they
// forward to the family's functions. A family's Family.cpp names those
// functions here and writes only its lowering model by hand (which forms
// exist, what blocks the sequential one, which patterns lower it).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_FAMILYMODELS_H
#define SEQC_FAMILIES_FAMILYMODELS_H

#include "autotune/FormCostModelInterface.h"
#include "seqc/Differentiation/Adjoint.h"
#include "seqc/Evaluation/ReferenceInterface.h"

namespace seqc::families {

/// FormCostModelOpInterface of `OpT` by `AddModels`.
template <typename OpT, void (*AddModels)(OpT, const autotune::HardwareModel &,
                                          autotune::FormModels &)>
struct CostModelOf : autotune::FormCostModelOpInterface::ExternalModel<
                         CostModelOf<OpT, AddModels>, OpT> {
  void addFormModels(mlir::Operation *op, const autotune::HardwareModel &target,
                     autotune::FormModels &models) const {
    AddModels(llvm::cast<OpT>(op), target, models);
  }
};

/// ReferenceOpInterface of `OpT` by `Evaluate` and `Role` (without one,
/// every operand is `generic`).
template <typename OpT,
          llvm::LogicalResult (*Evaluate)(OpT, eval::ReferenceEvaluator &),
          eval::InputRole (*Role)(OpT, mlir::OpOperand &) = nullptr>
struct ReferenceOf : eval::ReferenceOpInterface::ExternalModel<
                         ReferenceOf<OpT, Evaluate, Role>, OpT> {
  llvm::LogicalResult
  evaluateReference(mlir::Operation *op,
                    eval::ReferenceEvaluator &evaluator) const {
    return Evaluate(llvm::cast<OpT>(op), evaluator);
  }
  eval::InputRole getInputRole(mlir::Operation *op,
                               mlir::OpOperand &operand) const {
    if constexpr (Role == nullptr)
      return eval::InputRole::generic;
    else
      return Role(llvm::cast<OpT>(op), operand);
  }
};

/// AdjointOpInterface of `OpT` by `Build` (the family's Adjoint.cpp).
template <typename OpT,
          llvm::LogicalResult (*Build)(OpT, ad::AdjointBuilder &)>
struct AdjointOf
    : ad::AdjointOpInterface::ExternalModel<AdjointOf<OpT, Build>, OpT> {
  llvm::LogicalResult buildAdjoint(mlir::Operation *op,
                                   ad::AdjointBuilder &adjoints) const {
    return Build(llvm::cast<OpT>(op), adjoints);
  }
};

} // namespace seqc::families

#endif // SEQC_FAMILIES_FAMILYMODELS_H
