"""The import rules of docs/design.md, read from the source so they stay true.

    cli.py ──▶ aidpress.commands ──▶ aidpress (core: load → validate → models)
                                 └─▶ layouts   (models → PDF bytes)

Nothing imports upwards; layouts/ sees only the models and a few small shared pieces.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What layouts/ may import from aidpress: the models and small pieces without YAML. Not
# the page audit (aidpress/audit.py), which judges what the layout makes: both take the
# limits a page is held to from aidpress/thresholds.py.
LAYOUTS_MAY_USE = {"aidpress.model", "aidpress.rules", "aidpress.errors", "aidpress.fonts", "aidpress.labels",
                   "aidpress.scoring", "aidpress.deferred", "aidpress.thresholds"}
CORE_MUST_NOT = ("aidpress.commands", "layouts", "cli")
MODEL_MUST_NOT = ("yaml", "aidpress.schema", "aidpress.source", "aidpress.validate", "aidpress.patient",
                  "aidpress.roster")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (lazy imports count)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from aidpress import model`
    return found


def files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def offending(paths: list[Path], forbidden) -> list[str]:
    bad = []
    for path in paths:
        for name in imports_of(path):
            if forbidden(name):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_rule_reader_sees_relative_and_lazy_imports(tmp_path):
    """The checker itself: a relative import inside a function is still an import."""
    sample = ROOT / "aidpress" / "commands" / "preflight.py"
    assert "aidpress.model" in imports_of(sample)  # `from ..model import …`
    assert "layouts" in imports_of(sample)  # imported inside a function, not at the top


def test_layouts_import_only_the_models_and_small_shared_pieces():
    def forbidden(name: str) -> bool:
        if name == "yaml" or name.startswith("yaml."):
            return True
        if name == "aidpress" or not name.startswith("aidpress"):
            return False
        return not under(name, LAYOUTS_MAY_USE) and name.rpartition(".")[0] not in LAYOUTS_MAY_USE
    assert offending(files("layouts"), forbidden) == []


def test_the_layout_and_its_audit_share_their_page_limits_from_one_module():
    audit = ROOT / "aidpress" / "audit.py"
    assert "aidpress.thresholds" in imports_of(audit)
    assert any("aidpress.thresholds" in imports_of(p) for p in files("layouts"))
    assert offending(files("layouts"), lambda name: under(name, ("aidpress.audit",))) == []


def test_the_core_never_imports_commands_or_layouts():
    # aidpress/__main__.py is `python -m aidpress`: the command line itself, so above everything
    core = [p for p in files("aidpress") if "commands" not in p.parts and p.name != "__main__.py"]
    assert offending(core, lambda name: under(name, CORE_MUST_NOT)) == []


def test_the_models_import_nothing_from_validation():
    models = [ROOT / "aidpress" / "model.py", ROOT / "aidpress" / "rules.py"]
    assert offending(models, lambda name: under(name, MODEL_MUST_NOT)) == []


def test_layouts_never_import_the_commands():
    assert offending(files("layouts"), lambda name: under(name, ("aidpress.commands", "cli"))) == []


@pytest.mark.parametrize("module, absent", [
    ("layouts", ["yaml", "aidpress.schema", "aidpress.source", "aidpress.validate", "aidpress.patient"]),
    ("aidpress.model", ["yaml", "aidpress.schema", "reportlab"]),
])
def test_importing_a_layer_loads_nothing_below_the_rule(module, absent):
    """The same rule at run time: what an import really pulls in, transitively."""
    code = f"import sys, {module}; print(' '.join(m for m in {absent!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
