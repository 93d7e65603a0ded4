"""The interpreters of examples/ timed by themselves: each runs its bench program with
`--bench` and prints its own wall time (the guest program's work, without process
start-up and, for compiled SPy, without the C compiler). Best of REPEAT runs.

Usage: python3 bench/examples.py SPY0   (from anywhere; paths are relative to the repo)

Runners: `SPY0 FILE` (the seed's interpreter), `SPY0 build -O2 FILE` then the
executable, `python3 examples/<name>/reference.py` and, for brainfuck,
examples/brainfuck/reference.c built with gcc -O2. The guest output of every runner
must be the same; a mismatch stops the run.
"""

import os
import re
import subprocess
import sys

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (example, bench program, runners to skip because they would take minutes)
CASES = [
    ("brainfuck", "programs/bench.bf"),
    ("brainfuck", "programs/bench_long.bf"),
    ("lisp", "programs/bench.scm"),
    ("bytecode", "programs/bench.calc"),
    ("forth", "programs/bench.fs"),
]
SLOW = {("brainfuck", "programs/bench_long.bf"): ["spy0", "python3"]}


def timed(cmd):
    """(guest output, best time in ms) of REPEAT runs of `cmd`."""
    best = None
    guest = None
    for _ in range(REPEAT):
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        lines = out.splitlines()
        ms = [int(m.group(1)) for m in (re.search(r"^bench: .* (\d+) ms$", l) for l in lines) if m]
        rest = "\n".join(l for l in lines if not l.startswith("bench: "))
        if guest is not None and rest != guest:
            sys.exit("output changed between runs of %s" % cmd)
        guest = rest
        best = sum(ms) if best is None else min(best, sum(ms))
    return guest, best


def main():
    spy0 = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "target/debug/spy0")
    subprocess.run(["gcc", "-std=c99", "-D_POSIX_C_SOURCE=199309L", "-O2", "-o", "/tmp/bf-reference",
                    "examples/brainfuck/reference.c"], cwd=ROOT, check=True)
    print("%-26s %12s %12s %12s %12s" % ("example (ms, best of %d)" % REPEAT,
                                        "spy0 interp", "spy0 -O2", "python3", "C -O2"))
    for name, prog in CASES:
        main_spy = "examples/%s/%s.spy" % (name, name)
        subprocess.run([spy0, "build", "-O2", main_spy], cwd=ROOT, check=True, capture_output=True)
        path = "examples/%s/%s" % (name, prog)
        runners = [("spy0", [spy0, main_spy]),
                   ("native", ["examples/%s/build/%s" % (name, name)]),
                   ("python3", ["python3", "examples/%s/reference.py" % name])]
        if name == "brainfuck":
            runners.append(("C", ["/tmp/bf-reference"]))
        cells = []
        outputs = {}
        for label, cmd in runners:
            if label in SLOW.get((name, prog), []):
                cells.append("-")
                continue
            guest, ms = timed(cmd + ["--bench", path])
            outputs[label] = guest
            cells.append(str(ms))
        if len(set(outputs.values())) != 1:
            sys.exit("outputs differ on %s: %r" % (path, outputs))
        while len(cells) < 4:
            cells.append("-")
        print("%-26s %12s %12s %12s %12s" % ((name + " " + os.path.basename(prog),) + tuple(cells)))


main()
