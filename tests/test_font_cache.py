"""A damaged font cache is a missing cache (issue 19, point 7).

Every byte of a cache file is covered by its check: whatever is damaged — the marker, the
digest, the header ReportLab's small values are read from, a table — the face is parsed
again, the file rewritten whole, and the PDF is the one a build with no cache makes.
"""

from __future__ import annotations

import io
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from aidpress import fonts
from layouts import engine

from .conftest import ROOT

NAME, FILE = fonts.FACES["regular"]


def make(cache_dir: Path):
    return engine.truetype_font(NAME, fonts.font_bytes("regular"), str(fonts.FONT_DIR / FILE),
                                key=fonts.checksum("regular"), cache_dir=cache_dir)


@pytest.fixture
def cache(tmp_path) -> tuple[Path, bytes]:
    """A cache folder holding the regular face's file, and that file's good bytes."""
    make(tmp_path)
    (path,) = tmp_path.glob("*.face")
    return path, path.read_bytes()


def regions(good: bytes) -> dict[str, tuple[int, int]]:
    """Where each part of a cache file lies, [start, end), read from the format (engine.MAGIC)."""
    digest_at = len(engine.MAGIC)
    header_at = digest_at + engine.DIGEST
    stream = io.BytesIO(good[header_at:])
    marshal.load(stream)
    body_at = header_at + stream.tell()
    return {"marker": (0, digest_at), "digest": (digest_at, header_at), "header": (header_at, body_at),
            "body": (body_at, len(good))}


def assert_parsed_and_rewritten(path: Path, good: bytes) -> None:
    font = make(path.parent)
    assert type(font.face) is TTFontFace  # parsed from the font file, not read from the cache
    assert font.face.charToGlyph[ord("A")] > 0 and font.face.ascent > 0
    assert path.is_file() and path.read_bytes() == good  # and the cache written anew, whole


def test_a_good_cache_is_read_back_not_parsed(cache):
    path, good = cache
    assert type(make(path.parent).face) is not TTFontFace and path.read_bytes() == good
    assert set(regions(good)) == {"marker", "digest", "header", "body"}
    assert all(end > start for start, end in regions(good).values())


@pytest.mark.parametrize("part", ["marker", "digest", "header", "body"])
@pytest.mark.parametrize("where", [0.0, 0.3, 0.7, 1.0])  # first byte … last byte of the part
@pytest.mark.parametrize("bit", [0x01, 0x80])
def test_one_flipped_bit_anywhere_is_no_cache(cache, part, where, bit):
    path, good = cache
    start, end = regions(good)[part]
    at = start + round(where * (end - 1 - start))
    damaged = bytearray(good)
    damaged[at] ^= bit
    path.write_bytes(damaged)
    assert_parsed_and_rewritten(path, good)


@pytest.mark.parametrize("keep", ["nothing", "marker", "part of the digest", "digest", "half the header",
                                  "header", "half the body", "all but the last byte"])
def test_a_file_cut_short_anywhere_is_no_cache(cache, keep):
    path, good = cache
    parts = regions(good)
    length = {"nothing": 0, "marker": parts["marker"][1], "part of the digest": parts["digest"][0] + 5,
              "digest": parts["digest"][1], "half the header": sum(parts["header"]) // 2,
              "header": parts["header"][1], "half the body": sum(parts["body"]) // 2,
              "all but the last byte": len(good) - 1}[keep]
    path.write_bytes(good[:length])
    assert_parsed_and_rewritten(path, good)


def test_a_longer_file_or_another_programs_file_is_no_cache(cache):
    path, good = cache
    for damaged in (good + b"\0", b"not a cache at all", marshal.dumps({"body": 0})):
        path.write_bytes(damaged)
        assert_parsed_and_rewritten(path, good)


def test_a_folder_where_the_file_belongs_is_replaced(cache):
    path, good = cache
    path.unlink()
    (path / "inside").mkdir(parents=True)
    assert_parsed_and_rewritten(path, good)


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    for cache_dir in (blocked, blocked / "cache", Path("/proc/self/no-such-cache")):  # a file; under a file; virtual
        font = make(cache_dir)
        assert type(font.face) is TTFontFace and font.face.charToGlyph[ord("A")] > 0
    assert blocked.read_text() == "x"


BUILD = r"""
import sys
from pathlib import Path
from aidpress.validate import load_aid, load_clinic
from layouts import render
pdf = render(load_aid(Path("aids/decision-flowchart.yaml")), load_clinic(Path("clinic.yaml"))).pdf
Path(sys.argv[1]).write_bytes(pdf)
"""


def build(tmp_path: Path, cache_dir: str, name: str) -> bytes:
    out = tmp_path / f"{name}.pdf"
    env = dict(os.environ, AIDPRESS_CACHE_DIR=cache_dir)
    subprocess.run([sys.executable, "-c", BUILD, str(out)], cwd=ROOT, env=env, check=True)
    return out.read_bytes()


def test_every_damage_builds_the_pdf_a_build_with_no_cache_makes(tmp_path):
    """The flowchart sets regular, bold and oblique: every face's file is damaged at once."""
    cache_dir = tmp_path / "cache"
    expected = build(tmp_path, "", "none")
    assert build(tmp_path, str(cache_dir), "cold") == expected
    files = sorted(cache_dir.glob("*.face"))
    good = {path: path.read_bytes() for path in files}
    assert len(files) == len(fonts.FACES)

    def flip(at):
        return lambda data: data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1:]

    damages = {"marker bit": flip(2), "digest bit": flip(len(engine.MAGIC) + 7),
               "header bit": lambda data: flip(regions(data)["header"][0] + 40)(data),
               "body bit": lambda data: flip(len(data) - 100)(data), "cut": lambda data: data[:len(data) // 3]}
    for name, damage in damages.items():
        for path in files:
            path.write_bytes(damage(good[path]))
        assert build(tmp_path, str(cache_dir), name) == expected, name
        assert all(path.read_bytes() == good[path] for path in files), name  # each rewritten
