"""Every aid in aids/ and every generic fixture, built and read back from the PDF."""

from __future__ import annotations

import io
from collections import Counter

import pikepdf
import pytest
from pypdf import PdfReader

from aidpress.model import Clinic
from aidpress.validate import load_aid
from layouts import render

from .conftest import AIDS, CLINIC, GENERIC
from .readback import assert_in_order, body_text, expected_texts, norm, page_numbers, read

ALL = AIDS + GENERIC
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}


def ids(paths):
    return [p.stem for p in paths]


def test_there_are_aids_to_check():
    assert len(AIDS) >= 8 and len(GENERIC) >= 5


@pytest.mark.parametrize("paper, large_print", [("a4", False), ("letter", False), ("a4", True)],
                         ids=["a4", "letter", "a4-large"])
@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_every_yaml_text_is_printed_whole_and_in_order(path, paper, large_print):
    aid = load_aid(path)
    text = body_text(render(aid, CLINIC, paper=paper, large_print=large_print).pdf)
    if large_print and aid.kind == "comparison" and norm(f"{aid.aspect_label}: {aid.rows[0].aspect}") in text:
        # Too narrow for side-by-side columns at 18 pt: one block per aspect instead, each
        # headed "<aspect label>: <aspect>" (the label is kept, issue 9).
        assert_in_order(text, expected_texts(aid, stacked=True))
    else:
        assert_in_order(text, expected_texts(aid, fields_last=details_follow_warnings(aid, text)))


def details_follow_warnings(aid, text: str) -> bool:
    """A checklist prints the patient's details before its warnings when both fit on page 1,
    else after them: which one this handout did, read from its text."""
    warnings = [s.heading for s in getattr(aid, "sections", ()) if s.warning]
    fields = [f.label for f in getattr(aid, "fields", ()) if f.label]
    return bool(warnings and fields) and text.find(norm(warnings[0])) < text.find(norm(fields[0]))


HEADED = [p for p in ALL if load_aid(p).kind == "checklist"]


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
@pytest.mark.parametrize("path", HEADED, ids=ids(HEADED))
def test_no_heading_is_left_alone_at_the_foot_of_a_page(path, large_print):
    aid = load_aid(path)
    headings = [norm(s.heading) for s in aid.sections]
    pages = read(render(aid, CLINIC, large_print=large_print).pdf)
    for page in pages[:-1]:
        assert not any(page.body.endswith(h) or page.body.endswith(h + " " + (s.intro or ""))
                       for h, s in zip(headings, aid.sections)), page.body[-200:]


def test_headings_keep_with_their_first_item(write_yaml):
    """A heading that would land at the foot of page 1 moves to page 2 with its item."""
    filler = "\n".join(f"      - Filler item number {i} that takes a line." for i in range(19))
    text = f"kind: checklist\ntitle: T\nsections:\n  - heading: First\n    items:\n{filler}\n" \
           "  - heading: Second heading\n    items:\n      - The item under the second heading.\n"
    for extra in range(0, 6):
        aid = load_aid(write_yaml(text.replace("number 0 ", "number 0 " + "long " * extra * 12)))
        for page in read(render(aid, CLINIC).pdf)[:-1]:
            assert not page.body.endswith("Second heading")


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large"])
@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_every_page_is_numbered_and_names_the_clinic(path, large_print):
    rendered = render(load_aid(path), CLINIC, large_print=large_print)
    pages = read(rendered.pdf)
    assert rendered.pages == len(pages)
    assert page_numbers(pages) == [(n, len(pages)) for n in range(1, len(pages) + 1)]
    for page in pages:
        assert "Riverside Physio & Wellbeing · Phone +44 20 7946 0321" in page.text


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_large_print_sets_body_text_at_18pt(path):
    aid = load_aid(path)
    regular = [size for page in read(render(aid, CLINIC).pdf) for _, size in page.sizes]
    large = [size for page in read(render(aid, CLINIC, large_print=True).pdf) for _, size in page.sizes]
    assert Counter(regular).most_common(1)[0][0] == pytest.approx(12)
    assert min(regular) >= 10  # nothing below 10 pt on paper (issue 9)
    # the aid's own intro (prose, never a label) is body text: 18 pt in large print
    intro = {size for page in read(render(aid, CLINIC, large_print=True).pdf) for text, size in page.sizes
             if len(text.split()) >= 4 and text.strip() in " ".join(aid.intro)}
    assert not aid.intro or (intro and all(abs(size - 18) < 0.01 for size in intro)), intro
    assert Counter(round(s) for s in large).most_common(1)[0][0] in (16, 18)  # body or the 16.2 pt floor
    assert min(large) >= 16  # nothing below 16 pt in large print (issue 9)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_paper_size(paper):
    pdf = render(load_aid(AIDS[0]), CLINIC, paper=paper).pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == PAPER_POINTS[paper]


def test_paper_defaults_to_the_clinic_profile():
    pdf = render(load_aid(AIDS[0]), Clinic(name="X", paper="letter")).pdf
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == PAPER_POINTS["letter"]


def test_without_a_clinic_profile_blank_write_in_lines_are_printed():
    pages = read(render(load_aid(AIDS[0]), Clinic()).pdf)
    for page in pages:
        assert "Clinic: ____" in page.text and "Phone: ____" in page.text


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_pdf_is_valid_and_every_font_is_embedded(path):
    pdf = render(load_aid(path), CLINIC).pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.check_pdf_syntax() == []
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, f"{font['/BaseFont']} has no descriptor (not embedded)"
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"}


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_metadata_and_bookmarks(path):
    aid = load_aid(path)
    reader = PdfReader(io.BytesIO(render(aid, CLINIC).pdf))
    meta = reader.metadata
    assert meta.title == aid.title
    assert meta.author == CLINIC.name
    assert meta.subject == (aid.subtitle or aid.title)
    assert str(reader.trailer["/Root"]["/Lang"]) == aid.language
    titles = [o.title for o in _flatten(reader.outline)]
    assert titles[0] == aid.title
    # (a checklist prints its warning sections first, the others in their YAML order)
    headings = [s.heading for s in sorted(getattr(aid, "sections", ()), key=lambda s: not s.warning)]
    assert headings == [t for t in titles if t in headings]
    if aid.sources and aid.kind != "checklist":  # sources are in "About this leaflet"
        assert "About this leaflet" in titles


def _flatten(outline):
    for entry in outline:
        if isinstance(entry, list):
            yield from _flatten(entry)
        else:
            yield entry


def test_bookmarks_point_at_the_page_their_heading_is_on():
    path = next(p for p in AIDS if load_aid(p).kind == "checklist" and len(read(render(load_aid(p), CLINIC).pdf)) > 1)
    aid = load_aid(path)
    pdf = render(aid, CLINIC).pdf
    reader = PdfReader(io.BytesIO(pdf))
    pages = read(pdf)
    for entry in _flatten(reader.outline):
        number = reader.get_destination_page_number(entry)
        assert entry.title in pages[number].body, (entry.title, number)


@pytest.mark.parametrize("path", ALL[:3] + GENERIC[:1], ids=ids(ALL[:3] + GENERIC[:1]))
def test_same_input_gives_the_same_bytes(path):
    aid = load_aid(path)
    assert render(aid, CLINIC).pdf == render(load_aid(path), CLINIC).pdf


def test_a_clinic_can_print_its_own_wording(tmp_path):
    """aidpress's fixed words (page numbers, headings, quiz and chart labels) can be replaced
    in the clinic profile, e.g. to print handouts in another language."""
    from aidpress.validate import load_clinic

    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: Praxis Beispiel\nphone: 030 1234\nlabels:\n  page: Seite {n} von {m}\n"
                       "  sources: Quellen\n  phone: Tel.\n  how_to_read: So lesen Sie Ihr Ergebnis\n"
                       "  lean_rule: 'Wenn {option} mindestens {margin} Punkte vorn liegt:'\n")
    clinic = load_clinic(profile)
    quiz = next(p for p in AIDS if load_aid(p).kind == "quiz")
    pages = read(render(load_aid(quiz), clinic).pdf)
    assert [p.text.count(f"Seite {n} von {len(pages)}") for n, p in enumerate(pages, 1)] == [1] * len(pages)
    text = " ".join(p.body for p in pages)
    assert "So lesen Sie Ihr Ergebnis" in text and "Quellen" in text
    assert "Wenn Cupping mindestens 2 Punkte vorn liegt:" in text
    assert all("Praxis Beispiel · Tel. 030 1234" in p.text for p in pages)


def test_replacement_wording_is_checked(tmp_path):
    from aidpress.errors import InvalidAid
    from aidpress.validate import load_clinic

    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: X\nlabels:\n  page: Seite {n}\n  sorces: Quellen\n")
    with pytest.raises(InvalidAid) as err:
        load_clinic(profile)
    assert str(err.value).splitlines() == [
        f"{profile}:3:9: error: labels.page: must contain {{m}}, {{n}}, like the default 'Page {{n}} of {{m}}'",
        f"{profile}:4:3: error: labels.sorces: unknown label 'sorces' (did you mean 'sources'?)",
    ]
