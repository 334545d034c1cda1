//===- Inputs.cpp - inputs for `seqc run` ---------------------------------===//
//
// `--input NAME=file.npy` where given, otherwise random inputs with the
// distribution of each argument's role (lib/Evaluation/Inputs.cpp).
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "seqc/Evaluation/InputRole.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace seqc::driver {

int makeInputs(const Program &program, const std::vector<std::string> &files,
               uint64_t seed, std::vector<HostTensor> &inputs,
               FunctionType signature) {
  FunctionType type = signature
                          ? signature
                          : func::FuncOp(program.function).getFunctionType();
  llvm::StringMap<std::string> given;
  for (const std::string &entry : files) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size())
      return fail("--input expects NAME=file.npy, got '" + entry + "'");
    std::string name = entry.substr(0, eq);
    bool known = false;
    for (unsigned i = 0; i < program.argumentNames.size(); ++i)
      known |= program.argumentNames[i] == name ||
               name == "arg" + std::to_string(i);
    if (!known) {
      std::string names;
      for (const std::string &n : program.argumentNames)
        names += (names.empty() ? "" : ", ") + n;
      return fail("--input names an unknown argument '" + name +
                  "' (arguments: " + names + ")");
    }
    given[name] = entry.substr(eq + 1);
  }

  std::mt19937_64 rng(seed);
  Block &entry = func::FuncOp(program.function).getBody().front();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto tensorType = cast<RankedTensorType>(type.getInput(i));
    HostTensor tensor(*hostElementTypeOf(tensorType),
                      std::vector<int64_t>(tensorType.getShape()));
    const std::string &name = program.argumentNames[i];
    auto it = given.find(name);
    if (it == given.end())
      it = given.find("arg" + std::to_string(i));
    if (it != given.end()) {
      HostTensor loaded;
      std::string error;
      if (!readNpy(it->second, loaded, error))
        return fail("--input " + name + ": " + error);
      if (loaded.type != tensor.type || loaded.shape != tensor.shape)
        return fail("--input " + name + ": '" + it->second + "' holds " +
                    loaded.describe() + ", but argument '" + name +
                    "' is " + tensor.describe());
      tensor = std::move(loaded);
    } else if (tensor.type == ElementType::i64) {
      // Integers here are a packed batch's offsets: random ones would only
      // be rejected.
      return fail("argument '" + name + "' (" + tensor.describe() +
                  ") is integer data such as a packed batch's offsets; give "
                  "it with --input " + name + "=FILE.npy (int64)");
    } else {
      eval::fillInput(tensor, eval::inputRoleOf(entry.getArgument(i)), rng);
    }
    inputs.push_back(std::move(tensor));
  }
  return 0;
}

bool compareOutput(const std::string &name, const HostTensor &actual,
                   const ref::Tensor &expected) {
  Comparison c = compareToReference(actual, expected.data);
  llvm::outs() << llvm::format("  %-14s %-26s max abs err %.3e  max rel err "
                               "%.3e  (tolerance rtol %.0e)  %s",
                               name.c_str(), actual.describe().c_str(),
                               c.maxAbs, c.maxRel, c.rtol,
                               c.pass() ? "PASS" : "FAIL");
  if (c.nonFinite)
    llvm::outs() << "  (" << c.nonFinite << " NaN/Inf)";
  if (c.outOfTolerance)
    llvm::outs() << "  (" << c.outOfTolerance << " elements out of tolerance)";
  llvm::outs() << "\n";
  return c.pass();
}

int evaluateReference(const Program &program,
                      const std::vector<ref::Tensor> &arguments,
                      std::vector<ref::Tensor> &results,
                      ArrayRef<Value> capture,
                      std::vector<ref::Tensor> *captured) {
  return failed(eval::evaluateFunction(program.function, arguments, results,
                                       capture, captured));
}

} // namespace seqc::driver
