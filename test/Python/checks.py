"""What the seqc package tests share: one line per check, "OK" or
"MISMATCH" (FileCheck reads them), and the exit status from the count."""
import sys

failures = []


def check(what, ok, detail=""):
    print("%s: %s%s" % (what, "OK" if ok else "MISMATCH", " " + detail if detail else ""))
    if not ok:
        failures.append(what)


def finish():
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)
