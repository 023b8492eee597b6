"""Benchmark: in-process render time per aid, and a cold `aidpress build` of aids/.

    python bench/render.py            # prints a Markdown table; paste into docs/performance.md

Render times are the median of repeated renders after warm-up (validation excluded:
it runs once per build). Targets (docs/performance.md): a 3-page comparison ≤ 30 ms
warm; the whole seed set cold < 1 s; `aidpress --help` ≤ 100 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aidpress.model import Clinic  # noqa: E402
from aidpress.validate import load_aid, load_clinic  # noqa: E402
from layouts import render  # noqa: E402

REPEATS = 25


def median_ms(fn, repeats: int = REPEATS) -> float:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def cold_command(args: list[str], runs: int = 5) -> float:
    """Median wall time of a fresh process (imports, fonts and all)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    clinic = load_clinic(ROOT / "clinic.yaml") if (ROOT / "clinic.yaml").exists() else Clinic()
    print("| aid | kind | pages | render, warm median (ms) | large print (ms) |")
    print("|---|---|---:|---:|---:|")
    for path in sorted((ROOT / "aids").glob("*.yaml")):
        aid = load_aid(path)
        pages = render(aid, clinic).pages
        regular = median_ms(lambda: render(aid, clinic))
        large = median_ms(lambda: render(aid, clinic, large_print=True))
        print(f"| {path.stem} | {aid.kind} | {pages} | {regular:.1f} | {large:.1f} |")
    with tempfile.TemporaryDirectory() as out:
        build = cold_command([sys.executable, "-m", "cli", "build", "--force", "--out", out])
    helps = cold_command([sys.executable, "-m", "cli", "--help"])
    print()
    print(f"cold `aidpress build --force` of aids/ and packs/ (fresh process, median of 5): {build:.0f} ms")
    print(f"cold `aidpress --help` (fresh process, median of 5): {helps:.0f} ms")


if __name__ == "__main__":
    main()
