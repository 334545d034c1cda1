//===- WeightStationaryKernel.cpp - the fused step's kernel ---------------===//
#include "lib/Conversion/SeqToGPU/WeightStationaryStep.h"

using namespace mlir;

namespace seqc::weight_stationary {


scf::ForOp
StepKernelBuilder::strided(Value thread, Value firstUnit, int64_t count,
                           function_ref<Value(Value)> localUnitOf,
                           function_ref<void(Value, Value, Value)> body) {
  auto loop = scf::ForOp::create(b, thread, index(count),
                                 index(seqc::kPersistentBlockThreads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value e = loop.getInductionVar();
  Value local = localUnitOf(e);
  Value unit = add(firstUnit, local);
  auto exists =
      scf::IfOp::create(b,
                        arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                              unit, index(step.unitCount)),
                        /*withElseRegion=*/false);
  b.setInsertionPointToStart(exists.thenBlock());
  body(e, local, unit);
  return loop;
}

SmallVector<Value> StepKernelBuilder::inlineBody(linalg::GenericOp generic,
                                                 ArrayRef<Value> args) {
  IRMapping mapping;
  mapping.map(generic.getBody()->getArguments(), args);
  for (Operation &op : generic.getBody()->without_terminator())
    b.clone(op, mapping);
  SmallVector<Value> yielded;
  for (Value v : generic.getBody()->getTerminator()->getOperands())
    yielded.push_back(mapping.lookupOrDefault(v));
  return yielded;
}

Value StepKernelBuilder::initialAcc(ArrayRef<Value> at, Value valid) {
  if (step.fillValue)
    return step.fillValue;
  auto load = [&]() -> Value {
    return memref::LoadOp::create(b, step.acc(), at);
  };
  if (!valid)
    return load();
  return seqc::valueOrZero(
      b, valid, cast<MemRefType>(step.acc().getType()).getElementType(), load);
}

gpu::LaunchOp StepKernelBuilder::build() {
  Value weights = step.contraction->getOperand(step.weights);
  auto workgroup = gpu::AddressSpaceAttr::get(
      b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
  auto sharedType = [&](ArrayRef<int64_t> shape, Type element) -> Type {
    return MemRefType::get(shape, element, MemRefLayoutAttrInterface{},
                           workgroup);
  };
  // The block's shared buffers: the staged weights (unless the tensor-core
  // fragments of R live in registers), and the tensor cores' partial sums
  // of each k group.
  const std::optional<WeightStationaryStep::TensorCores> &tc = step.tensorCores;
  SmallVector<Type> sharedTypes;
  if (!tc) {
    sharedTypes.push_back(
        sharedType({step.stagedElements()},
                   cast<MemRefType>(weights.getType()).getElementType()));
  } else {
    if (!tc->weightsInRegisters)
      sharedTypes.push_back(
          sharedType({tc->kSteps * 8, tc->rowWords}, b.getI32Type()));
    sharedTypes.push_back(sharedType(
        {tc->warpsK, tc->mTiles * 16, tc->nTiles * 8}, b.getF32Type()));
  }
  // Static shared memory up to the 48 KiB every launch may use; beyond,
  // dynamic shared memory (the runtime raises the kernel's limit), the
  // buffers views of it at 16-byte aligned offsets.
  int64_t bytes = step.sharedBytes();
  bool dynamic = bytes > seqc::kStaticSharedBytes;
  Value one = index(1);
  auto launch = gpu::LaunchOp::create(
      b, index(blocks), one, one, index(seqc::kPersistentBlockThreads), one,
      one,
      dynamic
          ? arith::ConstantIntOp::create(b, b.getI32Type(), bytes).getResult()
          : Value(),
      /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, dynamic ? TypeRange{} : TypeRange(sharedTypes));
  seq::GpuKernelFields kernel;
  kernel.unitsPerBlock = step.unitsPerBlock;
  if (tc) {
    kernel.gateProducts = seq::GateProducts::mma_m16n8k16;
    kernel.mmaWarps =
        b.getDenseI64ArrayAttr({tc->warpsM, tc->warpsN, tc->warpsK});
    kernel.weightsIn = tc->weightsInRegisters ? seq::MemorySpace::registers
                                              : seq::MemorySpace::shared;
    kernel.stateTerms = tc->stateTerms;
    kernel.gatesIn = tc->gatesInShared ? seq::MemorySpace::shared
                                       : seq::MemorySpace::global;
  } else {
    kernel.gateProducts = seq::GateProducts::fma;
    kernel.splitK = step.split;
  }
  seq::GpuKernelOf::set(
      launch,
      kernel.get(b.getContext(), seq::GpuKernelKind::weight_stationary_step));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  SmallVector<Value> buffers;
  if (dynamic) {
    Value raw = gpu::DynamicSharedMemoryOp::create(
        b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                           MemRefLayoutAttrInterface{}, workgroup));
    int64_t offset = 0;
    for (Type type : sharedTypes) {
      auto memref = cast<MemRefType>(type);
      buffers.push_back(
          memref::ViewOp::create(b, memref, raw, index(offset), ValueRange{}));
      offset += llvm::alignTo(
          memref.getNumElements() * memref.getElementTypeBitWidth() / 8, 16);
    }
  } else {
    llvm::append_range(buffers, launch.getWorkgroupAttributions());
  }
  Value thread = launch.getThreadIds().x;
  Value firstUnit = mul(launch.getBlockIds().x, step.unitsPerBlock);
  if (tc)
    buildTensorCoreGates(thread, firstUnit, buffers);
  else
    buildFmaGates(thread, firstUnit, buffers[0]);
  gpu::BarrierOp::create(b);
  buildCell(thread, firstUnit);
  gpu::TerminatorOp::create(b);
  return launch;
}


void StepKernelBuilder::buildCell(Value thread, Value firstUnit) {
  linalg::GenericOp cell = step.cell;
  int64_t upb = step.unitsPerBlock;
  SmallVector<AffineMap> cellMaps = cell.getIndexingMapsArray();
  strided(
      thread, firstUnit, step.cellOtherCount() * upb,
      [&](Value e) { return rem(e, upb); },
      [&](Value e, Value, Value unit) {
        // The cell's unit loops have the contraction's ranges, in the
        // same order: the unit delinearizes alike.
        SmallVector<Value> loops(step.cellRanges.size());
        delinearize(unit, step.cellUnits, step.cellRanges, loops);
        delinearize(div(e, upb), step.cellOthers, step.cellRanges, loops);
        SmallVector<Value> args;
        for (OpOperand &operand : cell->getOpOperands()) {
          BlockArgument arg = cell.getMatchingBlockArgument(&operand);
          bool isInput = cell.isDpsInput(&operand);
          if (!isInput && arg.use_empty()) {
            args.push_back(arg); // unused: a placeholder
            continue;
          }
          SmallVector<Value> at =
              indices(cellMaps[operand.getOperandNumber()], loops);
          args.push_back(
              gatePartials && operand.get() == step.acc()
                  ? gateFromPartials(at, firstUnit)
                  : memref::LoadOp::create(b, operand.get(), at).getResult());
        }
        SmallVector<Value> yielded = inlineBody(cell, args);
        SmallVector<SmallVector<Value>> outIndices;
        for (auto [out, value] :
             llvm::zip(cell.getDpsInitsMutable(), yielded)) {
          outIndices.push_back(
              indices(cellMaps[out.getOperandNumber()], loops));
          memref::StoreOp::create(b, value, out.get(), outIndices.back());
        }
        for (auto [copy, out] : step.copies)
          memref::StoreOp::create(b, yielded[out], copy.getOutputs()[0],
                                  outIndices[out]);
      });
}

} // namespace seqc::weight_stationary
