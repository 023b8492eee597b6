"""YAML slips (aidpress/slips.py): valid YAML that prints other than the editor meant is a
located warning in `check` and in `build`, showing the text as it will print; `--strict`
fails on it. Each expected line:col is counted by hand in the YAML beside it; each
"prints" claim is read back from the built PDF."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cli import main

from .conftest import ROOT
from .readback import norm

# Valid, dated and sourced: a checklist with nothing else to warn about.
HEAD = """\
kind: checklist
title: After your treatment
updated: 2026-11-26
review_by: 2099-11-26
sources: [Written for the tests]
sections:
  - heading: For the next day
    items:
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def aid(tmp_path: Path, items: str) -> Path:
    path = tmp_path / "aid.yaml"
    path.write_text(HEAD + items, encoding="utf-8")
    return path


def warnings_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": warning: " in line]


def printed(pdf: Path) -> str:
    return norm(" ".join(page.extract_text() for page in PdfReader(pdf).pages))


def check_and_build(tmp_path: Path, path: Path) -> tuple[list[str], str]:
    """The warnings check gives (the same as build's), and the text of the PDF build wrote."""
    checked = run("check", path)
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "out"
    built = run("build", path, "--out", out)
    assert built.exit_code == 0, built.output
    assert sorted(warnings_of(built.output)) == sorted(warnings_of(checked.output))
    strict = run("build", path, "--out", tmp_path / "strict", "--strict")
    assert strict.exit_code == 1 and "(--strict: failing)" in strict.output
    assert run("check", path, "--strict").exit_code == 1
    return warnings_of(checked.output), printed(out / "aid.pdf")


def test_a_comment_that_cuts_a_text_short(tmp_path):
    path = aid(tmp_path, "      - Keep the skin clean (see leaflet #2 for how to wash).\n")
    warnings, text = check_and_build(tmp_path, path)
    # line 9: 6 spaces, '- ', then 33 characters before ' #': the '#' is column 42
    assert warnings == [f"{path}:9:42: warning: sections[0].items[0]: ' #' starts a YAML comment, so this text "
                        "stops before it and prints “Keep the skin clean (see leaflet” (if the '#' is part of the "
                        "text, put the whole text in quotes; a comment goes on a line of its own)"]
    assert "Keep the skin clean (see leaflet" in text and "how to wash" not in text


def test_a_flow_list_that_splits_a_sentence_at_its_commas(tmp_path):
    path = aid(tmp_path, "      - text: Use your hand.\n"
                         "        details: [Make a fist, then open your hand, 10 times, two times a day]\n")
    warnings, text = check_and_build(tmp_path, path)
    assert warnings == [f"{path}:10:18: warning: sections[0].items[0].details: YAML splits a […] list at every "
                        "comma: this prints 4 separate points: “Make a fist” · “then open your hand” · “10 times” · "
                        "“two times a day” (for one sentence, put it in quotes or write it as one "
                        "'- ' item; for separate points, write a block list, one '- ' line each)"]
    assert "Make a fist, then" not in text  # four points, no commas between them
    for point in ("Make a fist", "then open your hand", "10 times", "two times a day"):
        assert point in text


def test_an_item_folded_into_the_one_above(tmp_path):
    path = aid(tmp_path, "      - Drink water and move gently.\n"
                         "       - No hard work for a day.\n")
    warnings, text = check_and_build(tmp_path, path)
    assert warnings == [f"{path}:10:8: warning: sections[0].items[0]: this '- ' line is indented further than the "
                        "line above, so YAML reads it as the end of that text, not as an item: it prints “Drink "
                        "water and move gently. - No hard work for a day.” (to make it an item of its own, line its "
                        "'- ' up with the item above; if it belongs to the text, put the whole text in quotes)"]
    assert "Drink water and move gently. - No hard work for a day." in text


def test_a_text_starting_with_an_exclamation_mark_is_read_as_a_tag(tmp_path):
    path = aid(tmp_path, "      - !Important: rest for a day.\n")
    warnings, text = check_and_build(tmp_path, path)
    assert warnings == [f"{path}:9:9: warning: sections[0].items[0]: '!Important:' is read as a YAML tag and left "
                        "out: this prints “rest for a day.” (if '!Important:' is part of the text, put the whole "
                        "text in quotes)"]
    assert "rest for a day." in text and "Important" not in text


def test_what_is_meant_is_not_a_slip(tmp_path):
    """Block lists, a list of ids, a list of separate capitalised points, comments on their
    own line or after a one-word value, a quoted '#', a '- ' inside a > block."""
    path = tmp_path / "aid.yaml"
    path.write_text(
        "# a comment on its own line\n"
        "kind: checklist  # the kind\n"
        "title: After your treatment\n"
        "updated: 2026-11-26\n"
        "review_by: 2099-11-26\n"
        "sources: [Written for the tests]\n"
        "fields: [name, date, area]\n"
        "sections:\n"
        "  - heading: For the next day\n"
        "    items:\n"
        "      # the first item\n"
        "      - \"Keep the skin clean (see leaflet #2 for how to wash).\"\n"
        "      - text: Keep moving gently.\n"
        "        details: [Short walks, Light stretching]\n"
        "      - text: Exercise your hand.\n"
        "        details:\n"
        "          - Make a full fist, then straighten your fingers, 10 times, three times a day\n"
        "      - '**Do not** do hard exercise'\n"
        "      - >\n"
        "        Rest well\n"
        "        - and drink water.\n"
        "      - Drink water and move\n"
        "        gently.\n", encoding="utf-8")
    result = run("check", path, "--strict")
    assert result.exit_code == 0, result.output
    assert warnings_of(result.output) == []


@pytest.mark.parametrize("folder", ["aids", "packs", "aidpress/starter/aids", "aidpress/starter/packs"])
def test_the_shipped_aids_have_no_slips(folder):
    from aidpress.slips import find
    from aidpress.source import load

    for path in sorted((ROOT / folder).glob("*.yaml")):
        assert find(load(path), str(path)) == [], path


def test_the_format_docs_examples_have_no_slips(tmp_path):
    """docs/format.md teaches block lists: its own examples are not slips."""
    import re

    from aidpress.slips import find
    from aidpress.source import parse

    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "format.md").read_text(encoding="utf-8"), re.S)
    assert blocks
    # and it teaches `details` as a block list, as the starter project writes it
    starter = [p.read_text(encoding="utf-8") for p in (ROOT / "aidpress" / "starter").rglob("*.yaml")]
    for text in blocks + starter:
        assert "details: [" not in text, text
    for n, block in enumerate(blocks):
        if all(not line.strip() or line.startswith("#") for line in block.splitlines()):
            continue  # a block of comments only (the editor's schema line)
        assert find(parse(block, f"example{n}"), f"example{n}") == [], block


def test_a_slip_in_the_clinic_profile(tmp_path):
    """The clinic's details print on every page: a comment that cuts one is a warning too."""
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Hill Street Clinic\naddress: Unit #4, 1 Hill Street\n", encoding="utf-8")
    path = aid(tmp_path, "      - Rest today.\n")
    for command in ("check", "build"):
        result = run(command, path, "--clinic", clinic, "--out", tmp_path / "out", "--strict") if command == "build" \
            else run(command, path, "--clinic", clinic, "--strict")
        assert result.exit_code == 1, result.output
        # line 2: 'address: Unit' is 13 characters, so the '#' is column 15
        assert warnings_of(result.output) == [
            f"{clinic}:2:15: warning: address: ' #' starts a YAML comment, so this text stops before it and prints "
            "“Unit” (if the '#' is part of the text, put the whole text in quotes; a comment goes on a line of "
            "its own)"]
