//===- Differentiate.cpp - forward and backward functions -----------------===//
//
// The combined function first: f's body, then the reverse sweep (every
// op's derivative rule, seeded with one cotangent argument per result),
// returning the outputs and the input cotangents. A boundary marker keeps
// the forward ops (which a rule may rewrite in place to keep residuals)
// apart from the backward ones. The combined function is then split: the
// forward ops make `<f>_fwd`, which also returns every forward value the
// backward reads; the backward ops make `<f>_bwd`, which takes those values
// as arguments and recomputes only what is free (constants, empty tensors,
// fills, reshapes).
//
//===----------------------------------------------------------------------===//
#include "seqc/Differentiation/Differentiate.h"
#include "seqc/Differentiation/CheckpointPlan.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/ScopeExit.h"

using namespace mlir;

namespace seqc::ad {

FailureOr<GradientFunctions>
differentiateFunction(func::FuncOp function,
                      const DifferentiationOptions &options,
                      CheckpointPlan *planOut) {
  if (options.memoryBudget <= 0)
    return differentiateFunction(function, options.checkpointEvery);
  FailureOr<CheckpointPlan> plan =
      planCheckpoints(function, options.memoryBudget);
  if (failed(plan))
    return failure();
  FailureOr<GradientFunctions> gradients =
      differentiateFunction(function, options.checkpointEvery);
  if (failed(gradients))
    return failure();
  // The plan counts what recurrences keep; a state some other rule also
  // reads stays whole, and a recurrence built during the sweep (a
  // sequential linear attention's) keeps every step: check what was built.
  int64_t kept = residualBytes(gradients->forward, gradients->numResiduals);
  if (kept > options.memoryBudget) {
    gradients->forward.erase();
    gradients->backward.erase();
    return function.emitOpError("cannot be differentiated within the memory "
                                "budget of ")
           << options.memoryBudget << " bytes: its residuals under the "
           << "checkpoint plan take " << kept << " bytes (the plan expected "
           << plan->residualBytes << ")";
  }
  if (planOut)
    *planOut = *plan;
  return gradients;
}

std::string forwardFunctionName(StringRef function) {
  return (function + "_fwd").str();
}
std::string backwardFunctionName(StringRef function) {
  return (function + "_bwd").str();
}

/// Refuses what has no gradient: arguments and results that are not
/// statically shaped float tensors, functions without a body.
static LogicalResult checkDifferentiable(func::FuncOp function) {
  if (function.isExternal() || !function.getBody().hasOneBlock())
    return function.emitOpError("cannot be differentiated: it needs a body "
                                "of one block");
  FunctionType type = function.getFunctionType();
  auto why = [](Type t) -> std::string {
    auto tensor = dyn_cast<RankedTensorType>(t);
    if (!tensor)
      return "is not a ranked tensor";
    if (!tensor.hasStaticShape())
      return "has a dynamic shape (gradients need static shapes)";
    return "does not have float elements (f32, f16, bf16, f64 or "
           "complex<f32>)";
  };
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    if (!isDifferentiableType(t))
      return function.emitOpError("cannot be differentiated with respect to "
                                  "argument #")
             << i << " of type " << t << ": it " << why(t);
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    if (!isDifferentiableType(t))
      return function.emitOpError("cannot be differentiated: result #")
             << i << " of type " << t << " " << why(t);
  return success();
}

namespace {
/// Which forward values the backward function may recompute instead of
/// receiving: constants, empty tensors, and fills and reshapes of those or
/// of the function's inputs.
class Recomputable {
public:
  explicit Recomputable(Block &body) : body(body) {}
  bool operator()(Value v) {
    if (auto arg = dyn_cast<BlockArgument>(v))
      return arg.getOwner() == &body;
    Operation *op = v.getDefiningOp();
    auto it = known.find(op);
    if (it != known.end())
      return it->second;
    bool result = false;
    if (isa<arith::ConstantOp, tensor::EmptyOp>(op))
      result = true;
    else if (isa<linalg::FillOp, tensor::ExpandShapeOp,
                 tensor::CollapseShapeOp>(op))
      result = llvm::all_of(op->getOperands(),
                            [&](Value operand) { return (*this)(operand); });
    known[op] = result;
    return result;
  }

private:
  Block &body;
  DenseMap<Operation *, bool> known;
};
} // namespace

FailureOr<GradientFunctions> differentiateFunction(func::FuncOp function,
                                                   int64_t checkpointEvery) {
  if (failed(checkDifferentiable(function)))
    return failure();
  auto module = function->getParentOfType<ModuleOp>();
  std::string fwdName = forwardFunctionName(function.getSymName());
  std::string bwdName = backwardFunctionName(function.getSymName());
  for (const std::string &name : {fwdName, bwdName})
    if (SymbolTable::lookupSymbolIn(module, name))
      return function.emitOpError("cannot be differentiated: a symbol @")
             << name << " exists already";

  Location loc = function.getLoc();
  FunctionType type = function.getFunctionType();
  unsigned numInputs = type.getNumInputs(), numOutputs = type.getNumResults();

  // The combined function, built in a detached clone.
  func::FuncOp combined = function.clone();
  llvm::scope_exit eraseCombined([&] { combined.erase(); });
  Block &body = combined.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  SmallVector<Value> cotangentArgs;
  for (Type t : type.getResults())
    cotangentArgs.push_back(body.addArgument(t, loc));
  SmallVector<Operation *> forwardOps;
  for (Operation &op : body.without_terminator())
    forwardOps.push_back(&op);

  OpBuilder b(ret);
  Operation *boundary = arith::ConstantIndexOp::create(b, loc, 0);
  AdjointBuilder adjoints(b);
  adjoints.setCheckpointEvery(checkpointEvery);
  for (auto [output, ct] : llvm::zip(ret.getOperands(), cotangentArgs))
    adjoints.accumulate(output, ct, loc);
  if (failed(adjoints.backpropagate(forwardOps)))
    return failure();
  SmallVector<Value> inputCotangents;
  for (BlockArgument arg : body.getArguments().take_front(numInputs))
    inputCotangents.push_back(adjoints.cotangentOrZeros(arg, loc));

  // Split at the boundary.
  SmallVector<Operation *> forward, backward;
  bool afterBoundary = false;
  for (Operation &op : body.without_terminator()) {
    if (&op == boundary)
      afterBoundary = true;
    else
      (afterBoundary ? backward : forward).push_back(&op);
  }
  DenseSet<Operation *> forwardSet(forward.begin(), forward.end());
  Recomputable recomputable(body);
  SetVector<Value> residuals;
  auto noteUse = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (def && forwardSet.contains(def) && !recomputable(v))
      residuals.insert(v);
  };
  for (Operation *op : backward)
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        noteUse(operand);
    });
  for (Value ct : inputCotangents)
    noteUse(ct);

  OpBuilder mb(module.getContext());
  mb.setInsertionPointAfter(function);
  SmallVector<Type> inputs(type.getInputs());

  // <f>_fwd(inputs) -> (outputs, residuals).
  SmallVector<Type> fwdResults(type.getResults());
  for (Value r : residuals)
    fwdResults.push_back(r.getType());
  auto fwd = func::FuncOp::create(mb, loc, fwdName,
                                  mb.getFunctionType(inputs, fwdResults));
  {
    Block *entry = fwd.addEntryBlock();
    OpBuilder fb = OpBuilder::atBlockEnd(entry);
    IRMapping mapping;
    mapping.map(body.getArguments().take_front(numInputs),
                entry->getArguments());
    for (Operation *op : forward)
      fb.clone(*op, mapping);
    SmallVector<Value> results;
    for (Value v : ret.getOperands())
      results.push_back(mapping.lookup(v));
    for (Value r : residuals)
      results.push_back(mapping.lookup(r));
    func::ReturnOp::create(fb, loc, results);
  }

  // <f>_bwd(inputs, residuals, output cotangents) -> input cotangents.
  SmallVector<Type> bwdInputs(inputs);
  for (Value r : residuals)
    bwdInputs.push_back(r.getType());
  bwdInputs.append(type.getResults().begin(), type.getResults().end());
  auto bwd = func::FuncOp::create(mb, loc, bwdName,
                                  mb.getFunctionType(bwdInputs, inputs));
  {
    Block *entry = bwd.addEntryBlock();
    OpBuilder bb = OpBuilder::atBlockEnd(entry);
    IRMapping mapping;
    auto args = entry->getArguments();
    mapping.map(body.getArguments().take_front(numInputs),
                args.take_front(numInputs));
    mapping.map(residuals.getArrayRef(),
                args.slice(numInputs, residuals.size()));
    mapping.map(cotangentArgs, args.take_back(numOutputs));
    for (Operation *op : forward)
      if (op->getNumResults() > 0 && !residuals.contains(op->getResult(0)) &&
          llvm::all_of(op->getResults(),
                       [&](Value v) { return recomputable(v); }))
        bb.clone(*op, mapping);
    for (Operation *op : backward)
      bb.clone(*op, mapping);
    SmallVector<Value> results;
    for (Value ct : inputCotangents)
      results.push_back(mapping.lookup(ct));
    auto bwdRet = func::ReturnOp::create(bb, loc, results);
    // The recomputed forward values nothing reads.
    SmallVector<Operation *> ops;
    for (Operation &op : *entry)
      if (&op != bwdRet)
        ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops))
      if (isOpTriviallyDead(op))
        op->erase();
  }
  return GradientFunctions{fwd, bwd, unsigned(residuals.size())};
}

} // namespace seqc::ad
