//===- CompileCommand.cpp - the CPU artifact bundle of `seqc compile` -----===//
//
// The bundle: an object file compiled for the host, a C header, a small C
// file that adapts plain pointers to MLIR's memref descriptors, and a
// shared library of both. Every public function `f` becomes
//
//   int seqc_f(const T *input0, ..., T *output0, ...);
//
// with static shapes documented in the header; it returns 0.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "seqc/Target/CPU/CpuExecutable.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

using namespace mlir;

namespace seqc::driver {

const char *cTypeOf(ElementType type) {
  switch (type) {
  case ElementType::f32:
  case ElementType::complexF32:
    return "float";
  case ElementType::f16:
  case ElementType::bf16:
    return "uint16_t";
  }
  return "void";
}

std::string shapeText(ArrayRef<int64_t> shape) {
  std::string text;
  for (int64_t d : shape)
    text += "[" + std::to_string(d) + "]";
  return text;
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

std::string prototype(func::FuncOp function, bool withStream) {
  std::string text = "int seqc_" + function.getSymName().str() + "(";
  bool first = true;
  if (withStream) {
    text += "void *stream";
    first = false;
  }
  for (const Parameter &p : parametersOf(function)) {
    text += first ? "" : ", ";
    first = false;
    text += std::string(p.isOutput ? "" : "const ") +
            cTypeOf(*toElementType(p.type)) + " *" + p.name;
  }
  return text + ")";
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
      std::vector<int64_t> strides(shape.size(), 1);
      for (size_t d = shape.size() - 1; d > 0; --d)
        strides[d - 1] = strides[d] * shape[d];
      os << ", {";
      for (size_t d = 0; d < shape.size(); ++d)
        os << (d ? ", " : "") << shape[d];
      os << "}, {";
      for (size_t d = 0; d < shape.size(); ++d)
        os << (d ? ", " : "") << strides[d];
      os << "}";
    }
    os << "};\n";
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

int linkSharedLibrary(const std::string &library,
                      const std::vector<std::string> &inputs) {
  auto compiler = llvm::sys::findProgramByName("clang-22");
  if (!compiler)
    return fail("cannot link '" + library +
                "': clang-22 not found on PATH (apt-get install clang-22)");
  std::vector<std::string> args = {*compiler, "-shared", "-fPIC", "-O2", "-o",
                                   library};
  args.insert(args.end(), inputs.begin(), inputs.end());
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*compiler, argRefs, std::nullopt, {},
                                         0, 0, &message);
  if (status != 0)
    return fail("linking '" + library + "' failed" +
                (message.empty() ? "" : ": " + message));
  return 0;
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

int writeCpuBundle(ArrayRef<func::FuncOp> functions, ModuleOp lowered,
                   const std::string &stem, const std::string &directory) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return fail("cannot create '" + directory + "': " + ec.message());
  std::string base = directory + "/" + stem;
  std::string object = base + ".o", header = base + ".h",
              adapter = base + "_abi.c",
              library = directory + "/lib" + stem + ".so";

  if (llvm::Error err = emitHostObjectFile(lowered, object))
    return fail("cannot emit '" + object + "': " +
                llvm::toString(std::move(err)));


  std::string guard = headerGuard(stem);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(header, ec);
    if (ec)
      return fail("cannot write '" + header + "': " + ec.message());
    os << "/* Generated by seqc from " << stem << ".mlir; do not edit.\n"
       << " * Each function returns 0. Buffers are contiguous row-major;\n"
       << " * inputs are not modified. bf16 and f16 elements are passed as\n"
       << " * their 16-bit patterns (uint16_t), complex<f32> as interleaved\n"
       << " * (re, im) float pairs. */\n"
       << "#ifndef " << guard << "\n#define " << guard << "\n\n"
       << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n"
       << "#endif\n\n";
    for (func::FuncOp function : functions) {
      emitParameterComment(os, function);
      os << prototype(function, /*withStream=*/false) << ";\n\n";
    }
    os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(adapter, ec);
    if (ec)
      return fail("cannot write '" + adapter + "': " + ec.message());
    os << "/* Generated by seqc: plain pointers to MLIR memref descriptors. "
          "*/\n#include \"" << stem << ".h\"\n\n";
    emitDescriptorTypes(os, functions);
    for (func::FuncOp function : functions) {
      emitCifaceDeclaration(os, function);
      os << "\n" << prototype(function, /*withStream=*/false) << " {\n";
      emitDescriptors(os, parametersOf(function));
      emitCifaceCall(os, function);
      os << "  return 0;\n}\n";
    }
  }

  std::string runtimeDir =
      llvm::sys::path::parent_path(runnerUtilsLibrary()).str();
  if (int rc = linkSharedLibrary(
          library, {object, adapter, "-L" + runtimeDir,
                    "-lmlir_c_runner_utils", "-lomp",
                    "-Wl,-rpath," + runtimeDir, "-lm"}))
    return rc;
  llvm::outs() << "seqc: wrote " << object << ", " << header << ", "
               << adapter << ", " << library << " ("
               << functions.size() << " function"
               << (functions.size() == 1 ? "" : "s") << ")\n";
  return 0;
}

} // namespace seqc::driver
