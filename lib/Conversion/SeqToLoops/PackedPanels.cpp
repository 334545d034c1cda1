//===- PackedPanels.cpp - a microkernel's B packed in panels --------------===//
#include "lib/Conversion/SeqToLoops/PackedPanels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using seqc::loopNest;

namespace {

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// Copies B [batch?, K, N] into a new buffer of panels of `columns`
/// columns, each of `pairs` ? ceil(K / 2) rows of 2 columns values (a
/// column's two rows side by side) : K rows of `columns` values.
Value pack(OpBuilder &b, Location loc, Value rows, int64_t columns,
           bool pairs) {
  auto type = cast<MemRefType>(rows.getType());
  int64_t rank = type.getRank();
  int64_t k = type.getDimSize(rank - 2), n = type.getDimSize(rank - 1);
  int64_t panels = (n + columns - 1) / columns;
  bool batched = rank == 3;
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  Value batch;
  if (batched) {
    shape.push_back(type.getDimSize(0));
    batch = memref::DimOp::create(b, loc, rows, 0);
    if (type.isDynamicDim(0))
      dynamicSizes.push_back(batch);
  }
  int64_t packedRows = pairs ? (k + 1) / 2 : k;
  shape.append({panels, packedRows, pairs ? 2 * columns : columns});
  // Aligned to a cache line: a panel's rows are whole lines when `columns`
  // fills them.
  Value packed = memref::AllocOp::create(
      b, loc, MemRefType::get(shape, type.getElementType()), dynamicSizes,
      b.getI64IntegerAttr(64));

  Value zero;
  if (pairs)
    zero = arith::ConstantOp::create(b, loc, type.getElementType(),
                                     b.getZeroAttr(type.getElementType()));
  // Panels [first, first + count) of `width` columns, rows [0, count of
  // rows): the full panels, then the last one when N is not a multiple of
  // `columns`. The innermost loop runs along a row of B and of the panel,
  // contiguous in both, so that LLVM vectorizes it. With pairs and an odd
  // K, the last pair row holds B's last row and zeros (`lastOdd`).
  auto copy = [&](int64_t first, int64_t count, int64_t width, int64_t rowCount,
                  bool lastOdd) {
    if (count == 0 || width == 0 || rowCount == 0)
      return;
    SmallVector<Value> uppers;
    if (batched)
      uppers.push_back(batch);
    for (int64_t bound : {count, rowCount, width})
      uppers.push_back(index(b, loc, bound));
    loopNest(
        b, loc, uppers, [&](OpBuilder &nb, ValueRange ivs) {
          Value bat = batched ? ivs[0] : Value();
          ValueRange rest = ivs.drop_front(batched ? 1 : 0);
          Value panel =
              arith::AddIOp::create(nb, loc, rest[0], index(nb, loc, first));
          Value row = lastOdd ? index(nb, loc, k / 2) : rest[1];
          Value c = rest[2];
          Value column = arith::AddIOp::create(
              nb, loc,
              arith::MulIOp::create(nb, loc, panel, index(nb, loc, columns)),
              c);
          auto at = [&](std::initializer_list<Value> indices) {
            SmallVector<Value> all;
            if (bat)
              all.push_back(bat);
            all.append(indices.begin(), indices.end());
            return all;
          };
          if (!pairs) {
            Value value =
                memref::LoadOp::create(nb, loc, rows, at({row, column}));
            memref::StoreOp::create(nb, loc, value, packed,
                                    at({panel, row, c}));
            return;
          }
          Value first = arith::MulIOp::create(nb, loc, row, index(nb, loc, 2));
          Value even =
              memref::LoadOp::create(nb, loc, rows, at({first, column}));
          Value odd = zero;
          if (!lastOdd)
            odd = memref::LoadOp::create(
                nb, loc, rows,
                at({arith::AddIOp::create(nb, loc, first, index(nb, loc, 1)),
                    column}));
          Value to = arith::MulIOp::create(nb, loc, c, index(nb, loc, 2));
          memref::StoreOp::create(nb, loc, even, packed, at({panel, row, to}));
          memref::StoreOp::create(
              nb, loc, odd, packed,
              at({panel, row,
                  arith::AddIOp::create(nb, loc, to, index(nb, loc, 1))}));
        });
  };
  int64_t full = n / columns, rest = n % columns;
  int64_t wholeRows = pairs ? k / 2 : k;
  copy(0, full, columns, wholeRows, false);
  copy(full, rest ? 1 : 0, rest, wholeRows, false);
  if (pairs && k % 2) {
    copy(0, full, columns, 1, true);
    copy(full, rest ? 1 : 0, rest, 1, true);
  }
  return packed;
}

} // namespace

void seqc::loopNest(OpBuilder &b, Location loc, ArrayRef<Value> uppers,
                    function_ref<void(OpBuilder &, ValueRange)> body) {
  SmallVector<Value> zeros(uppers.size(), index(b, loc, 0));
  SmallVector<Value> ones(uppers.size(), index(b, loc, 1));
  scf::buildLoopNest(
      b, loc, zeros, uppers, ones,
      [&](OpBuilder &nb, Location, ValueRange ivs) { body(nb, ivs); });
}

Value seqc::packPanels(OpBuilder &b, Location loc, Value rows,
                       int64_t columns) {
  return pack(b, loc, rows, columns, /*pairs=*/false);
}

Value seqc::packPairPanels(OpBuilder &b, Location loc, Value rows,
                           int64_t columns) {
  return pack(b, loc, rows, columns, /*pairs=*/true);
}
