#!/usr/bin/env python3
"""write_bad_npy.py PATH SHAPE [DATA_BYTES]: an .npy (f32, version 1) whose
header says `'shape': SHAPE` verbatim, followed by DATA_BYTES zero bytes
(default 4): malformed or lying headers for the reader's error paths."""
import struct
import sys

path, shape = sys.argv[1], sys.argv[2]
data = int(sys.argv[3]) if len(sys.argv) > 3 else 4
header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(b"\0" * data)
