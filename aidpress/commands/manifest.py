"""Incremental builds: remember what each PDF was built from.

The manifest (output/.aidpress-manifest.json) has one entry per PDF — so A4, Letter and
large-print variants of one aid each keep their own — holding a hash of all its inputs
(the YAML, the clinic profile, the build options and aidpress's own code and fonts),
the aid it was built from, and the PDF's own hash. A PDF is rebuilt unless its inputs
hash the same and it is still there, unmodified. A manifest that cannot be read, or
is not the shape written here, is set aside with a warning and everything is rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..errors import Location, Problem
from ..write import write_atomic

NAME = ".aidpress-manifest.json"


@functools.cache  # one value, for the life of the process: a running `watch` sees code changes only once restarted
def code_fingerprint() -> str:
    """aidpress's version and the bytes of its code and fonts: a change rebuilds everything."""
    import layouts

    digest = hashlib.sha256(__version__.encode())
    for package in (Path(__file__).parent, Path(layouts.__file__).parent):
        for file in sorted(package.rglob("*")):
            if file.suffix in (".py", ".ttf"):
                digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()


def inputs_key(clinic_path: Path | None, options) -> str:
    """The inputs every aid of one build shares."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps(asdict(options), default=str, sort_keys=True).encode())
    digest.update(clinic_path.read_bytes() if clinic_path else b"no clinic profile")
    return digest.hexdigest()


ENTRY_KEYS = {"inputs", "source", "pdf"}


def _well_formed(entries) -> bool:
    return isinstance(entries, dict) and all(
        isinstance(k, str) and isinstance(v, dict) and set(v) == ENTRY_KEYS
        and all(isinstance(x, str) for x in v.values()) for k, v in entries.items())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Manifest:
    def __init__(self, path: Path, entries: dict):
        self.path, self.entries = path, entries
        self.set_aside: Problem | None = None  # a warning, when the old record could not be used

    @classmethod
    def open(cls, out_dir: Path) -> "Manifest":
        path = out_dir / NAME
        if not path.exists():
            return cls(path, {})
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = None
        if not _well_formed(entries):
            manifest = cls(path, {})
            manifest.set_aside = Problem(Location(str(path), 0, 0), (), "this build record is damaged or not "
                                         "aidpress's: set aside, so everything is rebuilt", severity="warning")
            return manifest
        return cls(path, entries)

    def key(self, inputs: list[Path], common: str) -> str:
        digest = hashlib.sha256(common.encode())
        for path in inputs:
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def unchanged(self, output: Path, key: str) -> Path | None:
        """The PDF, if it was built from these very inputs and is still there as written."""
        entry = self.entries.get(str(output))
        if not entry or entry["inputs"] != key:
            return None
        try:
            return output if _sha(output) == entry["pdf"] else None
        except OSError:
            return None

    def record(self, output: Path, key: str, source: Path) -> None:
        self.entries[str(output)] = {"inputs": key, "source": str(source), "pdf": _sha(output)}

    def forget(self, source: Path) -> list[Path]:
        """An aid file is gone: remove the PDFs built from it (only if still as written)."""
        removed = []
        for output, entry in list(self.entries.items()):
            if entry["source"] != str(source):
                continue
            path = Path(output)
            try:
                if _sha(path) == entry["pdf"]:
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass  # already gone
            del self.entries[output]
        self.save(allow_empty=True)
        return removed

    def save(self, allow_empty: bool = False) -> None:
        if self.entries or (allow_empty and self.path.exists()):
            text = json.dumps(self.entries, indent=1, sort_keys=True) + "\n"
            write_atomic(self.path, text.encode())
