"""A patient's values on an aftercare sheet print at full size (issue 18, point 2): at
least body size (10 pt, 16 pt in large print), whole, on one line or on the field's
second ruled line, in field order; a value is refused only when two lines at that size
cannot hold it, by field and row with the limit in characters, never the value. Read
back from the PDF with pdfplumber, on A4, Letter and large print, one-off and merged."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from click.testing import CliRunner

from aidpress.audit import audit
from cli import main

from .conftest import ROOT

AID = ROOT / "aids" / "aftercare-cupping.yaml"
FLOOR = {False: 10.0, True: 16.0}  # pt: body size for a reader, the floor
PRACTITIONER = "Dr Siobhán O'Connor-Fitzgerald, MCSP, HCPC-registered physiotherapist"
NAME = "Siobhán O'Connor-Fitzgerald"
GIVEN = {"name": NAME, "date": "2026-11-23", "area": "neck, upper back and both shoulders",
         "practitioner": PRACTITIONER, "next_appointment": "2026-11-30 10:00"}
# As printed, in the order of the aid's `fields:` (dates in the clinic's style, by hand).
SHOWN = [NAME, "Mon 23 Nov 2026", "neck, upper back and both shoulders", PRACTITIONER, "Mon 30 Nov 2026, 10:00"]
VARIANTS = [("a4", False), ("letter", False), ("a4", True), ("letter", True)]


def options(paper: str, large: bool) -> list[str]:
    return ["--paper", paper] + (["--large-print"] if large else [])


def values(pdf: bytes) -> list[list[tuple[str, int, float]]]:
    """Per page, each stamped value (marked AidValue) in drawing order: its text (lines
    joined without spaces), how many lines it takes, its smallest type size."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            groups: dict[int, list[dict]] = {}
            for c in page.chars:
                if c.get("tag") == "AidValue":
                    groups.setdefault(c["mcid"], []).append(c)
            out.append([("".join(c["text"] for c in chars).replace(" ", ""), len({round(c["bottom"]) for c in chars}),
                         min(c["size"] for c in chars)) for _, chars in sorted(groups.items())])
    return out


def bare(text: str) -> str:
    return text.replace(" ", "")


def assert_full_size(found: list[tuple[str, int, float]], shown: list[str], large: bool) -> None:
    assert [text for text, _, _ in found] == [bare(s) for s in shown]  # whole, in field order
    for text, lines, size in found:
        assert lines in (1, 2), text
        assert size >= FLOOR[large] - 0.01, f"{text}: {size} pt"


def run(*args) -> object:
    return CliRunner().invoke(main, ["aftercare", str(AID), *map(str, args)])


@pytest.mark.parametrize("paper, large", VARIANTS)
def test_realistic_values_print_whole_at_body_size_on_one_sheet(tmp_path, paper, large):
    target = tmp_path / "one.pdf"
    args = [a for key, value in GIVEN.items() for a in ("--field", f"{key}={value}")]
    result = run(*args, "-o", target, *options(paper, large))
    assert result.exit_code == 0, result.output
    pdf = target.read_bytes()
    found = [v for page in values(pdf) for v in page]
    assert_full_size(found, SHOWN, large)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [p.extract_text() for p in doc.pages]
    text = " ".join(pages)
    assert "Next appointment:" in text and "Next visit" not in text  # the standard label is back
    # The taller write-in lines never push the warning box (the aid's first section) off page 1.
    assert "Call the clinic if" in pages[0] and "Phone the clinic:" in pages[0]
    assert not audit(pdf, min_size=FLOOR[large]).defects


@pytest.mark.parametrize("paper, large", VARIANTS)
def test_realistic_values_print_whole_at_body_size_in_a_merged_roster(tmp_path, paper, large):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,date,area,practitioner,next_appointment\n"
                      f'A1,{NAME},2026-11-23,"neck, upper back and both shoulders","{PRACTITIONER}",2026-11-30 10:00\n'
                      "A2,Bo Li,2026-11-24,knee,Dr Example,\n", encoding="utf-8")
    target = tmp_path / "all.pdf"
    result = run("--roster", roster, "--merge", "-o", target, *options(paper, large))
    assert result.exit_code == 0, result.output
    pdf = target.read_bytes()
    found = [v for page in values(pdf) for v in page]
    assert_full_size(found, SHOWN + ["Bo Li", "Tue 24 Nov 2026", "knee", "Dr Example"], large)
    assert not audit(pdf, min_size=FLOOR[large]).defects


def limit_in(message: str) -> int:
    return int(re.search(r"about (\d+) characters fit", message).group(1))


@pytest.mark.parametrize("paper, large", VARIANTS)
def test_a_value_too_long_for_two_lines_is_refused_naming_field_row_and_limit(tmp_path, paper, large):
    words = "Secretword " * 17  # 186 characters: under the roster's 200, over two lines
    roster = tmp_path / "roster.csv"
    roster.write_text(f"id,name,date\nA1,{words.strip()},2026-11-23\nA2,Bo Li,2026-11-24\n", encoding="utf-8")
    result = run("--roster", roster, "-o", tmp_path / "out", *options(paper, large))
    assert result.exit_code == 1
    message = result.stderr.strip().splitlines()[0]
    assert message.startswith(f"{roster}:2:1: error: row 2, column 'name': too long to fit its line at full size: about ")
    assert "Secretword" not in result.stderr  # never the value
    limit = limit_in(message)
    # The limit is honest: ordinary words a little shorter than it fit; a little longer do not.
    sentence = ("Mary Ann " * 80)
    short, long_ = sentence[:int(limit * 0.85)].strip(), sentence[:int(limit * 1.2)].strip()
    ok = run("--field", f"name={short}", "--field", "date=2026-11-23", "-o", tmp_path / "ok.pdf", *options(paper, large))
    assert ok.exit_code == 0, ok.output
    assert_full_size([values((tmp_path / "ok.pdf").read_bytes())[0][0]], [short], large)
    bad = run("--field", f"name={long_}", "--field", "date=2026-11-23", "-o", tmp_path / "bad.pdf", *options(paper, large))
    assert bad.exit_code == 1 and "field name" in bad.stderr.replace("--field ", "field ") and "Mary" not in bad.stderr


@pytest.mark.parametrize("large", [False, True], ids=["regular", "large"])
def test_the_page_audit_catches_a_shrunk_value_as_the_old_fit_made_it(tmp_path, monkeypatch, large):
    """The old fit let a value shrink to two thirds of the body size (8 pt, 12 pt in large
    print): the audit names that a shrunk value, and the sheet as built today passes."""
    from layouts import stamp

    target = tmp_path / "one.pdf"
    args = [a for key, value in GIVEN.items() for a in ("--field", f"{key}={value}")]
    assert run(*args, "-o", target, *options("a4", large)).exit_code == 0
    assert not audit(target.read_bytes(), min_size=FLOOR[large]).defects

    old = stamp.Fit(18 * 2 / 3 if large else 8.0, (NAME,))
    monkeypatch.setattr(stamp, "fit", lambda value, width, second, scale: stamp.Fit(old.size, (value,)))
    shrunk = tmp_path / "shrunk.pdf"
    assert run(*args, "-o", shrunk, *options("a4", large)).exit_code == 0
    defects = audit(shrunk.read_bytes(), min_size=FLOOR[large]).defects
    assert [d.kind for d in defects if d.kind == "shrunk-value"], defects
    first = next(d for d in defects if d.kind == "shrunk-value")
    assert f"{old.size:.1f} pt" in first.detail and "Patient name:" in first.detail
    assert NAME not in str(first)  # the audit names the label, not the patient
