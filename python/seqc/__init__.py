"""seqc from Python: compiled sequence layers as PyTorch modules.

    import seqc
    lstm = seqc.nn.LSTM(128, 256, num_layers=2, batch_first=True)  # like torch.nn.LSTM
    y, (h, c) = lstm(x)                       # any batch and length, one compile

    f = seqc.compile(open("model.mlir").read())   # any seqc function
    outputs = f(x, w, ...)                          # CPU tensors

    bundle = seqc.load("build/bundles/lstm")   # a GPU bundle of `seqc compile`
    y, h, c = bundle.lstm(x, w, r, b, rb, h0, c0)   # CUDA tensors

Compiled libraries live in an on-disk cache (SEQC_CACHE_DIR, default
~/.cache/seqc) keyed by the MLIR text, the target, the options and the
seqc binary; see seqc._compiler. The seqc binary is $SEQC, else the
build tree's build/bin/seqc next to this package, else `seqc` on PATH.
"""
from ._compiler import CompileError, cache_dir, compile, compile_count, seqc_binary
from ._gpu import Bundle, BundleFunction, load

__all__ = ["compile", "load", "nn", "CompileError", "cache_dir",
           "compile_count", "seqc_binary", "Bundle", "BundleFunction"]


def __getattr__(name):
    # seqc.nn imports torch; only when it is used.
    if name == "nn":
        import importlib
        return importlib.import_module(".nn", __name__)
    raise AttributeError("module 'seqc' has no attribute %r" % name)
