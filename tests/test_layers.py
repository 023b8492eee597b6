"""The import rules of docs/design.md, read from the source so they stay true.

    cli.py ──▶ aidpress.commands ──▶ aidpress (core: load → validate → models)
                                 └─▶ layouts   (models → PDF bytes)

Nothing imports upwards; layouts/ sees only the models and a few small shared pieces;
and no module imports, however indirectly, one that imports it (no import cycles, not
even through an import inside a function).
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
                   "aidpress.scoring", "aidpress.deferred", "aidpress.thresholds",
                   "aidpress.dates"}  # how a date is printed: the same on a leaflet as on a patient's sheet
CORE_MUST_NOT = ("aidpress.commands", "layouts", "cli")
MODEL_MUST_NOT = ("yaml", "aidpress.schema", "aidpress.source", "aidpress.validate", "aidpress.patient",
                  "aidpress.roster")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_statements(path: Path, name: str | None = None):
    """(module, names imported from it) for every import in a file, at any depth of it (lazy
    imports count), relative ones resolved; `import x` gives (x, [])."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            yield base, [alias.name for alias in node.names]


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (lazy imports count)."""
    found = set()
    for base, names in import_statements(path):
        found.add(base)
        found |= {f"{base}.{name}" for name in names}  # `from aidpress import model`
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


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for p in files("aidpress", "layouts") + [ROOT / "cli.py"]}


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the project modules it imports, at any depth of the file. `from . import
    engine` is an import of layouts.engine, not of the package layouts (whose own imports
    of its submodules would otherwise look like cycles that Python never runs into)."""
    graph = {}
    for name, path in modules.items():
        found = set()
        for base, names in import_statements(path, name):
            named = {f"{base}.{alias}" for alias in names}
            found |= named & set(modules)
            if not names or named - set(modules):  # `import base`, or a name defined in base
                found.add(base)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as the path around it (depth-first search, each cycle once)."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path):
    """The checker itself, on a made-up package: a ↔ b, b's import inside a function."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from .b import g\n")
    (tmp_path / "pkg" / "b.py").write_text("def g():\n    from . import a\n")
    (tmp_path / "pkg" / "c.py").write_text("from . import a\n")
    modules = {"pkg": tmp_path / "pkg" / "__init__.py",
               **{f"pkg.{n}": tmp_path / "pkg" / f"{n}.py" for n in "abc"}}
    graph = import_graph(modules)
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_no_module_imports_itself_through_others():
    """check ↔ preflight and source ↔ yamlerrors once were cycles, each hidden by an import
    inside a function: a layer you cannot read top-down. None may come back."""
    assert cycles(import_graph(project_modules())) == []


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


CACHES = ("cache", "lru_cache", "cached_property")


def cached_functions(path: Path):
    """(function, line, is a method) for every function memoised with functools."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    methods = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in CACHES:
                    yield node.name, decorator.lineno, id(node) in methods and name != "cached_property"


def test_every_cache_is_in_the_design_table_and_the_core_s_say_their_key_and_lifetime():
    """docs/design.md lists every cache with its key and lifetime; in the core each also says
    so where it lives, and none sits on a method (it would keep every instance alive)."""
    doc = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    table = doc[doc.index("### Caches"):]
    table = table[: table.index("\n## ")]
    missing, unsaid, on_methods = [], [], []
    for path in files("aidpress", "layouts"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for function, line, is_method in cached_functions(path):
            where = f"{path.relative_to(ROOT)}:{line} {function}"
            if function not in table:
                missing.append(where)
            if path.parts[len(ROOT.parts)] == "aidpress":
                if "for the life of the process" not in lines[line - 1]:
                    unsaid.append(where)
                if is_method:
                    on_methods.append(where)
    assert (missing, unsaid, on_methods) == ([], [], [])


def test_the_cli_s_commands_only_call_the_commands_layer():
    """A command in cli.py parses its arguments, calls its command() and exits with what it
    returns: it imports nothing but its command module, and decides nothing (no if, no loop,
    no try). The policy (--strict, exit codes, what is printed) is in aidpress/commands/."""
    tree = ast.parse((ROOT / "cli.py").read_text(encoding="utf-8"))
    commands = [node for node in tree.body if isinstance(node, ast.FunctionDef)
                and any("command" in ast.unparse(d) for d in node.decorator_list)]
    assert sorted(c.name for c in commands) == ["aftercare", "build", "check", "init", "schema", "watch"]
    for function in commands:
        imported = {name for node in ast.walk(function) if isinstance(node, ast.ImportFrom)
                    for name in [node.module] + [f"{node.module}.{a.name}" for a in node.names]}
        module = {"aftercare": "sheets"}.get(function.name, function.name)  # the sheets command makes aftercare
        assert imported == {"aidpress.commands", f"aidpress.commands.{module}"}, function.name
        decides = [type(node).__name__ for node in ast.walk(function)
                   if isinstance(node, (ast.If, ast.IfExp, ast.For, ast.While, ast.Try, ast.With))]
        assert decides == [], function.name


def test_a_yaml_file_becomes_a_value_only_through_load_from_file(tmp_path):
    """One way in (cfgv's load_from_filename): only aidpress/validate.py reads a file with
    source.load or makes a Decoder; everyone else calls validate.load_from_file, which
    reads, parses, validates and applies defaults, and says where each key is."""
    callers = sorted({f"{path.relative_to(ROOT)}" for path in files("aidpress", "layouts") + [ROOT / "cli.py"]
                      for base, names in import_statements(path)
                      if (base == "aidpress.source" and "load" in names) or "Decoder" in names})
    assert callers == ["aidpress/validate.py"]

    from aidpress.model import Aid, Clinic
    from aidpress.validate import load_from_file

    blank = load_from_file(None, Clinic)
    assert (blank.value, blank.path) == (Clinic(), None)
    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: Riverside Clinic\nphone: 0100 000 000\n")
    loaded = load_from_file(profile, Clinic)
    assert (loaded.value.name, loaded.value.paper, loaded.path) == ("Riverside Clinic", "a4", profile)  # a default
    assert str(loaded.locate(("phone",), at_key=True)) == f"{profile}:2:1"
    quiz = load_from_file(ROOT / "aids" / "decision-quiz.yaml", Aid)
    assert quiz.value.kind == "quiz" and quiz.path == ROOT / "aids" / "decision-quiz.yaml"
