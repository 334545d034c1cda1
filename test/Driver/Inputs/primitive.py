#!/usr/bin/env python3
"""Writes a function using one seq primitive, for `seqc run --check` over
sequence lengths and element types: primitive.py OP T DTYPE."""
import sys

op, steps, dtype = sys.argv[1], int(sys.argv[2]), sys.argv[3]
T = steps


def t(shape, el=None):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + (el or dtype) + ">"


def func(args, results, body):
    sig = ", ".join("%%%s: %s" % (n, ty) for n, ty in args)
    print("func.func @%s_t%d_%s(%s) -> (%s) {" % (op, T, dtype, sig, ", ".join(results)))
    print(body)
    print("}")


if op == "linear_scan":
    func([("a", t([2, T, 8])), ("b", t([2, T, 8])), ("h0", t([2, 8], "f32"))],
         [t([2, T, 8], "f32"), t([2, 8], "f32")], """
  %%h, %%last = seq.linear_scan %%a, %%b init %%h0
      : (%s, %s, %s) -> (%s, %s)
  return %%h, %%last : %s, %s""" % (t([2, T, 8]), t([2, T, 8]), t([2, 8], "f32"),
                                   t([2, T, 8], "f32"), t([2, 8], "f32"),
                                   t([2, T, 8], "f32"), t([2, 8], "f32")))
elif op == "scan":
    # A running maximum (exact in any precision) and, in f32, a running
    # sum scanned in reverse from an initial value.
    if dtype == "f32":
        func([("x", t([2, T, 4])), ("y", t([2, T, 4])), ("x0", t([2, 4])), ("y0", t([2, 4]))],
             [t([2, T, 4]), t([2, T, 4]), t([2, 4]), t([2, 4])], """
  %%o:2, %%f:2 = seq.scan ins(%%x, %%y : %s, %s) init(%%x0, %%y0 : %s, %s) reverse
      -> (%s, %s) final (%s, %s) {
  ^bb0(%%lx: f32, %%ly: f32, %%rx: f32, %%ry: f32):
    %%m = arith.maximumf %%lx, %%rx : f32
    %%s = arith.addf %%ly, %%ry : f32
    seq.yield %%m, %%s : f32, f32
  }
  return %%o#0, %%o#1, %%f#0, %%f#1 : %s, %s, %s, %s""" % ((t([2, T, 4]),) * 2 + (t([2, 4]),) * 2 +
                                                      (t([2, T, 4]),) * 2 + (t([2, 4]),) * 2 +
                                                      (t([2, T, 4]),) * 2 + (t([2, 4]),) * 2))
    else:
        func([("x", t([2, T, 4]))], [t([2, T, 4]), t([2, 4])], """
  %%o, %%f = seq.scan ins(%%x : %s) -> (%s) final (%s) {
  ^bb0(%%l: %s, %%r: %s):
    %%m = arith.maximumf %%l, %%r : %s
    seq.yield %%m : %s
  }
  return %%o, %%f : %s, %s""" % (t([2, T, 4]), t([2, T, 4]), t([2, 4]), dtype, dtype, dtype, dtype,
                                t([2, T, 4]), t([2, 4])))
elif op == "scan_exclusive":
    func([("x", t([2, T, 4], "f32")), ("x0", t([2, 4], "f32"))],
         [t([2, T, 4], "f32"), t([2, 4], "f32")], """
  %%o, %%f = seq.scan ins(%%x : %s) init(%%x0 : %s) exclusive -> (%s) final (%s) {
  ^bb0(%%l: f32, %%r: f32):
    %%s = arith.addf %%l, %%r : f32
    seq.yield %%s : f32
  }
  return %%o, %%f : %s, %s""" % (t([2, T, 4], "f32"), t([2, 4], "f32"), t([2, T, 4], "f32"),
                                t([2, 4], "f32"), t([2, T, 4], "f32"), t([2, 4], "f32")))
elif op == "recurrence":
    # An Elman cell h = tanh(x + h W) with the state kept in f32. W is the
    # input scaled by 1/sqrt(16) (PyTorch's RNN init bound): with the raw
    # U(-1, 1) input the cell is chaotic, and any other order of the h W
    # sum (the fused step's split k) drifts from the loops' by 2e-5 after
    # 37 steps, where the scaled cell stays within an f32 rounding.
    x = t([2, T, 16])
    ext = "" if dtype == "f32" else \
        "\n    %%xf = arith.extf %%xt : %s to tensor<2x16xf32>" % t([2, 16])
    xs = "%xt" if dtype == "f32" else "%xf"
    func([("x", x), ("w", "tensor<16x16xf32>")],
         ["tensor<2x%dx16xf32>" % T, "tensor<2x16xf32>"], """
  %%quarter = arith.constant dense<0.25> : tensor<16x16xf32>
  %%ws = arith.mulf %%w, %%quarter : tensor<16x16xf32>
  %%hs, %%h = seq.recurrence ins(%%x : %s) weights(%%ws : tensor<16x16xf32>)
      -> (tensor<2x%dx16xf32>) final (tensor<2x16xf32>) {
  ^bb0(%%xt: %s, %%s: tensor<2x16xf32>, %%wt: tensor<16x16xf32>):%s
    %%zero = arith.constant dense<0.0> : tensor<2x16xf32>
    %%hw = linalg.matmul ins(%%s, %%wt : tensor<2x16xf32>, tensor<16x16xf32>) outs(%%zero : tensor<2x16xf32>) -> tensor<2x16xf32>
    %%pre = arith.addf %s, %%hw : tensor<2x16xf32>
    %%n = math.tanh %%pre : tensor<2x16xf32>
    seq.yield %%n, %%n : tensor<2x16xf32>, tensor<2x16xf32>
  }
  return %%hs, %%h : tensor<2x%dx16xf32>, tensor<2x16xf32>""" % (x, T, t([2, 16]), ext, xs, T))
elif op == "linear_attention":
    s = t([1, T, 2, 8])
    func([("q", s), ("k", s), ("v", s), ("g", t([1, T, 2, 8], "f32")), ("s0", "tensor<1x2x8x8xf32>")],
         [t([1, T, 2, 8], "f32"), "tensor<1x2x8x8xf32>"], """
  %%o, %%s = seq.linear_attention %%q, %%k, %%v gate <vector> %%g init %%s0
      : (%s, %s, %s, %s, tensor<1x2x8x8xf32>) -> (%s, tensor<1x2x8x8xf32>)
  return %%o, %%s : %s, tensor<1x2x8x8xf32>""" % (s, s, s, t([1, T, 2, 8], "f32"),
                                                 t([1, T, 2, 8], "f32"), t([1, T, 2, 8], "f32")))
elif op == "delta_rule":
    s = t([1, T, 2, 8])
    h = t([1, T, 2])
    func([("q", s), ("k", s), ("v", s), ("beta", h), ("g", h), ("s0", "tensor<1x2x8x8xf32>")],
         [t([1, T, 2, 8], "f32"), "tensor<1x2x8x8xf32>"], """
  %%o, %%s = seq.delta_rule %%q, %%k, %%v, %%beta gate %%g init %%s0 allow_negative_eigenvalues
      : (%s, %s, %s, %s, %s, tensor<1x2x8x8xf32>) -> (%s, tensor<1x2x8x8xf32>)
  return %%o, %%s : %s, tensor<1x2x8x8xf32>""" % (s, s, s, h, h, t([1, T, 2, 8], "f32"),
                                                 t([1, T, 2, 8], "f32")))
elif op == "softmax_attention":
    s = t([1, T, 2, 8])
    c = t([1, 3, 2, 8])
    full = t([1, T + 3, 2, 8])
    func([("q", s), ("k", s), ("v", s), ("kc", c), ("vc", c)],
         [t([1, T, 2, 8], "f32"), full, full], """
  %%o, %%k2, %%v2 = seq.softmax_attention %%q, %%k, %%v init(%%kc, %%vc)
      : (%s, %s, %s, %s, %s) -> (%s, %s, %s)
  return %%o, %%k2, %%v2 : %s, %s, %s""" % (s, s, s, c, c, t([1, T, 2, 8], "f32"), full, full,
                                           t([1, T, 2, 8], "f32"), full, full))
elif op == "aaren":
    s = t([1, T, 2, 8])
    func([("q", t([1, 2, 8])), ("k", s), ("v", s), ("m0", "tensor<1x2xf32>"), ("u0", "tensor<1x2xf32>"),
          ("w0", "tensor<1x2x8xf32>")],
         [t([1, T, 2, 8], "f32"), "tensor<1x2xf32>", "tensor<1x2xf32>", "tensor<1x2x8xf32>"], """
  %%o, %%m, %%u, %%w = seq.softmax_attention %%q, %%k, %%v init(%%m0, %%u0, %%w0)
      : (%s, %s, %s, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x8xf32>)
      -> (%s, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x8xf32>)
  return %%o, %%m, %%u, %%w : %s, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x8xf32>""" % (
        t([1, 2, 8]), s, s, t([1, T, 2, 8], "f32"), t([1, T, 2, 8], "f32")))
else:
    sys.exit("unknown op " + op)
