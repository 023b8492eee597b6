"""kind: comparison — options side by side, one row per aspect.

Cells are paragraphs so they wrap; the header row repeats on every page; a row taller
than a page splits inside its cells (splitInRow) instead of failing; rows are banded
with per-row backgrounds, which survive page breaks (ROWBACKGROUNDS restarts).
"""

from __future__ import annotations

import dataclasses
import functools
import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from aidpress.errors import Problem
from aidpress.model import Comparison, Row
from aidpress.thresholds import SHORT_BLOCK, long_cells

from .common import Context, table
from .page import ToLandscape, ToPortrait
from .scale import BOLD, RULE, tint
from .text import compound_breaks, hyphenation, para, pieces
from .units import Node, Unit, cell

COLUMN, ROW = {"Scope": "Column"}, {"Scope": "Row"}  # a TH's /Scope: the heads of columns, of rows


@functools.lru_cache(maxsize=4096)
def widest_piece(text: str, language: str | None, size: float, compounds: bool = False) -> float:
    """The width, in bold at `size`, of the widest piece `text` breaks into: its words, or
    the pieces text.breaks allows when hyphenated in `language` (None: whole words, cut
    at their own hyphens with `compounds`). Remembered: a handout closed up for room
    measures the same cells at each density."""
    return max((stringWidth(f, BOLD, size) for f in pieces(text, language, compounds=compounds)), default=0.0)


def column_widths(aid: Comparison, ctx: Context) -> list[float]:
    """A narrow aspect column (its longest syllable run, at least a sixth of the frame);
    the options share the rest in proportion to how much they say, each at least as
    wide as its longest unbreakable piece."""
    total, n = ctx.frame_width, len(aid.options)
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
    longest unbreakable piece (in a cell a syllable, or in large print a word; in a column
    head or row label always a whole word: they never hyphenate) and padding."""
    s, total, n = ctx.scale, ctx.frame_width, len(aid.options)
    language = None if s.large else aid.language
    slack = 3 * s.pad + 2

    def need(texts, lang, compounds=False) -> float:
        return max(widest_piece(t, lang, s.body, compounds) for t in texts) + slack

    labels = need([r.aspect for r in aid.rows] + [aid.aspect_label], None, not s.large)
    aspect = max(min(max(total * (0.2 if n <= 3 else 0.17), labels), total * 0.3), labels)
    return aspect, [max(need([name], None, not s.large),
                        need([r.cells[o] for r in aid.rows if r.cells[o]] or [""], language))
                    for o, name in aid.options.items()]


def grid_fits(aid: Comparison, ctx: Context) -> bool:
    """Whether every option's column can be as wide as its longest unbreakable piece."""
    aspect, floors = _floors(aid, ctx)
    return sum(floors) <= ctx.frame_width - aspect


TOP_PAD = 1.5  # a cell's top padding, in the scale's padding units


def cell_padding(s) -> list:
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), s.pad * 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), s.pad * TOP_PAD),
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


# ── long cells: the rest goes to a numbered note after the table ─────────────────────

LONG_CELL_KEEP = 20  # words a long cell keeps at least; as many as its row's next-longest cell if more


def long_cells_as_notes(render):
    """A layout of a comparison whose long cells (aidpress.thresholds.long_cells) print
    their first words in the cell, then "(more in note N)", and the rest as note N after
    the table: the row stays about as tall as its other cells, so the next row follows it on
    the same page. Grid or stacked blocks, every paper: the same cells, cut the same way."""

    @functools.wraps(render)
    def with_notes(aid: Comparison, ctx: Context) -> list[Flowable]:
        short, notes = split_long_cells(aid, ctx)
        return render(short, ctx) + notes

    return with_notes


def split_long_cells(aid: Comparison, ctx: Context) -> tuple[Comparison, list[Flowable]]:
    """The aid with each long cell cut to its first part and a note marker, and the notes."""
    labels, notes, rows = ctx.labels, [], []
    for row in aid.rows:
        cells = dict(row.cells)
        for option, next_longest in long_cells(row.cells):
            kept, rest = cut_cell(row.cells[option], max(next_longest, LONG_CELL_KEEP))
            n = len(notes) + 1
            marker = labels["more_in_note"].format(n=n).rsplit(" ", 1)
            cells[option] = f"{kept} {NBSP.join(marker)}"  # "note 1)" together, never "1)" alone
            lead = labels["long_cell_note"].format(n=n, option=aid.options[option], aspect=row.aspect)
            notes.append(para(rest, ctx.styles.body, bold_lead=lead))
        rows.append(dataclasses.replace(row, cells=cells) if cells != row.cells else row)
    if not notes:
        return aid, []
    return dataclasses.replace(aid, rows=tuple(rows)), [Spacer(0, ctx.scale.gap)] + notes


NBSP = "\u00a0"
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def cut_cell(text: str, keep: int) -> tuple[str, str]:
    """The first part of a cell and the rest: up to the last sentence end within its first
    `keep` words if that keeps at least half of them, else the first sentence end within
    1.5 × `keep` words, else `keep` words (a word boundary)."""
    words = list(re.finditer(r"\S+", text))[:keep * 3 // 2]
    sentences = [i + 1 for i, word in enumerate(words) if SENTENCE_END.search(word.group())]
    within = [n for n in sentences if keep / 2 <= n <= keep]
    beyond = [n for n in sentences if n > keep]
    end = words[(within[-1] if within else beyond[0] if beyond else keep) - 1].end()
    return text[:end], text[end:].strip()


@long_cells_as_notes
def render(aid: Comparison, ctx: Context) -> list[Flowable]:
    """Side by side, always in regular print (long words hyphenate, columns balance).
    In large print, when a column is too narrow for its syllables, each aspect becomes
    a block listing every option in turn (and the build says so, see `stacks`)."""
    aid = dataclasses.replace(aid, rows=tuple(shown_rows(aid, ctx)))  # columns are measured on what prints
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


def cell_text(row: Row, option: str, ctx: Context) -> str:
    """What a row prints for an option. On the cost row, for an option the clinic charges
    for: the clinic's own fee (clinic.yaml `fees:`, by the option's id); without one, the
    cell's text (the sources' prices, their currency named) and "Ask us for our price" —
    never a web price as if it were the clinic's."""
    text = row.cells[option]
    if option in row.cost:
        fee = ctx.clinic.fee(option)
        if fee is not None:
            return ctx.labels["our_price"].format(fee=fee)
        return " ".join(t for t in (text, ctx.labels["ask_price"]) if t)
    return text or ctx.labels["empty_cell"]


def shown_rows(aid: Comparison, ctx: Context) -> list[Row]:
    """The rows as printed: the cost row with the clinic's fees (see cell_text)."""
    return [row if not row.cost else dataclasses.replace(row, cells={o: cell_text(row, o, ctx) for o in row.cells})
            for row in aid.rows]


def stacks(aid: Comparison, ctx: Context) -> bool:
    return ctx.scale.large and not words_fit(aid, ctx, column_widths(aid, ctx))


def side_by_side(aid: Comparison, ctx: Context, widths: list[float]) -> list[Flowable]:
    st, s = ctx.styles, ctx.scale
    # Only the cells' body text hyphenates; column heads and row labels wrap only at a
    # word's own hyphen ("anti-" / "inflammatory"), and in large print not even there.
    if s.large:
        head_style, bold, text = st.cell_head, st.cell_bold, st.cell
    else:
        head_style = st.derived("cell_head_c", "cell_head", **compound_breaks())
        bold = st.derived("cell_bold_c", "cell_bold", **compound_breaks())
        text = st.derived("cell_h", "cell", **hyphenation(aid.language))
    # Tagged (docs/accessibility.md): a Table, a TR per row, the heads TH for their column,
    # each aspect TH for its row, the options' text TD.
    grid = Node("Table")
    row_of = Node("TR", "AidHeadRow")
    head = [cell(para(h, head_style), "TH", (grid, row_of), COLUMN)
            for h in [aid.aspect_label, *aid.options.values()]]
    body = []
    for row in aid.rows:
        row_of = Node("TR", "AidRow")
        body.append([cell(para(row.aspect, bold), "TH", (grid, row_of), ROW)]
                    + [cell(para(row.cells[o] or ctx.labels["empty_cell"], text), "TD", (grid, row_of))
                       for o in aid.options])
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
        # Tagged: the block is a Table (its unit); its head, the aspect, a TH over both
        # columns; then a TR per option, its name a TH for the row, its text a TD.
        # The aspect label is kept: "What matters: Cost".
        head = Node("TR", "AidHeadRow")
        rows = [[cell(para(row.aspect, st.cell_head, bold_lead=f"{aid.aspect_label}:"), "TH", (head,),
                      {**COLUMN, "ColSpan": 2}), ""]]
        for o, name in aid.options.items():
            row_of = Node("TR", "AidRow")
            rows.append([cell(para(name, st.cell_bold), "TH", (row_of,), ROW),
                         cell(para(row.cells[o] or ctx.labels["empty_cell"], st.cell), "TD", (row_of,))])
        commands = [("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (-1, 0), s.accent)] + cell_padding(s) + [
            ("LINEBELOW", (0, 1), (-1, -2), s.rule / 2, RULE),
            ("BOX", (0, 0), (-1, -1), s.rule, s.accent),
        ]
        block = table(rows, widths, ctx, commands, repeatRows=1, splitInRow=1)
        block.spaceAfter = s.gap
        marked = Unit(block, "AidBlock", role="Table")  # the audit sees a short block split
        # A block shorter than half a page never splits: a row left on the next page reads
        # as another aspect. As designed, neither does one that fits a page; when that
        # would leave a page under half full (fitting.Attempt.lists_split) it splits between
        # rows. Half a page as the page audit measures it: between the rules, and a split
        # block's parts from the first text of its continued part (its top padding not
        # counted), so a block just over half a page here would read as under it there.
        height = block.wrap(ctx.frame_width, ctx.frame_height)[1]
        half = SHORT_BLOCK * ctx.page_height + s.pad * TOP_PAD
        whole = height < (half if ctx.lists_split else 0.9 * ctx.frame_height)
        blocks.append(KeepTogether([marked]) if whole else marked)
    return blocks
