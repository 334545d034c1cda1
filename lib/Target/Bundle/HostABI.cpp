//===- HostABI.cpp - the C interface of a compiled bundle -----------------===//
#include "seqc/Target/HostABI.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Program.h"

#include <set>

using namespace mlir;

namespace seqc {

std::optional<ElementType> hostElementTypeOf(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isF32())
    return ElementType::f32;
  if (element.isF16())
    return ElementType::f16;
  if (element.isBF16())
    return ElementType::bf16;
  if (auto complex = dyn_cast<ComplexType>(element))
    if (complex.getElementType().isF32())
      return ElementType::complexF32;
  if (element.isInteger(64))
    return ElementType::i64;
  return std::nullopt;
}

const char *cTypeOf(ElementType type) {
  switch (type) {
  case ElementType::f32:
  case ElementType::complexF32:
    return "float";
  case ElementType::f16:
  case ElementType::bf16:
    return "uint16_t";
  case ElementType::i64:
    return "int64_t";
  }
  return "void";
}

std::vector<Parameter> parametersOf(func::FuncOp function) {
  std::vector<Parameter> parameters;
  FunctionType type = function.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    parameters.push_back({"in" + std::to_string(i),
                          cast<RankedTensorType>(type.getInput(i)), false});
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    parameters.push_back({"out" + std::to_string(i),
                          cast<RankedTensorType>(type.getResult(i)), true});
  return parameters;
}

/// A packed batch's offsets: a 1-D i64 tensor.
static bool isOffsets(RankedTensorType type) {
  return type.getRank() == 1 && type.getElementType().isInteger(64);
}

std::vector<std::string> DynamicSizes::names() const {
  std::vector<std::string> names;
  if (batch)
    names.push_back("batch");
  if (time)
    names.push_back("time");
  if (offsets)
    names.push_back("offsets");
  return names;
}

DynamicSizes dynamicSizesOf(func::FuncOp function) {
  DynamicSizes sizes;
  for (const Parameter &p : parametersOf(function)) {
    if (isOffsets(p.type)) {
      sizes.offsets |= p.type.isDynamicDim(0);
      continue;
    }
    sizes.batch |= p.type.getRank() > 0 && p.type.isDynamicDim(0);
    sizes.time |= p.type.getRank() > 1 && p.type.isDynamicDim(1);
  }
  return sizes;
}

std::string dynamicSizeProblem(RankedTensorType type) {
  for (int64_t d = 2; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      return "dimension " + std::to_string(d) +
             " is dynamic; only the batch (dimension 0) and time (dimension "
             "1) may be, feature, head and state sizes are static";
  return "";
}

std::string sizeExpression(RankedTensorType type, unsigned dim) {
  if (!type.isDynamicDim(dim))
    return std::to_string(type.getDimSize(dim));
  if (isOffsets(type))
    return "offsets";
  return dim == 0 ? "batch" : "time";
}

std::string prototype(func::FuncOp function, bool withStream) {
  std::string text = "int seqc_" + function.getSymName().str() + "(";
  bool first = true;
  if (withStream) {
    text += "void *stream";
    first = false;
  }
  for (const std::string &name : dynamicSizesOf(function).names()) {
    text += std::string(first ? "" : ", ") + "int64_t " + name;
    first = false;
  }
  for (const Parameter &p : parametersOf(function)) {
    text += first ? "" : ", ";
    first = false;
    text += std::string(p.isOutput ? "" : "const ") +
            cTypeOf(*hostElementTypeOf(p.type)) + " *" + p.name;
  }
  return text + ")";
}

std::string headerGuard(const std::string &stem) {
  std::string guard = "SEQC_" + llvm::StringRef(stem).upper() + "_H";
  for (char &c : guard)
    if (!isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return guard;
}

void emitParameterComment(llvm::raw_ostream &os, func::FuncOp function) {
  os << "/* @" << function.getSymName() << "\n";
  for (const Parameter &p : parametersOf(function)) {
    std::string typeText;
    llvm::raw_string_ostream ts(typeText);
    ts << p.type;
    os << " *   " << p.name << ": " << typeText << "\n";
  }
  os << " */\n";
}

void emitDescriptorTypes(llvm::raw_ostream &os,
                         ArrayRef<func::FuncOp> functions) {
  std::set<int64_t> ranks;
  for (func::FuncOp function : functions)
    for (const Parameter &p : parametersOf(function))
      ranks.insert(p.type.getRank());
  for (int64_t rank : ranks) {
    if (rank == 0)
      os << "typedef struct { void *allocated, *aligned; int64_t offset; } "
            "seqc_memref_0;\n";
    else
      os << "typedef struct { void *allocated, *aligned; int64_t offset, "
            "sizes[" << rank << "], strides[" << rank << "]; } seqc_memref_"
         << rank << ";\n";
  }
}

void emitDescriptors(llvm::raw_ostream &os,
                     const std::vector<Parameter> &parameters) {
  for (size_t i = 0; i < parameters.size(); ++i) {
    const Parameter &p = parameters[i];
    ArrayRef<int64_t> shape = p.type.getShape();
    os << "  seqc_memref_" << shape.size() << " d" << i << " = {(void *)"
       << p.name << ", (void *)" << p.name << ", 0";
    if (!shape.empty()) {
      // Row-major strides: the product of the static sizes after a
      // dimension, times "time" where the time size is dynamic and after it.
      std::vector<std::string> strides(shape.size());
      int64_t staticProduct = 1;
      bool timeAfter = false;
      for (size_t d = shape.size(); d-- > 0;) {
        strides[d] = std::to_string(staticProduct) +
                     (timeAfter ? " * time" : "");
        if (p.type.isDynamicDim(d))
          timeAfter = true; // only dimension 1 can be, below dimension 0
        else
          staticProduct *= shape[d];
      }
      os << ", {";
      for (size_t d = 0; d < shape.size(); ++d)
        os << (d ? ", " : "") << sizeExpression(p.type, d);
      os << "}, {";
      for (size_t d = 0; d < shape.size(); ++d)
        os << (d ? ", " : "") << strides[d];
      os << "}";
    }
    os << "};\n";
  }
}

void emitDynamicSizeChecks(llvm::raw_ostream &os, func::FuncOp function) {
  DynamicSizes dynamic = dynamicSizesOf(function);
  if (!dynamic.any())
    return;
  std::vector<std::string> invalid;
  if (dynamic.batch)
    invalid.push_back("batch < 1");
  if (dynamic.time)
    invalid.push_back("time < 1");
  if (dynamic.offsets)
    invalid.push_back("offsets < 2");
  if (dynamic.batch && dynamic.offsets)
    invalid.push_back("offsets != batch + 1");
  os << "  if (" << llvm::join(invalid, " || ") << ")\n    return 2;\n";
  // Each buffer's bytes in checked arithmetic: sizes that wrap are an
  // error, not a small buffer.
  for (const Parameter &p : parametersOf(function)) {
    if (p.type.hasStaticShape())
      continue;
    os << "  {\n    int64_t bytes = "
       << elementSize(*hostElementTypeOf(p.type)) << ";\n";
    for (int64_t d = 0; d < p.type.getRank(); ++d)
      os << "    if (__builtin_mul_overflow(bytes, (int64_t)"
         << sizeExpression(p.type, d) << ", &bytes))\n      return 2;\n";
    os << "  }\n";
  }
}

void emitCifaceDeclaration(llvm::raw_ostream &os, func::FuncOp function) {
  std::vector<Parameter> parameters = parametersOf(function);
  os << "\nvoid _mlir_ciface_" << function.getSymName() << "(";
  for (size_t i = 0; i < parameters.size(); ++i)
    os << (i ? ", " : "") << "seqc_memref_" << parameters[i].type.getRank()
       << " *";
  os << ");\n";
}

void emitCifaceCall(llvm::raw_ostream &os, func::FuncOp function) {
  os << "  _mlir_ciface_" << function.getSymName() << "(";
  for (size_t i = 0; i < parametersOf(function).size(); ++i)
    os << (i ? ", " : "") << "&d" << i;
  os << ");\n";
}

llvm::Error writeTextFile(const std::string &path, llvm::StringRef contents) {
  // Through a temporary file renamed into place: a failed write (a full
  // disk) is an error and leaves no truncated file behind.
  if (llvm::Error err = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
        os << contents;
        return llvm::Error::success();
      }))
    return llvm::createStringError("cannot write '" + path +
                                   "': " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}

llvm::Error linkSharedLibrary(const std::string &library,
                              const std::vector<std::string> &inputs) {
  auto compiler = llvm::sys::findProgramByName("clang-22");
  if (!compiler)
    return llvm::createStringError(
        "cannot link '" + library +
        "': clang-22 not found on PATH (apt-get install clang-22)");
  std::vector<std::string> args = {*compiler, "-shared", "-fPIC", "-O2", "-o",
                                   library};
  args.insert(args.end(), inputs.begin(), inputs.end());
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*compiler, argRefs, std::nullopt, {},
                                         0, 0, &message);
  if (status != 0)
    return llvm::createStringError("linking '" + library + "' failed" +
                                   (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

} // namespace seqc
