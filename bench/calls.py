"""Function calls one warm render of each aid makes (cProfile's count): a measure of work
that a busy machine does not blur, to set beside bench/render.py's timings when comparing
code against code.

    python bench/calls.py                      # this checkout
    git archive BASE | tar -x -C /tmp/base && cp bench/calls.py /tmp/base/bench/
    (cd /tmp/base && PYTHONPATH=$PWD python bench/calls.py)    # the code before a change

Each render is counted after three warm-up renders (caches filled, as in a build of many
aids), regular and large print, with the aids/ and clinic.yaml of the checkout.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aidpress.validate import load_aid, load_clinic  # noqa: E402
from layouts import render  # noqa: E402


def calls(fn) -> int:
    for _ in range(3):
        fn()
    profile = cProfile.Profile()
    profile.enable()
    fn()
    profile.disable()
    return pstats.Stats(profile).total_calls


def main() -> None:
    clinic = load_clinic(ROOT / "clinic.yaml")
    total = 0
    print("| aid | calls, regular | large print |")
    print("|---|---:|---:|")
    for path in sorted((ROOT / "aids").glob("*.yaml")):
        aid = load_aid(path)
        regular, large = (calls(lambda: render(aid, clinic, large_print=lp)) for lp in (False, True))
        total += regular + large
        print(f"| {path.stem} | {regular} | {large} |")
    print(f"| **total** | {total} | |")


if __name__ == "__main__":
    main()
