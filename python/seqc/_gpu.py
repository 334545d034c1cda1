"""Call functions of a seqc GPU bundle on PyTorch tensors (seqc.load).

    import seqc
    bundle = seqc.load("build/bundles/lstm")        # the seqc compile -o DIR
    y, h, c = bundle.lstm(x, w, r, b, rb, h0, c0)   # CUDA tensors

Each call checks every input (a CUDA tensor, contiguous, 16-byte aligned,
of the manifest's dtype and shape) before anything is launched, allocates the outputs with
torch.empty (or fills `out=`), and queues the work on the current CUDA
stream of PyTorch. A failed launch raises RuntimeError with the runtime's
message (e.g. "no CUDA driver", a CUDA error name).
"""
import ctypes
import json
import os

__all__ = ["load", "Bundle", "BundleFunction"]

_DTYPES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16",
           "complex64": "complex64"}
_CODES = {1: "no CUDA driver", 2: "no CUDA device", 3: "CUDA driver error",
          4: "invalid argument"}


class BundleFunction:
    def __init__(self, library, entry):
        self.name = entry["name"]
        self.parameters = entry["parameters"]
        self.inputs = [p for p in self.parameters if p["direction"] == "in"]
        self.outputs = [p for p in self.parameters if p["direction"] == "out"]
        self._packed = getattr(library, entry["packed_symbol"])
        self._packed.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
        self._packed.restype = ctypes.c_int
        self._last_error = library.seqc_last_error
        self._last_error.restype = ctypes.c_char_p

    def _check(self, tensor, parameter, torch):
        where = "%s: %s '%s'" % (self.name, parameter["direction"] + "put", parameter["name"])
        if not isinstance(tensor, torch.Tensor):
            raise TypeError("%s: expected a torch.Tensor, got %s" % (where, type(tensor).__name__))
        if not tensor.is_cuda:
            raise ValueError("%s: expected a CUDA tensor, got one on %s" % (where, tensor.device))
        dtype = getattr(torch, _DTYPES[parameter["dtype"]])
        if tensor.dtype != dtype:
            raise TypeError("%s: expected %s, got %s" % (where, dtype, tensor.dtype))
        if list(tensor.shape) != list(parameter["shape"]):
            raise ValueError("%s: expected shape %s, got %s"
                             % (where, list(parameter["shape"]), list(tensor.shape)))
        if not tensor.is_contiguous():
            raise ValueError("%s: expected a contiguous tensor" % where)
        # Kernels move 4 channels per 16-byte access (cudaMalloc and
        # PyTorch's allocator give 256-byte alignment; views may not).
        if tensor.data_ptr() % 16:
            raise ValueError("%s: expected a 16-byte aligned tensor (a view at an offset? "
                             "pass .clone())" % where)

    def __call__(self, *inputs, out=None):
        import torch
        if len(inputs) != len(self.inputs):
            raise TypeError("%s takes %d inputs (%s), got %d" % (
                self.name, len(self.inputs), ", ".join(p["name"] for p in self.inputs),
                len(inputs)))
        for tensor, parameter in zip(inputs, self.inputs):
            self._check(tensor, parameter, torch)
        device = inputs[0].device if inputs else torch.device("cuda")
        if out is None:
            out = tuple(torch.empty(p["shape"], dtype=getattr(torch, _DTYPES[p["dtype"]]),
                                    device=device) for p in self.outputs)
        else:
            out = tuple(out)
            if len(out) != len(self.outputs):
                raise TypeError("%s: out= needs %d tensors" % (self.name, len(self.outputs)))
            for tensor, parameter in zip(out, self.outputs):
                self._check(tensor, parameter, torch)
        pointers = (ctypes.c_void_p * len(self.parameters))(
            *[t.data_ptr() for t in tuple(inputs) + out])
        stream = torch.cuda.current_stream(device).cuda_stream
        status = self._packed(ctypes.c_void_p(stream), pointers)
        if status != 0:
            message = self._last_error().decode(errors="replace")
            raise RuntimeError("seqc: %s: %s: %s" % (self.name, _CODES.get(status, status), message))
        return out[0] if len(out) == 1 else out


class Bundle:
    def __init__(self, directory):
        manifests = [f for f in os.listdir(directory) if f.endswith(".manifest.json")]
        if len(manifests) != 1:
            raise ValueError("%s: expected one *.manifest.json, found %d" % (directory, len(manifests)))
        with open(os.path.join(directory, manifests[0])) as f:
            self.manifest = json.load(f)
        if self.manifest.get("format") != "seqc-gpu-bundle-1":
            raise ValueError("%s: not a seqc GPU bundle manifest" % manifests[0])
        self.library = ctypes.CDLL(os.path.join(directory, self.manifest["library"]))
        self.functions = {e["name"]: BundleFunction(self.library, e)
                          for e in self.manifest["functions"]}

    def __getattr__(self, name):
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError("bundle has no function '%s' (has: %s)" % (name, ", ".join(functions)))


def load(directory):
    return Bundle(directory)
