"""Where a project is: found from any folder inside it, like git or mkdocs do.

The project root is the nearest folder, from the current one upwards, that holds a
`clinic.yaml` or an `aids/` folder. Its `aids/`, `packs/`, `clinic.yaml`, `output/` and
`patients/` are used wherever in the project aidpress is run; paths typed on the command
line stay relative to where they were typed.

It also holds what every command starts from: the clinic profile to use (`--clinic`, or
the project's), and the Console a command reports to (cli.py hands it click's echo).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import Location, Problem, failure

MARKERS = ("clinic.yaml", "aids")
CLINIC_FILE = "clinic.yaml"


@dataclass(frozen=True)
class Project:
    """A project's root folder, and the places in it aidpress uses."""

    root: Path  # as a path relative to the current folder where it can be ("." at the root)

    @property
    def clinic(self) -> Path | None:
        path = self.root / CLINIC_FILE
        return path if path.is_file() else None

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def patients(self) -> Path:
        return self.root / "patients"

    def sources(self) -> list[Path]:
        """What `build`, `check` and `watch` read when given no paths: aids/, and packs/ if any."""
        if not (self.root / "aids").is_dir():
            raise failure("no aids/ folder in this project", "name the aid files or folders to use",
                          file=str(self.root))
        packs = self.root / "packs"
        return [self.root / "aids"] + ([packs] if packs.is_dir() else [])


def find_project(start: Path | None = None) -> Project | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in MARKERS):
            return Project(Path(os.path.relpath(folder)))
    return None


def sources_here(project: Project | None) -> list[Path]:
    if project is None:
        raise failure("not inside an aidpress project (no clinic.yaml or aids/ folder here or above)",
                      "run 'aidpress init' to start one, or name the aid files to use")
    return project.sources()


def no_clinic_warning(project: Project | None) -> Problem:
    where = str(project.root / CLINIC_FILE) if project else CLINIC_FILE
    return Problem(Location(where, 0, 0), (), "no clinic profile: the clinic's name, phone and address print as "
                   "blank write-in lines on every page", "create it, or pass --clinic FILE", severity="warning")


def clinic_profile(given: Path | None, project: Project | None):
    """--clinic if given, else the project's clinic.yaml, found from any folder inside it;
    loaded (InvalidAid if broken), with the warning to give when there is none."""
    from ..model import Clinic
    from ..validate import load_from_file

    path = given if given is not None else (project.clinic if project else None)
    profile = load_from_file(path, Clinic)
    if not path:
        return profile, [no_clinic_warning(project)]
    return profile, [*profile.slips, *example_warning(profile)]  # its details print on every page


def example_warning(profile) -> list[Problem]:
    """The starter's clinic profile says `example: true`: every build and check warns that
    its details are placeholders (and --strict fails) until they are replaced."""
    if not profile.value.example:
        return []
    return [Problem(profile.locate(("example",), at_key=True), ("example",),
                    "this clinic profile is the starter's example: its name, phone, address, website and "
                    "emergency route are placeholders, printed on every handout",
                    "replace them with your clinic's own details, then delete 'example: true'", severity="warning")]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass(frozen=True)
class Console:
    """Where a command's lines go, one line per call: `out` for what it made (paths,
    reports), `err` for what it says about it (warnings, errors, progress)."""

    out: Callable[[str], None] = print
    err: Callable[[str], None] = _stderr
