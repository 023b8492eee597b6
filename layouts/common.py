"""Parts every aid kind prints around its own content: title block, intro, notes,
sources and the clinic block. Kind modules call these; they never draw page chrome."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from aidpress.model import Aid, Clinic

from .labels import LABELS
from .page import Heading
from .scale import REGULAR, Scale
from .text import para


@dataclass(frozen=True)
class Context:
    """What a kind renderer needs besides its model: the type scale and the frame."""

    scale: Scale
    clinic: Clinic
    frame_width: float
    frame_height: float
    slots: list | None = None  # when set, write-in lines record where values would go

    @property
    def styles(self):
        return self.scale.styles


def opening(aid: Aid, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    out: list[Flowable] = [Heading(aid.title, st.title)]
    if aid.subtitle:
        out.append(para(aid.subtitle, st.subtitle))
    out += [para(p, st.body) for p in aid.intro]
    return out


def closing(aid: Aid, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    out: list[Flowable] = [Spacer(0, ctx.scale.gap * 0.5)]
    out += [para(p, st.body) for p in aid.notes]
    if aid.sources:
        block = [Heading(LABELS["sources"], st.heading, level=1)]
        block += [para(s, st.small, bold_lead=f"{i}.") for i, s in enumerate(aid.sources, 1)]
        out.append(KeepTogether(block[:2]))
        out += block[2:]
    out.append(clinic_block(ctx))
    return out


def table(rows: list, widths: list[float], ctx: Context, commands: list, **options) -> Table:
    """Every table in a handout: left-aligned, and set in the embedded font even in empty
    cells (ReportLab's default cell font is an unembedded Helvetica)."""
    t = Table(rows, colWidths=widths, hAlign="LEFT", **options)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, ctx.scale.body)] + commands))
    return t


def clinic_block(ctx: Context) -> Flowable:
    """The clinic's full contact details in a ruled box, at the end of every handout."""
    c, st, s = ctx.clinic, ctx.styles, ctx.scale
    if c.name:
        lines = [para(c.name, st.cell_bold)]
        lines += [para(v, st.cell) for v in (c.address, c.phone and f"{LABELS['phone']}: {c.phone}", c.website) if v]
    else:
        lines = [para(LABELS["clinic_blank"], st.cell)]
    box = table([[lines]], [ctx.frame_width], ctx, [
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 2),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 1.5),
    ])
    return KeepTogether([Spacer(0, s.gap), box])
