"""kind: comparison — options side by side, one row per aspect.

Cells are paragraphs so they wrap; the header row repeats on every page; a row taller
than a page splits inside its cells (splitInRow) instead of failing; rows are banded
with per-row backgrounds, which survive page breaks (ROWBACKGROUNDS restarts).
"""

from __future__ import annotations

import dataclasses
import functools

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether

from aidpress.errors import Problem
from aidpress.model import Comparison
from aidpress.thresholds import SHORT_BLOCK

from .common import Context, table
from .page import ToLandscape, ToPortrait
from .scale import BOLD, RULE, tint
from .text import para
from .units import Unit, marked_row


def hyphenation(language: str) -> dict:
    """Paragraph style options that make ReportLab hyphenate (with pyphen, a dependency:
    without it ReportLab silently ignores them)."""
    # Only long words: hyphenating "be-cause" helps no column. embeddedHyphenation=2 also
    # hyphenates a word that starts a line (with 1, ReportLab cuts such a word anywhere,
    # with no hyphen: "anti-inflamm" / "atory").
    return {"hyphenationLang": pair_hyphenator(language), "embeddedHyphenation": 2, "uriWasteReduce": 0.3,
            "hyphenationMinWordLength": 8}


@functools.cache
def pair_hyphenator(language: str):
    """ReportLab's hyphenator (word → (head, tail) pairs) from pyphen's, except that a
    word's own hyphen ends the line ("anti-" / "inflammatory"): pyphen puts it at the
    start of the next ("-inflammatory"), where ReportLab adds a second one and can
    break the rest no further, so it ran out of its column."""
    import pyphen

    dic = pyphen.Pyphen(lang=language_code(language))

    def pairs(word: str):
        for head, tail in dic.iterate(word):
            if tail.startswith("-"):
                head, tail = head + "-", tail[1:]
            yield head, tail

    return pairs


def language_code(language: str) -> str:
    import pyphen

    lang = language.replace("-", "_")
    return next((code for code in (lang, lang.split("_")[0]) if code in pyphen.LANGUAGES), "en_GB")


def fragments(text: str, hyphenate) -> list[str]:
    """The pieces a text can break into: words, and the syllables of hyphenated words."""
    out = []
    for word in text.split():
        out += [piece + "-" for piece in hyphenate(word).split("-")[:-1]] + [hyphenate(word).split("-")[-1]]
    return [f for f in out if f]


def hyphenator(language: str):
    import pyphen

    dic = pyphen.Pyphen(lang=language_code(language))
    return lambda word: dic.inserted(word, hyphen="-")


@functools.lru_cache(maxsize=4096)
def widest_piece(text: str, language: str | None, size: float) -> float:
    """The width, in bold at `size`, of the widest piece `text` breaks into: its words, or
    their syllables when hyphenated in `language` (None: whole words). Remembered: a
    handout closed up for room measures the same cells at each density."""
    hyphenate = hyphenator(language) if language else (lambda word: word)
    return max((stringWidth(f, BOLD, size) for f in fragments(text, hyphenate)), default=0.0)


def column_widths(aid: Comparison, ctx: Context) -> list[float]:
    """A narrow aspect column (its longest syllable run, at least a sixth of the frame);
    the options share the rest in proportion to how much they say, each at least as
    wide as its longest unbreakable piece."""
    s, total, n = ctx.scale, ctx.frame_width, len(aid.options)
    aspect, floors = _floors(aid, ctx)
    rest = total - aspect
    amount = [sum(len(r.cells[o]) for r in aid.rows) ** 0.5 + 1 for o in aid.options]
    # Balanced: share by the square root of each column's text, kept within 0.75–1.35× equal.
    even = rest / n
    share = [min(max(even * a * n / sum(amount), even * 0.75), even * 1.35) for a in amount]
    widths = [max(w, f) for w, f in zip(share, floors)]
    scale = rest / sum(widths)
    if scale < 1:  # the floors took room: take it back from the columns above their floor
        over = sum(w - f for w, f in zip(widths, floors))
        cut = sum(widths) - rest
        widths = [w - (w - f) / over * cut if over > cut else w * scale for w, f in zip(widths, floors)]
    else:
        widths = [w * scale for w in widths]
    return [aspect] + widths


def _floors(aid: Comparison, ctx: Context) -> tuple[float, list[float]]:
    """The aspect column's width, and the narrowest each option's column can be: its
    longest unbreakable piece (a syllable, or in large print a word) and padding."""
    s, total, n = ctx.scale, ctx.frame_width, len(aid.options)
    language = None if s.large else aid.language
    slack = 3 * s.pad + 2

    def need(texts) -> float:
        return max(widest_piece(t, language, s.body) for t in texts) + slack

    aspect = min(max(total * (0.2 if n <= 3 else 0.17), need([r.aspect for r in aid.rows] + [aid.aspect_label])),
                 total * 0.3)
    return aspect, [need([name] + [r.cells[o] for r in aid.rows if r.cells[o]]) for o, name in aid.options.items()]


def grid_fits(aid: Comparison, ctx: Context) -> bool:
    """Whether every option's column can be as wide as its longest unbreakable piece."""
    aspect, floors = _floors(aid, ctx)
    return sum(floors) <= ctx.frame_width - aspect


def cell_padding(s) -> list:
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), s.pad * 2),
    ]


def words_fit(aid: Comparison, ctx: Context, widths: list[float]) -> bool:
    """Whether every word of every cell fits its column whole (large print does not
    hyphenate: broken words are harder to read at a glance)."""
    s = ctx.scale
    for width, (option, name) in zip(widths[1:], aid.options.items()):
        texts = [name] + [r.cells[option] for r in aid.rows if r.cells[option]]
        if any(stringWidth(w, BOLD, s.body) > width - 3 * s.pad for t in texts for w in t.split()):
            return False
    return True


def render(aid: Comparison, ctx: Context) -> list[Flowable]:
    """Side by side, always in regular print (long words hyphenate, columns balance).
    In large print, when a column is too narrow for its syllables, each aspect becomes
    a block listing every option in turn (and the build says so, see `stacks`)."""
    if stacks(aid, ctx):
        ctx.warnings.append(Problem(aid.where, ("options",), f"{len(aid.options)} options are too many to set side "
                                    "by side in large print; each aspect is printed as a block listing every option",
                                    "shorten the longest words or option names to keep the grid", "warning"))
        return stacked(aid, ctx)
    if not ctx.scale.large and not grid_fits(aid, ctx) and ctx.landscape[0] > ctx.frame_width:
        # Too wide for a portrait page even hyphenated: the table goes on landscape pages.
        wide = dataclasses.replace(ctx, frame_width=ctx.landscape[0], frame_height=ctx.landscape[1])
        ctx.warnings.append(Problem(aid.where, ("options",), f"{len(aid.options)} options do not fit side by side on "
                                    "a portrait page; the table is set on landscape pages",
                                    "shorten the longest words or option names to keep it portrait", "warning"))
        return [ToLandscape()] + side_by_side(aid, wide, column_widths(aid, wide)) + [ToPortrait()]
    return side_by_side(aid, ctx, column_widths(aid, ctx))


def stacks(aid: Comparison, ctx: Context) -> bool:
    return ctx.scale.large and not words_fit(aid, ctx, column_widths(aid, ctx))


def side_by_side(aid: Comparison, ctx: Context, widths: list[float]) -> list[Flowable]:
    st, s = ctx.styles, ctx.scale
    hyph = {} if s.large else hyphenation(aid.language)
    head_style = st.derived("cell_head_h", "cell_head", **hyph)
    bold, cell = st.derived("cell_bold_h", "cell_bold", **hyph), st.derived("cell_h", "cell", **hyph)
    head = marked_row([para(aid.aspect_label, head_style)] + [para(n, head_style) for n in aid.options.values()],
                      "AidHeadRow")
    body = [
        marked_row([para(row.aspect, bold)]
                   + [para(row.cells[o] or ctx.labels["empty_cell"], cell) for o in aid.options])
        for row in aid.rows
    ]
    band = tint(s.accent, 0.9)
    commands = [("BACKGROUND", (0, 0), (-1, 0), s.accent)] + cell_padding(s) + [
        ("LINEBELOW", (0, 1), (-1, -1), s.rule / 2, RULE),
        ("LINEAFTER", (0, 0), (-2, -1), s.rule / 2, RULE),
        ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), band) for r in range(2, len(body) + 1, 2)]
    return [table([head] + body, widths, ctx, commands, repeatRows=1, splitInRow=1)]


def stacked(aid: Comparison, ctx: Context) -> list[Flowable]:
    """One small table per aspect: the aspect as a heading row (repeated if the block
    splits), then a row per option with its name and its text."""
    st, s = ctx.styles, ctx.scale
    name_width = max(stringWidth(w, BOLD, s.body) for n in aid.options.values() for w in n.split()) + 4 * s.pad
    widths = [min(name_width, ctx.frame_width * 0.4), ctx.frame_width - min(name_width, ctx.frame_width * 0.4)]
    blocks: list[Flowable] = []
    for row in aid.rows:
        # The aspect label is kept: "What matters: Cost".
        rows = [marked_row([para(row.aspect, st.cell_head, bold_lead=f"{aid.aspect_label}:"), ""], "AidHeadRow")]
        rows += [marked_row([para(name, st.cell_bold), para(row.cells[o] or ctx.labels["empty_cell"], st.cell)])
                 for o, name in aid.options.items()]
        commands = [("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (-1, 0), s.accent)] + cell_padding(s) + [
            ("LINEBELOW", (0, 1), (-1, -2), s.rule / 2, RULE),
            ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ]
        block = table(rows, widths, ctx, commands, repeatRows=1, splitInRow=1)
        block.spaceAfter = s.gap
        marked = Unit(block, "AidBlock")  # the audit sees a short block split
        # A block shorter than half a page never splits (a row left on the next page reads
        # as another aspect). As designed, neither does one that fits a page; when that
        # would leave a page under half full (fitting.Attempt.lists_split) it splits between rows.
        height = block.wrap(ctx.frame_width, ctx.frame_height)[1]
        whole = height < (SHORT_BLOCK if ctx.lists_split else 0.9) * ctx.frame_height
        blocks.append(KeepTogether([marked]) if whole else marked)
    return blocks
