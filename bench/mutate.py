"""Mutation testing for the modules that guard patient values (not part of the test run: slow).

    python3 bench/mutate.py [--sample N] [MODULE[:LINE,…] ...]   # default: every module in STAGES

Each mutant changes one thing in one module: a comparison turned round, `and` for `or`,
`+` for `-`, a number off by one, a boolean flipped, a string constant changed, a condition
negated, `continue` for `break`, a return made None, a statement dropped, the first two
arguments of a call swapped, a slice bound moved by one, a non-constant default made None,
a caught exception type changed, a call such as `.lower()` dropped.

This process imports the code and its test libraries once; each mutant runs in a fork of
it (two at a time) that puts the mutant in place in memory and runs the module's test
files (STAGES, quick focused files first, `-x`). A mutant is killed when a test fails (or
the run times out). The tests are first run with no mutant: they must pass. Survivors are
printed with their line so each can be judged: killed, or equivalent (it cannot change
behaviour), listed in EQUIVALENT below with the reason. Whole test files are run, never
single test ids (mutmut 3 miscounts parametrised ids). `--sample N` runs every k-th mutant,
about N per module, for a machine too busy for all of them.
"""

from __future__ import annotations

import ast
import os
import signal
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The tests each module's mutants run against, in stages: a mutant that survives one stage
# runs the next (so the quick, focused files kill most, and the slow ones see only survivors).
STAGES = {
    "aidpress/roster.py": [["tests/test_roster.py"], ["tests/test_sheet_safety.py"]],
    "aidpress/patient.py": [["tests/test_patient.py"], ["tests/test_sheet_safety.py"]],
    "aidpress/commands/sheets.py": [["tests/test_sheet_rows.py"], ["tests/test_sheet_safety.py"],
                                    ["tests/test_sheets.py"]],
}
TIMEOUT = 300

# Mutants judged unable to change behaviour: (module, the line's text, mutation) → why.
FROZEN = "frozen only guards against assignment; nothing assigns to or hashes these records"
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("aidpress/roster.py", "@dataclass(frozen=True)", "True → False"): FROZEN,
    ("aidpress/patient.py", "@dataclass(frozen=True)", "True → False"): FROZEN,
    ("aidpress/roster.py", 'return next((line for line in text.splitlines() if line.strip()), "")', "'' → 'XX'+…"):
        "a file with no line that has something on it is refused as empty whatever the delimiter",
    ("aidpress/patient.py", '"day/month/year": ("dmy", "23/11/2026"),', "'dmy' → 'XX'+…"):
        "day-month-year is the order parse_date falls through to; the tag is only compared with 'ymd' and 'mdy'",
    ("aidpress/commands/sheets.py", "@dataclass(frozen=True)", "True → False"): FROZEN,
    ("aidpress/roster.py", 'return next((line for line in re.split(r"\\r\\n|\\r|\\n", text) if line.strip()), "")',
     "'' → 'XX'+…"):
        "a file with no line that has something on it is refused as empty whatever the delimiter",
    ("aidpress/roster.py", "return max(1, len(records) + (1 if ended else 0))", "swap the first two arguments"):
        "max() is the same whichever order its arguments come in",
    ("aidpress/roster.py", 'return next((line for line in re.split(r"\\r\\n|\\r|\\n", text) if line.strip()), "")',
     repr(r"\r\n|\r|\n") + " → 'XX'+…"):
        "'XX\\r\\n|\\r|\\n' still splits at every \\r and \\n: the first line with something on it is the same",
    ("aidpress/commands/sheets.py", "if workers > 1:  # lay the sheet out once here: forked workers start with "
                                    "ReportLab and the fonts loaded", "1 → 2"):
        "the warm-up layout before forking only saves the workers time; every file is the same without it",
    ("aidpress/patient.py", "if time.group(1) is None:", "1 → 2"):
        "hour and minute are matched together: group 2 is None exactly when group 1 is",
    ("aidpress/patient.py",
     'def read_when(value: str, date_format: str = "year-month-day", need_time: bool = False) -> When | tuple[str, str]:',
     "'year-month-day' → 'XX'+…"):
        "every caller passes the clinic's date_format (parse_date and friendly_date have their own default)",
    ("aidpress/patient.py", 'name = unicodedata.name(c, "")', "'' → 'XX'+…"):
        "a character with no name is in no script either way: neither '' nor 'XX' starts with a script's name",
    ("aidpress/commands/sheets.py", "if len(pending) >= 2 * workers:", "Mult → Div"):
        "how many chunks are in flight bounds memory only; results are collected in roster order either way",
    # sheets.py survivors of the full run (issue 19 point 11). A dropped statement is keyed by
    # its line number in today's file ("drop the statement on line N"): renumber after an edit.
    ("aidpress/commands/sheets.py", "CHUNK = 100  # roster rows per print run when writing separate files: "
                                    "bounds memory", "100 → 101"):
        "rows per print run bound memory only: each sheet's file is the same, byte for byte, whatever the "
        "chunk (CHUNK 2 and 100 give identical files), and problems are sorted by line",
    ("aidpress/commands/sheets.py", "MERGE_CHUNK = 1000  # roster rows per print run when joining one PDF",
     "1000 → 1001"):
        "where a merged run is cut into parts bounds memory only: the joined PDF has the same sheets, pages and "
        "text in roster order (only how the parts were joined differs, for a roster past 1000 rows)",
    ("aidpress/commands/sheets.py", "self.fields: dict[int, str] = {}  # column index → field id",
     "drop the statement on line 308"):
        "Columns.__init__ assigns self.fields again before it returns, and nothing reads it before that",
    ("aidpress/commands/sheets.py", "self.names: dict[str, str] = {}  # field id → the column's name as the "
                                    "header gives it", "drop the statement on line 309"):
        "Columns.__init__ assigns self.names again before it returns, and nothing reads it before that",
    ("aidpress/commands/sheets.py", "if workers > 1:  # lay the sheet out once here: forked workers start with "
                                    "ReportLab and the fonts loaded", "drop the statement on line 511"):
        "the warm-up layout before forking only saves the workers time; every file is the same without it",
    ("aidpress/commands/sheets.py", "if not chunk.ready:", "drop the statement on line 531"):
        "a chunk whose rows were all refused: an empty print run has no misfits and splits into no files, so "
        "the ChunkDone is the same (its rows and refusals, nothing written); only an empty layout's time",
    ("aidpress/commands/sheets.py", "del run", "drop the statement on line 549"):
        "memory only: the run is freed when write_chunk returns",
    ("aidpress/commands/sheets.py", "gc.collect()  # workers live across chunks: free this one's layout first",
     "drop the statement on line 550"): "memory only: the garbage collector frees the layout later",
    ("aidpress/commands/sheets.py", 'title = language = ""', "drop the statement on line 562"):
        "title and language are read only to join parts, and a part exists only after the loop has set them "
        "from a chunk's aid",
    ("aidpress/commands/sheets.py", 'title = language = ""', "'' → 'XX'+…"):
        "title and language are read only to join parts, and a part exists only after the loop has set them "
        "from a chunk's aid",
    ("aidpress/commands/sheets.py", "if workers > 1:  # lay the sheet out once here: forked workers start with "
                                    "ReportLab and the fonts loaded", "negate the condition"):
        "the warm-up layout before forking only saves the workers time; every file is the same without it "
        "(or with it in a one-worker run)",
    ("aidpress/commands/sheets.py", "if workers > 1:  # lay the sheet out once here: forked workers start with "
                                    "ReportLab and the fonts loaded", "Gt → GtE"):
        "the warm-up layout before forking only saves the workers time; a one-worker run that lays out an "
        "empty sheet first writes the same files",
    ("aidpress/commands/sheets.py", "workers = workers or min(os.cpu_count() or 1, 2)", "swap the first two arguments"):
        "min() is the same whichever order its arguments come in",
    ("aidpress/commands/sheets.py", "workers = workers or min(os.cpu_count() or 1, 2)", "and ↔ or"):
        "`os.cpu_count() and 1`: one worker when none is asked for; the files and their order are the same "
        "(the same key also covers the outer `or`, whose mutant the tests kill: it is counted here, not as a kill)",
    ("aidpress/commands/sheets.py", "workers = workers or min(os.cpu_count() or 1, 2)", "2 → 3"):
        "how many workers share the run when none is asked for; the files and their order are the same",
    ("aidpress/commands/sheets.py", "workers = workers or min(os.cpu_count() or 1, 2)", "1 → 2"):
        "only where os.cpu_count() is None; how many workers share the run; the files are the same",
    ("aidpress/commands/sheets.py", "if len(pending) >= 2 * workers:", "GtE → Gt"):
        "one more chunk in flight a worker bounds memory only; results are collected in roster order either way",
    ("aidpress/commands/sheets.py", "if len(pending) >= 2 * workers:", "2 → 3"):
        "three chunks in flight a worker, not two: memory only; results are collected in roster order either way",
    ("aidpress/commands/sheets.py", "del run", "drop the statement on line 578"):
        "memory only: the next chunk's run replaces it",
    ("aidpress/commands/sheets.py", "gc.collect()  # a laid-out document is a web of cycles: free it before the next",
     "drop the statement on line 579"): "memory only: the garbage collector frees the layout later",
    ("aidpress/commands/sheets.py", "os.sync()  # every sheet on disk before the summary says so",
     "drop the statement on line 495"):
        "durability against a power cut only: the files, their modes and the summary are the same",
    ("aidpress/commands/sheets.py", "stamp(first.aid, first.clinic, [], first.options)", "drop the statement on line 512"):
        "the warm-up layout before forking only saves the workers time; every file is the same without it",
    ("aidpress/commands/sheets.py", 'fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=".part")  # 0600',
     "'.part' → 'XX'+…"):
        "the temporary file still starts with a dot and ends in .part, and is removed before put_new returns",
    ("aidpress/commands/sheets.py", "f.flush()", "drop the statement on line 276"):
        "durability only: closing the file writes what is buffered before the name is linked",
    ("aidpress/commands/sheets.py", "os.fsync(f.fileno())", "drop the statement on line 277"):
        "durability against a power cut only: the file, its name and its mode are the same",
    ("aidpress/commands/sheets.py", "for n in range(1, 10_000):", "10000 → 10001"):
        "the bound on names tried (9,999 or 10,000) stops an endless loop; one-off names carry the second "
        "they were made, so no folder comes near either",
    ("aidpress/commands/sheets.py", 'fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", '
                                    'suffix=".part")  # 0600', "'.part' → 'XX'+…"):
        "the temporary file still starts with a dot and ends in .part, and is renamed or removed before "
        "put_private returns",
    ("aidpress/commands/sheets.py", "results.append(ChunkDone(0, problems=[cannot_write(out, exc)]))", "0 → 1"):
        "a ChunkDone's rows are read only by progress, and this one (the merged file cannot be written) never "
        "goes to it",
    ("aidpress/commands/sheets.py", "return False", "return None"):
        "_InProcess.__exit__: None is false too, so an exception in a one-worker run goes on either way",
    ("aidpress/commands/sheets.py", "for ready, data in zip(kept, files, strict=True):", "True → False"):
        "a consistency check only: a print run lays out exactly the sheets kept (a misfit's sheet is left out), "
        "so there are always as many files as kept rows",
    ("aidpress/commands/sheets.py", 'out_dir: Path = Path("patients")', "'patients' → 'XX'+…"):
        "command() always gives out_dir (the project's patients/, else ./patients: tested there); this "
        "default is read by no run of the command",
    ("aidpress/commands/sheets.py", "for batch in batched(rows, MERGE_CHUNK if merge else CHUNK))",
     "negate the condition"):
        "the two chunk sizes swapped: rows per print run bound memory only (see CHUNK and MERGE_CHUNK)",
}

# Zero-argument methods whose result differs from their receiver: dropping one is a real mutant.
DROPPABLE = {"lower", "upper", "casefold", "strip", "lstrip", "rstrip", "title", "split", "splitlines", "copy",
             "resolve", "absolute", "expanduser", "items", "keys", "values", "popleft", "pop", "result"}
SWAP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
        ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Mod: ast.Mult}


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sites(tree: ast.AST):
    """(node, kind, description) for every place a mutant can be made, in a fixed order."""
    skip = docstrings(tree)
    in_fstring = {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for n in ast.walk(f)}
    annotations = {id(n) for a in ast.walk(tree) if isinstance(a, (ast.AnnAssign, ast.arg)) and
                   getattr(a, "annotation", None) for n in ast.walk(a.annotation)}
    for a in ast.walk(tree):
        if isinstance(a, ast.FunctionDef) and a.returns:
            annotations |= {id(n) for n in ast.walk(a.returns)}
    for node in ast.walk(tree):
        if id(node) in annotations or isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in SWAP:
                    yield node, ("compare", i), f"{type(op).__name__} → {SWAP[type(op)].__name__}"
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP:
            yield node, "binop", f"{type(node.op).__name__} → {BINOP[type(node.op)].__name__}"
        elif isinstance(node, ast.BoolOp):
            yield node, "boolop", "and ↔ or"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not", "drop not"
        elif isinstance(node, ast.Constant) and id(node) not in skip and id(node) not in in_fstring:
            if isinstance(node.value, bool):
                yield node, "const", f"{node.value} → {not node.value}"
            elif isinstance(node.value, int):
                yield node, "const", f"{node.value} → {node.value + 1}"
            elif isinstance(node.value, str):
                yield node, "const", f"{node.value[:20]!r} → 'XX'+…"
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            yield node, "negate", "negate the condition"
        elif isinstance(node, ast.Continue):
            yield node, "continue", "continue → break"
        elif isinstance(node, ast.Break):
            yield node, "break", "break → continue"
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            yield node, "return", "return None"
        if isinstance(node, ast.Call) and id(node) not in in_fstring:
            if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
                yield node, "swap", "swap the first two arguments"
            if (isinstance(node.func, ast.Attribute) and not node.args and not node.keywords
                    and node.func.attr in DROPPABLE):
                yield node, "unwrap", f"drop the call .{node.func.attr}()"
        if isinstance(node, ast.Slice):
            for bound in ("lower", "upper"):
                if getattr(node, bound) is not None:
                    yield node, ("slice", bound), f"slice {bound} bound + 1"
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            yield node, "except", f"except {ast.unparse(node.type)} → except LookupError"
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            for i, default in enumerate(node.args.defaults + node.args.kw_defaults):
                if default is not None and not (isinstance(default, ast.Constant) and default.value is None):
                    if not isinstance(default, ast.Constant):  # constants are changed by the const operator
                        yield node, ("default", i), f"default {ast.unparse(default)[:20]} → None"
        if isinstance(node, (ast.FunctionDef, ast.For, ast.While, ast.If, ast.With, ast.Try, ast.ExceptHandler)):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None) or []
                for i, stmt in enumerate(block):
                    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise, ast.Delete,
                                         ast.If, ast.For, ast.With, ast.Try)) and id(
                            getattr(stmt, "value", None)) not in skip:
                        yield node, ("drop", field, i), f"drop the statement on line {stmt.lineno}"


def mutate(source: str, index: int) -> tuple[str, int, str]:
    tree = ast.parse(source)
    node, kind, what = list(sites(tree))[index]
    line = node.lineno
    if isinstance(kind, tuple) and kind[0] == "compare":
        node.ops[kind[1]] = SWAP[type(node.ops[kind[1]])]()
    elif isinstance(kind, tuple) and kind[0] == "drop":
        block = getattr(node, kind[1])
        line = block[kind[2]].lineno
        block[kind[2]] = ast.Pass()
    elif kind == "binop":
        node.op = BINOP[type(node.op)]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        node.op = ast.UAdd()  # +x keeps x's truth for bools and ints
    elif kind == "const":
        node.value = (not node.value if isinstance(node.value, bool) else node.value + 1
                      if isinstance(node.value, int) else "XX" + node.value)
    elif kind == "negate":
        node.test = ast.UnaryOp(ast.Not(), node.test)
    elif kind == "continue":
        node.__class__ = ast.Break
    elif kind == "break":
        node.__class__ = ast.Continue
    elif kind == "return":
        node.value = ast.Constant(None)
    elif kind == "swap":
        node.args[0], node.args[1] = node.args[1], node.args[0]
    elif kind == "unwrap":  # x.lower() → x: the call's receiver, unchanged
        receiver = node.func.value
        node.__class__ = ast.BoolOp  # `x or x`: the receiver, as an expression node in the call's place
        del node.func, node.args, node.keywords
        node.op, node.values = ast.Or(), [receiver, receiver]
    elif isinstance(kind, tuple) and kind[0] == "slice":
        setattr(node, kind[1], ast.BinOp(getattr(node, kind[1]), ast.Add(), ast.Constant(1)))
    elif kind == "except":
        node.type = ast.Name("LookupError", ast.Load())
    elif isinstance(kind, tuple) and kind[0] == "default":
        defaults = node.args.defaults + node.args.kw_defaults
        target = defaults[kind[1]]
        if kind[1] < len(node.args.defaults):
            node.args.defaults[kind[1]] = ast.Constant(None)
        else:
            node.args.kw_defaults[node.args.kw_defaults.index(target)] = ast.Constant(None)
    return ast.unparse(ast.fix_missing_locations(tree)), line, what


WARM = ["cli", "aidpress.commands.sheets", "aidpress.commands.build", "aidpress.commands.check", "layouts",
        "layouts.stamp", "layouts.join", "pypdf", "pdfplumber", "pikepdf", "click.testing", "pytest"]


def warm_up() -> None:
    """Import what every test run needs once, here: each mutant's run is a fork of this
    process, so it pays for its tests and nothing else (start-up was 90% of a run)."""
    import importlib

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    for name in WARM:
        importlib.import_module(name)
    from aidpress.commands.sheets import load_checklist, stamp, SheetOptions
    from aidpress.model import Clinic

    aid = load_checklist(ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml")
    stamp(aid, Clinic(), [], SheetOptions())  # fonts read, layout code warm


def apply(module: str, mutant: str) -> None:
    """Run the mutant's code in its module, then point every other module's name for an
    old function or class at its replacement (`from .patient import check_values`)."""
    name = module.removesuffix(".py").replace("/", ".")
    target = sys.modules[name]
    old = dict(target.__dict__)
    exec(compile(mutant, str(ROOT / module), "exec"), target.__dict__)
    changed = {id(value): target.__dict__[key] for key, value in old.items()  # functions and classes only:
               if isinstance(value, (type, types.FunctionType))  # a constant 100 is every module's 100
               and target.__dict__.get(key) is not value and getattr(value, "__module__", None) == name}
    for other in list(sys.modules.values()):
        space = getattr(other, "__dict__", None)
        if other is target or not isinstance(space, dict):
            continue
        for key, value in list(space.items()):
            if id(value) in changed:
                space[key] = changed[id(value)]


def run_mutant(module: str, mutant: str) -> int:
    """Fork; the child applies the mutant and runs the module's test files in order (-x).
    Returns the child's pid (exit status 0: every test passed, the mutant survived)."""
    pid = os.fork()
    if pid:
        return pid
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        apply(module, mutant)
        import pytest

        files = [f for stage in STAGES[module] for f in stage]
        status = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *files])
        os._exit(0 if status == 0 else 1)
    except BaseException:
        os._exit(3)


def main(modules: list[str], sample: int = 0, parallel: int = 2) -> int:
    jobs = []
    for module in modules:
        module, _, at = module.partition(":")  # MODULE:LINE,LINE: only the mutants made on those lines
        source = (ROOT / module).read_text()
        found = list(sites(ast.parse(source)))
        every = max(1, len(found) // sample) if sample else 1  # --sample N: every k-th mutant, about N of them
        lines = {int(n) for n in at.split(",") if n}
        jobs += [(module, i) for i in range(0, len(found), every)
                 if not lines or mutate(source, i)[1] in lines]
    modules = list(dict.fromkeys(m for m, _ in jobs))
    warm_up()
    for module in modules:  # the tests must pass before any mutant can be said to survive
        _, status = os.waitpid(run_mutant(module, (ROOT / module).read_text()), 0)
        if os.waitstatus_to_exitcode(status) != 0:
            print(f"{module}: its tests fail with no mutant: fix them first", file=sys.stderr)
            return 2
    results = []
    running: dict[int, tuple] = {}  # pid → (job, started, line, what)
    queue = list(jobs)
    while queue or running:
        while queue and len(running) < parallel:
            module, index = queue.pop(0)
            mutant, line, what = mutate((ROOT / module).read_text(), index)
            running[run_mutant(module, mutant)] = ((module, index), time.monotonic(), line, what)
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            for child, (job, started, line, what) in list(running.items()):
                if time.monotonic() - started > TIMEOUT:
                    os.kill(child, signal.SIGKILL)  # a mutant that hangs is killed
            time.sleep(0.05)
            continue
        (module, index), started, line, what = running.pop(pid)
        survived = os.waitstatus_to_exitcode(status) == 0
        print(f"{'SURVIVED' if survived else 'killed  '}  {module}:{line}  {what}", file=sys.stderr, flush=True)
        text = (ROOT / module).read_text().splitlines()[line - 1].strip()
        results.append((module, text, line, what, survived))
    total = {m: 0 for m in modules}
    killed = {m: 0 for m in modules}
    equivalent = {m: 0 for m in modules}
    for module, text, line, what, survived in results:
        total[module] += 1
        if (module, text, what) in EQUIVALENT:
            equivalent[module] += 1
            print(f"equivalent  {module}:{line}  {what}  ({EQUIVALENT[module, text, what]})")
        elif survived:
            print(f"SURVIVED    {module}:{line}  {what}")
        else:
            killed[module] += 1
    for module in modules:
        can_change = total[module] - equivalent[module]
        print(f"{module}: {total[module]} mutants, {equivalent[module]} equivalent, {killed[module]} of "
              f"{can_change} behaviour-changing mutants killed ({100 * killed[module] / max(can_change, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sample = 0
    if args[:1] == ["--sample"]:
        sample, args = int(args[1]), args[2:]
    if any(a.startswith("-") for a in args):  # --help, or an option this script does not have
        print(__doc__)
        sys.exit(0 if set(args) <= {"-h", "--help"} else 2)
    sys.exit(main(args or list(STAGES), sample))
