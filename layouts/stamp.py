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

from . import engine, fitted, prepare, sheet_tags, tagging
from .boxes import Slot
from .units import begin, end
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
        self.pages_out = 0  # pages of sheets written so far

    def draw_sheet(self, plans: list[list], fits: dict, sheet: Sheet, header_fields: list[tuple[str, str]],
                   seconds: dict | None = None) -> None:
        """One patient's pages, from the plans of the blank pages (see pages_as_plans) and how
        each value is printed (see fits_for)."""
        # The name and date above the header, so a loose page still says whose it is: on
        # every page of a sheet of several pages (drawn once, its operators reused). A
        # one-page sheet has no loose pages, and its name is on it after its label.
        header = [] if len(plans) == 1 else None
        for plan in plans:
            ops = engine.page_operators(self)
            for step in plan:
                if isinstance(step, list):
                    ops.extend(step)
                elif step[0] == "do":  # in the marked content open here: its content item's
                    self.doForm(step[1])
                elif step[0] == "form":  # the running header and footer, artifacts inside
                    engine.add_operator(self, "/Artifact BMC")
                    self.doForm(step[1])
                    engine.add_operator(self, "EMC")
                elif step[1] in fits:
                    _, slot, undo, mcid = step
                    self.saveState()
                    self.transform(*undo)  # back to page coordinates, where slots are measured
                    self.setFillColor(VALUE_INK)
                    self._stamp(slot, fits[slot], (seconds or {}).get(slot), mcid)
                    self.restoreState()
            engine.page_colours(self).update(self._colours)
            ops = engine.page_operators(self)
            if header is None:
                mark = len(ops)
                self.header(sheet, header_fields)
                header = engine.page_operators(self)[mark:]
            else:
                ops.extend(header)
            self.end_page()

    def write_tree(self) -> None:
        """The blank's structure tree, into the run's PDF (layouts/tagging.py)."""
        tagging.write(self, self._chrome.title, self.language)

    def end_page(self) -> None:
        """Write the page; a tagged run's page gets its own parent tree entry (its index)."""
        Canvas.showPage(self)
        if self.tagged:
            engine.set_last_page_entry(self, "StructParents", self.pages_out)
        self.pages_out += 1

    def _stamp(self, slot: Slot, found: Fit, second: tuple[float, float, float] | None, mcid: int) -> None:
        """On the write-in line; a second line on the second ruled line. Marked AidValue, so
        the page audit can tell a patient's value from the printed form (a shrunk value);
        its MCID is the value's content item (a Span in its label's element)."""
        begin(self, "AidValue", [mcid])
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
        # Page chrome, like the header it sits on: a pagination artifact, read once on the page
        # (each value is read after its label), marked AidChrome for the page audit.
        engine.add_operator(self, tagging.header_artifact())
        engine.add_operator(self, "/AidChrome BMC")
        for font, colour, text in runs:
            self.setFont(font, size)
            self.setFillColor(colour)
            self.drawString(x, y, text)
            x += stringWidth(text, font, size)
        end(self)
        end(self)

    def pages_as_plans(self, slots: SlotLog) -> list[list]:
        """How to draw each page of a sheet, as steps: a list of drawing operators copied in,
        ("form", name) for the running header and footer (drawn once, reused), or
        ("value", slot, inverse transform, MCID) where a value goes.

        A tagged run's blank pages are tagged here, once (tagging.tag_page, as a handout's
        are): every sheet's page repeats their tagged operators, so its content items keep
        the blank's MCIDs and the blank's tree, copied for each sheet, describes it
        (layouts/sheet_tags.py). The marks stay in each page's own content; what is drawn
        inside them, where it is whole (balanced q … Q, no mark of its own), is a reusable
        form drawn from inside the mark ("do"), so it belongs to that page's content item:
        a form holding marked content itself, shared by many pages, could not belong to a
        different element on each (docs/accessibility.md, "Per-patient sheets"). Each value
        is stamped right after its label, so text extraction reads 'Patient name: Ann'."""
        total, (width, height) = len(self._held_pages), engine.page_size(self)
        order = list(slots)
        plans, self.tag_plans, self._colours = [], [], {}
        for number, state in enumerate(self._held_pages, start=1):
            engine.resume_page(self, state)
            code = engine.page_operators(self)
            for at, index in sorted(((slots.marks[s], i) for i, s in enumerate(order) if s.page == number),
                                    reverse=True):
                code.insert(at, sheet_tags.slot_marker(index))
            if self.tagged:
                tagging.tag_page(self, code, number - 1, lambda: next(self.unit_ids))
            body_end = len(code)
            self._chrome.draw(self, number, total, width, height)
            code, colours = engine.page_operators(self), engine.page_colours(self)
            steps, tag_plan = sheet_tags.stamped_page(code[:body_end], number - 1, self.tagged)
            plan, done, marks = [], [], 0
            for step in steps:
                if isinstance(step, list):
                    for piece in sheet_tags.shareable(step, marks):
                        if isinstance(piece, list):
                            plan.append(piece)
                        else:  # drawing that neither marks nor changes the state: a form, drawn once
                            plan.append(("do", self._form(f"sheet-{number}-{len(plan)}", step[piece], colours)))
                    marks = sheet_tags.mark_depth(step, marks)
                    done += step
                else:
                    plan.append(("value", order[step[1]], _inverse(_transform_at(done)), step[2]))
            self._colours.update(colours)
            plan.append(("form", self._form(f"sheet-{number}-chrome", code[body_end:], colours)))
            plans.append(plan)
            self.tag_plans.append(tag_plan)
        engine.clear_page(self)
        self.init_graphics_state()
        self.slot_order = order
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


def _transform_at(code: list[str]) -> tuple[float, ...]:
    """The current transformation after these operators (from the identity): q/Q and cm."""
    stack, m = [], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for op in code:
        if not isinstance(op, str):
            continue
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
    Writes the laid-out canvas's PDF: a LaidSheet is stamped once. A tagged run's PDF
    carries the structure tree of every sheet (layouts/sheet_tags.py)."""
    canvas = laid.laid.canvas
    plans = canvas.pages_as_plans(laid.slots)
    per_sheet = len(plans) + (duplex and len(plans) % 2)
    done, misfits, present = 0, [], []
    index = {slot: i for i, slot in enumerate(canvas.slot_order)}
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
            canvas.end_page()  # the next sheet starts on a front side
        present.append({index[slot] for slot in fits})
        done += 1
    tagged = canvas.tagged and done
    if tagged:  # the blank's tree, its content on the first sheet's pages: finish copies it for each
        canvas.write_tree()
    Canvas.save(canvas)
    pdf = laid.laid.buffer.getvalue()
    if tagged:
        pdf = sheet_tags.finish(pdf, canvas.tag_plans, per_sheet, present)
    return PrintRun(pdf, per_sheet, done, misfits)


def print_run(aid: Checklist, clinic: Clinic, sheets: Iterable[Sheet], *, paper: str | None = None,
              large_print: bool = False, duplex: bool = False) -> PrintRun:
    """One PDF with a filled-in sheet per patient, each starting on a new page."""
    return stamp(lay_out_sheet(aid, clinic, paper=paper, large_print=large_print), sheets, duplex=duplex)
