"""Per-patient sheets: lay a checklist out once, then stamp each patient's values on it.

The blank handout's pages become PDF form XObjects, drawn once; every sheet is a page
that shows the form and writes only that patient's values on the recorded write-in
lines. A thousand sheets cost one layout plus a thousand small pages, not a thousand
layouts, and every sheet is, by construction, the blank handout plus its values.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Iterable

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from aidpress.model import Checklist, Clinic, Sheet
from aidpress.thresholds import SMALLEST

from . import engine, fitted, prepare
from .boxes import Slot
from .units import begin, end, new_ident
from .page import HandoutCanvas, Laid, lay_out
from .scale import BOLD, DENSITY, MUTED, REGULAR, Scale

# A filled-in value is set in bold dark blue: it reads as written in, not pre-printed,
# in colour and (by its weight) in grayscale too.
VALUE_FONT = BOLD
VALUE_INK = colors.HexColor("#0B3D91")
STEP = 0.5
# Characters counted for the limit a refusal names: an average line of words.
TYPICAL = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 ,."


@dataclass(frozen=True)
class Misfit:
    """A sheet left out: which row, which field (never the value itself)."""

    row: int | None
    line: int | None
    field: str
    limit: int  # about how many characters fit the field's line(s) at the smallest size allowed


@dataclass(frozen=True)
class PrintRun:
    """Many patients' sheets laid out once and stamped: the PDF, and the values that did not fit."""

    pdf: bytes
    pages_per_sheet: int  # including the blank page added for duplex printing
    sheets: int
    misfits: list[Misfit]


@dataclass(frozen=True)
class Fit:
    """How one value is printed: its type size, and its text on one line or two."""

    size: float
    lines: tuple[str, ...]  # one, or two: the second goes just under the write-in line


def floor(scale: Scale) -> float:
    """The smallest a value may print: body size for the reader (thresholds.SMALLEST)."""
    return SMALLEST[scale.large]


def _sizes(scale: Scale) -> Iterable[float]:
    size = scale.body
    while size >= floor(scale) - 1e-9:
        yield size
        size -= STEP


def _first_line(value: str, width: float, size: float) -> int:
    """Where the first of two lines ends: the longest start that fits `width`, broken at a
    space (dropped) or after a hyphen (kept); 0 if no break fits."""
    best = 0
    for i, ch in enumerate(value):
        end = i if ch == " " else i + 1 if ch == "-" and 0 < i < len(value) - 1 else None
        if end is None:
            continue
        if stringWidth(value[:end], VALUE_FONT, size) > width:
            break
        best = end
    return best


@functools.lru_cache(maxsize=4096)  # a day's roster repeats its dates, areas and practitioners
def fit(value: str, width: float, second: float, scale: Scale) -> Fit | None:
    """The largest size at which a value fits its write-in line: on one line from the body
    size down to the floor (10 pt, 16 pt in large print), else, where the line has a second
    ruled line `second` wide, on two lines; None if even two lines at the floor cannot hold it."""
    for size in _sizes(scale):
        if stringWidth(value, VALUE_FONT, size) <= width:
            return Fit(size, (value,))
    if second <= 0:
        return None
    for size in _sizes(scale):
        end = _first_line(value, width, size)
        rest = value[end:].lstrip(" ")
        if end and stringWidth(rest, VALUE_FONT, size) <= second:
            return Fit(size, (value[:end], rest))
    return None


def limit(width: float, second: float, scale: Scale) -> int:
    """About how many characters of ordinary text fit a line (and its second line) at the floor."""
    per_char = stringWidth(TYPICAL, VALUE_FONT, floor(scale)) / len(TYPICAL)
    return int(width // per_char) + int(max(second, 0) // per_char)


@dataclass(frozen=True)
class LaidSheet:
    """A checklist laid out once, blank, its pages held on their canvas, ready to stamp."""

    laid: Laid  # its canvas is a SheetCanvas
    slots: SlotLog  # where each value goes
    scale: Scale
    header_fields: list[tuple[str, str]]  # (field id, label) of the name and the date, for loose pages


class SheetCanvas(HandoutCanvas):
    """The canvas a blank sheet is laid out on: it tells the slot log where its drawing has
    got to (SlotLog), and draws a patient's values on its pages (see `stamp`)."""

    def __init__(self, *args, slots: SlotLog, **kwargs):
        super().__init__(*args, **kwargs)
        slots.canvas = self  # so each slot records where in this canvas's drawing it was made

    def draw_sheet(self, plans: list[list], fits: dict, sheet: Sheet, header_fields: list[tuple[str, str]],
                   seconds: dict | None = None) -> None:
        """One patient's pages, from the plans of the blank pages (see pages_as_plans) and how
        each value is printed (see fits_for)."""
        # The name and date above the header, so a loose page still says whose it is: on
        # every page of a sheet of several pages (drawn once, its operators reused). A
        # one-page sheet has no loose pages, and its name is on it after its label.
        header = [] if len(plans) == 1 else None
        for plan in plans:
            for step in plan:
                if isinstance(step, str):
                    self.doForm(step)
                elif isinstance(step, list):
                    engine.page_operators(self).extend(step)
                elif step[0] in fits:
                    slot, undo = step
                    self.saveState()
                    self.transform(*undo)  # back to page coordinates, where slots are measured
                    self.setFillColor(VALUE_INK)
                    self._stamp(slot, fits[slot], (seconds or {}).get(slot))
                    self.restoreState()
            ops = engine.page_operators(self)
            if header is None:
                mark = len(ops)
                self.header(sheet, header_fields)
                header = engine.page_operators(self)[mark:]
            else:
                ops.extend(header)
            Canvas.showPage(self)

    def _stamp(self, slot: Slot, found: Fit, second: tuple[float, float, float] | None) -> None:
        """On the write-in line; a second line on the second ruled line. Marked AidValue, so
        the page audit can tell a patient's value from the printed form (a shrunk value)."""
        begin(self, "AidValue", new_ident())
        self.setFont(VALUE_FONT, found.size)
        self.drawString(slot.x, slot.y, found.lines[0])
        if len(found.lines) > 1:
            self.drawString(second[0], second[1], found.lines[1])
        end(self)

    def header(self, sheet: Sheet, header_fields: list[tuple[str, str]]) -> None:
        """The patient's name and the date on every page, so a loose page still says whose
        it is: above the running header; or, where that would leave the printable area
        (large print, a title on a line of its own), right-aligned beside the title.
        Labels as on the sheet, values in value style."""
        parts = [(label, sheet.values[key]) for key, label in header_fields if sheet.values.get(key)]
        if not parts:
            return
        chrome = self._chrome
        s = chrome.scale
        width, height = engine.page_size(self)
        room = width - 2 * s.margin
        labelled = []
        for i, (label, value) in enumerate(parts):
            labelled += [(REGULAR, MUTED, ("   " if i else "") + label + ": "), (VALUE_FONT, VALUE_INK, value)]
        bare = [(VALUE_FONT, VALUE_INK, ("   ·   " if i else "") + value) for i, (_, value) in enumerate(parts)]
        size = s.small

        def natural(runs):
            return sum(stringWidth(text, font, size) for font, _, text in runs)

        # Labels go first when room is short; the type shrinks only to the print floor
        # (never below 16 pt in large print), so the values are always whole.
        runs = labelled if natural(labelled) <= room else bare
        if natural(runs) > room:
            size = max(size * room / natural(runs), s.small * (16 / 16.2 if s.large else 10 / 10.5))
        x, y = s.margin, chrome.header_top(width, height) + s.small * 1.25
        begin(self, "AidChrome", new_ident())  # page chrome, like the header it sits on
        for font, colour, text in runs:
            self.setFont(font, size)
            self.setFillColor(colour)
            self.drawString(x, y, text)
            x += stringWidth(text, font, size)
        end(self)

    def pages_as_plans(self, slots: SlotLog) -> list[list]:
        """How to draw each page of a sheet, as steps: a form name (drawn once, reused),
        a list of drawing operators copied in, or (slot, inverse transform) where a value goes.

        Most of a page is two reusable forms: the body before the write-in lines and the
        body after them; the header and footer are a third. The write-in lines themselves
        are copied into every sheet with each value stamped right after its label's line,
        so text extraction reads 'Patient name: Ann' in that order, as the page does."""
        total, (width, height) = len(self._held_pages), engine.page_size(self)
        plans = []
        for number, state in enumerate(self._held_pages, start=1):
            engine.resume_page(self, state)
            body_end = len(engine.page_operators(self))
            self._chrome.draw(self, number, total, width, height)
            code, colours = engine.page_operators(self), engine.page_colours(self)
            marks = [(slots.marks[slot], slot) for slot in slots if slot.page == number]
            plan, start = [], 0
            if marks:
                begin, end = _outermost(code[:body_end], marks[0][0], marks[-1][0])
                plan.append(self._form(f"sheet-{number}-before", code[:begin], colours))
                at = begin
                for mark, slot in marks:
                    plan += [code[at:mark], (slot, _inverse(_transform_at(code[:mark])))]
                    at = mark
                plan.append(code[at:end])
                engine.page_colours(self).update(colours)
                start = end
            plan.append(self._form(f"sheet-{number}-body", code[start:body_end], colours))
            plan.append(self._form(f"sheet-{number}-chrome", code[body_end:], colours))
            plans.append(plan)
        engine.clear_page(self)
        self.init_graphics_state()
        return plans

    def _form(self, name: str, code: list[str], colours: dict) -> str:
        self.beginForm(name)
        engine.page_operators(self).extend(code)
        engine.page_colours(self).update(colours)
        self.endForm()
        return name


class SlotLog(list):
    """The slots WriteInLine records, each with how far the page's drawing had got when it
    was recorded: right after the line's label and rule (see SheetCanvas.pages_as_plans)."""

    def __init__(self):
        super().__init__()
        self.canvas, self.marks = None, {}
        self.seconds: dict[Slot, tuple[float, float, float]] = {}  # slot → its second line: x, y, width

    def append(self, slot: Slot) -> None:
        super().append(slot)
        self.marks[slot] = len(engine.page_operators(self.canvas))

    def second_line(self, x: float, y: float, width: float) -> None:
        """The last slot's second ruled line (layouts/checklist.PatientLine), in page coordinates."""
        self.seconds[self[-1]] = (x, y, width)


def _outermost(code: list[str], first: int, last: int) -> tuple[int, int]:
    """The span of whole top-level drawing (balanced q … Q) that holds both marks."""
    depth, level = 0, []
    for op in code:
        level.append(depth)  # the depth before each operator
        depth += (op == "q") - (op == "Q")
    level.append(depth)
    begin = max(i for i in range(first + 1) if level[i] == 0)
    end = next(j for j in range(last, len(level)) if level[j] == 0)
    return begin, end


def _transform_at(code: list[str]) -> tuple[float, ...]:
    """The current transformation after these operators (from the identity): q/Q and cm."""
    stack, m = [], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for op in code:
        if op == "q":
            stack.append(m)
        elif op == "Q":
            m = stack.pop()
        elif op.endswith(" cm"):
            a, b, c, d, e, f = map(float, op.split()[:6])
            m = (a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                 e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5])
    return m


def _inverse(m: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_)


def lay_out_sheet(aid: Checklist, clinic: Clinic, *, paper: str | None = None,
                  large_print: bool = False) -> LaidSheet:
    """The blank sheet laid out once, with where each value goes, for `stamp`. A sheet's
    frame is shorter than the blank handout's (the patient's line above the header): where
    that pushes a warning off page 1, spacing closes up further, as the blank's did."""
    kept = fitted(aid, clinic, paper=paper, large_print=large_print)
    attempt = kept.attempt
    while True:
        slots = SlotLog()
        ctx, chosen, flowables = prepare(aid, clinic, paper, large_print, slots, attempt, kept.settled)
        laid = lay_out(aid, clinic, ctx.scale, chosen, flowables,
                       canvas_class=functools.partial(SheetCanvas, slots=slots), patient_line=True)
        if not laid.first_page_missed or attempt.density >= len(DENSITY) - 1:
            break
        attempt = dataclasses.replace(attempt, density=attempt.density + 1)
    header = [(f.id, f.shown_label) for f in aid.fields if f.id == "name"][:1]
    header += [(f.id, f.shown_label) for f in aid.fields if f.value_type == "date"][:1]
    return LaidSheet(laid, slots, ctx.scale, header)


def fits_for(sheet: Sheet, slots: SlotLog, scale: Scale) -> dict[Slot, Fit | None]:
    """How each of a patient's values is printed on its slot (None: it cannot fit)."""
    return {slot: fit(sheet.values[slot.field], slot.width, slots.seconds.get(slot, (0, 0, 0))[2], scale)
            for slot in slots if sheet.values.get(slot.field)}


def stamp(laid: LaidSheet, sheets: Iterable[Sheet], *, duplex: bool = False) -> PrintRun:
    """The laid-out sheet with each patient's values written in, one sheet after another,
    as one PDF; a patient with a value that cannot fit is left out, as a Misfit per field.
    Writes the laid-out canvas's PDF: a LaidSheet is stamped once."""
    canvas = laid.laid.canvas
    plans = canvas.pages_as_plans(laid.slots)
    per_sheet = len(plans) + (duplex and len(plans) % 2)
    done, misfits = 0, []
    for sheet in sheets:
        fits = fits_for(sheet, laid.slots, laid.scale)
        bad = [slot for slot, found in fits.items() if found is None]
        if bad:
            seconds = laid.slots.seconds
            misfits += [Misfit(sheet.row, sheet.line, slot.field,
                               limit(slot.width, seconds.get(slot, (0, 0, 0))[2], laid.scale)) for slot in bad]
            continue
        canvas.draw_sheet(plans, fits, sheet, laid.header_fields, laid.slots.seconds)
        if per_sheet > len(plans):
            Canvas.showPage(canvas)  # the next sheet starts on a front side
        done += 1
    Canvas.save(canvas)
    return PrintRun(laid.laid.buffer.getvalue(), per_sheet, done, misfits)


def print_run(aid: Checklist, clinic: Clinic, sheets: Iterable[Sheet], *, paper: str | None = None,
              large_print: bool = False, duplex: bool = False) -> PrintRun:
    """One PDF with a filled-in sheet per patient, each starting on a new page."""
    return stamp(lay_out_sheet(aid, clinic, paper=paper, large_print=large_print), sheets, duplex=duplex)
