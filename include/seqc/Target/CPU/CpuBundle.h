//===- CpuBundle.h - the CPU artifact bundle of `seqc compile` -*- C++ -*-===//
#ifndef SEQC_TARGET_CPU_CPUBUNDLE_H
#define SEQC_TARGET_CPU_CPUBUNDLE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace seqc {

/// Writes DIR/<stem>.o (compiled for this host), DIR/<stem>.h,
/// DIR/<stem>_abi.c and DIR/lib<stem>.so exporting
/// `int seqc_f(const T *in0, ..., T *out0, ...)` (returns 0) for each of
/// `functions` (seq level, static signatures), compiled from `lowered`
/// (LLVM dialect). Returns the paths written.
llvm::Expected<std::vector<std::string>>
writeCpuBundle(llvm::ArrayRef<mlir::func::FuncOp> functions,
               mlir::ModuleOp lowered, const std::string &stem,
               const std::string &directory);

} // namespace seqc

#endif // SEQC_TARGET_CPU_CPUBUNDLE_H
