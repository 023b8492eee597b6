"""Reading handouts back: text (pypdf), body text without page chrome, and geometry."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

import pdfplumber
from pypdf import PdfReader

from aidpress.model import Aid, Checklist, Comparison, Flowchart, Quiz, Worksheet


def norm(text: str) -> str:
    """Compare text as a reader sees it: NFC, no soft hyphens, whitespace folded, and
    hyphens inside words dropped: comparison cells hyphenate long words at line ends
    ("myofas- cial"), and break after a word's own hyphen ("anti- inflammatory")."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"(?<=[^\W\d_])-\s*(?=[^\W\d_])", "", text)
    return " ".join(text.split())


@dataclass
class Page:
    text: str  # everything on the page
    body: str  # only what is inside the body frame (no header or footer)
    sizes: list[tuple[str, float]]  # (text, font size) of every body text run


def read(pdf: bytes) -> list[Page]:
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        top = float(page.mediabox.top)
        runs: list[tuple[float, str, float]] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((y, text, size * (cm[3] or 1)))

        full = page.extract_text(visitor_text=visit)
        # Header and footer are drawn after the body, starting with the running header
        # in the top margin band, where body text never goes: the body is what precedes it.
        chrome = next((i for i, (y, _, _) in enumerate(runs) if y > top - 16 * 72 / 25.4), len(runs))
        body = [(t, s) for _, t, s in runs[:chrome]]
        pages.append(Page(norm(full), norm(" ".join(t for t, _ in body)), body))
    return pages


PAGE_BREAK = " \f "


def body_text(pdf: bytes) -> str:
    """The body text of every page, pages separated by a form feed (see assert_in_order)."""
    return PAGE_BREAK.join(p.body for p in read(pdf))


def _find_whole(text: str, needle: str, at: int) -> int:
    """End of the first whole occurrence of needle at or after `at`, or -1.

    A table row split across two pages prints the first part of a cell, then the rest of
    that row and the next page's repeated header, then the rest of the cell: a needle
    may therefore be split once, at a page break, into a head ending its page and a tail
    on the next page. The row's other cells print between the two, so the search for the
    next needle resumes right after the head."""
    found = text.find(needle, at)
    if found >= 0:
        return found + len(needle)
    words = needle.split(" ")
    for k in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        start = text.find(head, at)
        while start >= 0:
            brk = text.find("\f", start + len(head))
            if brk < 0:
                break
            next_brk = text.find("\f", brk + 1)
            end = text.find(tail, brk)
            if end >= 0 and (next_brk < 0 or end < next_brk):
                return start + len(head)
            start = text.find(head, start + 1)
    return -1


def assert_in_order(haystack: str, needles: list[str]) -> None:
    """Each needle appears whole, each after the one before."""
    at = 0
    for needle in needles:
        end = _find_whole(haystack, norm(needle), at)
        assert end >= 0, f"not found (in order) after position {at}: {needle!r}\n--- text from there:\n{haystack[at:at + 400]}"
        at = end


def stroked_squares(pdf: bytes, min_mm: float = 5.0) -> list[list[dict]]:
    """Per page: stroked, unfilled, square rectangles at least min_mm wide (pen boxes)."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            boxes = [r for r in page.rects
                     if r["stroke"] and not r["fill"] and abs(r["width"] - r["height"]) < 0.5
                     and r["width"] >= min_mm * 72 / 25.4]
            out.append(sorted(boxes, key=lambda r: (round(r["top"]), r["x0"])))
    return out


def expected_texts(aid: Aid, stacked: bool = False, fields_last: bool = False) -> list[str]:
    """Every text from the YAML, in the order the handout prints it. `stacked`: a
    comparison printed as one block per aspect (large print with narrow columns);
    `fields_last`: a checklist whose patient details could not share page 1 with its
    warnings, so they follow them (layouts/checklist.py)."""
    out = [aid.title] + ([aid.subtitle] if aid.subtitle else []) + list(aid.intro)
    if stacked:
        out += _stacked(aid)
    elif isinstance(aid, Checklist):
        out += _checklist(aid, fields_last)
    else:
        out += KIND_TEXTS[type(aid)](aid)
    return out + _blocks(aid) + list(aid.notes) + _about(aid)


def _blocks(aid: Aid) -> list[str]:
    """The values worksheet and the SURE test, after the kind's own content."""
    out = []
    values, sure = getattr(aid, "values", None), getattr(aid, "sure", False)
    if values:
        out += [t for t in (values.heading, values.intro) if t] + list(values.factors)
    if sure and sure is not True:
        out += [t for t in (sure.heading, sure.intro) if t]
    return out


def _about(aid: Aid) -> list[str]:
    """'About this leaflet' on a decision aid; on a checklist, only the sources."""
    if isinstance(aid, Checklist):
        return list(aid.sources)
    a = aid.about
    return ([a.written_by] if a and a.written_by else []) + list(aid.sources) \
        + [t for t in (a and a.update_policy, a and a.funding, a and a.conflicts, aid.disclaimer) if t]


def _comparison(aid: Comparison) -> list[str]:
    out = [aid.aspect_label, *aid.options.values()]
    for row in aid.rows:
        out += [row.aspect] + [_cell(row, o) for o in aid.options if row.cells[o]]
    return out + _long_cell_notes(aid)


def _stacked(aid: Comparison) -> list[str]:
    out = []
    for row in aid.rows:
        out.append(row.aspect)
        for option, name in aid.options.items():
            out += [name] + ([_cell(row, option)] if row.cells[option] else [])
    return out + _long_cell_notes(aid)


def _cell(row, option) -> str:
    """A cell's text; of a long cell (aidpress.thresholds: more than 100 words, more than 3×
    the row's next), only its first word: the rest follows in a note after the table
    (where the whole cell is read back: tests/test_long_cells.py)."""
    from aidpress.thresholds import long_cells

    text = row.cells[option]
    return text.split()[0] if option in dict(long_cells(row.cells)) else text


def _long_cell_notes(aid: Comparison) -> list[str]:
    """After the table, each long cell's last ten words, in its note."""
    from aidpress.thresholds import long_cells

    return [" ".join(row.cells[o].split()[-10:]) for row in aid.rows for o, _ in long_cells(row.cells)]


def _quiz(aid: Quiz) -> list[str]:
    out = []
    if aid.red_flag:  # first, in its own box: what a Yes means is aidpress's wording unless the YAML gives it
        out += [aid.red_flag.question] + ([aid.red_flag.help] if aid.red_flag.help else [])
        out += [aid.red_flag.action] if aid.red_flag.action else []
    out += list(aid.options.values())
    for q in aid.questions:
        out += [q.question] + ([q.help] if q.help else []) + list(aid.answers_for(q))
    return out + [aid.scoring.lean[o] for o in aid.options] + [aid.scoring.otherwise]


def _flowchart(aid: Flowchart) -> list[str]:
    from layouts.flowchart import plan

    out = []
    steps, _ = plan(aid)
    for step in steps:
        node = aid.nodes[step.node_id]
        out += [node.question] + ([node.help] if node.help else [])
        for side in step.sides:  # each box is drawn, then the label on its arrow
            target = aid.nodes[side.target]
            if side.drawn_here:
                out += [target.outcome] + [t for t in (target.detail, target.next_step) if t]
            out.append(side.label)
        if step.down_label:
            out.append(step.down_label)
    return out


def _checklist(aid: Checklist, fields_last: bool = False) -> list[str]:
    """The patient's details, then the warning sections (first, on page 1), then the others
    in their YAML order; or, `fields_last`, the details after the warnings."""
    fields, warnings, others = [f.label for f in aid.fields if f.label], [], []
    for section in aid.sections:
        texts = [section.heading] + ([section.intro] if section.intro else [])
        texts += [t for item in section.items for t in (item.text, *item.details)]
        (warnings if section.warning else others).extend(texts)
    return warnings + fields + others if fields_last else fields + warnings + others


def _worksheet(aid: Worksheet) -> list[str]:
    return list(aid.options.values())


KIND_TEXTS = {Comparison: _comparison, Quiz: _quiz, Flowchart: _flowchart, Checklist: _checklist,
              Worksheet: _worksheet}


def page_numbers(pages: list[Page]) -> list[tuple[int, int]]:
    found = []
    for page in pages:
        m = re.findall(r"Page (\d+) of (\d+)", page.text)
        assert len(m) == 1, f"expected one 'Page N of M' on a page, found {m}"
        found.append(tuple(map(int, m[0])))
    return found


def text_lines(pdf: bytes) -> list[list[str]]:
    """Per page, the text lines as laid out (pdfplumber groups by baseline, left to right)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[norm(line["text"]) for line in page.extract_text_lines()] for page in doc.pages]


def marked_operators(pdf: bytes):
    """Every operator on the pages of a tagged PDF with the marks open around it, for tests
    that check what is content and what is an artifact: (page index, page, the page's
    ParentTree array, marks, operator, operands). `marks`, outermost first, holds "artifact",
    an MCID, or None (any other mark); a BDC or BMC comes with its own mark pushed."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        nums = list(doc.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
        for index, page in enumerate(doc.pages):
            slots, marks = parents[int(page.StructParents)], []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    props = operands[-1] if op == "BDC" else None
                    marks.append("artifact" if str(operands[0]) == "/Artifact"
                                 else int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                                 else None)
                elif op == "EMC":
                    marks.pop()
                yield index, page, slots, marks, op, operands
