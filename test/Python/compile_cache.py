#!/usr/bin/env python3
"""seqc.compile's on-disk cache (SEQC_CACHE_DIR): a hit in another process
compiles nothing; a corrupt entry (truncated library, garbled record) is
rebuilt, not loaded; processes compiling the same model at once all get a
working function and leave one entry; a compile error is a CompileError
with seqc's diagnostic.

compile_cache.py CACHE_DIR   (runs the scenarios, spawning itself)
compile_cache.py --child     (compiles the model, prints compiles + result)
"""
import os
import subprocess
import sys

import torch

import seqc

MODEL = """
func.func @scaled_cumsum(%x: tensor<?x?x4xf32>, %a: tensor<?x?x4xf32>) -> (tensor<?x?x4xf32>, tensor<?x4xf32>) {
  %y, %h = seq.linear_scan %a, %x : (tensor<?x?x4xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4xf32>, tensor<?x4xf32>)
  return %y, %h : tensor<?x?x4xf32>, tensor<?x4xf32>
}
"""


def child():
    f = seqc.compile(MODEL)
    x = torch.ones(2, 5, 4)
    a = torch.full((2, 5, 4), 0.5)
    y, h = f(x, a)
    # h_t = 0.5 h_{t-1} + 1 from 0: h_5 = 2 - 2^-4.
    print("compiles %d value %.6f" % (seqc.compile_count(), h[0, 0].item()))


def run_child(cache):
    env = dict(os.environ, SEQC_CACHE_DIR=cache)
    return subprocess.run([sys.executable, __file__, "--child"], env=env,
                          capture_output=True, text=True)


def entries(cache):
    return sorted(os.listdir(cache))


def main(cache):
    os.makedirs(cache, exist_ok=True)
    first = run_child(cache)
    print("first process:", first.stdout.strip() or first.stderr)
    print("second process:", run_child(cache).stdout.strip())
    (entry,) = entries(cache)
    print("entries after two processes: 1")
    library = os.path.join(cache, entry, "libmodel.so")
    with open(library, "r+b") as f:
        f.truncate(1000)
    print("truncated library:", run_child(cache).stdout.strip())
    with open(os.path.join(cache, entry, "entry.json"), "w") as f:
        f.write("{not json")
    print("garbled record:", run_child(cache).stdout.strip())
    print("entries after rebuilds: %d %s" % (
        len(entries(cache)), "clean" if entries(cache) == [entry] else entries(cache)))

    fresh = cache + ".concurrent"
    env = dict(os.environ, SEQC_CACHE_DIR=fresh)
    processes = [subprocess.Popen([sys.executable, __file__, "--child"], env=env,
                                  stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = sorted(p.communicate()[0].strip() for p in processes)
    values = {o.split("value ")[-1] for o in outputs}
    print("concurrent processes: %d ok, values %s, entries %d" % (
        sum(p.returncode == 0 for p in processes), " ".join(sorted(values)),
        len(entries(fresh))))

    os.environ["SEQC_CACHE_DIR"] = cache
    try:
        seqc.compile("func.func @f(%x: tensor<2xf32>) -> tensor<3xf32> {\n"
                     "  return %x : tensor<2xf32>\n}\n")
        print("bad model: no error")
    except seqc.CompileError as e:
        print("bad model: CompileError:", str(e).splitlines()[1])


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child()
    else:
        main(sys.argv[1])
