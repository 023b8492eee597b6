"""Incremental builds: remember what each PDF was built from.

The manifest (output/.aidpress-manifest.json) maps each aid file to a hash of all its
inputs — the YAML, the clinic profile, the build options and aidpress's own code and
fonts — and to the PDF it produced, with that PDF's hash. An aid is skipped only when
its inputs hash the same and its PDF is still there, unmodified.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..write import write_atomic

NAME = ".aidpress-manifest.json"


@functools.cache
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


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Manifest:
    def __init__(self, path: Path, entries: dict):
        self.path, self.entries = path, entries

    @classmethod
    def open(cls, out_dir: Path) -> "Manifest":
        path = out_dir / NAME
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}  # no manifest, or a damaged one: build everything
        return cls(path, entries if isinstance(entries, dict) else {})

    def key(self, inputs: list[Path], common: str) -> str:
        digest = hashlib.sha256(common.encode())
        for path in inputs:
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def unchanged(self, source: Path, key: str) -> Path | None:
        """The PDF built from these very inputs, if it is still there as written."""
        entry = self.entries.get(str(source))
        if not entry or entry.get("inputs") != key:
            return None
        output = Path(entry["output"])
        try:
            return output if _sha(output) == entry["pdf"] else None
        except OSError:
            return None

    def record(self, source: Path, key: str, output: Path) -> None:
        self.entries[str(source)] = {"inputs": key, "output": str(output), "pdf": _sha(output)}

    def save(self) -> None:
        if self.entries:
            text = json.dumps(self.entries, indent=1, sort_keys=True) + "\n"
            write_atomic(self.path, text.encode())
