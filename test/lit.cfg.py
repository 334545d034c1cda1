# -*- Python -*-
# lit configuration of the seqc regression suite.
import ctypes
import os
import shutil

import lit.formats

config.name = "seqc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "check_examples.py"]
config.excludes += ["Inputs", "oracle.py", "torch_parity.py", "torch_gradients.py", "train_lstm.py", "forms_agree.py", "check_bundles.py", "nn_rnn.py", "compile_cache.py", "train_char_lm.py", "dynamic_primitives.py", "dynamic_layers.py", "nn_layers.py", "checks.py", "packed.py", "microkernels.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.seqc_obj_root, "test")

# Our tools first, then LLVM 22's (FileCheck, not, count). Unsuffixed tools
# elsewhere on PATH are LLVM 14 on Debian 12 and must not be picked up.
path = os.pathsep.join(
    [config.seqc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])]
)
config.environment["PATH"] = path

config.substitutions.append(("%seqc_src_root", config.seqc_src_root))
config.substitutions.append(("%examples", os.path.join(config.seqc_src_root, "examples")))
# The seqc Python package from the source tree, driving this build's seqc
# (before %python: a substitution is a prefix of the next one's name).
config.substitutions.append(("%seqc_python", "env PYTHONPATH=%s SEQC=%s %s" % (
    os.path.join(config.seqc_src_root, "python"),
    os.path.join(config.seqc_tools_dir, "seqc"), config.python_executable)))
config.substitutions.append(("%python", config.python_executable))

# GPU code generation is checked without a GPU: ptxas assembles and reports
# on every kernel. Tests of the no-driver paths are skipped where a CUDA
# driver is installed.
ptxas = "/usr/local/cuda/bin/ptxas"
if not os.access(ptxas, os.X_OK):
    ptxas = shutil.which("ptxas")
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
# The training test's corpus: base-files ships it on every Debian machine.
if os.path.exists("/usr/share/common-licenses/GPL-3"):
    config.available_features.add("gpl3-text")
try:
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass

# AVX-512 BF16 on the host: the CPU pipeline then builds bf16 pair
# microkernels (vdpbf16ps), which only such a host can run.
# FMA3 on the host: multiplies and adds contract into vfmadd.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = cpuinfo.read()
        if " avx512_bf16" in flags:
            config.available_features.add("host-avx512-bf16")
        if " fma " in flags:
            config.available_features.add("host-fma")
except OSError:
    pass

# The sanitizer build (scripts/sanitize.sh): ASan reserves terabytes of
# shadow address space, so tests that cap the address space cannot run.
if "address" in getattr(config, "seqc_sanitize", ""):
    config.available_features.add("asan")
