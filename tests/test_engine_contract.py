"""What layouts/engine.py relies on in ReportLab, checked against the installed release.

An upgrade that moves any of it fails here, by name, rather than as a wrong page later.
pyproject.toml bounds ReportLab at the release line these were checked on.
"""

from __future__ import annotations

import ast
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


def test_the_references_read_from_reportlabs_objects_are_those_a_pdf_library_sees():
    """engine.references reads an object's dictionary as pikepdf does (streams unread), and
    engine.copied_object renumbers exactly those references, the stream left byte for byte."""
    import pikepdf

    pdf = render(load_aid(AIDS[0]), CLINIC).pdf
    written = engine.WrittenPdf(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, body in written.objects.items():
            obj = doc.get_object((number, 0))
            seen = []

            def walk(value):
                if isinstance(value, pikepdf.Object) and value.is_indirect:
                    seen.append(value.objgen[0])
                elif isinstance(value, (pikepdf.Dictionary, pikepdf.Stream)):
                    for key in value.keys():
                        walk(value.get(key))
                elif isinstance(value, pikepdf.Array):
                    for item in value:
                        walk(item)

            for key in (obj.keys() if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) else []):
                walk(obj.get(key))
            assert sorted(engine.references(body)) == sorted(seen), number
            copy = engine.copied_object(7000 + number, body, lambda n: n + 1000)
            assert copy.startswith(b"%d 0 obj\n" % (7000 + number)) and copy.endswith(b"endobj\n")
            assert sorted(engine.references(copy[copy.index(b"\n") + 1:])) == sorted(n + 1000 for n in seen)
            if isinstance(obj, pikepdf.Stream):
                assert obj.read_raw_bytes() in copy  # the stream's data, untouched


def test_regular_output_refuses_what_the_joiner_cannot_read():
    assert not engine.regular_output(b"%PDF-1.5\n1 0 obj <</Type /ObjStm>> endobj\nstartxref\n9\n%%EOF")


# ── private names: only engine.py reaches into ReportLab (or any other library) ─────────

ACCESSORS = ("getattr", "setattr", "hasattr", "delattr")


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def project_modules() -> dict[Path, ast.Module]:
    paths = sorted([*(ROOT / "aidpress").rglob("*.py"), *(ROOT / "layouts").glob("*.py"), ROOT / "cli.py"])
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in paths}


def defined_names(trees) -> set[str]:
    """The private names these modules define for themselves: in a class body (an attribute
    or a method) or assigned on `self`/`cls`."""
    out = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    targets = [item.target] if isinstance(item, (ast.AnnAssign, ast.AugAssign)) else getattr(
                        item, "targets", [])
                    out |= {t.id for t in targets if isinstance(t, ast.Name)}
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        out.add(item.name)
            if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
                    and node.value.id in ("self", "cls")):
                out.add(node.attr)
    return {name for name in out if private(name)}


def on_itself(node: ast.expr) -> bool:
    """`self.x`, `cls.x`, `super().x`: an object reading its own attributes."""
    return ((isinstance(node, ast.Name) and node.id in ("self", "cls"))
            or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"))


def private_uses(tree: ast.Module, *, own_too: bool = False):
    """(line, name, code) of every private name this module reads or writes on another object
    (`x._name`, getattr(x, "_name")), and with own_too on itself as well."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr) and (own_too or not on_itself(node.value)):
            yield node.lineno, node.attr, ast.unparse(node)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ACCESSORS
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str) and private(node.args[1].value)):
            yield node.lineno, node.args[1].value, ast.unparse(node)


def test_no_module_but_the_engine_uses_another_librarys_private_names():
    """Read from every module's syntax: a private name (`_x`) used on another object, or
    passed to getattr/setattr/hasattr/delattr as a string, must be one aidpress defines itself
    (a class of its own, its own attribute). ReportLab's, the standard library's and any
    other library's private names are engine.py's business alone."""
    trees = project_modules()
    own = defined_names(tree for path, tree in trees.items() if path.name != "engine.py")
    found = [f"{path.relative_to(ROOT)}:{line} {code}" for path, tree in trees.items() if path.name != "engine.py"
             for line, name, code in private_uses(tree) if name not in own]
    assert found == []


def replaced_attributes(tree: ast.Module):
    """(line, code) of every assignment to an attribute of an imported module (`re.compile =`,
    `ttfonts.TTFontFace =`, setattr(re, …)): replacing a library's function for everyone."""
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    for node in ast.walk(tree):
        targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
        for target in targets:
            if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id in imported):
                yield node.lineno, ast.unparse(target)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr")
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in imported):
            yield node.lineno, ast.unparse(node)


def test_no_module_replaces_anything_of_a_library():
    """engine.py included: ReportLab, the standard library and every other dependency stay as
    they are for any other code in the process."""
    found = [f"{path.relative_to(ROOT)}:{line} {code}" for path, tree in project_modules().items()
             for line, code in replaced_attributes(tree)]
    assert found == []
    sample = ast.parse("import re\nfrom reportlab.pdfbase import ttfonts\nre.compile = f\nttfonts.TTFontFace = g\n"
                       "setattr(re, 'sub', h)\nself.x = 1\nlocal.y = 2\n")
    assert [line for line, _code in replaced_attributes(sample)] == [3, 4, 5]


def test_aidpress_subclasses_of_reportlab_use_only_their_own_private_names():
    """A subclass of a ReportLab class reading `self._code` reaches into ReportLab as surely as
    `canv._code` does; and one that sets a private name its ReportLab base also uses changes
    ReportLab's state. Each such class's private names (on itself included) must be aidpress's
    own and appear nowhere in the source of its ReportLab bases' modules."""
    import importlib
    import inspect

    trees = project_modules()
    own = defined_names(tree for path, tree in trees.items() if path.name != "engine.py")
    found, checked = [], 0
    for path, tree in trees.items():
        if path.name == "engine.py" or path.name == "__main__.py":
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
        for node in ast.walk(tree):
            cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
            bases = [b for b in inspect.getmro(cls)[1:] if b.__module__.startswith("reportlab.")] if cls else []
            if not bases or cls.__module__ != module.__name__:
                continue
            checked += 1
            theirs = defined_names(ast.parse(inspect.getsource(inspect.getmodule(b))) for b in bases)
            found += [f"{path.relative_to(ROOT)}:{line} {code}" for line, name, code in private_uses(node, own_too=True)
                      if name not in own or name in theirs]
    assert checked >= 5  # the canvas, the document template, paragraphs, flowables, …
    assert found == []


def test_the_scan_sees_each_form_of_private_use():
    """The two tests above find what they must: each line here is one use."""
    tree = ast.parse("canv._code.append(x)\ngetattr(frame, '_atTop', 0)\nsetattr(t, '_argH', [])\n"
                     "hasattr(f, '_content')\nsys._getframe(1)\nself._chrome\nsuper()._setup(a)\nx.__dict__\n")
    assert sorted(line for line, _name, _code in private_uses(tree)) == [1, 2, 3, 4, 5]
    assert sorted(line for line, _name, _code in private_uses(tree, own_too=True)) == [1, 2, 3, 4, 5, 6, 7]
    cls = ast.parse("class A:\n    _x = 1\n    def _m(self):\n        self._y = 2\n        other._z = 3\n")
    assert defined_names([cls]) == {"_x", "_m", "_y"}


def test_the_frame_fill_is_the_share_of_the_frame_used_from_its_top():
    from reportlab.platypus import Frame

    frame = Frame(0, 0, 100, 200, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    assert engine.frame_used(frame) == 0.0
    frame._y = 50  # three quarters of the way down
    assert engine.frame_used(frame) == 0.75
