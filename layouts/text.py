"""The one place where model text becomes ReportLab paragraph markup.

YAML text is data: it is escaped here and nowhere else, so `score > 2`, `A & B` and
`<b>` print literally and no markup (links, images, fonts) can be injected.
"""

from __future__ import annotations

from html import escape  # & < > as xml.sax.saxutils.escape does, without its 16 ms of urllib imports

from reportlab.platypus import Paragraph

from . import engine


def markup(text: str) -> str:
    return escape(text, quote=False)


class Para(engine.ParsedOnce, Paragraph):
    """A paragraph whose markup is parsed once per process (engine.ParsedOnce) and whose
    lines are broken once per width.

    ReportLab wraps a table's cells every time the table is measured (a KeepTogether,
    a split, the frame) and once more to draw them, and each wrap breaks the lines
    again: a third of a render's time went there. Line breaking depends on the width
    alone (not on the height offered), so the last result is kept and given back while
    the width, the fragments and the broken lines are still the ones it came from, where
    breaking again would give the same lines (engine.rebreaks_alike)."""

    _wrapped: tuple | None = None  # (width, (width, height), what the lines came from and are)

    def wrap(self, availWidth, availHeight):
        last = self._wrapped
        if last is not None and last[0] == availWidth and engine.same_lines(self, last[2]):
            self.width, self.height = last[1]
            return last[1]
        size = super().wrap(availWidth, availHeight)
        if self.width == availWidth and engine.rebreaks_alike(self):
            self._wrapped = (availWidth, size, engine.line_state(self))
        return size


def unbroken(number: str | None) -> str | None:
    """A phone number kept on one line: its spaces never break ("+44 20 7946" / "0321"
    would send a patient to a wrong number). U+00A0 extracts and reads as a space."""
    return number and number.replace(" ", "\u00a0")


def para(text: str, style, *, bold_lead: str | None = None) -> Paragraph:
    """A paragraph of plain text, optionally led by a bold phrase (aidpress's own words)."""
    body = markup(text)
    if bold_lead:
        body = f"<b>{markup(bold_lead)}</b> {body}"
    return Para(body, style)


def para_parts(parts: list[tuple[str, str]], style, *, sep: str = " · ") -> Paragraph:
    """One paragraph of (bold lead, text) parts, e.g. "**Produced:** 2026-11-24 · **Review by:** …";
    an empty lead prints the text alone."""
    body = sep.join((f"<b>{markup(lead)}</b> " if lead else "") + markup(text) for lead, text in parts)
    return Para(body, style)


def pdf_string(text: str) -> bytes:
    """A PDF text string: UTF-16 with a byte-order mark, hex-encoded (no escaping to get wrong)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
