"""`make bench`: wall time and peak memory of spy0 against its peers, measured in
the same run on the same machine, printed as ratios. Each command runs REPEAT times
and the best wall time counts; peak RSS is the largest seen.

Usage: python3 bench/run.py SPY0
"""

import os
import subprocess
import sys
import tempfile
import time

REPEAT = 5
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(argv):
    """Best wall time (s) and largest peak RSS (MiB) of running argv, and its stdout.
    GNU time reports the RSS: a child forked from this python process would count
    python's own pages in its peak."""
    best = None
    peak = 0.0
    out = b""
    for _ in range(REPEAT):
        with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", rss.name] + argv, stdout=subprocess.PIPE, stderr=err
            )
            wall = time.perf_counter() - start
            if child.returncode != 0:
                err.seek(0)
                sys.exit(f"bench: {' '.join(argv)} failed ({child.returncode}):\n{err.read().decode()}")
            out = child.stdout
            peak = max(peak, int(open(rss.name).read().split()[-1]) / 1024)  # KiB
        best = wall if best is None else min(best, wall)
    return best, peak, out


def main():
    spy0 = sys.argv[1]
    bench = os.path.join(ROOT, "bench")
    programs = os.path.join(ROOT, "stage-tests", "cases", "programs")
    rows = []

    # Issue 3: the interpreter against python3 on the same program.
    s_wall, s_rss, s_out = measure([spy0, os.path.join(bench, "long_comp.spy")])
    p_wall, p_rss, p_out = measure(["python3", os.path.join(bench, "long_comp.py")])
    if s_out != p_out:
        sys.exit(f"bench: outputs differ: spy0 {s_out!r}, python3 {p_out!r}")
    rows.append(("long_comp(1000) x10", "spy0", s_wall, s_rss, "python3", p_wall, p_rss))

    # Issue 4: redshift time of the largest program (and running it).
    largest = max(
        (os.path.join(programs, f) for f in os.listdir(programs) if f.endswith(".spy")),
        key=lambda f: sum(1 for _ in open(f)),
    )
    r_wall, r_rss, _ = measure([spy0, "redshift", largest])
    x_wall, x_rss, _ = measure([spy0, largest])
    name = os.path.basename(largest)
    rows.append((f"{name}", "redshift", r_wall, r_rss, "run", x_wall, x_rss))

    print(f"{'benchmark':24} {'A':>8} {'time':>8} {'RSS':>9}   {'B':>8} {'time':>8} {'RSS':>9}   A/B time  A/B RSS")
    for what, a, a_wall, a_rss, b, b_wall, b_rss in rows:
        print(
            f"{what:24} {a:>8} {a_wall:7.3f}s {a_rss:6.1f}MiB   {b:>8} {b_wall:7.3f}s {b_rss:6.1f}MiB"
            f"   {a_wall / b_wall:8.2f} {a_rss / b_rss:8.2f}"
        )


if __name__ == "__main__":
    main()
