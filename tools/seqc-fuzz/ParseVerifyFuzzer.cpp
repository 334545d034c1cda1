//===- ParseVerifyFuzzer.cpp - libFuzzer target: parse and verify ---------===//
//
// Any text as a model file: parsed and verified with the seq and seqnn
// dialects (and the upstream dialects models use). Every outcome is a
// diagnostic or a module; a crash, a sanitizer report or a verified module
// that does not print is a defect.
//
//===----------------------------------------------------------------------===//
#include "FuzzContext.h"

#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto module = seqc::fuzz::parseModel(data, size, seqc::fuzz::modelContext());
  if (!module)
    return 0;
  // A verified module prints (custom forms, attributes).
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  return 0;
}
