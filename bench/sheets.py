"""Benchmark: per-patient sheets as the practitioner runs them (not a test).

    python bench/sheets.py            # prints the figures; copy them into docs/performance.md

Times the command a practitioner types, in a fresh process each run, with the seed sheet:

    aidpress aftercare aids/aftercare-cupping.yaml --roster R.csv --merge -o run.pdf
    aidpress aftercare aids/aftercare-cupping.yaml --roster R.csv --out folder/

(run through the `aidpress` on PATH, with this checkout first on PYTHONPATH), on an invented
roster of 1,000 rows: wall time, median of 5. Memory is the peak of the resident sizes of
all the command's processes summed (the command and its workers, sampled from /proc every
20 ms), for 1,000 and 10,000 rows. Start-up: `aidpress --help` and one sheet from --field.
Targets (issue 10): merged ≤ 0.5 s, separate ≤ 2 s on 2 cores, memory flat 1,000 → 10,000.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AID = os.environ.get("BENCH_AID", "aids/aftercare-cupping.yaml")  # the seed sheet
RUNS = 5


def write_roster(path: Path, rows: int) -> None:
    fixture = "garden-care" in AID  # the one-page test sheet: BENCH_AID=tests/fixtures/sheets/garden-care.yaml
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "date", "area"] + (["Plot number"] if fixture else ["practitioner",
                                                                                   "next_appointment"]))
        for i in range(rows):
            w.writerow([f"P{i:05d}", f"Invented Person {i}", "2026-11-23", "lower back"]
                       + ([str(i)] if fixture else ["Dr Example", "Tuesday 1 December 2026, 10:30"]))


def command(*args: str) -> list[str]:
    return [shutil.which("aidpress") or "aidpress", *args]


def environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, the practitioner's command


def tree_rss(pid: int) -> int:
    """Resident kB of a process and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def run(args: list[str], fresh: Path | None = None, sample: bool = False) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds over all processes, peak summed RSS MiB) of one run;
    `fresh` is emptied first. CPU time is less disturbed than wall time by a busy machine."""
    if fresh is not None and fresh.exists():
        shutil.rmtree(fresh)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while sample and proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.02)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, peak / 1024


def timed(args: list[str], fresh: Path | None = None) -> str:
    runs = [run(args, fresh) for _ in range(RUNS)]
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    return f"{wall:.2f} s wall, {cpu:.2f} s CPU (median of {RUNS})"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rosters = {}
        for rows in (1000, 10000):
            rosters[rows] = tmp / f"roster-{rows}.csv"
            write_roster(rosters[rows], rows)
        merged = lambda rows: command("aftercare", AID, "--roster", str(rosters[rows]), "--merge", "-o",
                                      str(tmp / "run.pdf"))
        separate = lambda rows: command("aftercare", AID, "--roster", str(rosters[rows]), "--out", str(tmp / "s"))
        one = command("aftercare", AID, "--field", "name=Invented Person", "--field", "date=2026-11-23", "-o",
                      str(tmp / "one" / "sheet.pdf"))
        print(f"`aidpress --help`: {timed(command('--help'))}")
        print(f"one sheet from --field: {timed(one)}")
        print(f"1,000 rows, --merge: {timed(merged(1000))}")
        print(f"1,000 rows, separate files: {timed(separate(1000), tmp / 's')}")
        for name, make, fresh in (("--merge", merged, None), ("separate files", separate, tmp / "s")):
            small, large = (run(make(rows), fresh, sample=True) for rows in (1000, 10000))
            print(f"{name}: peak memory over all processes {small[2]:.0f} MiB (1,000 rows) → "
                  f"{large[2]:.0f} MiB (10,000 rows, {large[0]:.1f} s wall, {large[1]:.1f} s CPU)")
    print(f"(Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
