//===- OpExtraction.cpp - each seq op as a function of its operands -------===//
#include "autotune/Tuner.h"

#include "autotune/WorkloadKey.h"
#include "dialects/Seq/IR/SeqOps.h"
#include "seqc/Evaluation/InputRole.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"
#include "seqc/Target/HostABI.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

#include <random>

using namespace mlir;

namespace seqc::autotune {
namespace {

/// The op as a function of its operands (and of values its regions use
/// from above, listed in `outer` in argument order), returning its results.
OwningOpRef<ModuleOp> extractOp(Operation *op, std::string &why,
                                std::vector<Value> &outer) {
  MLIRContext *context = op->getContext();
  llvm::SetVector<Value> arguments(op->getOperands().begin(),
                                   op->getOperands().end());
  for (Region &region : op->getRegions())
    getUsedValuesDefinedAbove(region, arguments);
  outer.assign(arguments.begin(), arguments.end());
  SmallVector<Type> argumentTypes;
  for (Value v : arguments) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !hostElementTypeOf(type)) {
      why = "an operand is not a statically shaped tensor of f32, f16, bf16 "
            "or complex<f32>";
      return nullptr;
    }
    argumentTypes.push_back(type);
  }
  OpBuilder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(op->getLoc());
  b.setInsertionPointToEnd(module->getBody());
  auto function = func::FuncOp::create(
      b, op->getLoc(), "tuned_op",
      b.getFunctionType(argumentTypes, op->getResultTypes()));
  Block *entry = function.addEntryBlock();
  IRMapping mapping;
  for (auto [value, argument] : llvm::zip(arguments, entry->getArguments()))
    mapping.map(value, argument);
  b.setInsertionPointToEnd(entry);
  Operation *clone = b.clone(*op, mapping);
  func::ReturnOp::create(b, op->getLoc(), clone->getResults());
  return module;
}

HostTensor hostTensorOf(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return HostTensor(*hostElementTypeOf(tensor),
                    std::vector<int64_t>(tensor.getShape()));
}

} // namespace

Operation *OpWork::inner() const {
  return &*func::FuncOp(function).getBody().front().getOperations().begin();
}

std::vector<OpWork> extractTunableOps(func::FuncOp program,
                                      const std::vector<HostTensor> *programInputs,
                                      uint64_t seed) {
  std::vector<OpWork> ops;
  std::vector<std::vector<Value>> outer;
  std::vector<Value> capture;
  program->getParentOfType<ModuleOp>()->walk([&](seq::FormOpInterface op) {
    if (op.getFormAttr())
      return;
    OpWork &work = ops.emplace_back();
    work.op = op;
    outer.emplace_back();
    OwningOpRef<ModuleOp> extracted = extractOp(op, work.skipped, outer.back());
    capture.insert(capture.end(), outer.back().begin(), outer.back().end());
    if (!extracted)
      return;
    work.function = *extracted->getOps<func::FuncOp>().begin();
    work.module = std::move(extracted);
  });
  std::vector<ref::Tensor> programOutputs, captured;
  bool captures = false;
  if (programInputs) {
    std::vector<ref::Tensor> referenceInputs;
    for (const HostTensor &input : *programInputs)
      referenceInputs.push_back(eval::toReference(input));
    captures = succeeded(eval::evaluateFunction(
        program, referenceInputs, programOutputs, capture, &captured));
  }
  size_t next = 0;
  for (auto [work, values] : llvm::zip(ops, outer)) {
    size_t first = next;
    next += values.size();
    if (!work.skipped.empty())
      continue;
    for (Type type : work.function.getResultTypes())
      work.outputs.push_back(hostTensorOf(type));
    Block &entry = work.function.getBody().front();
    std::mt19937_64 rng(seed); // each op's inputs as if it stood alone
    for (size_t i = 0; i < values.size(); ++i) {
      HostTensor input = hostTensorOf(values[i].getType());
      if (captures)
        for (int64_t j = 0; j < input.numElements(); ++j)
          input.set(j, captured[first + i].data[j]);
      else
        eval::fillInput(input, eval::inputRoleOf(entry.getArgument(i)), rng);
      work.inputs.push_back(std::move(input));
    }
    std::vector<ref::Tensor> referenceInputs;
    for (const HostTensor &input : work.inputs)
      referenceInputs.push_back(eval::toReference(input));
    if (failed(eval::evaluateFunction(work.function, referenceInputs,
                                      work.expected)))
      work.skipped = "the reference interpreter cannot run it";
  }
  return ops;
}

std::vector<TuningRecord> recordsOf(const OpReport &report) {
  std::vector<TuningRecord> records;
  for (const Candidate &c : report.candidates) {
    if (!c.tried)
      continue;
    TuningRecord r = toRecord(c.config);
    r.status = c.measured.status;
    r.medianSeconds = c.measured.median;
    r.spreadSeconds = c.measured.spread;
    r.repeats = c.measured.repeats;
    r.detail = c.measured.detail;
    r.shape = exactShapeOf(report.op);
    records.push_back(r);
  }
  return records;
}

} // namespace seqc::autotune
