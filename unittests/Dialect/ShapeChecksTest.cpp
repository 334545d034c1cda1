//===- ShapeChecksTest.cpp - the shape helpers behind every verifier ------===//
#include "dialects/Seq/IR/ShapeChecks.h"

#include <gtest/gtest.h>

using namespace seqc;

TEST(ShapeChecks, FormatsStaticAndDynamicDims) {
  EXPECT_EQ(formatShape({2, kAnyDim, 4}), "[2, ?, 4]");
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatDim(kAnyDim), "?");
  EXPECT_EQ(formatDim(17), "17");
}

TEST(ShapeChecks, DynamicDimsAreCompatibleWithAnySize) {
  EXPECT_TRUE(dimsCompatible(3, 3));
  EXPECT_FALSE(dimsCompatible(3, 4));
  EXPECT_TRUE(dimsCompatible(kAnyDim, 4));
  EXPECT_TRUE(dimsCompatible(4, kAnyDim));
  EXPECT_TRUE(shapesCompatible({2, kAnyDim}, {2, 9}));
  EXPECT_FALSE(shapesCompatible({2, kAnyDim}, {3, 9}));
  // A rank mismatch is never compatible, even with dynamic dims.
  EXPECT_FALSE(shapesCompatible({kAnyDim}, {kAnyDim, kAnyDim}));
}

TEST(ShapeChecks, DropDimRemovesTheTimeDimension) {
  EXPECT_EQ(dropDim({4, 128, 64, 16}, 1),
            (llvm::SmallVector<int64_t>{4, 64, 16}));
  // Out of range leaves the shape as it is.
  EXPECT_EQ(dropDim({4}, 1), (llvm::SmallVector<int64_t>{4}));
}

TEST(ShapeChecks, ProductPropagatesDynamicSizes) {
  EXPECT_EQ(mulDims(4, 64), 256);
  EXPECT_EQ(mulDims(kAnyDim, 64), kAnyDim);
  EXPECT_EQ(mulDims(4, kAnyDim), kAnyDim);
}
