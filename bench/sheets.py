"""Benchmark: per-patient sheets from a roster.

    python bench/sheets.py            # prints the figures; copy them into docs/performance.md

Measures, on an invented roster: 1,000 sheets as one print-run PDF; 1,000 as separate
files (two worker processes); a plain full re-render per sheet for comparison; and peak
memory (max RSS of a fresh process) for 1,000 vs 10,000 rows, merged and separate.
Targets: merged ≤ 1 s, separate ≤ 5 s, memory flat as the roster grows.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AID = ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml"


def write_roster(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "date", "area", "Plot number"])
        for i in range(rows):
            w.writerow([f"P{i:05d}", f"Invented Person {i}", "2026-11-23", "lower back", str(i)])


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def in_process(rows: int) -> None:
    from aidpress.commands.sheets import SheetOptions, build_roster
    from aidpress.validate import load_clinic
    from layouts import render
    from aidpress.validate import load_aid

    clinic = load_clinic(ROOT / "clinic.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        write_roster(roster, rows)
        render(load_aid(AID), clinic)  # warm imports and fonts, as a running clinic would be
        merged = timed(lambda: build_roster(AID, roster, clinic, SheetOptions(out_dir=Path(tmp) / "m"),
                                            merge=True))
        separate = timed(lambda: build_roster(AID, roster, clinic, SheetOptions(out_dir=Path(tmp) / "s")))
        aid = load_aid(AID)
        sample = 50
        per_render = timed(lambda: [render(aid, clinic) for _ in range(sample)]) / sample
    print(f"{rows:,} sheets, one print-run PDF: {merged:.2f} s ({merged / rows * 1000:.2f} ms a sheet)")
    print(f"{rows:,} sheets, separate files (2 processes): {separate:.2f} s")
    print(f"plain full re-render: {per_render * 1000:.1f} ms a sheet → {per_render * rows:.1f} s for {rows:,}; "
          f"speed-up {per_render * rows / merged:.0f}× (merged), {per_render * rows / separate:.1f}× (separate)")


def peak_memory(rows: int, merge: bool) -> float:
    """Max RSS (MiB) of a fresh `aidpress aftercare --roster` process."""
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        write_roster(roster, rows)
        args = [sys.executable, "-m", "cli", "aftercare", str(AID), "--roster", str(roster),
                "--out", str(Path(tmp) / "o")] + (["--merge"] if merge else [])
        # A fresh parent per measurement: RUSAGE_CHILDREN is the largest child it ever had.
        probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
                 "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        out = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, check=True, capture_output=True, text=True)
    return int(out.stdout) / 1024


def main() -> None:
    in_process(1000)
    for merge in (False, True):
        small, large = peak_memory(1000, merge), peak_memory(10000, merge)
        what = "one print-run PDF" if merge else "separate files"
        print(f"peak memory, {what}: 1,000 rows {small:.0f} MiB, 10,000 rows {large:.0f} MiB")


if __name__ == "__main__":
    main()
