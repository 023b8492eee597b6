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
    # The most pages the handout may take (regular print): the layout tightens its spacing
    # to meet it, or the build fails saying how many pages it needed.
    max_pages: Annotated[int, Range(1, 99)] | None = None
    where: Location


# ── comparison ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Row:
    aspect: str
    cells: dict[Id, Cell]
    where: Location


@dataclass(frozen=True, kw_only=True)
class Comparison(Aid):
    options: OptionNames
    aspect_label: str = "Aspect"
    rows: Annotated[tuple[Row, ...], Length(1)]


# ── quiz ────────────────────────────────────────────────────────────────────────────

Points = Annotated[int, Range(-99, 99)]


@dataclass(frozen=True, kw_only=True)
class Question:
    question: str
    help: str | None = None
    answers: Annotated[tuple[str, ...], Length(2, 5)] | None = None
    points: dict[str, dict[Id, Points]] = field(default_factory=dict)
    where: Location


@dataclass(frozen=True, kw_only=True)
class Scoring:
    margin: Annotated[int, Range(1, 99)] = 2
    lean: dict[Id, str]
    otherwise: str
    where: Location


@dataclass(frozen=True, kw_only=True)
class Quiz(Aid):
    options: OptionNames
    answers: Annotated[tuple[str, ...], Length(2, 5)] = ("Yes", "No")
    questions: Annotated[tuple[Question, ...], Length(1)]
    scoring: Scoring

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
    start: Id | None = None
    nodes: Annotated[dict[Id, Decision | Outcome], Length(2)]

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
    _shorthand: ClassVar[str] = "text"
    text: str
    details: tuple[str, ...] = ()
    where: Location


@dataclass(frozen=True, kw_only=True)
class Section:
    heading: str
    intro: str | None = None
    warning: bool = False
    items: Annotated[tuple[Item, ...], Length(1)]
    where: Location


@dataclass(frozen=True, kw_only=True)
class Checklist(Aid):
    fields: tuple[PatientField, ...] = ()
    sections: Annotated[tuple[Section, ...], Length(1)]


@dataclass(frozen=True)
class Sheet:
    """One patient's filled-in values, keyed by field id, ready to print."""

    values: dict[str, str]
    row: int | None = None


# ── packs ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Pack(Aid):
    """Several aids bound into one PDF behind a cover and a table of contents.
    `aids` are file paths relative to the pack file."""

    aids: Annotated[tuple[str, ...], Length(1)]


# ── the clinic profile ──────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Clinic:
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    website: str | None = None
    paper: Literal["a4", "letter"] = "a4"
    accent: Colour = "#1F5F8B"
    reading_grade: Annotated[int, Range(1, 20)] = 8  # `aidpress check` warns above this school grade
    labels: dict[str, str] = field(default_factory=dict)  # replacements for aidpress's own wording
    where: Location | None = None


MODELS: dict[str, type[Aid]] = {
    "quiz": Quiz,
    "flowchart": Flowchart,
    "comparison": Comparison,
    "checklist": Checklist,
    "pack": Pack,
}
