//===- Program.cpp - loading input files for the driver -------------------===//
#include "Driver.h"

#include "seqc/Support/InputGuards.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/AsmParser/AsmParserState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace seqc::driver {

int fail(const llvm::Twine &message) {
  llvm::errs() << "seqc: error: " << message << "\n";
  return 1;
}

int loadProgram(MLIRContext &context, const std::string &path,
                const std::string &functionName, Program &program) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("cannot open '" + path + "': " + buffer.getError().message());
  llvm::StringRef text = (*buffer)->getBuffer();
  program.sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  program.diagnostics = std::make_unique<SourceMgrDiagnosticHandler>(
      program.sourceMgr, &context);
  // MLIR 22's parser crashes on a dense array of `index` (it has no bit
  // width); refused here, with its place, before the parser sees it
  // (docs/DESIGN.md, "Upstream defects").
  if (std::optional<size_t> at = findIndexDenseArray(
          std::string_view(text.data(), text.size()))) {
    program.sourceMgr.PrintMessage(
        llvm::SMLoc::getFromPointer(text.data() + *at),
        llvm::SourceMgr::DK_Error,
        "dense arrays of 'index' are not supported (MLIR 22's parser "
        "crashes on them); use array<i64: ...>");
    return 1;
  }

  Block block;
  AsmParserState asmState;
  ParserConfig config(&context);
  if (failed(parseAsmSourceFile(program.sourceMgr, &block, config,
                                &asmState)))
    return 1;
  if (block.empty() || !isa<ModuleOp>(block.front()) ||
      std::next(block.begin()) != block.end()) {
    // Top-level ops without a module: wrap them, as the MLIR tools do.
    auto module = ModuleOp::create(UnknownLoc::get(&context));
    module.getBody()->getOperations().splice(module.getBody()->begin(),
                                             block.getOperations());
    program.module = OwningOpRef<ModuleOp>(module);
  } else {
    program.module = OwningOpRef<ModuleOp>(cast<ModuleOp>(block.front()));
    program.module->getOperation()->remove();
  }
  if (failed(verify(*program.module)))
    return 1;

  for (auto function : program.module->getOps<func::FuncOp>()) {
    if (function.isExternal())
      continue;
    if (functionName.empty() ? function.isPublic()
                             : function.getSymName() == functionName) {
      program.function = function;
      break;
    }
  }
  if (!program.function) {
    if (functionName.empty())
      return fail("'" + path + "' defines no public function to run");
    std::string available;
    for (auto function : program.module->getOps<func::FuncOp>())
      available += (available.empty() ? "" : ", ") +
                   function.getSymName().str();
    return fail("no function '" + functionName + "' in '" + path +
                "' (functions: " + available + ")");
  }

  // Argument names as written in the source.
  Block &entry = func::FuncOp(program.function).getBody().front();
  const AsmParserState::BlockDefinition *definition =
      asmState.getBlockDef(&entry);
  for (unsigned i = 0; i < entry.getNumArguments(); ++i) {
    std::string name = "arg" + std::to_string(i);
    if (definition && i < definition->arguments.size()) {
      llvm::SMRange range = definition->arguments[i].loc;
      llvm::StringRef text(range.Start.getPointer(),
                           range.End.getPointer() - range.Start.getPointer());
      if (text.consume_front("%") && !text.empty())
        name = text.str();
    }
    program.argumentNames.push_back(name);
  }
  return 0;
}

std::optional<int64_t> seqc::driver::parseByteSize(StringRef text) {
  text = text.trim();
  if (text.empty())
    return std::nullopt;
  int64_t scale = 1;
  switch (text.back()) {
  case 'K': case 'k': scale = int64_t(1) << 10; break;
  case 'M': case 'm': scale = int64_t(1) << 20; break;
  case 'G': case 'g': scale = int64_t(1) << 30; break;
  case 'T': case 't': scale = int64_t(1) << 40; break;
  default: break;
  }
  if (scale != 1)
    text = text.drop_back();
  int64_t value, bytes;
  if (text.getAsInteger(10, value) || value <= 0 ||
      __builtin_mul_overflow(value, scale, &bytes))
    return std::nullopt;
  return bytes;
}

namespace {

/// --max-memory in bytes: "1073741824", "512M", "8G"; 0 after an error.
int64_t memoryLimit() {
  StringRef text = StringRef(maxMemory).trim();
  if (text.empty()) {
    int64_t physical = physicalMemoryBytes();
    return physical ? physical / 2 : INT64_MAX;
  }
  std::optional<int64_t> bytes = parseByteSize(text);
  if (!bytes) {
    fail("--max-memory expects a positive size in bytes, or with a K, M, G "
         "or T suffix, got '" + maxMemory + "'");
    return 0;
  }
  return *bytes;
}

std::string sizeText(int64_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  if (bytes >= (int64_t(1) << 30))
    text += " (" + std::to_string(bytes >> 30) + " GiB)";
  else if (bytes >= (int64_t(1) << 20))
    text += " (" + std::to_string(bytes >> 20) + " MiB)";
  return text;
}

} // namespace

int checkStaticSignature(const Program &program, bool withReference) {
  return checkStaticSignature(program.function, program.argumentNames,
                              withReference);
}

std::optional<FunctionType> concreteSignature(const Program &program,
                                              int64_t batch, int64_t time) {
  func::FuncOp function = program.function;
  DynamicSizes dynamic = dynamicSizesOf(function);
  // A packed batch's offsets number its sequences (the batch) plus one.
  for (auto [needed, size, what] :
       {std::tuple(dynamic.batch || dynamic.offsets, batch, "batch"),
        std::tuple(dynamic.time, time, "time")}) {
    if (needed && size < 1) {
      fail("@" + function.getSymName() + " has a dynamic " + what +
           ": give its size with --" + what + "=N (N >= 1)");
      return std::nullopt;
    }
  }
  llvm::StringMap<int64_t> sizes = {
      {"batch", batch}, {"time", time}, {"offsets", batch + 1}};
  // Each dynamic size by the name the C entry point gives it.
  auto concrete = [&](Type type) -> Type {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return type;
    SmallVector<int64_t> shape(tensor.getShape());
    for (unsigned d = 0; d < shape.size(); ++d)
      if (ShapedType::isDynamic(shape[d]))
        shape[d] = sizes.lookup(sizeExpression(tensor, d));
    return tensor.clone(shape);
  };
  SmallVector<Type> inputs, results;
  for (Type t : function.getFunctionType().getInputs())
    inputs.push_back(concrete(t));
  for (Type t : function.getFunctionType().getResults())
    results.push_back(concrete(t));
  return FunctionType::get(function.getContext(), inputs, results);
}

int checkStaticSignature(func::FuncOp function,
                         const std::vector<std::string> &argumentNames,
                         bool withReference, bool allowDynamicBatchTime) {
  return checkStaticSignature(function.getFunctionType(), argumentNames,
                              function.getSymName(), withReference,
                              allowDynamicBatchTime);
}

int checkStaticSignature(FunctionType type,
                         const std::vector<std::string> &argumentNames,
                         llvm::StringRef functionName, bool withReference,
                         bool allowDynamicBatchTime) {
  int64_t limit = memoryLimit();
  if (!limit)
    return 1;
  int64_t total = 0;
  auto check = [&](Type t, const std::string &what) -> int {
    auto tensor = dyn_cast<RankedTensorType>(t);
    std::string text;
    llvm::raw_string_ostream os(text);
    os << t;
    if (!tensor)
      return fail(what + " has type " + text +
                  "; seqc runs functions of ranked tensors only");
    if (!hostElementTypeOf(tensor))
      return fail(what + " has type " + text +
                  "; supported element types are f32, f16, bf16, "
                  "complex<f32> and i64");
    if (!tensor.hasStaticShape()) {
      if (!allowDynamicBatchTime)
        return fail(what + " has the dynamic shape " + text +
                    "; GPU targets and seqc tune need static shapes (the "
                    "CPU target takes a dynamic batch and time)");
      std::string problem = dynamicSizeProblem(tensor);
      if (!problem.empty())
        return fail(what + " has the shape " + text + ": " + problem);
      // Its size is known at run time, where the entry point checks it.
      return 0;
    }
    // Sizes in checked arithmetic: a product that wraps is an error, not a
    // small buffer.
    std::vector<int64_t> shape(tensor.getShape());
    std::optional<int64_t> bytes =
        checkedByteSize(*hostElementTypeOf(tensor), shape);
    std::optional<int64_t> elements = checkedElementCount(shape);
    int64_t referenceBytes = 0;
    if (!bytes || (withReference &&
                   __builtin_mul_overflow(*elements, int64_t(sizeof(double)),
                                          &referenceBytes)))
      return fail(what + " (" + text +
                  ") has more elements than fit in 64 bits");
    if (__builtin_add_overflow(total, *bytes, &total) ||
        __builtin_add_overflow(total, referenceBytes, &total) ||
        total > limit)
      return fail(what + " (" + text + ") needs " + sizeText(*bytes) +
                  (withReference ? " and " + sizeText(referenceBytes) +
                                       " for the reference interpreter"
                                 : std::string()) +
                  "; the function's buffers would exceed the memory limit of " +
                  sizeText(limit) + " (--max-memory)");
    return 0;
  };
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    if (int rc = check(type.getInput(i),
                       "argument '" +
                           (i < argumentNames.size()
                                ? argumentNames[i]
                                : "#" + std::to_string(i)) +
                           "' of @" + functionName.str()))
      return rc;
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    if (int rc = check(type.getResult(i), "result #" + std::to_string(i) +
                                              " of @" + functionName.str()))
      return rc;
  return 0;
}

} // namespace seqc::driver
