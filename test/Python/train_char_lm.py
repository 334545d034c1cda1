#!/usr/bin/env python3
"""A character-level language model over the GPL-3 text every Debian
machine ships, trained twice from the same initial weights on the same
batches: with 2 layers of torch.nn.LSTM and with 2 layers of seqc.nn.LSTM
(embedding, output head, cross-entropy and Adam are torch's in both). The
two loss curves must agree within 1e-4 relative at every step, and the
loss must fall. The same batches then train a model with one seqc.nn.GLA
layer, whose loss must fall too. Writes the curves to
OUT_DIR/char_lm_lstm.csv (and a PNG plot when matplotlib is installed).

train_char_lm.py OUT_DIR [STEPS]
"""
import csv
import math
import os
import sys
import time

import torch

import seqc

TEXT = "/usr/share/common-licenses/GPL-3"
B, T, E, H, LR = 16, 64, 32, 64, 3e-3


class CharModel(torch.nn.Module):
    def __init__(self, vocabulary, rnn):
        super().__init__()
        self.embed = torch.nn.Embedding(vocabulary, E)
        self.rnn = rnn(E, H, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(H, vocabulary)

    def forward(self, tokens):
        y, _ = self.rnn(self.embed(tokens))
        return self.head(y)


class CharGLA(torch.nn.Module):
    """Embedding, one seqc.nn.GLA layer (4 heads) with a residual, head."""

    def __init__(self, vocabulary):
        super().__init__()
        self.embed = torch.nn.Embedding(vocabulary, H)
        self.gla = seqc.nn.GLA(H, 4)
        self.head = torch.nn.Linear(H, vocabulary)

    def forward(self, tokens):
        x = self.embed(tokens)
        y, _ = self.gla(x)
        return self.head(x + y)


def main():
    out_dir = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    with open(TEXT, encoding="utf-8") as f:
        text = f.read()
    alphabet = sorted(set(text))
    index = {c: i for i, c in enumerate(alphabet)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    generator = torch.Generator().manual_seed(1)
    starts = torch.randint(0, len(data) - T - 1, (steps, B), generator=generator)

    torch.manual_seed(0)
    reference = CharModel(len(alphabet), torch.nn.LSTM)
    ours = CharModel(len(alphabet), seqc.nn.LSTM)
    ours.load_state_dict(reference.state_dict())
    optimizers = [torch.optim.Adam(m.parameters(), lr=LR) for m in (reference, ours)]

    rows, worst = [], 0.0
    seconds = [0.0, 0.0]
    for step in range(steps):
        window = torch.stack([data[s:s + T + 1] for s in starts[step].tolist()])
        inputs, targets = window[:, :-1], window[:, 1:]
        losses = []
        for k, (model, optimizer) in enumerate(zip((reference, ours), optimizers)):
            began = time.perf_counter()
            optimizer.zero_grad()
            logits = model(inputs)
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, len(alphabet)), targets.reshape(-1))
            loss.backward()
            optimizer.step()
            seconds[k] += time.perf_counter() - began
            losses.append(loss.item())
        difference = abs(losses[1] - losses[0]) / abs(losses[0])
        worst = max(worst, difference)
        rows.append((step, losses[0], losses[1], difference))

    # The same batches through a GLA model: its loss must fall.
    torch.manual_seed(0)
    gla = CharGLA(len(alphabet))
    optimizer = torch.optim.Adam(gla.parameters(), lr=LR)
    gla_losses, gla_seconds = [], 0.0
    for step in range(steps):
        window = torch.stack([data[s:s + T + 1] for s in starts[step].tolist()])
        began = time.perf_counter()
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(
            gla(window[:, :-1]).reshape(-1, len(alphabet)), window[:, 1:].reshape(-1))
        loss.backward()
        optimizer.step()
        gla_seconds += time.perf_counter() - began
        gla_losses.append(loss.item())

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "char_lm_lstm.csv")
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["step", "torch_lstm_loss", "seqc_lstm_loss", "relative_difference",
                         "seqc_gla_loss"])
        writer.writerows(row + (g,) for row, g in zip(rows, gla_losses))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        plt.figure(figsize=(6, 4))
        plt.plot([r[1] for r in rows], label="torch.nn.LSTM")
        plt.plot([r[2] for r in rows], "--", label="seqc.nn.LSTM")
        plt.plot(gla_losses, label="seqc.nn.GLA (1 layer, 4 heads)")
        plt.xlabel("Adam step")
        plt.ylabel("cross-entropy")
        plt.title("character LM on GPL-3 (B=%d, T=%d, H=%d)" % (B, T, H))
        plt.legend()
        plt.savefig(os.path.join(out_dir, "char_lm_lstm.png"), dpi=100)
    except ImportError:
        pass

    first, last = rows[0][2], rows[-1][2]
    print("char lm, 2-layer LSTM, %d Adam steps: loss %.4f -> %.4f (%s), torch %.2f s, "
          "seqc %.2f s" % (steps, first, last, "falls" if last < first - 0.5 else "NOT FALLING",
                          seconds[0], seconds[1]))
    print("worst relative loss difference %.2e: %s" % (
        worst, "OK" if worst <= 1e-4 else "MISMATCH"))
    gla_falls = gla_losses[-1] < gla_losses[0] - 0.5 and math.isfinite(gla_losses[-1])
    print("char lm, GLA, %d Adam steps: loss %.4f -> %.4f (%s), %.2f s" % (
        steps, gla_losses[0], gla_losses[-1], "falls" if gla_falls else "NOT FALLING",
        gla_seconds))
    print("seqc compiles: %d" % seqc.compile_count())
    bad = worst > 1e-4 or not last < first - 0.5 or not math.isfinite(last) or not gla_falls
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
