//===- TilingProblem.cpp - Z3 Optimize over tile parameters ---------------===//
#include "autotune/TilingProblem.h"
#include "dialects/Seq/IR/SeqOps.h"

#include <fmt/format.h>
#include <z3++.h>

#include <chrono>
#include <cmath>

using seqc::seq::FormKind;

namespace seqc::autotune {

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

/// The objective in integer picoseconds: exact for Z3, and finer than any
/// difference the model means.
int64_t picoseconds(double seconds) { return std::llround(seconds * 1e12); }

std::string domainText(const std::vector<int64_t> &domain) {
  std::string s;
  for (int64_t v : domain)
    s += (s.empty() ? "" : ", ") + std::to_string(v);
  return "{" + s + "}";
}

struct Constraint {
  std::string id, words;
  z3::expr formula;
};

} // namespace

struct TilingProblem::State : ConstraintBuilder {
  z3::context ctx;
  std::vector<z3::expr> vars;
  std::vector<Constraint> constraints; // the model's, not the domains
  z3::expr cost;
  /// Cost in ps of every joint assignment, in lexicographic order of the
  /// variables' domains.
  std::vector<int64_t> costTable;
  const FormModel &model;

  explicit State(const FormModel &model)
      : cost(ctx.int_const("cost_ps")), model(model) {
    for (const TileVariable &v : model.variables)
      vars.push_back(ctx.int_const(v.name.c_str()));
    if (model.constrain)
      model.constrain(*this);
    tabulateCost();
  }

  size_t indexOf(const std::string &name) const {
    for (size_t i = 0; i < model.variables.size(); ++i)
      if (model.variables[i].name == name)
        return i;
    llvm::report_fatal_error(
        llvm::Twine("tiling problem: no variable '") + name + "'");
  }

  z3::expr var(const std::string &name) override { return vars[indexOf(name)]; }

  z3::expr table(const std::string &name,
                 const std::function<int64_t(int64_t)> &f) override {
    size_t i = indexOf(name);
    const std::vector<int64_t> &domain = model.variables[i].domain;
    z3::expr result = ctx.int_val(f(domain.back()));
    for (size_t j = domain.size() - 1; j-- > 0;)
      result = z3::ite(vars[i] == ctx.int_val(domain[j]),
                       ctx.int_val(f(domain[j])), result);
    return result;
  }

  z3::expr constant(int64_t value) override { return ctx.int_val(value); }

  void require(const std::string &id, const std::string &words,
               const z3::expr &formula) override {
    constraints.push_back({id, words, formula});
  }

  z3::expr domain(size_t i) {
    z3::expr_vector alternatives(ctx);
    for (int64_t value : model.variables[i].domain)
      alternatives.push_back(vars[i] == ctx.int_val(value));
    return z3::mk_or(alternatives);
  }

  TileConfig configOf(const std::vector<int64_t> &values) const {
    TileConfig config;
    config.kind = model.kind;
    config.variant = model.variant;
    for (size_t i = 0; i < values.size(); ++i)
      config.*(model.variables[i].field) = values[i];
    config.cost = model.cost(config);
    return config;
  }

  /// The cost of every joint assignment, from the model's C++ cost.
  void tabulateCost() {
    std::vector<int64_t> values(vars.size());
    std::function<void(size_t)> visit = [&](size_t i) {
      if (i == vars.size()) {
        costTable.push_back(picoseconds(configOf(values).cost.seconds));
        return;
      }
      for (int64_t v : model.variables[i].domain) {
        values[i] = v;
        visit(i + 1);
      }
    };
    visit(0);
  }

  z3::expr assignment(const std::vector<int64_t> &values) {
    z3::expr_vector equalities(ctx);
    for (size_t i = 0; i < values.size(); ++i)
      equalities.push_back(vars[i] == ctx.int_val(values[i]));
    return values.empty() ? ctx.bool_val(true) : z3::mk_and(equalities);
  }

  /// The cost table as a decision tree over the variables in order
  /// (ite on the first, then the second, ...): propagation decides one
  /// variable at a time, much faster for Z3 than one implication per row.
  z3::expr costTree(size_t variable = 0, size_t firstRow = 0) {
    if (variable == vars.size())
      return ctx.int_val(costTable[firstRow]);
    // Rows are in lexicographic order: each value of this variable covers
    // a contiguous block of `stride` rows.
    size_t stride = 1;
    for (size_t i = variable + 1; i < vars.size(); ++i)
      stride *= model.variables[i].domain.size();
    const std::vector<int64_t> &domain = model.variables[variable].domain;
    z3::expr result = costTree(variable + 1,
                               firstRow + (domain.size() - 1) * stride);
    for (size_t j = domain.size() - 1; j-- > 0;)
      result = z3::ite(vars[variable] == ctx.int_val(domain[j]),
                       costTree(variable + 1, firstRow + j * stride), result);
    return result;
  }

  /// Adds every domain and model constraint to `solver`, each tracked by
  /// its name, with `pinned` values instead of the domains they give.
  std::vector<TilingProblem::Reason>
  addTracked(z3::solver &solver,
             const std::vector<std::optional<int64_t>> &pinned = {}) {
    std::vector<TilingProblem::Reason> named;
    for (size_t i = 0; i < vars.size(); ++i) {
      const TileVariable &v = model.variables[i];
      if (i < pinned.size() && pinned[i]) {
        solver.add(vars[i] == ctx.int_val(*pinned[i]),
                   ("pin_" + v.name).c_str());
        continue;
      }
      std::string id = "domain_" + v.name;
      solver.add(domain(i), id.c_str());
      named.push_back({id, v.name + " in " + domainText(v.domain), true});
    }
    for (const Constraint &c : constraints) {
      solver.add(c.formula, c.id.c_str());
      named.push_back({c.id, c.words, false});
    }
    return named;
  }

  /// The tracked constraints of `named` in the unsat core of `solver`
  /// (empty when satisfiable).
  static std::vector<TilingProblem::Reason>
  coreOf(z3::solver &solver, const std::vector<TilingProblem::Reason> &named) {
    std::vector<TilingProblem::Reason> reasons;
    if (solver.check() != z3::unsat)
      return reasons;
    z3::expr_vector core = solver.unsat_core();
    for (const TilingProblem::Reason &reason : named)
      for (unsigned i = 0; i < core.size(); ++i)
        if (core[i].to_string() == reason.id)
          reasons.push_back(reason);
    return reasons;
  }
};

TilingProblem::TilingProblem(const FormModel &model)
    : formModel(model), state(std::make_unique<State>(formModel)) {}

TilingProblem::~TilingProblem() = default;

std::vector<TileConfig> TilingProblem::solve(unsigned k, bool diverse) {
  auto start = Clock::now();
  State &s = *state;
  z3::optimize optimize(s.ctx);
  for (size_t i = 0; i < s.vars.size(); ++i)
    optimize.add(s.domain(i));
  for (const Constraint &c : s.constraints)
    optimize.add(c.formula);
  optimize.add(s.cost == s.costTree());
  optimize.minimize(s.cost);
  std::vector<TileConfig> best;
  std::vector<std::vector<int64_t>> found;
  auto next = [&]() -> bool {
    if (optimize.check() != z3::sat)
      return false;
    z3::model m = optimize.get_model();
    std::vector<int64_t> values;
    for (const z3::expr &v : s.vars)
      values.push_back(m.eval(v, true).get_numeral_int64());
    best.push_back(s.configOf(values));
    found.push_back(values);
    return !values.empty(); // no variables: the only configuration
  };
  if (diverse && !s.vars.empty()) {
    // Phase 1: the best configuration for each value of the first variable
    // (the chunk size where there is one), cheapest first: a tuner learns
    // more from a spread of chunk sizes than from ties in the others.
    optimize.push();
    while (best.size() < k && next())
      optimize.add(s.vars[0] != s.ctx.int_val(found.back()[0]));
    optimize.pop();
  }
  for (const std::vector<int64_t> &values : found)
    optimize.add(!s.assignment(values));
  while (best.size() < k && next())
    optimize.add(!s.assignment(found.back()));
  solveMs = millisecondsSince(start);
  return best;
}

std::vector<TilingProblem::Reason> TilingProblem::explainInfeasibility() {
  auto start = Clock::now();
  z3::solver solver(state->ctx);
  std::vector<Reason> reasons =
      State::coreOf(solver, state->addTracked(solver));
  solveMs = millisecondsSince(start);
  return reasons;
}

std::vector<TilingProblem::Reason>
TilingProblem::violations(const TileConfig &config) {
  // A parameter the form leaves out takes the lowering's default, which is
  // not pinned; domains are the tuner's search space, not a requirement.
  // Every constraint the configuration breaks, each checked on its own (an
  // unsat core is minimal: a broken soft constraint could hide a broken
  // hard one).
  State &s = *state;
  std::vector<Reason> reasons;
  for (const Constraint &c : s.constraints) {
    z3::solver solver(s.ctx);
    for (size_t i = 0; i < s.vars.size(); ++i) {
      std::optional<int64_t> value = config.*(formModel.variables[i].field);
      solver.add(value ? s.vars[i] == s.ctx.int_val(*value) : s.domain(i));
    }
    solver.add(c.formula);
    if (solver.check() == z3::unsat)
      reasons.push_back({c.id, c.words, false});
  }
  return reasons;
}

std::string TilingProblem::toSmtLib() {
  State &s = *state;
  std::string out = fmt::format("; {} form '{}'\n", formModel.opName,
                                seq::stringifyFormKind(formModel.kind).str());
  for (const z3::expr &v : s.vars)
    out += fmt::format("(declare-const {} Int)\n", v.to_string());
  out += "(declare-const cost_ps Int)\n";
  for (size_t i = 0; i < s.vars.size(); ++i)
    out += fmt::format("(assert (! {} :named domain_{}))\n",
                       s.domain(i).to_string(),
                       formModel.variables[i].name);
  for (const Constraint &c : s.constraints)
    out += fmt::format("; {}\n(assert (! {} :named {}))\n", c.words,
                       c.formula.simplify().to_string(), c.id);
  // The objective exactly as solve() states it.
  out += fmt::format("; the cost model, in picoseconds, over the {} joint "
                     "assignments\n(assert (! (= cost_ps {}) :named "
                     "cost_model))\n",
                     s.costTable.size(), s.costTree().to_string());
  out += "(minimize cost_ps)\n(check-sat)\n(get-objectives)\n";
  return out;
}

std::optional<TileConfig> FormChoice::cheapest() const {
  std::optional<TileConfig> result;
  for (const TileConfig &c : best)
    if (!result || c.cost.seconds < result->cost.seconds)
      result = c;
  return result;
}

FormChoice chooseForm(mlir::Operation *op, const HardwareModel &target) {
  FormChoice choice;
  FormModels models = formModels(op, target);
  for (const FormModel &model : models.candidates) {
    TilingProblem problem(model);
    std::vector<TileConfig> best = problem.solve(1);
    choice.solveMs += problem.lastSolveMs();
    if (!best.empty()) {
      choice.best.push_back(best.front());
      continue;
    }
    // "no block_threads in {...} meets: <constraint>; <constraint>".
    std::string domains, constraints;
    for (const TilingProblem::Reason &reason : problem.explainInfeasibility()) {
      if (reason.isDomain)
        domains += (domains.empty() ? "" : " and ") + reason.words;
      else
        constraints += (constraints.empty() ? "" : "; ") + reason.str();
    }
    choice.solveMs += problem.lastSolveMs();
    choice.excluded.push_back(
        {model.kind, "infeasible: no " + (domains.empty() ? "values" : domains) +
                         " meets: " + constraints});
  }
  for (auto &entry : models.unavailable)
    choice.excluded.push_back(entry);
  return choice;
}

std::vector<TileConfig> topConfigurations(mlir::Operation *op,
                                          const HardwareModel &target,
                                          unsigned k, double *solveMs) {
  // Every form's best is in (the form is the first decision a tuner checks),
  // then the cheapest of the rest.
  std::vector<TileConfig> firsts, rest;
  double ms = 0;
  for (const FormModel &model : formModels(op, target).candidates) {
    TilingProblem problem(model);
    std::vector<TileConfig> configs = problem.solve(k, /*diverse=*/true);
    ms += problem.lastSolveMs();
    for (size_t i = 0; i < configs.size(); ++i)
      (i == 0 ? firsts : rest).push_back(configs[i]);
  }
  auto cheaper = [](const TileConfig &a, const TileConfig &b) {
    return a.cost.seconds < b.cost.seconds;
  };
  std::stable_sort(firsts.begin(), firsts.end(), cheaper);
  std::stable_sort(rest.begin(), rest.end(), cheaper);
  if (firsts.size() > k)
    firsts.resize(k);
  for (size_t i = 0; firsts.size() < k && i < rest.size(); ++i)
    firsts.push_back(rest[i]);
  std::stable_sort(firsts.begin(), firsts.end(), cheaper);
  if (solveMs)
    *solveMs = ms;
  return firsts;
}

} // namespace seqc::autotune
