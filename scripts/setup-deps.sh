#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test seqc.
# Quick when everything is present: dpkg is queried first, apt-get runs only
# for missing packages.
set -euo pipefail

PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools libomp-22-dev
  clang-22 lld-22 libclang-rt-22-dev ccache cmake ninja-build pkgconf g++
  libfmt-dev libz3-dev libsqlite3-dev libgtest-dev nlohmann-json3-dev
  python3 python3-numpy python3-torch
  # oneDNN, the CPU peer the benchmarks call (its CMake package needs the
  # OpenCL headers of its GPU runtime).
  libdnnl-dev ocl-icd-opencl-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "seqc setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
