"""Benchmark: in-process render time per aid, and a cold `aidpress build` of aids/.

    python bench/render.py            # prints a Markdown table; paste into docs/performance.md
    python bench/render.py --at edf5912
                                      # the same code on the content of another commit
                                      # (its aids/, packs/ and clinic.yaml, read from git):
                                      # code against code on the same words
    python bench/render.py --aids DIR --clinic FILE --packs DIR
                                      # any other set of aids
    python bench/render.py --at edf5912 --as-designed --no-cold
                                      # never closing up spacing to save a page: the
                                      # job the code of that day did, for code-vs-code
    python bench/render.py --only quiz --no-cold --layouts --cpu
                                      # one aid, no fresh processes, how many layouts
                                      # each render made (layouts/fitting.py), in
                                      # CPU time (steadier on a shared machine)
    python bench/render.py --tagging --no-cold --cpu
                                      # each aid rendered tagged and untagged in the same
                                      # run (layouts/tagging.py): what the structure costs

Render times are the median of repeated renders after warm-up (validation excluded:
it runs once per build). Targets (docs/performance.md): a 3-page comparison ≤ 30 ms
warm; the whole seed set cold < 1 s; `aidpress --help` ≤ 100 ms.
"""

from __future__ import annotations

import argparse
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
import layouts  # noqa: E402
from layouts import fitting, page, render  # noqa: E402

REPEATS = 25


CLOCK = time.perf_counter  # --cpu: time.process_time (steadier while other work shares the machine)


def median_ms(fn, repeats: int = REPEATS) -> float:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = CLOCK()
        fn()
        times.append(CLOCK() - start)
    return statistics.median(times) * 1000


def cold_command(args: list[str], runs: int = 5) -> float:
    """Median wall time of a fresh process (imports, fonts and all)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def content_at(commit: str, into: Path) -> None:
    """The aids/, packs/ and clinic.yaml of another commit, written under `into`."""
    for folder in ("aids", "packs"):
        names = subprocess.run(["git", "ls-tree", "--name-only", f"{commit}:{folder}"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.split()
        (into / folder).mkdir()
        for name in names:
            (into / folder / name).write_bytes(_git_show(commit, f"{folder}/{name}"))
    (into / "clinic.yaml").write_bytes(_git_show(commit, "clinic.yaml"))


def _git_show(commit: str, path: str) -> bytes:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True).stdout


def count_layouts(fn) -> str:
    """How many layouts (layouts.lay_out calls) one call of fn makes, and how many of
    them were given up part-way ("3 (1 given up)")."""
    made, stopped = 0, 0
    lay_out = layouts.lay_out

    def counting(*args, **kwargs):
        nonlocal made, stopped
        made += 1
        try:
            return lay_out(*args, **kwargs)
        except layouts.Stopped:
            stopped += 1
            raise

    layouts.lay_out = counting
    try:
        fn()
    finally:
        layouts.lay_out = lay_out
    return f"{made} ({stopped} given up)" if stopped else str(made)


def table(aids: Path, clinic_file: Path, only: str | None, show_layouts: bool) -> None:
    clinic = load_clinic(clinic_file) if clinic_file.exists() else Clinic()
    extra = " layouts (regular, large) |" if show_layouts else ""
    print("| aid | kind | pages | render, warm median (ms) | large print (ms) |" + extra)
    print("|---|---|---:|---:|---:|" + ("---:|" if show_layouts else ""))
    for path in sorted(aids.glob("*.yaml")):
        if only and only not in path.stem:
            continue
        aid = load_aid(path)
        pages = render(aid, clinic).pages
        regular = median_ms(lambda: render(aid, clinic))
        large = median_ms(lambda: render(aid, clinic, large_print=True))
        row = f"| {path.stem} | {aid.kind} | {pages} | {regular:.1f} | {large:.1f} |"
        if show_layouts:
            row += (f" {count_layouts(lambda: render(aid, clinic))},"
                    f" {count_layouts(lambda: render(aid, clinic, large_print=True))} |")
        print(row)


def tagging_table(aids: Path, clinic_file: Path, only: str | None) -> None:
    """Render time and size, tagged and untagged, each aid in both, same run."""
    clinic = load_clinic(clinic_file) if clinic_file.exists() else Clinic()
    print("| aid | pages | untagged (ms) | tagged (ms) | time | untagged (KiB) | tagged (KiB) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    totals = [0.0, 0.0]
    for path in sorted(aids.glob("*.yaml")):
        if only and only not in path.stem:
            continue
        aid = load_aid(path)
        sizes, runs = [], ([], [])
        for tagged in (False, True):
            page.TAGGED = tagged
            sizes.append(len(render(aid, clinic).pdf) / 1024)
            render(aid, clinic)  # warm
        # Alternated, so both see the same load on a shared machine; the median of each.
        for _ in range(REPEATS):
            for tagged in (False, True):
                page.TAGGED = tagged
                start = CLOCK()
                render(aid, clinic)
                runs[tagged].append(CLOCK() - start)
        page.TAGGED = True
        times = [statistics.median(r) * 1000 for r in runs]
        totals = [totals[0] + times[0], totals[1] + times[1]]
        print(f"| {path.stem} | {render(aid, clinic).pages} | {times[0]:.1f} | {times[1]:.1f} | "
              f"{(times[1] / times[0] - 1) * 100:+.0f}% | {sizes[0]:.0f} | {sizes[1]:.0f} |")
    print(f"| all | | {totals[0]:.1f} | {totals[1]:.1f} | {(totals[1] / totals[0] - 1) * 100:+.0f}% | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", metavar="COMMIT", help="render the aids/, packs/ and clinic.yaml of this commit")
    parser.add_argument("--aids", type=Path, default=ROOT / "aids", help="folder of aids [default: aids/]")
    parser.add_argument("--packs", type=Path, default=ROOT / "packs", help="folder of packs, for the cold build")
    parser.add_argument("--clinic", type=Path, default=ROOT / "clinic.yaml", help="clinic profile")
    parser.add_argument("--only", help="only aids whose file name contains this")
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process commands")
    parser.add_argument("--layouts", action="store_true", help="add how many layouts each render made")
    parser.add_argument("--cpu", action="store_true", help="time renders in CPU time rather than wall time")
    parser.add_argument("--tagging", action="store_true",
                        help="each aid tagged and untagged, same run: what the structure tree costs")
    parser.add_argument("--as-designed", action="store_true",
                        help="renders at the designed spacing only, never closing up (the 2026-11-24 code's job; not the cold build)")
    args = parser.parse_args()
    if args.as_designed:
        fitting.DENSITIES = fitting.DENSITIES[:1]
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    with tempfile.TemporaryDirectory() as scratch:
        if args.at:
            content_at(args.at, Path(scratch))
            args.aids, args.packs, args.clinic = (Path(scratch) / n for n in ("aids", "packs", "clinic.yaml"))
        if args.tagging:
            tagging_table(args.aids, args.clinic, args.only)
        else:
            table(args.aids, args.clinic, args.only, args.layouts)
        if args.no_cold:
            return
        with tempfile.TemporaryDirectory() as out:
            build = cold_command([sys.executable, "-m", "cli", "build", "--force", "--out", out,
                                  "--clinic", str(args.clinic), str(args.aids), str(args.packs)])
    helps = cold_command([sys.executable, "-m", "cli", "--help"])
    print()
    print(f"cold `aidpress build --force` of {args.aids.name}/ and {args.packs.name}/ "
          f"(fresh process, median of 5): {build:.0f} ms")
    print(f"cold `aidpress --help` (fresh process, median of 5): {helps:.0f} ms")


if __name__ == "__main__":
    main()
