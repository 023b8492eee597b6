"""ReportLab's internals, in one place.

aidpress relies on a few things ReportLab does not promise: the canvas's list of page
operators and its per-page state, the table's row-splitting steps, the document's
current page, and the exact shape of the PDF it writes (a classic cross-reference
table, no object streams), whose objects the streaming joiner copies; and how a TrueType
font is built from a parsed face (for the font cache: a TTFont subclass, ReportLab's own
classes left as they are). Every such use is a function or class here, so an upgrade is
read in one file; tests/test_engine_contract.py checks each assumption against the
installed ReportLab and fails loudly when one moves, and finds any use of a private name
of ReportLab (or any library) outside this module by reading every module's syntax.
pyproject.toml bounds ReportLab at the newest release these were checked on.
"""

from __future__ import annotations

import functools
import hashlib
import io
import marshal
import os
import re
import shutil
import zlib
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

from aidpress import deferred

# Before ReportLab is first imported: put off the start-up work it does for things a
# handout never uses (aidpress/deferred.py says what and why). layouts/__init__.py
# imports this module first so the rest of the package sees ReportLab loaded this way.
deferred.load_on_use("PIL.Image")
deferred.load_on_use("pyphen")  # ReportLab imports it at start; only comparison tables hyphenate
import reportlab.platypus  # noqa: E402, F401

import reportlab  # noqa: E402
from reportlab.pdfbase import pdfdoc, ttfonts  # noqa: E402
from reportlab import rl_config  # noqa: E402
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

TESTED = "5.1"  # the ReportLab release line this module was checked against

# ── the canvas: a page's operators and its state ────────────────────────────────────


def page_operators(canv: Canvas) -> list[str]:
    """The content-stream operators drawn on the current page so far (mutable)."""
    return canv._code


def page_colours(canv: Canvas) -> dict:
    """The colour resources the current page's operators use (mutable)."""
    return canv._colorsUsed


def add_operator(canv: Canvas, operator: str) -> None:
    """Append a raw content-stream operator (marked content, a copied drawing)."""
    canv._code.append(operator)


def clear_page(canv: Canvas) -> None:
    """Forget what is drawn on the current page (after it has been kept as forms)."""
    canv._code, canv._formsinuse, canv._colorsUsed = [], [], {}


def hold_page(canv: Canvas) -> dict:
    """The canvas's whole state for the finished page, to be written later, and a fresh
    page begun (what showPage does, less writing the page out)."""
    state = dict(canv.__dict__)
    canv._startPage()
    return state


def resume_page(canv: Canvas, state: dict) -> None:
    """Make a held page the current one again, ready for Canvas.showPage to write."""
    canv.__dict__.update(state)


def page_size(canv: Canvas) -> tuple[float, float]:
    return canv._pagesize


def document_page(canv: Canvas) -> int:
    """The page number the document template is laying out (1-based)."""
    return canv._doctemplate.page


def frame_at_top(flowable) -> bool:
    """Whether the frame a flowable is being split into has nothing drawn in it yet (ReportLab
    sets the frame on a flowable while it splits it; False outside a frame)."""
    frame = getattr(flowable, "_frame", None)
    return frame is not None and bool(getattr(frame, "_atTop", False))


def frame_used(frame) -> float:
    """How much of a frame's height is filled so far (0 to 1)."""
    height = frame._y2 - frame._topPadding - frame._y1p
    return (frame._y2 - frame._topPadding - frame._y) / height if height else 1.0


# ── the document: structure tree, catalog entries, page entries (layouts/tagging.py) ──


class _PdfObjects:
    """ReportLab's PDF object classes, for writing objects it has no API for."""

    def __init__(self):
        from reportlab.pdfbase import pdfdoc

        self.pdfdoc = pdfdoc

    def Dictionary(self, entries: dict):
        return self.pdfdoc.PDFDictionary(dict(entries))

    def Array(self, items: list):
        return self.pdfdoc.PDFArray(list(items))

    def Name(self, name: str):
        return self.pdfdoc.PDFName(name)

    def String(self, text: str):
        return self.pdfdoc.PDFString(text)

    def Reference(self, name: str):
        """A reference to the object registered under `name` (see `register`)."""
        return self.pdfdoc.PDFObjectReference(name)

    def Stream(self, content: str, entries: dict):
        return self.pdfdoc.PDFStream(self.pdfdoc.PDFDictionary(dict(entries)), content.encode("utf-8"))


def pdf_objects() -> _PdfObjects:
    return _PdfObjects()


class _RawObject(pdfdoc.PDFObject):
    """A PDF object written as given (see reserve_raw)."""

    __slots__ = ("text", "__InternalName__")

    def __init__(self):
        self.text = b""

    def format(self, document):
        return self.text


def reserve_raw(canv: Canvas, names: list[str]) -> dict[str, int]:
    """Indirect objects under `names`, registered in this order, each written as the text
    `fill_raw` gives it; their object numbers. The structure tree has thousands of small
    objects: written as text that names the others by number ("12 0 R"), they cost
    nothing to format, where ReportLab's own object classes cost more than the rest of a
    page (docs/accessibility.md, "Cost")."""
    doc = canv._doc
    numbers = doc.idToObjectNumberAndVersion
    found = {}
    for name in names:
        doc.Reference(_RawObject(), name)
        found[name] = numbers[name][0]
    return found


def fill_raw(canv: Canvas, name: str, text: str) -> None:
    """The text of the object reserved under `name` (reserve_raw): PDF syntax, ASCII."""
    canv._doc.idToObject[name].text = text.encode("latin-1")


def object_number(canv: Canvas, name: str) -> int:
    """The object number of what is registered under `name` (a page: see page_name)."""
    return canv._doc.idToObjectNumberAndVersion[name][0]


def page_name(index: int) -> str:
    """The name ReportLab registers the document's page `index` (0-based) under."""
    return f"Page{index + 1}"


def register(canv: Canvas, obj, name: str):
    """Make `obj` an indirect object of the canvas's document under `name`; its reference."""
    return canv._doc.Reference(obj, name)


def set_catalog(canv: Canvas, key: str, value) -> None:
    """An entry of the document catalog (one PDFCatalog writes: StructTreeRoot, MarkInfo,
    Metadata, …; it makes each an indirect object)."""
    setattr(canv._doc.Catalog, key, value)


def set_last_page_entry(canv: Canvas, key: str, value) -> None:
    """An entry of the page dictionary of the page just written (PDFPage has no field for
    some, StructParents among them: the page writes the keys its __NoDefault__ lists)."""
    page = canv._doc.Pages.pages[-1]
    if key not in page.__NoDefault__:
        page.__NoDefault__ = [*page.__NoDefault__, key]
    setattr(page, key, value)


# ── flowables ──────────────────────────────────────────────────────────────────────


def kept_together(keep) -> list:
    """The flowables inside a KeepTogether."""
    return keep._content


def contained(flowable) -> list | None:
    """The flowables inside a container flowable (KeepTogether and kin), else None."""
    return getattr(flowable, "_content", None)


def fixed_size(flowable) -> tuple[float, float]:
    """A flowable's fixed width and height flags (0 when it has none)."""
    return getattr(flowable, "_fixedWidth", 0), getattr(flowable, "_fixedHeight", 0)


def set_fixed_size(flowable, size: tuple[float, float]) -> None:
    flowable._fixedWidth, flowable._fixedHeight = size


def share_canvas(outer, inner) -> None:
    """Give a wrapped flowable the canvas ReportLab set on its wrapper (for split/wrap)."""
    if "canv" in outer.__dict__:
        inner.canv = outer.__dict__["canv"]


# ── paragraphs: the lines a wrap broke ────────────────────────────────────────────


def line_state(paragraph) -> tuple:
    """What a paragraph's last wrap left: the fragments it broke (ReportLab replaces them
    with a word list on the first wrap) and the broken lines (a split that finds no room
    drops them). Line breaking depends on these and the width, never on the height."""
    state = vars(paragraph)
    return state.get("frags"), state.get("blPara")


def same_lines(paragraph, state: tuple) -> bool:
    """Whether a paragraph still has exactly the fragments and lines of `state`."""
    now = line_state(paragraph)
    return now[1] is not None and now[0] is state[0] and now[1] is state[1]


def text_runs(paragraph) -> list[tuple[str, str, float]] | None:
    """A paragraph's text as parsed, run by run: (text, font name, size); None once it
    has been wrapped (its fragments are then a word list)."""
    frags, lines = line_state(paragraph)
    if frags is None or lines is not None:
        return None
    return [(getattr(f, "text", ""), f.fontName, f.fontSize) for f in frags]


def rebreaks_alike(paragraph) -> bool:
    """Whether wrapping the paragraph again at the same width gives the same lines. It does
    for one fragment (its fragments are kept), and for several unless the style hyphenates:
    a second wrap breaks the word list the first made, and with hyphenation ReportLab
    5.1 can then break differently ("blood-thinning" drawn as "bloodthinning")."""
    lines, style = line_state(paragraph)[1], paragraph.style
    hyphenates = style.hyphenationLang or style.embeddedHyphenation or style.uriWasteReduce
    return lines is not None and (lines.kind == 0 or not hyphenates)


def plain_text(paragraph) -> str | None:
    """The text a paragraph's parsed fragments hold, run after run (what it draws, less its
    bullet); None once it has been wrapped, or when its fragments are a split's word list."""
    frags, lines = line_state(paragraph)
    if frags is None or lines is not None or any(not hasattr(f, "text") for f in frags):
        return None
    return "".join(f.text for f in frags)


def line_texts(paragraph) -> list[str]:
    """The text of each line of a paragraph's last wrap (or of a split's first part), as drawn."""
    lines = line_state(paragraph)[1]
    out = []
    for line in (lines.lines if lines is not None else []):
        if isinstance(line, tuple):  # a single-fragment paragraph: (free width, words)
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") or "" for w in line.words))
    return out


# Around an added hyphen's `Tj … T*` in a paragraph's text object (one operator string of
# the page: ReportLab joins a text object's operators with spaces): PDF comments, so a
# stream that held one would still draw the same; layouts/tagging.py cuts at them.
HYPHEN_MARKS = ("%aidpress-hyphen\n", "%aidpress-hyphen-end\n")


def spoken_line_ends(text_object, reader) -> None:
    """Have a paragraph's text object write after each line what `reader` (a
    layouts.linetext.LineReader) says: ReportLab's paragraph drawing (platypus/paragraph.py:
    the _*DrawParaLine functions and _putFragLine) writes every run of a line with the text
    object's `_textOut(text, TStar)`, the line's last with TStar set (then `T*` moves to the
    next line). A space is written into the line's last run, after its last glyph, before
    the `T*`: nothing printed moves (the next line starts from the line origin).

    A hyphen ReportLab added where it hyphenated a word is shown by a `Tj` of its own,
    with the `T*` after it, between the two comments of HYPHEN_MARKS (layouts/tagging.py
    makes it an artifact between two marked-content sequences of the paragraph's element,
    and writes the comments nowhere): the glyphs are the same, at the same places."""
    out = text_object._textOut

    def _textOut(text, TStar=0):
        if not TStar:
            reader.run(text)
            return out(text, TStar)
        said = reader.line_end(text)
        if not reader.added:
            return out(said, TStar)
        out(said[:-1])
        text_object._code.append(HYPHEN_MARKS[0])
        out(said[-1], TStar)
        text_object._code.append(HYPHEN_MARKS[1])

    text_object._textOut = _textOut


def space_after_bullet(canv) -> None:
    """Have the next text object the canvas draws — a paragraph's bullet, which ReportLab
    draws before the paragraph's own text (platypus/paragraph.py: _drawBullet) — end with a
    space glyph, so the bullet is not read glued to the first word ("•If"). Written with
    `_textOut`, which leaves the text object's x where it was: ReportLab places the text
    after the bullet from that x, so nothing printed moves."""
    marked_text_objects(canv, [None], space=True)


def marked_text_objects(canv, marks: list, space: bool = False) -> None:
    """Have the next text objects the canvas draws each drawn between the pair of callables
    (begin, end: they write marks) of `marks`, in order (None: no marks); with `space`, the
    first ends with a space glyph (a bullet's: space_after_bullet). In a paragraph with a
    bullet, drawPara draws the bullet's text object (_drawBullet), then all its lines in one
    more, then restores the graphics state: marks around the two make the bullet a list
    item's label and the text its body, each inside the paragraph's q … Q."""
    draw, pending, first = canv.drawText, list(marks), [space]

    def drawText(text_object):
        mark = pending.pop(0)
        if not pending:
            del canv.drawText  # the last one marked
        if first[0]:
            text_object._textOut(" ")
            first[0] = False
        if mark is not None:
            mark[0]()
        draw(text_object)
        if mark is not None:
            mark[1]()

    if pending:
        canv.drawText = drawText


def no_space_after_bullet(canv) -> None:
    """Undo space_after_bullet (or marked_text_objects) if no text object, or fewer than
    marked, was drawn (a paragraph with no lines)."""
    canv.__dict__.pop("drawText", None)


_PARSED: dict = {}  # (markup, id(style), case, cleaner) -> (style, parse); bounded below


def parsed(text: str, style, case_sensitive: int, cleaner) -> tuple:
    """What Paragraph._setup makes of markup — the cleaned text, the style the parser
    returns, the fragments, the bullet's fragments — parsed once per process. Paragraphs
    made from the same markup share the fragments: ReportLab breaks lines into new word
    lists (and clones), it does not change the parsed fragments."""
    key = (text, id(style), case_sensitive, cleaner)
    hit = _PARSED.get(key)
    if hit is not None and hit[0] is style:
        return hit[1]
    from reportlab.platypus.paragraph import textTransformFrags
    from reportlab.platypus.paraparser import ParaParser

    cleaned = cleaner(text)
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    out_style, frags, bullet = parser.parse(cleaned, style)
    if frags is None:
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n'{cleaned[:30]}'")
    textTransformFrags(frags, out_style)
    if len(_PARSED) >= 20_000:  # a long-running watch: start over rather than grow
        _PARSED.clear()
    _PARSED[key] = (style, (cleaned, out_style, frags, bullet))
    return _PARSED[key][1]


class ParsedOnce:
    """For a Paragraph subclass: markup parsed once (see `parsed`), not at every Paragraph
    made from it — a handout laid out at several densities makes its paragraphs again."""

    def _setup(self, text, style, bulletText, frags, cleaner):
        if frags is None and style is not None:
            text, style, frags, bullet = parsed(text, style, self.caseSensitive, cleaner)
            bulletText = bullet or bulletText
        super()._setup(text, style, bulletText, frags, cleaner)


# ── tables: splitting by rows, or inside a row ─────────────────────────────────────


def row_heights(table, avail_width: float, avail_height: float) -> list[float]:
    """Lay the table out for this space and return each row's height."""
    table._calc(avail_width, avail_height)
    return table._rowHeights


def first_split_row(table, avail_height: float) -> int:
    """The first row that does not fit in avail_height (len(rows) when all fit)."""
    return table._getFirstPossibleSplitRowPosition(avail_height)


def split_rows(table, avail_height: float, *, in_row: bool) -> list:
    """The table split between rows, or inside the row that does not fit."""
    return table._splitRows(avail_height, doInRowSplit=1 if in_row else 0)


def cell_values(table) -> list[list]:
    """The cells' contents, row by row (mutable)."""
    return table._cellvalues


def free_row_height(table, row: int) -> None:
    """Let a row of a split part size itself to its cells again (a split fixes every
    row's height as it was measured, before a cell is filled in afterwards)."""
    table._argH[row] = None

# ── TrueType faces: parsed once, then read back from a cache ─────────────────────────
#
# Parsing the four DejaVu faces (cmap, widths, glyph offsets) is the largest single cost of
# a cold build after the imports. What the parse produces depends only on the font file and
# the ReportLab release, so it is kept in a cache file per face, keyed by both; the font's
# bytes themselves are still read from the package (subsetting reads glyphs from them).

FACE_CACHE_FORMAT = 4
# A cache file is MAGIC, then the SHA-256 of everything after the digest, then the header
# (marshal), then the body. The digest covers every byte after it, header included, so any
# damage — a flipped bit anywhere, a cut, a file from another program — reads as no cache.
MAGIC = b"aidpress-face\n"
DIGEST = 32


def truetype_font(name: str, data: bytes, filename: str, *, key: str, cache_dir: Path | None):
    """A registered-ready TTFont for one face. `key` names the font file's content (its
    checksum); `cache_dir` None means parse every time."""
    face = _cached_face(name, data, filename, key, cache_dir) if cache_dir is not None else None
    if face is None:
        face = _parsed_face(data, filename)
        if cache_dir is not None:
            _save_face(face, _cache_file(name, key, cache_dir))
    return CachedTTFont(name, face)


class CachedTTFont(TTFont):
    """A TTFont made from a face already parsed (or read back from the cache), where
    TTFont.__init__ would parse the file itself. The rest of its state is made as
    TTFont.__init__ makes it (tests/test_engine_contract.py compares the two); only
    aidpress's own registration uses this class, ReportLab's TTFont is left as it is."""

    def __init__(self, name: str, face: TTFontFace):
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)


def _parsed_face(data: bytes, filename: str):
    stream = io.BytesIO(data)
    stream.name = filename  # ReportLab's messages name the font after it
    return TTFontFace(stream)


def _cache_file(name: str, key: str, cache_dir: Path) -> Path:
    return cache_dir / f"{name}-{key}-reportlab-{reportlab.Version}-{FACE_CACHE_FORMAT}.face"


TABLE_LEAST = 64  # a list or mapping this long is kept as its own table, read when first asked for


def _saved_state(face) -> tuple[dict, bytes]:
    """The parse's results as plain data marshal can write (no function, no font bytes): a
    header with every small value, read at registration, then each large table (widths,
    cmap, glyph offsets, …) on its own, read when ReportLab first asks for it."""
    state = {k: v for k, v in vars(face).items() if k not in ("_ttf_data", "_pdfScale")}
    names = sorted(k for k, v in state.items() if isinstance(v, TTFNameBytes))
    plain = {k: bytes(v) if k in names else v for k, v in state.items()}
    eager, tables, body = {}, {}, bytearray()
    for k, v in plain.items():
        if isinstance(v, (list, dict)) and len(v) >= TABLE_LEAST:
            chunk = marshal.dumps(v)
            tables[k] = [len(body), len(chunk)]
            body += chunk
        else:
            eager[k] = v
    return {"names": names, "eager": eager, "tables": tables, "body": len(body)}, bytes(body)


def cache_bytes(face) -> bytes:
    """A cache file's whole content for a parsed face (see MAGIC)."""
    header, body = _saved_state(face)
    return _sealed(marshal.dumps(header) + body)


def _sealed(content: bytes, magic: bytes = MAGIC) -> bytes:
    """A cache file's bytes: `magic`, the digest of `content`, then `content` (see MAGIC)."""
    return magic + hashlib.sha256(content).digest() + content


def _save_face(face, path: Path) -> None:
    _save_cache(lambda: cache_bytes(face), path)


def _save_cache(blob, path: Path) -> None:
    """Write a cache file (`blob()` makes its bytes), replacing whatever is at its path (a
    damaged file, a folder someone made there); a cache that cannot be written only costs
    the next start its speed."""
    try:
        blob = blob()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)  # the cache folder is aidpress's own: nothing else belongs at this name
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(blob)
        os.replace(partial, path)
    except (OSError, ValueError):
        pass


def _verified(blob: bytes, magic: bytes = MAGIC) -> memoryview | None:
    """What follows the digest, if the digest covers it exactly; else None."""
    start = len(magic) + DIGEST
    if len(blob) < start or not blob.startswith(magic):
        return None
    content = memoryview(blob)[start:]
    return content if hashlib.sha256(content).digest() == blob[len(magic):start] else None


def _cached_face(name: str, data: bytes, filename: str, key: str, cache_dir: Path):
    """The face as _parsed_face would give it, from the cache, each large table read on first
    use; None if there is no cache or any byte of it fails the check (then the caller parses
    and rewrites it)."""
    try:
        content = _verified(_cache_file(name, key, cache_dir).read_bytes())
        if content is None:
            return None
        stream = io.BytesIO(content)
        header = marshal.load(stream)
        body = content[stream.tell():]
        if len(body) != header["body"]:
            return None
        face = _FaceOnDemand.__new__(_FaceOnDemand)
        face.__dict__.update(_names_restored(header["eager"], header["names"]))
        face._tables = {k: body[start:start + length] for k, (start, length) in header["tables"].items()}
        units = face.unitsPerEm
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return None
    face._ttf_data = data
    face.filename = filename
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, k=1000 / units: x * k)  # as extractInfo
    return face


def _names_restored(state: dict, names: list[str]) -> dict:
    return {k: TTFNameBytes(v) if k in names else v for k, v in state.items()}


class _FaceOnDemand(TTFontFace):
    """A cached face whose large tables are read when ReportLab first asks for each:
    registering reads only the header; measuring text reads the widths; writing the PDF the
    cmap and glyph offsets; the reverse cmap only the parse itself needed is never read, nor
    anything of a face no word is set in (most handouts use no oblique)."""

    def __getattr__(self, attr):  # only called for what is not there yet
        pending = self.__dict__.get("_tables", {})
        chunk = pending.pop(attr, None)
        if chunk is None:
            raise AttributeError(attr)
        if not pending:  # all read: the face is now exactly what a parse makes
            del self.__dict__["_tables"]
        value = marshal.loads(chunk)
        setattr(self, attr, value)
        return value


# ── hyphenation patterns: parsed once, then read back from the cache ────────────────
#
# pyphen parses a language's pattern file when a process first hyphenates (~50 ms for
# en_GB, a fifth of a cold comparison build). The parse is a mapping of plain strings and
# integers, so it is kept beside the fonts' cache, sealed the same way (MAGIC's scheme, its
# own magic), keyed by the pyphen release and the pattern file's checksum, and written as
# marshal data (no pickle: nothing in the file is code, and its digest is checked before
# anything is read). A language whose patterns are not plain (pyphen's alternative-spelling
# patterns) is parsed every time.

HYPHEN_CACHE_FORMAT = 1
HYPHEN_MAGIC = b"aidpress-hyph\n"


def hyphenator(language: str, side: int, cache_dir: Path | None):
    """pyphen's hyphenator for `language` (a BCP 47 or pyphen code; its base language, else
    British English, when pyphen has no patterns for it), breaking no nearer than `side`
    letters to either end of a word; its patterns cached in `cache_dir` (None: parsed)."""
    return _hyphenator(_language_code(language), side, cache_dir)


@functools.cache
def _language_code(language: str) -> str:
    import pyphen

    lang = language.replace("-", "_")
    return next((code for code in (lang, lang.split("_")[0]) if code in pyphen.LANGUAGES), "en_GB")


@functools.cache
def _hyphenator(code: str, side: int, cache_dir: Path | None):
    import pyphen

    return _cached_pyphen()(hyphenation_patterns(Path(pyphen.LANGUAGES[code]), cache_dir), side)


@functools.cache
def _cached_pyphen():
    """A Pyphen made from patterns already parsed (or read back from the cache), where
    Pyphen.__init__ would parse the file itself (into pyphen's own module-level cache, which
    is left alone). Its state is what Pyphen.__init__ makes (tests/test_engine_contract.py
    compares the two). Defined on first use: pyphen loads only when a table hyphenates."""
    import pyphen

    class CachedPyphen(pyphen.Pyphen):
        def __init__(self, patterns, side: int):
            self.left, self.right = side, side
            self.hd = patterns

    return CachedPyphen


def hyphenation_patterns(path: Path, cache_dir: Path | None):
    """pyphen's parse of one pattern file (a HyphDict), from the cache when it holds it."""
    import pyphen

    if cache_dir is None:
        return pyphen.HyphDict(path)
    data = path.read_bytes()
    file = cache_dir / (f"hyph-{path.stem}-{zlib.crc32(data):08x}-{len(data)}-pyphen-{pyphen.__version__}"
                        f"-{HYPHEN_CACHE_FORMAT}.hyph")
    cached = _cached_patterns(file)
    if cached is not None:
        return cached
    parsed = pyphen.HyphDict(path)
    if all(type(v) is int for _, values in parsed.patterns.values() for v in values):
        _save_cache(lambda: _sealed(marshal.dumps((parsed.patterns, parsed.maxlen)), HYPHEN_MAGIC), file)
    return parsed


def _cached_patterns(file: Path):
    """A HyphDict as pyphen's parse makes it, from a cache file whose every byte passed the
    digest check; None when there is none or it is damaged."""
    import pyphen

    try:
        content = _verified(file.read_bytes(), HYPHEN_MAGIC)
        if content is None:
            return None
        patterns, maxlen = marshal.loads(content)
        if not isinstance(patterns, dict) or not isinstance(maxlen, int):
            return None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)  # what HyphDict.__init__ leaves, less the parse
    hd.patterns, hd.cache, hd.maxlen = patterns, {}, maxlen
    return hd


# ── the PDF ReportLab writes ───────────────────────────────────────────────────────

REF = re.compile(rb"(\d+) 0 R\b")


class WrittenPdf:
    """The objects of one PDF as ReportLab writes it, by number, and its page tree.

    Relies on ReportLab's regular output: a classic cross-reference table after
    `startxref`, objects in number order, no object streams, one flat page tree."""

    def __init__(self, data: bytes):
        start = int(data[data.rindex(b"startxref") + 9:].split()[0])
        lines = data[start:].split(b"\n")
        count = int(lines[1].split()[1])
        offsets = [int(line[:10]) for line in lines[2:2 + count]][1:]  # entry 0 is the free head
        trailer = data[data.rindex(b"trailer"):]
        self.root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
        self.info = int(re.search(rb"/Info (\d+) 0 R", trailer).group(1))
        ends = offsets[1:] + [start]
        self.objects = {}
        for number, (begin, end) in enumerate(zip(offsets, ends), start=1):
            body = data[begin:end]
            body = body[body.index(b"obj\n") + 4:body.rindex(b"endobj")]
            self.objects[number] = body
        self.pages = int(re.search(rb"/Pages (\d+) 0 R", self.objects[self.root]).group(1))
        self.kids = [int(n) for n in REF.findall(re.search(rb"/Kids \[([^\]]*)\]", self.objects[self.pages]).group(1))]
        self._references: dict[int, list[int]] = {}

    def references(self, number: int) -> list[int]:
        """What object `number` refers to (`references`), read once: splitting a print run
        walks the fonts and forms every sheet shares, and the structure tree twice."""
        found = self._references.get(number)
        if found is None:
            found = self._references[number] = references(self.objects[number])
        return found


def regular_output(data: bytes) -> bool:
    """Whether a PDF has the shape WrittenPdf reads: a classic xref table, no object
    streams, no cross-reference streams."""
    return (b"/ObjStm" not in data and b"/XRef" not in data
            and re.search(rb"startxref\s+(\d+)", data[-64:]) is not None
            and data[int(re.search(rb"startxref\s+(\d+)", data[-64:]).group(1)):].startswith(b"xref"))


def references(body: bytes) -> list[int]:
    """The object numbers an object of WrittenPdf refers to, in order (its dictionary's
    `N 0 R`; a stream's data is never read)."""
    return [int(ref) for ref in REF.findall(_dictionary(body)[0])]


def copied_object(number: int, body: bytes, renumber) -> bytes:
    """An object of WrittenPdf written as object `number` of another PDF, each reference in
    its dictionary renumbered by `renumber(old) -> new`; its stream copied unparsed."""
    head, tail = _dictionary(body)
    parts = REF.split(head)  # (the text between references, and each reference's number, in turn)
    for i in range(1, len(parts), 2):
        parts[i] = b"%d 0 R" % renumber(int(parts[i]))
    return b"%d 0 obj\n" % number + b"".join(parts) + tail + b"endobj\n"


def _dictionary(body: bytes) -> tuple[bytes, bytes]:
    """An object split into its dictionary and its stream (ReportLab writes `>>` then
    `stream` on lines of their own)."""
    split = body.find(b">>\nstream\n")
    return (body, b"") if split < 0 else (body[:split], body[split:])
