//===- Ptxas.h - assembling PTX and reading ptxas's report -----*- C++ -*-===//
#ifndef SEQC_TARGET_GPU_PTXAS_H
#define SEQC_TARGET_GPU_PTXAS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>

namespace seqc::gpu {

/// The resources `ptxas -v` reports for one kernel.
struct KernelResources {
  int64_t registers = -1, sharedBytes = 0, stackBytes = 0, spillStores = 0,
          spillLoads = 0;
};

/// The resources of every kernel in a `ptxas -v` report, by kernel name.
std::map<std::string, KernelResources> parsePtxasReport(llvm::StringRef report);

/// ptxas from /usr/local/cuda/bin or PATH; empty when there is none.
std::string findPtxas();

/// Runs `ptxas -arch=<chip> -v ptxPath -o cubinPath`, its report (stdout
/// and stderr) to `reportPath`, and returns the parsed report.
llvm::Expected<std::map<std::string, KernelResources>>
assemblePtx(const std::string &ptxas, llvm::StringRef chip,
            const std::string &ptxPath, const std::string &cubinPath,
            const std::string &reportPath);

} // namespace seqc::gpu

#endif // SEQC_TARGET_GPU_PTXAS_H
