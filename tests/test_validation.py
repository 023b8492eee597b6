"""Every kind of mistake in a YAML file: the exact message, file:line:col, and no PDF."""

from __future__ import annotations

import os
import textwrap

import pytest
from click.testing import CliRunner

from aidpress.errors import InvalidAid
from aidpress.validate import load_aid
from aidpress.write import write_atomic
from cli import main

CHECKLIST = """\
kind: checklist
title: T
sections:
  - heading: H
    items: [Drink plenty of water.]
"""
COMPARISON = """\
kind: comparison
title: T
options: {a: Apple, b: Banana}
rows:
  - aspect: Taste
    cells: {a: Sweet, b: Soft}
"""
QUIZ = """\
kind: quiz
title: T
options: {a: Apple, b: Banana}
questions:
  - question: Q?
    points:
      Yes: {a: 2}
scoring:
  lean: {a: Lean A., b: Lean B.}
  otherwise: Neither.
"""
FLOW = """\
kind: flowchart
title: T
nodes:
  q1:
    question: First?
    branches:
      Yes: done
      No: q2
  q2:
    question: Second?
    branches:
      Yes: done
      No: other
  done:
    outcome: Done.
  other:
    outcome: Other.
"""


def errors(tmp_path, text: str, name: str = "aid.yaml") -> list[str]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    prefix = f"{path}:"
    lines = str(err.value).splitlines()
    assert all(line.startswith(prefix) for line in lines)
    return [line[len(prefix):] for line in lines]


@pytest.mark.parametrize("text, expected", [
    # YAML syntax
    ("kind: checklist\ntitle: 'unclosed\n", ["2:8: error: this quote (') is never closed (end the text with ', "
                                             "or remove the opening ')"]),
    ("kind: checklist\n\ttitle: T\n", ["2:1: error: a tab in the indentation (YAML indents with spaces only: "
                                        "replace the tab with spaces)"]),
    ("kind: checklist\ntitle: a: b\n", ["2:9: error: the value of 'title' contains ': ', which YAML reads as "
                                         "another key (put the whole value in quotes: title: \"a: b\")"]),
    # what YAML would silently get wrong
    (CHECKLIST + "title: Again\n", ["6:1: error: duplicate key 'title' (first given on line 2; YAML would "
                                    "silently keep only the last one)"]),
    ("kind: checklist\ntitle: &t T\n", ["2:8: error: anchor '&t' is not allowed (remove it, as aids do not share "
                                        "text between places; if it is text that starts with '&', put the whole "
                                        "text in quotes)"]),
    ("kind: checklist\ntitle: *t\n", ["2:8: error: alias '*t' is not allowed (write the text out again instead "
                                      "of referring to an anchor; if it is text that starts with '*', put the "
                                      "whole text in quotes)"]),
    (CHECKLIST + "---\n" + CHECKLIST, ["6:1: error: only one YAML document is allowed per file "
                                       "(remove the extra '---')"]),
    ("", ["1:1: error: file is empty"]),
    # keys and types
    (CHECKLIST.replace("title:", "titel:"), ["1:1: error: missing required key 'title'",
                                             "2:1: error: unknown key 'titel' (did you mean 'title'?)"]),
    (CHECKLIST.replace("checklist", "checklst"), ["1:7: error: kind: unknown kind 'checklst' (did you mean 'checklist'?)"]),
    ("title: T\n", ["1:1: error: missing required key 'kind' (one of: quiz, flowchart, comparison, checklist, worksheet, pack)"]),
    (CHECKLIST.replace("title: T", "title: [a, b]"), ["2:8: error: title: expected text, got a list"]),
    (CHECKLIST.replace("items: [Drink plenty of water.]", "items: Drink water."),
     ["5:12: error: sections[0].items: expected a list, got 'Drink water.' (start each entry on its own line with '- ')"]),
    (CHECKLIST + "updated: 24/11/2026\n", ["6:10: error: updated: expected a date like 2026-11-24, got '24/11/2026'"]),
    (CHECKLIST.replace("    items:", "    warning: maybe\n    items:"),
     ["5:14: error: sections[0].warning: expected true or false, got 'maybe'"]),
    (QUIZ.replace("scoring:\n", "scoring:\n  margin: 1.5\n"),
     ["9:11: error: scoring.margin: expected a whole number, got '1.5'"]),
    # options and references
    (COMPARISON.replace("options: {a: Apple, b: Banana}", "options: {a: Apple}"),
     ["3:10: error: options: needs at least 2 entries, has 1"]),
    (COMPARISON.replace("options: {a: Apple, b: Banana}", "options: {a: A, b: B, c: C, d: D, e: E}"),
     ["3:10: error: options: allows at most 4 entries, has 5"]),
    (COMPARISON.replace("{a: Sweet, b: Soft}", "{a: Sweet}"), ["6:12: error: rows[0].cells: no cell for option 'b'"]),
    (COMPARISON.replace("{a: Sweet, b: Soft}", "{a: Sweet, b: Soft, bb: x}"),
     ["6:32: error: rows[0].cells.bb: unknown option 'bb' (did you mean 'b'?)"]),
    (QUIZ.replace("Yes: {a: 2}", "Yse: {a: 2}"),
     ["7:7: error: questions[0].points.Yse: 'Yse' is not one of this question's answers (did you mean 'Yes'?)"]),
    (QUIZ.replace("Yes: {a: 2}", "Yes: {c: 2}"),
     ["7:13: error: questions[0].points.Yes.c: unknown option 'c' (expected one of: 'a', 'b')"]),
    (QUIZ.replace("lean: {a: Lean A., b: Lean B.}", "lean: {a: Lean A.}"),
     ["9:9: error: scoring.lean: no text for option 'b'"]),
    (FLOW.replace("No: other", "No: otter"),
     ["13:11: error: nodes.q2.branches.No: branch 'No' leads to unknown node 'otter' (did you mean 'other'?)"]),
    (FLOW.replace("No: other", "No: q1"),
     ["13:11: error: nodes.q2.branches.No: branch 'No' loops back to 'q1' (a decision chart must always move "
      "forward to an outcome)",
      "17:5: error: nodes.other: node 'other' cannot be reached from 'q1' (link to it from a branch, or remove it)"]),
    (FLOW.replace("nodes:", "start: q0\nnodes:"), ["3:8: error: start: unknown node 'q0' (expected one of: 'q1', 'q2', 'done', 'other')"]),
    (FLOW.replace("  done:\n    outcome: Done.", "  done:\n    outcome: Done.\n    question: Both?"),
     ["15:5: error: nodes.done: has both 'outcome' and 'question' (give exactly one of them)"]),
    (CHECKLIST + "fields: [name, {id: bike}]\n",
     ["6:16: error: fields[1]: field 'bike' needs a 'label:' (standard fields are name, date, area, practitioner, "
      "next_appointment)"]),
    # what the font cannot print
    (CHECKLIST.replace("Drink plenty of water.", "Drink 火 water."),
     ["5:13: error: sections[0].items[0]: the handout font (DejaVu Sans) cannot print '火' (U+706B CJK UNIFIED "
      "IDEOGRAPH-706B) (replace it with a character the font has, or remove it)"]),
    (CHECKLIST.replace("title: T", "title: Fine 🙂"),
     ["2:8: error: title: the handout font (DejaVu Sans) cannot print '🙂' (U+1F642 SLIGHTLY SMILING FACE) "
      "(replace it with a character the font has, or remove it)"]),
], ids=lambda v: v if isinstance(v, str) and len(v) < 1 else None)
def test_error_message(tmp_path, text, expected):
    assert errors(tmp_path, text) == expected


def test_not_utf8(tmp_path):
    assert errors(tmp_path, "kind: checklist\ntitle: Caf\xe9\n".encode("cp1252")) == [
        "2:1: error: file is not UTF-8 text (save it as UTF-8 in your editor)"]


def test_every_error_in_a_file_is_reported_in_line_order(tmp_path):
    text = textwrap.dedent("""\
        kind: checklist
        title: [x]
        subtitle: {a: b}
        sections:
          - heading: H
            items: [ok]
            colour: red
        """)
    assert errors(tmp_path, text) == [
        "2:8: error: title: expected text, got a list",
        "3:11: error: subtitle: expected text, got a mapping",
        "7:5: error: sections[0]: unknown key 'colour' (expected one of: 'heading', 'intro', 'warning', 'tick', 'items')",
    ]


@pytest.mark.parametrize("yaml_text, check", [
    # YAML 1.1 would turn these into False, 1.1, 750 and True
    ("kind: quiz\ntitle: T\noptions: {a: A, b: B}\nanswers: [Yes, No, Off]\nquestions:\n"
     "  - question: Q?\n    points: {No: {a: 1}}\nscoring: {lean: {a: x, b: y}, otherwise: z}\n",
     lambda aid: aid.answers == ("Yes", "No", "Off") and aid.questions[0].points == {"No": {"a": 1}}),
    ("kind: checklist\ntitle: T\nversion: 1.10\nsections: [{heading: '12:30', items: [yes]}]\n",
     lambda aid: aid.version == "1.10" and aid.sections[0].heading == "12:30" and aid.sections[0].items[0].text == "yes"),
    ("kind: flowchart\ntitle: T\nnodes:\n  q:\n    question: Q\n    branches:\n      yes: a\n      NO: b\n"
     "  a: {outcome: A}\n  b: {outcome: B, urgent: yes}\n",
     lambda aid: list(aid.nodes["q"].branches) == ["yes", "NO"] and aid.nodes["b"].urgent is True),
    ("kind: checklist\ntitle: 0123\nsections: [{heading: 2026-11-24, items: [~x]}]\n",
     lambda aid: aid.title == "0123" and aid.sections[0].heading == "2026-11-24"),
])
def test_yaml_11_surprises_do_not_happen(tmp_path, yaml_text, check):
    path = tmp_path / "aid.yaml"
    path.write_text(yaml_text)
    assert check(load_aid(path))


def test_cli_error_writes_no_pdf_and_leaves_the_last_good_one(tmp_path):
    aid = tmp_path / "care.yaml"
    out = tmp_path / "out"
    aid.write_text(CHECKLIST)
    assert CliRunner().invoke(main, ["build", str(aid), "--out", str(out)]).exit_code == 0
    pdf = out / "care.pdf"
    good, stamp = pdf.read_bytes(), pdf.stat().st_mtime_ns
    aid.write_text(CHECKLIST.replace("title: T", "titel: T"))
    result = CliRunner().invoke(main, ["build", str(aid), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{aid}:1:1: error: missing required key 'title'",
        f"{aid}:2:1: error: unknown key 'titel' (did you mean 'title'?)",
        f"1 of 1 aids failed: {aid}",
    ]
    assert "Traceback" not in result.output
    assert pdf.read_bytes() == good and pdf.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in out.iterdir()) == [".aidpress-manifest.json", "care.pdf"]  # no temp files


def test_one_bad_aid_does_not_stop_the_others(tmp_path):
    (tmp_path / "a-good.yaml").write_text(CHECKLIST)
    (tmp_path / "b-bad.yaml").write_text("kind: checklist\n")
    (tmp_path / "c-good.yaml").write_text(CHECKLIST)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.pdf")) == ["a-good.pdf", "c-good.pdf"]
    assert result.stderr.splitlines()[-1] == f"1 of 3 aids failed: {tmp_path / 'b-bad.yaml'}"


def test_two_aids_with_one_id_do_not_overwrite_each_other(tmp_path):
    (tmp_path / "a.yaml").write_text("id: same\n" + CHECKLIST)
    (tmp_path / "b.yaml").write_text("id: same\n" + CHECKLIST)
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.yaml'}:1:1: error: id: id 'same' is already used by {tmp_path / 'a.yaml'} " \
           "(give each aid its own id)" in result.stderr


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old good pdf")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"new pdf")
    assert target.read_bytes() == b"old good pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_atomic_write_mode(tmp_path):
    write_atomic(tmp_path / "public.pdf", b"x")
    write_atomic(tmp_path / "private.pdf", b"x", mode=0o600)
    assert (tmp_path / "public.pdf").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "private.pdf").stat().st_mode & 0o777 == 0o600


def test_clinic_profile_is_validated_too(tmp_path):
    from aidpress.validate import load_clinic

    path = tmp_path / "clinic.yaml"
    path.write_text("name: A\nphone: 1\naccent: '#FFDD00'\npaper: A5\nwebsite: [x]\n")
    with pytest.raises(InvalidAid) as err:
        load_clinic(path)
    assert str(err.value).splitlines() == [
        f"{path}:4:8: error: paper: 'A5' is not allowed here (expected one of: 'a4', 'letter')",
        f"{path}:5:10: error: website: expected text, got a list",
    ]
    path.write_text("name: A\naccent: '#FFDD00'\n")
    with pytest.raises(InvalidAid) as err:
        load_clinic(path)
    assert str(err.value) == (f"{path}:2:9: error: accent: colour #FFDD00 is too light to read: contrast with "
                              "white is 1.3:1, needs at least 4.5:1 (choose a darker colour)")
    path.write_text("name: A\naccent: '#1F5F8B'\n")
    assert load_clinic(path).accent == "#1F5F8B"
