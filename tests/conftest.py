from __future__ import annotations

from pathlib import Path

import pytest

from aidpress.model import Clinic

ROOT = Path(__file__).resolve().parent.parent
AIDS = sorted((ROOT / "aids").glob("*.yaml"))
GENERIC = sorted((ROOT / "tests" / "fixtures" / "generic").glob("*.yaml"))
CLINIC = Clinic(name="Riverside Physio & Wellbeing", phone="+44 20 7946 0321",
                address="1 Example Road, Sampletown", website="example.org")


@pytest.fixture
def clinic() -> Clinic:
    return CLINIC


@pytest.fixture
def write_yaml(tmp_path):
    """Write YAML text to a file in tmp_path and return its path."""
    import textwrap

    def write(text: str, name: str = "aid.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


# Parsed fonts are cached between runs (layouts/engine.py); the suite keeps its cache
# out of the user's home, in one folder for the whole run (subprocesses inherit it).
if "AIDPRESS_CACHE_DIR" not in __import__("os").environ:
    import os as _os
    import tempfile as _tempfile

    _os.environ["AIDPRESS_CACHE_DIR"] = _tempfile.mkdtemp(prefix="aidpress-test-cache-")
