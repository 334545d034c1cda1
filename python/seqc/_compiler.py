"""seqc.compile: MLIR text to a callable over CPU tensors, through a cache.

A cache entry is a directory named by the SHA-256 of everything the
compiled code depends on: the MLIR text, the target, the options and the
seqc binary's own SHA-256 (a rebuilt compiler never reuses old code). It is
built in a temporary directory beside it and renamed into place, so a
reader sees a complete entry or none; when two processes build the same
entry, the second rename fails and that process uses the first one's. Each
entry records the SHA-256 of its files: an entry that does not match
(truncated, edited, half-deleted) is moved aside and rebuilt, never loaded.
"""
import ctypes
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading

_MANIFEST_FORMAT = "seqc-cpu-bundle-1"
_RECORD = "entry.json"
_lock = threading.Lock()
_loaded = {}       # entry directory -> CompiledModule, per process
_identities = {}   # seqc binary path -> (mtime_ns, size, sha256)
_compiles = [0]    # seqc compile invocations by this process

_DTYPES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16",
           "complex64": "complex64", "i64": "int64"}


class CompileError(RuntimeError):
    """seqc could not compile the model; the message is seqc's diagnostics."""


def compile_count():
    """How many times this process ran `seqc compile` (cache misses)."""
    return _compiles[0]


def cache_dir():
    path = os.environ.get("SEQC_CACHE_DIR")
    if not path:
        path = os.path.join(os.path.expanduser("~"), ".cache", "seqc")
    os.makedirs(path, exist_ok=True)
    return path


def seqc_binary():
    path = os.environ.get("SEQC")
    if path:
        if not os.access(path, os.X_OK):
            raise FileNotFoundError("SEQC=%s is not an executable" % path)
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "..", "build", "bin", "seqc")
    if os.access(built, os.X_OK):
        return os.path.normpath(built)
    found = shutil.which("seqc")
    if found:
        return found
    raise FileNotFoundError("no seqc binary: set SEQC, build the project "
                            "(./scripts/build.sh) or put seqc on PATH")


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _compiler_identity(binary):
    stat = os.stat(binary)
    known = _identities.get(binary)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = _sha256_file(binary)
    _identities[binary] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def _read_source(source):
    if "func.func" in source or "\n" in source:
        return source
    with open(source) as f:   # a path
        return f.read()


def compile(source, target="cpu", grad=False, options=()):
    """Compiles MLIR text (or a path to it) for the CPU and returns a
    CompiledModule whose attributes are its public functions."""
    if target != "cpu":
        raise ValueError("seqc.compile: target %r: only 'cpu' is compiled "
                         "from Python so far (GPU bundles: seqc compile "
                         "--target=sm_90 -o DIR, then seqc.load(DIR))" % target)
    text = _read_source(source)
    binary = seqc_binary()
    flags = ["--target=cpu"] + (["--grad"] if grad else []) + list(options)
    key = hashlib.sha256(json.dumps(
        {"mlir": text, "flags": flags, "seqc": _compiler_identity(binary)},
        sort_keys=True).encode()).hexdigest()
    entry = os.path.join(cache_dir(), key[:32])
    with _lock:
        module = _loaded.get(entry)
        if module is not None:
            return module
        module = _load_entry(entry)
        if module is None:
            _build_entry(entry, text, binary, flags)
            module = _load_entry(entry)
            if module is None:
                raise CompileError("seqc: the cache entry %s did not verify "
                                   "right after it was built" % entry)
        _loaded[entry] = module
        return module


def _build_entry(entry, text, binary, flags):
    parent = os.path.dirname(entry)
    work = tempfile.mkdtemp(prefix=os.path.basename(entry) + ".building.",
                            dir=parent)
    try:
        source = os.path.join(work, "model.mlir")
        with open(source, "w") as f:
            f.write(text)
        _compiles[0] += 1
        result = subprocess.run([binary, "compile", source, "-o", work] + flags,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise CompileError("seqc compile failed:\n" + result.stderr.strip())
        files = {name: _sha256_file(os.path.join(work, name))
                 for name in ("model.manifest.json", "libmodel.so")}
        with open(os.path.join(work, _RECORD + ".tmp"), "w") as f:
            json.dump({"files": files, "flags": flags}, f)
        os.replace(os.path.join(work, _RECORD + ".tmp"),
                   os.path.join(work, _RECORD))
        try:
            os.rename(work, entry)
            work = None
        except OSError:
            # Another process renamed its build into place first: use it.
            pass
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _load_entry(entry):
    """The entry's module, or None when it is missing or corrupt (a corrupt
    entry is moved aside and deleted, so that it is rebuilt)."""
    record = os.path.join(entry, _RECORD)
    if not os.path.isdir(entry):
        return None
    try:
        with open(record) as f:
            files = json.load(f)["files"]
        for name, digest in files.items():
            if _sha256_file(os.path.join(entry, name)) != digest:
                raise ValueError("%s changed" % name)
        with open(os.path.join(entry, "model.manifest.json")) as f:
            manifest = json.load(f)
        if manifest.get("format") != _MANIFEST_FORMAT:
            raise ValueError("not a %s manifest" % _MANIFEST_FORMAT)
        return CompiledModule(entry, manifest)
    except (OSError, ValueError, KeyError, TypeError):
        aside = tempfile.mkdtemp(prefix=os.path.basename(entry) + ".corrupt.",
                                 dir=os.path.dirname(entry))
        try:
            os.rename(entry, os.path.join(aside, "entry"))
        except OSError:
            pass   # another process moved it already
        shutil.rmtree(aside, ignore_errors=True)
        return None


class CompiledModule:
    """The public functions of one compiled module, as attributes."""

    def __init__(self, directory, manifest):
        self.directory = directory
        self.library = ctypes.CDLL(os.path.join(directory, manifest["library"]))
        self.functions = {e["name"]: CpuFunction(self.library, e)
                          for e in manifest["functions"]}

    def __getattr__(self, name):
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError("compiled module has no function '%s' (has: %s)"
                             % (name, ", ".join(functions)))

    def __call__(self, *inputs, **kwargs):
        if len(self.functions) != 1:
            raise TypeError("the module has %d functions; call one by name (%s)"
                            % (len(self.functions), ", ".join(self.functions)))
        return next(iter(self.functions.values()))(*inputs, **kwargs)


class CpuFunction:
    """One function of a CPU bundle: `int seqc_f([int64_t batch, ][int64_t
    time, ]const T *in0, ..., T *out0, ...)` over contiguous buffers."""

    def __init__(self, library, entry):
        self.name = entry["name"]
        self.dynamic_sizes = list(entry["dynamic_sizes"])
        parameters = entry["parameters"]
        self.inputs = [p for p in parameters if p["direction"] == "in"]
        self.outputs = [p for p in parameters if p["direction"] == "out"]
        self._function = getattr(library, entry["symbol"])
        self._function.argtypes = ([ctypes.c_int64] * len(self.dynamic_sizes) +
                                   [ctypes.c_void_p] * len(parameters))
        self._function.restype = ctypes.c_int

    def _bind(self, tensor, parameter, sizes, torch):
        where = "%s: input '%s'" % (self.name, parameter["name"])
        if not isinstance(tensor, torch.Tensor):
            raise TypeError("%s: expected a torch.Tensor, got %s"
                            % (where, type(tensor).__name__))
        if tensor.device.type != "cpu":
            raise ValueError("%s: expected a CPU tensor, got one on %s (CUDA "
                             "tensors go to a GPU bundle: seqc.load)"
                             % (where, tensor.device))
        dtype = getattr(torch, _DTYPES[parameter["dtype"]])
        if tensor.dtype != dtype:
            raise TypeError("%s: expected %s, got %s" % (where, dtype, tensor.dtype))
        shape = parameter["shape"]
        if tensor.dim() != len(shape):
            raise ValueError("%s: expected %d dimensions %s, got shape %s"
                             % (where, len(shape), self._shape_text(shape, parameter),
                                list(tensor.shape)))
        for d, (want, got) in enumerate(zip(shape, tensor.shape)):
            if want >= 0:
                if want != got:
                    raise ValueError("%s: expected shape %s, got %s" % (
                        where, self._shape_text(shape, parameter), list(tensor.shape)))
                continue
            name = self._size_name(parameter, d)
            if got < 1:
                raise ValueError("%s: %s size %d (must be at least 1)"
                                 % (where, name, got))
            if sizes.setdefault(name, got) != got:
                raise ValueError("%s: %s size %d, but an earlier input has %d"
                                 % (where, name, got, sizes[name]))
        if not tensor.is_contiguous():
            raise ValueError("%s: expected a contiguous tensor (call "
                             ".contiguous())" % where)

    @staticmethod
    def _size_name(parameter, dim):
        """The dynamic size a -1 of the manifest stands for: a packed batch's
        offsets (1-D i64), else the batch (dimension 0) or time (1)."""
        if parameter["dtype"] == "i64" and len(parameter["shape"]) == 1:
            return "offsets"
        return "batch" if dim == 0 else "time"

    def _shape_text(self, shape, parameter=None):
        return "[%s]" % ", ".join(
            str(s) if s >= 0 else
            (self._size_name(parameter, d) if parameter else ("batch", "time")[d])
            for d, s in enumerate(shape))

    def __call__(self, *inputs, out=None):
        import torch
        if len(inputs) != len(self.inputs):
            raise TypeError("%s takes %d inputs, got %d"
                            % (self.name, len(self.inputs), len(inputs)))
        sizes = {}
        for tensor, parameter in zip(inputs, self.inputs):
            self._bind(tensor, parameter, sizes, torch)
        if "offsets" in sizes and "batch" in self.dynamic_sizes:
            # A packed batch of N sequences: N + 1 offsets, N state rows.
            if sizes.setdefault("batch", sizes["offsets"] - 1) != sizes["offsets"] - 1:
                raise ValueError("%s: %d offsets describe %d sequences, but the "
                                 "states have %d rows" % (
                                     self.name, sizes["offsets"],
                                     sizes["offsets"] - 1, sizes["batch"]))
        missing = [n for n in self.dynamic_sizes if n not in sizes]
        if missing:
            raise ValueError("%s: no input gives the %s size"
                             % (self.name, " or ".join(missing)))

        def concrete(parameter):
            return [s if s >= 0 else sizes[self._size_name(parameter, d)]
                    for d, s in enumerate(parameter["shape"])]
        if out is None:
            out = tuple(torch.empty(concrete(p),
                                    dtype=getattr(torch, _DTYPES[p["dtype"]]))
                        for p in self.outputs)
        else:
            out = tuple(out)
            for tensor, parameter in zip(out, self.outputs):
                if (tensor.device.type != "cpu" or not tensor.is_contiguous() or
                        list(tensor.shape) != concrete(parameter)):
                    raise ValueError("%s: out '%s' must be a contiguous CPU "
                                     "tensor of shape %s" % (
                                         self.name, parameter["name"],
                                         concrete(parameter)))
        arguments = [sizes[n] for n in self.dynamic_sizes]
        arguments += [t.data_ptr() for t in tuple(inputs) + out]
        status = self._function(*arguments)
        if status == 1:
            raise MemoryError("%s: out of memory for its temporaries" % self.name)
        if status == 3:
            raise ValueError("%s: invalid packed offsets %s: they must start at 0, "
                             "increase strictly and end at the total length" % (
                                 self.name, inputs[[p["dtype"] for p in self.inputs]
                                                   .index("i64")].tolist()))
        if status != 0:
            raise ValueError("%s: sizes %s rejected by the compiled code "
                             "(status %d)" % (self.name, sizes, status))
        return out[0] if len(out) == 1 else out
