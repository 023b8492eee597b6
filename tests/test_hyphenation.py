"""Hyphenation only where it helps (issue 18, points 1 and 8).

Headings, column heads, row labels and bold labels never hyphenate; a body word is broken
only when it has at least 8 letters, leaving at least 3 on each side; pyphen's parsed
patterns are kept in the cache beside the fonts' (same rules: keyed, every byte checked,
safe to delete, same PDF with or without); and the page audit finds any of it coming back.
"""

from __future__ import annotations

import io
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pyphen
import pytest
from reportlab.pdfgen.canvas import Canvas

from aidpress.audit import audit
from aidpress.validate import load_aid
from layouts import comparison, engine, render, text

from .conftest import CLINIC, ROOT

GENERIC = ROOT / "tests" / "fixtures" / "generic"
CARPAL = [GENERIC / "carpal-comparison-3.yaml", GENERIC / "carpal-comparison-4.yaml"]
SEED = ROOT / "aids" / "cupping-vs-dry-needling.yaml"


def bold_words(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [w["text"] for page in doc.pages
                for w in page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False)
                if "Bold" in w["fontname"]]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("path", CARPAL + [SEED], ids=lambda p: p.stem)
def test_column_heads_and_row_labels_print_whole_words(path, paper):
    """Every word of every option name and row label (from the YAML) is printed whole in
    bold, and no bold word ends in a hyphen."""
    aid = load_aid(path)
    bold = bold_words(render(aid, CLINIC, paper=paper).pdf)
    expected = [w for t in [aid.aspect_label, *aid.options.values(), *(r.aspect for r in aid.rows)] for w in t.split()]
    assert [w for w in expected if w not in bold] == []
    assert [w for w in bold if w.endswith("-") and w[:-1][-1:].isalpha()] == []


def test_a_label_wraps_at_its_own_hyphen_and_the_grid_stays_portrait(write_yaml):
    """A compound wider than a narrow aspect column ends a line at its own hyphen (not
    hyphenation), so the grid need not go landscape for it; its other words stay whole."""
    path = write_yaml("""
        kind: comparison
        title: T
        options: {a: Appointment, b: Occasionally sleep, c: Gently, d: Appointment osteopathy}
        rows:
          - aspect: Appointment anti-inflammatory evening
            cells: {a: Some words here., b: More words., c: Few., d: Other words.}
        sources: [Invented.]
    """)
    pdf = render(load_aid(path), CLINIC, paper="a4").pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert doc.pages[0].width < doc.pages[0].height  # portrait
    bold = bold_words(pdf)
    assert {"Appointment", "Occasionally", "osteopathy", "evening"} <= set(bold)
    assert [w for w in bold if w.endswith("-")] in ([], ["anti-"])
    assert ("anti-" in bold and "inflammatory" in bold) or "anti-inflammatory" in bold


@pytest.mark.parametrize("word, allowed", [
    ("exercise", [4]),  # exer-cise; never ex-ercise
    ("hospital", [3]),  # hos-pital; never hospit-al
    ("anaesthetic", [5]),  # anaes-thetic; never an-aesthetic nor anaesthet-ic
    ("benefits", [4]),  # bene-fits; never be-nefits
    ("research", []),  # re-search and resear-ch leave under 3 letters a side
    ("involves", []),
    ("carpal", []),  # under 8 letters
    ("long-term", [5]),  # only at its own hyphen
    ("X-ray", [2]),
])
def test_a_word_breaks_only_with_8_letters_and_3_a_side(word, allowed):
    """Expected by hand from en_GB's patterns: every break the rule allows, none nearer
    than 3 letters to an end, none in a part under 8 letters."""
    assert sorted(text.breaks(word, "en-GB")) == allowed


def test_large_print_never_hyphenates_and_regular_print_still_does():
    """A word wider than a column still breaks in regular print (pyphen installed), only
    at allowed places; large print keeps words whole (stacking when they do not fit)."""
    aid = load_aid(CARPAL[1])
    regular = text_of(render(aid, CLINIC, paper="a4").pdf)
    large = text_of(render(aid, CLINIC, paper="a4", large_print=True).pdf)
    assert "-\n" in regular
    assert not any(line.rstrip().endswith("-") and line.rstrip()[-2:-1].isalpha() for line in large.splitlines())


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


# ── the audit finds a hyphenated label or a short broken word ─────────────────────────


def page_with(draw) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(595, 842))
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


def two_lines(c, x, first, second, font="Helvetica", tag=None):
    if tag:
        engine.add_operator(c, f"/{tag} <</MCID 9>> BDC")
    c.setFont(font, 10)
    c.drawString(x, 700, first)
    c.drawString(x, 688, second)
    if tag:
        engine.add_operator(c, "EMC")


@pytest.mark.parametrize("first, second, font, tag, kind", [
    ("Possible be-", "nefits", "Helvetica-Bold", None, "hyphenated-label"),  # a bold row label
    ("Steroid injec-", "tion", "Helvetica", "AidHeadRow", "hyphenated-label"),  # a column head
    ("Nerve gliding ex-", "ercise and advice", "Helvetica", None, "short-hyphenation"),  # 2 letters left
    ("from hospit-", "al the same day", "Helvetica", None, "short-hyphenation"),  # 2 letters right
    ("a broken tab-", "let", "Helvetica", None, "short-hyphenation"),  # under 8 letters
    ("Scar tender-", "ness and", "Helvetica", None, None),  # 10 letters, 6 | 4: allowed
    ("better in the long-", "term", "Helvetica", None, None),  # a compound: printed whole below
])
def test_the_audit_finds_hyphenation_against_the_rule(first, second, font, tag, kind):
    def draw(c):
        two_lines(c, 60, first, second, font, tag)
        c.setFont("Helvetica", 10)
        c.drawString(60, 600, "long-term in one piece")  # the compound, whole elsewhere
    kinds = [d.kind for d in audit(page_with(draw)).defects]
    assert kinds == ([kind] if kind else [])


def test_a_compound_named_by_the_source_may_break_at_its_hyphen():
    pdf = page_with(lambda c: two_lines(c, 60, "plan a follow-", "up visit"))
    assert [d.kind for d in audit(pdf).defects] == ["short-hyphenation"]
    assert audit(pdf, compounds=frozenset({"follow-up"})).defects == []


def test_the_audit_reads_each_table_column_on_its_own():
    """Two cells side by side: the break in the second column joins the second column's
    next line, not the first's."""
    def draw(c):
        two_lines(c, 60, "Wearing a", "splint at")
        two_lines(c, 200, "with a local an-", "aesthetic in")
    assert [d.detail for d in audit(page_with(draw)).defects] == ["an- / aesthetic"]


def test_the_audit_catches_the_old_rule(monkeypatch):
    """Built with the rule this replaced (pyphen's 2 letters a side, 5-letter words), the
    carpal tunnel comparison fails the audit; with the rule, it passes."""
    aid = load_aid(CARPAL[1])
    assert not [d for d in audit(render(aid, CLINIC, paper="a4").pdf).defects if "hyphen" in d.kind]
    monkeypatch.setattr(text, "MIN_SIDE", 2)
    monkeypatch.setattr(text, "MIN_WORD", 5)
    comparison.widest_piece.cache_clear()
    try:
        old = audit(render(aid, CLINIC, paper="a4").pdf).defects
    finally:
        comparison.widest_piece.cache_clear()
    assert "short-hyphenation" in {d.kind for d in old}


# ── the patterns' cache ────────────────────────────────────────────────────────────────

DIC = Path(pyphen.LANGUAGES["en_GB"])


def test_the_cache_gives_the_parse_and_is_written_once(tmp_path):
    parsed = pyphen.HyphDict(DIC)
    first = engine.hyphenation_patterns(DIC, tmp_path)
    (file,) = tmp_path.glob("*.hyph")
    assert pyphen.__version__ in file.name
    written = file.read_bytes()
    again = engine.hyphenation_patterns(DIC, tmp_path)
    assert first.patterns == again.patterns == parsed.patterns
    assert again.maxlen == parsed.maxlen
    assert file.read_bytes() == written


@pytest.mark.parametrize("where", ["marker", "digest", "content", "cut"])
def test_a_damaged_cache_is_a_missing_cache(tmp_path, where):
    """Every byte is checked before any is read: a flipped byte anywhere, or a cut file,
    is parsed again and rewritten whole."""
    engine.hyphenation_patterns(DIC, tmp_path)
    (file,) = tmp_path.glob("*.hyph")
    written = file.read_bytes()
    good = bytearray(written)
    at = {"marker": 2, "digest": len(engine.HYPHEN_MAGIC) + 3, "content": len(good) - 10}.get(where)
    if at is None:
        file.write_bytes(good[: len(good) // 2])
    else:
        good[at] ^= 0x01
        file.write_bytes(bytes(good))
    assert engine.hyphenation_patterns(DIC, tmp_path).patterns == pyphen.HyphDict(DIC).patterns
    assert file.read_bytes() == written


def test_unsealed_patterns_are_never_read(tmp_path):
    """A file of valid marshal data but no good digest (someone else's patterns) is not used."""
    engine.hyphenation_patterns(DIC, tmp_path)
    (file,) = tmp_path.glob("*.hyph")
    forged = marshal.dumps(({"ab": (1, (9,))}, 2))
    file.write_bytes(engine.HYPHEN_MAGIC + b"\0" * engine.DIGEST + forged)
    assert engine.hyphenation_patterns(DIC, tmp_path).patterns == pyphen.HyphDict(DIC).patterns


def build(out: Path, cache: str) -> bytes:
    env = dict(os.environ, AIDPRESS_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "aidpress", "build", "--force", "--out", str(out), str(CARPAL[1])],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return (out / "carpal-comparison-4.pdf").read_bytes()


def test_the_same_pdf_with_no_cache_a_cold_cache_and_a_warm_one(tmp_path):
    cache = tmp_path / "cache"
    none = build(tmp_path / "none", "")
    cold = build(tmp_path / "cold", str(cache))
    assert list(cache.glob("*.hyph"))
    warm = build(tmp_path / "warm", str(cache))
    assert none == cold == warm


def test_the_cached_hyphenator_is_what_pyphen_makes(tmp_path):
    """Engine contract: the Pyphen made from cached patterns has exactly the state
    Pyphen.__init__ gives (if a pyphen upgrade adds state, this fails) and breaks alike."""
    ours = engine.hyphenator("en-GB", 3, tmp_path)
    theirs = pyphen.Pyphen(lang="en_GB", left=3, right=3)
    assert vars(ours).keys() == vars(theirs).keys()
    assert (ours.left, ours.right) == (theirs.left, theirs.right)
    assert vars(ours.hd).keys() == vars(theirs.hd).keys()
    assert (ours.hd.patterns, ours.hd.maxlen) == (theirs.hd.patterns, theirs.hd.maxlen)
    words = load_aid(CARPAL[1]).rows[0].cells["physio"].split() + ["anaesthetic", "physiotherapy", "practitioner"]
    assert [ours.positions(w) for w in words] == [theirs.positions(w) for w in words]
