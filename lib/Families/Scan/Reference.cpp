//===- Reference.cpp - seq.scan on the reference interpreter --------------===//
#include "lib/Families/Scan/Scan.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::ReferenceEvaluator;

LogicalResult seqc::families::evaluateScan(ScanOp op,
                                           ReferenceEvaluator &evaluator) {
  Block &combiner = op.getCombiner().front();
  size_t n = op.getInputs().size();
  bool ok = true;
  // The combiner runs once per element and step: evaluate it on plain
  // doubles, with one map reused across calls.
  llvm::DenseMap<Value, double> scalars;
  ref::Combiner combine = [&](const double *lhs, const double *rhs,
                              double *out) {
    scalars.clear();
    for (size_t i = 0; i < n; ++i) {
      scalars[combiner.getArgument(i)] = lhs[i];
      scalars[combiner.getArgument(n + i)] = rhs[i];
    }
    for (Operation &inner : combiner.without_terminator()) {
      if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
        if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
          scalars[constant] = f.getValueAsDouble();
        continue;
      }
      std::vector<double> args;
      for (Value v : inner.getOperands())
        args.push_back(scalars.lookup(v));
      std::optional<double> result =
          ReferenceEvaluator::evaluateScalar(inner, args);
      if (!result || inner.getNumResults() != 1) {
        if (ok)
          (void)evaluator.unsupported(inner, "inside a seq.scan combiner");
        ok = false;
        return;
      }
      scalars[inner.getResult(0)] = *result;
    }
    for (size_t i = 0; i < n; ++i)
      out[i] = scalars.lookup(combiner.getTerminator()->getOperand(i));
  };
  ref::ScanResult r = ref::scan(evaluator.getAll(op.getInputs()),
                                evaluator.getAll(op.getInit()), op.getReverse(),
                                op.getExclusive(), combine);
  if (!ok)
    return failure();
  evaluator.setResults(*op, r);
  return success();
}
