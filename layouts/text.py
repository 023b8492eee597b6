"""The one place where model text becomes ReportLab paragraph markup.

YAML text is data: it is escaped here and nowhere else, so `score > 2`, `A & B` and
`<b>` print literally and no markup (links, images, fonts) can be injected.
"""

from __future__ import annotations

from html import escape  # & < > as xml.sax.saxutils.escape does, without its 16 ms of urllib imports

from reportlab.platypus import Paragraph


def markup(text: str) -> str:
    return escape(text, quote=False)


def para(text: str, style, *, bold_lead: str | None = None) -> Paragraph:
    """A paragraph of plain text, optionally led by a bold phrase (aidpress's own words)."""
    body = markup(text)
    if bold_lead:
        body = f"<b>{markup(bold_lead)}</b> {body}"
    return Paragraph(body, style)


def para_parts(parts: list[tuple[str, str]], style, *, sep: str = " · ") -> Paragraph:
    """One paragraph of (bold lead, text) parts, e.g. "**Produced:** 2026-11-24 · **Review by:** …";
    an empty lead prints the text alone."""
    body = sep.join((f"<b>{markup(lead)}</b> " if lead else "") + markup(text) for lead, text in parts)
    return Paragraph(body, style)


def pdf_string(text: str) -> bytes:
    """A PDF text string: UTF-16 with a byte-order mark, hex-encoded (no escaping to get wrong)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
