"""The limits a printed page is held to: what the page audit (aidpress/audit.py) judges
by, and what the layout (layouts/) aims for so that it passes. One module both import,
so the layout never imports its judge and the two cannot drift apart.

Fractions are of the page's frame (the band between the header and footer rules).
"""

from __future__ import annotations

# A page of only closing matter (notes, sources, clinic box) is waste when it holds "a
# little" — under a quarter of its frame — or when it would have fitted in the room left
# on the page before (with 5% of a frame to spare for the space above its heading). A
# fuller back page of notes and sources is worth its page.
TRAILING_LITTLE = 0.25
ROOM_SPARE = 0.05
SPLIT_ROW_MIN = 0.75  # a table row split across pages must measure at least this much
# The smallest type a handout may use anywhere on a page (pt): regular print, large print.
SMALLEST = {False: 10.0, True: 16.0}
# A word hyphenated at a line end (layouts/text.py hyphenates by it, the audit checks it):
# at least this many letters in the part broken, and at least this many on each side.
HYPHEN_WORD, HYPHEN_SIDE = 8, 3

# A comparison cell is "long" (its rest is printed as a note after the table, and `check`
# says so) when it has more than LONG_CELL_WORDS words AND more than LONG_CELL_RATIO times
# the words of its row's next-longest cell (docs/format.md, "Long cells"). In words, not
# laid-out lines, so that `check`, A4, Letter and large print all split the same cells.
LONG_CELL_WORDS = 100
LONG_CELL_RATIO = 3


def long_cells(cells: dict) -> list[tuple]:
    """The long cells of one comparison row ({option: text or None}), in column order, each
    as (option, words of the row's next-longest cell)."""
    words = {option: len((text or "").split()) for option, text in cells.items()}
    out = []
    for option, n in words.items():
        others = max((m for o, m in words.items() if o != option), default=0)
        if n > LONG_CELL_WORDS and n > LONG_CELL_RATIO * others:
            out.append((option, others))
    return out
# A page before the last is waste when under half its frame is used: the content after
# it could have begun there. (A pack's member, or a print run's sheet, ends a part: the
# page before the next part is its last.)
HALF_FULL = 0.5
# A block listing every option for one aspect (a large-print comparison set stacked) is
# "short" under half a frame: it never splits across pages.
SHORT_BLOCK = 0.5
