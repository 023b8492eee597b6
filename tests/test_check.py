"""aidpress check: every error and warning in every file, one per line, nothing written."""

from __future__ import annotations

import datetime
from pathlib import Path

from click.testing import CliRunner

from aidpress.commands.check import check
from aidpress.model import Clinic
from cli import main

GOOD = """\
kind: checklist
title: Fine
updated: 2026-11-01
review_by: 2099-01-01
sources: [A source.]
sections:
  - heading: H
    items: [Drink plenty of water.]
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


def test_check_reports_every_error_in_every_file_at_its_line(tmp_path):
    a = write(tmp_path, "a.yaml", "kind: quiz\ntitel: x\n")
    b = write(tmp_path, "b.yaml", GOOD.replace("items: [Drink plenty of water.]", "items: []") + "extra: 1\n")
    c = write(tmp_path, "c.yaml", "kind: checklist\ntitle: [\n")
    write(tmp_path, "good.yaml", GOOD)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:7] == [
        f"{a}:1:1: error: missing required key 'title'",
        f"{a}:1:1: error: missing required key 'options'",
        f"{a}:1:1: error: missing required key 'questions'",
        f"{a}:1:1: error: missing required key 'scoring'",
        f"{a}:2:1: error: unknown key 'titel' (did you mean 'title'?)",
        f"{b}:8:12: error: sections[0].items: needs at least 1 entries, has 0",
        f"{b}:9:1: error: unknown key 'extra' (expected one of: " + lines[6].split("expected one of: ")[1],
    ]
    assert lines[7] == f"{c}:2:8: error: this '[' is never closed (close it with ']', or put the whole value in quotes if the brackets are text)"
    assert lines[-1] == "4 files checked: 8 errors, 0 warnings"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "c.yaml", "good.yaml"]


def test_trust_warnings(tmp_path):
    path = write(tmp_path, "w.yaml", """\
kind: comparison
title: T
review_by: 2020-01-01
options: {a: A, b: B}
rows:
  - aspect: X
    cells: {a: Something, b: ""}
""")
    flow = write(tmp_path, "f.yaml", """\
kind: flowchart
title: F
updated: 2026-01-01
sources: [S.]
about: {written_by: W, update_policy: U, funding: F, conflicts: None}
nodes:
  q:
    question: Is it so?
    branches: {Yes: y, No: n}
  y:
    outcome: Do this.
    next_step: Call us.
  n:
    outcome: Do that.
""")
    [report] = check([path], Clinic(), today=datetime.date(2026, 11, 24))
    assert [str(w) for w in report.warnings] == [
        f"{path}:1:1: warning: no 'updated' date: readers cannot tell how current this is",
        f"{path}:1:1: warning: no 'sources': cite where the content comes from",
        f"{path}:1:1: warning: about: no 'written_by': say who wrote it and their role",
        f"{path}:1:1: warning: about: no 'update_policy': say how and when it is kept up to date",
        f"{path}:1:1: warning: about: no 'funding': say who paid for it",
        f"{path}:1:1: warning: about: no 'conflicts': state the authors' conflicts of interest, or 'None'",
        f"{path}:3:12: warning: review_by: review date 2020-01-01 has passed; review the content and set a new date",
        f"{path}:7:30: warning: rows[0].cells.b: 'B' is not described in this row while other options are: "
        "describe every option in equal detail",
    ]
    [report] = check([flow], Clinic(), today=datetime.date(2026, 11, 24))
    assert [str(w) for w in report.warnings] == [
        f"{flow}:1:1: warning: no 'review_by' date: readers cannot tell when it will be checked again",
        f"{flow}:14:5: warning: nodes.n: outcome names no next step (add 'next_step:')"]
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0  # warnings alone do not fail



def test_reading_grade_measures_prose_and_names_the_hardest_sentences(tmp_path):
    # 10 words, 52 syllables and 10 long words by hand (tests/test_readability.py):
    # Flesch–Kincaid 0.39 × 10 + 11.8 × 5.2 − 15.59 = 49.7; SMOG 1.043 × √300 + 3.1291 = 21.2.
    hard_sentence = ("Comprehensive multidisciplinary rehabilitation necessitates individualized physiotherapeutic "
                     "interventions alongside pharmacological considerations.")
    heading = "heading: Extraordinarily polysyllabic terminological heading"
    path = write(tmp_path, "h.yaml", GOOD.replace("[Drink plenty of water.]", f"[{hard_sentence}]")
                 .replace("heading: H", heading))
    [report] = check([path], Clinic(reading_grade=8))
    assert (report.reading.flesch_kincaid, report.reading.smog, report.reading.grade) == (49.7, 21.2, 49.7)
    [warning] = report.warnings
    assert str(warning) == (
        f"{path}:1:1: warning: reading grade 49.7 (Flesch–Kincaid 49.7, SMOG 21.2) is above the clinic's "
        f"target of 8; rewrite first: “{hard_sentence}” (10 words; 10 long words: Comprehensive, "
        "multidisciplinary, rehabilitation, necessitates, …)")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.stdout.count(hard_sentence) == 1  # named once: the note does not repeat the warning
    assert result.stdout.splitlines()[1] == (
        f"{path}: note: reading grade 49.7 (Flesch–Kincaid 49.7, SMOG 21.2), target 8")
    # Headings are not measured: the same heading over plain items reads easily.
    # "Drink plenty of water.": 4 words, 6 syllables: 0.39 × 4 + 11.8 × 1.5 − 15.59 = 3.7; SMOG 3.1.
    path2 = write(tmp_path, "e.yaml", GOOD.replace("heading: H", heading))
    [report2] = check([path2], Clinic(reading_grade=8))
    assert report2.reading.grade == 3.7 and report2.warnings == []
    result = CliRunner().invoke(main, ["check", "--verbose", str(path2)])
    assert result.stdout.splitlines() == [
        f"{path2}: note: reading grade 3.7 (Flesch–Kincaid 3.7, SMOG 3.1), target 8; hardest sentence: "
        "“Drink plenty of water.” (4 words)",
        "1 file checked: 0 errors, 0 warnings"]


def test_a_file_under_the_reading_grade_target_gets_no_note_unless_asked(tmp_path):
    """Noise hides the signal: a file that reads easily is not mentioned by a plain check.
    "Drink plenty of water." is grade 3.7 (above), under the target of 8."""
    path = write(tmp_path, "e.yaml", GOOD)
    result = CliRunner().invoke(main, ["check", "--clinic", str(write(tmp_path, "clinic.yaml", "name: C\n")),
                                       str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["1 file checked: 0 errors, 0 warnings"]
    verbose = CliRunner().invoke(main, ["check", "-v", "--clinic", str(tmp_path / "clinic.yaml"), str(path)])
    assert verbose.stdout.splitlines()[0].startswith(f"{path}: note: reading grade 3.7 ")


def test_a_pack_s_warning_about_one_of_its_aids_is_at_that_aid_s_line_and_names_it(tmp_path):
    """Four options stack in large print (the aid's own warning, at its `options:` key, line 4
    of the fixture); bound in a pack, the pack says the same at the same place, naming the
    aid and the pack, never `packs/p.yaml:1:1`."""
    import shutil

    from aidpress.commands.preflight import BuildOptions

    from .conftest import ROOT

    (tmp_path / "aids").mkdir()
    aid = tmp_path / "aids" / "commute-comparison-4.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "generic" / aid.name, aid)
    line = next(n for n, text in enumerate(aid.read_text().splitlines(), 1) if text.startswith("options:"))
    pack = write(tmp_path, "p.yaml", f"kind: pack\ntitle: Getting to work\nupdated: 2026-11-01\naids: [aids/{aid.name}]\n")
    [report] = check([pack], Clinic(), BuildOptions(large_print=True))
    [stacked] = [w for w in report.warnings if "too many to set side by side" in w.message]
    assert (Path(stacked.where.file).resolve(), stacked.where.line, stacked.where.column) == (aid.resolve(), line, 1)
    assert stacked.message.startswith(f"aid 'commute-comparison-4' in the pack {pack}: 4 options are too many")


def test_an_impossible_date_is_said_not_to_exist(tmp_path):
    """31 November is in the right form already: the message says the day does not exist
    (November has 30 days), not how to write a date."""
    path = write(tmp_path, "d.yaml", GOOD.replace("updated: 2026-11-01", "updated: 2026-11-31"))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:10: error: updated: 2026-11-31 does not exist: month 11 of 2026 has 30 days" \
        in result.stdout.splitlines()


# ── check --pages: the page audit, for an editor's own content ─────────────────────────

def test_check_pages_says_how_many_pages_and_how_full(tmp_path):
    import io
    import json
    import re

    from pypdf import PdfReader

    from .conftest import ROOT

    aid = ROOT / "aids" / "decision-quiz.yaml"
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(aid), "--out", str(out), "--clinic", str(ROOT / "clinic.yaml")])
    assert built.exit_code == 0, built.output
    pages = len(PdfReader(io.BytesIO((out / "decision-quiz.pdf").read_bytes())).pages)  # what build wrote
    result = CliRunner().invoke(main, ["check", "--pages", str(aid), "--clinic", str(ROOT / "clinic.yaml")])
    assert result.exit_code == 0, result.output
    (note,) = [line for line in result.stdout.splitlines() if re.search(r": note: \d+ pages?: ", line)]
    assert note.startswith(f"{aid}: note: {pages} pages: 1 ")
    fills = [int(f) for f in re.findall(r"(\d+)%", note)]
    assert len(fills) == pages and all(0 < f <= 100 for f in fills)
    assert result.stdout.splitlines()[-1] == "1 file checked: 0 errors, 0 warnings"  # the seed passes the audit
    as_json = CliRunner().invoke(main, ["check", "--pages", "--format", "json", str(aid),
                                        "--clinic", str(ROOT / "clinic.yaml")])
    listed = json.loads(as_json.stdout)["pages"][str(aid)]
    assert [p["page"] for p in listed] == list(range(1, pages + 1))
    plain = CliRunner().invoke(main, ["check", str(aid), "--clinic", str(ROOT / "clinic.yaml")])
    assert not re.search(r": note: \d+ pages?: ", plain.stdout)  # only when asked: the audit takes time


def test_check_pages_reports_what_the_audit_finds_as_warnings(monkeypatch):
    from aidpress import audit

    from .conftest import ROOT

    monkeypatch.setitem(audit.SMALLEST, False, 40.0)  # as if no type under 40 pt were allowed
    aid = ROOT / "aids" / "key-factors.yaml"
    args = ["check", "--pages", str(aid), "--clinic", str(ROOT / "clinic.yaml")]
    result = CliRunner().invoke(main, args)
    warned = [line for line in result.stdout.splitlines() if ": warning: page 1: small-text: " in line]
    assert warned and warned[0].startswith(f"{aid}: warning: page 1: small-text: ")
    assert result.exit_code == 0
    assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == 1
