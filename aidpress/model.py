"""The typed models every aid is validated into. Renderers see only these.

Each class lists the YAML keys it accepts, in the order the docs present them; the
type hints are the schema (aidpress.schema decodes into them). `where` is filled with
the location of the mapping the model came from, so later stages can point at it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from .errors import Location
from .rules import Blank, Length, Pattern, Prose, Range

Id = Annotated[str, Pattern(r"[a-z][a-z0-9_-]*", "an id of lower-case letters, digits, '-' or '_'")]
Colour = Annotated[str, Pattern(r"#[0-9A-Fa-f]{6}", "a colour like #1F5F8B")]
OptionNames = Annotated[dict[Id, str], Length(2, 4)]
Cell = Annotated[str, Blank]


@dataclass(frozen=True, kw_only=True)
class About:
    """Who stands behind the leaflet (IPDAS trust items), printed in "About this leaflet"."""

    written_by: str | None = None
    update_policy: str | None = None
    funding: str | None = None
    conflicts: str | None = None
    where: Location


Pages = Annotated[int, Range(1, 99)]


@dataclass(frozen=True, kw_only=True)
class PageBudget:
    """The most pages a handout may take, per print size: `regular` (A4 or Letter at body
    size) and `large_print`; a size left out has no budget."""

    regular: Pages | None = None
    large_print: Pages | None = None
    where: Location | None = None


@dataclass(frozen=True, kw_only=True)
class Aid:
    """Keys every kind shares. `id` defaults to the file's stem (filled by validate)."""

    kind: str
    id: Id | None = None
    title: str
    subtitle: str | None = None
    intro: Prose = Prose()
    notes: Prose = Prose()
    language: Annotated[str, Pattern(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a language tag like en or en-GB")] = "en"
    version: str | None = None
    updated: datetime.date | None = None
    review_by: datetime.date | None = None
    disclaimer: str | None = None
    sources: tuple[str, ...] = ()
    about: About | None = None
    # The most pages the handout may take: a number (regular print), or a number per print
    # size (PageBudget). The layout tightens its spacing to meet it, or the build fails
    # saying how many pages it needed.
    max_pages: Pages | PageBudget | None = None
    where: Location

    def page_budget(self, large_print: bool) -> int | None:
        """The most pages this handout may take in regular or large print, if any."""
        if isinstance(self.max_pages, PageBudget):
            return self.max_pages.large_print if large_print else self.max_pages.regular
        return None if large_print else self.max_pages


# ── blocks any aid with options can add: a values worksheet and the SURE test ──────────


@dataclass(frozen=True, kw_only=True)
class Values:
    """Factors a patient weighs 0–5 and links to the option each points to."""

    heading: str | None = None
    intro: str | None = None
    factors: Annotated[tuple[str, ...], Length(2, 12)]
    where: Location


@dataclass(frozen=True, kw_only=True)
class Sure:
    """The SURE test (four yes/no questions); `sure: true` is Sure() with the default wording."""

    heading: str | None = None
    intro: str | None = None
    where: Location | None = None


SureKey = bool | Sure  # `sure: true`, or a mapping with its own heading and intro


def sure_test(aid: Aid) -> Sure | None:
    """The aid's SURE test, if it prints one."""
    sure = getattr(aid, "sure", False)
    if isinstance(sure, Sure):
        return sure
    return Sure() if sure else None


# ── comparison ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Row:
    """One aspect of a comparison, with what each option's column says about it."""

    aspect: str
    cells: dict[Id, Cell]
    where: Location


@dataclass(frozen=True, kw_only=True)
class Comparison(Aid):
    """Options side by side, one row per aspect (a grid; stacked only in large print)."""

    options: OptionNames
    aspect_label: str = "Aspect"
    rows: Annotated[tuple[Row, ...], Length(1)]
    values: Values | None = None
    sure: SureKey = False


# ── quiz ────────────────────────────────────────────────────────────────────────────

Points = Annotated[int, Range(-99, 99)]


@dataclass(frozen=True, kw_only=True)
class Question:
    """A quiz question: its answers (or the quiz's), the points each answer gives each
    option, and the options an answer rules out."""

    question: str
    help: str | None = None
    answers: Annotated[tuple[str, ...], Length(2, 5)] | None = None
    points: dict[str, dict[Id, Points]] = field(default_factory=dict)
    rules_out: dict[str, tuple[Id, ...]] = field(default_factory=dict)  # answer → options it rules out
    where: Location


@dataclass(frozen=True, kw_only=True)
class Scoring:
    """How a quiz's totals are read: the lead an option needs, and what to say when none has it."""

    margin: Annotated[int, Range(1, 99)] = 2
    lean: dict[Id, str]
    otherwise: str
    where: Location


@dataclass(frozen=True, kw_only=True)
class RedFlag:
    """A quiz's opening safety question, answered Yes or No and never scored: a Yes stops
    the quiz there and sends the patient to medical help (the clinic's emergency route
    and phone are printed with it)."""

    question: str
    help: str | None = None
    action: str | None = None  # what to do after a Yes; default: aidpress's "red_flag_action" label
    where: Location


@dataclass(frozen=True, kw_only=True)
class Quiz(Aid):
    """A weighted quiz with boxes a patient fills in by pen, and a key to add up the points."""

    options: OptionNames
    answers: Annotated[tuple[str, ...], Length(2, 5)] = ("Yes", "No")
    red_flag: RedFlag | None = None  # asked first; a Yes stops the quiz
    questions: Annotated[tuple[Question, ...], Length(1)]
    scoring: Scoring
    values: Values | None = None
    sure: SureKey = False

    def answers_for(self, question: Question) -> tuple[str, ...]:
        return question.answers or self.answers


# ── flowchart ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Decision:
    """A question node: each branch label leads to another node's id."""

    _tag: ClassVar[str] = "question"
    question: str
    help: str | None = None
    branches: Annotated[dict[str, Id], Length(2, 4)]
    where: Location


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """An end of the chart."""

    _tag: ClassVar[str] = "outcome"
    outcome: str
    detail: str | None = None
    next_step: str | None = None
    urgent: bool = False
    where: Location


@dataclass(frozen=True, kw_only=True)
class Flowchart(Aid):
    """A decision chart of question boxes (two to four branches each) and outcomes, drawn as a diagram."""

    start: Id | None = None
    nodes: Annotated[dict[Id, Decision | Outcome], Length(2)]
    sure: SureKey = False

    @property
    def start_id(self) -> str:
        return self.start or next(iter(self.nodes))


# ── checklist ───────────────────────────────────────────────────────────────────────

STANDARD_FIELDS = {
    "name": ("Patient name", "text"),
    "date": ("Date", "date"),
    "area": ("Treated area", "text"),
    "practitioner": ("Practitioner", "text"),
    "next_appointment": ("Next appointment", "text"),
}


@dataclass(frozen=True, kw_only=True)
class PatientField:
    """A write-in line for one patient detail. Written as a bare id for the standard ones."""

    _shorthand: ClassVar[str] = "id"
    id: Id
    label: str | None = None
    type: Literal["text", "date"] | None = None
    required: bool = False
    where: Location

    @property
    def shown_label(self) -> str:
        return self.label or STANDARD_FIELDS[self.id][0]

    @property
    def value_type(self) -> str:
        return self.type or STANDARD_FIELDS.get(self.id, ("", "text"))[1]


@dataclass(frozen=True, kw_only=True)
class Item:
    """One point of a checklist section: a tick box, or a plain point when the section says tick: false."""

    _shorthand: ClassVar[str] = "text"
    text: str
    details: tuple[str, ...] = ()
    where: Location


@dataclass(frozen=True, kw_only=True)
class Section:
    """A headed group of checklist items; a warning section prints in a box with the clinic's phone."""

    heading: str
    intro: str | None = None
    warning: bool = False  # a red box that also prints the clinic's phone and emergency route
    tick: bool = True  # false: things to know, printed as plain points without tick boxes
    items: Annotated[tuple[Item, ...], Length(1)]
    where: Location


@dataclass(frozen=True, kw_only=True)
class Checklist(Aid):
    """An aftercare or preparation checklist, with optional write-in lines for one patient's details."""

    fields: tuple[PatientField, ...] = ()
    sections: Annotated[tuple[Section, ...], Length(1)]


# ── worksheet ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Worksheet(Aid):
    """A personal decision guide: the options, a values worksheet and/or the SURE test."""

    options: OptionNames
    values: Values | None = None
    sure: SureKey = False


@dataclass(frozen=True)
class Sheet:
    """One patient's filled-in values, keyed by field id, ready to print."""

    values: dict[str, str]
    row: int | None = None  # spreadsheet row number in a roster
    line: int | None = None  # the physical line that row starts on


# ── packs ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Pack(Aid):
    """Several aids bound into one PDF behind a cover and a table of contents.
    `aids` are file paths relative to the pack file."""

    aids: Annotated[tuple[str, ...], Length(1)]


# ── the clinic profile ──────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Clinic:
    """The clinic profile (clinic.yaml), printed on every page of every handout."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    website: str | None = None
    interests: str | None = None  # the clinic's own interests, printed in every "About this leaflet"
    emergency: str | None = None  # the emergency route, e.g. "call 999 or go to A&E"
    paper: Literal["a4", "letter"] = "a4"
    accent: Colour = "#1F5F8B"
    reading_grade: Annotated[int, Range(1, 20)] = 8  # `aidpress check` warns above this school grade
    labels: dict[str, str] = field(default_factory=dict)  # replacements for aidpress's own wording
    # how the clinic writes dates in rosters and --field values (ISO is always understood too)
    date_format: Literal["year-month-day", "day/month/year", "month/day/year"] = "year-month-day"
    # true in the starter project's profile (aidpress init): its details are placeholders, and
    # every build and check warns until they are replaced and this line is deleted
    example: bool = False
    where: Location | None = None


MODELS: dict[str, type[Aid]] = {
    "quiz": Quiz,
    "flowchart": Flowchart,
    "comparison": Comparison,
    "checklist": Checklist,
    "worksheet": Worksheet,
    "pack": Pack,
}
