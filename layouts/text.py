"""The one place where model text becomes ReportLab paragraph markup.

YAML text is data: it is escaped here and nowhere else, so `score > 2`, `A & B` and
`<b>` print literally and no markup (links, images, fonts) can be injected.
"""

from __future__ import annotations

import functools
import re
from html import escape  # & < > as xml.sax.saxutils.escape does, without its 16 ms of urllib imports

from reportlab.platypus import Paragraph

from aidpress import fonts
from aidpress.labels import language_of
from aidpress.thresholds import HYPHEN_SIDE, HYPHEN_WORD

from . import engine
from .linetext import LineReader
from .units import begin, end, new_ident


def markup(text: str) -> str:
    return escape(text, quote=False)


class Para(engine.ParsedOnce, Paragraph):
    """A paragraph whose markup is parsed once per process (engine.ParsedOnce) and whose
    lines are broken once per width.

    ReportLab wraps a table's cells every time the table is measured (a KeepTogether,
    a split, the frame) and once more to draw them, and each wrap breaks the lines
    again: a third of a render's time went there. Line breaking depends on the width
    alone (not on the height offered), so the last result is kept and given back while
    the width, the fragments and the broken lines are still the ones it came from, where
    breaking again would give the same lines (engine.rebreaks_alike)."""

    _wrapped: tuple | None = None  # (width, (width, height), what the lines came from and are)
    _spoken: str | None = None  # the text it draws, from its first word (layouts/linetext.py)
    # Drawn as a list item (a unit of role LI): to a reader its bullet is the item's label
    # (Lbl) and its text the body (LBody), each a unit drawn inside the paragraph's.
    listed = False
    _body: list | None = None  # its LBody's identity, shared by its split parts
    # The language of its words when they are all aidpress's or the clinic's (para(), from
    # labels.Wording); "": the aid's. Tagged, where it differs from the aid's it is an
    # element of its own with /Lang (`own_language`), unless the unit it is drawn in as
    # the only thing in it takes the /Lang (units.Unit).
    lang = ""
    lang_taken = False

    def own_language(self, canv) -> str:
        """Its language, when the tagged canvas's aid is in another; else ""."""
        if not self.lang or not getattr(canv, "tagged", False):
            return ""
        return self.lang if other_language(self.lang, getattr(canv, "language", "")) else ""

    def drawOn(self, canvas, x, y, _sW=0):
        lang = "" if self.lang_taken else self.own_language(canvas)
        if not lang:
            return super().drawOn(canvas, x, y, _sW)
        begin(canvas, "AidPart", new_ident(), attrs={"Lang": lang})
        super().drawOn(canvas, x, y, _sW)
        end(canvas)

    def wrap(self, availWidth, availHeight):
        if self._spoken is None:
            self._spoken = engine.plain_text(self)
        last = self._wrapped
        if last is not None and last[0] == availWidth and engine.same_lines(self, last[2]):
            self.width, self.height = last[1]
            return last[1]
        size = super().wrap(availWidth, availHeight)
        if self.width == availWidth and engine.rebreaks_alike(self):
            self._wrapped = (availWidth, size, engine.line_state(self))
        return size

    def split(self, availWidth, availHeight):
        if self._spoken is None:
            self._spoken = engine.plain_text(self)
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.lang, part.lang_taken = self.lang, self.lang_taken
        if len(parts) == 2 and self._spoken is not None:
            # The second part's fragments are what the first left, as laid out (a hyphen
            # added at the cut, spaces at line ends): it reads on from where the first ends.
            reader = LineReader(self._spoken)
            for line in engine.line_texts(parts[0]):
                reader.line_end(line)
            parts[0]._spoken = self._spoken
            parts[1]._spoken = "" if reader.lost else reader.rest()
        if self.listed:  # each part's text is (part of) the same LBody
            if self._body is None:
                self._body = new_ident()
            for part in parts:
                part.listed, part._body = True, self._body
        return parts

    def drawPara(self, debug=0):
        canv = self.canv
        tagged = getattr(canv, "tagged", False)
        if self.listed and tagged:
            # its bullet the item's Lbl, its text the LBody (one element, on every page a
            # split paragraph is drawn on); the unit it is drawn in is the item (LI)
            if self._body is None:
                self._body = new_ident()
            body = (lambda: begin(canv, "AidCell", self._body, role="LBody"), lambda: end(canv))
            marks = [body]
            if self.bulletText:
                marks.insert(0, (lambda: begin(canv, "AidCell", new_ident(), role="Lbl"), lambda: end(canv)))
            engine.marked_text_objects(canv, marks, space=bool(self.bulletText and self._spoken))
        elif self.bulletText and self._spoken and tagged:
            engine.space_after_bullet(canv)
        else:
            return super().drawPara(debug)
        try:
            return super().drawPara(debug)
        finally:
            engine.no_space_after_bullet(canv)

    def beginText(self, x, y):
        text_object = super().beginText(x, y)
        if self._spoken and getattr(self.canv, "tagged", False):
            engine.spoken_line_ends(text_object, LineReader(self._spoken))
        return text_object


def unbroken(number: str | None) -> str | None:
    """A phone number kept on one line: its spaces never break ("+44 20 7946" / "0321"
    would send a patient to a wrong number). U+00A0 extracts and reads as a space."""
    return number and number.replace(" ", "\u00a0")


def para(text: str, style, *, bold_lead: str | None = None) -> Paragraph:
    """A paragraph of plain text, optionally led by a bold phrase (aidpress's own words)."""
    body = markup(text)
    if bold_lead:
        body = f"<b>{markup(bold_lead)}</b> {body}"
    made = Para(body, style)
    made.lang = language_of(text, bold_lead)
    return made


def other_language(lang: str, aid: str) -> bool:
    """Whether words in `lang` are in another language than an aid in `aid` (en-GB and en
    are one language: a reader's voice is chosen by the first part)."""
    return bool(lang) and lang.split("-")[0].lower() != (aid or "").split("-")[0].lower()


def para_parts(parts: list[tuple[str, str]], style, *, sep: str = " · ") -> Paragraph:
    """One paragraph of (bold lead, text) parts, e.g. "**Produced:** 2026-11-24 · **Review by:** …";
    an empty lead prints the text alone."""
    body = sep.join((f"<b>{markup(lead)}</b> " if lead else "") + markup(text) for lead, text in parts)
    return Para(body, style)


def pdf_string(text: str) -> bytes:
    """A PDF text string: UTF-16 with a byte-order mark, hex-encoded (no escaping to get wrong)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


# ── hyphenation: only where it helps ─────────────────────────────────────────────────
#
# Only body text in narrow table cells hyphenates; headings, column heads, row labels and
# every bold label never do (their styles carry no hyphenation options). In body text a
# word is broken only where it is long and leaves a readable piece on each side: never a
# word under MIN_WORD letters, never fewer than MIN_SIDE letters either side of the break
# ("ex-ercise", "hospit-al" are out). A word's own hyphen ("long-" / "term") may end a line
# whatever the parts' lengths: that is no hyphenation, only a compound wrapping.
MIN_WORD = HYPHEN_WORD  # letters in the broken part (aidpress/thresholds.py: the audit checks the same)
MIN_SIDE = HYPHEN_SIDE  # letters left on each side of a break

# ReportLab's own rule for which words it offers the hyphenator (platypus/paragraph.py:
# leading and trailing punctuation set aside, then letters and hyphens only), so that the
# pieces measured for column widths are the pieces ReportLab can break into.
_LEADING = re.compile("^['\"(\\[{\u00bf\u2018\u201a\u201c\u201e]+")
_TRAILING = re.compile("[\\]'\")}?!.,;:\u2019\u201b\u201d\u201f]+$")


def hyphenation(language: str) -> dict:
    """Paragraph style options that make ReportLab hyphenate body text by `breaks` (with
    pyphen, a dependency: without it ReportLab silently ignores them)."""
    # embeddedHyphenation=2 also hyphenates a word that starts a line (with 1, ReportLab
    # cuts such a word anywhere, with no hyphen: "anti-inflamm" / "atory").
    return {"hyphenationLang": _pairs(language), "embeddedHyphenation": 2, "uriWasteReduce": 0.3,
            "hyphenationMinWordLength": MIN_WORD}


def compound_breaks() -> dict:
    """Paragraph style options for a heading or label: a line may end only at a word's own
    hyphen ("anti-" / "inflammatory"), never inside a word."""
    return {"embeddedHyphenation": 2, "hyphenationMinWordLength": 1}


def breaks(word: str, language: str) -> list[int]:
    """Where `word` (letters and hyphens) may end a line, as offsets of the head's end,
    longest head first: after its own hyphens, and inside each part of at least MIN_WORD
    letters where the language's patterns allow, MIN_SIDE letters from either end."""
    dic = engine.hyphenator(language, MIN_SIDE, fonts.cache_dir()) if language else None
    out, start = [], 0
    for part in word.split("-"):
        if dic is not None and len(part) >= MIN_WORD:
            out += [start + i for i in dic.positions(part)]
        start += len(part) + 1
        if start < len(word):
            out.append(start)  # just after the word's own hyphen
    return sorted(set(out), reverse=True)


@functools.cache
def _pairs(language: str):
    """ReportLab's hyphenator: word → (head, tail) pairs, longest head first (it takes the
    first that fits). A word's own hyphen stays with the head ("anti-" / "inflammatory")."""
    def pairs(word: str):
        return [(word[:i], word[i:]) for i in breaks(word, language)]

    return pairs


def pieces(text: str, language: str | None, *, compounds: bool = False) -> list[str]:
    """The unbreakable pieces `text` can be set in: its words, or with `language` the
    pieces `breaks` allows (a syllable's head carries the hyphen it is printed with), or
    with `compounds` (and no language) its words cut only at their own hyphens."""
    out = []
    for word in text.split():
        core = _TRAILING.sub("", _LEADING.sub("", word))
        shortest = MIN_WORD if language else 1
        if not (language or compounds) or len(core) < shortest or not all(c.isalpha() or c == "-" for c in core):
            out.append(word)
            continue
        lead = _LEADING.match(word).group(0) if _LEADING.match(word) else ""
        bounds = [0] + sorted(breaks(core, language or "")) + [len(core)]
        parts = [core[a:b] for a, b in zip(bounds, bounds[1:])]
        parts = [p if p.endswith("-") or i == len(parts) - 1 else p + "-" for i, p in enumerate(parts)]
        parts[0], parts[-1] = lead + parts[0], parts[-1] + word[len(lead) + len(core):]
        out += parts
    return [p for p in out if p]
