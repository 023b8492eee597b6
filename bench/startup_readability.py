"""Benchmark: what the reading grade costs a cold process (docs/design.md, "Reading grade").

    python3 bench/startup_readability.py            # this checkout
    python3 bench/startup_readability.py /work/main # another checkout, to compare

Each run is a fresh interpreter that times, after its own start-up: the standard modules
any aidpress command has imported before it grades (re, dataclasses), importing
aidpress.readability, reading the syllable table (`dictionary()`), then the first `measure()`
of one sentence (the syllable table's budget: ≤ 15 ms for those four together, since
`aidpress build` grades every aid). Then the first initialism ("LTR"), which needs the
table's "spoken" block (is it a word, or letters read out?). Medians of RUNS runs, wall clock
and CPU time of the process (CPU is the steadier figure on a busy machine). `python3 -c pass`
is printed for scale.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 21
PROBE = """
import time
clock = lambda: (time.perf_counter(), time.process_time())
marks = [clock()]
import dataclasses, functools, re
marks.append(clock())
import aidpress.readability as r
marks.append(clock())
r.dictionary()
marks.append(clock())
r.measure(["You may feel sore for a day or two after your visit."])
marks.append(clock())
r.syllables("LTR")
marks.append(clock())
print(" ".join(f"{1000 * (b[i] - a[i]):.3f}" for a, b in zip(marks, marks[1:]) for i in (0, 1)))
"""
STAGES = ("stdlib the rest of aidpress loads anyway (re, dataclasses)", "import aidpress.readability", "read the syllable table", "first measure()",
          "first initialism the table lacks (LTR: a search of the spoken block)")


def main() -> None:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    rows = []
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, check=True)
        rows.append([float(x) for x in done.stdout.split()])
    bare = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(1000 * (time.perf_counter() - start))
    print(f"{root}: medians of {RUNS} cold runs (`python3 -c pass`: {statistics.median(bare):.1f} ms wall)\n")
    print("| stage | wall ms | CPU ms |\n|---|---|---|")
    for i, stage in enumerate(STAGES):
        print(f"| {stage} | {statistics.median(r[2 * i] for r in rows):.1f} | "
              f"{statistics.median(r[2 * i + 1] for r in rows):.1f} |")
    totals = [[sum(r[j] for j in range(k, 8, 2)) for k in (0, 1)] for r in rows]
    print(f"| **before the initialism: the budget** | **{statistics.median(t[0] for t in totals):.1f}** | "
          f"**{statistics.median(t[1] for t in totals):.1f}** |")


if __name__ == "__main__":
    main()
