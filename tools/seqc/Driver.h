//===- Driver.h - shared pieces of the seqc driver -------------*- C++ -*-===//
#ifndef SEQC_TOOLS_SEQC_DRIVER_H
#define SEQC_TOOLS_SEQC_DRIVER_H

#include "seqc/Reference/Reference.h"
#include "seqc/Support/HostTensor.h"

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
    tuningDatabase;
extern llvm::cl::opt<uint64_t> seed;

/// Every dialect, extension and translation seqc uses, for a context.
void registerEverything(mlir::DialectRegistry &registry);

/// `seqc explain` (ExplainCommand.cpp) and `seqc tune` (TuneCommand.cpp).
int explainMain(mlir::MLIRContext &context);
int tuneMain(mlir::MLIRContext &context);

/// Expands the layers (seqnn-expand, canonicalize, cse) without choosing
/// forms: the level at which explain and tune see the seq ops.
int expandLayers(Program &program);

/// Prints "seqc: error: <message>" and returns 1, for `return fail(...)`.
int fail(const llvm::Twine &message);

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

/// The element type of a tensor type, or an error for unsupported ones.
std::optional<ElementType> toElementType(mlir::Type type);

/// Checks that every argument and result is a statically shaped tensor of
/// a supported element type. Returns non-zero after printing an error.
int checkStaticSignature(const Program &program);
int checkStaticSignature(mlir::func::FuncOp function,
                         const std::vector<std::string> &argumentNames);

/// Inputs for every argument: from `--input NAME=file.npy` where given,
/// otherwise random with a distribution that suits the argument's role
/// (decays in (-1, 1), log gates negative, betas in range, unit-norm keys).
int makeInputs(const Program &program, const std::vector<std::string> &files,
               uint64_t seed, std::vector<HostTensor> &inputs);

/// Evaluates the function with the reference interpreter; with `capture`,
/// also returns the values those SSA values took (in `*captured`).
int evaluateReference(const Program &program,
                      const std::vector<ref::Tensor> &arguments,
                      std::vector<ref::Tensor> &results,
                      llvm::ArrayRef<mlir::Value> capture = {},
                      std::vector<ref::Tensor> *captured = nullptr);

/// Converts between host buffers and reference tensors.
ref::Tensor toReference(const HostTensor &tensor);

/// Compares one output with its reference; prints a line; true on PASS.
bool compareOutput(const std::string &name, const HostTensor &actual,
                   const ref::Tensor &expected);

/// Writes DIR/<stem>.o, DIR/<stem>.h, DIR/<stem>_abi.c and
/// DIR/lib<stem>.so exporting `functions` (seq level, static
/// signatures), compiled from `lowered` (LLVM dialect).
int writeCpuBundle(llvm::ArrayRef<mlir::func::FuncOp> functions,
                   mlir::ModuleOp lowered, const std::string &stem,
                   const std::string &directory);

/// Pieces shared by the CPU and GPU bundles (CompileCommand.cpp).
struct Parameter {
  std::string name; // in<i> or out<i>
  mlir::RankedTensorType type;
  bool isOutput;
};
std::vector<Parameter> parametersOf(mlir::func::FuncOp function);
const char *cTypeOf(ElementType type);
/// `int seqc_<f>([void *stream, ]const T *in0, ..., T *out0, ...)`.
std::string prototype(mlir::func::FuncOp function, bool withStream);
std::string headerGuard(const std::string &stem);
void emitParameterComment(llvm::raw_ostream &os, mlir::func::FuncOp function);
/// The memref descriptor structs of every rank the functions use, the
/// descriptors `d<i>` of one function's parameters, and the call of its
/// `_mlir_ciface_` wrapper with them.
void emitDescriptorTypes(llvm::raw_ostream &os,
                         llvm::ArrayRef<mlir::func::FuncOp> functions);
void emitDescriptors(llvm::raw_ostream &os,
                     const std::vector<Parameter> &parameters);
void emitCifaceDeclaration(llvm::raw_ostream &os, mlir::func::FuncOp function);
void emitCifaceCall(llvm::raw_ostream &os, mlir::func::FuncOp function);
/// clang-22 -shared -o library inputs...
int linkSharedLibrary(const std::string &library,
                      const std::vector<std::string> &inputs);

/// Writes the GPU bundle of `functions` (see GpuCompileCommand.cpp).
/// `program` is at the seq level (expanded, forms chosen for `target`);
/// with `checkVectors`, `inputs` (made from the program before expansion,
/// when argument roles are still visible) and the reference interpreter's
/// outputs for the program's function are written under DIR/check.
int writeGpuBundle(Program &program, llvm::ArrayRef<mlir::func::FuncOp> functions,
                   const std::string &target, const std::string &stem,
                   const std::string &directory,
                   const std::vector<HostTensor> &inputs, bool checkVectors,
                   uint64_t seed);

} // namespace seqc::driver

#endif // SEQC_TOOLS_SEQC_DRIVER_H
