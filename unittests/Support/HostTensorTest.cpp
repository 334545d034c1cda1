//===- HostTensorTest.cpp - typed host buffers and .npy files -------------===//
#include "seqc/Support/HostTensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

using namespace seqc;

namespace {

std::string tempPath(const char *name) {
  return ::testing::TempDir() + "/" + name;
}

TEST(HostTensor, LowPrecisionRoundsToNearestEven) {
  HostTensor bf16(ElementType::bf16, {3});
  bf16.set(0, 1.0 + std::ldexp(1.0, -8));     // tie: rounds down to even
  bf16.set(1, 1.0 + 3 * std::ldexp(1.0, -8)); // tie: rounds up to even
  bf16.set(2, -3.140625);
  EXPECT_EQ(bf16.get(0), 1.0);
  EXPECT_EQ(bf16.get(1), 1.0 + std::ldexp(1.0, -6));
  EXPECT_EQ(bf16.get(2), -3.140625);

  HostTensor f16(ElementType::f16, {4});
  f16.set(0, 1.0 + std::ldexp(1.0, -11)); // tie: rounds to 1
  f16.set(1, 65504.0);
  f16.set(2, 1e6);                       // overflows to infinity
  f16.set(3, std::ldexp(1.0, -24));      // smallest subnormal
  EXPECT_EQ(f16.get(0), 1.0);
  EXPECT_EQ(f16.get(1), 65504.0);
  EXPECT_TRUE(std::isinf(f16.get(2)));
  EXPECT_EQ(f16.get(3), std::ldexp(1.0, -24));
}

TEST(HostTensor, NpyRoundTripsEveryElementType) {
  for (ElementType type : {ElementType::f32, ElementType::f16,
                           ElementType::bf16, ElementType::complexF32}) {
    HostTensor tensor(type, {2, 3, 1});
    for (int64_t i = 0; i < tensor.numElements(); ++i) {
      if (type == ElementType::complexF32)
        tensor.setComplex(i, 0.5 * i, -0.25 * i);
      else
        tensor.set(i, 0.5 * i - 1);
    }
    std::string path = tempPath("roundtrip.npy"), error;
    ASSERT_TRUE(writeNpy(path, tensor, error)) << error;
    HostTensor loaded;
    ASSERT_TRUE(readNpy(path, loaded, error)) << error;
    EXPECT_EQ(loaded.type, type);
    EXPECT_EQ(loaded.shape, tensor.shape);
    EXPECT_EQ(loaded.bytes, tensor.bytes) << elementTypeName(type);
  }
}

TEST(HostTensor, OneDimensionalShapeIsATuple) {
  HostTensor tensor(ElementType::f32, {5});
  std::string path = tempPath("vector.npy"), error;
  ASSERT_TRUE(writeNpy(path, tensor, error));
  std::ifstream in(path, std::ios::binary);
  std::string header(128, '\0');
  in.read(header.data(), 128);
  EXPECT_NE(header.find("'shape': (5, )"), std::string::npos) << header;
  // The header (with magic and length) is padded to a multiple of 64.
  EXPECT_EQ(header.find('\n') % 64, 63u);
}

TEST(HostTensor, BadFilesGiveOneLineErrors) {
  HostTensor tensor;
  std::string error;
  EXPECT_FALSE(readNpy(tempPath("does-not-exist.npy"), tensor, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos);

  std::string garbage = tempPath("garbage.npy");
  std::ofstream(garbage) << "hello";
  EXPECT_FALSE(readNpy(garbage, tensor, error));
  EXPECT_NE(error.find("not an .npy file"), std::string::npos);

  // A valid header promising more data than the file holds.
  HostTensor big(ElementType::f32, {100});
  std::string truncated = tempPath("truncated.npy");
  ASSERT_TRUE(writeNpy(truncated, big, error));
  std::string bytes;
  {
    std::ifstream in(truncated, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(truncated, std::ios::binary).write(bytes.data(), 200);
  EXPECT_FALSE(readNpy(truncated, tensor, error));
  EXPECT_NE(error.find("file ends before its 100 elements"), std::string::npos)
      << error;
}

} // namespace
