//===- Ptxas.cpp - assembling PTX and reading ptxas's report --------------===//
#include "seqc/Target/GPU/Ptxas.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

#include <optional>
#include <vector>

namespace seqc::gpu {

std::map<std::string, KernelResources> parsePtxasReport(llvm::StringRef report) {
  std::map<std::string, KernelResources> kernels;
  std::string current;
  llvm::Regex entry("Compiling entry function '([^']+)'");
  llvm::Regex frame("([0-9]+) bytes stack frame, ([0-9]+) bytes spill "
                    "stores, ([0-9]+) bytes spill loads");
  llvm::Regex used("Used ([0-9]+) registers");
  llvm::Regex smem("([0-9]+) bytes smem");
  llvm::SmallVector<llvm::StringRef> lines, m;
  report.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    if (entry.match(line, &m)) {
      current = m[1].str();
      kernels[current];
      continue;
    }
    if (current.empty())
      continue;
    KernelResources &k = kernels[current];
    if (frame.match(line, &m)) {
      m[1].getAsInteger(10, k.stackBytes);
      m[2].getAsInteger(10, k.spillStores);
      m[3].getAsInteger(10, k.spillLoads);
    }
    if (used.match(line, &m))
      m[1].getAsInteger(10, k.registers);
    if (smem.match(line, &m))
      m[1].getAsInteger(10, k.sharedBytes);
  }
  return kernels;
}

std::string findPtxas() {
  if (llvm::sys::fs::can_execute("/usr/local/cuda/bin/ptxas"))
    return "/usr/local/cuda/bin/ptxas";
  if (auto path = llvm::sys::findProgramByName("ptxas"))
    return *path;
  return "";
}

llvm::Expected<std::map<std::string, KernelResources>>
assemblePtx(const std::string &ptxas, llvm::StringRef chip,
            const std::string &ptxPath, const std::string &cubinPath,
            const std::string &reportPath) {
  std::string arch = ("-arch=" + chip).str();
  std::vector<llvm::StringRef> args = {ptxas, arch, "-v", ptxPath, "-o",
                                       cubinPath};
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(reportPath), llvm::StringRef(reportPath)};
  std::string message;
  if (llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 0, 0,
                                &message) != 0)
    return llvm::createStringError("ptxas rejected '" + ptxPath + "' (see " +
                                   reportPath + ")" +
                                   (message.empty() ? "" : ": " + message));
  auto report = llvm::MemoryBuffer::getFile(reportPath);
  return parsePtxasReport(report ? (*report)->getBuffer() : "");
}

} // namespace seqc::gpu
