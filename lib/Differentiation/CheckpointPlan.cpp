//===- CheckpointPlan.cpp - checkpoint intervals under a memory budget ----===//
#include "seqc/Differentiation/CheckpointPlan.h"

#include "seqc/Differentiation/Differentiate.h"

#include "autotune/HardwareModel.h"
#include "autotune/TilingProblem.h"
#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <z3++.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

using namespace mlir;
using namespace seqc;
using namespace seqc::ad;

namespace {

int64_t bytesOf(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  Type element = tensor.getElementType();
  int64_t bits = isa<ComplexType>(element)
                     ? 2 * cast<ComplexType>(element)
                               .getElementType()
                               .getIntOrFloatBitWidth()
                     : element.getIntOrFloatBitWidth();
  return tensor.getNumElements() * bits / 8;
}

/// The recurrence's forward time on the host CPU by the cost model (its
/// cheapest form); 0 when the model has none.
double forwardSeconds(seq::RecurrenceOp op) {
  static const autotune::HardwareModel host = autotune::detectHostCpu();
  std::optional<autotune::TileConfig> pick =
      autotune::chooseForm(op, host).cheapest();
  return pick ? pick->cost.seconds : 0.0;
}

/// The intervals a recurrence of `steps` can take: 1, then every divisor
/// strictly between 1 and `steps` (the checkpointed backward needs K to
/// divide T, and K = T would keep nothing but the initial state).
SmallVector<int64_t> intervals(int64_t steps) {
  SmallVector<int64_t> values = {1};
  for (int64_t d = 2; d < steps; ++d)
    if (steps % d == 0)
      values.push_back(d);
  return values;
}

std::string sizeText(int64_t bytes) {
  if (bytes >= (int64_t(1) << 30))
    return llvm::formatv("{0} bytes ({1:f2} GiB)", bytes,
                         double(bytes) / double(int64_t(1) << 30));
  if (bytes >= (int64_t(1) << 20))
    return llvm::formatv("{0} bytes ({1:f1} MiB)", bytes,
                         double(bytes) / double(1 << 20));
  return llvm::formatv("{0} bytes", bytes);
}

} // namespace

int64_t ad::residualBytes(func::FuncOp forward, unsigned numResiduals) {
  auto results = forward.getFunctionType().getResults();
  int64_t total = 0;
  for (Type type : results.drop_front(results.size() - numResiduals))
    total += bytesOf(type);
  return total;
}

FailureOr<CheckpointPlan> ad::planCheckpoints(func::FuncOp function,
                                              int64_t budgetBytes) {
  auto start = std::chrono::steady_clock::now();
  CheckpointPlan plan;
  plan.budgetBytes = budgetBytes;
  SmallVector<seq::RecurrenceOp> recurrences;
  function.walk([&](seq::RecurrenceOp op) { recurrences.push_back(op); });

  // The residuals with every recurrence keeping every step's state, from a
  // copy of the module differentiated without checkpoints.
  OwningOpRef<ModuleOp> copy(
      cast<ModuleOp>(function->getParentOfType<ModuleOp>()->clone()));
  auto twin = copy->lookupSymbol<func::FuncOp>(function.getSymName());
  twin.walk([](seq::RecurrenceOp op) { seq::CheckpointEveryOf::remove(op); });
  FailureOr<GradientFunctions> measured =
      differentiateFunction(twin, /*checkpointEvery=*/0);
  if (failed(measured))
    return failure();
  int64_t everyState =
      residualBytes(measured->forward, measured->numResiduals);
  // The products each forward recurrence of the twin keeps (its outputs
  // marked seq.kept_products), in the order of the recurrences here.
  SmallVector<int64_t> productBytes;
  measured->forward.walk([&](seq::RecurrenceOp op) {
    int64_t bytes = 0;
    if (IntegerAttr kept = seq::KeptProductsOf::get(op))
      for (Value product : op.getOutputs().take_back(kept.getInt()))
        bytes += bytesOf(product.getType());
    productBytes.push_back(bytes);
  });
  if (productBytes.size() != recurrences.size())
    productBytes.assign(recurrences.size(), 0);
  int64_t recurrenceStates = 0;
  for (auto [index, op] : llvm::enumerate(recurrences)) {
    CheckpointChoice choice;
    choice.recurrence = op;
    choice.steps = cast<RankedTensorType>(op.getOutputs().empty()
                                              ? op.getInputs()[0].getType()
                                              : op.getOutputs()[0].getType())
                       .getDimSize(1);
    choice.stateBytes = 0;
    unsigned states = op.getFinalStates().size() - op.getAccumulators();
    for (Value state : op.getFinalStates().take_front(states))
      choice.stateBytes += bytesOf(state.getType());
    choice.recomputeSeconds = forwardSeconds(op);
    choice.productBytes =
        productBytes[index] / std::max<int64_t>(1, choice.steps);
    recurrenceStates +=
        choice.steps * (choice.stateBytes + choice.productBytes);
    plan.choices.push_back(choice);
  }
  plan.otherResidualBytes = std::max<int64_t>(0, everyState - recurrenceStates);

  z3::context z;
  z3::optimize solver(z);
  z3::expr kept = z.int_val(int64_t(0));
  z3::expr transient = z.int_const("largest_segment");
  z3::expr recompute = z.int_val(int64_t(0));
  z3::expr segments = z.int_val(int64_t(0));
  solver.add(transient >= 0);
  std::vector<z3::expr> every;
  for (auto [index, choice] : llvm::enumerate(plan.choices)) {
    z3::expr k = z.int_const(("every_" + std::to_string(index)).c_str());
    z3::expr_vector domain(z);
    z3::expr keptHere =
        z.int_val(choice.steps * (choice.stateBytes + choice.productBytes));
    z3::expr segmentsHere = z.int_val(int64_t(0));
    for (int64_t d : intervals(choice.steps)) {
      domain.push_back(k == z.int_val(d));
      if (d == 1)
        continue;
      keptHere = z3::ite(k == z.int_val(d),
                         z.int_val(choice.steps / d * choice.stateBytes),
                         keptHere);
      segmentsHere =
          z3::ite(k == z.int_val(d), z.int_val(choice.steps / d), segmentsHere);
    }
    segments = segments + segmentsHere;
    solver.add(z3::mk_or(domain));
    kept = kept + keptHere;
    solver.add(transient >=
               z3::ite(k > 1, k * z.int_val(choice.stateBytes), z.int_val(0)));
    int64_t micros = std::max<int64_t>(
        1, int64_t(std::llround(choice.recomputeSeconds * 1e6)));
    recompute = recompute + z3::ite(k > 1, z.int_val(micros), z.int_val(0));
    every.push_back(k);
  }
  z3::expr total = z.int_val(plan.otherResidualBytes) + kept + transient;
  solver.push();
  solver.add(total <= z.int_val(budgetBytes));
  solver.minimize(recompute);
  solver.minimize(total);
  solver.minimize(segments);
  if (solver.check() != z3::sat) {
    // The least memory any plan needs, for the message.
    solver.pop();
    solver.minimize(total);
    int64_t least = plan.otherResidualBytes;
    if (solver.check() == z3::sat)
      least = solver.get_model().eval(total, true).get_numeral_int64();
    return function.emitOpError("cannot be differentiated within the memory "
                                "budget of ")
           << sizeText(budgetBytes)
           << " (constraint memory_budget: residuals plus the largest "
              "recomputed segment's states): every plan needs at least "
           << sizeText(least) << ", of which " << sizeText(plan.otherResidualBytes)
           << " are residuals other than recurrence states";
  }
  z3::model model = solver.get_model();
  plan.residualBytes = plan.otherResidualBytes;
  int64_t largestSegment = 0;
  for (auto [choice, k] : llvm::zip(plan.choices, every)) {
    choice.every = model.eval(k, true).get_numeral_int64();
    choice.keptBytes =
        choice.steps / choice.every *
        (choice.stateBytes + (choice.every == 1 ? choice.productBytes : 0));
    plan.residualBytes += choice.keptBytes;
    if (choice.every > 1)
      largestSegment =
          std::max(largestSegment, choice.every * choice.stateBytes);
    seq::CheckpointEveryOf::set(
        choice.recurrence,
        IntegerAttr::get(IntegerType::get(function.getContext(), 64),
                         choice.every));
  }
  plan.peakBytes = plan.residualBytes + largestSegment;
  plan.solveMs = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  return plan;
}

std::string ad::describeCheckpointPlan(const CheckpointPlan &plan) {
  std::ostringstream os;
  os << "\ncheckpoints under the memory budget of " << sizeText(plan.budgetBytes)
     << " (Z3, " << std::fixed << std::setprecision(1) << plan.solveMs
     << " ms; least recomputation, then least memory, then fewest segments):\n";
  os << "  recurrence                steps  state bytes/step  product bytes/step"
        "  every  kept bytes      recompute (cost model)\n";
  for (const CheckpointChoice &c : plan.choices) {
    std::string where = "seq.recurrence";
    if (auto file = dyn_cast<FileLineColLoc>(c.recurrence->getLoc()))
      where = llvm::formatv("{0}:{1}:{2}",
                            llvm::sys::path::filename(file.getFilename()),
                            file.getLine(), file.getColumn());
    os << "  " << std::left << std::setw(24) << where << std::right
       << std::setw(6) << c.steps << std::setw(18) << c.stateBytes
       << std::setw(20) << c.productBytes << std::setw(7) << c.every << "  "
       << std::left << std::setw(16) << c.keptBytes << std::right;
    if (c.every > 1)
      os << std::setprecision(1) << c.recomputeSeconds * 1e6 << " us";
    else
      os << "-";
    os << "\n";
  }
  os << "  residuals " << sizeText(plan.residualBytes) << " (others "
     << sizeText(plan.otherResidualBytes) << "), peak with the largest segment "
     << sizeText(plan.peakBytes) << "\n";
  return os.str();
}
