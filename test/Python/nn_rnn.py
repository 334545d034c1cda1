#!/usr/bin/env python3
"""seqc.nn.LSTM / GRU / RNN against torch.nn.LSTM / GRU / RNN with the
same state_dict: outputs and final states at T = 1, 7, 64, 1000 and B = 1,
3 from one compile per layer size; input and parameter gradients; the
calling conventions (batch_first, unbatched input, given initial states);
and the errors for what is not supported. Prints one line per check and
"MISMATCH" for any failure.
"""
import torch

import seqc
from checks import check, finish

torch.manual_seed(0)


def worst(a, b):
    return max((x - y).abs().max().item() for x, y in zip(a, b))


def flat(outputs):
    y, states = outputs
    return [y] + (list(states) if isinstance(states, tuple) else [states])


KINDS = [("LSTM", seqc.nn.LSTM, torch.nn.LSTM, {}),
         ("GRU", seqc.nn.GRU, torch.nn.GRU, {}),
         ("RNN tanh", seqc.nn.RNN, torch.nn.RNN, {}),
         ("RNN relu", seqc.nn.RNN, torch.nn.RNN, {"nonlinearity": "relu"})]

for name, ours, theirs, extra in KINDS:
    reference = theirs(6, 16, num_layers=2, batch_first=True, **extra)
    model = ours(6, 16, num_layers=2, batch_first=True, **extra)
    check("%s state_dict keys" % name,
          list(model.state_dict()) == list(reference.state_dict()))
    model.load_state_dict(reference.state_dict())
    before = seqc.compile_count()
    error = 0.0
    with torch.no_grad():
        for batch in (1, 3):
            for time in (1, 7, 64, 1000):
                x = torch.randn(batch, time, 6)
                error = max(error, worst(flat(model(x)), flat(reference(x))))
    # Layer 0 (6 -> 16) and layer 1 (16 -> 16): two compiled functions
    # for all eight shapes (none when the cache already had them).
    compiles = seqc.compile_count() - before
    check("%s forward, T in 1 7 64 1000, B in 1 3" % name, error < 2e-5,
          "max error %.2e" % error)
    check("%s compiled once per layer size" % name, compiles in (0, 2),
          "%d compiles" % compiles)

# Time-major input, given initial states, unbatched input.
reference = torch.nn.LSTM(4, 8, num_layers=3)
model = seqc.nn.LSTM(4, 8, num_layers=3)
model.load_state_dict(reference.state_dict())
with torch.no_grad():
    x = torch.randn(9, 2, 4)
    h0, c0 = torch.randn(3, 2, 8), torch.randn(3, 2, 8)
    error = worst(flat(model(x, (h0, c0))), flat(reference(x, (h0, c0))))
    check("LSTM time-major with (h0, c0)", error < 2e-5, "max error %.2e" % error)
    x1 = torch.randn(5, 4)
    error = worst(flat(model(x1)), flat(reference(x1)))
    check("LSTM unbatched input", error < 2e-5, "max error %.2e" % error)
reference = torch.nn.GRU(4, 8, bias=False)
model = seqc.nn.GRU(4, 8, bias=False)
model.load_state_dict(reference.state_dict())
with torch.no_grad():
    x, h0 = torch.randn(6, 3, 4), torch.randn(1, 3, 8)
    error = worst(flat(model(x, h0)), flat(reference(x, h0)))
    check("GRU without bias, given h0", error < 2e-5, "max error %.2e" % error)

# Gradients of the input, the initial states and every parameter.
for name, ours, theirs, extra in KINDS:
    reference = theirs(5, 12, num_layers=2, batch_first=True, **extra)
    model = ours(5, 12, num_layers=2, batch_first=True, **extra)
    model.load_state_dict(reference.state_dict())
    # Each (B, T) trained is one compile of the derivative: two shapes for
    # the LSTM (T = 1 included), one for the others.
    for batch, time in ((3, 7), (2, 1)) if name == "LSTM" else ((3, 7),):
        x = torch.randn(batch, time, 5)
        h0 = torch.randn(2, batch, 12)
        states = (h0, torch.randn(2, batch, 12)) if name == "LSTM" else h0
        weights = torch.randn(batch, time, 12)
        results = []
        for m in (model, reference):
            m.zero_grad()
            xi = x.clone().requires_grad_()
            si = tuple(s.clone().requires_grad_() for s in states) if name == "LSTM" \
                else states.clone().requires_grad_()
            y, final = m(xi, si)
            h = final[0] if name == "LSTM" else final
            loss = (y * weights).sum() + h.square().sum()
            if name == "LSTM":
                loss = loss + final[1].sum()
            loss.backward()
            grads = [xi.grad] + ([s.grad for s in si] if name == "LSTM" else [si.grad])
            results.append(grads + [p.grad for p in m.parameters()])
        error = max(((a - b).abs().max() / (b.abs().max() + 1e-6)).item()
                    for a, b in zip(*results))
        check("%s gradients B=%d T=%d (input, states, %d parameters)"
              % (name, batch, time, len(list(model.parameters()))),
              error < 1e-5, "max relative error %.2e" % error)


def raises(what, kind, fn, text):
    try:
        fn()
    except kind as e:
        check(what, text in str(e), "(%s)" % e)
        return
    except Exception as e:  # noqa: BLE001 - any other exception is wrong
        check(what, False, "raised %s: %s" % (type(e).__name__, e))
        return
    check(what, False, "no exception")


model = seqc.nn.LSTM(4, 8)
raises("float64 input", TypeError, lambda: model(torch.randn(3, 2, 4, dtype=torch.float64)),
       "expected torch.float32")
raises("wrong feature size", ValueError, lambda: model(torch.randn(3, 2, 5)),
       "expected (L, 4)")
raises("empty sequence", ValueError, lambda: model(torch.randn(0, 2, 4)), "empty")
raises("wrong initial state", ValueError,
       lambda: model(torch.randn(3, 2, 4), (torch.zeros(1, 3, 8), torch.zeros(1, 3, 8))),
       "expected [1, 2, 8]")
raises("bidirectional", NotImplementedError,
       lambda: seqc.nn.LSTM(4, 8, bidirectional=True), "bidirectional")
raises("float64 module", TypeError, lambda: seqc.nn.GRU(4, 8, dtype=torch.float64), "float32")
raises("raw call: wrong dtype", TypeError,
       lambda: model._layers[0].inference()(*[torch.zeros(2, 3, 4, dtype=torch.float64)] * 7),
       "input 'in0': expected torch.float32")
layer = model._layers[0].inference()
good = [torch.zeros(2, 3, 4), torch.zeros(4, 32), torch.zeros(1, 8, 32), torch.zeros(32),
        torch.zeros(32), torch.zeros(2, 8), torch.zeros(2, 8)]
bad = list(good)
bad[5] = torch.zeros(3, 8)
raises("raw call: inconsistent batch", ValueError, lambda: layer(*bad),
       "input 'in5': batch size 3, but an earlier input has 2")
bad = list(good)
bad[0] = torch.zeros(2, 4, 3).transpose(1, 2)
raises("raw call: non-contiguous", ValueError, lambda: layer(*bad), "contiguous")

finish()
