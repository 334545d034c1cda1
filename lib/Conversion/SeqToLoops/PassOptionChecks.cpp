//===- PassOptionChecks.cpp - numeric pass options within their range -----===//
#include "seqc/Conversion/SeqToLoops.h"

using namespace mlir;

LogicalResult seqc::checkPassOption(Operation *op, StringRef pass,
                                    StringRef option, int64_t value,
                                    int64_t least, int64_t most) {
  if (value >= least && value <= most)
    return success();
  InFlightDiagnostic error = op->emitError()
                             << pass << ": option '" << option << "' must be ";
  if (most == INT64_MAX)
    error << "at least " << least;
  else
    error << "in [" << least << ", " << most << "]";
  return error << ", not " << value;
}
