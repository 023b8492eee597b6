"""The embedded font family shipped with aidpress (DejaVu Sans, see fonts/LICENSE)."""

from __future__ import annotations

import functools
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


@functools.cache
def drawable() -> frozenset[int]:
    """Code points every face used for YAML text can draw."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    sets = [set(TTFontFace(str(FONT_DIR / FACES[face][1])).charToGlyph) for face in TEXT_FACES]
    return frozenset.intersection(*map(frozenset, sets))
