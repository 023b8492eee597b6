"""Every validation error, as the editor sees it: `file:line:col: error: key.path: message (hint)`.

Each case writes a YAML file to tmp_path and asserts the whole message line, with the
line and column worked out from the YAML written here (line numbers are in the comments
of the base aids below). Also: the CLI's handling of a bad aid, and atomic writes.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from aidpress.errors import InvalidAid
from aidpress.model import Checklist, Comparison, Flowchart, Quiz
from aidpress.validate import load_aid
from aidpress.write import atomic_file, write_atomic
from cli import main

# ── base aids (all valid); the numbers are line numbers ─────────────────────────────

CHECKLIST = textwrap.dedent("""\
    kind: checklist
    title: After your treatment
    sections:
      - heading: For the next 24 hours
        items:
          - Drink plenty of water.
    """)
#   1 kind / 2 title / 3 sections / 4 heading (col 5) / 5 items / 6 first item (col 9)

QUIZ = textwrap.dedent("""\
    kind: quiz
    title: Which treatment?
    options:
      cupping: Cupping
      dry_needling: Dry needling
    questions:
      - question: Is your pain in one small knot?
        points:
          Yes: {dry_needling: 2}
      - question: Is your pain spread out?
        points:
          Yes:
            cupping: 2
    scoring:
      margin: 2
      lean:
        cupping: Your answers lean toward cupping.
        dry_needling: Your answers lean toward dry needling.
      otherwise: Ask your practitioner.
    """)
#   1 kind / 2 title / 3 options / 4 cupping / 5 dry_needling / 6 questions / 7 Q1 / 8 points
#   9 Yes (col 7), {dry_needling (col 13) / 10 Q2 / 11 points / 12 Yes / 13 cupping (col 9)
#   14 scoring / 15 margin (value col 11) / 16 lean / 17 cupping (col 5) / 18 dry_needling / 19 otherwise

FLOW = textwrap.dedent("""\
    kind: flowchart
    title: Should I call the nurse?
    nodes:
      fever:
        question: Do you have a fever above 38 °C?
        branches:
          Yes: call_now
          No: pain
      pain:
        question: Is the pain getting worse?
        branches:
          Yes: call_today
          No: rest
      call_now:
        outcome: Call the clinic now.
        urgent: true
      call_today:
        outcome: Call the clinic today.
      rest:
        outcome: Rest and check again tomorrow.
    """)
#   4 fever / 5 its question (col 5) / 7 Yes / 8 No / 9 pain / 10 its question / 12 Yes / 13 No (target col 11)
#   14 call_now / 15 outcome / 16 urgent (value col 13) / 17 call_today / 18 outcome / 19 rest / 20 outcome

COMPARISON = textwrap.dedent("""\
    kind: comparison
    title: Tea or coffee?
    options:
      tea: Tea
      coffee: Coffee
    rows:
      - aspect: Caffeine per cup
        cells:
          tea: About 40 mg.
          coffee: About 95 mg.
    """)
#   3 options / 4 tea (col 3) / 6 rows / 7 aspect (col 5) / 8 cells / 9 tea (col 7) / 10 coffee

FONT_HINT = "(replace it with a character the font has, or remove it)"
FLOW_HINT = "(a decision chart must always move forward to an outcome)"
UNREACHABLE_HINT = "(link to it from a branch, or remove it)"


# ── helpers ─────────────────────────────────────────────────────────────────────────


def edit(text: str, old: str, new: str) -> str:
    """str.replace that insists the text to replace is there exactly once."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def write(tmp_path: Path, content: str | bytes, name: str = "aid.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_lines(path: Path) -> list[str]:
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    return str(err.value).splitlines()


def assert_errors(tmp_path: Path, content: str | bytes, *expected: str) -> None:
    """`expected` are the message lines without the file name: 'line:col: error: …'."""
    path = write(tmp_path, content)
    assert error_lines(path) == [f"{path}:{line}" for line in expected]


def loads(tmp_path: Path, content: str, name: str = "aid.yaml"):
    return load_aid(write(tmp_path, content, name))


def test_the_base_aids_are_valid(tmp_path):
    assert isinstance(loads(tmp_path, CHECKLIST), Checklist)
    assert isinstance(loads(tmp_path, QUIZ), Quiz)
    assert isinstance(loads(tmp_path, FLOW), Flowchart)
    assert isinstance(loads(tmp_path, COMPARISON), Comparison)


# ── YAML syntax ─────────────────────────────────────────────────────────────────────


# Syntax errors in plain words (quotes, tabs, indentation, colons, brackets): test_yaml_errors.py


# ── what plain YAML would silently get wrong ─────────────────────────────────────────

DUPLICATE_HINT = "YAML would silently keep only the last one)"


@pytest.mark.parametrize("content, expected", [
    pytest.param(CHECKLIST + "title: Again\n",
                 f"7:1: error: duplicate key 'title' (first given on line 2; {DUPLICATE_HINT}", id="top-level"),
    pytest.param(edit(QUIZ, "Yes: {dry_needling: 2}", "Yes: {dry_needling: 2, dry_needling: 1}"),
                 f"9:30: error: duplicate key 'dry_needling' (first given on line 9; {DUPLICATE_HINT}",
                 id="in-a-flow-mapping"),
    pytest.param(edit(FLOW, "      No: rest\n", "      No: rest\n      \"No\": call_now\n"),
                 f"14:7: error: duplicate key 'No' (first given on line 13; {DUPLICATE_HINT}",
                 id="quoted-and-unquoted-No"),
    pytest.param(edit(QUIZ, "      Yes:\n        cupping: 2\n",
                      "      Yes:\n        cupping: 2\n      No:\n        cupping: 1\n"
                      "      Yes:\n        cupping: 3\n"),
                 f"16:7: error: duplicate key 'Yes' (first given on line 12; {DUPLICATE_HINT}",
                 id="nested-lines-apart"),
])
def test_duplicate_key_names_both_lines(tmp_path, content, expected):
    assert_errors(tmp_path, content, expected)


def test_keys_that_are_equal_once_tidied_are_duplicates(tmp_path):
    content = edit(FLOW, "      No: rest\n", "      No: rest\n      Not sure: call_today\n      \"Not  sure\": rest\n")
    path = write(tmp_path, content)
    with pytest.raises(InvalidAid) as err:
        load_aid(path)  # once folded, both keys read 'Not sure'
    assert str(err.value).startswith(f"{path}:15:7: error: ")
    assert "duplicate" in str(err.value)


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(CHECKLIST, "title: After", "title: &t After"),
                 "2:8: error: anchor '&t' is not allowed (remove it, as aids do not share text between places; if it is text that starts with '&', put the whole text in quotes)",
                 id="anchor-on-text"),
    pytest.param(CHECKLIST + "subtitle: *t\n",
                 "7:11: error: alias '*t' is not allowed (write the text out again instead of referring to an anchor; "
                 "if it is text that starts with '*', put the whole text in quotes)",
                 id="alias"),
    pytest.param(edit(CHECKLIST, "  - heading:", "  - &section\n    heading:"),
                 "4:5: error: anchor '&section' is not allowed (remove it, as aids do not share text between places; if it is text that starts with '&', put the whole text in quotes)",
                 id="anchor-on-a-mapping"),
    pytest.param(edit(QUIZ, "      Yes:\n        cupping: 2\n", "      Yes:\n        <<: *base\n"),
                 "13:13: error: alias '*base' is not allowed (write the text out again instead of referring to "
                 "an anchor; if it is text that starts with '*', put the whole text in quotes)", id="merge-key"),
])
def test_anchors_and_aliases(tmp_path, content, expected):
    assert_errors(tmp_path, content, expected)


@pytest.mark.parametrize("content, expected", [
    pytest.param(CHECKLIST + "---\n" + CHECKLIST, "7:1", id="two-documents"),
    pytest.param("---\n" + CHECKLIST + "---\n" + QUIZ, "8:1", id="two-documents-both-marked"),
    pytest.param(CHECKLIST + "---\n", "7:1", id="empty-second-document"),
])
def test_several_documents(tmp_path, content, expected):
    assert_errors(tmp_path, content, f"{expected}: error: only one YAML document is allowed per file "
                                     "(remove the extra '---')")


def test_one_document_may_start_with_a_marker(tmp_path):
    assert loads(tmp_path, "---\n" + CHECKLIST).title == "After your treatment"


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(CHECKLIST, "Drink plenty of water.", "Drink a café au lait.").encode("cp1252"), "6:1",
                 id="windows-1252-on-line-6"),
    pytest.param(CHECKLIST.encode("latin-1") + "notes: Naïve.\n".encode("latin-1"), "7:1", id="latin-1-on-line-7"),
    pytest.param(CHECKLIST.encode() + "notes: \n  Étape 2.\n".encode("cp1252"), "8:1", id="near-a-line-start"),
    pytest.param(CHECKLIST.encode("utf-16"), "1:1", id="utf-16"),
])
def test_not_utf8(tmp_path, content, expected):
    assert_errors(tmp_path, content, f"{expected}: error: file is not UTF-8 text (save it as UTF-8 in your editor)")


def test_utf8_with_a_byte_order_mark_is_fine(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + edit(CHECKLIST, "water.", "water, café.").encode("utf-8"))
    aid = load_aid(path)
    assert aid.kind == "checklist" and aid.sections[0].items[0].text == "Drink plenty of water, café."


def test_not_utf8_after_a_byte_order_mark_names_the_right_line(tmp_path):
    content = b"\xef\xbb\xbf" + CHECKLIST.encode() + "notes: \n  Étape 2.\n".encode("cp1252")
    assert_errors(tmp_path, content, "8:1: error: file is not UTF-8 text (save it as UTF-8 in your editor)")


@pytest.mark.parametrize("content", [
    pytest.param("", id="zero-bytes"),
    pytest.param("\n  \n\n", id="blank-lines"),
    pytest.param("# yaml-language-server: $schema=../docs/aid.schema.json\n# to do\n", id="only-comments"),
])
def test_empty_file(tmp_path, content):
    assert_errors(tmp_path, content, "1:1: error: file is empty")


# ── keys ────────────────────────────────────────────────────────────────────────────


def test_unknown_key_suggests_the_known_one(tmp_path):
    assert_errors(tmp_path, edit(CHECKLIST, "title:", "titel:"),
                  "1:1: error: missing required key 'title'",
                  "2:1: error: unknown key 'titel' (did you mean 'title'?)")


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(QUIZ, "  otherwise:", "  otherwize:"),
                 ["15:3: error: scoring: missing required key 'otherwise'",
                  "19:3: error: scoring: unknown key 'otherwize' (did you mean 'otherwise'?)"], id="nested"),
    pytest.param(edit(FLOW, "    urgent: true", "    urgnet: true"),
                 ["16:5: error: nodes.call_now: unknown key 'urgnet' (did you mean 'urgent'?)"], id="in-a-node"),
    pytest.param(edit(CHECKLIST, "    items:", "    itmes:"),
                 ["4:5: error: sections[0]: missing required key 'items'",
                  "5:5: error: sections[0]: unknown key 'itmes' (did you mean 'items'?)"], id="in-a-list-entry"),
    pytest.param(CHECKLIST + "colour: red\n",
                 ["7:1: error: unknown key 'colour' (expected one of: 'kind', 'id', 'title', 'subtitle', 'intro', "
                  "'notes', 'language', 'version', 'updated', 'review_by', 'disclaimer', 'sources', 'about', 'tags', 'max_pages', "
                  "'fields', 'sections')"], id="nothing-close"),
])
def test_unknown_keys(tmp_path, content, expected):
    assert_errors(tmp_path, content, *expected)


def test_typo_in_a_node_kind_key_suggests_the_key(tmp_path):
    path = write(tmp_path, edit(FLOW, "    outcome: Rest and", "    outcom: Rest and"))
    (line,) = error_lines(path)
    assert line.startswith(f"{path}:20:5: error: nodes.rest: ")
    assert "did you mean 'outcome'?" in line


@pytest.mark.parametrize("kind, expected", [
    pytest.param("quizz", "'quizz' (did you mean 'quiz'?)", id="typo"),
    pytest.param("Quiz", "'Quiz' (did you mean 'quiz'?)", id="capital"),
    pytest.param("flow chart", "'flow chart' (did you mean 'flowchart'?)", id="space"),
    pytest.param("survey", "'survey' (expected one of: 'quiz', 'flowchart', 'comparison', 'checklist', 'worksheet', 'pack')",
                 id="nothing-close"),
    pytest.param("[quiz]", "a list (expected one of: 'quiz', 'flowchart', 'comparison', 'checklist', 'worksheet', 'pack')",
                 id="a-list"),
])
def test_unknown_kind(tmp_path, kind, expected):
    assert_errors(tmp_path, edit(QUIZ, "kind: quiz", f"kind: {kind}"), f"1:7: error: kind: unknown kind {expected}")


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(CHECKLIST, "kind: checklist\n", ""),
                 ["1:1: error: missing required key 'kind' (one of: quiz, flowchart, comparison, checklist, worksheet, pack)"],
                 id="kind"),
    pytest.param(QUIZ.split("scoring:")[0], ["1:1: error: missing required key 'scoring'"], id="scoring"),
    pytest.param(edit(COMPARISON, "  - aspect: Caffeine per cup\n    cells:", "  - cells:"),
                 ["7:5: error: rows[0]: missing required key 'aspect'"], id="row-aspect"),
    pytest.param(edit(QUIZ, "  - question: Is your pain spread out?\n    points:", "  - points:"),
                 ["10:5: error: questions[1]: missing required key 'question'"], id="question-text"),
    pytest.param(edit(FLOW, "    question: Is the pain getting worse?\n    branches:",
                      "    question: Is the pain getting worse?\n    branche:"),
                 ["10:5: error: nodes.pain: missing required key 'branches'",
                  "11:5: error: nodes.pain: unknown key 'branche' (did you mean 'branches'?)"], id="branches"),
])
def test_missing_required_key(tmp_path, content, expected):
    assert_errors(tmp_path, content, *expected)


# ── types ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(CHECKLIST, "title: After your treatment", "title: [After, your treatment]"),
                 "2:8: error: title: expected text, got a list", id="list-for-text-flow"),
    pytest.param(edit(CHECKLIST, "title: After your treatment", "title:\n  - After\n  - your treatment"),
                 "3:3: error: title: expected text, got a list", id="list-for-text-block"),
    pytest.param(edit(CHECKLIST, "title: After your treatment", "title: {After: your treatment}"),
                 "2:8: error: title: expected text, got a mapping", id="mapping-for-text"),
    pytest.param(edit(CHECKLIST, "title: After your treatment", "title:"),
                 "2:7: error: title: expected text, got nothing", id="nothing-for-text"),
    pytest.param(CHECKLIST + "sources: Smith, 2020.\n",
                 "7:10: error: sources: expected a list, got 'Smith, 2020.' "
                 "(start each entry on its own line with '- ')", id="text-for-list"),
    pytest.param(edit(CHECKLIST, "    items:\n      - Drink plenty of water.", "    items: Drink plenty of water."),
                 "5:12: error: sections[0].items: expected a list, got 'Drink plenty of water.' "
                 "(start each entry on its own line with '- ')", id="text-for-list-nested"),
    pytest.param(CHECKLIST + "sources:\n  - Smith: a 2020 paper.\n",
                 "8:5: error: sources[0]: expected text, got a mapping (a ': ' inside text starts a 'key: value' "
                 "pair; put the whole text in quotes)", id="colon-made-a-mapping"),
    pytest.param(edit(QUIZ, "  margin: 2", "  margin: 1.5"),
                 "15:11: error: scoring.margin: expected a whole number, got '1.5'", id="margin-1.5"),
    pytest.param(edit(QUIZ, "  margin: 2", "  margin: two"),
                 "15:11: error: scoring.margin: expected a whole number, got 'two'", id="margin-two"),
    pytest.param(edit(QUIZ, "  margin: 2", "  margin: 0"),
                 "15:11: error: scoring.margin: must be at least 1, got 0", id="margin-0"),
    pytest.param(edit(QUIZ, "cupping: 2", "cupping: 100"),
                 "13:18: error: questions[1].points.Yes.cupping: must be at most 99, got 100", id="points-100"),
    pytest.param(CHECKLIST + "updated: 24/11/2026\n",
                 "7:10: error: updated: expected a date like 2026-11-24, got '24/11/2026'", id="updated-d/m/y"),
    pytest.param(CHECKLIST + "review_by: 2027-02-30\n",
                 "7:12: error: review_by: 2027-02-30 does not exist: month 2 of 2027 has 28 days", id="no-such-day"),
    pytest.param(edit(FLOW, "    urgent: true", "    urgent: maybe"),
                 "16:13: error: nodes.call_now.urgent: expected true or false, got 'maybe'", id="urgent-maybe"),
    pytest.param(edit(COMPARISON, "options:\n  tea: Tea\n  coffee: Coffee", "options: [tea, coffee]"),
                 "3:10: error: options: expected a mapping of 'key: value' lines, got a list", id="list-for-mapping"),
    pytest.param(edit(COMPARISON, "  tea: Tea", "  Tea: Tea"),
                 "4:3: error: options: expected an id of lower-case letters, digits, '-' or '_', got 'Tea'",
                 id="option-id"),
])
def test_wrong_type(tmp_path, content, expected):
    assert_errors(tmp_path, content, expected)


# ── YAML 1.1's surprises do not happen: these load, with the text as typed ──────────


def test_unquoted_no_stays_the_answer_no(tmp_path):
    content = edit(QUIZ, "  - question: Is your pain spread out?\n    points:\n      Yes:",
                   "  - question: Is your pain spread out?\n    answers: [Yes, No, Off]\n    points:\n      No:")
    content = edit(content, "    cupping: 2\n", "    cupping: 2\n      Off: {dry_needling: 1}\n")
    quiz = loads(tmp_path, content)
    assert quiz.answers == ("Yes", "No")
    assert quiz.questions[1].answers == ("Yes", "No", "Off")
    assert quiz.questions[0].points == {"Yes": {"dry_needling": 2}}
    assert quiz.questions[1].points == {"No": {"cupping": 2}, "Off": {"dry_needling": 1}}


def test_unquoted_no_stays_the_branch_label_no(tmp_path):
    flow = loads(tmp_path, edit(FLOW, "    urgent: true", "    urgent: yes"))
    assert flow.nodes["fever"].branches == {"Yes": "call_now", "No": "pain"}
    assert flow.nodes["pain"].branches == {"Yes": "call_today", "No": "rest"}
    assert flow.nodes["call_now"].urgent is True  # a switch does read yes/no
    assert flow.nodes["rest"].urgent is False


def test_unquoted_yes_and_no_keys_stay_lower_case_text(tmp_path):
    flow = loads(tmp_path, edit(edit(FLOW, "      Yes: call_now", "      yes: call_now"),
                                "      No: pain", "      no: pain"), "flow.yaml")
    assert flow.nodes["fever"].branches == {"yes": "call_now", "no": "pain"}
    content = edit(QUIZ, "title: Which treatment?", "title: Which treatment?\nanswers: [yes, no]")
    content = edit(content, "      Yes: {dry_needling: 2}", "      yes: {dry_needling: 2}")
    quiz = loads(tmp_path, edit(content, "      Yes:\n", "      no:\n"), "quiz.yaml")
    assert quiz.answers == ("yes", "no")
    assert [q.points for q in quiz.questions] == [{"yes": {"dry_needling": 2}}, {"no": {"cupping": 2}}]
    comparison = loads(tmp_path, edit(edit(COMPARISON, "  tea: Tea", "  yes: Yes, have it"),
                                      "      tea: About", "      yes: About"), "comparison.yaml")
    assert comparison.options == {"yes": "Yes, have it", "coffee": "Coffee"}
    assert comparison.rows[0].cells == {"yes": "About 40 mg.", "coffee": "About 95 mg."}


def test_numbers_times_and_dates_in_text_stay_as_typed(tmp_path):
    content = edit(CHECKLIST, "title: After your treatment",
                   "title: 2026-11-24\nsubtitle: 0123\nversion: 1.10\nupdated: 2026-11-24\nlanguage: en-GB")
    content = edit(content, "      - Drink plenty of water.", "      - 12:30\n      - Come back at 12:30.\n"
                                                              "      - No\n      - 1e3\n      - On")
    aid = loads(tmp_path, content)
    assert aid.title == "2026-11-24"
    assert aid.subtitle == "0123"
    assert aid.version == "1.10"
    assert aid.updated == datetime.date(2026, 11, 24)
    assert aid.language == "en-GB"
    assert [item.text for item in aid.sections[0].items] == ["12:30", "Come back at 12:30.", "No", "1e3", "On"]
    assert loads(tmp_path, CHECKLIST + "version: 2.0\n").version == "2.0"


# ── comparison ──────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(COMPARISON, "      coffee: About 95 mg.\n", ""),
                 ["9:7: error: rows[0].cells: no cell for option 'coffee'"], id="missing-cell"),
    pytest.param(edit(COMPARISON, "      coffee: About", "      cofee: About"),
                 ["9:7: error: rows[0].cells: no cell for option 'coffee'",
                  "10:7: error: rows[0].cells.cofee: unknown option 'cofee' (did you mean 'coffee'?)"],
                 id="misspelt-option"),
    pytest.param(COMPARISON + "      cocoa: About 5 mg.\n",
                 ["11:7: error: rows[0].cells.cocoa: unknown option 'cocoa' (expected one of: 'tea', 'coffee')"],
                 id="extra-option"),
    pytest.param(COMPARISON + "  - aspect: Price\n    cells: {tea: Cheap.}\n",
                 ["12:12: error: rows[1].cells: no cell for option 'coffee'"], id="second-row"),
    pytest.param(edit(COMPARISON, "  coffee: Coffee\n", ""),
                 ["4:3: error: options: needs at least 2 entries, has 1"], id="one-option"),
    pytest.param(edit(COMPARISON, "  coffee: Coffee\n", "  coffee: Coffee\n  cocoa: Cocoa\n  water: Water\n"
                                                       "  juice: Juice\n"),
                 ["4:3: error: options: allows at most 4 entries, has 5"], id="five-options"),
])
def test_comparison(tmp_path, content, expected):
    assert_errors(tmp_path, content, *expected)


def test_comparison_with_two_to_four_options_and_a_deliberately_empty_cell(tmp_path):
    content = edit(COMPARISON, "  coffee: Coffee\n", "  coffee: Coffee\n  cocoa: Cocoa\n  water: Water\n")
    content = edit(content, "      coffee: About 95 mg.\n", "      coffee: About 95 mg.\n      cocoa: ''\n"
                                                            "      water: None.\n")
    aid = loads(tmp_path, content)
    assert list(aid.options) == ["tea", "coffee", "cocoa", "water"]
    assert aid.rows[0].cells == {"tea": "About 40 mg.", "coffee": "About 95 mg.", "cocoa": "", "water": "None."}


# ── quiz ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(QUIZ, "      Yes: {dry", "      Yse: {dry"),
                 ["9:7: error: questions[0].points.Yse: 'Yse' is not one of this question's answers "
                  "(did you mean 'Yes'?)"], id="answer-typo"),
    pytest.param(edit(QUIZ, "      Yes:\n        cupping", "      Maybe:\n        cupping"),
                 ["12:7: error: questions[1].points.Maybe: 'Maybe' is not one of this question's answers "
                  "(expected one of: 'Yes', 'No')"], id="answer-not-listed"),
    pytest.param(edit(QUIZ, "  - question: Is your pain spread out?\n",
                      "  - question: Is your pain spread out?\n    answers: [Often, Never]\n"),
                 ["13:7: error: questions[1].points.Yes: 'Yes' is not one of this question's answers "
                  "(expected one of: 'Often', 'Never')"], id="question-has-its-own-answers"),
    pytest.param(edit(QUIZ, "        cupping: 2", "        cuping: 2"),
                 ["13:9: error: questions[1].points.Yes.cuping: unknown option 'cuping' (did you mean 'cupping'?)"],
                 id="option-typo"),
    pytest.param(edit(QUIZ, "{dry_needling: 2}", "{acupuncture: 2}"),
                 ["9:13: error: questions[0].points.Yes.acupuncture: unknown option 'acupuncture' "
                  "(expected one of: 'cupping', 'dry_needling')"], id="unknown-option"),
    pytest.param(edit(QUIZ, "    dry_needling: Your answers lean toward dry needling.\n", ""),
                 ["17:5: error: scoring.lean: no text for option 'dry_needling'"], id="lean-missing-option"),
    pytest.param(edit(QUIZ, "    cupping: Your answers", "    cuping: Your answers"),
                 ["17:5: error: scoring.lean.cuping: unknown option 'cuping' (did you mean 'cupping'?)",
                  "17:5: error: scoring.lean: no text for option 'cupping'"],
                 id="lean-option-typo"),
    pytest.param(edit(QUIZ, "    points:\n      Yes: {dry_needling: 2}\n", ""),
                 ["7:5: error: questions[0]: question gives no points and rules no option out "
                  "(add 'points:' saying which answer gives points to which option, "
                  "or 'rules_out:' saying which answer rules out which option)"], id="no-points"),
])
def test_quiz(tmp_path, content, expected):
    assert_errors(tmp_path, content, *expected)


# ── flowchart ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(FLOW, "No: rest", "No: rset"),
                 ["13:11: error: nodes.pain.branches.No: branch 'No' leads to unknown node 'rset' "
                  "(did you mean 'rest'?)"], id="unknown-node"),
    pytest.param(edit(edit(FLOW, "No: rest", "No: home"), "Yes: call_now", "Yes: ambulance"),
                 ["7:12: error: nodes.fever.branches.Yes: branch 'Yes' leads to unknown node 'ambulance' "
                  "(expected one of: 'fever', 'pain', 'call_now', 'call_today', 'rest')",
                  "13:11: error: nodes.pain.branches.No: branch 'No' leads to unknown node 'home' "
                  "(expected one of: 'fever', 'pain', 'call_now', 'call_today', 'rest')"], id="two-unknown-nodes"),
    pytest.param(edit(FLOW, "No: pain", "No: rest"),
                 [f"10:5: error: nodes.pain: node 'pain' cannot be reached from 'fever' {UNREACHABLE_HINT}",
                  f"18:5: error: nodes.call_today: node 'call_today' cannot be reached from 'fever' "
                  f"{UNREACHABLE_HINT}"], id="unreachable"),
    pytest.param(edit(FLOW, "No: rest\n", "No: fever\n").split("  rest:")[0],
                 [f"13:11: error: nodes.pain.branches.No: branch 'No' loops back to 'fever' {FLOW_HINT}"],
                 id="cycle"),
    pytest.param(edit(FLOW, "No: rest\n", "No: pain\n"),
                 [f"13:11: error: nodes.pain.branches.No: branch 'No' loops back to 'pain' {FLOW_HINT}",
                  f"20:5: error: nodes.rest: node 'rest' cannot be reached from 'fever' {UNREACHABLE_HINT}"],
                 id="loop-to-itself"),
    pytest.param(edit(FLOW, "nodes:", "start: pian\nnodes:"),
                 ["3:8: error: start: unknown node 'pian' (did you mean 'pain'?)"], id="start-typo"),
    pytest.param(edit(FLOW, "nodes:", "start: begin\nnodes:"),
                 ["3:8: error: start: unknown node 'begin' "
                  "(expected one of: 'fever', 'pain', 'call_now', 'call_today', 'rest')"], id="start-unknown"),
    pytest.param(edit(FLOW, "nodes:", "start: pain\nnodes:"),
                 [f"6:5: error: nodes.fever: node 'fever' cannot be reached from 'pain' {UNREACHABLE_HINT}",
                  f"16:5: error: nodes.call_now: node 'call_now' cannot be reached from 'pain' {UNREACHABLE_HINT}"],
                 id="start-elsewhere"),
    pytest.param(edit(FLOW, "    branches:\n      Yes: call_now\n      No: pain", "    branches:\n      Yes: pain"),
                 ["7:7: error: nodes.fever.branches: needs at least 2 entries, has 1"], id="one-branch"),
])
def test_flowchart(tmp_path, content, expected):
    assert_errors(tmp_path, content, *expected)


def test_flowchart_with_no_way_out(tmp_path):
    content = edit(edit(edit(FLOW, "Yes: call_now", "Yes: pain"), "Yes: call_today", "Yes: fever"),
                   "No: rest", "No: fever")
    assert_errors(tmp_path, content,
                  "5:5: error: nodes.fever: question 'fever' has no path to an outcome",
                  "10:5: error: nodes.pain: question 'pain' has no path to an outcome",
                  f"12:12: error: nodes.pain.branches.Yes: branch 'Yes' loops back to 'fever' {FLOW_HINT}",
                  f"13:11: error: nodes.pain.branches.No: branch 'No' loops back to 'fever' {FLOW_HINT}",
                  f"15:5: error: nodes.call_now: node 'call_now' cannot be reached from 'fever' {UNREACHABLE_HINT}",
                  f"18:5: error: nodes.call_today: node 'call_today' cannot be reached from 'fever' "
                  f"{UNREACHABLE_HINT}",
                  f"20:5: error: nodes.rest: node 'rest' cannot be reached from 'fever' {UNREACHABLE_HINT}")


# ── checklist ───────────────────────────────────────────────────────────────────────

FIELD_HINT = "(standard fields are name, date, area, practitioner, next_appointment)"


@pytest.mark.parametrize("fields, expected", [
    pytest.param("fields:\n  - name\n  - id: allergies\n    type: text\n",
                 f"5:5: error: fields[1]: field 'allergies' needs a 'label:' {FIELD_HINT}", id="mapping"),
    pytest.param("fields:\n  - name\n  - allergies\n",
                 f"5:5: error: fields[1]: field 'allergies' needs a 'label:' {FIELD_HINT}", id="bare-id"),
    pytest.param("fields: [date, {id: allergies, required: true}]\n",
                 f"3:16: error: fields[1]: field 'allergies' needs a 'label:' {FIELD_HINT}", id="flow"),
])
def test_custom_field_without_label(tmp_path, fields, expected):
    assert_errors(tmp_path, edit(CHECKLIST, "sections:\n", fields + "sections:\n"), expected)


def test_custom_field_with_label_is_fine(tmp_path):
    aid = loads(tmp_path, edit(CHECKLIST, "sections:\n", "fields:\n  - id: allergies\n    label: Allergies\n"
                                                         "sections:\n"))
    assert [(f.id, f.shown_label, f.value_type) for f in aid.fields] == [("allergies", "Allergies", "text")]


# ── characters the handout font cannot draw ─────────────────────────────────────────


@pytest.mark.parametrize("content, expected", [
    pytest.param(edit(CHECKLIST, "title: After your treatment", "title: After your treatment 火"),
                 f"2:8: error: title: the handout font (DejaVu Sans) cannot print '火' "
                 f"(U+706B CJK UNIFIED IDEOGRAPH-706B) {FONT_HINT}", id="cjk-in-title"),
    pytest.param(edit(CHECKLIST, "Drink plenty of water.", "Drink plenty of water 🙂"),
                 f"6:9: error: sections[0].items[0]: the handout font (DejaVu Sans) cannot print '🙂' "
                 f"(U+1F642 SLIGHTLY SMILING FACE) {FONT_HINT}", id="emoji-in-item"),
    pytest.param(edit(FLOW, "      Yes: call_now", "      Yes ✅: call_now"),
                 f"7:7: error: nodes.fever.branches: the handout font (DejaVu Sans) cannot print '✅' "
                 f"(U+2705 WHITE HEAVY CHECK MARK) {FONT_HINT}", id="emoji-in-a-branch-label"),
    pytest.param(edit(COMPARISON, "  tea: Tea", "  tea: Tea 🍵"),
                 f"4:8: error: options.tea: the handout font (DejaVu Sans) cannot print '🍵' "
                 f"(U+1F375 TEACUP WITHOUT HANDLE) {FONT_HINT}", id="emoji-in-an-option"),
])
def test_undrawable_character(tmp_path, content, expected):
    assert_errors(tmp_path, content, expected)


def test_characters_the_font_has_are_fine(tmp_path):
    aid = loads(tmp_path, edit(CHECKLIST, "title: After your treatment", "title: Après — “38 °C” → ½ € −2 ⚠"))
    assert aid.title == "Après — “38 °C” → ½ € −2 ⚠"


def test_undrawable_character_in_a_block_names_its_own_line(tmp_path):
    content = CHECKLIST + "notes: |\n  First paragraph.\n  Still the first.\n\n  Second, with 火 in it.\n"
    path = write(tmp_path, content)
    (line,) = error_lines(path)
    assert line.startswith(f"{path}:11:")  # the line the character is on, not 'notes: |'
    assert line.endswith("error: notes: the handout font (DejaVu Sans) cannot print '火' "
                         f"(U+706B CJK UNIFIED IDEOGRAPH-706B) {FONT_HINT}")


# ── several errors in one file ──────────────────────────────────────────────────────


def test_every_error_is_reported_sorted_by_line(tmp_path):
    content = textwrap.dedent("""\
        kind: checklist
        title: After your treatment 火
        updated: 24/11/2026
        sections:
          - heading: For the next 24 hours
            warning: maybe
            items:
              - Drink plenty of water.
            colour: red
        sources: Smith 2020.
        """)
    path = write(tmp_path, content)
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    # the font check runs last, yet its error on line 2 is listed first
    assert str(err.value).splitlines() == [
        f"{path}:2:8: error: title: the handout font (DejaVu Sans) cannot print '火' "
        f"(U+706B CJK UNIFIED IDEOGRAPH-706B) {FONT_HINT}",
        f"{path}:3:10: error: updated: expected a date like 2026-11-24, got '24/11/2026'",
        f"{path}:6:14: error: sections[0].warning: expected true or false, got 'maybe'",
        f"{path}:9:5: error: sections[0]: unknown key 'colour' "
        "(expected one of: 'heading', 'intro', 'warning', 'tick', 'items')",
        f"{path}:10:10: error: sources: expected a list, got 'Smith 2020.' "
        "(start each entry on its own line with '- ')",
    ]
    assert [(p.where.line, p.where.column) for p in err.value.problems] == [(2, 8), (3, 10), (6, 14), (9, 5), (10, 10)]


def test_every_cross_reference_error_is_reported_sorted_by_line(tmp_path):
    content = edit(QUIZ, "    dry_needling: Your answers lean toward dry needling.\n", "")
    content = edit(content, "        cupping: 2", "        cuping: 2")
    content = edit(content, "      Yes: {dry", "      Yse: {dry")
    assert_errors(tmp_path, content,
                  "9:7: error: questions[0].points.Yse: 'Yse' is not one of this question's answers "
                  "(did you mean 'Yes'?)",
                  "13:9: error: questions[1].points.Yes.cuping: unknown option 'cuping' (did you mean 'cupping'?)",
                  "17:5: error: scoring.lean: no text for option 'dry_needling'")


def test_colon_in_a_checklist_item_gets_the_quoting_hint(tmp_path):
    path = write(tmp_path, edit(CHECKLIST, "Drink plenty of water.", "Remember: drink plenty of water."))
    lines = error_lines(path)
    assert lines and all(line.startswith(f"{path}:6:9: error: sections[0].items[0]: ") for line in lines)
    assert any(line.endswith("(a ': ' inside text starts a 'key: value' pair; put the whole text in quotes)")
               for line in lines)


# ── through the CLI ─────────────────────────────────────────────────────────────────


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty working folder (no clinic.yaml to pick up) with aids/ and an out/ path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aids").mkdir()
    return tmp_path


def build(*args: str | Path):
    return CliRunner().invoke(main, ["build", *map(str, args)])


def built_line(pdf: Path) -> str:
    return rf"{re.escape(str(pdf))}  1 page  \d+ KiB"


def not_warnings(stderr: str) -> list[str]:
    """The error lines: build also shows check's warnings (tested in test_check_equals_build)."""
    return [line for line in stderr.splitlines() if ": warning: " not in line]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_cli_bad_aid(project):
    bad = write(project / "aids", edit(CHECKLIST, "title:", "titel:"), "care.yaml")
    out = project / "out"
    result = build(bad, "--out", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not_warnings(result.stderr) == [
        f"{bad}:1:1: error: missing required key 'title'",
        f"{bad}:2:1: error: unknown key 'titel' (did you mean 'title'?)",
        f"1 of 1 aids failed: {bad}",
    ]
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)  # an ordinary exit, not a crash
    assert not out.exists() or list(out.glob("*.pdf")) == [] and leftovers(out) == []


def test_cli_syntax_error_is_reported_the_same_way(project):
    bad = write(project / "aids", edit(CHECKLIST, "  - heading", "\t- heading"), "care.yaml")
    result = build(bad, "--out", project / "out")
    assert result.exit_code == 1
    assert not_warnings(result.stderr) == [
        f"{bad}:4:1: error: " + "a tab in the indentation (YAML indents with spaces only: replace the tab with spaces)",
        f"1 of 1 aids failed: {bad}",
    ]
    assert "Traceback" not in result.stderr
    assert not (project / "out" / "care.pdf").exists()


def test_cli_a_good_aid_next_to_a_bad_one_is_still_built(project):
    bad = write(project / "aids", edit(FLOW, "No: rest", "No: rset"), "a-bad.yaml")
    good = write(project / "aids", CHECKLIST, "b-good.yaml")
    out = project / "out"
    result = build(bad, good, "--out", out)
    assert result.exit_code == 1
    assert re.fullmatch(built_line(out / "b-good.pdf") + "\n", result.stdout)
    assert not_warnings(result.stderr) == [
        f"{bad}:13:11: error: nodes.pain.branches.No: branch 'No' leads to unknown node 'rset' (did you mean 'rest'?)",
        f"1 of 2 aids failed: {bad}",
    ]
    assert sorted(p.name for p in out.glob("*.pdf")) == ["b-good.pdf"]
    assert (out / "b-good.pdf").read_bytes().startswith(b"%PDF-")
    assert leftovers(out) == []


@pytest.mark.parametrize("breakage, message", [
    pytest.param(("title: After your treatment", "titel: After your treatment"),
                 ["1:1: error: missing required key 'title'",
                  "2:1: error: unknown key 'titel' (did you mean 'title'?)"], id="unknown-key"),
    pytest.param(("title: After your treatment", "title: 'After your treatment"),
                 ["2:8: error: this quote (') is never closed (end the text with ', or remove the opening ')"],
                 id="unclosed-quote"),
    pytest.param(("Drink plenty of water.", "Drink plenty of water 🙂"),
                 [f"6:9: error: sections[0].items[0]: the handout font (DejaVu Sans) cannot print '🙂' "
                  f"(U+1F642 SLIGHTLY SMILING FACE) {FONT_HINT}"], id="undrawable"),
])
def test_cli_broken_yaml_leaves_the_last_good_pdf_untouched(project, breakage, message):
    aid = write(project / "aids", CHECKLIST, "care.yaml")
    out = project / "out"
    first = build(aid, "--out", out)
    assert first.exit_code == 0, first.stderr
    pdf = out / "care.pdf"
    good = pdf.read_bytes()
    os.utime(pdf, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))  # an mtime no rewrite would keep
    before = pdf.stat()

    write(project / "aids", edit(CHECKLIST, *breakage), "care.yaml")
    for extra in ([], ["--force"]):
        result = build(aid, "--out", out, *extra)
        assert result.exit_code == 1
        assert not_warnings(result.stderr) == [f"{aid}:{line}" for line in message] + [f"1 of 1 aids failed: {aid}"]
        after = pdf.stat()
        assert pdf.read_bytes() == good
        assert (after.st_mtime_ns, after.st_ino, after.st_size) == (before.st_mtime_ns, before.st_ino, before.st_size)
        assert leftovers(out) == []
        assert sorted(p.name for p in out.glob("*.pdf")) == ["care.pdf"]


def test_cli_two_aids_with_the_same_id(project):
    first = write(project / "aids", "id: same\n" + CHECKLIST, "a.yaml")
    second = write(project / "aids", "id: same\n" + edit(CHECKLIST, "After your", "Before your"), "b.yaml")
    out = project / "out"
    result = build(first, second, "--out", out)
    assert result.exit_code == 1
    assert re.fullmatch(built_line(out / "same.pdf") + "\n", result.stdout)
    assert not_warnings(result.stderr) == [
        f"{second}:1:1: error: id: id 'same' is already used by {first} (give each aid its own id)",
        f"1 of 2 aids failed: {second}",
    ]
    # the PDF is the first aid's: the same bytes as building that aid alone
    alone = build(first, "--out", project / "alone")
    assert alone.exit_code == 0
    assert (out / "same.pdf").read_bytes() == (project / "alone" / "same.pdf").read_bytes()
    assert sorted(p.name for p in out.glob("*.pdf")) == ["same.pdf"]

    # built again unchanged (the first is skipped as up to date), the second still fails
    again = build(first, second, "--out", out)
    assert again.exit_code == 1
    assert again.stdout == f"{out / 'same.pdf'}  unchanged, skipped\n"
    assert not_warnings(again.stderr)[0] == (f"{second}:1:1: error: id: id 'same' is already used by {first} "
                                            "(give each aid its own id)")


def test_cli_an_id_taken_from_the_file_name_collides_too(project):
    first = write(project / "aids", "id: care\n" + CHECKLIST, "a.yaml")
    second = write(project / "aids", CHECKLIST, "care.yaml")  # id 'care' from its file name
    result = build(first, second, "--out", project / "out")
    assert result.exit_code == 1
    assert not_warnings(result.stderr) == [
        f"{second}:1:1: error: id: id 'care' is already used by {first} (give each aid its own id)",
        f"1 of 2 aids failed: {second}",
    ]


# ── write.write_atomic ──────────────────────────────────────────────────────────────


def _fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("broken", ["fsync", "replace"])
@pytest.mark.parametrize("existed", [True, False], ids=["over-an-old-file", "new-file"])
def test_write_atomic_failure_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch, broken, existed):
    target = tmp_path / "handout.pdf"
    if existed:
        target.write_bytes(b"%PDF- the old, good handout")
    monkeypatch.setattr(os, broken, _fail)
    with pytest.raises(OSError) as err:
        write_atomic(target, b"%PDF- the new handout" * 1000)
    assert err.value.errno == 28
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["handout.pdf"] if existed else [])
    if existed:
        assert target.read_bytes() == b"%PDF- the old, good handout"


def test_write_atomic_failure_part_way_through_writing(tmp_path):
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="renderer crashed"):
        with atomic_file(target) as f:
            f.write(b"%PDF- half a handout")
            raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.pdf"]


def test_write_atomic_writes_the_bytes_with_mode_644(tmp_path):
    target = tmp_path / "sub" / "handout.pdf"  # the folder is made too
    write_atomic(target, b"%PDF- new")
    assert target.read_bytes() == b"%PDF- new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["handout.pdf"]


def test_write_atomic_mode_is_644_over_a_private_file_and_under_a_strict_umask(tmp_path):
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")
    target.chmod(0o600)
    old_umask = os.umask(0o077)
    try:
        write_atomic(target, b"new")
        write_atomic(tmp_path / "other.pdf", b"other")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "other.pdf").stat().st_mode) == 0o644
