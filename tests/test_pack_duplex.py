"""Issue 18 point 6: a pack's cover and contents share page 1, and `aidpress build
--duplex` starts every part of a pack (each member, and the pack's end) on a right-hand
(odd) page, a left-hand page before it left blank on purpose and saying so. Read back
from the PDFs `aidpress build` writes; the expected starts are worked out from the
simplex build's part lengths by the printer's rule (a part starting on an even page moves
to the next page), and the titles come from the YAML."""

from __future__ import annotations

import dataclasses
import io
import json
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from aidpress.labels import LABELS
from aidpress.validate import load_aid, pack_members
from cli import main
from layouts.pack import render_pack

from .conftest import CLINIC, ROOT
from .readback import norm, page_numbers, read

PACK = ROOT / "packs" / "waiting-room.yaml"
SEED = load_aid(PACK)
MEMBER_TITLES = [norm(load_aid(p).title) for p in pack_members(SEED)]
BLANK = norm(LABELS["blank_page"])
LAYOUTS = {"a4": [], "letter": ["--paper", "letter"], "a4-large": ["--large-print"],
           "letter-large": ["--paper", "letter", "--large-print"]}
SUFFIX = {"a4": "", "letter": "-letter", "a4-large": "-large-print", "letter-large": "-letter-large-print"}


@pytest.fixture(scope="module", params=list(LAYOUTS))
def built(request, tmp_path_factory):
    """The seed pack built simplex, then --duplex, into one folder: (layout, folder)."""
    out = tmp_path_factory.mktemp(request.param)
    for extra in ([], ["--duplex"]):
        result = CliRunner().invoke(main, ["build", "--clinic", str(ROOT / "clinic.yaml"), "--out", str(out),
                                           *LAYOUTS[request.param], *extra, str(PACK)])
        assert result.exit_code == 0, result.output
    return request.param, out


def pdf_of(built, duplex: bool) -> bytes:
    layout, out = built
    return (out / f"{SEED.id}{SUFFIX[layout]}{'-duplex' if duplex else ''}.pdf").read_bytes()


END = norm(LABELS["choice_heading"])  # the pack's end: its members ask for "your choice"


def contents(pages) -> list[tuple[str, int]]:
    """The contents entries printed on the front pages, in order: (title, page number)."""
    after = (pages[0].body + " " + pages[1].body).split(norm(LABELS["contents"]), 1)[1]
    entries, at = [], 0
    for title in MEMBER_TITLES + [END]:
        m = re.compile(re.escape(title) + r" (\d+)").search(after, at)
        assert m, f"contents entry {title!r} not on the front pages: {after!r}"
        entries.append((title, int(m.group(1))))
        at = m.end()
    return entries


def test_page_1_holds_the_cover_and_the_contents(built):
    """The whole contents under the cover, on page 1. Regular print keeps the cover's
    clinic box; large print (title, subtitle and box would take half the page) leaves the
    box out, as the pack's end prints it and every page's header names the clinic."""
    pages = read(pdf_of(built, duplex=False))
    first = pages[0].body
    assert first.startswith(norm(SEED.title))
    assert norm(SEED.subtitle) in first  # the cover matter, then the contents
    assert first.index(norm(SEED.subtitle)) < first.index(norm(LABELS["contents"]))
    assert ("Riverside Physio" in first) == (not built[0].endswith("-large"))
    entries = contents(pages)
    on_cover = [t for t, _ in entries if t in first.split(norm(LABELS["contents"]), 1)[1]]
    assert on_cover == [t for t, _ in entries] and entries[0][1] == 2
    for title, start in entries:
        assert pages[start - 1].body.startswith(title), (title, start)


def test_duplex_starts_every_part_on_a_right_hand_page_behind_a_blank_that_says_so(built):
    simplex, duplex = read(pdf_of(built, duplex=False)), read(pdf_of(built, duplex=True))
    plain = contents(simplex)
    lengths = [b[1] - a[1] for a, b in zip(plain, plain[1:])] + [len(simplex) + 1 - plain[-1][1]]
    # The printer's rule, by hand: each part starts on the next odd page.
    expected, page, blanks = [], plain[0][1], []  # after the front's pages
    for (title, _), length in zip(plain, lengths):
        if page % 2 == 0:
            blanks.append(page)
            page += 1
        expected.append((title, page))
        page += length
    assert blanks, "the seed pack has parts that would start on a left-hand page"
    assert contents(duplex) == expected  # the contents' page numbers are where parts start
    assert len(duplex) == page - 1 == len(simplex) + len(blanks)
    assert page_numbers(duplex) == [(n, len(duplex)) for n in range(1, len(duplex) + 1)]
    for (title, start), (_, was), length in zip(expected, plain, lengths):
        assert start % 2 == 1
        # the part is as it is in the simplex pack, page for page; its references to its own
        # pages ("continued from page 14") moved with it
        moved = [re.sub(r"(?<=page )\d+", lambda m: str(int(m.group()) + start - was), p.body)
                 for p in simplex[was - 1:was - 1 + length]]
        assert [p.body for p in duplex[start - 1:start - 1 + length]] == moved
    for n in blanks:
        assert duplex[n - 1].body == BLANK
        assert "Riverside Physio & Wellbeing" in duplex[n - 1].text  # the running header, as on every page
        assert norm(SEED.disclaimer) in duplex[n - 1].text  # and the footer
    assert sum(BLANK in p.text for p in duplex) == len(blanks)
    reader = PdfReader(io.BytesIO(pdf_of(built, duplex=True)))
    marks = {norm(o.title): reader.get_destination_page_number(o) + 1 for o in reader.outline}
    assert all(marks[title] == start for title, start in expected)


def test_the_manifest_keeps_both_variants(built):
    layout, out = built
    manifest = json.loads((out / ".aidpress-manifest.json").read_text())
    names = {p.rsplit("/", 1)[-1] for p in manifest}
    assert names == {f"{SEED.id}{SUFFIX[layout]}.pdf", f"{SEED.id}{SUFFIX[layout]}-duplex.pdf"}
    # building simplex again finds its own PDF unchanged: the duplex build did not replace it
    result = CliRunner().invoke(main, ["build", "--clinic", str(ROOT / "clinic.yaml"), "--out", str(out),
                                       *LAYOUTS[layout], str(PACK)])
    assert "unchanged, skipped" in result.output, result.output


# ── contents too long for the cover: they run on over page 2 ─────────────────────────

@pytest.mark.parametrize("duplex", [False, True], ids=["simplex", "duplex"])
def test_contents_too_long_for_the_cover_run_on_to_page_2(duplex):
    """A pack of 12 leaflets in large print: the cover, the contents heading and the first
    entries on page 1, the rest on page 2; every number still right."""
    one = load_aid(ROOT / "aids" / "choosing-a-practitioner.yaml")
    titles = [f"Leaflet number {n} of a long pack" for n in range(1, 13)]
    aids = [dataclasses.replace(one, title=t) for t in titles]
    pack = dataclasses.replace(SEED, aids=tuple(f"{n}.yaml" for n in range(12)))
    pdf = render_pack(pack, aids, CLINIC, large_print=True, duplex=duplex).pdf
    pages = read(pdf)
    assert pages[0].body.startswith(norm(SEED.title)) and norm(LABELS["contents"]) in pages[0].body
    assert norm(titles[0]) in pages[0].body and norm(titles[-1]) not in pages[0].body
    assert norm(titles[-1]) in pages[1].body and not pages[1].body.startswith(norm(SEED.title))
    front = pages[0].body + " " + pages[1].body
    starts = [int(re.search(re.escape(norm(t)) + r" (\d+)", front).group(1)) for t in titles]
    assert starts[0] == 3  # after two pages of front matter: odd, so no blank page even in duplex
    for title, start in zip(titles, starts):
        assert pages[start - 1].body.startswith(norm(title))
        assert start % 2 == 1 or not duplex
    assert page_numbers(pages) == [(n, len(pages)) for n in range(1, len(pages) + 1)]


# ── the -duplex output name: packs only, never two aids on one file ──────────────────

CARE = "kind: checklist\ntitle: Before your visit\nid: {id}\nsections:\n  - heading: At home\n    items: [Eat a light meal.]\n"


def test_an_aid_named_like_a_pack_s_duplex_variant_is_refused_and_a_checklist_s_is_not(tmp_path):
    from aidpress.commands.preflight import BuildOptions, preflight

    (tmp_path / "care.yaml").write_text(CARE.format(id="care"))
    (tmp_path / "care-duplex.yaml").write_text(CARE.format(id="care-duplex"))  # care has no duplex variant
    (tmp_path / "room.yaml").write_text("kind: pack\ntitle: Room\naids: [care.yaml]\n")
    (tmp_path / "room-duplex.yaml").write_text(CARE.format(id="room-duplex"))
    planned = preflight([tmp_path], CLINIC, BuildOptions(tmp_path / "out"), render_if=lambda item: False)
    errors = {p.source.name: [e.message for e in p.errors] for p in planned}
    assert errors["care.yaml"] == errors["care-duplex.yaml"] == errors["room-duplex.yaml"] == []
    assert errors["room.yaml"] == [  # the later of the two, in the order files are read
        f"id 'room' built with --duplex names the same file as aid 'room-duplex' ({tmp_path / 'room-duplex.yaml'}): "
        "both write room-duplex.pdf, and each build would replace the other's"]


def test_duplex_leaves_an_aid_that_is_not_a_pack_as_it_is(tmp_path):
    """A single leaflet has no parts to start on right-hand pages: --duplex neither
    renames it nor lays it out again."""
    from aidpress.commands.build import BuildOptions, Built, Skipped, build

    (tmp_path / "care.yaml").write_text(CARE.format(id="care"))
    (tmp_path / "room.yaml").write_text("kind: pack\ntitle: Room\naids: [care.yaml]\n")
    first = build([tmp_path], CLINIC, BuildOptions(tmp_path / "out"))
    pdf = (tmp_path / "out" / "care.pdf").read_bytes()
    second = build([tmp_path], CLINIC, BuildOptions(tmp_path / "out", duplex=True))
    assert [type(r) for r in first] == [Built, Built]
    assert {r.source.name: type(r) for r in second} == {"care.yaml": Skipped, "room.yaml": Built}
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["care.pdf", "room-duplex.pdf", "room.pdf"]
    assert (tmp_path / "out" / "care.pdf").read_bytes() == pdf
