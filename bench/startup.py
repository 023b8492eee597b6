"""Benchmark: how fast aidpress starts, and where a cold one-handout build spends its time.

    python bench/startup.py            # figures for docs/performance.md ("Start-up")
    python bench/startup.py --runs 41  # more runs on a busy machine
    python bench/startup.py --python /tmp/venv/bin/python --root /tmp/old-checkout
                                       # another interpreter (a clean venv: no .pth files
                                       # run at start) or another version of aidpress
    python3 -m venv /tmp/v && /tmp/v/bin/pip install .
    python bench/startup.py --installed /tmp/v
                                       # aidpress as pip installs it (the figures in
                                       # docs/performance.md): its own `aidpress` script and
                                       # compiled bytecode, run in a copy of aids/ and clinic.yaml
    python bench/startup.py --installed /tmp/v --compare /tmp/v-old --no-stages
                                       # two installs run for run in turn (the machine's load
                                       # drifts alike for both): before/after figures

Every figure is a fresh process, after one warm-up run (which writes bytecode for a source
tree and the parsed-font cache, as any second run of aidpress finds them; the environment's
PYTHONDONTWRITEBYTECODE is dropped for that reason). Wall times are the minimum and the median of N runs
(the minimum is the least disturbed by other work on the machine). The stage table
times each step of the same build inside one fresh process; `python -X importtime`
gives the import tree when a stage needs a closer look:

    python -X importtime cli.py build --force aids/decision-quiz.yaml --out /tmp/o 2>&1 | sort -t'|' -k2 -n | tail

Targets (issue 11): a cold `aidpress build --force aids/decision-quiz.yaml` ≤ 150 ms wall;
`aidpress --version` and `aidpress --help` ≤ 60 ms; for scale, `python3 -c pass`.
"""

from __future__ import annotations

import argparse
import json
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
AID = "aids/decision-quiz.yaml"
# The seed comparison: it hyphenates, which the quiz does not (pyphen's patterns, read from
# the cache beside the fonts'). Target (issue 18): its cold build ≤ 1.3× the quiz's, same run.
COMPARISON = "aids/cupping-vs-dry-needling.yaml"

# One build, stage by stage, in a fresh process: the steps `aidpress build` takes.
STAGES = r"""
import gc, time
gc.disable()  # as the `aidpress` script (cli.run) does until start-up ends
marks = [("start", time.perf_counter(), time.process_time())]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
import click, cli
mark("import click + cli.py")
from aidpress.commands.preflight import BuildOptions, output_path
from aidpress.commands.manifest import Manifest, inputs_key
from aidpress.validate import load_aid, load_clinic
mark("import PyYAML, models, validation")
from pathlib import Path
from aidpress import fonts
fonts.drawable()
mark("font coverage table")
clinic = load_clinic(Path("clinic.yaml"))
mark("load + validate clinic.yaml")
aid = load_aid(Path(AID))
mark("load + validate the aid")
import datetime
from aidpress.commands.check import advice
advice(aid, lambda *a, **k: aid.where, clinic, datetime.date.today())
mark("advice: About items, reading grade")
import layouts
from reportlab.platypus.doctemplate import LayoutError
mark("import ReportLab + layouts")
layouts.register_fonts()
mark("register the 4 font faces")
options = BuildOptions(out_dir=Path(OUT))
rendered = layouts.render(aid, clinic)
mark("render (layout + PDF bytes)")
manifest = Manifest.open(options.out_dir)
key = manifest.key([Path(AID)], inputs_key(Path("clinic.yaml"), options))
mark("manifest: hash inputs")
from aidpress.write import write_atomic
write_atomic(output_path(aid, clinic, options), rendered.pdf)
manifest.record(output_path(aid, clinic, options), key, Path(AID))
manifest.save()
mark("write PDF + manifest")
import json
print(json.dumps([(b[0], (b[1] - a[1]) * 1000, (b[2] - a[2]) * 1000) for a, b in zip(marks, marks[1:])]))
"""


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(args: list[str], runs: int, cwd: Path) -> tuple[float, float, float, float]:
    """Minimum and median wall milliseconds of a fresh process, and its minimum and median
    CPU time (user + system: less disturbed than wall time when the machine is busy)."""
    times, cpu = [], []
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=ENV)  # warm-up
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=ENV)
        times.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return min(times), statistics.median(times), min(cpu), statistics.median(cpu)


def stages(py: str, root: Path, runs: int, out: str) -> list[tuple[str, float, float]]:
    """Median wall and CPU milliseconds of each stage over `runs` fresh processes."""
    code = f"AID = {AID!r}; OUT = {out!r}\n" + STAGES
    found: dict[str, tuple[list[float], list[float]]] = {}
    for _ in range(runs):
        result = subprocess.run([py, "-c", code], cwd=root, check=True, capture_output=True, text=True, env=ENV)
        for name, ms, cpu in json.loads(result.stdout):
            found.setdefault(name, ([], []))
            found[name][0].append(ms)
            found[name][1].append(cpu)
    return [(name, statistics.median(w), statistics.median(c)) for name, (w, c) in found.items()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--python", default=sys.executable, help="the interpreter to run aidpress with")
    parser.add_argument("--root", type=Path, default=ROOT, help="the aidpress source tree to run")
    parser.add_argument("--aidpress", help="an installed `aidpress` script to time instead of python cli.py")
    parser.add_argument("--installed", type=Path, metavar="VENV",
                        help="a venv aidpress is pip-installed in: time its python and aidpress script, "
                             "run in a copy of this tree's aids/ and clinic.yaml")
    parser.add_argument("--compare", type=Path, metavar="VENV",
                        help="with --installed: a second install, timed run for run in turn with the first")
    parser.add_argument("--no-stages", action="store_true", help="only the whole commands")
    args = parser.parse_args()
    runs, py, root = args.runs, args.python, args.root.resolve()
    aidpress = [args.aidpress] if args.aidpress else [py, "cli.py"]
    with tempfile.TemporaryDirectory() as project:
        if args.installed:
            py, aidpress = str(args.installed / "bin" / "python"), [str(args.installed / "bin" / "aidpress")]
            shutil.copytree(root / "aids", Path(project) / "aids")
            shutil.copy(root / "clinic.yaml", Path(project) / "clinic.yaml")
            root = Path(project)
            if args.compare:
                compare(runs, root, [args.installed, args.compare])
                return
        measure(runs, py, root, aidpress, args.no_stages)


def compare(runs: int, root: Path, venvs: list[Path]) -> None:
    """Each command from each install, the installs taking turns run by run."""
    with tempfile.TemporaryDirectory() as out:
        print(f"Fresh processes, {runs} runs each, installs in turn ({os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}):\n")
        print("| command | install | wall, min (ms) | wall, median (ms) | CPU, min (ms) | CPU, median (ms) |")
        print("|---|---|---:|---:|---:|---:|")
        for label, args in (("aidpress --version", ["--version"]), ("aidpress --help", ["--help"]),
                            (f"aidpress build --force {AID}", ["build", "--force", AID, "--out", out]),
                            (f"aidpress check {AID}", ["check", AID])):
            found = {venv: ([], []) for venv in venvs}
            for venv in venvs:
                subprocess.run([str(venv / "bin" / "aidpress"), *args], cwd=root, capture_output=True, env=ENV)
            for _ in range(runs):
                for venv in venvs:
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    start = time.perf_counter()
                    subprocess.run([str(venv / "bin" / "aidpress"), *args], cwd=root, check=True,
                                   capture_output=True, env=ENV)
                    found[venv][0].append((time.perf_counter() - start) * 1000)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    found[venv][1].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
            for venv, (times, cpu) in found.items():
                print(f"| `{label}` | {venv} | {min(times):.0f} | {statistics.median(times):.0f} | "
                      f"{min(cpu):.0f} | {statistics.median(cpu):.0f} |")


def measure(runs: int, py: str, root: Path, aidpress: list[str], no_stages: bool) -> None:
    with tempfile.TemporaryDirectory() as out:
        rows = [  # by default cli.py from the source tree: what the `aidpress` script runs
            ("python3 -c pass", [py, "-c", "pass"]),
            ("aidpress --version", [*aidpress, "--version"]),
            ("aidpress --help", [*aidpress, "--help"]),
            (f"aidpress build --force {AID}", [*aidpress, "build", "--force", AID, "--out", out]),
            (f"aidpress check {AID}", [*aidpress, "check", AID]),
            (f"aidpress build --force {COMPARISON}", [*aidpress, "build", "--force", COMPARISON, "--out", out]),
        ]
        print(f"Fresh processes, {runs} runs each ({py}, {root}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}):\n")
        print("| command | wall, min (ms) | wall, median (ms) | CPU, min (ms) | CPU, median (ms) |")
        print("|---|---:|---:|---:|---:|")
        found = {}
        for label, command in rows:
            found[label] = figures = wall(command, runs, root)
            print(f"| `{label}` | " + " | ".join(f"{x:.0f}" for x in figures) + " |")
        quiz, comparison = found[rows[3][0]], found[rows[5][0]]
        names = ("wall min", "wall median", "CPU min", "CPU median")
        print("\nComparison build against the quiz build (target ≤ 1.3×): "
              + ", ".join(f"{name} {c / q:.2f}×" for name, q, c in zip(names, quiz, comparison)))
        shutil.rmtree(out)
        if no_stages:
            return
        print(f"\nOne cold build, stage by stage (median of {runs} fresh processes):\n")
        print("| stage | wall (ms) | CPU (ms) |")
        print("|---|---:|---:|")
        total = [0.0, 0.0]
        for name, ms, cpu in stages(py, root, runs, out):
            total[0] += ms
            total[1] += cpu
            print(f"| {name} | {ms:.1f} | {cpu:.1f} |")
        print(f"| **inside the process** (add the interpreter's start) | **{total[0]:.1f}** | **{total[1]:.1f}** |")


if __name__ == "__main__":
    main()
