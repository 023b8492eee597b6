"""The one page template every aid kind shares.

It owns the page: paper size, margins, running header (aid title, clinic name and
phone), footer (disclaimer, version and date, "Page N of M"), PDF metadata, bookmarks
and deterministic output. Kind modules only return flowables for the frame.

"Page N of M" is written in a single layout pass: the canvas holds each finished page
and draws the header and footer on all of them once the total is known.
"""

from __future__ import annotations

import functools
import io
import itertools
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph

from aidpress import deferred, fonts
from aidpress.dates import printed
from aidpress.errors import UnfitContent
from aidpress.labels import labels_for, language_of
from aidpress.model import Aid, Clinic

from . import engine, tagging
from .scale import BOLD, MUTED, REGULAR, Scale
from .text import Para, markup
from .units import begin, end, new_ident

PAPER = {"a4": A4, "letter": LETTER}
TAGGED = True  # False: no structure tree (`bench/render.py --tagging` measures what tagging costs)


class ToLandscape(NextPageTemplate):
    """What follows goes on landscape pages (a comparison too wide for portrait). A
    handout holding one starts on a landscape page, so its title and intro share the
    first page with the table rather than leave a portrait page half empty."""

    def __init__(self):
        super().__init__("landscape")


class ToPortrait(NextPageTemplate):
    """Back to portrait from the next page on."""

    def __init__(self):
        super().__init__("page")
PRINTABLE_EDGE = 5 * mm  # most printers cannot print closer to the paper's edge


@functools.cache  # cache: no key; lifetime: the process (fonts are registered once, process-wide)
def register_fonts() -> None:
    """Register the four faces from the bytes aidpress.fonts read (one read per file),
    parsed, or read back from the parse cache (engine.truetype_font).

    This ends start-up: everything loaded so far (ReportLab, the parsed fonts: long-lived,
    never garbage) is moved out of the garbage collector's sight, so neither the collections
    during layout nor the one at exit walk it again, and collection resumes
    (aidpress/deferred.py: start_up_done). Objects created later are collected as usual.
    """
    cache = fonts.cache_dir()
    for face, (name, file) in fonts.FACES.items():
        pdfmetrics.registerFont(engine.truetype_font(
            name, fonts.font_bytes(face), str(fonts.FONT_DIR / file), key=fonts.checksum(face), cache_dir=cache))
    f = fonts.FACES
    pdfmetrics.registerFontFamily(fonts.FAMILY, normal=f["regular"][0], bold=f["bold"][0],
                                  italic=f["italic"][0], boldItalic=f["bolditalic"][0])
    deferred.start_up_done()


class Heading(Para):
    """A section heading: kept with what follows and listed in the PDF's bookmarks."""

    unit_tag = "AidHead"  # closing matter's headings say "AidTrailHead" (see units.py)

    def __init__(self, text: str | None, style, level: int = 0, **split_args):
        # ReportLab re-creates a paragraph it splits as self.__class__(None, style, frags=…)
        super().__init__(markup(text) if text is not None else None, style, **split_args)
        self.outline_text = text
        self.outline_level = level
        self.lang = language_of(text)  # (a heading of aidpress's own words: "Sources", …)

    def drawOn(self, canvas, x, y, _sW=0):
        ident = new_ident()
        lang = self.own_language(canvas)
        begin(canvas, self.unit_tag, ident, attrs={"Lang": lang} if lang else None)
        tagging.heading(canvas, ident[0], self.outline_level)
        self.lang_taken = True
        super().drawOn(canvas, x, y, _sW)
        end(canvas)

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if parts:  # a heading longer than a page: the bookmark goes with its first part
            parts[0].outline_text, parts[0].outline_level = self.outline_text, self.outline_level
        for part in parts:
            part.unit_tag = self.unit_tag
        return parts


@dataclass(frozen=True)
class Chrome:
    """What the header and footer say, the same on every page of one handout."""

    title: str
    clinic_line: str
    footer_note: str
    version_line: str
    scale: Scale
    page_label: str  # "Page {n} of {m}", or the clinic's wording for it
    patient_line: bool = False  # filled-in sheets: keep room above the header for the patient's line

    def header_title(self, width: float) -> str:
        """The title as the running header prints it: whole when it fits beside the clinic's
        name and phone (never cut short), else shortened with an ellipsis, so the header
        stays one line. The full title is the PDF's metadata title and page 1's heading."""
        s = self.scale
        title_room = width - 2 * s.margin - pdfmetrics.stringWidth(self.clinic_line, REGULAR, s.small) - s.gap
        return _fit(self.title, BOLD, s.small, title_room)

    def top_reserve(self, width: float, height: float) -> float:
        """How far the header moves down (and the frame with it) so that the patient's
        line above it stays on the printable part of the paper."""
        if not self.patient_line:
            return 0.0
        s = self.scale
        top_line = height - s.margin + s.small * 0.2
        patient_top = top_line + s.small * 1.25 + s.small  # its baseline, then its cap height and a little
        return max(0.0, patient_top - (height - PRINTABLE_EDGE))

    def header_top(self, width: float, height: float) -> float:
        """The baseline of the header's one line."""
        s = self.scale
        return height - s.margin + s.small * 0.2 - self.top_reserve(width, height)

    def draw(self, canv: Canvas, page: int, pages: int, width: float, height: float) -> None:
        s = self.scale
        left, right = s.margin, width - s.margin
        # Pagination artifacts for a reader of the structure; inside, the mark the page
        # audit knows the header and footer by (units.py), with no MCID: not content.
        engine.add_operator(canv, tagging.header_artifact())
        engine.add_operator(canv, "/AidChrome BMC")
        canv.saveState()
        # header
        y = self.header_top(width, height)
        # One line: the title, shortened if need be, then the clinic's name and phone.
        canv.setFont(BOLD, s.small)
        canv.setFillColor(s.accent)
        canv.drawString(left, y, self.header_title(width))
        canv.setFont(REGULAR, s.small)
        canv.setFillColor(MUTED)
        canv.drawRightString(right, y, self.clinic_line)
        canv.setStrokeColor(s.accent)
        canv.setLineWidth(s.rule)
        rule = self.header_rule(width, height)
        canv.line(left, rule, right, rule)
        canv.restoreState()
        end(canv)
        end(canv)
        engine.add_operator(canv, tagging.footer_artifact())
        engine.add_operator(canv, "/AidChrome BMC")
        canv.saveState()
        canv.setFillColor(MUTED)
        canv.setStrokeColor(s.accent)
        # footer, from the bottom margin upwards
        y = s.margin - s.small
        canv.setFont(REGULAR, s.small)
        canv.drawString(left, y, self.version_line)
        canv.setFont(BOLD, s.small)
        canv.setFillColor(MUTED)
        canv.drawRightString(right, y, self.page_label.format(n=page, m=pages))
        if self.footer_note:
            note = self.note_paragraph(right - left)
            note.drawOn(canv, left, y + s.small * 1.3)
        canv.setLineWidth(s.rule / 2)
        rule = self.footer_rule(width)
        canv.line(left, rule, right, rule)
        canv.restoreState()
        end(canv)
        end(canv)

    def note_paragraph(self, width: float) -> Paragraph:
        return _footer_note(self.footer_note, self.scale.small, width)

    def header_rule(self, width: float, height: float) -> float:
        """The height of the rule under the header: the top of the page a reader sees."""
        return self.header_top(width, height) - self.scale.small * 0.5

    def footer_rule(self, width: float) -> float:
        """The height of the rule over the footer: the bottom of the page a reader sees."""
        s = self.scale
        return s.margin + self.footer_height(width - 2 * s.margin) - s.small

    def footer_height(self, width: float) -> float:
        """Space the footer takes above the bottom margin (the frame starts above it)."""
        s = self.scale
        note = self.note_paragraph(width).height + s.small * 0.6 if self.footer_note else 0
        return s.small * 1.5 + note


# Cache: key (the note's text, its type size, the frame's width): plain values, so no
# Chrome (nor anything it holds) is kept alive by it; lifetime: the process, the 32 notes
# used last (one per aid and print size: a long `watch` rebuilds the same few). Every
# handout of a build shares its aid's wrapped note (drawn on each page, never changed).
@functools.lru_cache(maxsize=32)
def _footer_note(text: str, size: float, width: float) -> Paragraph:
    style = ParagraphStyle("footer", fontName=REGULAR, fontSize=size, leading=size * 1.2, textColor=MUTED)
    p = Paragraph(markup(text), style)
    p.wrap(width, 1000)
    return p


def chrome_for(aid: Aid, clinic: Clinic, scale: Scale, patient_line: bool = False) -> Chrome:
    labels = labels_for(clinic)
    if clinic.name:
        clinic_line = clinic.name + (f" · {labels['phone']} {clinic.phone}" if clinic.phone else "")
    else:
        clinic_line = labels["clinic_blank"]
    parts = []
    if aid.version:
        parts.append(labels["version"].format(version=aid.version))
    if aid.updated:
        parts.append(labels["updated"].format(date=printed(aid.updated, weekday=False)))
    return Chrome(aid.title, clinic_line, aid.disclaimer or "", " · ".join(parts), scale, labels["page"],
                  patient_line)


class HandoutCanvas(Canvas):
    """Holds finished pages until the end, then adds header and footer with the total."""

    def __init__(self, *args, chrome: Chrome, first_page: int = 1, total_pages: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        # A handout bound into a pack is numbered within the pack: "Page 7 of 12".
        self._first_page, self._total_pages = first_page, total_pages
        self._held_pages: list[dict] = []
        # Every handout is tagged (tagging.py), alone or as a part of a pack (whose parts'
        # trees pack.bind merges into one, its MCIDs counted on from part to part); its
        # unit marks (units.py) are its MCIDs, counted from 1.
        self.tagged = TAGGED
        self.unit_ids = itertools.count(1 if self.tagged else first_page * 100_000 + 1)
        self.language = ""  # the aid's, set by lay_out
        self._page_marks: list[tuple] = []  # bookmark calls for the page being drawn

    def declare_unit(self, number: int, tag: str, role, parents: tuple, attrs: dict) -> None:
        """What a unit is, said as it is drawn (units.begin): for the structure tree."""
        if self.tagged:
            tagging.declare(self, number, tag, role, parents, attrs)

    # Bookmarks name the page they are on, which only exists once the page is written:
    # record them with the page and replay them when it is.
    def bookmarkPage(self, key, **kw):
        self._page_marks.append(("bookmarkPage", (key,), kw))

    def addOutlineEntry(self, title, key, level=0, closed=None):
        self._page_marks.append(("addOutlineEntry", (title, key, level, closed), {}))

    def showPage(self):
        self._held_pages.append(engine.hold_page(self))
        self._page_marks = []

    hold = False  # True: doc.build leaves the PDF unwritten (Laid.pdf writes it, if wanted)

    def save(self):
        if self.hold:
            return
        self.pages_written = self.emit_pages()
        Canvas.save(self)

    def emit_pages(self) -> int:
        """Write the held pages with their header and footer; return how many were written."""
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            engine.resume_page(self, state)
            width, height = engine.page_size(self)  # a page may be landscape (ToLandscape)
            for method, args, kw in self._page_marks:
                getattr(Canvas, method)(self, *args, **kw)
            if self.tagged:
                tagging.tag_page(self, engine.page_operators(self), number - 1, lambda: next(self.unit_ids))
            self._chrome.draw(self, self._first_page + number - 1, self._total_pages or total, width, height)
            Canvas.showPage(self)
            if self.tagged:
                engine.set_last_page_entry(self, "StructParents", number - 1)
        if self.tagged:
            tagging.write(self, self._chrome.title, self.language)
        return total


class Stopped(Exception):
    """A layout given up part-way: what it was for is already known (see lay_out's `stop`)."""


class HandoutDoc(BaseDocTemplate):
    content_pages: set  # pages holding something besides closing matter
    first_page_missed = False  # a flowable marked `on_first_page` fell on a later page
    first_page_pending = 0  # flowables marked `on_first_page` not placed yet
    stop = None  # called after each flowable; True gives the layout up (raises Stopped)

    def afterFlowable(self, flowable):
        if not closing_matter(flowable):
            self.content_pages.add(self.page)
        if self.frame is not None:  # how full the page is, after this flowable
            self.last_fill = self.fills[self.page] = engine.frame_used(self.frame)
        if getattr(flowable, "on_first_page", False):
            self.first_page_pending -= 1
            if self.page != 1:
                self.first_page_missed = True  # a renderer asked for this on page 1 (a quiz's score key)
        if isinstance(flowable, Heading) and flowable.outline_text:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, flowable.outline_level)
        if self.stop is not None and self.stop(self):
            raise Stopped()

    @property
    def misses_first_page(self) -> bool:
        """Whether page-1 matter is certain to be off page 1 already (placed later, or
        still to come while page 2 is being filled)."""
        return self.first_page_missed or (self.page > 1 and self.first_page_pending > 0)


def first_page_flowables(flowables) -> int:
    """How many flowables ask to be on page 1, counted as HandoutDoc.afterFlowable sees
    them: a container (KeepTogether) is placed as its contents."""
    count = 0
    for flowable in flowables:
        inner = engine.contained(flowable)
        if inner is not None:
            count += first_page_flowables(inner)
        elif getattr(flowable, "on_first_page", False):
            count += 1
    return count


def closing_matter(flowable) -> bool:
    """Whether a flowable is part of the closing matter (marked so in common.closing)."""
    from reportlab.platypus import Spacer
    from reportlab.platypus.doctemplate import ActionFlowable

    if isinstance(flowable, (Spacer, ActionFlowable)):  # nothing drawn, nothing to keep
        return True
    if isinstance(flowable, Heading):
        return flowable.unit_tag.startswith("AidTrail")
    content = engine.contained(flowable)
    if content is not None:
        return all(closing_matter(f) for f in content)
    return str(getattr(flowable, "tag", "")).startswith("AidTrail")


@dataclass(frozen=True)
class PageSetup:
    """The page a handout is laid out on. Everything that follows from the paper size is
    worked out here: the page's size (portrait, or landscape for a wide table) and the
    frame the content fills between the margins, the header and the footer."""

    paper: str  # "a4" or "letter"
    scale: Scale
    chrome: Chrome

    def size(self, landscape: bool = False) -> tuple[float, float]:
        width, height = PAPER[self.paper]
        return (height, width) if landscape else (width, height)

    def rule_gap(self) -> float:
        """How much taller the page between the header and footer rules is than the frame
        (the same on a landscape page): what a reader sees as the page, and the page audit
        measures "half a page" by."""
        width, height = self.size()
        return self.chrome.header_rule(width, height) - self.chrome.footer_rule(width) - self.frame()[3]

    def frame(self, landscape: bool = False) -> tuple[float, float, float, float]:
        """The frame's left, bottom, width and height."""
        s, chrome = self.scale, self.chrome
        width, height = self.size(landscape)
        inner = width - 2 * s.margin
        footer = chrome.footer_height(inner)
        return (s.margin, s.margin + footer, inner,
                height - 2 * s.margin - footer - s.small * 1.2 - chrome.top_reserve(width, height))


def page_setup(aid: Aid, clinic: Clinic, scale: Scale, paper: str | None, patient_line: bool = False) -> PageSetup:
    """The page of one handout: on `paper`, or the clinic's paper when None."""
    return PageSetup(paper or clinic.paper, scale, chrome_for(aid, clinic, scale, patient_line))


def check_chrome(aid: Aid, clinic: Clinic, page: PageSetup) -> None:
    """Header and footer must leave the page to the content: say so, rather than squash it."""
    s, chrome = page.scale, page.chrome
    width, height = page.size()
    inner = width - 2 * s.margin
    if pdfmetrics.stringWidth(chrome.clinic_line, REGULAR, s.small) > inner:
        file = clinic.where.file if clinic.where else aid.where.file
        raise UnfitContent(file, ("name",), "the clinic's name and phone are too long for the page header",
                           "shorten the name")
    if chrome.footer_height(inner) > height * 0.2:
        raise UnfitContent(aid.where.file, ("disclaimer",), "too long for the page footer",
                           "keep it to a sentence or two and put the rest in 'notes'")


@dataclass
class Laid:
    """A handout laid out on its pages, its PDF not written yet: when a handout is laid
    out several times (layouts/fitting.py), only the layout kept is written."""

    canvas: HandoutCanvas
    buffer: io.BytesIO
    content_pages: set  # the pages with more than closing matter
    first_page_missed: bool  # a flowable marked `on_first_page` fell on a later page
    last_page_used: float  # how full the last page's frame is (0 to 1)
    page_used: dict  # each page's (page → 0 to 1)
    written: bool = False

    @property
    def pages(self) -> int:
        return len(self.canvas._held_pages)

    def pdf(self) -> bytes:
        if not self.written:
            self.canvas.hold, self.written = False, True
            self.canvas.save()
        return self.buffer.getvalue()


def lay_out(aid: Aid, clinic: Clinic, scale: Scale, paper: str, flowables: list,
            canvas_class: type[HandoutCanvas] = HandoutCanvas, patient_line: bool = False, stop=None,
            **canvas_args) -> Laid:
    """Lay the flowables out on handout pages, without writing the PDF yet. `stop(doc)`,
    if given, is asked after each flowable whether the layout can be given up (it then
    raises Stopped): a trial whose outcome is already known need not be finished."""
    register_fonts()
    page = page_setup(aid, clinic, scale, paper, patient_line)
    check_chrome(aid, clinic, page)
    templates = []
    for name, landscape in (("page", False), ("landscape", True)):
        frame = Frame(*page.frame(landscape), id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(name, [frame], pagesize=page.size(landscape)))
    if any(isinstance(f, ToLandscape) for f in flowables):
        templates.reverse()  # the first page is landscape too
    buffer = io.BytesIO()
    doc = HandoutDoc(
        buffer, pagesize=templates[0].pagesize, pageTemplates=templates,
        title=aid.title, author=clinic.name or "aidpress", subject=aid.subtitle or aid.title,
        creator="aidpress", producer="aidpress", lang=aid.language,
        invariant=1, initialFontName=REGULAR, initialFontSize=scale.body, displayDocTitle=1,
        # Bookmarks on, so readers show the section list.
        showBoundary=0,
    )
    doc.content_pages, doc.stop, doc.fills = set(), stop, {}
    doc.first_page_pending = first_page_flowables(flowables)
    canvases = []

    def make_canvas(*args, **kwargs):
        canv = canvas_class(*args, chrome=page.chrome, **canvas_args, **kwargs)
        canv.hold = True
        canv.language = aid.language or ""
        canvases.append(canv)
        return canv

    doc.build(flowables, canvasmaker=make_canvas)
    return Laid(canvases[-1], buffer, doc.content_pages, doc.first_page_missed, getattr(doc, "last_fill", 1.0),
                doc.fills)


def build_pdf(aid: Aid, clinic: Clinic, scale: Scale, paper: str, flowables: list,
              canvas_class: type[HandoutCanvas] = HandoutCanvas, patient_line: bool = False,
              **canvas_args) -> tuple[bytes, int]:
    """Lay the flowables out on handout pages; return the PDF and its page count."""
    laid = lay_out(aid, clinic, scale, paper, flowables, canvas_class, patient_line, **canvas_args)
    pdf = laid.pdf()
    return pdf, laid.canvas.pages_written


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten running-header text with an ellipsis so it never runs into its neighbour:
    after the last whole word that fits ("What to think about…"); nothing when fewer than
    two words fit ("How…", let alone "Cup…", would name no leaflet)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text

    def shown(head: str) -> str:
        return head.rstrip(" ,;:–—-") + "…"

    def fits(head: str) -> bool:
        return pdfmetrics.stringWidth(shown(head), font, size) <= width

    heads = [text[:i] for i in range(len(text) - 1, 0, -1) if text[i] == " "]  # longest first
    head = next((h for h in heads if len(h.split()) >= 2 and fits(h)), None)
    return "" if head is None else shown(head)
