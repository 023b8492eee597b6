"""`aidpress init [DIR]`: a starter project from the package's own data.

It writes a clinic profile to fill in, one example aid of each kind, a pack, the JSON
Schemas the aids' first lines point at (docs/, as in a clone of aidpress), a README and
a .gitignore for output/ and patients/. It never overwrites: if any of those files is
already there, it names them all and writes nothing.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..errors import AidpressError
from ..jsonschema import FILES
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
    """Write the starter project into `target` (created if need be); the files written."""
    if target.exists() and not target.is_dir():
        raise AidpressError(f"error: {target} is a file, not a folder")
    plan = starter_files()
    clashes = [target / relative for relative in plan if (target / relative).exists()]
    if clashes:
        raise AidpressError("error: aidpress init would overwrite "
                            + ", ".join(str(p) for p in clashes)
                            + "; nothing was written (move them away or choose another folder)")
    written = []
    for relative, content in plan.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as out:  # exclusive: never replaces a file that appeared meanwhile
            out.write(content)
        written.append(path)
    return written


def command(directory: Path, *, console: Console) -> int:
    """`aidpress init`: the starter project, and what to do next."""
    written = init(directory)
    console.out(f"created {len(written)} files in {directory}: clinic.yaml, aids/, packs/, docs/")
    where = "" if directory == Path(".") else f"cd {directory} && "
    console.out(f"next: fill in clinic.yaml, then {where}aidpress build")
    return 0
