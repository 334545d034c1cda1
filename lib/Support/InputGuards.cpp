//===- InputGuards.cpp - input MLIR's parser would crash on ---------------===//
#include "seqc/Support/InputGuards.h"

#include <cctype>

namespace seqc {

std::optional<size_t> findIndexDenseArray(std::string_view text) {
  auto startsWith = [&](size_t at, std::string_view what) {
    return text.substr(at, what.size()) == what;
  };
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (startsWith(i, "//")) {
      i = text.find('\n', i);
      if (i == std::string_view::npos)
        return std::nullopt;
    } else if (startsWith(i, "array") &&
               (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                            text[i - 1] == '_' || text[i - 1] == '.'))) {
      size_t j = i + 5;
      while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])))
        ++j;
      if (j < text.size() && text[j] == '<') {
        ++j;
        while (j < text.size() &&
               std::isspace(static_cast<unsigned char>(text[j])))
          ++j;
        if (startsWith(j, "index"))
          return i;
      }
    }
  }
  return std::nullopt;
}

} // namespace seqc
