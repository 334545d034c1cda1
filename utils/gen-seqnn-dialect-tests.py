# Generates test/Dialect/SeqNN/ops.mlir (`ops`) and invalid.mlir (`invalid`):
# one valid base case per layer, one perturbation per verifier error.
# Usage: python3 utils/gen-seqnn-dialect-tests.py ops > test/Dialect/SeqNN/ops.mlir
import copy, sys

def t(shape, el="f32"):
    return "tensor<" + "x".join(str(d) for d in shape) + ("x" if shape else "") + el + ">"

C = "complex<f32>"
B, T, M = 2, 16, 32

# Each layer: name, operands (list of (name, type, keyword or None, group)),
# results (list of (name, type)), attrs text, suffix keywords text.
def classic(name, G, states, heads=1, extra="", rb=True, init=True):
    D = 64
    ops = [("x", t([B, T, M]), None), ("w", t([M, G * D]), None),
           ("r", t([heads, D // heads, G * D // heads]), None),
           ("bias", t([G * D]), "bias")]
    if rb:
        ops.append(("recurrent_bias", t([G * D]), "recurrent_bias"))
    if init:
        for s in states:
            ops.append(("init_" + s, t([B, D]), "init"))
    res = [("y", t([B, T, D]))] + [("f_" + s, t([B, D])) for s in states]
    attrs = {"heads": heads} if heads != 1 else {}
    return dict(name=name, operands=ops, results=res, attrs=attrs, extra=extra)

def attn(name, operands, results, attrs=None, extra=""):
    return dict(name=name, operands=operands, results=results, attrs=attrs or {}, extra=extra)

H, DK, DV = 4, 8, 8
base = {
 "elman": classic("elman", 1, ["h"], heads=2, extra="activation <relu>"),
 "lstm": classic("lstm", 4, ["h", "c"], heads=4, rb=False),
 "gru": classic("gru", 3, ["h"]),
 "slstm": classic("slstm", 4, ["h", "c", "n", "m"], heads=4),
 "lru": attn("lru", [("x", t([B, T, M]), None), ("nu_log", t([16]), None), ("theta_log", t([16]), None),
                     ("gamma_log", t([16]), None), ("b_re", t([M, 16]), None), ("b_im", t([M, 16]), None),
                     ("c_re", t([16, M]), None), ("c_im", t([16, M]), None), ("d", t([M]), None),
                     ("init_re", t([B, 16]), "init"), ("init_im", t([B, 16]), "init")],
             [("y", t([B, T, M])), ("f_re", t([B, 16])), ("f_im", t([B, 16]))]),
 "s4d": attn("s4d", [("x", t([B, T, M]), None), ("log_dt", t([M]), None)] +
             [(n, t([M, 8]), None) for n in ["a_real_log", "a_imag", "b_re", "b_im", "c_re", "c_im"]] +
             [("d", t([M]), None), ("init_re", t([B, M, 8]), "init"), ("init_im", t([B, M, 8]), "init")],
             [("y", t([B, T, M])), ("f_re", t([B, M, 8])), ("f_im", t([B, M, 8]))], extra="discretization <bilinear>"),
 "mamba": attn("mamba", [("u", t([B, T, M]), None), ("a_log", t([M, 16]), None), ("x_proj", t([M, 36]), None),
                         ("dt_proj", t([4, M]), None), ("dt_bias", t([M]), None), ("d", t([M]), None),
                         ("init", t([B, M, 16]), "init")],
               [("y", t([B, T, M])), ("f", t([B, M, 16]))]),
 "rglru": attn("rglru", [("x", t([B, T, M]), None), ("w_a", t([M, M]), None), ("b_a", t([M]), None),
                         ("w_x", t([M, M]), None), ("b_x", t([M]), None), ("lambda", t([M]), None),
                         ("init", t([B, M]), "init")],
               [("y", t([B, T, M])), ("f", t([B, M]))], {"c": "4.0"}),
 "retnet": attn("retnet", [("x", t([B, T, M]), None), ("w_q", t([M, H * DK]), None), ("w_k", t([M, H * DK]), None),
                           ("w_v", t([M, H * DV]), None), ("w_o", t([H * DV, M]), None),
                           ("init", t([B, H, DK, DV]), "init")],
                [("y", t([B, T, M])), ("f", t([B, H, DK, DV]))],
                {"heads": H, "decay": "[0.96875, 0.984375, 0.9921875, 0.99609375]"}),
 "gla": attn("gla", [("x", t([B, T, M]), None), ("w_q", t([M, 32]), None), ("w_k", t([M, 32]), None),
                     ("w_v", t([M, 32]), None), ("w_gate_down", t([M, 8]), None), ("w_gate_up", t([8, 32]), None),
                     ("gate_bias", t([32]), None), ("w_o", t([32, M]), None), ("init", t([B, 2, 16, 16]), "init")],
             [("y", t([B, T, M])), ("f", t([B, 2, 16, 16]))], {"heads": 2, "gate_normalizer": "8.0"}),
 "mamba2": attn("mamba2", [("x", t([B, T, M]), None), ("w_b", t([M, 16]), None), ("w_c", t([M, 16]), None),
                           ("w_x", t([M, 32]), None), ("w_dt", t([M, 4]), None), ("dt_bias", t([4]), None),
                           ("a_log", t([4]), None), ("d", t([4]), None), ("w_o", t([32, M]), None),
                           ("init", t([B, 4, 16, 8]), "init")],
                [("y", t([B, T, M])), ("f", t([B, 4, 16, 8]))], {"heads": 4}),
 "deltanet": attn("deltanet", [("x", t([B, T, M]), None), ("w_q", t([M, 32]), None), ("w_k", t([M, 32]), None),
                               ("w_v", t([M, 32]), None), ("w_beta", t([M, 4]), None), ("w_o", t([32, M]), None),
                               ("init", t([B, 4, 8, 8]), "init")],
                  [("y", t([B, T, M])), ("f", t([B, 4, 8, 8]))], {"heads": 4}, extra="allow_negative_eigenvalues"),
 "gated_deltanet": attn("gated_deltanet", [("x", t([B, T, M]), None), ("w_q", t([M, 32]), None),
                        ("w_k", t([M, 32]), None), ("w_v", t([M, 32]), None), ("w_beta", t([M, 4]), None),
                        ("w_a", t([M, 4]), None), ("a_log", t([4]), None), ("dt_bias", t([4]), None),
                        ("w_o", t([32, M]), None), ("init", t([B, 4, 8, 8]), "init")],
                        [("y", t([B, T, M])), ("f", t([B, 4, 8, 8]))], {"heads": 4}),
 "aaren": attn("aaren", [("x", t([B, T, M]), None), ("query", t([4, 8]), None), ("w_k", t([M, 32]), None),
                         ("w_v", t([M, 32]), None), ("w_o", t([32, M]), None), ("init_m", t([B, 4]), "init"),
                         ("init_u", t([B, 4]), "init"), ("init_w", t([B, 4, 8]), "init")],
               [("y", t([B, T, M])), ("f_m", t([B, 4])), ("f_u", t([B, 4])), ("f_w", t([B, 4, 8]))], {"heads": 4}),
 "attention": attn("attention", [("x", t([B, T, M]), None), ("w_q", t([M, 32]), None), ("w_k", t([M, 32]), None),
                                 ("w_v", t([M, 32]), None), ("w_o", t([32, M]), None),
                                 ("init_k", t([B, 5, 4, 8]), "init"), ("init_v", t([B, 5, 4, 8]), "init")],
                   [("y", t([B, T, M])), ("f_k", t([B, 21, 4, 8])), ("f_v", t([B, 21, 4, 8]))], {"heads": 4}),
}

def render(op, fn):
    args = ", ".join("%%%s: %s" % (n, ty) for n, ty, _ in op["operands"])
    text = ""
    plain = [n for n, _, k in op["operands"] if k is None]
    s = "seqnn.%s " % op["name"] + ", ".join("%" + n for n in plain)
    inits = [n for n, _, k in op["operands"] if k == "init"]
    for n, _, k in op["operands"]:
        if k not in (None, "init"):
            s += " %s %%%s" % (k, n)
    if inits:
        if op["name"] in ("mamba", "rglru", "retnet", "gla", "mamba2", "deltanet", "gated_deltanet"):
            s += " init %" + inits[0]
        else:
            s += " init(" + ", ".join("%" + n for n in inits) + ")"
    if op["extra"]:
        s += " " + op["extra"]
    if op["attrs"]:
        s += " {" + ", ".join("%s = %s" % (k, v) for k, v in sorted(op["attrs"].items())) + "}"
    ins = ", ".join(ty for _, ty, _ in op["operands"])
    outs = ", ".join(ty for _, ty in op["results"])
    s += "\n      : (%s)\n      -> (%s)" % (ins, outs)
    lhs = ", ".join("%" + n for n, _ in op["results"])
    body = "  %s = %s\n  return\n" % (lhs, s)
    return "func.func @%s(%s) {\n%s}\n" % (fn, args, body), s

def with_type(op, name, ty):
    op = copy.deepcopy(op)
    op["operands"] = [(n, ty if n == name else tt, k) for n, tt, k in op["operands"]]
    op["results"] = [(n, ty if n == name else tt) for n, tt in op["results"]]
    return op

def without(op, name):
    op = copy.deepcopy(op)
    op["operands"] = [o for o in op["operands"] if o[0] != name]
    op["results"] = [o for o in op["results"] if o[0] != name]
    return op

def with_attr(op, k, v):
    op = copy.deepcopy(op)
    op["attrs"][k] = v
    return op

import re
def check_line(s):
    s = " ".join(s.split())
    s = re.sub(r"%\w+", "%{{.*}}", s)
    s = s.replace("0.96875, 0.984375, 0.9921875, 0.99609375", "9.687500e-01, 9.843750e-01, 0.9921875, 0.99609375")
    s = s.replace("gate_normalizer = 8.0", "gate_normalizer = 8.000000e+00 : f64")
    s = s.replace("c = 4.0", "c = 4.000000e+00 : f64")
    s = re.sub(r"(heads|groups) = (\d+)", r"\1 = \2 : i64", s)
    return s

mode = sys.argv[1]
if mode == "ops":
    print("// Round trip of every seqnn layer with every optional part, in the custom")
    print("// form and through the generic form.")
    print("// RUN: seq-opt %s | seq-opt | FileCheck %s")
    print("// RUN: seq-opt %s --mlir-print-op-generic | seq-opt | FileCheck %s\n")
    for name, op in base.items():
        text, s = render(op, name + "_full")
        print("// CHECK-LABEL: func.func @%s_full" % name)
        print("// CHECK: " + check_line(s))
        print(text)
    # Minimal forms: no optional operands.
    for name, op in base.items():
        m = copy.deepcopy(op)
        m["operands"] = [o for o in m["operands"] if o[2] is None]
        if name == "attention":
            pass
        m["extra"] = ""
        m["attrs"] = {k: v for k, v in m["attrs"].items() if k in ("heads",)}
        if name == "attention":
            m["results"] = [("y", t([B, T, M])), ("f_k", t([B, T, 4, 8])), ("f_v", t([B, T, 4, 8]))]
        text, s = render(m, name + "_minimal")
        print("// CHECK-LABEL: func.func @%s_minimal" % name)
        print("// CHECK: " + check_line(s))
        print(text)
    sys.exit()

# Invalid cases: (layer, function name, transform, expected message)
cases = []
def case(layer, fn, op, msg):
    cases.append((layer, fn, op, msg))

b = base
f16 = lambda shape: t(shape, "bf16")
# Classic RNNs.
case("lstm", "classic_w_columns", with_type(b["lstm"], "w", t([M, 250])),
     "operand 'w' must be [I, G*D] with G = 4 gates, got 250 columns, not a multiple of 4")
case("lstm", "classic_heads_divide_hidden", with_attr(b["lstm"], "heads", 3),
     "heads (3) must divide the hidden size D = 64")
case("gru", "classic_w_rows", with_type(b["gru"], "w", t([30, 192])),
     "operand 'w' must have shape [32, 192] ([I, G*D]), got [30, 192]")
case("slstm", "classic_r_block_diagonal", with_type(b["slstm"], "r", t([1, 64, 256])),
     "operand 'r' must have shape [4, 16, 64] ([heads, D/heads, G*D/heads]), got [1, 64, 256]")
case("elman", "classic_bias", with_type(b["elman"], "bias", t([32])),
     "operand 'bias' must have shape [64] ([G*D]), got [32]")
case("gru", "classic_recurrent_bias", with_type(b["gru"], "recurrent_bias", t([64])),
     "operand 'recurrent_bias' must have shape [192] ([G*D]), got [64]")
case("gru", "classic_y", with_type(b["gru"], "y", t([B, T, 32])),
     "result 'y' must have shape [2, 16, 64] ([B, T, D]), got [2, 16, 32]")
case("elman", "classic_weight_precision", with_type(b["elman"], "w", f16([M, 64])),
     "operand 'w' must have element type 'f32' (that of the input), got 'bf16'")
case("lstm", "classic_final_count", without(without(b["lstm"], "f_c"), "init_c"),
     "must return the final states (h, c), got 1 values")
case("slstm", "classic_final_shape", with_type(b["slstm"], "f_m", t([B, 32])),
     "final state 'm' must have shape [2, 64] ([B, D]), got [2, 32]")
case("lstm", "classic_state_precision", with_type(with_type(b["lstm"], "f_c", t([B, 64], "f16")), "init_c", t([B, 64], "f16")),
     "final state 'c' must have element type f32 or 'f32' (that of the input), got 'f16'")
case("lstm", "classic_init_count", without(b["lstm"], "init_c"),
     "'init' is absent or holds every state (h, c), got 1 values")
case("elman", "classic_init_type", with_type(b["elman"], "init_h", t([B, 64], "bf16")),
     "init #0 must have the type of final state #0, 'tensor<2x64xf32>', got 'tensor<2x64xbf16>'")
case("gru", "classic_heads_positive", with_attr(b["gru"], "heads", 0),
     "attribute 'heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive")
# LRU.
case("lru", "lru_theta", with_type(b["lru"], "theta_log", t([8])), "operand 'theta_log' must have shape [16] ([N]), got [8]")
case("lru", "lru_gamma", with_type(b["lru"], "gamma_log", t([8])), "operand 'gamma_log' must have shape [16] ([N]), got [8]")
case("lru", "lru_b_re", with_type(b["lru"], "b_re", t([16, M])), "operand 'b_re' must have shape [32, 16] ([D, N]), got [16, 32]")
case("lru", "lru_b_im", with_type(b["lru"], "b_im", t([M, 8])), "operand 'b_im' must have shape [32, 16] ([D, N]), got [32, 8]")
case("lru", "lru_c_re", with_type(b["lru"], "c_re", t([M, 16])), "operand 'c_re' must have shape [16, 32] ([N, D]), got [32, 16]")
case("lru", "lru_c_im", with_type(b["lru"], "c_im", t([16, 8])), "operand 'c_im' must have shape [16, 32] ([N, D]), got [16, 8]")
case("lru", "lru_d", with_type(b["lru"], "d", t([16])), "operand 'd' must have shape [32] ([D]), got [16]")
case("lru", "lru_y", with_type(b["lru"], "y", t([B, T, 16])), "result 'y' must have shape [2, 16, 32] ([B, T, D]), got [2, 16, 16]")
case("lru", "lru_final", with_type(with_type(b["lru"], "f_re", t([B, 8])), "init_re", t([B, 8])),
     "result 'final_re' must have shape [2, 16] ([B, N]), got [2, 8]")
case("lru", "lru_final_im", with_type(with_type(b["lru"], "f_im", t([B, 8])), "init_im", t([B, 8])),
     "result 'final_im' must have shape [2, 16] ([B, N]), got [2, 8]")
case("lru", "lru_init_type", with_type(b["lru"], "init_im", t([B, 16], "bf16")),
     "'init' parts must have the type of the final state parts, 'tensor<2x16xf32>', got 'tensor<2x16xf32>' and 'tensor<2x16xbf16>'")
case("lru", "lru_state_parts_differ", with_type(with_type(b["lru"], "f_im", t([B, 16], "bf16")), "init_im", t([B, 16], "bf16")),
     "results 'final_re' and 'final_im' must have one type, got 'tensor<2x16xf32>' and 'tensor<2x16xbf16>'")
case("lru", "lru_state_precision", with_type(with_type(with_type(with_type(b["lru"], "f_re", t([B, 16], "f16")), "f_im", t([B, 16], "f16")), "init_re", t([B, 16], "f16")), "init_im", t([B, 16], "f16")),
     "result 'final_re' must have element type f32 or 'f32' (that of the input), got 'f16'")
case("lru", "lru_weight_precision", with_type(b["lru"], "nu_log", t([16], "f16")),
     "operand 'nu_log' must have element type 'f32' (that of the input), got 'f16'")
# S4D.
case("s4d", "s4d_log_dt", with_type(b["s4d"], "log_dt", t([8])), "operand 'log_dt' must have shape [32] ([D]), got [8]")
case("s4d", "s4d_modes", with_type(b["s4d"], "a_imag", t([M, 4])), "operand 'a_imag' must have shape [32, 8] ([D, N]), got [32, 4]")
case("s4d", "s4d_c_im", with_type(b["s4d"], "c_im", t([8, M])), "operand 'c_im' must have shape [32, 8] ([D, N]), got [8, 32]")
case("s4d", "s4d_d", with_type(b["s4d"], "d", t([8])), "operand 'd' must have shape [32] ([D]), got [8]")
case("s4d", "s4d_final", with_type(with_type(b["s4d"], "f_re", t([B, 8])), "init_re", t([B, 8])),
     "result 'final_re' must have shape [2, 32, 8] ([B, D, N]), got [2, 8]")
case("s4d", "s4d_final_im", with_type(with_type(b["s4d"], "f_im", t([B, 32, 4])), "init_im", t([B, 32, 4])),
     "result 'final_im' must have shape [2, 32, 8] ([B, D, N]), got [2, 32, 4]")
case("s4d", "s4d_y", with_type(b["s4d"], "y", t([B, 8, M])), "result 'y' must have shape [2, 16, 32] ([B, T, D]), got [2, 8, 32]")
# Mamba.
case("mamba", "mamba_a_log", with_type(b["mamba"], "a_log", t([16, 16])), "operand 'a_log' must have shape [32, 16] ([D, N]), got [16, 16]")
case("mamba", "mamba_x_proj", with_type(b["mamba"], "x_proj", t([M, 40])),
     "operand 'x_proj' must have shape [32, 36] ([D, R + 2N]: dt rank R (rows of 'dt_proj'), then B and C), got [32, 40]")
case("mamba", "mamba_dt_proj", with_type(b["mamba"], "dt_proj", t([4, 16])), "operand 'dt_proj' must have shape [4, 32] ([R, D]), got [4, 16]")
case("mamba", "mamba_dt_bias", with_type(b["mamba"], "dt_bias", t([4])), "operand 'dt_bias' must have shape [32] ([D]), got [4]")
case("mamba", "mamba_d", with_type(b["mamba"], "d", t([4])), "operand 'd' must have shape [32] ([D]), got [4]")
case("mamba", "mamba_final", with_type(with_type(b["mamba"], "f", t([B, 16, M])), "init", t([B, 16, M])),
     "result 'final_state' must have shape [2, 32, 16] ([B, D, N]), got [2, 16, 32]")
case("mamba", "mamba_state_precision", with_type(with_type(b["mamba"], "f", t([B, M, 16], "f16")), "init", t([B, M, 16], "f16")),
     "result 'final_state' must have element type f32 or 'f32' (that of the input), got 'f16'")
case("mamba", "mamba_y", with_type(b["mamba"], "y", t([1, T, M])), "result 'y' must have shape [2, 16, 32] ([B, T, D]), got [1, 16, 32]")
# RG-LRU.
case("rglru", "rglru_w_a", with_type(b["rglru"], "w_a", t([M, 16])),
     "operand 'w_a' must have shape [32, 32] ([D, D]), got [32, 16]")
case("rglru", "rglru_b_x", with_type(b["rglru"], "b_x", t([16])),
     "operand 'b_x' must have shape [32] ([D]), got [16]")
case("rglru", "rglru_lambda", with_type(b["rglru"], "lambda", t([M], "bf16")),
     "operand 'lambda' must have element type 'f32' (that of the input), got 'bf16'")
case("rglru", "rglru_final", with_type(with_type(b["rglru"], "f", t([B, 16])), "init", t([B, 16])),
     "result 'final_state' must have shape [2, 32] ([B, D]), got [2, 16]")
case("rglru", "rglru_init", with_type(b["rglru"], "init", t([B, M], "bf16")),
     "init #0 must have the type of final state #0, 'tensor<2x32xf32>', got 'tensor<2x32xbf16>'")
case("rglru", "rglru_c_positive", with_attr(b["rglru"], "c", "0.0"),
     "attribute 'c' failed to satisfy constraint: 64-bit float attribute whose value is positive")
# Attention family: projections.
case("retnet", "attention_heads_divide_keys", with_type(b["retnet"], "w_k", t([M, 30])),
     "heads (4) must divide the columns of 'w_k' (heads*dk = 30)")
case("retnet", "attention_heads_divide_values", with_type(b["retnet"], "w_v", t([M, 30])),
     "heads (4) must divide the columns of 'w_v' (heads*dv = 30)")
case("retnet", "attention_w_k_rows", with_type(b["retnet"], "w_k", t([16, 32])),
     "operand 'w_k' must have shape [32, 32] ([M, heads*dk]), got [16, 32]")
case("deltanet", "attention_w_v_rows", with_type(b["deltanet"], "w_v", t([16, 32])),
     "operand 'w_v' must have shape [32, 32] ([M, heads*dv]), got [16, 32]")
case("gla", "attention_w_o", with_type(b["gla"], "w_o", t([M, 16])),
     "operand 'w_o' must have shape [32, 32] ([heads*dv, M]), got [32, 16]")
case("attention", "attention_y", with_type(b["attention"], "y", t([B, T, 16])),
     "result 'y' must have shape [2, 16, 32] ([B, T, M]), got [2, 16, 16]")
case("retnet", "retnet_w_q", with_type(b["retnet"], "w_q", t([M, 16])),
     "operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 16]")
case("retnet", "retnet_weight_precision", with_type(b["retnet"], "w_o", f16([32, M])),
     "operand 'w_o' must have element type 'f32' (that of the input), got 'bf16'")
case("retnet", "retnet_decay_count", with_attr(b["retnet"], "decay", "[0.9, 0.9]"),
     "'decay' must list one value per head (4), got 2")
case("retnet", "retnet_decay_range", with_attr(b["retnet"], "decay", "[0.9, 0.9, 1.5, 0.9]"),
     "'decay' #2 must lie in (0, 1], got 1.5")
case("retnet", "matrix_state_shape", with_type(with_type(b["retnet"], "f", t([B, H, DK, 4])), "init", t([B, H, DK, 4])),
     "result 'final_state' must have shape [2, 4, 8, 8] ([B, H, dk, dv]), got [2, 4, 8, 4]")
case("retnet", "matrix_state_precision", with_type(with_type(b["retnet"], "f", t([B, H, DK, DV], "f16")), "init", t([B, H, DK, DV], "f16")),
     "result 'final_state' must have element type f32 or 'f32' (that of the input), got 'f16'")
case("retnet", "matrix_init_type", with_type(b["retnet"], "init", t([B, H, DK, DV], "bf16")),
     "operand 'init' must have the type of the final state, 'tensor<2x4x8x8xf32>', got 'tensor<2x4x8x8xbf16>'")
# GLA.
case("gla", "gla_w_q", with_type(b["gla"], "w_q", t([M, 16])), "operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 16]")
case("gla", "gla_gate_down", with_type(b["gla"], "w_gate_down", t([16, 8])), "operand 'w_gate_down' must have shape [32, 8] ([M, rank]), got [16, 8]")
case("gla", "gla_gate_up", with_type(b["gla"], "w_gate_up", t([4, 32])),
     "operand 'w_gate_up' must have shape [8, 32] ([rank, heads*dk]: rank of 'w_gate_down'), got [4, 32]")
case("gla", "gla_gate_bias", with_type(b["gla"], "gate_bias", t([16])), "operand 'gate_bias' must have shape [32] ([heads*dk]), got [16]")
case("gla", "gla_gate_normalizer", with_attr(b["gla"], "gate_normalizer", "0.0"),
     "attribute 'gate_normalizer' failed to satisfy constraint: 64-bit float attribute whose value is positive")
case("gla", "gla_weight_precision", with_type(b["gla"], "gate_bias", t([32], "f16")),
     "operand 'gate_bias' must have element type 'f32' (that of the input), got 'f16'")
# Mamba-2.
case("mamba2", "mamba2_groups_divide_heads", with_attr(b["mamba2"], "groups", 3), "groups (3) must divide heads (4)")
case("mamba2", "mamba2_groups_divide_w_b", with_type(with_attr(b["mamba2"], "groups", 2), "w_b", t([M, 15])),
     "groups (2) must divide the columns of 'w_b' (groups*N = 15)")
case("mamba2", "mamba2_w_b_rows", with_type(b["mamba2"], "w_b", t([8, 16])),
     "operand 'w_b' must have shape [32, 16] ([M, groups*N]), got [8, 16]")
case("mamba2", "mamba2_y", with_type(b["mamba2"], "y", t([B, T, 8])),
     "result 'y' must have shape [2, 16, 32] ([B, T, M]), got [2, 16, 8]")
case("mamba2", "mamba2_heads_divide_w_x", with_type(b["mamba2"], "w_x", t([M, 30])),
     "heads (4) must divide the columns of 'w_x' (heads*P = 30)")
case("mamba2", "mamba2_w_c", with_type(b["mamba2"], "w_c", t([M, 8])), "operand 'w_c' must have shape [32, 16] ([M, groups*N] like 'w_b'), got [32, 8]")
case("mamba2", "mamba2_w_dt", with_type(b["mamba2"], "w_dt", t([M, 2])), "operand 'w_dt' must have shape [32, 4] ([M, heads]), got [32, 2]")
case("mamba2", "mamba2_dt_bias", with_type(b["mamba2"], "dt_bias", t([2])), "operand 'dt_bias' must have shape [4] ([heads]), got [2]")
case("mamba2", "mamba2_a_log", with_type(b["mamba2"], "a_log", t([2])), "operand 'a_log' must have shape [4] ([heads]), got [2]")
case("mamba2", "mamba2_d", with_type(b["mamba2"], "d", t([8])), "operand 'd' must have shape [4] ([heads]), got [8]")
case("mamba2", "mamba2_w_o", with_type(b["mamba2"], "w_o", t([16, M])), "operand 'w_o' must have shape [32, 32] ([heads*P, M]), got [16, 32]")
case("mamba2", "mamba2_state", with_type(with_type(b["mamba2"], "f", t([B, 4, 8, 16])), "init", t([B, 4, 8, 16])),
     "result 'final_state' must have shape [2, 4, 16, 8] ([B, heads, N, P]), got [2, 4, 8, 16]")
case("mamba2", "mamba2_weight_precision", with_type(b["mamba2"], "a_log", t([4], "bf16")),
     "operand 'a_log' must have element type 'f32' (that of the input), got 'bf16'")
# DeltaNet and Gated DeltaNet.
case("deltanet", "deltanet_w_q", with_type(b["deltanet"], "w_q", t([M, 8])), "operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 8]")
case("deltanet", "deltanet_w_beta", with_type(b["deltanet"], "w_beta", t([M, 1])), "operand 'w_beta' must have shape [32, 4] ([M, heads]), got [32, 1]")
case("deltanet", "deltanet_weight_precision", with_type(b["deltanet"], "w_beta", t([M, 4], "f16")),
     "operand 'w_beta' must have element type 'f32' (that of the input), got 'f16'")
case("gated_deltanet", "gated_deltanet_w_a", with_type(b["gated_deltanet"], "w_a", t([M, 2])), "operand 'w_a' must have shape [32, 4] ([M, heads]), got [32, 2]")
case("gated_deltanet", "gated_deltanet_a_log", with_type(b["gated_deltanet"], "a_log", t([2])), "operand 'a_log' must have shape [4] ([heads]), got [2]")
case("gated_deltanet", "gated_deltanet_dt_bias", with_type(b["gated_deltanet"], "dt_bias", t([2])), "operand 'dt_bias' must have shape [4] ([heads]), got [2]")
case("gated_deltanet", "gated_deltanet_weight_precision", with_type(b["gated_deltanet"], "dt_bias", t([4], "bf16")),
     "operand 'dt_bias' must have element type 'f32' (that of the input), got 'bf16'")
# Aaren.
case("aaren", "aaren_query", with_type(b["aaren"], "query", t([4, 16])),
     "operand 'query' must have shape [4, 8] ([heads, dk]: one learned query per head), got [4, 16]")
case("aaren", "aaren_query_precision", with_type(b["aaren"], "query", t([4, 8], "bf16")),
     "operand 'query' must have element type 'f32' (that of the input), got 'bf16'")
case("aaren", "aaren_final_count", without(without(b["aaren"], "f_w"), "init_w"),
     "must return the final states (m [B, H], u [B, H], w [B, H, dv]), got 2 values")
case("aaren", "aaren_state_shape", with_type(with_type(b["aaren"], "f_w", t([B, 4])), "init_w", t([B, 4])),
     "final state 'w' must have shape [2, 4, 8] (m [B, H], u [B, H], w [B, H, dv]), got [2, 4]")
case("aaren", "aaren_state_precision", with_type(with_type(b["aaren"], "f_m", t([B, 4], "f16")), "init_m", t([B, 4], "f16")),
     "final state 'm' must have element type f32 or 'f32' (that of the input), got 'f16'")
case("aaren", "aaren_init_count", without(b["aaren"], "init_w"),
     "'init' is absent or holds every state (m [B, H], u [B, H], w [B, H, dv]), got 2 values")
# Attention.
case("attention", "attention_w_q", with_type(b["attention"], "w_q", t([M, 16])), "operand 'w_q' must have shape [32, 32] ([M, heads*dk]), got [32, 16]")
case("attention", "attention_weight_precision", with_type(b["attention"], "w_q", t([M, 32], "bf16")),
     "operand 'w_q' must have element type 'f32' (that of the input), got 'bf16'")
case("attention", "attention_init_count", without(b["attention"], "init_v"),
     "'init' is absent or the key/value cache (keys [B, P, H, dk], values [B, P, H, dv]), got 1 values")
case("attention", "attention_final_count", without(b["attention"], "f_v"),
     "must return the extended key/value cache (keys [B, P + T, H, dk], values [B, P + T, H, dv]), got 1 values")
case("attention", "attention_init_keys", with_type(b["attention"], "init_k", t([B, 5, 2, 8])),
     "init keys must have shape [2, 5, 4, 8] (keys [B, P, H, dk], values [B, P, H, dv]), got [2, 5, 2, 8]")
case("attention", "attention_init_values", with_type(b["attention"], "init_v", t([B, 4, 4, 8])),
     "init values must have shape [2, 5, 4, 8] (keys [B, P, H, dk], values [B, P, H, dv]), got [2, 4, 4, 8]")
case("attention", "attention_final_keys", with_type(b["attention"], "f_k", t([B, 16, 4, 8])),
     "final keys must have shape [2, 21, 4, 8] (the cache extended by this call: keys [B, P + T, H, dk], values [B, P + T, H, dv]), got [2, 16, 4, 8]")
case("attention", "attention_final_values", with_type(b["attention"], "f_v", t([B, 21, 4, 4])),
     "final values must have shape [2, 21, 4, 8] (the cache extended by this call: keys [B, P + T, H, dk], values [B, P + T, H, dv]), got [2, 21, 4, 4]")
case("attention", "attention_cache_precision", with_type(b["attention"], "f_v", t([B, 21, 4, 8], "bf16")),
     "operand 'final values' must have element type 'f32' (that of the input), got 'bf16'")

print("// One case per verifier error of the seqnn dialect.")
print("// RUN: seq-opt %s -split-input-file -verify-diagnostics")
# Only the generic form can give one part of a complex initial state.
print("""
func.func @lru_init_one_part(%x: tensor<2x16x32xf32>, %v: tensor<16xf32>, %b: tensor<32x16xf32>, %c: tensor<16x32xf32>, %d: tensor<32xf32>, %h: tensor<2x16xf32>) {
  // expected-error @+1 {{'init' gives both parts of the complex state (re, im) or neither}}
  %y, %re, %im = "seqnn.lru"(%x, %v, %v, %v, %b, %b, %c, %c, %d, %h) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0>}
      : (tensor<2x16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32xf32>, tensor<2x16xf32>)
      -> (tensor<2x16x32xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----
""")
first = True
for layer, fn, op, msg in cases:
    if not first:
        print("// -----\n")
    first = False
    text, _ = render(op, fn)
    lines = text.split("\n")
    # expected-error goes right above the op line (line index 1).
    lines.insert(1, "  // expected-error @+1 {{%s}}" % msg)
    print("\n".join(lines))
