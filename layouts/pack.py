"""Packs: several handouts bound into one PDF behind a cover and a table of contents.

Each aid is rendered as it is alone, except that its pages are numbered within the
pack, its source references are renumbered to the pack's one list of sources, and its
"About this leaflet" (sources, dates, authors, conflicts) and "your choice" block are
left to the pack's end, which prints them once. The cover and the contents share the
first page (contents too long for it run on over the next). Rendering happens twice: once
to count each part's pages, once with the pack's page numbers; the parts (each a tagged
PDF) are then joined with pikepdf, with a bookmark each and one structure tree built from
theirs (structure_merge.py). Printed on both sides (`duplex`), every part starts on
a right-hand (odd) page: where one would start on a left-hand page, a page that says it is
blank on purpose goes before it, numbered like any other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from dataclasses import dataclass

import pikepdf
from reportlab.platypus import Flowable, Spacer

from aidpress.dates import printed
from aidpress.errors import UnfitContent
from aidpress.labels import labels_for
from aidpress.model import About, Aid, Choice, Clinic, Pack, choice_block, renumber

from . import Rendered, blocks, context, render, structure_merge, tagging
from .common import Context, about_block, bound_in_pack, clinic_block, table
from .page import Heading, build_pdf
from .scale import RULE
from .text import para


@dataclass(frozen=True)
class PackEntry:
    """One aid of a pack: where its pages start in the pack, and how many it has."""

    aid: Aid
    first_page: int
    pages: int


# ── one list of sources ─────────────────────────────────────────────────────────────

def same_document(source: str) -> str:
    """Two citations of one document, told apart only by case, spacing or a final stop."""
    return " ".join(source.casefold().split()).rstrip(".")


def number_sources(aids: list[Aid]) -> tuple[list[str], list[dict[int, int]]]:
    """The pack's sources, each document once, in order of first citation; and for each
    aid, its own source numbers mapped to the pack's."""
    merged: list[str] = []
    seen: dict[str, int] = {}
    maps = []
    for aid in aids:
        numbers = {}
        for n, source in enumerate(aid.sources, 1):
            key = same_document(source)
            if key not in seen:
                merged.append(source)
                seen[key] = len(merged)
            numbers[n] = seen[key]
        maps.append(numbers)
    return merged, maps


def _renumbered(value, numbers: dict[int, int]):
    """A model value with every text in it renumbered (ids and keys are not text)."""
    if isinstance(value, str):
        return renumber(value, numbers)
    if isinstance(value, tuple):
        return type(value)(_renumbered(v, numbers) for v in value)
    if isinstance(value, dict):
        return {k: _renumbered(v, numbers) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        changes = {f.name: _renumbered(getattr(value, f.name), numbers) for f in dataclasses.fields(value)
                   if f.name not in ("where", "id", "kind", "language", "sources") and f.init}
        return dataclasses.replace(value, **changes)
    return value


def member(aid: Aid, numbers: dict[int, int]) -> Aid:
    """An aid as bound in a pack: references renumbered to the pack's sources, and no
    About block or "your choice" of its own (the pack's end prints them once)."""
    bound = _renumbered(aid, numbers)
    if hasattr(bound, "choice"):
        bound = dataclasses.replace(bound, choice=False)
    return bound_in_pack(bound)


def _unique(texts) -> str | None:
    """The texts' sentences, each once (members often share "The writers have none.")."""
    out: list[str] = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text or ""):
            if sentence and sentence not in out:
                out.append(sentence)
    return " ".join(out) or None


def pack_about(pack: Pack, aids: list[Aid], sources: list[str], maps: list[dict[int, int]]) -> Pack:
    """The pack as its end prints it: its own About items, then each member's that differ
    (their references renumbered), the pack's sources, the latest production date and the
    earliest review date."""
    abouts = [pack.about] + [a.about and _renumbered(a.about, m) for a, m in zip(aids, maps)]
    keys = ("written_by", "update_policy", "funding", "conflicts")
    merged = {k: _unique(getattr(a, k) for a in abouts if a) for k in keys}
    updated = [d for d in [pack.updated] + [a.updated for a in aids] if d]
    review = [d for d in [pack.review_by] + [a.review_by for a in aids] if d]
    disclaimer = pack.disclaimer or _unique(a.disclaimer for a in aids)
    return dataclasses.replace(pack, sources=tuple(sources), about=About(**merged, where=pack.where),
                               updated=max(updated, default=None), review_by=min(review, default=None),
                               disclaimer=disclaimer)


def pack_choice(aids: list[Aid]) -> tuple[Choice, dict[str, str]] | None:
    """The one "your choice" block a pack prints at its end, when any member asks for one:
    the first one's wording, and the options of every member that asks (each once)."""
    asking = [(a, choice_block(a)) for a in aids if choice_block(a)]
    if not asking:
        return None
    options: dict[str, str] = {}
    for aid, _ in asking:
        for key, name in aid.options.items():
            if key not in options and name not in options.values():
                options[key] = name
    return asking[0][1], options


PACK_QUESTION_LINES = 3  # a pack's end has room: more lines for questions than a two-page aid's


def end_matter(pack: Pack, aids: list[Aid], ctx: Context) -> list[Flowable]:
    """The pack's end: "your choice" (once), then one About block with the pack's one list
    of sources, then the clinic's box."""
    st = ctx.styles
    sources, maps = number_sources([pack] + aids)
    out: list[Flowable] = []
    choice = pack_choice(aids)
    if choice:
        out += blocks.your_choice(*choice, ctx, level=0, lines=PACK_QUESTION_LINES)
    lines = about_block(pack_about(pack, aids, sources, maps[1:]), ctx, concerns=[pack] + aids)
    if lines:
        out += [Heading(ctx.labels["about_pack_heading"], st.heading, level=0)] + lines
    return out + [clinic_block(ctx)]


def front_matter(pack: Pack, parts: list[PackEntry], ctx: Context, compact: bool = False) -> list[Flowable]:
    """The cover (title, clinic, date) with the table of contents under it, on one page
    when it fits; a longer contents runs on over the next page, its heading and first two
    entries kept together (after a page break if even they do not fit). `compact`: no
    space above the title and no clinic box (the pack's end prints it, and the running
    header carries the clinic's name and phone on every page)."""
    st, s = ctx.styles, ctx.scale
    out: list[Flowable] = [] if compact else [Spacer(0, s.gap * 4)]
    out.append(Heading(pack.title, st.title))
    if pack.subtitle:
        out.append(para(pack.subtitle, st.subtitle))
    dates = [p.aid.updated for p in parts if p.aid.updated] + ([pack.updated] if pack.updated else [])
    if dates:
        line = ctx.labels["updated"].format(date=printed(max(dates), weekday=False))
        out.append(para(line[:1].upper() + line[1:], st.body))  # not str.capitalize: "Nov" keeps its capital
    out += [para(p, st.body) for p in pack.intro]
    out += ([] if compact else [clinic_block(ctx)]) + [Spacer(0, s.gap * (1 if compact else 2))]
    rows = [[para(p.aid.title, st.cell), para(str(p.first_page), st.cell_bold)] for p in parts]

    # (compact: the entries closer, still one ruled line each, so they share the cover's page)
    pad = (s.pad * 0.4, s.pad * 0.6) if compact else (s.pad, s.pad * 1.5)

    def contents(rows: list) -> Flowable:
        return table(rows, [ctx.frame_width - s.body * 4, s.body * 4], ctx, [
            ("LINEBELOW", (0, 0), (-1, -1), s.rule / 2, RULE),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), pad[0]),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad[1]),
        ])

    # The heading and the first two entries stay together; the rest may run on over
    # the next page, rather than the whole contents moving and leaving the cover half empty.
    heading = Heading(ctx.labels["contents"], st.heading, level=1)
    out += blocks.keep_start([heading], contents(rows[:2]), contents(rows), ctx)
    return out


def _front(pack: Pack, clinic: Clinic, parts: list[PackEntry], paper, large_print, total: int | None) -> Rendered:
    ctx, paper = context(pack, clinic, paper, large_print)
    pdf, pages = build_pdf(pack, clinic, ctx.scale, paper, front_matter(pack, parts, ctx), total_pages=total)
    if pages > 1:  # cover and contents share one page where dropping the cover's clinic box lets them
        ctx, paper = context(pack, clinic, paper, large_print)
        tight = build_pdf(pack, clinic, ctx.scale, paper, front_matter(pack, parts, ctx, compact=True),
                          total_pages=total)
        if tight[1] < pages:
            pdf, pages = tight
    return Rendered(pdf, pages)


def _end(pack: Pack, aids: list[Aid], clinic: Clinic, paper, large_print, first_page: int,
         total: int | None) -> Rendered:
    ctx, paper = context(pack, clinic, paper, large_print)
    pdf, pages = build_pdf(pack, clinic, ctx.scale, paper, end_matter(pack, aids, ctx), first_page=first_page,
                           total_pages=total)
    return Rendered(pdf, pages)


def end_title(pack: Pack, aids: list[Aid], clinic: Clinic) -> str:
    """The end's entry in the contents: "your choice" when it prints one, else "About"."""
    labels = labels_for(clinic)
    choice = pack_choice(aids)
    # (a str, not labels.Wording: it names an outline entry pikepdf writes, which takes a
    # str subclass for a sequence of characters)
    return str((choice[0].heading or labels["choice_heading"]) if choice else labels["about_pack_heading"])


def _blank(pack: Pack, clinic: Clinic, paper, large_print, page: int, total: int) -> bytes:
    """A left-hand page left blank so that the next part starts on a right-hand one: it
    says so (a reader must not think a page failed to print), under the running header
    and footer and numbered like every other page."""
    ctx, paper = context(pack, clinic, paper, large_print)
    flowables = [Spacer(0, ctx.frame_height / 3), para(ctx.labels["blank_page"], ctx.styles.label_center)]
    return build_pdf(pack, clinic, ctx.scale, paper, flowables, first_page=page, total_pages=total)[0]


def plan_parts(front_pages: int, parts: list[tuple[Aid, int]], duplex: bool) -> tuple[list[PackEntry], list[int]]:
    """Where each part starts, after the front matter's pages, and the pages left blank
    so that, printed on both sides, each part starts on a right-hand (odd) page."""
    entries, blanks, page = [], [], front_pages + 1
    for aid, pages in parts:
        if duplex and page % 2 == 0:
            blanks.append(page)
            page += 1
        entries.append(PackEntry(aid, page, pages))
        page += pages
    return entries, blanks


def render_pack(pack: Pack, aids: list[Aid], clinic: Clinic, *, paper: str | None = None,
                large_print: bool = False, pages_alone: list[int | None] | None = None,
                duplex: bool = False) -> Rendered:
    """`pages_alone`: each aid's page count when laid out alone, where the caller has it
    (used for a member bound unchanged: no sources, About block or "your choice").
    `duplex`: for printing on both sides, every part (each member, and the pack's end)
    starts on a right-hand page, a left-hand page before it left blank on purpose."""
    known = pages_alone or [None] * len(aids)
    _, maps = number_sources([pack] + aids)
    bound = [member(aid, numbers) for aid, numbers in zip(aids, maps[1:])]
    alone = [n if n is not None and _unchanged(aid) else render(b, clinic, paper=paper, large_print=large_print).pages
             for aid, b, n in zip(aids, bound, known)]
    ending = dataclasses.replace(pack, title=end_title(pack, aids, clinic))
    # The end, when there is anything to gather there (else no page of only the clinic's box).
    has_end = bool(pack.sources or pack.about) or not all(_unchanged(aid) for aid in aids)
    end_pages = _end(pack, aids, clinic, paper, large_print, 1, None).pages if has_end else 0
    counted = list(zip(bound, alone)) + ([(ending, end_pages)] if has_end else [])

    def plan(front_pages: int) -> tuple[list[PackEntry], list[int], int]:
        parts, blanks = plan_parts(front_pages, counted, duplex)
        return parts, blanks, front_pages + len(blanks) + sum(p.pages for p in parts)

    # The contents list its own length into the page numbers: settle it (one more
    # pass only if the real numbers change how many pages the front matter takes).
    front_pages = _front(pack, clinic, plan(1)[0], paper, large_print, None).pages
    parts, blanks, total = plan(front_pages)
    front = _front(pack, clinic, parts, paper, large_print, total)
    if front.pages != front_pages:
        parts, blanks, total = plan(front.pages)
        front = _front(pack, clinic, parts, paper, large_print, total)
    members = [render(p.aid, clinic, paper=paper, large_print=large_print, first_page=p.first_page,
                      total_pages=total) for p in parts[:len(aids)]]
    # Each part with where a problem with it is reported: (first page, PDF, key path, name).
    placed = [(p.first_page, m.pdf, ("aids", i), f"aid '{p.aid.id}'")
              for i, (p, m) in enumerate(zip(parts, members))]
    if has_end:
        placed.append((parts[-1].first_page, _end(pack, aids, clinic, paper, large_print, parts[-1].first_page,
                                                   total).pdf, (), "the pack's end"))
    placed += [(page, _blank(pack, clinic, paper, large_print, page, total), (), f"the blank page {page}")
               for page in blanks]
    placed = [(1, front.pdf, ("title",), "the cover and contents")] + sorted(placed, key=lambda placed: placed[0])
    pdfs = [pdf for _, pdf, _, _ in placed]
    origins = [(path, f"{name} (page {page})") for page, _, path, name in placed]
    return Rendered(bind(pack, clinic, pdfs, parts, origins), total, tuple(w for m in members for w in m.warnings))


def _unchanged(aid: Aid) -> bool:
    """Whether an aid prints the same bound in a pack as alone: nothing of its closing
    lines (sources, About items, dates, disclaimer) or "your choice" is left to the end."""
    return not (aid.sources or aid.about or aid.updated or aid.review_by or aid.disclaimer or choice_block(aid))


def bind(pack: Pack, clinic: Clinic, pdfs: list[bytes], parts: list[PackEntry],
         origins: list[tuple[tuple, str]] | None = None) -> bytes:
    """Join the parts' PDFs, in order, into the pack: one tagged PDF with one structure
    tree built from the parts' (structure_merge.py), bookmarks, and the pack's title and
    language. `origins`: per PDF, the key path of the pack's YAML it comes from and its
    name, for a structure that cannot be merged (raised as UnfitContent, so the build
    reports it there: no half-tagged pack is written)."""
    labels = labels_for(clinic)
    out = pikepdf.new()
    with contextlib.ExitStack() as stack:
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(pdf))) for pdf in pdfs]
        try:
            tagged = structure_merge.write(out, structure_merge.join(out, sources, language=pack.language))
        except structure_merge.StructureError as exc:
            path, name = (origins or [((), f"part {i + 1}") for i in range(len(pdfs))])[exc.part]
            raise UnfitContent(pack.where.file, path, f"cannot build the pack's structure tree: {name}: {exc.message}",
                               "a bug in aidpress: please report it with this pack") from exc
    with out.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(pack.title, 0))
        outline.root.append(pikepdf.OutlineItem(str(labels["contents"]), 0))  # under the cover (str: see end_title)
        for part in parts:
            outline.root.append(pikepdf.OutlineItem(part.aid.title, part.first_page - 1))
    out.docinfo["/Title"] = pack.title
    out.docinfo["/Author"] = clinic.name or "aidpress"
    out.docinfo["/Subject"] = pack.subtitle or pack.title
    out.docinfo["/Creator"] = "aidpress"
    out.Root.Lang = pikepdf.String(pack.language)
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if tagged:  # the title and the PDF/UA claim in XMP, as a handout's (tagging.py)
        out.Root.Metadata = out.make_stream(tagging.xmp(pack.title, pack.language).encode("utf-8"),
                                            Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    return buffer.getvalue()
