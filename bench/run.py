"""`make bench`: wall time and peak memory of spy0 against its peers, measured in
the same run on the same machine, printed as ratios. Each command runs REPEAT times
and the best wall time counts; peak RSS is the largest seen. Nothing is asserted
about speed: the numbers are printed, never checked.

Usage: python3 bench/run.py SPY0   (from anywhere; paths are relative to the repo)

Each benchmark is one program in three languages that prints the same bytes:
bench/<file>.spy, bench/<file>.py (python3) and bench/<file>.c (C99, gcc -O2). It runs
at two sizes, and every row of the table compares two runners on ONE workload:

  BIG   compiled SPy (`SPY0 build -O2`) against the C version. The size is chosen
        so that the C version takes roughly 0.3-1 s.
  SMALL compiled SPy against python3, and the spy0 interpreter against python3. The
        size is chosen so that python3 and spy0 take at most a few seconds.

| benchmark   | file        | BIG (C ~0.3-1 s)        | SMALL (python3, spy0)  |
|-------------|-------------|-------------------------|------------------------|
| loops_sum   | long_comp   | long_comp(10000) x20    | long_comp(1000) x10    |
| fib         | fib         | fib(42)                 | fib(32)                |
| nbody       | nbody       | 10,000,000 steps        | 20,000 steps           |
| bytecode_vm | bytecode_vm | 30,000,000 loop turns   | 100,000 loop turns     |
| strbuild    | strbuild    | 200 rounds              | 1 round                |

strbuild reads a ~100 KB file of Python-like source that run.py writes into its temp
dir (the same bytes every run; INPUT in a row's args stands for its path), then builds
a ~1 MB str from it in many small appends, once per round. Under the table, one line
gives the compiled SPy time of one round as a whole process (start, read 100 KB,
build 1 MB, checksum).

Before a row is printed, the outputs of every runner on its workload are compared
(at SMALL all four runners: spy0, compiled SPy, C and python3); a mismatch stops the
run with both outputs. The last row compares the size of the hello-world executable
(bench/hello.spy, `SPY0 build -O2`) with bench/hello.c's (gcc -O2), as built and
after `strip` (of a copy).

If `SPY0 build` fails (or a compiled program fails), the other rows are still
measured, the compiled cells read "build failed"/"run failed", the reasons are printed
under the table, and the exit status is 1.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))  # BENCH_REPEAT=1 for a quick look
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
CC = ["gcc", "-std=c99", "-O2"]  # -std=c99: no FMA contraction, so nbody's f64 sums match

INPUT = "{input}"  # in BENCHMARKS args: the path of strbuild's generated input file
STRBUILD_INPUT_SIZE = 100_000  # bytes, at least

# (benchmark, file stem, BIG args, BIG label, SMALL args, SMALL label); see the docstring.
BENCHMARKS = [
    ("loops_sum", "long_comp", ["10000", "20"], "long_comp(10000) x20", ["1000", "10"], "long_comp(1000) x10"),
    ("fib", "fib", ["42"], "fib(42)", ["32"], "fib(32)"),
    ("nbody", "nbody", ["10000000"], "10M steps", ["20000"], "20k steps"),
    ("bytecode_vm", "bytecode_vm", ["30000000"], "30M loop turns", ["100000"], "100k loop turns"),
    ("strbuild", "strbuild", [INPUT, "200"], "200 rounds of 1 MB", [INPUT, "1"], "1 round of 1 MB"),
]


def write_strbuild_input(path):
    """strbuild's input: Python-like ASCII source, one block of lines with a counter
    repeated until STRBUILD_INPUT_SIZE bytes are reached (~100 KB, ending with a newline)."""
    blocks = []
    size = 0
    k = 0
    while size < STRBUILD_INPUT_SIZE:
        block = (
            f"def func_{k}(arg_{k}, count):\n"
            f"    total = {k} * count + 7\n"
            f"    for i in range(count):\n"
            f"        if i % 3 == 0:\n"
            f"            total = total + i * {k % 97}\n"
            f"        else:\n"
            f"            total = total - (i >> 1)\n"
            f"    return total\n"
            f"\n"
        )
        blocks.append(block)
        size += len(block)
        k += 1
    with open(path, "w") as f:
        f.write("".join(blocks))


class Failed(Exception):
    """A command of the benchmark failed; the message says which and why."""


def measure(argv):
    """Best wall time (s) and largest peak RSS (MiB) of running argv, and its stdout.
    GNU time reports the RSS: a child forked from this python process would count
    python's own pages in its peak."""
    best = None
    peak = 0.0
    out = None
    for _ in range(REPEAT):
        with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", rss.name] + argv, stdout=subprocess.PIPE, stderr=err
            )
            wall = time.perf_counter() - start
            if child.returncode != 0:
                err.seek(0)
                raise Failed(f"{' '.join(argv)} failed ({child.returncode}):\n{err.read().decode(errors='replace').rstrip()}")
            if out is not None and child.stdout != out:
                raise Failed(f"{' '.join(argv)} printed different outputs on two runs")
            out = child.stdout
            peak = max(peak, int(open(rss.name).read().split()[-1]) / 1024)  # KiB
        best = wall if best is None else min(best, wall)
    return best, peak, out


def build(argv, what):
    """Runs a compiler; raises Failed with its output if it fails."""
    child = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if child.returncode != 0:
        text = child.stdout.decode(errors="replace").strip()
        lines = text.splitlines()
        if len(lines) > 25:
            text = "\n".join(lines[:25] + [f"... ({len(lines) - 25} more lines)"])
        raise Failed(f"{what} failed ({child.returncode}): {' '.join(argv)}\n{text}")


def same_output(workload, results):
    """Stops the run unless every (runner, output) in results printed the same bytes."""
    (first, ref), *rest = results
    for name, out in rest:
        if out != ref:
            sys.exit(f"bench: outputs differ on {workload}:\n  {first}: {ref!r}\n  {name}: {out!r}")


def check_tools():
    missing = [tool for tool in ("gcc", "strip", "python3") if shutil.which(tool) is None]
    if not os.path.exists("/usr/bin/time"):
        missing.append("/usr/bin/time (GNU time)")
    if missing:
        sys.exit(f"bench: missing tools: {', '.join(missing)} (make setup)")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/run.py SPY0")
    spy0 = sys.argv[1]
    spy0 = os.path.abspath(spy0) if os.sep in spy0 else (shutil.which(spy0) or spy0)
    check_tools()
    programs = os.path.join(ROOT, "stage-tests", "cases", "programs")
    rows = []  # (benchmark, workload, A, measure() of A or None, B, measure() of B, why A is None)
    problems = []  # why some cells are empty

    def row(bench, workload, a, a_res, b, b_res, a_fail=None):
        rows.append((bench, workload, a, a_res, b, b_res, a_fail))

    tmp = tempfile.mkdtemp(prefix="spy-bench-")
    one_round = None  # strbuild: measure() of one compiled round, or None
    try:
        input_path = os.path.join(tmp, "strbuild-input.py")
        write_strbuild_input(input_path)

        # Builds: the C versions (a failure is fatal: they are the baseline), then
        # the compiled SPy versions (a failure only empties their cells).
        c_exe, spy_exe, spy_fail = {}, {}, {}
        for _, stem, *_ in BENCHMARKS + [("hello", "hello")]:
            c_exe[stem] = os.path.join(tmp, f"{stem}.c.exe")
            try:
                build(CC + ["-o", c_exe[stem], os.path.join(BENCH, f"{stem}.c"), "-lm"], f"gcc on bench/{stem}.c")
            except Failed as e:
                sys.exit(f"bench: {e}")
            exe = os.path.join(tmp, f"{stem}.spy.exe")
            try:
                build(
                    [spy0, "build", "-O2", "-b", os.path.join(tmp, f"build-{stem}"), "-o", exe, os.path.join(BENCH, f"{stem}.spy")],
                    f"spy0 build of bench/{stem}.spy",
                )
                spy_exe[stem] = exe
            except Failed as e:
                spy_fail[stem] = "build failed"
                problems.append(str(e))

        def run_compiled(stem, args):
            """measure() of the compiled SPy program, or None (and a problem) if it
            could not be built or failed."""
            if stem not in spy_exe:
                return None
            try:
                return measure([spy_exe[stem]] + args)
            except Failed as e:
                spy_fail[stem] = "run failed"
                problems.append(f"compiled bench/{stem}.spy: {e}")
                return None

        for bench, stem, big, big_label, small, small_label in BENCHMARKS:
            big = [input_path if a == INPUT else a for a in big]
            small = [input_path if a == INPUT else a for a in small]
            spy_src = os.path.join(BENCH, f"{stem}.spy")
            try:
                # SMALL: python3, spy0, compiled SPy and C must agree.
                p_res = measure(["python3", os.path.join(BENCH, f"{stem}.py")] + small)
                i_res = measure([spy0, spy_src] + small)
                cs_res = measure([c_exe[stem]] + small)
                # BIG: compiled SPy against C.
                c_res = measure([c_exe[stem]] + big)
            except Failed as e:
                sys.exit(f"bench: {e}")
            s_small = run_compiled(stem, small)
            s_big = run_compiled(stem, big)
            outs = [("python3", p_res[2]), ("spy0", i_res[2]), ("C", cs_res[2])]
            if s_small is not None:
                outs.append(("spy -O2", s_small[2]))
            same_output(f"{bench} {small_label}", outs)
            outs = [("C", c_res[2])]
            if s_big is not None:
                outs.append(("spy -O2", s_big[2]))
            same_output(f"{bench} {big_label}", outs)
            fail = spy_fail.get(stem)
            row(bench, big_label, "spy -O2", s_big, "C", c_res, fail)
            row(bench, small_label, "spy -O2", s_small, "python3", p_res, fail)
            row(bench, small_label, "spy0", i_res, "python3", p_res)
            if stem == "strbuild":
                one_round = run_compiled(stem, [input_path, "1"])

        # Issue 4: redshift time of the largest program (and running it).
        largest = max(
            (os.path.join(programs, f) for f in os.listdir(programs) if f.endswith(".spy")),
            key=lambda f: sum(1 for _ in open(f)),
        )
        try:
            r_res = measure([spy0, "redshift", largest])
            x_res = measure([spy0, largest])
        except Failed as e:
            sys.exit(f"bench: {e}")
        row(os.path.basename(largest), "whole program", "redshift", r_res, "run", x_res)

        # Hello world: executable size, as built and stripped (of a copy).
        def sizes_of(exe):
            stripped = exe + ".stripped"
            build(["strip", "-o", stripped, exe], f"strip of {exe}")
            return os.path.getsize(exe) / 1024, os.path.getsize(stripped) / 1024

        try:
            c_out = measure([c_exe["hello"]])[2]
            c_sizes = sizes_of(c_exe["hello"])
        except Failed as e:
            sys.exit(f"bench: {e}")
        s_sizes = None
        if "hello" in spy_exe:
            try:
                s_out = measure([spy_exe["hello"]])[2]
                same_output("hello", [("C", c_out), ("spy -O2", s_out)])
                s_sizes = sizes_of(spy_exe["hello"])
            except Failed as e:
                spy_fail["hello"] = "run failed"
                problems.append(f"compiled bench/hello.spy: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    w = max([len("benchmark")] + [len(r[0]) for r in rows])
    header = (
        f"{'benchmark':{w}} {'workload':21} {'A':>8} {'time':>9} {'RSS':>9}   "
        f"{'B':>8} {'time':>9} {'RSS':>9}   {'A/B time':>8} {'A/B RSS':>8}"
    )
    print(header)
    print("-" * len(header))
    for bench, workload, a, a_res, b, b_res, a_fail in rows:
        b_wall, b_rss, _ = b_res
        if a_res is None:
            a_cells = f"{a:>8} {(a_fail or 'n/a'):>19}"
            ratios = f"{'-':>8} {'-':>8}"
        else:
            a_wall, a_rss, _ = a_res
            a_cells = f"{a:>8} {a_wall:8.3f}s {a_rss:6.1f}MiB"
            ratios = f"{a_wall / b_wall:8.2f} {a_rss / b_rss:8.2f}"
        print(f"{bench:{w}} {workload:21} {a_cells}   {b:>8} {b_wall:8.3f}s {b_rss:6.1f}MiB   {ratios}")
    print(
        f"{'':{w}} {'':21} {'':>8} {'size':>9} {'stripped':>9}   "
        f"{'':>8} {'size':>9} {'stripped':>9}   {'A/B size':>8} {'A/B strp':>8}"
    )
    c_size, c_strip = c_sizes
    if s_sizes is None:
        a_cells = f"{'spy -O2':>8} {spy_fail.get('hello', 'n/a'):>19}"
        ratios = f"{'-':>8} {'-':>8}"
    else:
        s_size, s_strip = s_sizes
        a_cells = f"{'spy -O2':>8} {s_size:6.1f}KiB {s_strip:6.1f}KiB"
        ratios = f"{s_size / c_size:8.2f} {s_strip / c_strip:8.2f}"
    print(f"{'hello':{w}} {'executable':21} {a_cells}   {'C':>8} {c_size:6.1f}KiB {c_strip:6.1f}KiB   {ratios}")
    print(f"(best of {REPEAT} wall times, largest peak RSS; A/B < 1 means A is faster or smaller)")
    if one_round is None:
        what = spy_fail.get("strbuild", "n/a")
    else:
        what = f"{one_round[0] * 1000:.1f} ms compiled"
    print(f"strbuild: one round (read 100 KB, build 1 MB) = {what}")
    if problems:
        print("\nbench: the compiled SPy rows are incomplete:", file=sys.stderr)
        for p in problems:
            print(f"- {p}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
