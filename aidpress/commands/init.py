"""`aidpress init [DIR]`: a starter project from the package's own data.

It writes a clinic profile to fill in, one example aid of each kind, a pack, the JSON
Schemas the aids' first lines point at (docs/, as in a clone of aidpress), a README and
a .gitignore for output/ and patients/. It never overwrites: if anything is in the way of
any of those files, it names each clash and writes nothing.
"""

from __future__ import annotations

import contextlib
import os
from importlib.resources import files
from pathlib import Path

from ..errors import Location, Problem, Refusal, count
from ..jsonschema import FILES
from ..write import cannot_write, nearest_existing
from .project import Console

RENAMED = {"gitignore": ".gitignore"}  # dot files are stored without the dot in the package


def starter_files() -> dict[Path, bytes]:
    """Every file of a new project: its path inside the project → its content."""
    package = files("aidpress")
    out: dict[Path, bytes] = {}

    def walk(folder, relative: Path) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                if entry.name != "__pycache__":
                    walk(entry, relative / entry.name)
            else:
                out[relative / RENAMED.get(entry.name, entry.name)] = entry.read_bytes()

    walk(package / "starter", Path())
    for name in FILES:
        out[Path("docs") / name] = (package / "schemas" / name).read_bytes()
    return out


def init(target: Path) -> list[Path]:
    """Write the starter project into `target` (created if need be); the files written.

    Every path it would write is checked first: anything in the way (a file where a folder
    goes, a file, folder or dangling link where a file goes, a folder it cannot write in)
    is named, one error each, and nothing is written. A write that fails all the same
    (a virtual file system, a full disk) takes back what was written and says why."""
    plan = starter_files()
    problems = in_the_way(target, plan)
    if problems:
        raise Refusal(problems + [Problem(Location(str(target), 0, 0), (),
                                          f"aidpress init wrote nothing: {count(len(problems), 'path')} in the way")])
    folders = sorted({target / parent for relative in plan for parent in relative.parents} | {target})
    new = [folder for folder in folders if not os.path.lexists(folder)]
    written: list[Path] = []
    path = target
    try:
        for relative, content in plan.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as out:  # exclusive: never replaces a file that appeared meanwhile
                written.append(path)
                out.write(content)
    except OSError as exc:
        for done in written:
            with contextlib.suppress(OSError):
                done.unlink()
        for folder in reversed(new):  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise Refusal([cannot_write(path, exc, "the starter project"),
                       Problem(Location(str(target), 0, 0), (), "aidpress init wrote nothing")]) from exc
    return written


def in_the_way(target: Path, plan: dict[Path, bytes]) -> list[Problem]:
    """One error for each path init would write that something is in the way of."""
    def at(path: Path, message: str, hint: str = "move it away, or choose another folder") -> Problem:
        return Problem(Location(str(path), 0, 0), (), message, hint)

    there = nearest_existing(target)
    if there is not None and not there.is_dir():
        return [at(there, f"{what_is(there)} is where aidpress init needs a folder")]
    problems, blocked = [], set()
    for folder in sorted({target / parent for relative in plan for parent in relative.parents} - {target}):
        if os.path.lexists(folder) and not folder.is_dir():
            problems.append(at(folder, f"{what_is(folder)} is where aidpress init puts a folder"))
            blocked.add(folder)
    for relative in plan:
        path = target / relative
        if os.path.lexists(path) and not blocked.intersection(path.parents):
            problems.append(at(path, f"{what_is(path)} is already here, and aidpress init never overwrites"))
    if not problems and there is not None and not os.access(there, os.W_OK):
        problems.append(at(there, "no permission to write in this folder", "choose another folder"))
    return problems


def what_is(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a link to something that is not there"
    return "a folder" if path.is_dir() else "a file"


def command(directory: Path, *, console: Console) -> int:
    """`aidpress init`: the starter project, and what to do next."""
    written = init(directory)
    console.out(f"created {len(written)} files in {directory}: clinic.yaml, aids/, packs/, docs/")
    where = "" if directory == Path(".") else f"cd {directory} && "
    console.out(f"next: fill in clinic.yaml, then {where}aidpress build")
    return 0
