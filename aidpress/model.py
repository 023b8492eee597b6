"""The typed models every aid is validated into. Renderers see only these.

Each class lists the YAML keys it accepts, in the order the docs present them; the
type hints are the schema (aidpress.schema decodes into them). `where` is filled with
the location of the mapping the model came from, so later stages can point at it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from .errors import Location
from .rules import Blank, Length, Pattern, Prose, Range

Id = Annotated[str, Pattern(r"[a-z][a-z0-9_-]*", "an id of lower-case letters, digits, '-' or '_'")]
Colour = Annotated[str, Pattern(r"#[0-9A-Fa-f]{6}", "a colour like #1F5F8B")]
Language = Annotated[str, Pattern(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a language tag like en or en-GB")]
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
    language: Language = "en"
    version: str | None = None
    updated: datetime.date | None = None
    review_by: datetime.date | None = None
    disclaimer: str | None = None
    sources: tuple[str, ...] = ()
    about: About | None = None
    # Words saying what the aid is about (e.g. a treatment's id): the clinic's `interests:`
    # can be scoped to aids with a tag.
    tags: tuple[Id, ...] = ()
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


# ── references to sources ───────────────────────────────────────────────────────────

# A reference to sources in an aid's text: "(3)", "(1, 4)", or "source 2" / "sources 1, 3
# and 5" anywhere (as in "(sources 1, 3 differ)"). Only these are renumbered in a pack.
NUMBERS = r"\d+(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\d+)*"
REFERENCE = re.compile(rf"(?<=\()(?:{NUMBERS})(?=\))|(?<=\b[Ss]ource )(?:{NUMBERS})|(?<=\b[Ss]ources )(?:{NUMBERS})")


def references(text: str) -> list[int]:
    """The source numbers `text` refers to."""
    return [int(n) for m in REFERENCE.finditer(text) for n in re.findall(r"\d+", m.group())]


def renumber(text: str, numbers: dict[int, int]) -> str:
    """`text` with its source references renumbered (numbers not in `numbers` kept)."""
    def one(m: re.Match) -> str:
        return re.sub(r"\d+", lambda n: str(numbers.get(int(n.group()), n.group())), m.group())

    return REFERENCE.sub(one, text)


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


@dataclass(frozen=True, kw_only=True)
class Choice:
    """"Your choice" (after the Ottawa Personal Decision Guide): the options to tick and
    "Not sure yet", who else helps, any pressure, questions, the next step and its date.
    `choice: true` is Choice() with the default wording."""

    heading: str | None = None
    intro: str | None = None
    where: Location | None = None


ChoiceKey = bool | Choice


def choice_block(aid: Aid) -> Choice | None:
    """The aid's "your choice" block, if it prints one."""
    choice = getattr(aid, "choice", False)
    if isinstance(choice, Choice):
        return choice
    return Choice() if choice else None


# ── comparison ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class Row:
    """One aspect of a comparison, with what each option's column says about it."""

    aspect: str
    cells: dict[Id, Cell]
    # The cost row: the options the clinic charges for. Each prints the clinic's own fee
    # for the treatment of the same id (clinic.yaml `fees:`), or, without one, the cell's
    # text (the sources' prices, currency named) and "Ask us for our price".
    cost: tuple[Id, ...] = ()
    where: Location


@dataclass(frozen=True, kw_only=True)
class Comparison(Aid):
    """Options side by side, one row per aspect (a grid; stacked only in large print)."""

    options: OptionNames
    aspect_label: str = "Aspect"
    rows: Annotated[tuple[Row, ...], Length(1)]
    values: Values | None = None
    sure: SureKey = False
    choice: ChoiceKey = False


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
    choice: ChoiceKey = False

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
    "next_appointment": ("Next appointment", "datetime"),
}


@dataclass(frozen=True, kw_only=True)
class PatientField:
    """A write-in line for one patient detail. Written as a bare id for the standard ones."""

    _shorthand: ClassVar[str] = "id"
    id: Id
    label: str | None = None
    type: Literal["text", "date", "datetime"] | None = None
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
    choice: ChoiceKey = False


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

@dataclass(frozen=True)
class Money:
    """A rule for an amount of money, 45 or 45.50: checked like a Pattern, but left out of
    the editors' schema, whose YAML reads an unquoted 45 as a number (text takes one)."""

    def check(self, value: str) -> str | None:
        if re.fullmatch(r"\d+(\.\d\d)?", value):
            return None
        return f"expected an amount like 45 or 45.50, without the currency, got '{value}'"


Amount = Annotated[str, Money()]


@dataclass(frozen=True, kw_only=True)
class Interests:
    """The clinic's interests, printed only on the aids named in `aids` or carrying one of
    `tags` (with neither, on every aid)."""

    text: str
    aids: tuple[Id, ...] = ()
    tags: tuple[Id, ...] = ()
    where: Location | None = None

    def concerns(self, aid: Aid) -> bool:
        if not self.aids and not self.tags:
            return True
        return aid.id in self.aids or bool(set(aid.tags) & set(self.tags))



@dataclass(frozen=True, kw_only=True)
class Clinic:
    """The clinic profile (clinic.yaml), printed on every page of every handout."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    website: str | None = None
    # The clinic's own interests, printed under "Conflicts of interest" in "About this
    # leaflet": on every aid, or (a mapping) only on the aids it names or tags.
    interests: str | Interests | None = None
    emergency: str | None = None  # the emergency route, e.g. "call 999 or go to A&E"
    paper: Literal["a4", "letter"] = "a4"
    accent: Colour = "#1F5F8B"
    reading_grade: Annotated[int, Range(1, 20)] = 8  # `aidpress check` warns above this school grade
    labels: dict[str, str] = field(default_factory=dict)  # replacements for aidpress's own wording
    # The language of the profile's own words (its labels, address, emergency route): a
    # tagged handout in another language marks them with it (docs/accessibility.md).
    language: Language | None = None
    # how the clinic writes dates in rosters and --field values (ISO is always understood too)
    date_format: Literal["year-month-day", "day/month/year", "month/day/year"] = "year-month-day"
    # The clinic's own price of each treatment (by treatment id), and the currency they are in.
    fees: dict[Id, Amount] = field(default_factory=dict)
    currency: str | None = None  # printed before each fee: "£", "€", or a code like "CHF"
    # true in the starter project's profile (aidpress init): its details are placeholders, and
    # every build and check warns until they are replaced and this line is deleted
    example: bool = False
    where: Location | None = None

    def interests_for(self, aids) -> str | None:
        """The interests statement, if it concerns any of `aids`."""
        i = self.interests
        if isinstance(i, Interests):
            return i.text if any(i.concerns(aid) for aid in aids) else None
        return i

    def fee(self, treatment: str) -> str | None:
        """The clinic's fee for a treatment, with its currency ("£45", "CHF 45")."""
        amount = self.fees.get(treatment)
        if amount is None or not self.currency:
            return None
        gap = " " if self.currency[-1:].isalpha() else ""
        return f"{self.currency}{gap}{amount}"


MODELS: dict[str, type[Aid]] = {
    "quiz": Quiz,
    "flowchart": Flowchart,
    "comparison": Comparison,
    "checklist": Checklist,
    "worksheet": Worksheet,
    "pack": Pack,
}
