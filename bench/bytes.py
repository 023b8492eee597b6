"""Every PDF aidpress makes, written to a folder with a sha256 manifest: to show that a
change leaves the output byte for byte the same (a refactoring), or which files it changes.

    python bench/bytes.py OUT                  # render everything into OUT/, write OUT/MANIFEST.sha256
    python bench/bytes.py OUT --seeds 1 2 3    # which random aids (tests/random_aids.py), 24 a seed
    python bench/bytes.py --compare A B        # compare two manifests (or the folders holding them)

    # before and after a change, from the same checkout:
    git stash; python bench/bytes.py /tmp/before; git stash pop
    python bench/bytes.py /tmp/after && python bench/bytes.py --compare /tmp/before /tmp/after

What is rendered, on A4 and Letter, in regular and large print: every aid in aids/, every
fixture under tests/fixtures/ that loads (generic, sheets, and the bad ones that fail only
once laid out), the packs in packs/, the random aids of the seeds given, and patient sheets
through the command line (`aidpress aftercare`: one sheet, a roster merged into one PDF,
and a roster as one file per patient) for every checklist with patient fields in aids/ and
tests/fixtures/sheets/. A render that fails is recorded by its message, which must stay
the same too. Run with PYTHONPATH set to the checkout under test.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS = [(paper, large) for paper in ("a4", "letter") for large in (False, True)]
ROSTER = ROOT / "examples" / "roster.csv"
VALUES = {"name": "Invented Person One", "date": "2026-11-23", "area": "lower back", "practitioner": "Dr Example",
          "next_appointment": "2026-11-30 10:00", "plot": "12"}


def variant_name(paper: str, large: bool) -> str:
    return f"{paper}-{'large' if large else 'regular'}"


def outcome(run) -> bytes:
    """The PDF `run()` makes, or the error it raises (as bytes): a fixture made to fail
    must fail alike."""
    try:
        return run().pdf
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}\n".encode()


def handouts(out: Path, seeds: list[int]) -> dict[str, bytes]:
    from aidpress.model import Pack
    from aidpress.validate import load_aid, pack_members
    from layouts import render
    from layouts.pack import render_pack
    from tests.conftest import CLINIC
    from tests.random_aids import random_aids

    sources = sorted((ROOT / "aids").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
    sources += sorted((ROOT / "packs").glob("*.yaml"))
    written = out / "random-yaml"  # a fixed place: a message names the file
    written.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        for name, text in random_aids(seed=seed, count=24):
            path = written / f"{name}-s{seed}.yaml"
            path.write_text(text, encoding="utf-8")
            sources.append(path)
    results: dict[str, bytes] = {}
    for path in sources:
        try:
            aid = load_aid(path)
        except Exception:  # a fixture built to fail loading: nothing to render
            continue
        for paper, large in VARIANTS:
            key = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{variant_name(paper, large)}"
            if isinstance(aid, Pack):
                try:
                    members = [load_aid(p) for p in pack_members(aid)]
                except Exception:
                    continue
                results[key] = outcome(lambda: render_pack(aid, members, CLINIC, paper=paper, large_print=large))
            else:
                results[key] = outcome(lambda: render(aid, CLINIC, paper=paper, large_print=large))
    return results


def sheets(out: Path) -> dict[str, bytes]:
    """Patient sheets, through the command line (its interface outlives internal changes)."""
    candidates = sorted((ROOT / "aids").glob("aftercare-*.yaml")) + sorted((ROOT / "tests" / "fixtures" / "sheets").glob("*.yaml"))
    from aidpress.validate import load_aid

    results: dict[str, bytes] = {}
    work = out / "sheets-work"
    for path in candidates:
        aid = load_aid(path)
        roster = roster_for(aid, work / f"{path.stem}-roster.csv")
        for paper, large in VARIANTS:
            options = ["--paper", paper] + (["--large-print"] if large else []) + ["--clinic", str(ROOT / "clinic.yaml")]
            name = f"{path.stem}:{variant_name(paper, large)}"
            folder = work / name.replace(":", "-")
            folder.mkdir(parents=True, exist_ok=True)
            fields = [a for f in aid.fields if f.id in VALUES for a in ("--field", f"{f.id}={VALUES[f.id]}")]
            runs = {
                "one": ["-o", str(folder / "one.pdf"), *fields],
                "merged": ["--roster", str(roster), "--merge", "-o", str(folder / "merged.pdf")],
                "duplex": ["--roster", str(roster), "--merge", "--duplex", "-o", str(folder / "duplex.pdf")],
                "each": ["--roster", str(roster), "--out", str(folder / "each")],
            }
            for run, args in runs.items():
                done = subprocess.run([sys.executable, "-m", "aidpress", "aftercare", str(path), *args, *options],
                                      cwd=ROOT, capture_output=True, text=True)
                made = sorted(p for p in folder.rglob("*.pdf") if p.name == f"{run}.pdf" or
                              (run == "each" and "each" in p.parts))
                said = (done.stdout + done.stderr).replace(str(out), "OUT")
                results[f"sheets/{name}:{run}:exit"] = f"{done.returncode}\n{said}".encode()
                for pdf in made:
                    results[f"sheets/{name}:{run}:{pdf.name}"] = pdf.read_bytes()
    return results


def roster_for(aid, path: Path) -> Path:
    """examples/roster.csv when its columns are the aid's fields, else three made-up rows."""
    ids = [f.id for f in aid.fields]
    header = ROSTER.read_text(encoding="utf-8").splitlines()[0].split(",")
    if set(header) - {"id"} <= set(ids):
        return ROSTER
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [["id"] + ids] + [[f"R-{n}"] + [VALUES.get(i, "x").replace("One", str(n)) for i in ids] for n in (1, 2, 3)]
    path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write(out: Path, results: dict[str, bytes]) -> Path:
    files = out / "files"
    files.mkdir(parents=True, exist_ok=True)
    lines = []
    for key in sorted(results):
        data = results[key]
        safe = key.replace("/", "__").replace(":", "--")
        (files / (safe + (".pdf" if data.startswith(b"%PDF") else ".txt"))).write_bytes(data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {key}")
    manifest = out / "MANIFEST.sha256"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def read_manifest(path: Path) -> dict[str, str]:
    if path.is_dir():
        path = path / "MANIFEST.sha256"
    pairs = (line.split("  ", 1) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {key: digest for digest, key in pairs}


def compare(before: Path, after: Path) -> int:
    a, b = read_manifest(before), read_manifest(after)
    changed = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    for label, keys in (("changed", changed), ("only before", only_a), ("only after", only_b)):
        for key in keys:
            print(f"{label}: {key}")
    print(f"{len(a)} before, {len(b)} after: {len(a.keys() & b.keys()) - len(changed)} identical, "
          f"{len(changed)} changed, {len(only_a)} only before, {len(only_b)} only after")
    return 1 if changed or only_a or only_b else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", help="folder to write the files and MANIFEST.sha256 into")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3, 9], help="random-aid seeds [1 2 3 9]")
    parser.add_argument("--no-sheets", action="store_true", help="skip the patient sheets (command-line runs)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                        help="compare two manifests (or folders holding MANIFEST.sha256)")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("give OUT, or --compare BEFORE AFTER")
    results = handouts(args.out, args.seeds)
    if not args.no_sheets:
        results.update(sheets(args.out))
    manifest = write(args.out, results)
    print(f"{len(results)} outputs; manifest {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
