"""The embedded font family shipped with aidpress (DejaVu Sans, see fonts/LICENSE).

Each TTF is read from disk once per process (`font_bytes`), and that one read serves
both the page layer's font registration and the character-coverage check. The coverage
check does not parse the fonts at all: the table of drawable code points ships as
fonts/coverage.json, keyed by a CRC-32 of each face it was made from. If a face no longer
matches (a font was replaced), the table is worked out from the font itself, as before.
Regenerate the file after changing a font: `python -m aidpress.fonts`.

The page layer's parse of each face is cached between runs (`cache_dir`), keyed by the
same checksum.
"""

from __future__ import annotations

import functools
import json
import os
import zlib
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
NAME = "DejaVu Sans"
FACES = {
    "regular": ("DejaVuSans", "DejaVuSans.ttf"),
    "bold": ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
    "italic": ("DejaVuSans-Oblique", "DejaVuSans-Oblique.ttf"),
    "bolditalic": ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
}
# Text from YAML is only ever set in these faces; the oblique faces draw fewer
# characters, so they are kept for aidpress's own fixed wording.
TEXT_FACES = ("regular", "bold")
COVERAGE = FONT_DIR / "coverage.json"


@functools.cache  # cache key: the face name (four faces); kept for the life of the process
def font_bytes(face: str) -> bytes:
    """The TTF file of one face ("regular", "bold", …), read once per process."""
    return (FONT_DIR / FACES[face][1]).read_bytes()


def cache_dir() -> Path | None:
    """Where parsed faces are kept between runs (layouts/engine.py), or None for no cache.

    $AIDPRESS_CACHE_DIR if set (empty: no cache), else $XDG_CACHE_HOME/aidpress, else
    ~/.cache/aidpress. The files are small, keyed by font and ReportLab release, and safe
    to delete at any time."""
    chosen = os.environ.get("AIDPRESS_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder to be found: no cache, rather than one in "./~"
        return None
    return Path(base) / "aidpress"


@functools.cache  # cache key: the face name (four faces); kept for the life of the process
def checksum(face: str) -> str:
    return f"{zlib.crc32(font_bytes(face)):08x}-{len(font_bytes(face))}"


@functools.cache  # one value (no arguments); kept for the life of the process
def drawable() -> frozenset[int]:
    """Code points every face used for YAML text can draw."""
    try:
        shipped = json.loads(COVERAGE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shipped = {}
    if shipped.get("faces") == {face: checksum(face) for face in TEXT_FACES}:
        return frozenset(code for start, end in shipped["ranges"] for code in range(start, end + 1))
    return measured_coverage()


def measured_coverage() -> frozenset[int]:
    """The coverage worked out from the fonts themselves (ReportLab's cmap parser)."""
    import io

    from reportlab.pdfbase.ttfonts import TTFontFace

    sets = [frozenset(TTFontFace(io.BytesIO(font_bytes(face))).charToGlyph) for face in TEXT_FACES]
    return frozenset.intersection(*sets)


def ranges(codes) -> list[list[int]]:
    """Sorted code points as [first, last] runs: 5,900 code points → a few hundred pairs."""
    out: list[list[int]] = []
    for code in sorted(codes):
        if out and code == out[-1][1] + 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def coverage_table() -> str:
    """The text of fonts/coverage.json for the fonts as they are now."""
    table = {"faces": {face: checksum(face) for face in TEXT_FACES}, "ranges": ranges(measured_coverage())}
    return json.dumps(table, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    COVERAGE.write_text(coverage_table(), encoding="utf-8")
    print(f"wrote {COVERAGE}")
