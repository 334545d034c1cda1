//===- HostTensor.h - typed host buffers and .npy files --------*- C++ -*-===//
//
// The buffers the driver and the runners hand to compiled code: a shape, an
// element type and contiguous row-major bytes. No MLIR dependency, so that
// standalone runners link it.
//
// .npy: version 1.0/2.0 files, little endian, C order. f32 is '<f4', f16
// '<f2', complex<f32> '<c8'. NumPy has no bfloat16: bf16 is stored as its
// 16-bit pattern with descr '<u2' (what `x.view(np.uint16)` of an ml_dtypes
// or torch bfloat16 array writes) and also read from '|V2'.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_SUPPORT_HOSTTENSOR_H
#define SEQC_SUPPORT_HOSTTENSOR_H

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace seqc {

/// i64: integer data such as the offsets of a packed batch (values read
/// and written through double are exact up to 2^53).
enum class ElementType { f32, f16, bf16, complexF32, i64 };

/// "f32", "f16", "bf16", "complex<f32>".
const char *elementTypeName(ElementType type);
/// Bytes per element.
int64_t elementSize(ElementType type);
/// The NumPy/PyTorch-style name in GPU bundle manifests: "f32", "f16",
/// "bf16", "complex64"; and back (nullopt for any other name).
const char *dtypeName(ElementType type);
std::optional<ElementType> parseDtypeName(const std::string &name);

/// 16-bit floats: the bits of `value` rounded to nearest even, and the
/// value of bits.
uint16_t toBF16(double value);
double fromBF16(uint16_t bits);
uint16_t toF16(double value);
double fromF16(uint16_t bits);

/// Elements of a buffer of `shape`, or none when a dimension is negative or
/// the count does not fit int64 (a product that would wrap).
std::optional<int64_t> checkedElementCount(const std::vector<int64_t> &shape);
/// Bytes of a buffer of `shape` elements of `type`, or none (as above).
std::optional<int64_t> checkedByteSize(ElementType type,
                                       const std::vector<int64_t> &shape);
/// This machine's physical memory in bytes, or 0 when unknown.
int64_t physicalMemoryBytes();

struct HostTensor {
  ElementType type = ElementType::f32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  HostTensor() = default;
  HostTensor(ElementType type, std::vector<int64_t> shape);

  int64_t numElements() const;
  void *data() { return bytes.data(); }
  const void *data() const { return bytes.data(); }

  /// Element i as a double (complex: the real part; see getComplex).
  double get(int64_t i) const;
  /// Sets element i, rounding to the element type (round to nearest even).
  void set(int64_t i, double value);
  void getComplex(int64_t i, double &re, double &im) const;
  void setComplex(int64_t i, double re, double im);

  /// "tensor<2x3xf32>"-like description for messages.
  std::string describe() const;
};

/// Reads an .npy file. On failure returns false and sets `error` to a
/// one-line reason.
bool readNpy(const std::string &path, HostTensor &tensor, std::string &error);
/// The same from a seekable stream; `path` names it in errors.
bool readNpy(std::istream &in, const std::string &path, HostTensor &tensor,
             std::string &error);
/// Writes an .npy file. On failure returns false and sets `error`.
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

} // namespace seqc

namespace seqc {

/// An output compared elementwise with its reference values:
/// |y - r| <= rtol * (|r| + rms(r)), relative where values are large, with
/// a floor at the output's typical magnitude so that entries near zero are
/// not held to an impossible relative bound. rtol follows the output's
/// element type (f32 2e-4, f16 5e-3, bf16 3e-2). NaN/Inf never pass.
struct Comparison {
  double maxAbs = 0, maxRel = 0, rtol = 0;
  int64_t outOfTolerance = 0, nonFinite = 0;
  bool pass() const { return outOfTolerance == 0 && nonFinite == 0; }
};
Comparison compareToReference(const HostTensor &actual,
                              const std::vector<double> &expected);

} // namespace seqc

#endif // SEQC_SUPPORT_HOSTTENSOR_H
