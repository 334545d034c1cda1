//===- CostModel.cpp - the forms of a generic seq.scan, costed ------------===//
//
// Sequential, or the prefix form with the op's own combiner.
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModelSupport.h"
#include "lib/Families/Scan/Scan.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;
using seqc::seq::FormKind;

/// A generic seq.scan: sequential, or the prefix form
/// (Prefix.cpp) that reads and writes the sequences three times
/// and has C + N combine steps on its critical path. On the CPU each of
/// those steps is one loop over every chunk, serial (too small for a thread
/// team): the prefix form does the sequential form's per-element work plus
/// its extra traffic, so it never wins there (measured: running max and
/// sum, T = 65536, 0.41 ms prefix vs 0.31 ms sequential). On a GPU each
/// step is a kernel over all chunks, and the sequential form a kernel per
/// time step.
void seqc::families::addScanFormModels(seq::ScanOp op, const HardwareModel &t,
                                       FormModels &models) {
  addSequentialOnly(op, t, models);
  ArrayRef<int64_t> shape = shapeOf(op.getInputs()[0]);
  int64_t T = stepsOf(shape);
  double elements = product(shape);
  double bytes = 0;
  for (Value input : op.getInputs())
    bytes += 2 * product(shapeOf(input)) * elementBytes(input);
  FormModel prefix{FormKind::prefix,
                   op->getName().getStringRef().str(),
                   {chunkVariable(T)},
                   {},
                   {},
                   {}};
  prefix.cost = [=](const TileConfig &c) {
    double C = std::min<double>(*c.chunkSize, T), chunks = std::ceil(T / C);
    if (t.isGpu)
      return cost(FormKind::prefix, 3 * bytes, 0, C + chunks, 4, t, 0,
                  t.launchLatency);
    return cost(FormKind::prefix, 3 * bytes, 0, C + chunks, 0, t, 0,
                t.stepLatency * elements / T * chunks);
  };
  models.candidates.push_back(std::move(prefix));
}
