"""What layouts/engine.py relies on in ReportLab, checked against the installed release.

An upgrade that moves any of it fails here, by name, rather than as a wrong page later.
pyproject.toml bounds ReportLab at the release line these were checked on.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import reportlab
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table
from reportlab.lib.styles import getSampleStyleSheet

from layouts import engine, render
from aidpress.validate import load_aid

from .conftest import AIDS, CLINIC

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_reportlab_is_the_release_line_checked():
    assert reportlab.Version.startswith(engine.TESTED + "."), reportlab.Version
    pyproject = (ROOT / "pyproject.toml").read_text()
    major, minor = engine.TESTED.split(".")
    assert f'"reportlab[accel]>=5.1.0,<{major}.{int(minor) + 1}"' in pyproject


def test_the_canvas_keeps_a_page_as_operators_and_state():
    canv = Canvas(io.BytesIO())
    canv.drawString(10, 10, "held")
    ops = engine.page_operators(canv)
    assert isinstance(ops, list) and any("held" in op for op in ops)
    assert isinstance(engine.page_colours(canv), dict)
    engine.add_operator(canv, "EMC")
    assert engine.page_operators(canv)[-1] == "EMC"
    held = engine.hold_page(canv)
    assert not any("held" in op for op in engine.page_operators(canv))  # a fresh page
    engine.resume_page(canv, held)
    assert any("held" in op for op in engine.page_operators(canv))
    assert engine.page_size(canv) == canv._pagesize
    engine.clear_page(canv)
    assert engine.page_operators(canv) == [] and canv._formsinuse == []


def test_tables_split_by_rows_or_inside_a_row():
    style = getSampleStyleSheet()["BodyText"]
    rows = [[Paragraph("row %d " % i + "word " * 60, style)] for i in range(6)]
    table = Table(rows, colWidths=[200], splitInRow=1)
    heights = engine.row_heights(table, 200, 300)
    assert len(heights) == 6 and all(h > 0 for h in heights)
    n = engine.first_split_row(table, 300)
    assert 0 < n < 6
    by_rows = engine.split_rows(table, 300, in_row=False)
    in_row = engine.split_rows(table, 300, in_row=True)
    assert len(by_rows) == 2 and len(in_row) == 2
    assert len(engine.cell_values(table)) == 6


def test_containers_and_fixed_sizes():
    keep = KeepTogether([Paragraph("a", getSampleStyleSheet()["BodyText"])])
    assert len(engine.kept_together(keep)) == 1 and engine.contained(keep) == engine.kept_together(keep)
    flowable = Flowable()
    engine.set_fixed_size(flowable, (1, 0))
    assert engine.fixed_size(flowable) == (1, 0)


def test_the_document_page_is_on_the_canvas_while_drawing():
    seen = []

    class Probe(Flowable):
        def wrap(self, w, h):
            return w, 10

        def draw(self):
            seen.append(engine.document_page(self.canv))

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Probe(), Probe()])
    assert seen == [1, 1]


def test_a_wrap_breaks_lines_by_width_alone_and_leaves_its_state_on_the_paragraph():
    style = getSampleStyleSheet()["BodyText"]
    text = "Cupping leaves round marks that fade within a week or two; " * 4
    p = Paragraph("<b>Marks:</b> " + text, style)
    parsed = engine.line_state(p)[0]
    assert engine.line_state(p)[1] is None  # no lines before a wrap
    tall = p.wrap(150, 1000)
    frags, lines = engine.line_state(p)
    assert lines is not None and frags is not parsed  # the first wrap replaces the fragments
    assert engine.same_lines(p, (frags, lines))
    short = p.wrap(150, 20)  # the height offered changes nothing
    assert short == tall and len(engine.line_state(p)[1].lines) == len(lines.lines) > 1
    assert not engine.same_lines(p, (frags, lines))  # each wrap makes new lines
    assert p.split(150, 5) == [] and engine.line_state(p)[1] is None  # no room: the lines are dropped


def test_a_paragraph_that_remembers_its_wrap_draws_what_reportlab_draws():
    from layouts.text import Para

    style = getSampleStyleSheet()["BodyText"]
    text = "<b>Bruising:</b> " + "dry needling can leave a small bruise where the needle went in. " * 6

    def drawn(kind) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, invariant=1)
        p = kind(text, style)
        for width in (200, 300, 200, 200):  # measured at several widths, as tables and frames do
            p.wrap(width, 500)
        doc.build([Table([[[p]], [[kind(text, style)]]], colWidths=[200]), kind(text, style)])
        return out.getvalue()

    assert drawn(Para) == drawn(Paragraph)
    p = Para(text, style)
    first = p.wrap(200, 500)
    assert p.wrap(200, 10) == first and engine.line_state(p)[1] is not None
    p.split(200, 5)  # drops the lines: the next wrap breaks them again
    assert p.wrap(200, 500) == first and engine.line_state(p)[1] is not None


def test_a_second_wrap_rebreaks_alike_except_several_fragments_hyphenated():
    """Why text.Para keeps a wrap only where engine.rebreaks_alike says so: ReportLab
    breaks the word list of a paragraph with a bold lead differently the second time
    when it hyphenates. (If an upgrade fixes that, this fails: the rule can go.)"""
    text = "<b>Before:</b> tell the practitioner about blood-thinning medicines. " * 3

    def lines(p):
        broken = engine.line_state(p)[1]
        if broken.kind == 0:  # one fragment: (room left, words) per line
            return [" ".join(words) for _, words in broken.lines]
        return [" ".join(w.text for w in line.words) for line in broken.lines]

    cases = [("", 0, text, True),  # several fragments, no hyphenation
             ("en_GB", 1, text.replace("<b>", "").replace("</b>", ""), True),  # one fragment
             ("en_GB", 1, text, False)]  # several fragments, hyphenated
    for language, embedded, markup, alike in cases:
        style = getSampleStyleSheet()["BodyText"]
        style.hyphenationLang, style.embeddedHyphenation = language, embedded
        p = Paragraph(markup, style)
        p.wrap(188, 500)
        first = lines(p)
        assert engine.rebreaks_alike(p) is alike
        p.wrap(188, 500)
        assert (lines(p) == first) is alike


def test_paragraphs_parsed_once_draw_as_paragraphs_parsed_each_time():
    """engine.parsed shares one parse between paragraphs of the same markup and style:
    ReportLab must not change the parsed fragments while it wraps, splits and draws one."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from layouts.text import Para

    style = getSampleStyleSheet()["BodyText"]
    style.hyphenationLang, style.embeddedHyphenation = "en_GB", 1
    text = "<b>Before:</b>  tell  the practitioner about blood-thinning medicines. " * 9

    def drawn(kind) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, invariant=1, pagesize=(400, 500))
        doc.build([kind(text, style), Table([[[kind(text, style)]]], colWidths=[200]), kind(text, style)])
        return out.getvalue()

    shared = engine.parsed(text, style, 1, cleanBlockQuotedText)
    assert engine.parsed(text, style, 1, cleanBlockQuotedText) is shared
    assert shared[0] == cleanBlockQuotedText(text) and Para(text, style).text == Paragraph(text, style).text
    assert drawn(Para) == drawn(Paragraph) == drawn(Para)  # split across pages, hyphenated, in a cell
    assert engine.parsed(text, style, 1, cleanBlockQuotedText) is shared


def test_reportlab_writes_the_regular_pdf_the_streaming_joiner_reads():
    rendered = render(load_aid(AIDS[0]), CLINIC)
    assert engine.regular_output(rendered.pdf)  # classic xref table, no object or xref streams
    written = engine.WrittenPdf(rendered.pdf)
    assert len(written.kids) == rendered.pages
    assert re.search(rb"/Type /Catalog", written.objects[written.root])


def test_regular_output_refuses_what_the_joiner_cannot_read():
    assert not engine.regular_output(b"%PDF-1.5\n1 0 obj <</Type /ObjStm>> endobj\nstartxref\n9\n%%EOF")


PRIVATE = {"_code", "_colorsUsed", "_formsinuse", "_startPage", "_pagesize", "_doctemplate", "_splitRows",
           "_cellvalues", "_rowHeights", "_getFirstPossibleSplitRowPosition", "_calc", "_content",
           "_fixedWidth", "_fixedHeight", "__dict__", "blPara", "_setup", "frags"}


def test_no_other_module_touches_reportlab_internals():
    import ast

    found = []
    for path in sorted((ROOT / "layouts").glob("*.py")) + sorted((ROOT / "aidpress").rglob("*.py")):
        if path.name == "engine.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Constant) and node.value in PRIVATE:  # getattr(x, "_content")
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} '{node.value}'")
    assert found == []


def test_the_frame_fill_is_the_share_of_the_frame_used_from_its_top():
    from reportlab.platypus import Frame

    frame = Frame(0, 0, 100, 200, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    assert engine.frame_used(frame) == 0.0
    frame._y = 50  # three quarters of the way down
    assert engine.frame_used(frame) == 0.75
