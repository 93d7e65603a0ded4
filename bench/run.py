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

wasm rows (`SPY0 build --target wasi -O2`, run by `spy-bootstrap run-wasm` from SPY0's
folder, i.e. wasmtime built in the workspace's dev profile): at BIG, the wasm module
against the native compiled SPy, twice: as whole processes (wall time, including
wasmtime's start-up and compiling the module), and as the work each program times
itself ("same, self-timed" rows: every bench/*.spy writes `bench-time: SECONDS` on stderr, the time
from main's first line to its last). Then hello.wasm's size: the file, without custom
sections (names, debug info; -O2 strips them already), and its code section alone.

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


def measure(argv, cwd=None):
    """Best wall time (s) and largest peak RSS (MiB) of running argv, its stdout, and the
    best time the program reported for its own work (`bench-time: S` on stderr; None
    when it reports none). GNU time reports the RSS: a child forked from this python
    process would count python's own pages in its peak."""
    best = None
    peak = 0.0
    out = None
    work = None
    for _ in range(REPEAT):
        with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", rss.name] + argv, stdout=subprocess.PIPE, stderr=err, cwd=cwd
            )
            wall = time.perf_counter() - start
            if child.returncode != 0:
                err.seek(0)
                raise Failed(f"{' '.join(argv)} failed ({child.returncode}):\n{err.read().decode(errors='replace').rstrip()}")
            if out is not None and child.stdout != out:
                raise Failed(f"{' '.join(argv)} printed different outputs on two runs")
            out = child.stdout
            peak = max(peak, int(open(rss.name).read().split()[-1]) / 1024)  # KiB
            err.seek(0)
            for line in err.read().decode(errors="replace").splitlines():
                if line.startswith("bench-time: "):
                    t = float(line.split()[1])
                    work = t if work is None else min(work, t)
        best = wall if best is None else min(best, wall)
    return best, peak, out, work


def wasm_sizes(path):
    """(file size, size without custom sections, code section size) of a .wasm, in bytes."""
    data = open(path, "rb").read()

    def leb(i):
        value = shift = 0
        while True:
            b = data[i]
            i += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value, i

    i, custom, code = 8, 0, 0
    while i < len(data):
        sid = data[i]
        size, body = leb(i + 1)
        if sid == 0:
            custom += body + size - i
        elif sid == 10:
            code = size
        i = body + size
    return len(data), len(data) - custom, code


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
    runner = os.environ.get("SPY_BOOTSTRAP") or os.path.join(os.path.dirname(spy0), "spy-bootstrap")
    rows = []  # (benchmark, workload, A, measure() of A or None, B, measure() of B, why A is None)
    wasm_rows = []  # (benchmark, workload, measure() of wasm or None, of native spy -O2 or None, why)
    hello_wasm = None  # wasm_sizes() of hello.wasm
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
        wasm, wasm_fail = {}, {}
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
            out = os.path.join(tmp, f"{stem}.wasm")
            try:
                build(
                    [spy0, "build", "--target", "wasi", "-O2", "-b", os.path.join(tmp, f"build-{stem}"), "-o", out,
                     os.path.join(BENCH, f"{stem}.spy")],
                    f"spy0 build --target wasi of bench/{stem}.spy",
                )
                wasm[stem] = out
            except Failed as e:
                wasm_fail[stem] = "build failed"
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

        def run_wasm(stem, args):
            """measure() of the wasm module under spy-bootstrap run-wasm, or None (and a
            problem). It runs in the temp dir: a module opens only paths below its
            current folder, so INPUT is given as a relative path."""
            if stem not in wasm:
                return None
            args = [os.path.basename(input_path) if a == INPUT else a for a in args]
            try:
                return measure([runner, "run-wasm", "--timeout", "0", wasm[stem]] + args, cwd=tmp)
            except Failed as e:
                wasm_fail[stem] = "run failed"
                problems.append(f"bench/{stem}.spy as wasm: {e}")
                return None

        for bench, stem, big, big_label, small, small_label in BENCHMARKS:
            w_big = run_wasm(stem, big)
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
            if w_big is not None:
                outs.append(("wasm", w_big[2]))
            same_output(f"{bench} {big_label}", outs)
            fail = spy_fail.get(stem)
            row(bench, big_label, "spy -O2", s_big, "C", c_res, fail)
            wasm_rows.append((bench, big_label, w_big, s_big, wasm_fail.get(stem) or fail))
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
        if "hello" in wasm:
            w_out = run_wasm("hello", [])
            if w_out is not None:
                same_output("hello", [("C", c_out), ("wasm", w_out[2])])
                hello_wasm = wasm_sizes(wasm["hello"])
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
        b_wall, b_rss = b_res[:2]
        if a_res is None:
            a_cells = f"{a:>8} {(a_fail or 'n/a'):>19}"
            ratios = f"{'-':>8} {'-':>8}"
        else:
            a_wall, a_rss = a_res[:2]
            a_cells = f"{a:>8} {a_wall:8.3f}s {a_rss:6.1f}MiB"
            ratios = f"{a_wall / b_wall:8.2f} {a_rss / b_rss:8.2f}"
        print(f"{bench:{w}} {workload:21} {a_cells}   {b:>8} {b_wall:8.3f}s {b_rss:6.1f}MiB   {ratios}")
    for bench, workload, w_res, s_res, why in wasm_rows:
        for kind in ("wall", "work"):
            label = workload if kind == "wall" else "  same, self-timed"
            i = 0 if kind == "wall" else 3
            if w_res is None or s_res is None or w_res[i] is None or s_res[i] is None:
                print(f"{bench:{w}} {label:21} {'wasm':>8} {(why or 'n/a'):>19}   {'spy -O2':>8} {'':>19}   {'-':>8} {'-':>8}")
                continue
            print(
                f"{bench:{w}} {label:21} {'wasm':>8} {w_res[i]:8.3f}s {w_res[1]:6.1f}MiB   "
                f"{'spy -O2':>8} {s_res[i]:8.3f}s {s_res[1]:6.1f}MiB   {w_res[i] / s_res[i]:8.2f} {w_res[1] / s_res[1]:8.2f}"
            )
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
    if hello_wasm is None:
        print(f"hello.wasm: {wasm_fail.get('hello', 'n/a')}")
    else:
        size, no_custom, code = hello_wasm
        print(f"hello.wasm (-O2): {size} B, {no_custom} B without custom sections, code section {code} B")
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
