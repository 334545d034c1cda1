//===- HostTensor.cpp - typed host buffers and .npy files -----------------===//
#include "seqc/Support/HostTensor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace seqc {

const char *elementTypeName(ElementType type) {
  switch (type) {
  case ElementType::f32:
    return "f32";
  case ElementType::f16:
    return "f16";
  case ElementType::bf16:
    return "bf16";
  case ElementType::complexF32:
    return "complex<f32>";
  case ElementType::i64:
    return "i64";
  }
  return "?";
}

int64_t elementSize(ElementType type) {
  switch (type) {
  case ElementType::f32:
    return 4;
  case ElementType::f16:
  case ElementType::bf16:
    return 2;
  case ElementType::complexF32:
  case ElementType::i64:
    return 8;
  }
  return 0;
}

const char *dtypeName(ElementType type) {
  return type == ElementType::complexF32 ? "complex64" : elementTypeName(type);
}

std::optional<ElementType> parseDtypeName(const std::string &name) {
  for (ElementType type : {ElementType::f32, ElementType::f16,
                           ElementType::bf16, ElementType::complexF32,
                           ElementType::i64})
    if (name == dtypeName(type))
      return type;
  return std::nullopt;
}

HostTensor::HostTensor(ElementType type, std::vector<int64_t> shape)
    : type(type), shape(std::move(shape)) {
  bytes.assign(numElements() * elementSize(type), 0);
}

std::optional<int64_t> checkedElementCount(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return std::nullopt;
  return n;
}

std::optional<int64_t> checkedByteSize(ElementType type,
                                       const std::vector<int64_t> &shape) {
  std::optional<int64_t> n = checkedElementCount(shape);
  int64_t bytes;
  if (!n || __builtin_mul_overflow(*n, elementSize(type), &bytes))
    return std::nullopt;
  return bytes;
}

int64_t physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return 0;
  return int64_t(pages) * int64_t(pageSize);
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

namespace {

float bitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
uint32_t floatToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}


} // namespace

uint16_t toBF16(double value) {
  float f = static_cast<float>(value);
  uint32_t bits = floatToBits(f);
  if (std::isnan(f))
    return 0x7FC0;
  bits += 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}
double fromBF16(uint16_t bits) { return bitsToFloat(uint32_t(bits) << 16); }

uint16_t toF16(double value) {
  float f = static_cast<float>(value);
  uint32_t x = floatToBits(f);
  uint32_t sign = (x >> 16) & 0x8000;
  uint32_t magnitude = x & 0x7FFFFFFF;
  if (magnitude > 0x7F800000) // NaN
    return static_cast<uint16_t>(sign | 0x7E00);
  if (magnitude >= 0x477FF000) // rounds to >= 65520: infinity
    return static_cast<uint16_t>(sign | 0x7C00);
  if (magnitude < 0x38800000) { // subnormal in f16
    // Round |f| * 2^24 to the nearest integer, ties to even.
    double scaled = std::fabs(static_cast<double>(f)) * 16777216.0;
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(scaled)));
  }
  uint32_t exponent = ((magnitude >> 23) - 112) << 10;
  uint32_t mantissa = (magnitude >> 13) & 0x3FF;
  uint32_t result = exponent | mantissa;
  uint32_t rest = magnitude & 0x1FFF;
  if (rest > 0x1000 || (rest == 0x1000 && (result & 1)))
    ++result;
  return static_cast<uint16_t>(sign | result);
}
double fromF16(uint16_t h) {
  uint32_t sign = (h & 0x8000) ? 1 : 0;
  uint32_t exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  double value;
  if (exponent == 0)
    value = std::ldexp(static_cast<double>(mantissa), -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = std::ldexp(1.0 + mantissa / 1024.0, int(exponent) - 15);
  return sign ? -value : value;
}

double HostTensor::get(int64_t i) const {
  switch (type) {
  case ElementType::f32: {
    float f;
    std::memcpy(&f, bytes.data() + 4 * i, 4);
    return f;
  }
  case ElementType::f16: {
    uint16_t h;
    std::memcpy(&h, bytes.data() + 2 * i, 2);
    return fromF16(h);
  }
  case ElementType::bf16: {
    uint16_t h;
    std::memcpy(&h, bytes.data() + 2 * i, 2);
    return fromBF16(h);
  }
  case ElementType::complexF32: {
    double re, im;
    getComplex(i, re, im);
    return re;
  }
  case ElementType::i64: {
    int64_t v;
    std::memcpy(&v, bytes.data() + 8 * i, 8);
    return static_cast<double>(v);
  }
  }
  return 0;
}

void HostTensor::set(int64_t i, double value) {
  switch (type) {
  case ElementType::f32: {
    float f = static_cast<float>(value);
    std::memcpy(bytes.data() + 4 * i, &f, 4);
    return;
  }
  case ElementType::f16: {
    uint16_t h = toF16(value);
    std::memcpy(bytes.data() + 2 * i, &h, 2);
    return;
  }
  case ElementType::bf16: {
    uint16_t h = toBF16(value);
    std::memcpy(bytes.data() + 2 * i, &h, 2);
    return;
  }
  case ElementType::complexF32:
    setComplex(i, value, 0.0);
    return;
  case ElementType::i64: {
    // Out of int64_t's range (or NaN) the cast would be undefined.
    int64_t v = value > -0x1p63 && value < 0x1p63 ? static_cast<int64_t>(value)
                                                  : 0;
    std::memcpy(bytes.data() + 8 * i, &v, 8);
    return;
  }
  }
}

void HostTensor::getComplex(int64_t i, double &re, double &im) const {
  float parts[2];
  std::memcpy(parts, bytes.data() + 8 * i, 8);
  re = parts[0];
  im = parts[1];
}

void HostTensor::setComplex(int64_t i, double re, double im) {
  float parts[2] = {static_cast<float>(re), static_cast<float>(im)};
  std::memcpy(bytes.data() + 8 * i, parts, 8);
}

std::string HostTensor::describe() const {
  std::ostringstream os;
  os << "tensor<";
  for (int64_t d : shape)
    os << d << "x";
  os << elementTypeName(type) << ">";
  return os.str();
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

namespace {

/// The value of `key` in the header dict, e.g. "'<f4'" or "(2, 3)".
bool headerField(const std::string &header, const std::string &key,
                 std::string &value) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return false;
  size_t colon = header.find(':', at);
  if (colon == std::string::npos)
    return false;
  size_t begin = header.find_first_not_of(' ', colon + 1);
  if (begin == std::string::npos)
    return false;
  size_t end;
  if (header[begin] == '(')
    end = header.find(')', begin) + 1;
  else if (header[begin] == '\'')
    end = header.find('\'', begin + 1) + 1;
  else
    end = header.find_first_of(",}", begin);
  if (end == std::string::npos || end <= begin)
    return false;
  value = header.substr(begin, end - begin);
  return true;
}

/// Header text quoted in a one-line error: control and non-ASCII bytes as
/// \xNN, at most 80 characters.
std::string printable(const std::string &text) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= 80) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += char(c);
    } else {
      static const char *hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// The shape tuple of an .npy header, "(2, 3)", "(4,)" or "()": each entry
/// a non-negative decimal integer that fits int64, nothing else.
bool parseNpyShape(const std::string &text, std::vector<int64_t> &shape) {
  size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return false;
  std::string inner = text.substr(open + 1, close - open - 1);
  size_t position = 0;
  while (position < inner.size()) {
    size_t comma = inner.find(',', position);
    std::string entry = inner.substr(
        position, comma == std::string::npos ? std::string::npos
                                             : comma - position);
    position = comma == std::string::npos ? inner.size() : comma + 1;
    size_t first = entry.find_first_not_of(" \t"),
           last = entry.find_last_not_of(" \t");
    if (first == std::string::npos) {
      // Only the last entry may be empty, after a trailing comma ("(n,)",
      // "(n, )"); an empty entry elsewhere is not a shape.
      if (shape.empty() || comma != std::string::npos)
        return false;
      continue;
    }
    entry = entry.substr(first, last - first + 1);
    // Python may write 3L (Python 2 longs).
    if (entry.back() == 'L')
      entry.pop_back();
    int64_t value = 0;
    if (entry.empty())
      return false;
    for (char c : entry)
      if (c < '0' || c > '9' || __builtin_mul_overflow(value, 10, &value) ||
          __builtin_add_overflow(value, c - '0', &value))
        return false;
    shape.push_back(value);
  }
  return true;
}

} // namespace

bool readNpy(const std::string &path, HostTensor &tensor, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  return readNpy(in, path, tensor, error);
}

bool readNpy(std::istream &in, const std::string &path, HostTensor &tensor,
             std::string &error) {
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    error = "'" + path + "' is not an .npy file (bad magic)";
    return false;
  }
  uint32_t headerLength = 0;
  if (magic[6] == 1) {
    uint16_t length;
    in.read(reinterpret_cast<char *>(&length), 2);
    headerLength = length;
  } else {
    in.read(reinterpret_cast<char *>(&headerLength), 4);
  }
  // What the file holds after the header's length field: a header (or
  // data) claiming more is corrupt, found before anything is allocated.
  std::streamoff start = in.tellg();
  in.seekg(0, std::ios::end);
  std::streamoff available = in.tellg() - start;
  in.seekg(start);
  if (!in || headerLength > available) {
    error = "'" + path + "': truncated .npy header";
    return false;
  }
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), headerLength)) {
    error = "'" + path + "': truncated .npy header";
    return false;
  }
  std::string descr, order, shapeText;
  if (!headerField(header, "descr", descr) ||
      !headerField(header, "fortran_order", order) ||
      !headerField(header, "shape", shapeText)) {
    error = "'" + path + "': malformed .npy header";
    return false;
  }
  if (order.find("True") != std::string::npos) {
    error = "'" + path + "': Fortran-ordered arrays are not supported; save "
            "with np.ascontiguousarray";
    return false;
  }
  ElementType type;
  if (descr == "'<f4'")
    type = ElementType::f32;
  else if (descr == "'<f2'")
    type = ElementType::f16;
  else if (descr == "'<u2'" || descr == "'|V2'" || descr == "'<V2'")
    type = ElementType::bf16;
  else if (descr == "'<c8'")
    type = ElementType::complexF32;
  else if (descr == "'<i8'")
    type = ElementType::i64;
  else {
    error = "'" + path + "': unsupported dtype " + printable(descr) +
            " (expected '<f4' f32, '<f2' f16, '<u2' bf16 bits, '<c8' "
            "complex64, '<i8' int64)";
    return false;
  }
  std::vector<int64_t> shape;
  if (!parseNpyShape(shapeText, shape)) {
    error = "'" + path + "': malformed shape " + printable(shapeText) +
            " in the .npy header (expected a tuple of non-negative integers)";
    return false;
  }
  std::optional<int64_t> bytes = checkedByteSize(type, shape);
  if (!bytes) {
    error = "'" + path + "': the shape " + printable(shapeText) +
            " in the .npy header has more elements than fit in 64 bits";
    return false;
  }
  if (*bytes > available - int64_t(headerLength)) {
    error = "'" + path + "': file ends before its " +
            std::to_string(*checkedElementCount(shape)) + " elements (" +
            std::to_string(*bytes) + " bytes, the file holds " +
            std::to_string(available - int64_t(headerLength)) + ")";
    return false;
  }
  tensor = HostTensor(type, shape);
  if (!in.read(reinterpret_cast<char *>(tensor.bytes.data()),
               static_cast<std::streamsize>(tensor.bytes.size()))) {
    error = "'" + path + "': file ends before its " +
            std::to_string(tensor.numElements()) + " elements";
    return false;
  }
  return true;
}

bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error) {
  const char *descr = tensor.type == ElementType::f32    ? "<f4"
                      : tensor.type == ElementType::f16  ? "<f2"
                      : tensor.type == ElementType::bf16 ? "<u2"
                      : tensor.type == ElementType::i64  ? "<i8"
                                                         : "<c8";
  std::ostringstream dict;
  dict << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.shape.size(); ++i)
    dict << tensor.shape[i] << (tensor.shape.size() == 1 || i + 1 < tensor.shape.size() ? ", " : "");
  dict << "), }";
  std::string header = dict.str();
  // Pad so that magic (6) + version (2) + length (2) + header is a
  // multiple of 64, ending in a newline.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t length = static_cast<uint16_t>(header.size());
  out.write(reinterpret_cast<const char *>(&length), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char *>(tensor.bytes.data()),
            static_cast<std::streamsize>(tensor.bytes.size()));
  if (!out) {
    error = "failed writing '" + path + "'";
    return false;
  }
  return true;
}

} // namespace seqc

namespace seqc {
Comparison compareToReference(const HostTensor &actual,
                              const std::vector<double> &expected) {
  Comparison c;
  c.rtol = actual.type == ElementType::bf16  ? 3e-2
           : actual.type == ElementType::f16 ? 5e-3
                                             : 2e-4;
  double sumSquares = 0;
  for (double r : expected)
    sumSquares += r * r;
  double rms =
      expected.empty() ? 0.0 : std::sqrt(sumSquares / double(expected.size()));
  for (int64_t i = 0; i < actual.numElements(); ++i) {
    double y = actual.get(i), r = expected[i];
    if (!std::isfinite(y)) {
      ++c.nonFinite;
      continue;
    }
    double err = std::fabs(y - r);
    c.maxAbs = std::max(c.maxAbs, err);
    c.maxRel = std::max(c.maxRel, err / std::max(std::fabs(r) + rms, 1e-30));
    if (err > c.rtol * (std::fabs(r) + rms))
      ++c.outOfTolerance;
  }
  return c;
}
} // namespace seqc
