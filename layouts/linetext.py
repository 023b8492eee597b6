"""What a line break means to someone who hears the page (docs/accessibility.md, "Line breaks").

ReportLab draws a paragraph line by line and writes nothing for the break itself: the text a
screen reader gets from the structure tree glues the last word of a line to the first of the
next ("you,and"), and a word it hyphenated at a line end is read in two pieces with the
hyphen it printed ("ex-" + "ercise"). Which break is which is not in the drawing; it is in
the paragraph's own text. A `LineReader` follows the text a paragraph (or the part of one a
page holds) draws, run by run, against that text, and says for each line end:

- the break falls between words (the text has white space there): a space is written after
  the line's last glyph — a space glyph draws nothing and moves nothing that is printed;
- anything else writes nothing: a hyphen the text has ("long-" / "term"), a word cut
  without a hyphen; a hyphen the text does not have (ReportLab added it where it hyphenated
  a word: "hos-" / "pital") is said to be one (`added`): the hook in layouts/engine.py
  draws it with a `Tj` of its own between two PDF comments, and layouts/tagging.py makes it
  an /Artifact between two marked-content sequences of the paragraph's element, so the
  element reads "hos" + "pital", one word, and nothing printed moves.

The last line of a paragraph gets its space too: a table row's cells are read one after the
other in one element, and "weeks." must not run into the next cell's "A practitioner".

Why the added hyphen is not hidden another way (docs/accessibility.md, "Line breaks"): a
`/Span <</ActualText ()>> BDC … EMC` around it nests marked content inside the unit's
sequence, and poppler (22.12: `pdfinfo -struct-text`) ends the unit's text at the span's
EMC (the rest of the paragraph is lost), as pdfplumber forgets the unit's tag and MCID
there (the page audit reads them); printing the hyphen as U+00AD (SOFT_HYPHEN; DejaVu's
soft hyphen has the hyphen's width) makes `pdftotext` print "hos\u00ad" / "pital" where it
printed "hospital", and the page audit no longer sees the hyphenated breaks it checks.

A run that does not follow the text (none of the 19,108 line ends of the seed aids and test
fixtures in A4, Letter and large print does: the runs are the paragraph's own words) stops the reader for the rest of the paragraph, which is then drawn
exactly as ReportLab draws it. The drawing itself is hooked in layouts/engine.py.
"""

from __future__ import annotations

import re

# Draw a hyphen ReportLab added at a line end as U+00AD (see above) rather than as an artifact:
# off, for pdftotext's sake.
SOFT_HYPHEN = False

TOKEN = re.compile(r"(?:[^\s]|\u00a0)+")  # a run of characters between white space (a no-break space is one)
BLANKS = re.compile(r"[^\S\u00a0]*")  # white space ReportLab breaks lines at


def _blank(c: str) -> bool:
    """White space ReportLab breaks lines at (a no-break space is a character of its word)."""
    return c.isspace() and c != "\u00a0"


class LineReader:
    """Follows the runs a paragraph draws through `source`, the text it draws from (from its
    first word; for the first part of a split paragraph, on past its last)."""

    __slots__ = ("source", "at", "lost", "added")

    def __init__(self, source: str):
        self.source = source
        self.at = 0
        self.lost = False
        self.added = False  # the last line end's hyphen is one ReportLab added (not the text's)

    def _skip_blanks(self) -> None:
        """Step over white space in the source."""
        self.at = BLANKS.match(self.source, self.at).end()

    def rest(self) -> str:
        """The source from the first word not yet drawn ("" when lost)."""
        if self.lost:
            return ""
        self._skip_blanks()
        return self.source[self.at:]

    def _consume(self, text: str) -> bool:
        """Follow `text` through the source; False (and lost) where it does not follow."""
        if self.source.startswith(text, self.at):  # the usual case: the words as the text spaces them
            self.at += len(text)
            return True
        for token in TOKEN.findall(text):
            self._skip_blanks()
            if not self.source.startswith(token, self.at):
                self.lost = True
                return False
            self.at += len(token)
        return True

    def line_end(self, text: str) -> str:
        """Follow a run that ends a line; the run as it is to be drawn: with a space after it
        where the break falls between words (or the paragraph ends), else as it is (or, with
        SOFT_HYPHEN, a hyphen ReportLab added drawn as U+00AD); `added` says whether it ends
        in a hyphen ReportLab added."""
        self.added = False
        if self.lost or not self._consume(text[:-1] if text.endswith("-") else text):
            return text
        if text.endswith("-"):
            head = text[:-1]
            if not head or _blank(head[-1]):
                self._skip_blanks()  # a dash standing alone
            if self.source.startswith("-", self.at):
                self.at += 1  # the text's own hyphen: "long-" / "term", or a dash
            elif head and not _blank(head[-1]):
                # a hyphen ReportLab added where it hyphenated a word: no break
                if SOFT_HYPHEN:
                    return head + "\u00ad"
                self.added = True
                return text
            else:
                self.lost = True
                return text
        if text and _blank(text[-1]):
            return text  # the run already ends in a space
        s = self.source
        return text + " " if self.at >= len(s) or _blank(s[self.at]) else text

    def run(self, text: str) -> None:
        """Follow a run that does not end a line."""
        if not self.lost:
            self._consume(text)
