"""Packs: several handouts bound into one PDF behind a cover and a table of contents.

Each aid is rendered exactly as it is alone, except that its pages are numbered
within the pack. Rendering happens twice: once to count each aid's pages, once with
the pack's page numbers; the parts are then joined with pikepdf, with a bookmark each.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from reportlab.platypus import Flowable, PageBreak, Spacer

from aidpress.dates import printed
from aidpress.labels import labels_for
from aidpress.model import Aid, Clinic, Pack

from . import Rendered, context, render
from .common import Context, clinic_block, table
from .page import Heading, build_pdf
from .scale import RULE
from .text import para


@dataclass(frozen=True)
class PackEntry:
    """One aid of a pack: where its pages start in the pack, and how many it has."""

    aid: Aid
    first_page: int
    pages: int


def front_matter(pack: Pack, parts: list[PackEntry], ctx: Context) -> list[Flowable]:
    """The cover (title, clinic, date) and the table of contents."""
    st, s = ctx.styles, ctx.scale
    out: list[Flowable] = [Spacer(0, s.gap * 4), Heading(pack.title, st.title)]
    if pack.subtitle:
        out.append(para(pack.subtitle, st.subtitle))
    dates = [p.aid.updated for p in parts if p.aid.updated] + ([pack.updated] if pack.updated else [])
    if dates:
        line = ctx.labels["updated"].format(date=printed(max(dates), weekday=False))
        out.append(para(line[:1].upper() + line[1:], st.body))  # not str.capitalize: "Nov" keeps its capital
    out += [para(p, st.body) for p in pack.intro]
    out += [clinic_block(ctx), PageBreak(), Heading(ctx.labels["contents"], st.heading, level=1)]
    rows = [[para(p.aid.title, st.cell), para(str(p.first_page), st.cell_bold)] for p in parts]
    out.append(table(rows, [ctx.frame_width - s.body * 4, s.body * 4], ctx, [
        ("LINEBELOW", (0, 0), (-1, -1), s.rule / 2, RULE),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 1.5),
    ]))
    return out


def _front(pack: Pack, clinic: Clinic, parts: list[PackEntry], paper, large_print, total: int | None) -> Rendered:
    ctx, paper = context(pack, clinic, paper, large_print)
    pdf, pages = build_pdf(pack, clinic, ctx.scale, paper, front_matter(pack, parts, ctx), total_pages=total)
    return Rendered(pdf, pages)


def render_pack(pack: Pack, aids: list[Aid], clinic: Clinic, *, paper: str | None = None,
                large_print: bool = False, pages_alone: list[int | None] | None = None) -> Rendered:
    """`pages_alone`: each aid's page count when laid out alone, where the caller has it."""
    known = pages_alone or [None] * len(aids)
    alone = [n if n is not None else render(aid, clinic, paper=paper, large_print=large_print).pages
             for aid, n in zip(aids, known)]

    def plan(front_pages: int) -> list[PackEntry]:
        parts, page = [], front_pages + 1
        for aid, pages in zip(aids, alone):
            parts.append(PackEntry(aid, page, pages))
            page += pages
        return parts

    # The contents list its own length into the page numbers: settle it (one more
    # pass only if the real numbers change how many pages the front matter takes).
    front_pages = _front(pack, clinic, plan(2), paper, large_print, None).pages
    parts = plan(front_pages)
    total = front_pages + sum(alone)
    front = _front(pack, clinic, parts, paper, large_print, total)
    if front.pages != front_pages:
        parts = plan(front.pages)
        total = front.pages + sum(alone)
        front = _front(pack, clinic, parts, paper, large_print, total)
    members = [render(p.aid, clinic, paper=paper, large_print=large_print, first_page=p.first_page,
                      total_pages=total) for p in parts]
    pdfs = [front.pdf] + [m.pdf for m in members]
    return Rendered(bind(pack, clinic, pdfs, parts), total, tuple(w for m in members for w in m.warnings))


def bind(pack: Pack, clinic: Clinic, pdfs: list[bytes], parts: list[PackEntry]) -> bytes:
    labels = labels_for(clinic)
    out = pikepdf.new()
    for pdf in pdfs:
        with pikepdf.open(io.BytesIO(pdf)) as src:
            out.pages.extend(src.pages)
    with out.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(pack.title, 0))
        outline.root.append(pikepdf.OutlineItem(labels["contents"], 1))
        for part in parts:
            outline.root.append(pikepdf.OutlineItem(part.aid.title, part.first_page - 1))
    out.docinfo["/Title"] = pack.title
    out.docinfo["/Author"] = clinic.name or "aidpress"
    out.docinfo["/Subject"] = pack.subtitle or pack.title
    out.docinfo["/Creator"] = "aidpress"
    out.Root.Lang = pikepdf.String(pack.language)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    return buffer.getvalue()
