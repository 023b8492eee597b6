"""What a fast start relies on: fonts read once, a coverage table that matches the fonts,
work put off with the standard library's own tools, and nothing of another library patched.

(Timings live in bench/startup.py and docs/performance.md, never here.)
"""

from __future__ import annotations

import json
import subprocess
import sys

from aidpress import fonts

from .conftest import ROOT


def python(code: str) -> str:
    """What `code` prints, run in a fresh interpreter from the project root."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_shipped_coverage_table_matches_the_fonts():
    # expected value from ReportLab's own cmap parser, not from the shipped table
    assert fonts.COVERAGE.read_text(encoding="utf-8") == fonts.coverage_table(), "run: python -m aidpress.fonts"
    table = json.loads(fonts.COVERAGE.read_text(encoding="utf-8"))
    assert set(table["faces"]) == set(fonts.TEXT_FACES)
    assert fonts.drawable() == fonts.measured_coverage()
    assert ord("é") in fonts.drawable() and ord("→") in fonts.drawable() and 0x1F642 not in fonts.drawable()


def test_a_table_for_other_fonts_is_not_used(tmp_path, monkeypatch):
    table = json.loads(fonts.COVERAGE.read_text(encoding="utf-8"))
    table["faces"]["bold"] = "00000000-1"  # as if the bold face had been replaced
    table["ranges"] = [[65, 90]]  # and this table were wrong for it
    stale = tmp_path / "coverage.json"
    stale.write_text(json.dumps(table))
    monkeypatch.setattr(fonts, "COVERAGE", stale)
    fonts.drawable.cache_clear()
    try:
        assert fonts.drawable() == fonts.measured_coverage()
        assert len(fonts.drawable()) > 5000
    finally:
        fonts.drawable.cache_clear()


COUNT_OPENS = r"""
import collections, sys
opened = collections.Counter()
def hook(event, args):
    if event == "open" and str(args[0]).endswith(".ttf"):
        opened[str(args[0]).rsplit("/", 1)[1]] += 1
sys.addaudithook(hook)
from pathlib import Path
from aidpress.validate import load_aid, load_clinic
from layouts import render
clinic = load_clinic(Path("clinic.yaml"))
aid = load_aid(Path("aids/decision-flowchart.yaml"))  # a flowchart uses the oblique face too
render(aid, clinic)
print(sorted(opened.items()))
"""


def test_validating_and_rendering_read_each_font_file_once():
    result = subprocess.run([sys.executable, "-c", COUNT_OPENS], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == str(sorted((file, 1) for _name, file in fonts.FACES.values()))


def test_help_and_version_import_neither_yaml_nor_reportlab_nor_difflib():
    code = ("import sys, cli\n"
            "for args in (['--help'], ['--version']):\n"
            "    try:\n        cli.main(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'reportlab', 'difflib', 'jsonschema')))")
    assert python(code).splitlines()[-1] == "[]"


# ── put-off start-up work (aidpress/deferred.py) ──────────────────────────────────────

PLANTED = r"""
import json, sys, types
from pathlib import Path
from aidpress.validate import load_aid, load_clinic  # aidpress first, as a build imports them
from layouts import render
render(load_aid(Path("aids/decision-flowchart.yaml")), load_clinic(Path("clinic.yaml")))
def ours(value):
    made_by = {getattr(value, "__module__", None) if callable(value) else None, type(value).__module__}
    return any(str(m).split(".")[0] in ("aidpress", "layouts", "cli") for m in made_by)
print(json.dumps(sorted(f"{m}.{k}" for m, mod in list(sys.modules.items()) if isinstance(mod, types.ModuleType)
                        and m.split(".")[0] in ("reportlab", "yaml", "re", "sys", "atexit", "importlib")
                        for k, v in list(vars(mod).items()) if ours(v))))
"""


def test_a_build_plants_nothing_in_reportlab_pyyaml_or_the_standard_library():
    """Nothing of another library is patched: after a build's imports and a render, no
    attribute of ReportLab's, PyYAML's or re's modules holds a function, class or object of
    aidpress's making (a pattern compiled later, a stand-in font class)."""
    assert json.loads(python(PLANTED)) == []


def test_pillow_and_pyphen_load_only_when_used():
    code = ("import sys, layouts\n"
            "print(sorted(m for m in ('PIL._imaging', 'pyphen._version') if m in sys.modules))\n"
            "import PIL.Image, pyphen\n"
            "print(PIL.Image.new('1', (2, 2)).size, 'en_GB' in pyphen.LANGUAGES)\n")
    assert python(code).splitlines() == ["[]", "(2, 2) True"]


def test_a_control_character_is_refused_at_its_line_and_column(tmp_path):
    """The loader checks YAML's printable rule itself (PyYAML's pattern costs 4 ms to compile):
    the same characters are refused, with a located message instead of PyYAML's traceback."""
    import pytest
    import yaml

    from aidpress.errors import InvalidAid
    from aidpress.source import load

    fine = tmp_path / "fine.yaml"
    fine.write_text("a: café – ✓ 漢字 \U0001F642 \u0085\n", encoding="utf-8")
    load(fine)
    yaml.safe_load(fine.read_text(encoding="utf-8"))  # PyYAML agrees it is fine
    for text, line, column in [("a: ok\nb: ring \x07 bell\n", 2, 9),  # counted by hand
                               ("\x1b[0ma: 1\n", 1, 1), ("a: 1\nb: 2\nc: [x,\x00]\n", 3, 7),
                               ("a: \ufffe\n", 1, 4)]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InvalidAid) as refused:
            load(bad)
        assert str(refused.value).startswith(f"{bad}:{line}:{column}: error: character U+"), str(refused.value)
        with pytest.raises(yaml.reader.ReaderError):
            yaml.safe_load(text)  # PyYAML refuses it too


# ── the cache of parsed font faces (layouts/engine.py) ────────────────────────────────

def comparable(obj) -> dict:
    """An object's attributes, with functions replaced by what they compute."""
    out = {}
    for key, value in vars(obj).items():
        if callable(value):
            value = [value(x) for x in (0, 1, 1234.5)]
        out[key] = value
    return out


def test_a_face_read_back_from_the_cache_is_the_parsed_face(tmp_path):
    import pytest
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

    from layouts import engine

    for face, (name, file) in fonts.FACES.items():
        data, filename = fonts.font_bytes(face), str(fonts.FONT_DIR / file)
        stream = __import__("io").BytesIO(data)
        stream.name = filename
        parsed = TTFont(name, stream)  # what ReportLab makes on its own
        first = engine.truetype_font(name, data, filename, key=fonts.checksum(face), cache_dir=tmp_path)
        with pytest.MonkeyPatch.context() as patch:  # a warm cache must not parse (ReportLab upgrades)
            patch.setattr(TTFontFile, "extractInfo", lambda *a, **k: pytest.fail("parsed despite the cache"))
            again = engine.truetype_font(name, data, filename, key=fonts.checksum(face), cache_dir=tmp_path)
        assert "charWidths" not in vars(again.face)  # read back lazily: registering needs only the name
        assert again.face.name == parsed.face.name and "charWidths" not in vars(again.face)
        assert again.face.getCharWidth(ord("W")) == parsed.face.getCharWidth(ord("W"))  # reads the widths
        assert "charWidths" in vars(again.face) and "charToGlyph" not in vars(again.face)  # and only them
        for made in (first, again):
            assert made.face is not parsed.face
            for attr in vars(parsed.face):
                getattr(made.face, attr)  # every table, as ReportLab would ask for it
            assert comparable(made.face) == comparable(parsed.face), face
            assert {k for k in vars(made)} == {k for k in vars(parsed)}
            assert (made.fontName, made._asciiReadable, made.shapable) == (name, parsed._asciiReadable, parsed.shapable)
        assert type(again.face.name) is type(parsed.face.name)  # TTFNameBytes, not plain bytes
    assert len(list(tmp_path.glob("*.face"))) == len(fonts.FACES)


def test_a_broken_or_missing_cache_costs_only_time(tmp_path):
    from reportlab.pdfbase.ttfonts import TTFontFace

    from layouts import engine

    name, file = fonts.FACES["regular"]
    data, filename, key = fonts.font_bytes("regular"), str(fonts.FONT_DIR / file), fonts.checksum("regular")
    engine.truetype_font(name, data, filename, key=key, cache_dir=tmp_path)
    (cached,) = tmp_path.glob("*.face")
    good = cached.read_bytes()
    for broken in (b"not a cache", good[:-1] + bytes([good[-1] ^ 1]), good[:len(good) // 2]):
        cached.write_bytes(broken)  # rubbish; one bit of the tables flipped; cut short
        font = engine.truetype_font(name, data, filename, key=key, cache_dir=tmp_path)
        assert font.face.charToGlyph[ord("A")] > 0 and type(font.face) is TTFontFace  # parsed, not cached
        assert cached.read_bytes() == good  # and written back
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    font = engine.truetype_font(name, data, filename, key=key, cache_dir=blocked / "cache")  # cannot be made
    assert font.face.charToGlyph[ord("A")] > 0


CACHED_BUILD = r"""
import sys
from pathlib import Path
from aidpress.validate import load_aid, load_clinic
from layouts import render
pdf = render(load_aid(Path("aids/decision-flowchart.yaml")), load_clinic(Path("clinic.yaml"))).pdf
Path(sys.argv[1]).write_bytes(pdf)
"""


def test_the_same_bytes_with_a_cold_cache_a_warm_one_and_none(tmp_path):
    import os

    outputs = []
    for run, cache in enumerate([tmp_path / "cache", tmp_path / "cache", ""]):
        env = dict(os.environ, AIDPRESS_CACHE_DIR=str(cache))
        out = tmp_path / f"{run}.pdf"
        subprocess.run([sys.executable, "-c", CACHED_BUILD, str(out)], cwd=ROOT, env=env, check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(list((tmp_path / "cache").glob("*.face"))) == len(fonts.FACES)


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AIDPRESS_CACHE_DIR", str(tmp_path / "mine"))
    assert fonts.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("AIDPRESS_CACHE_DIR", "")
    assert fonts.cache_dir() is None
    monkeypatch.delenv("AIDPRESS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fonts.cache_dir() == tmp_path / "xdg" / "aidpress"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fonts.cache_dir() == tmp_path / "home" / ".cache" / "aidpress"
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no home folder at all
    assert fonts.cache_dir() is None


# ── the console script (cli.run): no collection during start-up, complete output ──────

SCRIPT = [sys.executable, "-c", "import cli; cli.run(prog_name='aidpress')"]


def test_the_console_script_keeps_mains_exit_status_and_every_line_of_output(tmp_path):
    from .conftest import AIDS

    listing = tmp_path / "listing.txt"
    with listing.open("w") as out:  # a file, not a terminal: output is buffered until the exit
        done = subprocess.run([*SCRIPT, "check", "--verbose", *map(str, AIDS)], cwd=ROOT, stdout=out,
                              stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    lines = listing.read_text().splitlines()
    assert lines[-1] == f"{len(AIDS)} files checked: 0 errors, 0 warnings"
    assert sum(": note: reading grade" in line for line in lines) == len(AIDS)
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: checklist\n", encoding="utf-8")
    done = subprocess.run([*SCRIPT, "check", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and f"{bad}:1:1: error:" in done.stdout
    done = subprocess.run([*SCRIPT, "no-such-command"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "Usage: aidpress" in done.stderr


def test_output_through_a_pipe_arrives_whole(tmp_path):
    """Read through a pipe, as `aidpress check … | less` would: exactly what a file gets,
    ending with the summary, nothing on stderr."""
    from .conftest import AIDS

    args = [*SCRIPT, "check", *map(str, AIDS)]
    piped = subprocess.run(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with (tmp_path / "out.txt").open("w") as out:
        subprocess.run(args, cwd=ROOT, stdout=out, check=True)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout == (tmp_path / "out.txt").read_text()
    assert piped.stdout.endswith(f"{len(AIDS)} files checked: 0 errors, 0 warnings\n")


def test_a_reader_that_goes_away_is_status_1_without_a_traceback():
    """`aidpress check … | head -1`: the reader closes the pipe after one line."""
    from .conftest import AIDS

    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    done = subprocess.run([*SCRIPT, "check", *map(str, AIDS * 20)], cwd=ROOT, stdout=reader.stdin,
                          stderr=subprocess.PIPE, text=True)
    reader.stdin.close()
    reader.wait()
    assert done.returncode == 1 and "Traceback" not in done.stderr and "Exception" not in done.stderr, done.stderr


def test_collection_resumes_when_start_up_ends():
    code = ("import gc\n"
            "gc.disable()  # as cli.run does\n"
            "from layouts import register_fonts\n"
            "register_fonts()\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 1000)\n")
    assert python(code).split() == ["True", "True"]


def test_watch_collects_garbage_even_if_nothing_ever_renders(tmp_path):
    code = ("import gc, pathlib\n"
            "gc.disable()  # as cli.run does\n"
            "from aidpress.commands.preflight import BuildOptions\n"
            "from aidpress.commands.watch import watch\n"
            f"watch([], None, BuildOptions(out_dir=pathlib.Path({str(tmp_path)!r})), report=print, keep_going=lambda: False)\n"
            "print(gc.isenabled())\n")
    assert python(code).split() == ["True"]


def test_every_dataclass_says_what_it_is():
    """A dataclass without a docstring makes Python write one at import time from
    inspect.signature (about 0.3 ms each, dozens on a build's path); and a class worth
    declaring is worth a sentence."""
    import ast

    missing = []
    for path in sorted([*(ROOT / "aidpress").rglob("*.py"), *(ROOT / "layouts").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None
                    and any("dataclass" in ast.unparse(d) for d in node.decorator_list)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []
