//===- Driver.h - shared pieces of the seqc driver -------------*- C++ -*-===//
#ifndef SEQC_TOOLS_SEQC_DRIVER_H
#define SEQC_TOOLS_SEQC_DRIVER_H

#include "seqc/Differentiation/Differentiate.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"
#include "seqc/Pipelines/CpuPipeline.h"
#include "seqc/Reference/Reference.h"
#include "seqc/Support/HostTensor.h"
#include "seqc/Target/CPU/CpuExecutable.h"
#include "seqc/Target/HostABI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

#include <random>
#include <string>
#include <vector>

namespace seqc::driver {

struct Program;

/// The subcommands and the options they share (seqc.cpp).
extern llvm::cl::SubCommand runCommand, explainCommand, compileCommand,
    tuneCommand;
extern llvm::cl::opt<std::string> inputFile, functionName, targetName,
    tuningDatabase, maxMemory;
extern llvm::cl::opt<uint64_t> seed;

/// Every dialect, extension and translation seqc uses, for a context.
void registerEverything(mlir::DialectRegistry &registry);

/// `seqc explain` (ExplainCommand.cpp) and `seqc tune` (TuneCommand.cpp).
int explainMain(mlir::MLIRContext &context);
int tuneMain(mlir::MLIRContext &context);

/// Expands the layers (seqnn-expand, canonicalize, cse) without choosing
/// forms: the level at which explain and tune see the seq ops.
/// Gradients are built at this level too: a derivative rule sees the forms
/// a user wrote, not the ones seq-select-form picks for the forward alone
/// (which runs after seq-differentiate, for both functions).
int expandLayers(Program &program);
int expandLayers(mlir::ModuleOp module);

/// Prints "seqc: error: <message>" and returns 1, for `return fail(...)`.
int fail(const llvm::Twine &message);

/// Runs the CPU pipeline on `module` from stage `first` through `last`.
int lowerForCpu(mlir::ModuleOp module, CpuStage last,
                CpuStage first = CpuStage::seq);

/// Host buffers for tensors of `types` (static shapes).
std::vector<HostTensor> buffersFor(mlir::TypeRange types);

/// Median milliseconds of `runs` (at least 1) calls after one warm-up
/// call; -1 when a call ran out of memory.
double timeCall(PreparedCall &call, unsigned runs);

/// What `seqc run` was asked for, beyond the program and its inputs.
struct RunSettings {
  unsigned repeats;
  bool check;
  std::string dumpOutputs;
};

/// `seqc run --grad` (GradientCommand.cpp).
extern llvm::cl::opt<bool> gradient;
/// `--grad-checkpoint=K` (GradientCommand.cpp).
extern llvm::cl::opt<int64_t> gradCheckpoint;
/// `--grad-checkpoint=K` and `--grad-memory-budget=SIZE` as
/// seq-differentiate's options; prints the error and returns false on bad
/// values.
bool gradientOptions(ad::DifferentiationOptions &options);

/// A size in bytes, "1073741824", "512M", "8G" (K, M, G, T: binary
/// multiples); nothing when it is not a positive size.
std::optional<int64_t> parseByteSize(llvm::StringRef text);

/// A parsed, verified input file with the function to run.
struct Program {
  llvm::SourceMgr sourceMgr;
  /// Prints every diagnostic about the program (parsing, verification,
  /// lowering, the reference) with its source line, for as long as the
  /// program lives.
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> diagnostics;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp function;
  /// Source names of the function's arguments (`%x` gives "x").
  std::vector<std::string> argumentNames;
};

/// Parses and verifies `path` (diagnostics with locations go to stderr) and
/// selects `functionName`, or the first public function when empty.
/// Returns non-zero after printing an error.
int loadProgram(mlir::MLIRContext &context, const std::string &path,
                const std::string &functionName, Program &program);

/// Checks that every argument and result is a statically shaped tensor of
/// a supported element type, and that the buffers fit --max-memory (sizes
/// in checked arithmetic; with `withReference`, also the reference
/// interpreter's f64 copies of them). Returns non-zero after printing an
/// error that names the argument and its size.
int checkStaticSignature(const Program &program, bool withReference = false);
/// The same for a signature (a dynamic function's at the sizes it runs with).
int checkStaticSignature(mlir::FunctionType signature,
                         const std::vector<std::string> &argumentNames,
                         llvm::StringRef functionName,
                         bool withReference = false,
                         bool allowDynamicBatchTime = false);
/// With `allowDynamicBatchTime` (seqc compile --target=cpu), dimensions 0
/// (batch) and 1 (time) may be dynamic.
int checkStaticSignature(mlir::func::FuncOp function,
                         const std::vector<std::string> &argumentNames,
                         bool withReference = false,
                         bool allowDynamicBatchTime = false);

/// Inputs for every argument: from `--input NAME=file.npy` where given,
/// otherwise random with a distribution that suits the argument's role
/// (decays in (-1, 1), log gates negative, betas in range, unit-norm keys).
/// Of the shapes of `signature` when given (a dynamic function's, at the
/// sizes it runs with), else of the function's own.
int makeInputs(const Program &program, const std::vector<std::string> &files,
               uint64_t seed, std::vector<HostTensor> &inputs,
               mlir::FunctionType signature = {});

/// The program's signature with its dynamic batch (dimension 0) and time
/// (dimension 1) set to `batch` and `time`; prints an error and returns
/// nothing when one it needs is not positive.
std::optional<mlir::FunctionType>
concreteSignature(const Program &program, int64_t batch, int64_t time);

/// Evaluates the function with the reference interpreter; with `capture`,
/// also returns the values those SSA values took (in `*captured`).
int evaluateReference(const Program &program,
                      const std::vector<ref::Tensor> &arguments,
                      std::vector<ref::Tensor> &results,
                      llvm::ArrayRef<mlir::Value> capture = {},
                      std::vector<ref::Tensor> *captured = nullptr);

/// Compares one output with its reference; prints a line; true on PASS.
bool compareOutput(const std::string &name, const HostTensor &actual,
                   const ref::Tensor &expected);

/// `seqc run --grad`: the forward-with-residuals and backward functions
/// (seq-differentiate) compiled for the host and run on `inputs` and seeded
/// (or given) output cotangents; with `check`, the outputs against the
/// reference interpreter and the gradients against its central finite
/// differences.
int runGradient(Program &program, std::vector<HostTensor> &inputs,
                const RunSettings &settings);

/// `seqc compile --grad`: expands the layers of `module` and adds each of
/// `functions`' forward-with-residuals and backward functions to it (and to
/// `functions`, after the function itself).
int addGradientFunctions(mlir::ModuleOp module,
                         std::vector<mlir::func::FuncOp> &functions);

} // namespace seqc::driver

#endif // SEQC_TOOLS_SEQC_DRIVER_H
