"""The page audit over more random aids than the suite runs (tests/random_aids.py), to find
layouts the fixed seeds miss. Not part of the test run: ten seeds (240 aids, each on A4
and Letter, regular and large print: 960 layouts) take about 6 minutes in one process.

    python3 bench/audit_random.py 11 21            # seeds 11 to 20
    python3 bench/audit_random.py 11 21 --keep DIR # also write each failing aid's YAML to DIR

Prints one line per layout with a defect (seed, aid, paper, print, the defects) and a count.
A defect found here is reproduced with its seed: `random_aids(seed=S, count=24)[i]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aidpress.audit import audit  # noqa: E402
from aidpress.validate import load_aid  # noqa: E402
from layouts import render  # noqa: E402
from tests.conftest import CLINIC  # noqa: E402
from tests.random_aids import random_aids  # noqa: E402
from tests.test_page_audit import compounds, floor  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=int)
    parser.add_argument("end", type=int, help="one past the last seed")
    parser.add_argument("--keep", type=Path, help="write each failing aid's YAML here")
    args = parser.parse_args()
    failing = layouts = 0
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(args.first, args.end):
            for name, text in random_aids(seed=seed, count=24):
                path = Path(folder) / f"{name}-s{seed}.yaml"
                path.write_text(text, encoding="utf-8")
                aid = load_aid(path)
                for paper in ("a4", "letter"):
                    for large in (False, True):
                        layouts += 1
                        report = audit(render(aid, CLINIC, paper=paper, large_print=large).pdf,
                                       min_size=floor(large), compounds=compounds(text))
                        if report.defects:
                            failing += 1
                            print(f"seed {seed} {name} {paper} {'large' if large else 'regular'}: "
                                  + "; ".join(map(str, report.defects)), flush=True)
                            if args.keep:
                                args.keep.mkdir(parents=True, exist_ok=True)
                                (args.keep / path.name).write_text(text, encoding="utf-8")
    print(f"{failing} of {layouts} layouts with a defect (seeds {args.first} to {args.end - 1})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
