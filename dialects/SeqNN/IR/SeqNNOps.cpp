//===- SeqNNOps.cpp - verifiers of the seqnn layers -----------------------===//
//
// Each layer's weights are sized by a few model dimensions (input size,
// hidden size, heads, head dims, state size). The verifiers read those
// dimensions off the operands that define them and check every other
// operand against them, naming the operand and the expected layout.
//
//===----------------------------------------------------------------------===//
#include "dialects/SeqNN/IR/SeqNNDialect.h"
#include "dialects/Utils/AsmDirectives.h"
#include "dialects/Seq/IR/ShapeChecks.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seqnn;

#define GET_OP_CLASSES
#include "dialects/SeqNN/IR/SeqNNOps.cpp.inc"

namespace {

using NamedValue = std::pair<StringRef, Value>;

int64_t dim(Value value, unsigned index) {
  return dimOf(value.getType(), index);
}

/// Every weight of a layer has the element type of its input.
LogicalResult verifyWeightElementTypes(Operation *op, Value x,
                                       ArrayRef<NamedValue> weights) {
  Type expected = getElementTypeOrSelf(x.getType());
  for (auto [name, weight] : weights) {
    if (!weight)
      continue;
    Type actual = getElementTypeOrSelf(weight.getType());
    if (actual != expected)
      return op->emitOpError()
             << "operand '" << name << "' must have element type " << expected
             << " (that of the input), got " << actual;
  }
  return success();
}

/// Each check: an operand or result, its expected shape and the layout that
/// explains it. A null value (absent optional operand) is skipped.
struct ShapeExpectation {
  StringRef what;
  Value value;
  SmallVector<int64_t> shape;
  StringRef meaning;
};

LogicalResult verifyShapes(Operation *op,
                           ArrayRef<ShapeExpectation> expectations) {
  for (const ShapeExpectation &e : expectations)
    if (e.value &&
        failed(expectShape(op, e.what, e.value.getType(), e.shape, e.meaning)))
      return failure();
  return success();
}

/// States are kept in the input's element type or in f32.
LogicalResult verifyStateElement(Operation *op, StringRef what, Value state,
                                 Value x) {
  Type input = getElementTypeOrSelf(x.getType());
  Type actual = getElementTypeOrSelf(state.getType());
  if (actual == input || actual.isF32())
    return success();
  return op->emitOpError() << what << " must have element type f32 or "
                           << input << " (that of the input), got " << actual;
}

/// Size per head of a projection's columns, `[M, heads*width]`.
FailureOr<int64_t> widthPerHead(Operation *op, StringRef name, Value weight,
                                int64_t heads, StringRef width,
                                StringRef divisor = "heads") {
  int64_t columns = dim(weight, 1);
  if (ShapedType::isDynamic(columns))
    return kAnyDim;
  if (columns % heads != 0)
    return op->emitOpError()
           << divisor << " (" << heads << ") must divide the columns of '"
           << name << "' (" << divisor << "*" << width << " = " << columns
           << ")";
  return columns / heads;
}

/// Checks `init` (absent, or one value per state) against the final states.
LogicalResult verifyInitMatchesFinal(Operation *op, ValueRange init,
                                     ValueRange finals, StringRef names) {
  if (init.empty())
    return success();
  if (init.size() != finals.size())
    return op->emitOpError() << "'init' is absent or holds every state ("
                             << names << "), got " << init.size()
                             << " values";
  for (auto [index, pair] : llvm::enumerate(llvm::zip(init, finals))) {
    auto [initValue, finalValue] = pair;
    if (initValue.getType() != finalValue.getType())
      return op->emitOpError()
             << "init #" << index << " must have the type of final state #"
             << index << ", " << finalValue.getType() << ", got "
             << initValue.getType();
  }
  return success();
}

/// A complex state carried as (re, im): init given as both parts or
/// neither, each of the type of its final part, in f32 or the input type.
LogicalResult verifyComplexInit(Operation *op, Value initRe, Value initIm,
                                Value finalRe, Value finalIm, Value x) {
  if (finalRe.getType() != finalIm.getType())
    return op->emitOpError() << "results 'final_re' and 'final_im' must have "
                                "one type, got "
                             << finalRe.getType() << " and "
                             << finalIm.getType();
  if (failed(verifyStateElement(op, "result 'final_re'", finalRe, x)))
    return failure();
  if (bool(initRe) != bool(initIm))
    return op->emitOpError("'init' gives both parts of the complex state "
                           "(re, im) or neither");
  if (initRe && (initRe.getType() != finalRe.getType() ||
                 initIm.getType() != finalIm.getType()))
    return op->emitOpError() << "'init' parts must have the type of the final "
                                "state parts, "
                             << finalRe.getType() << ", got "
                             << initRe.getType() << " and "
                             << initIm.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Classic RNNs
//===----------------------------------------------------------------------===//

template <typename OpT>
LogicalResult verifyClassicRNN(OpT op) {
  constexpr int64_t gates = OpT::kNumGates;
  StringRef stateNames = OpT::kStateNames;
  SmallVector<StringRef> names;
  stateNames.split(names, ", ");
  Operation *raw = op.getOperation();
  Value x = op.getX(), w = op.getW(), r = op.getR();
  int64_t batch = dim(x, 0), time = dim(x, 1), inputSize = dim(x, 2);
  int64_t heads = op.getHeads();

  int64_t hidden = dim(op.getY(), 2);
  int64_t wColumns = dim(w, 1);
  if (!ShapedType::isDynamic(wColumns)) {
    if (wColumns % gates != 0)
      return op.emitOpError()
             << "operand 'w' must be [I, G*D] with G = " << gates
             << " gates, got " << wColumns << " columns, not a multiple of "
             << gates;
    hidden = wColumns / gates;
  }
  if (!ShapedType::isDynamic(hidden) && hidden % heads != 0)
    return op.emitOpError() << "heads (" << heads
                            << ") must divide the hidden size D = " << hidden;
  int64_t headDim =
      ShapedType::isDynamic(hidden) ? kAnyDim : hidden / heads;
  int64_t gateWidth = mulDims(gates, hidden);

  if (failed(verifyShapes(
          raw,
          {{"operand 'w'", w, {inputSize, gateWidth}, "[I, G*D]"},
           {"operand 'r'",
            r,
            {heads, headDim, mulDims(gates, headDim)},
            "[heads, D/heads, G*D/heads]"},
           {"operand 'bias'", op.getBias(), {gateWidth}, "[G*D]"},
           {"operand 'recurrent_bias'",
            op.getRecurrentBias(),
            {gateWidth},
            "[G*D]"},
           {"result 'y'", op.getY(), {batch, time, hidden}, "[B, T, D]"}})) ||
      failed(verifyWeightElementTypes(raw, x,
                                      {{"w", w},
                                       {"r", r},
                                       {"bias", op.getBias()},
                                       {"recurrent_bias",
                                        op.getRecurrentBias()},
                                       {"y", op.getY()}})))
    return failure();

  if (op.getFinalStates().size() != names.size())
    return op.emitOpError() << "must return the final states (" << stateNames
                            << "), got " << op.getFinalStates().size()
                            << " values";
  for (auto [index, state] : llvm::enumerate(op.getFinalStates())) {
    std::string what = "final state '" + names[index].str() + "'";
    if (failed(expectShape(raw, what, state.getType(), {batch, hidden},
                           "[B, D]")) ||
        failed(verifyStateElement(raw, what, state, x)))
      return failure();
  }
  return verifyInitMatchesFinal(raw, op.getInit(), op.getFinalStates(),
                                stateNames);
}

//===----------------------------------------------------------------------===//
// The attention family
//===----------------------------------------------------------------------===//

/// Model and head sizes of an attention layer.
struct AttentionDims {
  int64_t batch, time, model, heads, keyDim, valueDim;
};

/// Reads the sizes off x, the key projection `w_k` [M, H*dk] and the value
/// projection `w_v` [M, H*dv], and checks `w_o` [H*dv, M] and y [B, T, M].
FailureOr<AttentionDims> verifyProjections(Operation *op, Value x, Value wK,
                                           Value wV, Value wO, Value y,
                                           int64_t heads) {
  AttentionDims dims{dim(x, 0), dim(x, 1), dim(x, 2), heads, 0, 0};
  FailureOr<int64_t> keyDim = widthPerHead(op, "w_k", wK, heads, "dk");
  if (failed(keyDim))
    return failure();
  FailureOr<int64_t> valueDim = widthPerHead(op, "w_v", wV, heads, "dv");
  if (failed(valueDim))
    return failure();
  dims.keyDim = *keyDim;
  dims.valueDim = *valueDim;
  int64_t keyWidth = mulDims(heads, dims.keyDim);
  int64_t valueWidth = mulDims(heads, dims.valueDim);
  if (failed(verifyShapes(
          op, {{"operand 'w_k'", wK, {dims.model, keyWidth}, "[M, heads*dk]"},
               {"operand 'w_v'", wV, {dims.model, valueWidth},
                "[M, heads*dv]"},
               {"operand 'w_o'", wO, {valueWidth, dims.model},
                "[heads*dv, M]"},
               {"result 'y'", y, {dims.batch, dims.time, dims.model},
                "[B, T, M]"}})))
    return failure();
  return dims;
}

LogicalResult verifyMatrixState(Operation *op, Value x, Value init,
                                Value finalState, const AttentionDims &dims,
                                StringRef layout = "[B, H, dk, dv]") {
  SmallVector<int64_t> shape = {dims.batch, dims.heads, dims.keyDim,
                                dims.valueDim};
  if (failed(expectShape(op, "result 'final_state'", finalState.getType(),
                         shape, layout)) ||
      failed(verifyStateElement(op, "result 'final_state'", finalState, x)))
    return failure();
  if (init && init.getType() != finalState.getType())
    return op->emitOpError() << "operand 'init' must have the type of the "
                                "final state, "
                             << finalState.getType() << ", got "
                             << init.getType();
  return success();
}

} // namespace

LogicalResult ElmanOp::verify() { return verifyClassicRNN(*this); }
LogicalResult LSTMOp::verify() { return verifyClassicRNN(*this); }
LogicalResult GRUOp::verify() { return verifyClassicRNN(*this); }
LogicalResult SLSTMOp::verify() { return verifyClassicRNN(*this); }

//===----------------------------------------------------------------------===//
// Diagonal state-space models
//===----------------------------------------------------------------------===//

LogicalResult LRUOp::verify() {
  Value x = getX();
  int64_t batch = dim(x, 0), time = dim(x, 1), width = dim(x, 2);
  int64_t stateSize = dim(getNuLog(), 0);
  if (failed(verifyShapes(
          *this,
          {{"operand 'theta_log'", getThetaLog(), {stateSize}, "[N]"},
           {"operand 'gamma_log'", getGammaLog(), {stateSize}, "[N]"},
           {"operand 'b_re'", getBRe(), {width, stateSize}, "[D, N]"},
           {"operand 'b_im'", getBIm(), {width, stateSize}, "[D, N]"},
           {"operand 'c_re'", getCRe(), {stateSize, width}, "[N, D]"},
           {"operand 'c_im'", getCIm(), {stateSize, width}, "[N, D]"},
           {"operand 'd'", getD(), {width}, "[D]"},
           {"result 'y'", getY(), {batch, time, width}, "[B, T, D]"},
           {"result 'final_re'", getFinalRe(), {batch, stateSize}, "[B, N]"},
           {"result 'final_im'", getFinalIm(), {batch, stateSize}, "[B, N]"}})) ||
      failed(verifyWeightElementTypes(
          *this, x,
          {{"nu_log", getNuLog()}, {"theta_log", getThetaLog()},
           {"gamma_log", getGammaLog()}, {"b_re", getBRe()},
           {"b_im", getBIm()}, {"c_re", getCRe()}, {"c_im", getCIm()},
           {"d", getD()}, {"y", getY()}})))
    return failure();
  return verifyComplexInit(*this, getInitRe(), getInitIm(), getFinalRe(),
                           getFinalIm(), x);
}

LogicalResult S4DOp::verify() {
  Value x = getX();
  int64_t batch = dim(x, 0), time = dim(x, 1), width = dim(x, 2);
  int64_t stateSize = dim(getARealLog(), 1);
  SmallVector<int64_t> modes = {width, stateSize};
  if (failed(verifyShapes(
          *this,
          {{"operand 'log_dt'", getLogDt(), {width}, "[D]"},
           {"operand 'a_real_log'", getARealLog(), modes, "[D, N]"},
           {"operand 'a_imag'", getAImag(), modes, "[D, N]"},
           {"operand 'b_re'", getBRe(), modes, "[D, N]"},
           {"operand 'b_im'", getBIm(), modes, "[D, N]"},
           {"operand 'c_re'", getCRe(), modes, "[D, N]"},
           {"operand 'c_im'", getCIm(), modes, "[D, N]"},
           {"operand 'd'", getD(), {width}, "[D]"},
           {"result 'y'", getY(), {batch, time, width}, "[B, T, D]"},
           {"result 'final_re'", getFinalRe(), {batch, width, stateSize},
            "[B, D, N]"},
           {"result 'final_im'", getFinalIm(), {batch, width, stateSize},
            "[B, D, N]"}})) ||
      failed(verifyWeightElementTypes(
          *this, x,
          {{"log_dt", getLogDt()}, {"a_real_log", getARealLog()},
           {"a_imag", getAImag()}, {"b_re", getBRe()}, {"b_im", getBIm()},
           {"c_re", getCRe()}, {"c_im", getCIm()}, {"d", getD()},
           {"y", getY()}})))
    return failure();
  return verifyComplexInit(*this, getInitRe(), getInitIm(), getFinalRe(),
                           getFinalIm(), x);
}

LogicalResult MambaOp::verify() {
  Value u = getU();
  int64_t batch = dim(u, 0), time = dim(u, 1), width = dim(u, 2);
  int64_t stateSize = dim(getALog(), 1);
  int64_t rank = dim(getDtProj(), 0);
  int64_t projWidth =
      ShapedType::isDynamic(rank) || ShapedType::isDynamic(stateSize)
          ? kAnyDim
          : rank + 2 * stateSize;
  if (failed(verifyShapes(
          *this,
          {{"operand 'a_log'", getALog(), {width, stateSize}, "[D, N]"},
           {"operand 'x_proj'",
            getXProj(),
            {width, projWidth},
            "[D, R + 2N]: dt rank R (rows of 'dt_proj'), then B and C"},
           {"operand 'dt_proj'", getDtProj(), {rank, width}, "[R, D]"},
           {"operand 'dt_bias'", getDtBias(), {width}, "[D]"},
           {"operand 'd'", getD(), {width}, "[D]"},
           {"result 'y'", getY(), {batch, time, width}, "[B, T, D]"},
           {"result 'final_state'",
            getFinalState(),
            {batch, width, stateSize},
            "[B, D, N]"}})) ||
      failed(verifyWeightElementTypes(
          *this, u,
          {{"a_log", getALog()}, {"x_proj", getXProj()},
           {"dt_proj", getDtProj()}, {"dt_bias", getDtBias()},
           {"d", getD()}, {"y", getY()}})) ||
      failed(verifyStateElement(*this, "result 'final_state'",
                                getFinalState(), u)))
    return failure();
  return verifyInitMatchesFinal(*this, getInit() ? ValueRange(getInit())
                                                 : ValueRange(),
                                getFinalState(), "h");
}

LogicalResult RGLRUOp::verify() {
  Value x = getX();
  int64_t batch = dim(x, 0), time = dim(x, 1), width = dim(x, 2);
  if (failed(verifyShapes(
          *this, {{"operand 'w_a'", getWA(), {width, width}, "[D, D]"},
                  {"operand 'b_a'", getBA(), {width}, "[D]"},
                  {"operand 'w_x'", getWX(), {width, width}, "[D, D]"},
                  {"operand 'b_x'", getBX(), {width}, "[D]"},
                  {"operand 'lambda'", getLambda(), {width}, "[D]"},
                  {"result 'y'", getY(), {batch, time, width}, "[B, T, D]"},
                  {"result 'final_state'",
                   getFinalState(),
                   {batch, width},
                   "[B, D]"}})) ||
      failed(verifyWeightElementTypes(
          *this, x,
          {{"w_a", getWA()}, {"b_a", getBA()}, {"w_x", getWX()},
           {"b_x", getBX()}, {"lambda", getLambda()}, {"y", getY()}})) ||
      failed(verifyStateElement(*this, "result 'final_state'",
                                getFinalState(), x)))
    return failure();
  return verifyInitMatchesFinal(*this, getInit() ? ValueRange(getInit())
                                                 : ValueRange(),
                                getFinalState(), "h");
}

//===----------------------------------------------------------------------===//
// The attention family
//===----------------------------------------------------------------------===//

LogicalResult RetNetOp::verify() {
  FailureOr<AttentionDims> dims = verifyProjections(
      *this, getX(), getWK(), getWV(), getWO(), getY(), getHeads());
  if (failed(dims))
    return failure();
  if (failed(expectShape(*this, "operand 'w_q'", getWQ().getType(),
                         {dims->model, mulDims(dims->heads, dims->keyDim)},
                         "[M, heads*dk]")) ||
      failed(verifyWeightElementTypes(*this, getX(),
                                      {{"w_q", getWQ()}, {"w_k", getWK()},
                                       {"w_v", getWV()}, {"w_o", getWO()},
                                       {"y", getY()}})))
    return failure();
  if (std::optional<ArrayAttr> decay = getDecay()) {
    if (static_cast<int64_t>(decay->size()) !=
        static_cast<int64_t>(getHeads()))
      return emitOpError() << "'decay' must list one value per head ("
                           << getHeads() << "), got " << decay->size();
    for (auto [index, value] : llvm::enumerate(decay->getValue())) {
      double gamma = cast<FloatAttr>(value).getValueAsDouble();
      if (!(gamma > 0.0 && gamma <= 1.0))
        return emitOpError() << "'decay' #" << index
                             << " must lie in (0, 1], got " << gamma;
    }
  }
  return verifyMatrixState(*this, getX(), getInit(), getFinalState(), *dims);
}

LogicalResult GLAOp::verify() {
  FailureOr<AttentionDims> dims = verifyProjections(
      *this, getX(), getWK(), getWV(), getWO(), getY(), getHeads());
  if (failed(dims))
    return failure();
  int64_t keyWidth = mulDims(dims->heads, dims->keyDim);
  int64_t rank = dim(getWGateDown(), 1);
  if (failed(verifyShapes(
          *this,
          {{"operand 'w_q'", getWQ(), {dims->model, keyWidth},
            "[M, heads*dk]"},
           {"operand 'w_gate_down'", getWGateDown(), {dims->model, rank},
            "[M, rank]"},
           {"operand 'w_gate_up'", getWGateUp(), {rank, keyWidth},
            "[rank, heads*dk]: rank of 'w_gate_down'"},
           {"operand 'gate_bias'", getGateBias(), {keyWidth},
            "[heads*dk]"}})) ||
      failed(verifyWeightElementTypes(
          *this, getX(),
          {{"w_q", getWQ()}, {"w_k", getWK()}, {"w_v", getWV()},
           {"w_gate_down", getWGateDown()}, {"w_gate_up", getWGateUp()},
           {"gate_bias", getGateBias()}, {"w_o", getWO()}, {"y", getY()}})))
    return failure();
  return verifyMatrixState(*this, getX(), getInit(), getFinalState(), *dims);
}

LogicalResult Mamba2Op::verify() {
  int64_t heads = getHeads(), groups = getGroups();
  if (heads % groups != 0)
    return emitOpError() << "groups (" << groups << ") must divide heads ("
                         << heads << ")";
  // B and C play the roles of keys and queries (shared by the heads of a
  // group), x w_x the values.
  AttentionDims dims{dim(getX(), 0), dim(getX(), 1), dim(getX(), 2), heads,
                     0, 0};
  FailureOr<int64_t> stateSize =
      widthPerHead(*this, "w_b", getWB(), groups, "N", "groups");
  if (failed(stateSize))
    return failure();
  FailureOr<int64_t> headDim = widthPerHead(*this, "w_x", getWX(), heads, "P");
  if (failed(headDim))
    return failure();
  dims.keyDim = *stateSize;
  dims.valueDim = *headDim;
  int64_t model = dims.model;
  if (failed(verifyShapes(
          *this,
          {{"operand 'w_b'", getWB(), {model, mulDims(groups, *stateSize)},
            "[M, groups*N]"},
           {"operand 'w_c'", getWC(), {model, mulDims(groups, *stateSize)},
            "[M, groups*N] like 'w_b'"},
           {"operand 'w_x'", getWX(), {model, mulDims(heads, *headDim)},
            "[M, heads*P]"},
           {"operand 'w_dt'", getWDt(), {model, heads}, "[M, heads]"},
           {"operand 'dt_bias'", getDtBias(), {heads}, "[heads]"},
           {"operand 'a_log'", getALog(), {heads}, "[heads]"},
           {"operand 'd'", getD(), {heads}, "[heads]"},
           {"operand 'w_o'", getWO(), {mulDims(heads, *headDim), model},
            "[heads*P, M]"},
           {"result 'y'", getY(), {dims.batch, dims.time, model},
            "[B, T, M]"}})) ||
      failed(verifyWeightElementTypes(
          *this, getX(),
          {{"w_b", getWB()}, {"w_c", getWC()}, {"w_x", getWX()},
           {"w_dt", getWDt()}, {"dt_bias", getDtBias()},
           {"a_log", getALog()}, {"d", getD()}, {"w_o", getWO()},
           {"y", getY()}})))
    return failure();
  return verifyMatrixState(*this, getX(), getInit(), getFinalState(), dims,
                           "[B, heads, N, P]");
}

/// The parts DeltaNet and Gated DeltaNet share.
template <typename OpT>
static FailureOr<AttentionDims> verifyDeltaNetCommon(OpT op) {
  FailureOr<AttentionDims> dims = verifyProjections(
      op, op.getX(), op.getWK(), op.getWV(), op.getWO(), op.getY(),
      op.getHeads());
  if (failed(dims))
    return failure();
  if (failed(verifyShapes(
          op, {{"operand 'w_q'", op.getWQ(),
                {dims->model, mulDims(dims->heads, dims->keyDim)},
                "[M, heads*dk]"},
               {"operand 'w_beta'", op.getWBeta(),
                {dims->model, dims->heads}, "[M, heads]"}})) ||
      failed(verifyWeightElementTypes(
          op, op.getX(),
          {{"w_q", op.getWQ()}, {"w_k", op.getWK()}, {"w_v", op.getWV()},
           {"w_beta", op.getWBeta()}, {"w_o", op.getWO()},
           {"y", op.getY()}})) ||
      failed(verifyMatrixState(op, op.getX(), op.getInit(),
                               op.getFinalState(), *dims)))
    return failure();
  return dims;
}

LogicalResult DeltaNetOp::verify() {
  return success(succeeded(verifyDeltaNetCommon(*this)));
}

LogicalResult GatedDeltaNetOp::verify() {
  FailureOr<AttentionDims> dims = verifyDeltaNetCommon(*this);
  if (failed(dims))
    return failure();
  int64_t heads = dims->heads;
  if (failed(verifyShapes(
          *this, {{"operand 'w_a'", getWA(), {dims->model, heads},
                   "[M, heads]"},
                  {"operand 'a_log'", getALog(), {heads}, "[heads]"},
                  {"operand 'dt_bias'", getDtBias(), {heads}, "[heads]"}})))
    return failure();
  return verifyWeightElementTypes(
      *this, getX(),
      {{"w_a", getWA()}, {"a_log", getALog()}, {"dt_bias", getDtBias()}});
}

LogicalResult AarenOp::verify() {
  FailureOr<AttentionDims> dims = verifyProjections(
      *this, getX(), getWK(), getWV(), getWO(), getY(), getHeads());
  if (failed(dims))
    return failure();
  int64_t batch = dims->batch, heads = dims->heads;
  if (failed(expectShape(*this, "operand 'query'", getQuery().getType(),
                         {heads, dims->keyDim},
                         "[heads, dk]: one learned query per head")) ||
      failed(verifyWeightElementTypes(*this, getX(),
                                      {{"query", getQuery()},
                                       {"w_k", getWK()},
                                       {"w_v", getWV()},
                                       {"w_o", getWO()},
                                       {"y", getY()}})))
    return failure();
  StringRef names = "m [B, H], u [B, H], w [B, H, dv]";
  if (getFinalStates().size() != 3)
    return emitOpError() << "must return the final states (" << names
                         << "), got " << getFinalStates().size() << " values";
  SmallVector<SmallVector<int64_t>> shapes = {
      {batch, heads}, {batch, heads}, {batch, heads, dims->valueDim}};
  const char *stateNames[] = {"m", "u", "w"};
  for (unsigned i = 0; i < 3; ++i) {
    std::string what = std::string("final state '") + stateNames[i] + "'";
    if (failed(expectShape(*this, what, getFinalStates()[i].getType(),
                           shapes[i], names)) ||
        failed(verifyStateElement(*this, what, getFinalStates()[i], getX())))
      return failure();
  }
  return verifyInitMatchesFinal(*this, getInit(), getFinalStates(), names);
}

LogicalResult AttentionOp::verify() {
  FailureOr<AttentionDims> dims = verifyProjections(
      *this, getX(), getWK(), getWV(), getWO(), getY(), getHeads());
  if (failed(dims))
    return failure();
  if (failed(expectShape(*this, "operand 'w_q'", getWQ().getType(),
                         {dims->model, mulDims(dims->heads, dims->keyDim)},
                         "[M, heads*dk]")) ||
      failed(verifyWeightElementTypes(*this, getX(),
                                      {{"w_q", getWQ()}, {"w_k", getWK()},
                                       {"w_v", getWV()}, {"w_o", getWO()},
                                       {"y", getY()}})))
    return failure();
  int64_t batch = dims->batch, heads = dims->heads;
  StringRef layout = "keys [B, P, H, dk], values [B, P, H, dv]";
  if (!getInit().empty() && getInit().size() != 2)
    return emitOpError() << "'init' is absent or the key/value cache ("
                         << layout << "), got " << getInit().size()
                         << " values";
  if (getFinalStates().size() != 2)
    return emitOpError() << "must return the extended key/value cache (keys "
                            "[B, P + T, H, dk], values [B, P + T, H, dv]), "
                            "got "
                         << getFinalStates().size() << " values";
  int64_t prefix = getInit().empty() ? 0 : dim(getInit()[0], 1);
  if (!getInit().empty() &&
      failed(verifyShapes(
          *this, {{"init keys", getInit()[0],
                   {batch, prefix, heads, dims->keyDim}, layout},
                  {"init values", getInit()[1],
                   {batch, prefix, heads, dims->valueDim}, layout}})))
    return failure();
  int64_t total = ShapedType::isDynamic(prefix) ||
                          ShapedType::isDynamic(dims->time)
                      ? kAnyDim
                      : prefix + dims->time;
  StringRef finalLayout = "the cache extended by this call: keys "
                          "[B, P + T, H, dk], values [B, P + T, H, dv]";
  if (failed(verifyShapes(
          *this, {{"final keys", getFinalStates()[0],
                   {batch, total, heads, dims->keyDim}, finalLayout},
                  {"final values", getFinalStates()[1],
                   {batch, total, heads, dims->valueDim}, finalLayout}})))
    return failure();
  SmallVector<NamedValue> caches = {{"final keys", getFinalStates()[0]},
                                    {"final values", getFinalStates()[1]}};
  if (!getInit().empty()) {
    caches.push_back({"init keys", getInit()[0]});
    caches.push_back({"init values", getInit()[1]});
  }
  return verifyWeightElementTypes(*this, getX(), caches);
}
