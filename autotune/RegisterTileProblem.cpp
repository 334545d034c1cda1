//===- RegisterTileProblem.cpp - Z3 over a CPU microkernel's block --------===//
#include "autotune/RegisterTileProblem.h"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace seqc::autotune {

namespace {

constexpr int64_t kMaxRows = 16, kMaxVectors = 8;
/// Scale of the cost above the tie-breaking terms.
constexpr int64_t kTieBreak = (kMaxRows + 1) * (kMaxVectors + 1);
/// Vector FMAs and loads issued per cycle, the FMA latency in cycles, the
/// bytes per cycle the L2 cache delivers and the loop control of a step:
/// the x86-64 cores of the last decade (Zen 4 issues its 512-bit FMAs as
/// two halves, which halves the rate but not the block that hides the
/// latency, so one model serves both vendors).
constexpr double kFmaPerCycle = 2, kLoadsPerCycle = 2, kFmaLatency = 4,
                 kL2BytesPerCycle = 32, kLoopCycles = 1;

/// Cycles of one reduction step of a rows x vectors block: B's row (a
/// panel of K x columns, larger than L1 for the contractions that matter)
/// streams from L2, A's rows are broadcast from L1. (Measured on a Zen 4
/// at 16384 x 1024 x 256: 2 x 8 ran 1.8x the time of 6 x 4, bound by L2.)
double stepCycles(int64_t rows, int64_t vectors, int64_t vectorBytes,
                  int64_t terms) {
  double fmas = double(rows * vectors * terms) / kFmaPerCycle;
  double loads = double(rows * terms + vectors) / kLoadsPerCycle;
  double l2 = double(vectors * vectorBytes) / kL2BytesPerCycle;
  return std::max({fmas, loads, l2, kFmaLatency}) + kLoopCycles;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Modeled cycles of the whole contraction with this block (what the
/// microkernel lowering builds: full blocks, a column tail of the vectors
/// left, one-row kernels for the rows left).
double contractionCycles(const ContractionExtent &e, int64_t width,
                         int64_t rows, int64_t vectors) {
  int64_t m = e.m.value_or(e.dynamicRows), bytes = width * 4;
  int64_t columns = vectors * width;
  int64_t fullRowBlocks = m / rows, restRows = m % rows;
  int64_t fullColumnBlocks = e.n / columns;
  int64_t restVectors = ceilDiv(e.n % columns, width);
  int64_t terms = std::max<int64_t>(1, e.bf16Terms);
  auto rowBlock = [&](int64_t r) {
    return fullColumnBlocks * stepCycles(r, vectors, bytes, terms) +
           (restVectors ? stepCycles(r, restVectors, bytes, terms) : 0);
  };
  // The rows left run in kernels of the powers of two below `rows` (the
  // binary digits of their count).
  double perStep = fullRowBlocks * rowBlock(rows);
  for (int64_t bit = 1; bit <= restRows; bit *= 2)
    if (restRows & bit)
      perStep += rowBlock(bit);
  return perStep * double(e.bf16Terms ? ceilDiv(e.k, 2) : e.k);
}

struct Problem {
  z3::context ctx;
  z3::expr rows{ctx}, vectors{ctx};
  z3::optimize opt{ctx};
  std::vector<std::pair<z3::expr, std::string>> tracked;
  int64_t width = 1, registers = 16;

  Problem(const ContractionExtent &e, const HardwareModel &cpu) {
    width = std::max<int64_t>(1, cpu.vectorBytes / 4);
    registers = cpu.vectorRegisters;
    rows = ctx.int_const("rows");
    vectors = ctx.int_const("vectors");
    require("domain_rows", fmt::format("rows from 1 to {}", kMaxRows),
            rows >= 1 && rows <= ctx.int_val(kMaxRows));
    require("domain_vectors", fmt::format("vectors from 1 to {}", kMaxVectors),
            vectors >= 1 && vectors <= ctx.int_val(kMaxVectors));
    require("vector_registers",
            fmt::format("rows x vectors accumulators, the vectors of B's row "
                        "and one broadcast fit the {} vector registers",
                        registers),
            rows * vectors + vectors + 1 <= ctx.int_val(registers));
    if (e.m)
      require("rows_within_m",
              fmt::format("a block has at most the contraction's {} rows",
                          *e.m),
              rows <= ctx.int_val(std::max<int64_t>(1, *e.m)));
    require("vectors_within_n",
            fmt::format("a block's vectors cover at most the {} columns "
                        "(rounded up to {}-lane vectors)",
                        e.n, width),
            vectors <= ctx.int_val(std::max<int64_t>(1, ceilDiv(e.n, width))));
    // The cost, tabulated over the joint domain as a decision tree (rows,
    // then vectors: exact, and linear integer arithmetic for Z3), in
    // hundredths of a cycle per reduction step. Ties go to fewer rows (a
    // shorter one-row tail), then to more vectors: folded into the one
    // objective, which Z3 optimizes much faster than a lexicographic three.
    // Only the blocks that fit the registers are tabulated (the others are
    // excluded by vector_registers anyway): a smaller table, a faster
    // solve.
    z3::expr cost = ctx.int_val(0);
    for (int64_t r = kMaxRows; r >= 1; --r) {
      std::optional<z3::expr> byVectors;
      for (int64_t v = kMaxVectors; v >= 1; --v) {
        if (r * v + v + 1 > registers)
          continue;
        double cycles = contractionCycles(e, width, r, v) / double(e.k);
        int64_t scaled = int64_t(cycles * 100) * kTieBreak +
                         r * (kMaxVectors + 1) + (kMaxVectors - v);
        byVectors = !byVectors ? ctx.int_val(scaled)
                               : z3::ite(vectors == ctx.int_val(v),
                                         ctx.int_val(scaled), *byVectors);
      }
      if (byVectors)
        cost = z3::ite(rows == ctx.int_val(r), *byVectors, cost);
    }
    opt.minimize(cost);
  }

  void require(const std::string &id, const std::string &words,
               const z3::expr &formula) {
    z3::expr literal = ctx.bool_const(id.c_str());
    opt.add(z3::implies(literal, formula));
    tracked.push_back({literal, id + ": " + words});
  }

  z3::expr_vector assumptions() {
    z3::expr_vector all(ctx);
    for (auto &[literal, words] : tracked)
      all.push_back(literal);
    return all;
  }
};

} // namespace

static std::optional<RegisterTile>
solveRegisterTile(const ContractionExtent &extent, const HardwareModel &cpu,
                  std::string &why);

int64_t chooseReductionBlock(const ContractionExtent &e,
                             const RegisterTile &tile,
                             const HardwareModel &cpu) {
  int64_t m = e.m.value_or(e.dynamicRows);
  int64_t rowBlocks = ceilDiv(m, tile.rows);
  int64_t elementBytes = e.bf16Terms ? 2 : 4;
  int64_t bBytes = e.k * e.n * elementBytes, cBytes = m * e.n * 4;
  // The last-level cache's share: half of it (the other half holds A's
  // rows, C's and the other core's), or a core's L2 per core where the
  // host model does not know it.
  int64_t llc = cpu.l3Bytes > 0 ? cpu.l3Bytes / 2
                                : cpu.l2Bytes * std::max<int64_t>(1, cpu.cores);
  // A B that fits L2 is reread from there. A larger one comes from L3 (or
  // memory) once per row block, which a Xeon's mesh L3 cannot deliver at
  // the kernel's rate: the weight gradients dW = x^T dG of an LSTM at H256
  // (B = dG, 64 MiB, within its 260 MiB L3) ran at about 50 GFLOP/s a core
  // unblocked, and the backward took 453 -> 330 ms blocked.
  if (e.columnsOuter || rowBlocks < 2 || cpu.l2Bytes <= 0 ||
      bBytes <= cpu.l2Bytes)
    return 0;
  try {
    z3::context ctx;
    z3::optimize opt(ctx);
    z3::expr block = ctx.int_const("reduction_block");
    auto i64 = [&](int64_t v) { return ctx.int_val(v); };
    opt.add(block >= 16 && block < i64(e.k));
    // Blocks start A's rows on 64-byte lines; pairs take K two at a time.
    opt.add(block % 16 == 0);
    // The rows of B a block reads stay in L2 while every row block of A
    // sweeps them.
    opt.add(block * i64(e.n * elementBytes) <= i64(cpu.l2Bytes));
    // C, stored and reloaded once per block after the first: from memory
    // when it is larger than the cache's share, a traffic that must stay
    // below the rereads of B it saves ((rowBlocks - 1) x B).
    if (cBytes > llc)
      opt.add(block * i64((rowBlocks - 1) * (bBytes / 1024)) >=
              i64(2 * (cBytes / 1024)) * i64(e.k));
    opt.maximize(block);
    if (opt.check() != z3::sat)
      return 0;
    return opt.get_model().eval(block).get_numeral_int64();
  } catch (const z3::exception &) {
    return 0;
  }
}

bool choosePackedB(const ContractionExtent &e, const RegisterTile &tile,
                   const HardwareModel &cpu) {
  if (e.bf16Terms || e.n <= tile.vectors * tile.vectorWidth)
    return false;
  int64_t l1 = cpu.l1Bytes > 0 ? cpu.l1Bytes : 32 << 10;
  if (e.k * e.n * 4 <= l1 / 2)
    return false;
  int64_t m = e.m.value_or(e.dynamicRows);
  // Blocks of one column panel in a row (columnsOuter) read it strided
  // only once: a copy made for them alone would not pay.
  return e.packsOnce || (!e.columnsOuter && m >= 4 * tile.rows);
}

std::optional<RegisterTile> chooseRegisterTile(const ContractionExtent &extent,
                                               const HardwareModel &cpu,
                                               std::string &why) {
  // The same contraction recurs across functions and compiles (each
  // recurrence step, each fuzzed model): solved once per process.
  static std::mutex cacheLock;
  static std::map<std::string, RegisterTile> cache;
  std::string key =
      fmt::format("{} {} {} {} {} {} {} {} {} {} {}",
                  extent.m ? *extent.m : -extent.dynamicRows, extent.n,
                  extent.k, extent.bf16Terms, cpu.vectorBytes,
                  cpu.vectorRegisters, extent.columnsOuter, extent.packsOnce,
                  cpu.l1Bytes, cpu.l2Bytes, cpu.l3Bytes);
  {
    std::lock_guard<std::mutex> lock(cacheLock);
    auto it = cache.find(key);
    if (it != cache.end())
      return it->second;
  }
  std::optional<RegisterTile> tile = solveRegisterTile(extent, cpu, why);
  if (tile) {
    std::lock_guard<std::mutex> lock(cacheLock);
    cache.emplace(key, *tile);
  }
  return tile;
}

static std::optional<RegisterTile>
solveRegisterTile(const ContractionExtent &extent, const HardwareModel &cpu,
                  std::string &why) {
  try {
    Problem problem(extent, cpu);
    z3::expr_vector assumptions = problem.assumptions();
    if (problem.opt.check(assumptions) != z3::sat) {
      std::vector<std::string> reasons;
      z3::expr_vector core = problem.opt.unsat_core();
      for (unsigned i = 0; i < core.size(); ++i)
        for (auto &[literal, words] : problem.tracked)
          if (z3::eq(literal, core[i]))
            reasons.push_back(words);
      why = fmt::format("no register block is feasible: {}",
                        fmt::join(reasons, "; "));
      return std::nullopt;
    }
    z3::model model = problem.opt.get_model();
    RegisterTile tile;
    tile.rows = model.eval(problem.rows).get_numeral_int64();
    tile.vectors = model.eval(problem.vectors).get_numeral_int64();
    tile.vectorWidth = problem.width;
    tile.cycles =
        contractionCycles(extent, problem.width, tile.rows, tile.vectors);
    tile.reductionBlock = chooseReductionBlock(extent, tile, cpu);
    tile.packedB = choosePackedB(extent, tile, cpu);
    return tile;
  } catch (const z3::exception &error) {
    why = fmt::format("Z3 failed: {}", error.msg());
    return std::nullopt;
  }
}

} // namespace seqc::autotune
