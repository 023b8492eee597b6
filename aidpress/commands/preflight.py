"""One preflight for `check` and `build`: everything that can fail a build, before anything is written.

For each aid file it loads and validates the aid, checks it against the rest of the set
(ids, pack members), and lays it out in memory (render_in_memory: footer room, boxes taller than a page).
What passes carries its rendered PDF; what fails carries its problems, each at the key
that causes it. `check` prints the outcome and `build` writes what passed: both call
this one function, so `check` fails exactly when `build` would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import AidpressError, InvalidAid, Location, Problem, UnfitContent
from ..model import Aid, Clinic, Pack
from ..readability import Readability
from ..validate import Loaded, load_from_file
from .advice import advice

AID_SUFFIXES = (".yaml", ".yml")
Locate = Callable[..., Location]


@dataclass(frozen=True)
class BuildOptions:
    """What a build was asked for: the output folder, the paper, large print, and packs
    laid out for printing on both sides."""

    out_dir: Path = Path("output")
    paper: str | None = None  # None: the clinic profile's paper
    large_print: bool = False
    duplex: bool = False  # packs only: each member starts on a right-hand page


ClinicProfile = Loaded[Clinic]  # the clinic profile as read: .value, .path, and .locate for its keys


@dataclass
class Planned:
    """One aid file on its way through the preflight."""

    source: Path
    aid: Aid | None = None
    locate: Locate | None = None
    output: Path | None = None
    members: list[Planned] = field(default_factory=list)  # a pack's aids, in order
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    reading: Readability | None = None  # the aid's reading grade, for check's note
    pdf: bytes | None = None
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def as_profile(clinic: ClinicProfile | Clinic | Path | None) -> ClinicProfile:
    """Callers may pass a profile, a bare Clinic (tests, tools) or the profile's path."""
    if isinstance(clinic, Loaded):
        return clinic
    if isinstance(clinic, Clinic):
        return Loaded(clinic)
    return load_from_file(clinic, Clinic)


def find_aids(paths: Iterable[Path]) -> list[Path]:
    """Aid files named, or found in the folders named (not recursing), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in AID_SUFFIXES and not p.name.startswith("."))
        else:
            found.append(path)
    return found


PAPERS = ("a4", "letter")  # the choices of Clinic.paper (tests/test_check_equals_build.py holds them equal)


def output_path(aid: Aid, clinic: Clinic, options: BuildOptions) -> Path:
    """<id>.pdf on the clinic's paper; a variant names what differs (-letter, -large-print,
    and for a pack -duplex: --duplex leaves any other aid as it is, under its own name)."""
    paper = options.paper if options.paper and options.paper != clinic.paper else None
    return options.out_dir / f"{aid.id}{variant_suffix(paper, options.large_print, duplexed(aid, options))}.pdf"


def duplexed(aid: Aid, options: BuildOptions) -> bool:
    """Whether --duplex changes this aid's PDF: only a pack's (its members start on right-hand pages)."""
    return options.duplex and isinstance(aid, Pack)


def variant_suffix(paper: str | None, large_print: bool, duplex: bool = False) -> str:
    return (f"-{paper}" if paper else "") + ("-large-print" if large_print else "") + ("-duplex" if duplex else "")


# every suffix a build may add to an id, with the options that add it (-duplex: a pack's only)
VARIANTS = {variant_suffix(paper, large, duplex): " ".join(([f"--paper {paper}"] if paper else [])
                                                           + (["--large-print"] if large else [])
                                                           + (["--duplex"] if duplex else []))
            for paper in (None, *PAPERS) for large in (False, True) for duplex in (False, True)
            if paper or large or duplex}


def preflight(paths: Iterable[Path], profile: ClinicProfile | Clinic | Path | None, options: BuildOptions, *,
              render_if: Callable[[Planned], bool] = lambda planned: True,
              today: datetime.date | None = None) -> list[Planned]:
    """Every aid file checked alone, against the set, and laid out (where render_if says)."""
    profile = as_profile(profile)
    planned = [read(path) for path in find_aids(paths)]
    claim_outputs(planned, profile.value, options)
    for item in planned:
        if item.ok and isinstance(item.aid, Pack):
            check_members(item, planned)
    for item in planned:
        if item.aid is not None:
            more, item.reading = advice(item.aid, item.locate, profile.value, today or datetime.date.today())
            item.warnings += more  # after the YAML slips read() found
        if item.ok and render_if(item):
            render_in_memory(item, profile, options)
    return planned


def read(path: Path) -> Planned:
    item = Planned(path)
    if path.suffix.lower() not in AID_SUFFIXES:
        item.errors.append(Problem(Location(str(path), 1, 1), (), "not an aid file: aid files end in .yaml or .yml",
                                   "patient rosters go to 'aidpress aftercare AID --roster FILE'"))
        return item
    try:
        loaded = load_from_file(path, Aid)
        item.aid, item.locate, item.warnings = loaded.value, loaded.locate, list(loaded.slips)
    except InvalidAid as exc:
        item.errors += exc.problems
    return item


def claim_outputs(planned: list[Planned], clinic: Clinic, options: BuildOptions) -> None:
    """Two aids never share an output file, in this build or in another variant of it (an
    id that is another's with -letter or -large-print added): the later one is an error at its id."""
    claimed: dict[Path, Path] = {}
    by_id: dict[str, Planned] = {}
    for item in planned:
        if item.aid is None:
            continue
        item.output = output_path(item.aid, clinic, options)
        if item.output in claimed:
            item.errors.append(Problem(item.locate(("id",), at_key=True), ("id",),
                                       f"id '{item.aid.id}' is already used by {claimed[item.output]}",
                                       "give each aid its own id"))
            continue
        claimed[item.output] = item.source
        clash = variant_clash(item, by_id)
        if clash:
            item.errors.append(clash)
        by_id.setdefault(item.aid.id, item)


def variant_clash(item: Planned, earlier: dict[str, Planned]) -> Problem | None:
    """This aid and an earlier one would write one file, one of them built as a variant:
    `decision-quiz-letter` beside `decision-quiz` built with --paper letter."""
    aid_id = item.aid.id

    def has_variant(base: Aid, flags: str) -> bool:  # only a pack has a -duplex variant
        return "--duplex" not in flags or isinstance(base, Pack)

    for suffix, flags in VARIANTS.items():
        base = earlier.get(aid_id[: -len(suffix)]) if aid_id.endswith(suffix) else None
        if base is not None and has_variant(base.aid, flags):  # this id is the other's variant
            other = base
            said = f"id '{aid_id}' names the same file as aid '{other.aid.id}' ({other.source}) built with {flags}"
            shared = aid_id
            break
        if aid_id + suffix in earlier and has_variant(item.aid, flags):  # the other's id is this one's variant
            other = earlier[aid_id + suffix]
            said = f"id '{aid_id}' built with {flags} names the same file as aid '{other.aid.id}' ({other.source})"
            shared = aid_id + suffix
            break
    else:
        return None
    return Problem(item.locate(("id",), at_key=True), ("id",),
                   f"{said}: both write {shared}.pdf, and each build would replace the other's",
                   "give one of them another id")


def check_members(pack: Planned, planned: list[Planned]) -> None:
    """Each aid a pack binds must itself be a valid aid, and not a pack."""
    known = {p.source.resolve(): p for p in planned}
    base = pack.source.parent
    for i, entry in enumerate(pack.aid.aids):
        path = base / entry
        member = known.get(path.resolve()) or read(path)
        where = pack.locate(("aids", i))
        if member.aid is None:
            pack.errors.append(Problem(where, ("aids", i), f"'{entry}' is not a valid aid",
                                       f"run 'aidpress check {path}' to see why"))
        elif isinstance(member.aid, Pack):
            pack.errors.append(Problem(where, ("aids", i), "a pack cannot contain another pack",
                                       f"list the aids of '{entry}' here instead"))
        else:
            pack.members.append(member)


def render_in_memory(item: Planned, profile: ClinicProfile, options: BuildOptions) -> None:
    """Render in memory; what cannot be laid out becomes a Problem at the key that causes it."""
    from layouts import LayoutFailed, render  # ReportLab loads only when something is drawn

    aid, clinic = item.aid, profile.value
    try:
        if isinstance(aid, Pack):
            from layouts.pack import render_pack  # pikepdf only for packs

            # members this build has already laid out alone need not be laid out again to count their pages
            alone = [m.pages if m.pdf is not None else None for m in item.members]
            rendered = render_pack(aid, [m.aid for m in item.members], clinic, paper=options.paper,
                                   large_print=options.large_print, pages_alone=alone, duplex=options.duplex)
        else:
            rendered = render(aid, clinic, paper=options.paper, large_print=options.large_print)
    except UnfitContent as exc:
        item.errors.append(locate_unfit(exc, item, profile))
        return
    except LayoutFailed as exc:
        item.errors.append(Problem(aid.where, (), f"cannot lay out this aid: {exc}"))
        return
    item.pdf, item.pages = rendered.pdf, rendered.pages
    item.warnings += [locate_warning(w, item) for w in rendered.warnings]  # e.g. a comparison stacked in large print


def locate_warning(problem: Problem, item: Planned) -> Problem:
    """A layout's warning names its key path; point it at that key's line, in the file that
    holds it: a pack's warning about one of its aids is at the aid's own key, naming the aid."""
    member = next((m for m in item.members if m.aid.where.file == problem.where.file), None)
    if member is None:
        return Problem(item.locate(problem.path, at_key=True), problem.path, problem.message, problem.hint,
                       severity=problem.severity)
    return Problem(member.locate(problem.path, at_key=True), problem.path,
                   f"aid '{member.aid.id}' in the pack {item.source}: {problem.message}", problem.hint,
                   severity=problem.severity)


def locate_unfit(exc: UnfitContent, item: Planned, profile: ClinicProfile) -> Problem:
    """Point at the key in whichever file holds it: the aid, a pack member, or the clinic profile."""
    if profile.path is not None and Path(exc.file) == profile.path:
        where = profile.locate(exc.path, at_key=True)
    elif Path(exc.file) == item.source:
        where = item.locate(exc.path, at_key=True)
    else:  # a pack member's own content: read it again to find the line
        try:
            where = load_from_file(exc.file, Aid).locate(exc.path, at_key=True)
        except AidpressError:
            where = Location(exc.file, 1, 1)
    return Problem(where, exc.path, exc.message, exc.hint)
