"""Per-patient sheets: lay a checklist out once, then stamp each patient's values on it.

The blank handout's pages become PDF form XObjects, drawn once; every sheet is a page
that shows the form and writes only that patient's values on the recorded write-in
lines. A thousand sheets cost one layout plus a thousand small pages, not a thousand
layouts, and every sheet is, by construction, the blank handout plus its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from aidpress.model import Checklist, Clinic, Sheet

from . import prepare
from .boxes import Slot
from .page import HandoutCanvas, build_pdf
from .scale import INK, REGULAR, Scale

SMALLEST = 0.7  # a value may shrink to this share of the body size to fit its line


@dataclass(frozen=True)
class Misfit:
    """A sheet left out: which row, which field (never the value itself)."""

    row: int | None
    field: str


@dataclass(frozen=True)
class PrintRun:
    pdf: bytes
    pages_per_sheet: int  # including the blank page added for duplex printing
    sheets: int
    misfits: list[Misfit]


def value_size(value: str, slot: Slot, scale: Scale) -> float | None:
    """The font size at which a value fits its line, or None if it cannot."""
    size = scale.body
    while stringWidth(value, REGULAR, size) > slot.width:
        size -= 0.5
        if size < scale.body * SMALLEST:
            return None
    return size


class PrintRunCanvas(HandoutCanvas):
    def __init__(self, *args, sheets: Iterable[Sheet], slots: list[Slot], value_scale: Scale, duplex: bool,
                 result: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._sheets, self._slots, self._scale, self._duplex = sheets, slots, value_scale, duplex
        self._result = result

    def emit_pages(self) -> int:
        names = self._pages_as_forms()
        by_page = {n: [s for s in self._slots if s.page == n] for n in range(1, len(names) + 1)}
        written, sheets, misfits = 0, 0, []
        for sheet in self._sheets:
            sizes = {}
            for slot in self._slots:
                value = sheet.values.get(slot.field)
                if value:
                    sizes[slot] = value_size(value, slot, self._scale)
            bad = [slot.field for slot, size in sizes.items() if size is None]
            if bad:
                misfits += [Misfit(sheet.row, field) for field in bad]
                continue
            for number, (body, chrome) in enumerate(names, start=1):
                self.doForm(body)
                for slot in by_page[number]:
                    if slot in sizes:
                        self.setFont(REGULAR, sizes[slot])
                        self.setFillColor(INK)
                        self.drawString(slot.x, slot.y, sheet.values[slot.field])
                self.doForm(chrome)
                Canvas.showPage(self)
            written += len(names)
            if self._duplex and len(names) % 2:
                Canvas.showPage(self)  # the next sheet starts on a front side
                written += 1
            sheets += 1
        self._result.update(pages_per_sheet=len(names) + (self._duplex and len(names) % 2),
                            sheets=sheets, misfits=misfits)
        return written

    def _pages_as_forms(self) -> list[tuple[str, str]]:
        """Turn each held page into two reusable forms: its body, and its header and
        footer. Values are stamped between the two, so a sheet reads in the same order
        as the handout: body (with the values), then page chrome."""
        total, (width, height) = len(self._held_pages), self._pagesize
        names = []
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            body_end = len(self._code)
            self._chrome.draw(self, number, total, width, height)
            code, colours = self._code, self._colorsUsed
            pair = (f"sheet-{number}-body", f"sheet-{number}-chrome")
            for name, part in zip(pair, (code[:body_end], code[body_end:])):
                self.beginForm(name)
                self._code.extend(part)
                self._colorsUsed.update(colours)
                self.endForm()
            names.append(pair)
        self._code, self._formsinuse, self._colorsUsed = [], [], {}
        self.init_graphics_state()
        return names


def print_run(aid: Checklist, clinic: Clinic, sheets: Iterable[Sheet], *, paper: str | None = None,
              large_print: bool = False, duplex: bool = False) -> PrintRun:
    """One PDF with a filled-in sheet per patient, each starting on a new page."""
    slots: list[Slot] = []
    ctx, paper, flowables = prepare(aid, clinic, paper, large_print, slots)
    scale = ctx.scale
    result: dict = {}
    pdf, _ = build_pdf(aid, clinic, scale, paper, flowables, canvas_class=PrintRunCanvas,
                       sheets=sheets, slots=slots, value_scale=scale, duplex=duplex, result=result)
    return PrintRun(pdf, result["pages_per_sheet"], result["sheets"], result["misfits"])
