//===- AsmDirectives.h - custom assembly directives both dialects use -*- C++ -*-===//
//
// In a declarative format, `(`init` $init^)?` with an Optional or Variadic
// operand parses the operand optionally even once the keyword was seen:
// `init` followed by nothing was accepted and silently dropped. These
// directives require what follows the keyword:
//   (`init` custom<OperandAfterKeyword>($init)^)?
//   (`init` `(` custom<OperandsAfterKeyword>($init)^ `)`)?
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIALECTS_UTILS_ASMDIRECTIVES_H
#define SEQC_DIALECTS_UTILS_ASMDIRECTIVES_H

#include "mlir/IR/OpImplementation.h"

#include <optional>

namespace seqc {

/// One operand, required (an error at the keyword's next token otherwise).
inline mlir::ParseResult parseOperandAfterKeyword(
    mlir::OpAsmParser &parser,
    std::optional<mlir::OpAsmParser::UnresolvedOperand> &operand) {
  mlir::OpAsmParser::UnresolvedOperand value;
  if (parser.parseOperand(value))
    return mlir::failure();
  operand = value;
  return mlir::success();
}
inline void printOperandAfterKeyword(mlir::OpAsmPrinter &printer,
                                     mlir::Operation *, mlir::Value operand) {
  printer << operand;
}

/// A comma-separated list of at least one operand.
inline mlir::ParseResult parseOperandsAfterKeyword(
    mlir::OpAsmParser &parser,
    llvm::SmallVectorImpl<mlir::OpAsmParser::UnresolvedOperand> &operands) {
  do {
    if (parser.parseOperand(operands.emplace_back()))
      return mlir::failure();
  } while (mlir::succeeded(parser.parseOptionalComma()));
  return mlir::success();
}
inline void printOperandsAfterKeyword(mlir::OpAsmPrinter &printer,
                                      mlir::Operation *,
                                      mlir::OperandRange operands) {
  printer << operands;
}

} // namespace seqc

#endif // SEQC_DIALECTS_UTILS_ASMDIRECTIVES_H
