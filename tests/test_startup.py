"""What a fast start relies on: fonts read once, a coverage table that matches the fonts.

(Timings live in bench/startup.py and docs/performance.md, never here.)
"""

from __future__ import annotations

import json
import subprocess
import sys

from aidpress import fonts

from .conftest import ROOT


def test_shipped_coverage_table_matches_the_fonts():
    # expected value from ReportLab's own cmap parser, not from the shipped table
    assert fonts.COVERAGE.read_text(encoding="utf-8") == fonts.coverage_table(), "run: python -m aidpress.fonts"
    table = json.loads(fonts.COVERAGE.read_text(encoding="utf-8"))
    assert set(table["faces"]) == set(fonts.TEXT_FACES)
    assert fonts.drawable() == fonts.measured_coverage()
    assert ord("é") in fonts.drawable() and ord("→") in fonts.drawable() and 0x1F642 not in fonts.drawable()


def test_a_table_for_other_fonts_is_not_used(tmp_path, monkeypatch):
    table = json.loads(fonts.COVERAGE.read_text(encoding="utf-8"))
    table["faces"]["bold"] = "00000000-1"  # as if the bold face had been replaced
    table["ranges"] = [[65, 90]]  # and this table were wrong for it
    stale = tmp_path / "coverage.json"
    stale.write_text(json.dumps(table))
    monkeypatch.setattr(fonts, "COVERAGE", stale)
    fonts.drawable.cache_clear()
    try:
        assert fonts.drawable() == fonts.measured_coverage()
        assert len(fonts.drawable()) > 5000
    finally:
        fonts.drawable.cache_clear()


COUNT_OPENS = r"""
import collections, sys
opened = collections.Counter()
def hook(event, args):
    if event == "open" and str(args[0]).endswith(".ttf"):
        opened[str(args[0]).rsplit("/", 1)[1]] += 1
sys.addaudithook(hook)
from pathlib import Path
from aidpress.validate import load_aid, load_clinic
from layouts import render
clinic = load_clinic(Path("clinic.yaml"))
aid = load_aid(Path("aids/decision-flowchart.yaml"))  # a flowchart uses the oblique face too
render(aid, clinic)
print(sorted(opened.items()))
"""


def test_validating_and_rendering_read_each_font_file_once():
    result = subprocess.run([sys.executable, "-c", COUNT_OPENS], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == str(sorted((file, 1) for _name, file in fonts.FACES.values()))


def test_help_and_version_import_neither_yaml_nor_reportlab_nor_difflib():
    code = ("import sys, cli\n"
            "for args in (['--help'], ['--version']):\n"
            "    try:\n        cli.main(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'reportlab', 'difflib', 'jsonschema')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
