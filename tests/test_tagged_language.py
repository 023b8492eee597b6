"""Words in another language than the aid's are marked with theirs (issue 17 point 1:
"/Lang … on any element in another language"; docs/accessibility.md).

aidpress's own wording (labels, English unless the clinic profile replaces it) and the
clinic's own words (its address, its emergency route, in the profile's `language`) are not
the aid's: in an aid in Spanish, "How to read your score" is read in English. A tagged
handout gives an element whose words are all of one such language a /Lang of its own when
that differs from the aid's; an element mixing them with the aid's words (an option's name
after a label) is read in the aid's language, as are words whose language is not known
(labels a profile replaces without saying its language).

Read back: each structure element from pikepdf with the text of its own marked content
(pdfplumber: each character's MCID), and the language a reader uses for it, its own /Lang
or the nearest above it (the Document's is the aid's). Expected texts come from the YAML
and from aidpress's labels (LABELS), the languages from the YAML and the profile.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pdfua import validate

import layouts
from aidpress.labels import LABELS
from aidpress.validate import load_aid

from .conftest import CLINIC

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "aids"
ROUTE = "call 999 or go to A&E"


def squeezed(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


def in_language(name: str, language: str, tmp_path: Path) -> Path:
    """A seed aid with its `language:` line changed (the words stay: only what they are said to be)."""
    text = (SEEDS / f"{name}.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace("\nlanguage: en\n", f"\nlanguage: {language}\n"), encoding="utf-8")
    return path


def heard(pdf: bytes) -> list[tuple[str, str]]:
    """Each element's own text (its marked content, not its kids') with the language a
    reader reads it in, in the tree's order; elements with no text of their own left out."""
    texts: dict = {}
    with pdfplumber.open(io.BytesIO(pdf)) as plumbed:
        for index, page in enumerate(plumbed.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    texts[index, char["mcid"]] = texts.get((index, char["mcid"]), "") + char["text"]
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = {p.obj.objgen: i for i, p in enumerate(doc.pages)}

        def visit(node, lang: str) -> None:
            lang = str(node.Lang) if "/Lang" in node else lang
            own = ""
            kids = node.get("/K")
            for kid in ([] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    own += texts.get((pages[kid.Pg.objgen], int(kid.MCID)), "")
                elif isinstance(kid, pikepdf.Dictionary):
                    visit(kid, lang)
                else:
                    own += texts.get((pages[node.Pg.objgen], int(kid)), "")
            if own.strip():
                found.append((own, lang))

        root = doc.Root.StructTreeRoot.K
        visit(root, str(root.get("/Lang", "")))
    return found


def language_of(text: str, elements: list[tuple[str, str]]) -> str:
    """The language of the elements whose own text holds `text` (white space aside)."""
    matches = {lang for own, lang in elements if squeezed(text) in squeezed(own)}
    assert len(matches) == 1, (text, matches, [own for own, _ in elements][:40])
    return matches.pop()


def render(path: Path, clinic=CLINIC, **variant) -> bytes:
    return layouts.render(load_aid(path), clinic, **variant).pdf


def assert_passes(pdf: bytes, tmp_path: Path) -> None:
    file = tmp_path / "check.pdf"
    file.write_bytes(pdf)
    report = validate(str(file))
    assert [(f.rule_id, f.message) for f in report.findings] == []


@pytest.mark.parametrize("variant", [{}, {"large_print": True}], ids=["a4", "large-print"])
def test_an_aid_in_spanish_reads_aidpress_wording_in_english(variant, tmp_path):
    path = in_language("decision-quiz", "es", tmp_path)
    aid = load_aid(path)
    pdf = render(path, **variant)
    elements = heard(pdf)
    assert language_of(aid.title, elements) == "es"
    assert language_of(aid.questions[0].question, elements) == "es"
    assert language_of(LABELS["how_to_read"], elements) == "en"
    assert language_of(LABELS["question"], elements) == "en"
    assert language_of(f"{LABELS['phone']}: {CLINIC.phone}", elements) == "en"  # the clinic box's phone line
    assert_passes(pdf, tmp_path)


def test_a_flowchart_in_spanish_reads_its_step_numbers_in_english(tmp_path):
    path = in_language("decision-flowchart", "es", tmp_path)
    aid = load_aid(path)
    elements = heard(render(path))
    first = aid.nodes[aid.start_id]
    assert language_of(first.question, elements) == "es"
    assert language_of(LABELS["step"].format(n=1), elements) == "en"


def test_a_german_profile_marks_its_own_words_in_an_english_aid(tmp_path):
    words = {"how_to_read": "So lesen Sie Ihr Ergebnis", "call_clinic": "Rufen Sie die Praxis an",
             "emergency": "Im Notfall"}
    clinic = dataclasses.replace(CLINIC, labels=words, language="de", emergency="112 anrufen",
                                 address="Beispielstraße 1, Musterstadt")
    quiz = load_aid(SEEDS / "decision-quiz.yaml")
    elements = heard(render(SEEDS / "decision-quiz.yaml", clinic))
    assert language_of(words["how_to_read"], elements) == "de"
    assert language_of(clinic.address, elements) == "de"
    assert language_of(LABELS["question"], elements) == "en"  # not replaced: aidpress's English, the aid's too
    assert language_of(quiz.title, elements) == "en"
    pdf = render(SEEDS / "aftercare-cupping.yaml", clinic)
    elements = heard(pdf)
    # the warning box's contacts (one line or two): the profile's labels, its phone number
    # and its route, all German
    assert language_of(f"{words['call_clinic']}: {CLINIC.phone}", elements) == "de"
    assert language_of(f"{words['emergency']}: {clinic.emergency}", elements) == "de"
    assert_passes(pdf, tmp_path)


def test_words_of_no_known_language_are_read_in_the_aids(tmp_path):
    """A profile that replaces labels but gives no `language`: its words are read as the
    aid's; the labels it leaves are still aidpress's English."""
    clinic = dataclasses.replace(CLINIC, labels={"how_to_read": "Cómo leer su resultado"}, emergency=ROUTE)
    path = in_language("decision-quiz", "es", tmp_path)
    elements = heard(render(path, clinic))
    assert language_of("Cómo leer su resultado", elements) == "es"
    assert language_of(LABELS["question"], elements) == "en"


@pytest.mark.parametrize("name", ["decision-quiz", "aftercare-cupping", "decision-flowchart", "cupping-vs-dry-needling"])
def test_an_aid_in_the_wordings_language_marks_nothing_again(name):
    """An English aid (en, like aidpress's wording): no element but the Document has /Lang."""
    with pikepdf.open(io.BytesIO(render(SEEDS / f"{name}.yaml", dataclasses.replace(CLINIC, emergency=ROUTE)))) as doc:
        root = doc.Root.StructTreeRoot.K
        assert str(root.Lang) == "en"
        marked = []

        def visit(node) -> None:
            kids = node.get("/K")
            for kid in ([] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if "/Lang" in kid:
                        marked.append(str(kid.S))
                    visit(kid)

        visit(root)
        assert marked == []
