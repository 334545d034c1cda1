#!/usr/bin/env python3
"""seqc.nn's modules for the other families (GLA, RetNet, DeltaNet,
GatedDeltaNet, Mamba, Mamba2, Aaren, SLSTM, LRU, S4D, RGLRU): parameters
named after the
op's operands; a run continued from its final state equals the full run;
and for GLA and gated DeltaNet, outputs, final states and the gradients of
the input, the initial state and every parameter against float64 PyTorch
implementations of their equations (autograd).
"""
import torch
import torch.nn.functional as F

import seqc
from checks import check, finish

torch.manual_seed(0)


def relative(a, b):
    return ((a.double() - b.double()).abs().max() / (b.double().abs().max() + 1e-9)).item()


def gla_reference(m, x, s):
    H, dk, dv = m._state_shapes[0]
    B, T, _ = x.shape
    tau = 16.0
    q = (x @ m.w_q).view(B, T, H, dk)
    k = (x @ m.w_k).view(B, T, H, dk)
    v = (x @ m.w_v).view(B, T, H, dv)
    z = ((x @ m.w_gate_down) @ m.w_gate_up + m.gate_bias).view(B, T, H, dk)
    alpha = torch.exp(-F.softplus(-z) / tau)
    outputs = []
    for t in range(T):
        s = alpha[:, t, :, :, None] * s + k[:, t, :, :, None] * v[:, t, :, None, :]
        outputs.append(torch.einsum("bhk,bhkv->bhv", q[:, t], s) / dk ** 0.5)
    return torch.stack(outputs, 1).reshape(B, T, H * dv) @ m.w_o, s


def gated_deltanet_reference(m, x, s):
    H, dk, dv = m._state_shapes[0]
    B, T, _ = x.shape

    def unit(u):
        return u / torch.sqrt((u * u).sum(-1, keepdim=True) + 1e-12)
    q = unit((x @ m.w_q).view(B, T, H, dk))
    k = unit((x @ m.w_k).view(B, T, H, dk))
    v = (x @ m.w_v).view(B, T, H, dv)
    beta = torch.sigmoid(x @ m.w_beta)
    alpha = torch.exp(-torch.exp(m.a_log) * F.softplus(x @ m.w_a + m.dt_bias))
    outputs = []
    for t in range(T):
        kt, bt = k[:, t], beta[:, t, :, None, None]
        ks = torch.einsum("bhk,bhkv->bhv", kt, s)
        s = alpha[:, t, :, None, None] * (s - bt * kt[..., :, None] * ks[..., None, :])
        s = s + bt * kt[..., :, None] * v[:, t, :, None, :]
        outputs.append(torch.einsum("bhk,bhkv->bhv", q[:, t], s) / dk ** 0.5)
    return torch.stack(outputs, 1).reshape(B, T, H * dv) @ m.w_o, s


MODULES = [
    ("GLA", lambda: seqc.nn.GLA(16, 2), ["w_q", "w_k", "w_v", "w_gate_down", "w_gate_up", "gate_bias", "w_o"]),
    ("RetNet", lambda: seqc.nn.RetNet(16, 2), ["w_q", "w_k", "w_v", "w_o"]),
    ("DeltaNet", lambda: seqc.nn.DeltaNet(16, 2, allow_negative_eigenvalues=True),
     ["w_q", "w_k", "w_v", "w_beta", "w_o"]),
    ("GatedDeltaNet", lambda: seqc.nn.GatedDeltaNet(16, 2),
     ["w_q", "w_k", "w_v", "w_beta", "w_a", "a_log", "dt_bias", "w_o"]),
    ("Mamba", lambda: seqc.nn.Mamba(16, 4), ["a_log", "x_proj", "dt_proj", "dt_bias", "d"]),
    ("Mamba2", lambda: seqc.nn.Mamba2(16, 2, d_state=4),
     ["w_b", "w_c", "w_x", "w_dt", "dt_bias", "a_log", "d", "w_o"]),
    ("Aaren", lambda: seqc.nn.Aaren(16, 2), ["query", "w_k", "w_v", "w_o"]),
    ("SLSTM", lambda: seqc.nn.SLSTM(16, 8, num_heads=2), ["w", "r", "bias", "recurrent_bias"]),
    ("LRU", lambda: seqc.nn.LRU(16, 8),
     ["nu_log", "theta_log", "gamma_log", "b_re", "b_im", "c_re", "c_im", "d"]),
    ("S4D", lambda: seqc.nn.S4D(16, 4),
     ["log_dt", "a_real_log", "a_imag", "b_re", "b_im", "c_re", "c_im", "d"]),
    ("RGLRU", lambda: seqc.nn.RGLRU(16), ["w_a", "b_a", "w_x", "b_x", "lambda"]),
]

modules = {}
for name, make, keys in MODULES:
    m = modules[name] = make()
    check("%s state_dict keys" % name, list(m.state_dict()) == keys)
    x = torch.randn(3, 9, 16)
    with torch.no_grad():
        y, s = m(x)
        ya, sa = m(x[:, :4])
        yb, sb = m(x[:, 4:], sa)
    s, sb = (s if isinstance(s, tuple) else (s,)), (sb if isinstance(sb, tuple) else (sb,))
    error = max([relative(torch.cat([ya, yb], 1), y)] + [relative(p, q) for p, q in zip(sb, s)])
    check("%s continued from its state = one run" % name, error < 1e-5, "%.2e" % error)

for name, reference in (("GLA", gla_reference), ("GatedDeltaNet", gated_deltanet_reference)):
    m = modules[name]
    x = torch.randn(2, 7, 16)
    s0 = 0.3 * torch.randn((2,) + m._state_shapes[0])
    cotangent_y, cotangent_s = torch.randn(2, 7, 16), torch.randn_like(s0)
    xs, ss = x.clone().requires_grad_(), s0.clone().requires_grad_()
    y, s = m(xs, ss)
    ((y * cotangent_y).sum() + (s * cotangent_s).sum()).backward()
    ours = [y.detach(), s.detach(), xs.grad, ss.grad] + [p.grad.clone() for p in m.parameters()]
    m64 = type(m).__new__(type(m))
    torch.nn.Module.__init__(m64)
    m64._state_shapes = m._state_shapes
    for pname, p in m.named_parameters():
        m64.register_parameter(pname, torch.nn.Parameter(p.detach().double().clone()))
    xr, sr = x.double().requires_grad_(), s0.double().requires_grad_()
    yr, s_final = reference(m64, xr, sr)
    ((yr * cotangent_y.double()).sum() + (s_final * cotangent_s.double()).sum()).backward()
    theirs = [yr.detach(), s_final.detach(), xr.grad, sr.grad] + [p.grad for p in m64.parameters()]
    error = max(relative(a, b) for a, b in zip(ours, theirs))
    check("%s outputs and %d gradients vs float64 torch" % (name, len(ours) - 2), error < 1e-4,
          "max relative error %.2e" % error)

try:
    modules["GLA"](torch.randn(2, 5, 15))
    check("GLA wrong width", False, "no exception")
except ValueError as e:
    check("GLA wrong width", "expected (B, T, 16)" in str(e), "(%s)" % e)

finish()
