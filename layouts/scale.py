"""One type scale: every size, box and gap in a handout derives from the body size.

Regular print sets body text at 12 pt; large print at 18 pt. Nothing else in layouts/
names a point size, so the two always stay in proportion. The smallest type (page
chrome, hints, sources) is 10.5 pt in regular print and 16.2 pt in large print.

`density` tightens a handout to meet a page budget (or to pull closing matter onto the
last page): levels 1–3 close up spacing and headings; body text never shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from aidpress import fonts

REGULAR_BODY = 12.0
LARGE_BODY = 18.0

REGULAR, BOLD, ITALIC = (fonts.FACES[f][0] for f in ("regular", "bold", "italic"))

INK = colors.HexColor("#111111")  # near-black: full contrast without a harsh pure black
MUTED = colors.HexColor("#3A3A3A")  # still ≥ 10:1 on white, for secondary text
RULE = colors.HexColor("#8A8A8A")
WARNING = colors.HexColor("#B3261E")
WARNING_TINT = colors.HexColor("#FCEBEA")
OUTCOME_TINT = colors.HexColor("#EEF4EC")
OUTCOME_EDGE = colors.HexColor("#2E6B30")


def tint(colour, amount: float):
    """The accent mixed with white: light enough to print text on."""
    return colors.Color(*(c + (1 - c) * amount for c in (colour.red, colour.green, colour.blue)))


# Per density level: (spacing factor, leading as a multiple of body, heading factor)
DENSITY = ((1.0, 1.3, 1.0), (0.75, 1.25, 0.92), (0.55, 1.2, 0.84), (0.4, 1.17, 0.76))


@dataclass(frozen=True)
class Scale:
    """The type scale of one handout: body size (regular or large print), accent, spacing density."""

    body: float
    accent_hex: str = "#1F5F8B"
    density: int = 0  # 0 as designed … len(DENSITY) - 1 tightest

    def tighter(self) -> "Scale | None":
        """The next density level, or None when spacing is at its floor."""
        if self.density + 1 >= len(DENSITY):
            return None
        return Scale(self.body, self.accent_hex, self.density + 1)

    @property
    def _spacing(self) -> float:
        return DENSITY[self.density][0]

    @property
    def large(self) -> bool:
        return self.body >= LARGE_BODY

    # sizes (pt)
    @property
    def leading(self) -> float:
        return self.body * DENSITY[self.density][1]

    @property
    def small(self) -> float:
        # Page chrome, hints and sources: ≥ 10 pt on paper, ≥ 16 pt in large print.
        return self.body * (0.9 if self.large else 0.875)

    @property
    def h1(self) -> float:
        return self.body * 1.9 * DENSITY[self.density][2]

    @property
    def h2(self) -> float:
        return self.body * max(1.2, 1.35 * DENSITY[self.density][2])

    # geometry (pt)
    @property
    def gap(self) -> float:
        return self.body * 0.75 * self._spacing

    @property
    def pad(self) -> float:
        return self.body * 0.4 * max(0.6, self._spacing)

    @property
    def tick(self) -> float:
        return max(5.5 * mm, self.body * 1.3)  # tick boxes: ≥ 5 mm for an unsteady hand

    @property
    def write_box(self) -> float:
        return self.body * 2.4  # a box to write a number in by pen

    @property
    def rule(self) -> float:
        return max(0.75, self.body / 16)

    @property
    def margin(self) -> float:
        return 16 * mm

    # Caches on this Scale (frozen, a value): lifetime, the Scale's (one handout's context).
    @cached_property
    def accent(self):
        return colors.HexColor(self.accent_hex)

    @cached_property
    def styles(self) -> "Styles":
        return styles_for(self)


@cache
def styles_for(scale: Scale) -> "Styles":
    """The styles of one scale, made once per process: every render at that scale shares
    them (a style is never changed once made), and so can paragraphs parsed with them
    (text.Para). Cache: key, the Scale (body size, accent, density: at most 2 × 4 per
    accent); lifetime, the process."""
    return Styles(scale)


class Styles:
    """The paragraph styles of every handout, all from one Scale."""

    def __init__(self, s: Scale):
        base = ParagraphStyle("body", fontName=REGULAR, fontSize=s.body, leading=s.leading,
                              textColor=INK, spaceAfter=s.gap * 0.6, alignment=TA_LEFT,
                              bulletFontName=REGULAR, bulletFontSize=s.body,
                              allowWidows=0, allowOrphans=0)
        self.body = base
        self.title = ParagraphStyle("title", base, fontName=BOLD, fontSize=s.h1, leading=s.h1 * 1.2,
                                    textColor=s.accent, spaceAfter=s.gap * 0.5)
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=s.h2, leading=s.h2 * 1.3,
                                       textColor=MUTED, spaceAfter=s.gap)
        self.heading = ParagraphStyle("heading", base, fontName=BOLD, fontSize=s.h2, leading=s.h2 * 1.25,
                                      textColor=s.accent, spaceBefore=s.gap, spaceAfter=s.gap * 0.5,
                                      keepWithNext=1)
        self.warning_heading = ParagraphStyle("warning_heading", self.heading, textColor=colors.white,
                                              backColor=WARNING, borderPadding=s.pad, leftIndent=s.pad, rightIndent=s.pad,
                                              spaceBefore=s.gap + s.pad, spaceAfter=s.pad)
        self.lead_in = ParagraphStyle("lead_in", base, keepWithNext=1)
        self.small = ParagraphStyle("small", base, fontSize=s.small, leading=s.small * 1.25,
                                    textColor=MUTED, spaceAfter=s.small * 0.3)
        self.cell = ParagraphStyle("cell", base, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", self.cell, fontName=BOLD)
        self.cell_head = ParagraphStyle("cell_head", self.cell, fontName=BOLD, textColor=colors.white)
        self.cell_small = ParagraphStyle("cell_small", self.small, spaceAfter=0, textColor=INK)  # hints
        self.cell_head_small = ParagraphStyle("cell_head_small", self.cell_small, fontName=BOLD,
                                              textColor=colors.white)
        self.box = ParagraphStyle("box", self.cell, alignment=TA_CENTER)
        self.box_bold = ParagraphStyle("box_bold", self.box, fontName=BOLD)
        self.box_small = ParagraphStyle("box_small", self.cell_small, alignment=TA_CENTER)
        self.label = ParagraphStyle("label", self.cell_small, fontName=BOLD, textColor=INK)
        self.label_warning = ParagraphStyle("label_warning", self.label, textColor=WARNING)
        self.label_center = ParagraphStyle("label_center", self.label, alignment=TA_CENTER)
        self.bullet = ParagraphStyle("bullet", self.cell, leftIndent=s.body * 1.2,
                                     bulletIndent=s.body * 0.2, spaceBefore=s.pad * 0.5)
        self._derived: dict = {}  # cache: key (name, base, options); lifetime, these Styles' (see styles_for)

    def derived(self, name: str, base: str, **options) -> ParagraphStyle:
        """A style named `name`: style `base` with some options changed (e.g. hyphenation), made once."""
        key = (name, base, tuple(sorted(options.items())))
        if key not in self._derived:
            self._derived[key] = ParagraphStyle(name, getattr(self, base), **options)
        return self._derived[key]
