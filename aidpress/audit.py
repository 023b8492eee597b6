"""The page audit: reads a built PDF back and says what a clinic would not print.

For each page it measures how much of the frame is used and the smallest type on it,
and it reports defects: text that overlaps other text, anything outside the frame,
type below a floor, a page holding only a little closing matter, and units split
across a page break. Units are read from the PDF's structure tree (layouts/tagging.py):
each element the renderer kept together carries its kind as its class (/C Keep, Row,
…; the ClassMap says so as UserProperties), and the page's characters point to their
elements through their marked-content ids and the tree's ParentTree; a character belongs
to every unit its element sits in. Pieces that must share a page but are different
elements (a quiz's totals row and its rules) carry one `aidpress-tie` number. A PDF with
no structure tree (rendered untagged: layouts.page.TAGGED off, for the benchmark) is read by the renderer's
own marks instead (layouts/units.py: `/AidKeep <</MCID n>> BDC`). The kinds:

  AidKeep       a unit that must never split (quiz question with its boxes, flowchart
                step with its branches, checklist item)
  AidRow        a table row: may split only when it alone is taller than a page, and
                then with at least two lines on each side
  AidHead       a heading: at least two lines of what it heads follow on its page
  AidHeadRow    a table's header row: at most once a page, never last on a page
  AidTrail      closing matter; a page holding only that, and little of it (or what would
                have fitted on the page before), is waste
  AidBlock      a block of rows (a stacked comparison's aspect): never split when shorter
                than half a frame
  AidTie        separate pieces that must share a page (a quiz's totals row and the rules
                for reading it)

And a page under half full before the last is waste (the content after it could have
begun there), unless the next page begins with a unit that never splits and is taller
than the room left (it could not have begun there), is of another size (a landscape
table), or begins a new part (`half_full=False` for packs and print runs, whose
members end short).
  AidValue      a patient's value stamped on a per-patient sheet: never below the floor
                (a shrunk value: the form's label at body size, the patient's name in 8 pt)

The running header and footer are pagination artifacts holding an `AidChrome` mark; their
rules bound the frame. Other artifact text is a table's header row repeated on a
continuation page.

Hyphenation is read from the lines themselves: a line ending in a letter and "-" whose
column goes on below is a break. It is a compound wrapping when the joined word is
printed whole elsewhere in the PDF or is among the `compounds` given ("long-" / "term");
otherwise it is a hyphenation, a defect in a heading, column head or any bold label, or
when the broken part is under 8 letters or leaves fewer than 3 on either side
(layouts/text.py's rule).

The frame is the band between the header rule and the footer rule (the chrome's two
full-width lines), from the left to the right end of those rules.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .thresholds import (HALF_FULL, HYPHEN_SIDE, HYPHEN_WORD, ROOM_SPARE, SHORT_BLOCK, SMALLEST,  # noqa: F401
                         SPLIT_ROW_MIN,  # (SMALLEST: for callers)
                         TRAILING_LITTLE)

TOLERANCE = 1.0  # pt: ruled boxes at the frame's edge draw half their line outside it


@dataclass(frozen=True)
class Defect:
    """Something a clinic would not print: where, what kind, and the detail."""

    page: int  # 1-based, as printed in the PDF (not the "Page N of M" label)
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.detail}"


@dataclass
class PageReport:
    """One page's measures: how full, its smallest text, whether only closing matter is on it."""

    number: int
    used: float  # fraction of the frame's height down to the lowest drawn thing
    smallest: float  # pt, smallest text on the page (chrome included)
    trailing_only: bool


@dataclass
class Report:
    """The audit of one PDF: a report per page, and every defect found."""

    pages: list[PageReport] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)

    @property
    def smallest(self) -> float:
        return min((p.smallest for p in self.pages), default=0.0)


@dataclass
class _Frame:
    """The page's frame (where content may go), in pdfplumber's coordinates."""

    left: float
    right: float
    top: float  # pdfplumber's 'top' coordinates: distance from the page's top edge
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def spelled_with_hyphens(*sources: str) -> frozenset[str]:
    """The words a source text spells with a hyphen ("long-term"): a line may end at that
    hyphen, so they are the `compounds` its PDF is audited with."""
    return frozenset(w for text in sources for w in re.findall(r"\w+(?:-\w+)+", text))


def audit(pdf: bytes, *, min_size: float = 0.0, compounds: frozenset[str] = frozenset(),
          half_full: bool = True) -> Report:
    """Measure every page of a PDF; `min_size` is the smallest type allowed (pt);
    `compounds`: words the source spells with a hyphen (a line may end at it);
    `half_full`: every page before the last is at least half full (not for a pack or a
    print run, joined from separate handouts)."""
    import pdfplumber  # a runtime dependency, imported only when an audit runs

    report = Report()
    units: dict[tuple[str, int], list[tuple[int, list[dict]]]] = defaultdict(list)
    frames: dict[int, _Frame] = {}
    breaks: list[tuple[int, _Break]] = []
    whole: set[str] = set()
    sizes: list[tuple[float, float]] = []
    block_tops: dict[int, list[float]] = {}  # where each block drawn on a page begins
    lowests: dict[int, float] = {}
    leads: dict[int, float] = {}  # the height of the unsplit unit a page begins with (0: none)
    structure = _structure(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            frame = _frame_of(page)
            _read_units(page, number - 1, structure)
            lines = _text_lines([c for c in page.chars if c["text"].strip() and not c["chrome"]])
            whole |= {w for line in lines for w in _words(line) if "-" in w.strip("-")}
            breaks += [(number, b) for b in _line_breaks(lines)]
            chars = [c for c in page.chars if c["text"].strip()]
            frames[number] = frame
            sizes.append((round(float(page.width)), round(float(page.height))))
            body_chars = [c for c in chars if not c["chrome"]]
            shapes = [o for o in page.rects + page.lines + page.curves if not o["chrome"]]
            by_unit: dict[tuple[str, object], list[dict]] = defaultdict(list)
            for c in body_chars + shapes:
                for key in c["units"]:
                    by_unit[key].append(c)
            for key, objs in by_unit.items():
                units[key].append((number, objs))

            lowest = max((o["bottom"] for o in body_chars + shapes), default=frame.top)
            leads[number] = _lead(by_unit, body_chars + shapes)
            block_tops[number] = sorted(min(o["top"] for o in objs) for (tag, _), objs in by_unit.items()
                                        if tag == "AidBlock")
            lowests[number] = lowest
            used = max(0.0, min(1.0, (lowest - frame.top) / frame.height)) if frame.height > 0 else 0.0
            trailing = bool(body_chars) and all(_kinds(c) & TRAIL for c in body_chars)
            smallest = min((c["size"] for c in chars), default=0.0)
            report.pages.append(PageReport(number, used, smallest, trailing))

            def defect(kind: str, detail: str, _n=number) -> None:
                report.defects.append(Defect(_n, kind, detail))

            room_before = 1 - report.pages[-2].used if number > 1 else 0.0
            if trailing and number > 1 and (used < TRAILING_LITTLE or used + ROOM_SPARE < room_before):
                defect("trailing-page", f"holds only closing matter ({used:.0%} of the frame; "
                       f"{room_before:.0%} was free on the page before): {_text(body_chars)[:60]!r}")
            shrunk = [c for c in chars if "AidValue" in _kinds(c) and c["size"] < min_size - 0.05]
            if shrunk:
                defect("shrunk-value", f"a patient's value in {min(c['size'] for c in shrunk):.1f} pt < "
                       f"{min_size:g} pt, after {_label_of(shrunk[0], chars)!r}")
            small = [c for c in chars if c["size"] < min_size - 0.05 and "AidValue" not in _kinds(c)]
            if small:
                defect("small-text", f"{min(c['size'] for c in small):.1f} pt < {min_size:g} pt: "
                       f"{_text(small)[:60]!r}")
            for c in body_chars:
                if _outside(c, frame):
                    defect("outside-frame", f"text {_text([c])!r} at top {c['top']:.0f}")
                    break
            for o in shapes:
                if _outside(o, frame):
                    defect("outside-frame", f"a drawn {o['object_type']} at top {o['top']:.0f}")
                    break
            for a, b in _overlaps(chars):
                defect("overlap", f"{_near(chars, a)!r} overlaps {_near(chars, b)!r}")
                break
            for (tag, mcid), objs in by_unit.items():
                if tag in ("AidHead", "AidTrailHead"):
                    _check_heading(objs, body_chars, frame, defect)
                if tag == "AidHeadRow":
                    below = [c for c in body_chars if c["top"] > max(o["bottom"] for o in objs) + 1
                             and (tag, mcid) not in c["units"]]
                    if not below:
                        defect("header-row", f"a table's header row ends the page: {_text(objs)[:50]!r}")
            # Counted per table (its unit's id), not per text: two tables may share a heading.
            for (tag, mcid), objs in by_unit.items():
                if tag == "AidHeadRow" and _runs(objs) > 1:
                    defect("header-row", f"a table's header row appears {_runs(objs)} times on the page: "
                                         f"{_text(objs)[:50]!r}")

    if half_full:
        for page, next_size in zip(report.pages, sizes[1:]):
            room = (1 - page.used) * frames[page.number].height
            if page.used < HALF_FULL and sizes[page.number - 1] == next_size and not leads[page.number + 1] > room:
                report.defects.append(Defect(page.number, "half-empty", f"only {page.used:.0%} of the frame is used "
                                             "on a page before the last"))
    for (tag, mcid), occurrences in units.items():
        if tag in ("AidChrome", "AidHeadRow"):
            continue
        # A merged print run repeats one sheet's pages: a unit on pages 1, 3 and 5, or the
        # same unit drawn alike on pages 1 and 2, is copies, not a split.
        for parts in _runs_of_pages(occurrences):
            if len(parts) > 1:
                _check_split(tag, parts, frames, report, (block_tops, lowests))
    known = {w.strip(_PUNCT).lower() for w in whole | set(compounds)}
    for number, b in breaks:
        kind = b.defect(known)
        if kind:
            report.defects.append(Defect(number, kind, f"{b.head}- / {b.tail}"))
    report.defects.sort(key=lambda d: d.page)
    return report


# ── hyphenation: lines read back, and where a word was broken ───────────────────────

GAP_WORD = 0.12  # of the type size: a wider gap between two characters is a space
GAP_COLUMN = 0.6  # of the type size: a wider gap on a line is another column (a table cell)


@dataclass(frozen=True)
class _Break:
    """A word broken at a line's end: the word up to the hyphen, the next line's first word."""

    head: str  # as printed, without the line's final hyphen ("anti-inflam")
    tail: str
    label: bool  # the head is bold or part of a heading or header row

    def defect(self, known: set[str]) -> str | None:
        tail = _leading_letters(self.tail)
        joined = f"{self.head}-{tail}".lower().strip(_PUNCT)
        if not tail or any(joined in word for word in known):
            return None  # a compound wrapping at its own hyphen ("one-" / "to-one" too)
        part = self.head.rsplit("-", 1)[-1]
        part = part[len(part) - len(part.lstrip(_PUNCT)):]
        if self.label:
            return "hyphenated-label"
        if len(part) + len(tail) < HYPHEN_WORD or min(len(part), len(tail)) < HYPHEN_SIDE:
            return "short-hyphenation"
        return None


_PUNCT = "'\"([{¿‘‚“„]'\")}?!.,;:’‛”‟"
LABEL_TAGS = ("AidHead", "AidHeadRow", "AidTrailHead")
LABEL_TYPES = ("H1", "H2", "H3", "H4", "TH")  # structure types of labels (a tagged PDF's content tags)
TRAIL = {"AidTrail", "AidTrailHead"}


def _leading_letters(word: str) -> str:
    word = word.lstrip(_PUNCT)
    n = 0
    while n < len(word) and word[n].isalpha():
        n += 1
    return word[:n]


def _text_lines(chars: list[dict]) -> list[list[dict]]:
    """Runs of characters on one baseline with no column gap between them, top to bottom."""
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        if rows and abs(rows[-1][-1]["bottom"] - c["bottom"]) < 0.3 * c["size"] \
                and c["x0"] - rows[-1][-1]["x1"] < GAP_COLUMN * c["size"]:
            rows[-1].append(c)
        else:
            rows.append([c])
    return rows


def _words(line: list[dict]) -> list[str]:
    words, last = [""], None
    for c in line:
        if last is not None and c["x0"] - last["x1"] > GAP_WORD * c["size"]:
            words.append("")
        words[-1] += c["text"]
        last = c
    return [w for w in words if w]


def _line_breaks(lines: list[list[dict]]) -> list[_Break]:
    """Every line ending in a letter and "-" with a line below it in the same column (its
    left edge within 2 pt, the next baseline down within two line heights)."""
    out = []
    for line in lines:
        words = _words(line)
        if len(line) < 2 or line[-1]["text"] != "-" or not line[-2]["text"].isalpha():
            continue
        if not words or len(words[-1]) < 2:  # a dash standing alone ("syndrome -"): no word was broken
            continue
        size, left, bottom = line[-1]["size"], line[0]["x0"], line[-1]["bottom"]
        below = [ln for ln in lines if abs(ln[0]["x0"] - left) < 2 and size * 0.5 < ln[0]["bottom"] - bottom < size * 2.5]
        if not below:
            continue
        nxt = min(below, key=lambda ln: ln[0]["bottom"])
        head_chars = line[len(line) - len(words[-1]):-1]
        label = any("Bold" in c.get("fontname", "") or _kinds(c) & set(LABEL_TAGS) or c.get("tag") in LABEL_TYPES
                    for c in head_chars)
        out.append(_Break(words[-1][:-1], _words(nxt)[0], label))
    return out


def _runs_of_pages(occurrences: list) -> list[list]:
    runs: list[list] = []
    for number, objs in occurrences:
        if runs and runs[-1][-1][0] == number - 1 and not _alike(runs[-1][-1][1], objs):
            runs[-1].append((number, objs))
        else:
            runs.append([(number, objs)])
    return runs


def _alike(a: list[dict], b: list[dict]) -> bool:
    """The same drawing at the same place: a copy of a page, not the next part of a unit."""
    return (_text(a) == _text(b) and len(a) == len(b)
            and round(min(o["top"] for o in a)) == round(min(o["top"] for o in b)))


def _check_split(tag: str, parts: list, frames: dict, report: Report, extents: tuple) -> None:
    if True:
        pages = [n for n, _ in parts]
        first_text = next((_text([o for o in objs if "text" in o]) for _, objs in parts
                           if any("text" in o for o in objs)), "")
        if tag == "AidKeep":
            report.defects.append(Defect(pages[0], "split-unit",
                                         f"one unit runs over pages {pages}: {first_text[:60]!r}"))
        elif tag == "AidTie":
            report.defects.append(Defect(pages[0], "parted", f"what belongs on one page runs over pages {pages} "
                                         f"(a totals row and the rules for reading it): {first_text[:60]!r}"))
        elif tag == "AidBlock":
            # A part runs from where it begins (its heading row) to where the next block on
            # its page begins, or to the lowest thing on the page.
            block_tops, lowests = extents
            height = 0.0
            for number, objs in parts:
                top = min(o["top"] for o in objs)
                height += min([t for t in block_tops[number] if t > top + 1] + [lowests[number]]) - top
            if height < SHORT_BLOCK * max(frames[n].height for n in pages):
                report.defects.append(Defect(pages[0], "split-block", f"a block shorter than half a page runs "
                                             f"over pages {pages}: {first_text[:60]!r}"))
        elif tag in ("AidRow", "AidTrail", "AidHead", "AidTrailHead"):
            heights = [max(o["bottom"] for o in objs) - min(o["top"] for o in objs) for _, objs in parts]
            lines = [len(_lines([o for o in objs if "text" in o])) for _, objs in parts]
            frame_h = max(frames[n].height for n in pages)
            # Only the row's drawn text and boxes are measured, not its cell padding or the
            # header row repeated above it: a row measuring under three quarters of a frame
            # could not have been taller than a page.
            if tag == "AidRow" and sum(heights) < frame_h * SPLIT_ROW_MIN:
                report.defects.append(Defect(pages[0], "split-row", f"a row shorter than a page runs over "
                                             f"pages {pages}: {first_text[:60]!r}"))
            elif min(lines) < 2:
                report.defects.append(Defect(pages[0], "split-stub", f"a split leaves {min(lines)} line(s) "
                                             f"on one page (pages {pages}): {first_text[:60]!r}"))


def _lead(by_unit: dict, objs: list[dict]) -> float:
    """The height of the unit that never splits (a step, a question row, a block kept
    whole) a page begins with, below any repeated header row; 0 when it begins otherwise.
    A page before it may be under half full: the unit could not have begun there."""
    # (a table's own rules and shading are drawn outside its rows' marks: not text, they do not count)
    body = [o for o in objs if "AidHeadRow" not in _kinds(o) and ("text" in o or o["units"])]
    if not body:
        return 0.0
    first = min(body, key=lambda o: o["top"])
    key = next((k for k in first["units"] if k[0] in ("AidKeep", "AidRow", "AidBlock")), None)
    if key is None or key not in by_unit:
        return 0.0
    unit = by_unit[key]
    top = min(o["top"] for o in unit)
    if "AidRow" not in _kinds(first):
        # A flowchart's step resumed on a new page begins under "continued from page N"
        # and its arrow's label, a pagination artifact drawn in the step's own row (it
        # would have come with the step to the page before); a table's repeated header
        # row, above a table's row, would not.
        above = [o["top"] for o in objs if "text" in o and _kinds(o) == {"AidHeadRow"} and o["top"] < top]
        top = min([top, *above])
    return max(o["bottom"] for o in unit) - top


def _frame_of(page) -> _Frame:
    rules = [ln for ln in page.lines if ln.get("tag") == "AidChrome" and abs(ln["top"] - ln["bottom"]) < 0.5]
    if len(rules) < 2:
        return _Frame(0, float(page.width), 0, float(page.height))
    header = min(rules, key=lambda ln: ln["top"])
    footer = max(rules, key=lambda ln: ln["top"])
    return _Frame(min(header["x0"], footer["x0"]), max(header["x1"], footer["x1"]), header["bottom"], footer["top"])


# ── units: from the structure tree (or, untagged, the renderer's marks) ───────────


def drawn_units(pdf: bytes) -> dict[tuple[str, object], list[tuple[int, dict]]]:
    """Every unit of a PDF, (kind, identity) → its drawn characters and shapes as
    (1-based page, pdfplumber object), in page order: what the audit reads, for tests
    and tools that measure units themselves."""
    import pdfplumber

    structure = _structure(pdf)
    units: dict[tuple[str, object], list[tuple[int, dict]]] = defaultdict(list)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            _read_units(page, number - 1, structure)
            for o in page.chars + page.rects + page.lines + page.curves:
                for key in o["units"]:
                    units[key].append((number, o))
    return dict(units)



def _structure(pdf: bytes) -> dict[tuple[int, int], list[tuple[str, object]]] | None:
    """For each (page index, MCID) of a tagged PDF, the units its element sits in,
    innermost first, as (kind, identity); None when the PDF has no structure tree."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tree = doc.Root.get("/StructTreeRoot")
        if tree is None:
            return None
        parents = dict(_number_tree(tree.get("/ParentTree")))
        chains: dict[tuple[int, int], list] = {}

        def units_of(element) -> list:
            found = chains.get(element.objgen)
            if found is None:
                parent = element.get("/P")
                up = units_of(parent) if parent is not None and parent.get("/Type") == "/StructElem" else []
                found = _unit_of(element) + up
                chains[element.objgen] = found
            return found

        out: dict[tuple[int, int], list] = {}
        for index, page in enumerate(doc.pages):
            key = page.obj.get("/StructParents")
            elements = parents.get(int(key)) if key is not None else None
            for mcid, element in enumerate(elements or []):
                if isinstance(element, pikepdf.Dictionary):
                    out[index, mcid] = units_of(element)
        return out


def _number_tree(node):
    """The (key, value) pairs of a PDF number tree."""
    if node is None:
        return
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids") or []:
        yield from _number_tree(kid)


def _unit_of(element) -> list:
    """The unit an element is (its class names its kind), as [(kind, identity)] or []."""
    import pikepdf

    cls = element.get("/C")
    if cls is None:
        return []
    names = [str(c) for c in cls] if isinstance(cls, pikepdf.Array) else [str(cls)]
    kinds = ["Aid" + n.lstrip("/") for n in names]
    tie = _tie_of(element)
    return [(k, ("tie", tie) if tie is not None and k == "AidTie" else element.objgen) for k in kinds]


def _tie_of(element):
    import pikepdf

    attributes = element.get("/A")
    if attributes is None:
        return None
    for owned in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
        if isinstance(owned, pikepdf.Dictionary) and owned.get("/O") == "/UserProperties":
            for prop in owned.get("/P") or []:
                if str(prop.get("/N")) == "aidpress-tie":
                    return int(prop.get("/V"))
    return None


def _read_units(page, index: int, structure) -> None:
    """Give each character and shape of a page `units` (the units it belongs to) and
    `chrome` (part of the running header or footer)."""
    if structure is None:
        for o in page.chars + page.rects + page.lines + page.curves:
            tag, mcid = str(o.get("tag") or ""), o.get("mcid")
            o["chrome"] = tag == "AidChrome"
            o["units"] = [(tag, mcid)] if tag.startswith("Aid") and tag != "AidChrome" and mcid is not None else []
        return
    last, before = None, None
    for c in page.chars:  # (in drawing order: a character after a nested mark, e.g. a Span's
        # ActualText, is given no MCID by pdfplumber though it is still in its element's)
        if c.get("mcid") is not None:
            last = c["mcid"]
        elif c.get("tag") != "Artifact":
            c["mcid"] = last
        elif c["text"] == "-" and before is not None and before.get("mcid") is not None:
            # a hyphen ReportLab added at a line end, drawn as an artifact right after the
            # word's head (layouts/tagging.py): printed with the head's unit
            c["mcid"], c["tag"] = before["mcid"], before.get("tag")
        before = c
    for o in page.chars + page.rects + page.lines + page.curves:
        o["chrome"] = o.get("tag") == "AidChrome"
        if o.get("tag") == "Artifact" and "text" in o:
            o["units"] = [("AidHeadRow", ("repeated", index))]  # a header row read on an earlier page
        else:
            o["units"] = structure.get((index, o.get("mcid")), []) if o.get("mcid") is not None else []


def _kinds(o: dict) -> set[str]:
    return {kind for kind, _ in o["units"]}


def _outside(o: dict, f: _Frame) -> bool:
    return (o["x0"] < f.left - TOLERANCE or o["x1"] > f.right + TOLERANCE
            or o["top"] < f.top - TOLERANCE or o["bottom"] > f.bottom + TOLERANCE)


def _text(objs: list[dict]) -> str:
    return "".join(o.get("text", "") for o in objs if "text" in o)


def _lines(chars: list[dict]) -> set[int]:
    return {round(c["bottom"]) for c in chars}


def _runs(objs: list[dict]) -> int:
    """How many separate copies of a header row one page shows (by distinct first-line tops)."""
    tops = sorted({round(o["top"]) for o in objs if "text" in o})
    runs, last = 0, None
    for t in tops:
        if last is None or t - last > 60:
            runs += 1
        last = t
    return runs


def _check_heading(objs: list[dict], body_chars: list[dict], frame: _Frame, defect) -> None:
    text = [o for o in objs if "text" in o]
    if not text:
        return
    bottom = max(o["bottom"] for o in text)
    left = min(o["x0"] for o in text)
    below = [c for c in body_chars if c["top"] >= bottom - 0.5 and c not in objs]
    # What a heading heads lies below it; in a side column, below it in that column.
    column = [c for c in below if c["x1"] > left - 1 and c["x0"] < frame.right]
    if len(_lines(column)) < 2:
        defect("heading-alone", f"heading {_text(text)[:50]!r} has {len(_lines(column))} line(s) after it")


def _overlaps(chars: list[dict]):
    """Pairs of characters whose boxes overlap by more than a fifth of the smaller one."""
    cell = 6.0
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(chars):
        for gx in range(int(c["x0"] // cell), int(c["x1"] // cell) + 1):
            for gy in range(int(c["top"] // cell), int(c["bottom"] // cell) + 1):
                grid[gx, gy].append(i)
    seen = set()
    for members in grid.values():
        for k, i in enumerate(members):
            a = chars[i]
            for j in members[k + 1:]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                b = chars[j]
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - min(max(a["top"], b["top"]), 1e9)
                if w <= 0 or h <= 0:
                    continue
                smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]),
                              (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
                if smaller > 0 and w * h > 0.2 * smaller:
                    yield a, b


def _label_of(value: dict, chars: list[dict]) -> str:
    """The printed text left of a value on its line (its label), to name it without the value."""
    line = sorted((o for o in chars if abs(o["bottom"] - value["bottom"]) < 1.5 and o["x1"] <= value["x0"] + 0.5
                   and "AidValue" not in _kinds(o)), key=lambda o: o["x0"])
    text = ""
    for before, o in zip([None] + line, line):  # the page's spaces are not among `chars`: gaps are
        gap = before is not None and o["x0"] - before["x1"] > o["size"] * 0.15
        text += " " * gap + o["text"]
    return text[-40:]


def _near(chars: list[dict], c: dict) -> str:
    """The text around a character on its line, to name it in a message."""
    line = sorted((o for o in chars if abs(o["top"] - c["top"]) < 0.5 and abs(o["x0"] - c["x0"]) < 80),
                  key=lambda o: o["x0"])
    return "".join(o["text"] for o in line)
