"""kind: worksheet — a personal decision guide: the options, then the values worksheet
and the SURE test (layouts/blocks.py prints both, as on any aid with options)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from aidpress.model import Worksheet

from .common import CELL, Context
from .page import Heading
from .text import para
from .units import Node, Unit


def render(aid: Worksheet, ctx: Context) -> list[Flowable]:
    """The options, bulleted: to a reader one list (L), each option an item (LI) whose
    label (Lbl) is its bullet and body (LBody) its name (text.Para.listed)."""
    st = ctx.styles
    listed = Node("L")
    options = []
    for name in aid.options.values():
        p = para(name, st.bullet)
        p.bulletText, p.listed = "•", True
        options.append(Unit(p, CELL, role="LI", parents=(listed,)))
    return [Heading(ctx.labels["your_options"], st.heading, level=1)] + options
