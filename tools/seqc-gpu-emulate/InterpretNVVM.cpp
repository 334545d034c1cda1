//===- InterpretNVVM.cpp - warp-collective GPU ops in the emulator --------===//
//
// mma.sync decoded by the PTX ISA's fragment layouts, and warp shuffles:
// each lane offers its operands in the block state, the warp meets at its
// barrier, and every lane reads what the instruction gives it.
//
//===----------------------------------------------------------------------===//
#include "Interpreter.h"

using namespace mlir;

namespace seqc::emulate::detail {

void Interpreter::runMma(NVVM::MmaOp op, Env &env, ThreadState *thread) {
  if (!thread)
    return fail(op, "mma.sync outside a kernel");
  auto shape = op.getShape();
  if (shape.getM() != 16 || shape.getN() != 8 || shape.getK() != 16)
    return fail(op, "only m16n8k16");
  // This lane's registers, as the 16-bit elements they hold (low half
  // first) and its C.
  std::array<double, 16> mine{};
  auto halves = [&](Value reg, double *out) {
    const RV &r = env.get(reg);
    if (!r.e.empty()) { // vector<2xf16>
      out[0] = r.e[0].f;
      out[1] = r.e[1].f;
      return;
    }
    uint64_t word = uint64_t(r.i) & 0xffffffffu;
    Type bf16 = BFloat16Type::get(op.getContext());
    out[0] = from16Bits(bf16, word);
    out[1] = from16Bits(bf16, word >> 16);
  };
  for (int r = 0; r < 4; ++r)
    halves(op.getOperandA()[r], &mine[2 * r]);
  for (int r = 0; r < 2; ++r)
    halves(op.getOperandB()[r], &mine[8 + 2 * r]);
  std::array<double, 4> c;
  for (int r = 0; r < 4; ++r)
    c[r] = env.get(op.getOperandC()[r]).f;
  auto &slots = thread->block->mmaSlots[thread->warp];
  slots[thread->lane] = mine;
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  // The matrices, from every lane's registers (PTX ISA, "Matrix Fragments
  // for mma.m16n8k16 with floating point type").
  double A[16][16], B[16][8];
  for (int lane = 0; lane < 32; ++lane) {
    int g = lane >> 2, t = lane % 4;
    for (int i = 0; i < 8; ++i) {
      int row = (i < 2 || (i >= 4 && i < 6)) ? g : g + 8;
      int col = t * 2 + (i & 1) + (i >= 4 ? 8 : 0);
      A[row][col] = slots[lane][i];
    }
    for (int i = 0; i < 4; ++i) {
      int row = t * 2 + (i & 1) + (i >= 2 ? 8 : 0);
      B[row][g] = slots[lane][8 + i];
    }
  }
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  int g = int(thread->lane) >> 2, t = int(thread->lane) % 4;
  RV d;
  for (int i = 0; i < 4; ++i) {
    int row = i < 2 ? g : g + 8, col = t * 2 + (i & 1);
    double sum = c[i];
    for (int k = 0; k < 16; ++k)
      sum += A[row][k] * B[k][col];
    d.e.push_back(RV::real(double(float(sum))));
  }
  env.set(op.getResult(), d);
}

/// gpu.shuffle: every lane of the warp offers its value, then reads the
/// source lane's (up: lane - offset, down: lane + offset, xor, idx); a
/// source outside the width gives the lane's own value, not valid.
void Interpreter::runShuffle(gpu::ShuffleOp op, Env &env, ThreadState *thread) {
  if (!thread)
    return fail(op, "a shuffle outside a kernel");
  int64_t offset = env.get(op.getOffset()).i, width = env.get(op.getWidth()).i;
  auto &slots = thread->block->shuffleSlots[thread->warp];
  slots[thread->lane] = env.get(op.getValue());
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  int64_t lane = thread->lane, base = lane - lane % width, source = lane;
  switch (op.getMode()) {
  case gpu::ShuffleMode::UP:
    source = lane - offset;
    break;
  case gpu::ShuffleMode::DOWN:
    source = lane + offset;
    break;
  case gpu::ShuffleMode::XOR:
    source = lane ^ offset;
    break;
  case gpu::ShuffleMode::IDX:
    source = base + offset;
    break;
  }
  bool valid = source >= base && source < base + width;
  RV value = valid ? slots[source] : slots[lane];
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  env.set(op.getShuffleResult(), value);
  env.set(op.getValid(), RV::integer(valid));
}

} // namespace seqc::emulate::detail
