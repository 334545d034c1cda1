//===- InputGuards.h - input MLIR's parser would crash on ------*- C++ -*-===//
//
// Checks on the text of an input file before MLIR's parser sees it, for
// upstream parser defects (docs/DESIGN.md, "Upstream defects we guard
// against"). No MLIR dependency: the fuzz targets use them too.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_SUPPORT_INPUTGUARDS_H
#define SEQC_SUPPORT_INPUTGUARDS_H

#include <cstddef>
#include <optional>
#include <string_view>

namespace seqc {

/// Where the text has `array<index` (spaces allowed around `<`) outside a
/// comment or a string, if anywhere: MLIR 22's parser segfaults on a dense
/// array of `index`.
std::optional<size_t> findIndexDenseArray(std::string_view text);

} // namespace seqc

#endif // SEQC_SUPPORT_INPUTGUARDS_H
