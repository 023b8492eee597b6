"""The structure text of a tagged handout reads its words as the YAML has them
(docs/accessibility.md, "Line breaks"; layouts/linetext.py).

ReportLab writes nothing at a line break, so a structure reader glued the last word of a
line to the first of the next ("you,and"), and the last line of a table cell to the next
cell. Read back with poppler's `pdfinfo -struct-text`; expected words come from the YAML.
A word hyphenated at a line end is found on the page (pdfplumber: a word printed with a
hyphen at its line's end whose YAML word has none there) and must be read as one word.
Nothing printed may move: pages render pixel for pixel as an untagged render does, with
the same `pdftotext` text.
"""

from __future__ import annotations

import glob
import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pdfua import validate

import layouts
from aidpress.validate import load_aid
from layouts import linetext, page
from layouts.linetext import LineReader

from .conftest import AIDS, CLINIC

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "generic"
HYPHENATED = FIXTURES / "carpal-comparison-4.yaml"  # narrow cells: A4 hyphenates words in them
LONG = FIXTURES / "carpal-tunnel-long-cell.yaml"  # a long cell moved to a note split over two pages
VARIANTS = {"a4": {}, "large-print": {"large_print": True}}

needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils not installed")


# ── reading back ──────────────────────────────────────────────────────────────────


def normal(text: str) -> str:
    """NFC, no-break spaces as spaces, soft hyphens dropped (they are read as nothing)."""
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u00ad", "")


def struct_words(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every word of the structure tree's text, in reading order, as poppler reads it: an
    element's text is its content items' text one after the other (poppler prints each on
    a line of its own: "… in a clinic or hos" / "pital outpatient …" is "hospital"); the
    texts of different elements are words apart."""
    file = tmp_path / "aid.pdf"
    file.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", "-struct-text", str(file)], check=True, capture_output=True, text=True).stdout
    texts, same = [], False  # same: the line before was a content item of the same element
    for line in out.splitlines():
        content = line.strip().startswith('"')
        if content and same:
            texts[-1] += line.strip()[1:-1]
        elif content:
            texts.append(line.strip()[1:-1])
        same = content
    return normal(" ".join(texts)).split()


def yaml_sentences(path: Path) -> list[str]:
    """Each sentence of each text in the aid's YAML (a long cell may be printed in two
    places, cut between sentences: the cell and a note)."""
    out = []

    def walk(node):
        if isinstance(node, str):
            out.extend(s for s in re.split(r"(?<=[.!?])\s+", normal(node)) if len(s.split()) >= 2)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def bare(word: str) -> str:
    """A word without its punctuation (its own hyphens kept)."""
    return re.sub(r"[^\w-]", "", word).strip("-")


def page_hyphenations(pdf: bytes, source_words: set[str]) -> set[tuple[str, str]]:
    """(head, word) for each word printed hyphenated at a line end: a word ending in a
    hyphen (pdfplumber) that is the head of a YAML word with no hyphen there, whose tail
    starts a printed word."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        printed = [w["text"] for p in doc.pages for w in p.extract_words()]
    starts = {bare(t) for t in printed}
    found = set()
    for text in printed:
        head = bare(text[:-1]) if text.endswith(("-", "\u00ad")) else ""
        for word in source_words if head else ():
            tail = word[len(head):]
            if word.startswith(head) and tail and tail[0] != "-" and any(s.startswith(tail) for s in starts):
                found.add((head, word))
    return found


def read_as(struct: list[str], sentence: list[str], printed: set[tuple[str, str]]) -> tuple[bool, int]:
    """Whether `sentence` is read word for word somewhere in `struct` (a word hyphenated on
    the page may be read with its printed hyphen, as one word: "hos-pital"), and how many
    of its words were read so."""
    n = len(sentence)
    for i in range(len(struct) - n + 1):
        joined = 0
        for k in range(n):
            got, want = struct[i + k], sentence[k]
            if got == want or (k == n - 1 and got == want + ":"):  # a label printed with a colon
                continue
            head = bare(got.split("-")[0]) if "-" in got else ""
            if got.replace("-", "", 1) == want and head and any(h == head for h, _ in printed):
                joined += 1
                continue
            break
        else:
            return True, joined
    return False, 0


def assert_read_as_written(path: Path, pdf: bytes, tmp_path: Path, *, whole: bool = False) -> int:
    """Every YAML sentence the tree holds is read with its words apart and whole; returns how
    many words hyphenated on the page it read as one. `whole`: they must read with no hyphen."""
    struct = struct_words(pdf, tmp_path)
    flat = "".join(struct).replace("-", "")
    source_words = {bare(w) for s in yaml_sentences(path) for w in s.split()}
    printed = page_hyphenations(pdf, source_words)
    checked, joined, missing = 0, 0, []
    for sentence in yaml_sentences(path):
        if "".join(sentence.split()).replace("-", "") not in flat:
            continue  # not in the tree at all (the footer's disclaimer is an artifact; unprinted fields)
        ok, n = read_as(struct, sentence.split(), set() if whole else printed)
        checked += 1
        joined += n
        if not ok:
            missing.append(sentence)
    assert missing == []
    assert checked >= 5
    if whole:
        assert printed, "the page hyphenates no word: nothing to read whole"
        assert all(word in {bare(w) for w in struct} for _, word in printed)
    return joined


def render(path: Path, **variant) -> bytes:
    return layouts.render(load_aid(path), CLINIC, **variant).pdf


# ── the tree reads words apart and whole ──────────────────────────────────────────


@needs_poppler
@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", [*AIDS, HYPHENATED, LONG], ids=[p.stem for p in [*AIDS, HYPHENATED, LONG]])
def test_every_sentence_of_the_yaml_is_read_word_for_word(path, variant, tmp_path):
    pdf = render(path, **VARIANTS[variant])
    assert_read_as_written(path, pdf, tmp_path)
    file = tmp_path / "check.pdf"
    file.write_bytes(pdf)
    assert [(f.rule_id, f.message) for f in validate(str(file)).findings] == []


@needs_poppler
@pytest.mark.parametrize("path", AIDS, ids=[p.stem for p in AIDS])
def test_a_bullet_is_read_apart_from_its_first_word(path, tmp_path):
    """A paragraph's bullet is its own text object, drawn before the paragraph: "•If your"
    was read as one word."""
    words = struct_words(render(path), tmp_path)
    assert [w for w in words if w.startswith("\u2022") and len(w) > 1] == []


@needs_poppler
def test_a_word_hyphenated_at_a_line_end_is_read_as_one_word(tmp_path):
    """A4 hyphenates in the 4-option grid's narrow cells ("hos-" / "pital"): the tree reads
    "hospital" — the hyphen ReportLab added is an artifact between two content items of
    the cell's element. No marked content holds another (poppler would end the cell's
    text at a nested EMC, pdfplumber forget its MCID there): every character on the page
    has an MCID, or is an artifact; the page still prints "hos-" (pdfplumber)."""
    pdf = render(HYPHENATED)
    source_words = {bare(w) for s in yaml_sentences(HYPHENATED) for w in s.split()}
    printed = page_hyphenations(pdf, source_words)
    assert len(printed) >= 3
    assert ("hos", "hospital") in printed
    struct = [bare(w) for w in struct_words(pdf, tmp_path)]
    assert {word for _, word in printed} <= set(struct)
    assert not any(f"{head}-{word[len(head):]}" in struct for head, word in printed)
    assert assert_read_as_written(HYPHENATED, pdf, tmp_path, whole=True) == 0
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = [c for p in doc.pages for c in p.chars]
    # (the running header and footer are drawn in an AidChrome mark inside their artifact)
    assert [c["text"] for c in chars if c.get("mcid") is None and c.get("tag") not in ("Artifact", "AidChrome")] == []
    hyphens = [c for c in chars if c.get("tag") == "Artifact" and c["text"] == "-"]
    assert len(hyphens) >= len(printed)


@needs_poppler
def test_with_soft_hyphens_a_hyphenated_word_is_read_whole(tmp_path, monkeypatch):
    """linetext.SOFT_HYPHEN draws an added hyphen as U+00AD (the same width and look in
    DejaVu): poppler reads the word whole ("hospital") and the page prints the same."""
    plain = render(HYPHENATED)
    monkeypatch.setattr(linetext, "SOFT_HYPHEN", True)
    soft = render(HYPHENATED)
    assert_read_as_written(HYPHENATED, soft, tmp_path, whole=True)
    assert renders(plain, tmp_path / "a") == renders(soft, tmp_path / "b")


# ── nothing printed moves ───────────────────────────────────────────────────────


def renders(pdf: bytes, folder: Path) -> list[bytes]:
    """Each page rendered by poppler at 110 dpi, as raw RGB pixels."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "f.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(folder / "f.pdf"), str(folder / "p")], check=True)
    return [Image.open(f).convert("RGB").tobytes() for f in sorted(glob.glob(str(folder / "p-*.png")))]


def pdftotext(pdf: bytes, folder: Path, *mode: str) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", *mode, str(folder / "t.pdf"), "-"], check=True, capture_output=True).stdout


@needs_poppler
@pytest.mark.parametrize("path, variant", [
    (HYPHENATED, "a4"), (LONG, "a4"), (LONG, "large-print"),
    (ROOT / "aids" / "decision-quiz.yaml", "a4"), (ROOT / "aids" / "aftercare-cupping.yaml", "large-print"),
], ids=["hyphenated", "long", "long-large", "quiz", "checklist-large"])
def test_the_spaces_move_nothing_printed(path, variant, tmp_path, monkeypatch):
    """The same pixels and the same pdftotext text as an untagged render (which writes no
    line-end spaces)."""
    tagged = render(path, **VARIANTS[variant])
    monkeypatch.setattr(page, "TAGGED", False)
    plain = render(path, **VARIANTS[variant])
    assert renders(tagged, tmp_path / "tagged") == renders(plain, tmp_path / "plain")
    for mode in ([], ["-layout"], ["-raw"]):
        assert pdftotext(tagged, tmp_path / "t", *mode) == pdftotext(plain, tmp_path / "p", *mode)


# ── the reader, by hand ───────────────────────────────────────────────────────────


def drawn(source: str, lines: list[list[str]]) -> list[str]:
    """What a reader makes of lines of runs (the last run of each ends its line)."""
    reader, out = LineReader(source), []
    for runs in lines:
        for run in runs[:-1]:
            reader.run(run)
            out.append(run)
        out.append(reader.line_end(runs[-1]))
    return out


def test_a_break_between_words_gets_a_space_and_one_inside_a_word_none():
    assert drawn("Tell you, and neither of us", [["Tell you,"], ["and neither"], ["of us"]]) == \
        ["Tell you, ", "and neither ", "of us "]
    # ReportLab's added hyphen: no break; the text's own hyphen: none either
    assert drawn("a long-term exercise plan", [["a long-"], ["term ex-"], ["ercise plan"]]) == \
        ["a long-", "term ex-", "ercise plan "]
    # runs of several fonts, a run that already ends in a space, a dash standing alone
    assert drawn("Note: take it - slowly", [["Note: ", "take it -"], ["slowly"]]) == \
        ["Note: ", "take it - ", "slowly "]
    # a no-break space is part of its word (a phone number never breaks there)
    assert drawn("Call 020\u00a07946 0321 now", [["Call 020\u00a07946"], ["0321 now"]]) == \
        ["Call 020\u00a07946 ", "0321 now "]


def test_a_run_that_is_not_the_text_draws_the_rest_as_it_is():
    reader = LineReader("one two three")
    assert reader.line_end("one") == "one "
    assert reader.line_end("four") == "four"  # not the text: from here on, nothing is added
    assert reader.line_end("three") == "three" and reader.rest() == ""


def test_the_second_part_of_a_split_paragraph_reads_on_from_the_first():
    reader = LineReader("you can keep doing the exercise at home")
    for line in ["you can keep", "doing the ex-"]:
        reader.line_end(line)
    assert reader.rest() == "ercise at home"


def test_soft_hyphen_replaces_only_an_added_hyphen(monkeypatch):
    monkeypatch.setattr(linetext, "SOFT_HYPHEN", True)
    assert drawn("a long-term exercise", [["a long-"], ["term ex-"], ["ercise"]]) == \
        ["a long-", "term ex\u00ad", "ercise "]


def test_an_added_hyphen_is_an_artifact_between_two_sequences_in_the_text_object():
    """tagging cuts a text object at the hyphen comments engine.spoken_line_ends writes: the
    element's sequences begin and end inside BT … ET, the hyphen (and its T*) an artifact
    between them, nothing nested; a text object that ends at the hyphen (a split
    paragraph's first part) opens no empty sequence after it."""
    from layouts import engine, tagging

    begin, end = engine.HYPHEN_MARKS
    tree = tagging.Tree()
    tree.element(5, None, "TD", declared=True)
    mcids: list = []
    piece = ["q", "0 0 10 10 re f", "q", ".1 rg",
             f"BT 1 0 0 1 0 9 Tm (a hos) Tj {begin} (-) Tj T* {end} (pital ) Tj T* (lig) Tj {begin} (-) Tj T* {end} ET",
             "Q", "Q"]
    assert tagging._wrapped(piece, tree, 5, 0, mcids, None) == [
        "q", "/TD <</MCID 0>> BDC", "0 0 10 10 re f", "EMC", "q", ".1 rg",
        "BT", "/TD <</MCID 1>> BDC", "1 0 0 1 0 9 Tm (a hos) Tj", "EMC", "/Artifact BMC", "(-) Tj T*", "EMC",
        "/TD <</MCID 2>> BDC", "(pital ) Tj T* (lig) Tj", "EMC", "/Artifact BMC", "(-) Tj T*", "EMC", "ET", "Q", "Q"]
    assert mcids == [5, 5, 5] and tree.elements[5].kids == [("m", 0, 0), ("m", 0, 1), ("m", 0, 2)]
