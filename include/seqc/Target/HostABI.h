//===- HostABI.h - the C interface of a compiled bundle --------*- C++ -*-===//
//
// What the CPU and GPU bundles share: every public function `f` of the
// input becomes `int seqc_f([void *stream, ]const T *in0, ..., T *out0,
// ...)` over contiguous row-major buffers, implemented by a small C file
// that builds MLIR's memref descriptors and calls `_mlir_ciface_f`, and
// linked with the compiled object into a shared library.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_TARGET_HOSTABI_H
#define SEQC_TARGET_HOSTABI_H

#include "seqc/Support/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace seqc {

/// The host element type of a tensor type (or of a scalar type), or none
/// for types a bundle cannot pass.
std::optional<ElementType> hostElementTypeOf(mlir::Type type);

/// One buffer of a bundle function: inputs in<i>, then outputs out<i>.
struct Parameter {
  std::string name;
  mlir::RankedTensorType type;
  bool isOutput;
};
std::vector<Parameter> parametersOf(mlir::func::FuncOp function);
const char *cTypeOf(ElementType type);

/// The sizes a function leaves to run time. Only the batch (dimension 0 of
/// every float parameter) and time (dimension 1) may be dynamic, and the
/// length of a packed batch's offsets (a 1-D i64 parameter, N + 1 for N
/// sequences): one compiled function then serves every B and T, and the
/// entry point takes them as `int64_t batch, int64_t time, int64_t offsets`
/// (those the function has) before the buffers. With both, the batch is
/// the number of sequences: offsets = batch + 1.
struct DynamicSizes {
  bool batch = false;
  bool time = false;
  bool offsets = false;
  bool any() const { return batch || time || offsets; }
  /// The entry point's size parameters, in order: "batch", "time",
  /// "offsets" (those the function has).
  std::vector<std::string> names() const;
};
DynamicSizes dynamicSizesOf(mlir::func::FuncOp function);
/// Why `type` cannot be a bundle parameter's type for its dynamic sizes (a
/// dynamic dimension other than 0 and 1), or an empty string.
std::string dynamicSizeProblem(mlir::RankedTensorType type);
/// The C expression of dimension `dim`'s size of `type` ("batch", "time",
/// "offsets" or a number).
std::string sizeExpression(mlir::RankedTensorType type, unsigned dim);

/// `int seqc_<f>([void *stream, ][int64_t batch, ][int64_t time, ]const T
/// *in0, ..., T *out0, ...)`.
std::string prototype(mlir::func::FuncOp function, bool withStream);
std::string headerGuard(const std::string &stem);
/// A C comment listing the function's parameters with their tensor types.
void emitParameterComment(llvm::raw_ostream &os, mlir::func::FuncOp function);

/// The memref descriptor structs of every rank the functions use, the
/// descriptors `d<i>` of one function's parameters, and the declaration
/// and call of its `_mlir_ciface_` wrapper with them.
void emitDescriptorTypes(llvm::raw_ostream &os,
                         llvm::ArrayRef<mlir::func::FuncOp> functions);
void emitDescriptors(llvm::raw_ostream &os,
                     const std::vector<Parameter> &parameters);
/// The entry point's check of its dynamic sizes: batch and time at least 1,
/// offsets at least 2 (and batch + 1 where both are dynamic), every buffer's
/// byte size within int64_t; otherwise it returns 2.
void emitDynamicSizeChecks(llvm::raw_ostream &os, mlir::func::FuncOp function);
void emitCifaceDeclaration(llvm::raw_ostream &os, mlir::func::FuncOp function);
void emitCifaceCall(llvm::raw_ostream &os, mlir::func::FuncOp function);

/// Writes `contents` to `path`, atomically (a temporary file renamed).
llvm::Error writeTextFile(const std::string &path, llvm::StringRef contents);

/// clang-22 -shared -fPIC -O2 -o library inputs...
llvm::Error linkSharedLibrary(const std::string &library,
                              const std::vector<std::string> &inputs);

} // namespace seqc

#endif // SEQC_TARGET_HOSTABI_H
