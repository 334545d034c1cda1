//===- Adjoint.cpp - the derivative rule of seq.scan ----------------------===//
//
// A scan is the recurrence s_t = s_{t-1} (+) x_t over its inclusive states
// (its outputs, or for an exclusive scan the outputs shifted by one with
// the final state last). Its backward pass is therefore a seq.recurrence
// over reversed time, whose body is the combiner differentiated elementwise
// (the scalar rules of seq-differentiate on the combiner region):
//
//   lambda_t = g_t + mu;   (ds_{t-1}, dx_t) = vjp(combiner)(s_{t-1}, x_t; lambda_t)
//   mu <- ds_{t-1}
//
// with mu starting at the final states' cotangent and ending as the initial
// value's. Without `init` the first element starts the scan (s_0 = x_0):
// the recurrence runs over steps 1 .. T-1 and x_0 takes what reaches s_0. A
// `reverse` scan is the same on time-reversed sequences. This is the
// sequential backward; the backward recurrence's own form selection makes
// it sequential (a parallel backward for associative combiners whose
// derivative is again a scan is not built yet).
//
//===----------------------------------------------------------------------===//
#include "lib/Families/Scan/Scan.h"

#include "seqc/Differentiation/Adjoint.h"
#include "lib/Differentiation/ScalarAdjoints.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::ad;

/// [B, T, X...] -> [B, X...].
static RankedTensorType stepTypeOf(Type sequence) {
  auto type = cast<RankedTensorType>(sequence);
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 1);
  return RankedTensorType::get(shape, type.getElementType());
}

/// The body of the backward recurrence: one elementwise generic that
/// recomputes the combiner on (s_{t-1}, x_t) and sweeps it in reverse.
static LogicalResult buildStep(ScanOp op, OpBuilder &b, Location loc,
                               ValueRange prev, ValueRange x, ValueRange g,
                               ValueRange mu, SmallVectorImpl<Value> &ds,
                               SmallVectorImpl<Value> &dx) {
  unsigned n = prev.size();
  SmallVector<Value> lambda;
  for (unsigned i = 0; i < n; ++i)
    lambda.push_back(addTensors(b, loc, g[i], mu[i]));
  auto type = cast<RankedTensorType>(prev[0].getType());
  unsigned rank = type.getRank();
  SmallVector<Value> inputs(prev.begin(), prev.end());
  inputs.append(x.begin(), x.end());
  inputs.append(lambda);
  SmallVector<Value> inits;
  SmallVector<Type> types;
  for (Value v : prev) {
    inits.push_back(zerosOf(b, loc, cast<RankedTensorType>(v.getType())));
    types.push_back(v.getType());
  }
  for (Value v : x) {
    inits.push_back(zerosOf(b, loc, cast<RankedTensorType>(v.getType())));
    types.push_back(v.getType());
  }
  SmallVector<AffineMap> maps(inputs.size() + inits.size(),
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Block &combiner = op.getCombiner().front();
  LogicalResult result = success();
  auto generic = linalg::GenericOp::create(
      b, loc, types, inputs, inits, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        IRMapping mapping;
        mapping.map(combiner.getArguments(), args.take_front(2 * n));
        SmallVector<Operation *> recomputed;
        for (Operation &scalar : combiner.without_terminator())
          recomputed.push_back(nb.clone(scalar, mapping));
        DenseMap<Value, Value> cotangents;
        Operation *yield = combiner.getTerminator();
        for (unsigned i = 0; i < n; ++i)
          accumulateScalar(nb, nl, cotangents,
                           mapping.lookupOrDefault(yield->getOperand(i)),
                           args[2 * n + i]);
        if (failed(backpropagateScalars(nb, recomputed, cotangents)))
          result = failure();
        SmallVector<Value> yielded;
        for (unsigned i = 0; i < 2 * n; ++i) {
          Value ct = cotangents.lookup(args[i]);
          yielded.push_back(ct ? ct : args[3 * n + i]);
        }
        linalg::YieldOp::create(nb, nl, yielded);
      });
  if (failed(result))
    return failure();
  for (unsigned i = 0; i < n; ++i) {
    ds.push_back(generic.getResult(i));
    dx.push_back(generic.getResult(n + i));
  }
  return success();
}

LogicalResult families::buildScanAdjoint(ScanOp op, AdjointBuilder &adjoints) {
  Location loc = op.getLoc();
  OpBuilder &b = adjoints.builder();
  unsigned n = op.getInputs().size();
  for (Type t : op->getResultTypes())
    if (!cast<RankedTensorType>(t).hasStaticShape())
      return op.emitOpError("has no derivative rule for dynamic shapes");
  for (Value x : op.getInputs())
    if (!isDifferentiableType(x.getType()) ||
        isa<ComplexType>(getElementTypeOrSelf(x.getType())))
      return op.emitOpError("has no derivative rule for ")
             << x.getType() << " operands (real float tensors only)";
  auto seqType = cast<RankedTensorType>(op.getInputs()[0].getType());
  int64_t steps = seqType.getDimSize(1);
  bool reverse = op.getReverse(), exclusive = op.getExclusive();
  bool hasInit = !op.getInit().empty();
  auto forward = [&](Value v) { return reverse ? reverseTime(b, loc, v) : v; };

  // Everything in scan order (time reversed for a reverse scan).
  SmallVector<Value> xs, states, g;
  SmallVector<Value> initExtra(n);
  for (unsigned i = 0; i < n; ++i) {
    auto type = cast<RankedTensorType>(op.getOutputs()[i].getType());
    Value out = forward(op.getOutputs()[i]);
    Value gOut = adjoints.cotangent(op.getOutputs()[i]);
    gOut = gOut ? forward(gOut) : Value();
    xs.push_back(forward(op.getInputs()[i]));
    if (!exclusive) {
      states.push_back(out);
      g.push_back(gOut ? gOut : zerosOf(b, loc, type));
      continue;
    }
    // Exclusive: the inclusive states are out[1 ..] then the final state;
    // out[0] is the initial value, which takes g[0] directly.
    Value incl = tensor::EmptyOp::create(b, loc, type.getShape(),
                                         type.getElementType());
    if (steps > 1)
      incl = insertTime(b, loc, sliceTime(b, loc, out, 1, steps - 1), incl, 0,
                        steps - 1);
    incl = insertTime(b, loc, op.getFinalStates()[i], incl, steps - 1, 1);
    states.push_back(incl);
    Value gIncl = zerosOf(b, loc, type);
    if (gOut) {
      if (steps > 1)
        gIncl = insertTime(b, loc, sliceTime(b, loc, gOut, 1, steps - 1),
                           gIncl, 0, steps - 1);
      initExtra[i] = timeStep(b, loc, gOut, 0);
    }
    g.push_back(gIncl);
  }
  SmallVector<Value> mu;
  for (Value final : op.getFinalStates())
    mu.push_back(adjoints.cotangentOrZeros(final, loc));

  // The steps the recurrence covers: all, or 1 .. T-1 when x_0 starts it.
  int64_t first = hasInit ? 0 : 1;
  int64_t count = steps - first;
  SmallVector<Value> muEnd(mu), dxs(n);
  if (count > 0) {
    SmallVector<Value> inputs;
    for (unsigned i = 0; i < n; ++i) {
      Value prev = hasInit
                       ? statesBeforeEachStep(b, loc, op.getInit()[i],
                                              states[i])
                       : sliceTime(b, loc, states[i], 0, count);
      inputs.push_back(reverseTime(b, loc, prev));
    }
    for (unsigned i = 0; i < n; ++i)
      inputs.push_back(reverseTime(
          b, loc, hasInit ? xs[i] : sliceTime(b, loc, xs[i], 1, count)));
    for (unsigned i = 0; i < n; ++i)
      inputs.push_back(reverseTime(
          b, loc, hasInit ? g[i] : sliceTime(b, loc, g[i], 1, count)));
    SmallVector<Type> outputTypes, finalTypes;
    for (unsigned i = 0; i < n; ++i) {
      outputTypes.push_back(inputs[n + i].getType());
      finalTypes.push_back(mu[i].getType());
    }
    auto backward = RecurrenceOp::create(b, loc, outputTypes, finalTypes,
                                         inputs, mu, ValueRange{}, FormAttr(),
                                         b.getI64IntegerAttr(0));
    Block *body = new Block();
    backward.getBody().push_back(body);
    for (Value v : inputs)
      body->addArgument(stepTypeOf(v.getType()), loc);
    for (Value v : mu)
      body->addArgument(v.getType(), loc);
    OpBuilder bb = OpBuilder::atBlockEnd(body);
    auto args = body->getArguments();
    SmallVector<Value> ds, dx;
    if (failed(buildStep(op, bb, loc, args.take_front(n), args.slice(n, n),
                         args.slice(2 * n, n), args.slice(3 * n, n), ds, dx)))
      return failure();
    SmallVector<Value> yielded(ds);
    yielded.append(dx);
    YieldOp::create(bb, loc, yielded);
    for (unsigned i = 0; i < n; ++i) {
      muEnd[i] = backward.getFinalStates()[i];
      dxs[i] = reverseTime(b, loc, backward.getOutputs()[i]);
    }
  }

  for (unsigned i = 0; i < n; ++i) {
    auto type = cast<RankedTensorType>(op.getInputs()[i].getType());
    Value dx = dxs[i];
    if (!hasInit) {
      // x_0 is s_0: it takes lambda_0 = g_0 + what reached s_0.
      Value dx0 = addTensors(b, loc, timeStep(b, loc, g[i], 0), muEnd[i]);
      Value full = tensor::EmptyOp::create(b, loc, type.getShape(),
                                           type.getElementType());
      full = insertTime(b, loc, dx0, full, 0, 1);
      if (count > 0)
        full = insertTime(b, loc, dx, full, 1, count);
      dx = full;
    }
    adjoints.accumulate(op.getInputs()[i], forward(dx), loc);
    if (hasInit) {
      adjoints.accumulate(op.getInit()[i], muEnd[i], loc);
      if (initExtra[i])
        adjoints.accumulate(op.getInit()[i], initExtra[i], loc);
    }
  }
  return success();
}
