"""Per-patient sheets: lay a checklist out once, then stamp each patient's values on it.

The blank handout's pages become PDF form XObjects, drawn once; every sheet is a page
that shows the form and writes only that patient's values on the recorded write-in
lines. A thousand sheets cost one layout plus a thousand small pages, not a thousand
layouts, and every sheet is, by construction, the blank handout plus its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from aidpress.model import Checklist, Clinic, Sheet

from . import prepare
from .boxes import Slot
from .page import HandoutCanvas, build_pdf
from .scale import BOLD, MUTED, REGULAR, Scale

# A filled-in value is set in bold dark blue: it reads as written in, not pre-printed,
# in colour and (by its weight) in grayscale too.
VALUE_FONT = BOLD
VALUE_INK = colors.HexColor("#0B3D91")
FLOOR = 2 / 3  # a value may shrink to this share of the body size (8 pt in regular print), no further
STEP = 0.5


@dataclass(frozen=True)
class Misfit:
    """A sheet left out: which row, which field (never the value itself)."""

    row: int | None
    line: int | None
    field: str


@dataclass(frozen=True)
class PrintRun:
    pdf: bytes
    pages_per_sheet: int  # including the blank page added for duplex printing
    sheets: int
    misfits: list[Misfit]


@dataclass(frozen=True)
class Fit:
    size: float
    lines: tuple[str, ...]  # one, or two: the second goes just under the write-in line


def _sizes(scale: Scale, top: float) -> Iterable[float]:
    size = top
    while size >= scale.body * FLOOR - 1e-9:
        yield size
        size -= STEP


def _two_lines(value: str) -> list[tuple[str, str]]:
    """Every way to break a value in two: at a space, or after a hyphen."""
    out = []
    for i, ch in enumerate(value):
        if ch == " ":
            out.append((value[:i], value[i + 1:]))
        elif ch == "-" and 0 < i < len(value) - 1:
            out.append((value[:i + 1], value[i + 1:]))
    return out


def fit(value: str, width: float, scale: Scale) -> Fit | None:
    """The largest size at which a value fits its line: on one line from the body size
    down to the floor, else on two lines (broken where the longer line is shortest);
    None if even two lines at the floor cannot hold it."""
    for size in _sizes(scale, scale.body):
        if stringWidth(value, VALUE_FONT, size) <= width:
            return Fit(size, (value,))
    breaks = _two_lines(value)
    if not breaks:
        return None
    best = min(breaks, key=lambda pair: max(stringWidth(part, VALUE_FONT, 10) for part in pair))
    widest = max(stringWidth(part, VALUE_FONT, 1) for part in best)
    for size in _sizes(scale, scale.body * 0.75):  # two lines must keep clear of the next write-in line
        if widest * size <= width:
            return Fit(size, best)
    return None


def value_size(value: str, slot: Slot, scale: Scale) -> float | None:
    """The font size at which a value fits its line (on one or two lines), or None."""
    found = fit(value, slot.width, scale)
    return found.size if found else None


class PrintRunCanvas(HandoutCanvas):
    def __init__(self, *args, sheets: Iterable[Sheet], slots: list[Slot], value_scale: Scale, duplex: bool,
                 result: dict, header_fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self._sheets, self._slots, self._scale, self._duplex = sheets, slots, value_scale, duplex
        self._result, self._header_fields = result, header_fields

    def emit_pages(self) -> int:
        names = self._pages_as_forms()
        by_page = {n: [s for s in self._slots if s.page == n] for n in range(1, len(names) + 1)}
        written, sheets, misfits = 0, 0, []
        for sheet in self._sheets:
            fits = {}
            for slot in self._slots:
                value = sheet.values.get(slot.field)
                if value:
                    fits[slot] = fit(value, slot.width, self._scale)
            bad = [slot.field for slot, found in fits.items() if found is None]
            if bad:
                misfits += [Misfit(sheet.row, sheet.line, field) for field in bad]
                continue
            for number, (body, chrome) in enumerate(names, start=1):
                self.doForm(body)
                self.setFillColor(VALUE_INK)
                for slot in by_page[number]:
                    if slot in fits:
                        self._stamp(slot, fits[slot])
                self.doForm(chrome)
                self._header(sheet)
                Canvas.showPage(self)
            written += len(names)
            if self._duplex and len(names) % 2:
                Canvas.showPage(self)  # the next sheet starts on a front side
                written += 1
            sheets += 1
        self._result.update(pages_per_sheet=len(names) + (self._duplex and len(names) % 2),
                            sheets=sheets, misfits=misfits)
        return written

    def _stamp(self, slot: Slot, found: Fit) -> None:
        """On the write-in line; a second line goes just under it (the label's line is
        read first, so text extraction finds the value after its label)."""
        self.setFont(VALUE_FONT, found.size)
        self.drawString(slot.x, slot.y, found.lines[0])
        if len(found.lines) > 1:
            self.drawString(slot.x, slot.y - self._scale.body * 0.25 - found.size * 0.95, found.lines[1])

    def _header(self, sheet: Sheet) -> None:
        """The patient's name and the date, above the running header on every page, so
        a loose page still says whose it is. Labels as on the sheet, values in value style."""
        parts = [(label, sheet.values[key]) for key, label in self._header_fields if sheet.values.get(key)]
        if not parts:
            return
        chrome = self._chrome
        s = chrome.scale
        width, height = self._pagesize
        room = width - 2 * s.margin
        runs = []
        for i, (label, value) in enumerate(parts):
            runs += [(REGULAR, MUTED, ("   " if i else "") + label + ": "), (VALUE_FONT, VALUE_INK, value)]
        size = s.small
        natural = sum(stringWidth(text, font, size) for font, _, text in runs)
        if natural > room:
            size *= room / natural
        x, y = s.margin, header_top(chrome, width, height) + s.small * 1.25
        for font, colour, text in runs:
            self.setFont(font, size)
            self.setFillColor(colour)
            self.drawString(x, y, text)
            x += stringWidth(text, font, size)

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
    header = [(f.id, f.shown_label) for f in aid.fields if f.id == "name"][:1]
    header += [(f.id, f.shown_label) for f in aid.fields if f.value_type == "date"][:1]
    pdf, _ = build_pdf(aid, clinic, scale, paper, flowables, canvas_class=PrintRunCanvas, sheets=sheets,
                       slots=slots, value_scale=scale, duplex=duplex, result=result, header_fields=header)
    return PrintRun(pdf, result["pages_per_sheet"], result["sheets"], result["misfits"])


def header_top(chrome, width: float, height: float) -> float:
    """The baseline of the topmost line of the running header that page.Chrome.draw
    draws: the title's own line when title and clinic do not share one (same rule)."""
    s = chrome.scale
    left, right = s.margin, width - s.margin
    y = height - s.margin + s.small * 0.2
    title_room = right - left - stringWidth(chrome.clinic_line, REGULAR, s.small) - s.gap
    return y + s.small * 1.25 if stringWidth(chrome.title, BOLD, s.small) > title_room else y
