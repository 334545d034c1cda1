//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader -------------------===//
//
// Any bytes as an .npy file: the reader returns a tensor or a one-line
// error, and never crashes, reads out of bounds or allocates more than the
// bytes it was given can hold (the data must be in the file).
//
//===----------------------------------------------------------------------===//
#include "seqc/Support/HostTensor.h"

#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char *>(data), size),
                        std::ios::binary);
  seqc::HostTensor tensor;
  std::string error;
  if (seqc::readNpy(in, "<fuzz>", tensor, error)) {
    // A tensor it returns is what its bytes say: the count checked, the
    // data held, every element readable.
    std::optional<int64_t> bytes =
        seqc::checkedByteSize(tensor.type, tensor.shape);
    if (!bytes || *bytes != int64_t(tensor.bytes.size()) ||
        *bytes > int64_t(size))
      abort();
    double sum = 0;
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      sum += tensor.get(i);
    (void)sum;
  } else if (error.empty() || error.find('\n') != std::string::npos) {
    abort();
  }
  return 0;
}
