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

    python bench/sheets.py --compare /tmp/old-checkout   # the same figures for another checkout,
                                                         # run for run in turn with this one
    python bench/sheets.py --splitters   # layouts/join.py against pikepdf, in-process, on the
                                         # print runs the commands make (see docs/performance.md)
    python bench/sheets.py --no-memory   # leave out the 10,000-row memory runs
    python bench/sheets.py --tagging     # a print run of 1,000 sheets tagged and untagged,
                                         # in-process, taking turns: what tagging costs
"""

from __future__ import annotations

import argparse
import csv
import io
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


def environment(root: Path = ROOT) -> dict:
    return {**os.environ, "PYTHONPATH": str(root)}  # a checkout's code, the practitioner's command


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


def run(args: list[str], fresh: Path | None = None, sample: bool = False, root: Path = ROOT) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds over all processes, peak summed RSS MiB) of one run;
    `fresh` is emptied first. CPU time is less disturbed than wall time by a busy machine."""
    if fresh is not None and fresh.exists():
        shutil.rmtree(fresh)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=root, env=environment(root), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def timed(args: list[str], fresh: Path | None = None, roots: tuple[Path, ...] = (ROOT,)) -> str:
    """Median wall and CPU time of RUNS runs for each checkout, the checkouts taking turns."""
    runs: dict[Path, list] = {root: [] for root in roots}
    for _ in range(RUNS):
        for root in roots:
            runs[root].append(run(args, fresh, root=root))
    out = []
    for root, found in runs.items():
        wall, cpu = statistics.median(r[0] for r in found), statistics.median(r[1] for r in found)
        out.append(f"{wall:.2f} s wall, {cpu:.2f} s CPU" + (f" [{root}]" if len(roots) > 1 else ""))
    return "; ".join(out) + f" (median of {RUNS})"


def splitters(tmp: Path) -> None:
    """layouts/join.py's split and join against pikepdf's, on print runs made as the commands
    make them: 1,000 separate sheets (10 runs of CHUNK sheets, split) and 1,000 merged (one
    run of MERGE_CHUNK, joined), in this process, the same PDFs for both."""
    import pikepdf

    sys.path.insert(0, str(ROOT))
    from aidpress.commands.sheets import CHUNK, MERGE_CHUNK
    from aidpress.model import Sheet
    from aidpress.validate import load_aid, load_clinic
    from layouts.join import join_streaming, split_pages
    from layouts.stamp import print_run

    aid, clinic = load_aid(ROOT / AID), load_clinic(ROOT / "clinic.yaml")
    roster = tmp / "roster.csv"
    write_roster(roster, MERGE_CHUNK)
    with roster.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sheets = [Sheet({k: v for k, v in row.items() if k != "id"}, i + 2, i + 2) for i, row in enumerate(rows)]
    small = print_run(aid, clinic, sheets[:CHUNK])
    large = print_run(aid, clinic, sheets)
    part = tmp / "part.pdf"
    part.write_bytes(large.pdf)

    def ours_split():
        for _ in range(MERGE_CHUNK // CHUNK):
            for pdf in split_pages(small.pdf, small.pages_per_sheet, title=aid.title, language=aid.language):
                (tmp / "one.pdf").write_bytes(pdf)

    def pikepdf_split():
        for _ in range(MERGE_CHUNK // CHUNK):
            with pikepdf.open(io.BytesIO(small.pdf)) as src:
                for first in range(0, len(src.pages), small.pages_per_sheet):
                    out = pikepdf.new()
                    out.pages.extend(src.pages[first:first + small.pages_per_sheet])
                    out.docinfo["/Title"] = aid.title
                    out.Root.Lang = pikepdf.String(aid.language)
                    out.save(tmp / "one.pdf", deterministic_id=True)

    def ours_join():
        with (tmp / "joined.pdf").open("wb") as out:
            join_streaming([part], out, title=aid.title, language=aid.language)

    def pikepdf_join():
        out = pikepdf.new()
        with pikepdf.open(part) as src:
            out.pages.extend(src.pages)
            out.docinfo["/Title"] = aid.title
            out.Root.Lang = pikepdf.String(aid.language)
            out.save(tmp / "joined.pdf", deterministic_id=True)

    pages = f"{small.pages_per_sheet} page" + "s" * (small.pages_per_sheet > 1)
    print(f"\nSplitting and joining in-process ({MERGE_CHUNK:,} sheets of {pages}; "
          f"median of {RUNS}, taking turns):")
    for name, pair in (("1,000 separate files (split)", (ours_split, pikepdf_split)),
                       ("1,000 merged (join)", (ours_join, pikepdf_join))):
        times: dict = {f: [] for f in pair}
        for _ in range(RUNS):
            for f in pair:
                start = time.process_time()
                f()
                times[f].append(time.process_time() - start)
        ours, theirs = (statistics.median(times[f]) for f in pair)
        print(f"  {name}: layouts/join.py {ours:.2f} s CPU, pikepdf {theirs:.2f} s CPU")


def tagging(tmp: Path) -> None:
    """What the structure tree costs a print run: one run of MERGE_CHUNK sheets (as --merge
    makes), tagged and untagged (layouts.page.TAGGED), taking turns in this process; CPU."""
    sys.path.insert(0, str(ROOT))
    from aidpress.commands.sheets import MERGE_CHUNK
    from aidpress.model import Sheet
    from aidpress.validate import load_aid, load_clinic
    from layouts import page
    from layouts.stamp import print_run

    aid, clinic = load_aid(ROOT / AID), load_clinic(ROOT / "clinic.yaml")
    roster = tmp / "roster.csv"
    write_roster(roster, MERGE_CHUNK)
    with roster.open(encoding="utf-8") as f:
        sheets = [Sheet({k: v for k, v in row.items() if k != "id"}, i + 2, i + 2)
                  for i, row in enumerate(csv.DictReader(f))]
    times: dict = {False: [], True: []}
    sizes = {}
    try:
        for _ in range(RUNS):
            for tagged in (False, True):
                page.TAGGED = tagged
                start = time.process_time()
                sizes[tagged] = len(print_run(aid, clinic, sheets).pdf)
                times[tagged].append(time.process_time() - start)
    finally:
        page.TAGGED = True
    plain, tagged = (statistics.median(times[t]) for t in (False, True))
    print(f"one print run of {MERGE_CHUNK:,} sheets ({AID}), median of {RUNS}, taking turns: "
          f"untagged {plain:.2f} s CPU ({sizes[False] / 1e6:.2f} MB), tagged {tagged:.2f} s CPU "
          f"({sizes[True] / 1e6:.2f} MB): {(tagged / plain - 1) * 100:+.0f}%")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compare", type=Path, action="append", default=[], metavar="CHECKOUT",
                        help="another aidpress checkout to time too, run for run in turn with this one")
    parser.add_argument("--splitters", action="store_true", help="only layouts/join.py against pikepdf")
    parser.add_argument("--no-memory", action="store_true", help="leave out the 10,000-row memory runs")
    parser.add_argument("--tagging", action="store_true",
                        help="only a print run of 1,000 sheets tagged and untagged, in-process (issue 17)")
    args = parser.parse_args()
    roots = (ROOT, *(root.resolve() for root in args.compare))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.splitters:
            splitters(tmp)
            return
        if args.tagging:
            tagging(tmp)
            return
        rosters = {}
        for rows in (1000, 10000):
            rosters[rows] = tmp / f"roster-{rows}.csv"
            write_roster(rosters[rows], rows)
        merged = lambda rows: command("aftercare", AID, "--roster", str(rosters[rows]), "--merge", "-o",
                                      str(tmp / "run.pdf"))
        separate = lambda rows: command("aftercare", AID, "--roster", str(rosters[rows]), "--out", str(tmp / "s"))
        one = command("aftercare", AID, "--field", "name=Invented Person", "--field", "date=2026-11-23", "-o",
                      str(tmp / "one" / "sheet.pdf"))
        print(f"`aidpress --help`: {timed(command('--help'), roots=roots)}")
        print(f"one sheet from --field: {timed(one, roots=roots)}")
        print(f"1,000 rows, --merge: {timed(merged(1000), roots=roots)}")
        print(f"1,000 rows, separate files: {timed(separate(1000), tmp / 's', roots=roots)}")
        for name, make, fresh in (("--merge", merged, None), ("separate files", separate, tmp / "s")):
            if args.no_memory:
                break
            for root in roots:
                small, large = (run(make(rows), fresh, sample=True, root=root) for rows in (1000, 10000))
                print(f"{name}: peak memory over all processes {small[2]:.0f} MiB (1,000 rows) → "
                      f"{large[2]:.0f} MiB (10,000 rows, {large[0]:.1f} s wall, {large[1]:.1f} s CPU) [{root}]")
    print(f"(Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
