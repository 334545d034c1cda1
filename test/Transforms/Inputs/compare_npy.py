#!/usr/bin/env python3
"""compare_npy.py DIR_A DIR_B: the .npy files of two directories agree."""
import os
import sys

import numpy as np

a_dir, b_dir = sys.argv[1], sys.argv[2]
names = sorted(f for f in os.listdir(a_dir) if f.endswith(".npy"))
worst = 0.0
for name in names:
    a, b = np.load(os.path.join(a_dir, name)), np.load(os.path.join(b_dir, name))
    worst = max(worst, float(np.max(np.abs(a - b)) / max(1.0, float(np.max(np.abs(a))))))
print("%d outputs, max relative difference %.2e: %s" % (len(names), worst, "AGREE" if worst < 1e-5 else "DIFFER"))
sys.exit(0 if worst < 1e-5 else 1)
