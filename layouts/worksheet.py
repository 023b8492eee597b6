"""kind: worksheet — a personal decision guide: the options, then the values worksheet
and the SURE test (layouts/blocks.py prints both, as on any aid with options)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from aidpress.model import Worksheet

from .common import Context
from .page import Heading
from .text import para


def render(aid: Worksheet, ctx: Context) -> list[Flowable]:
    st = ctx.styles
    options = [para(name, st.bullet) for name in aid.options.values()]
    for p in options:
        p.bulletText = "•"
    return [Heading(ctx.labels["your_options"], st.heading, level=1)] + options
