#!/usr/bin/env python3
"""write_npy.py PATH DTYPE D0 D1 ...: writes an .npy of arange values."""
import sys
import numpy as np

path, dtype, shape = sys.argv[1], sys.argv[2], [int(d) for d in sys.argv[3:]]
np.save(path, (np.arange(np.prod(shape)) % 7 / 7.0).reshape(shape).astype(dtype))
