"""Stage 2, validate: YAML nodes → a frozen model, or InvalidAid listing every problem.

Decoding (types, unknown and missing keys) is generic, in aidpress.schema. The checks
here are the ones types cannot express: references between parts of an aid, the shape
of a flowchart graph, and whether the handout font can draw every character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Generic, TypeVar

from . import fonts
from .labels import LABELS
from .errors import Location, Problem
from .model import (MODELS, STANDARD_FIELDS, Aid, Checklist, Clinic, Comparison, Decision, Flowchart, Pack, Quiz,
                    Worksheet, references)
from .errors import suggest
from .schema import INVALID, Decoder, describe
from .slips import find as find_slips
from .source import load
from .source import yaml  # PyYAML as source.py imports it (see there)


Locate = Callable[..., Location]
T = TypeVar("T")


def _nowhere(*_, **__) -> Location:
    return Location("(no clinic profile)", 1, 1)


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A YAML file read, parsed, validated and given its defaults: the value, the file it
    came from (None: there was none, so the value is all defaults), and where any key path
    of it is in that file, for messages about it."""

    value: T
    path: Path | None = None
    locate: Locate = _nowhere
    slips: tuple[Problem, ...] = ()  # warnings: YAML that reads other than it looks (slips.py)


def load_from_file(path: str | Path | None, model: type[T]) -> Loaded[T]:
    """The one way in (cfgv's load_from_filename): read, parse, validate, apply defaults.
    `model` is Aid (any kind; the file's `kind:` chooses) or Clinic; a Clinic with no file
    is the neutral default profile (write-in lines). Raises InvalidAid listing every problem."""
    if path is None:
        if model is not Clinic:
            raise TypeError("only the clinic profile may be missing")
        return Loaded(Clinic())
    decoder = Decoder(str(path))
    node = load(path)
    value = _validate_clinic(decoder, node) if model is Clinic else validate_aid(node, str(path), decoder)
    return Loaded(value, Path(path), decoder.locate, tuple(find_slips(node, str(path))))


def load_aid(path: str | Path) -> Aid:
    """Shorthand for load_from_file(path, Aid).value, for callers that need no locations."""
    return load_from_file(path, Aid).value


def load_clinic(path: str | Path | None) -> Clinic:
    """Shorthand for load_from_file(path, Clinic).value."""
    return load_from_file(path, Clinic).value


def _validate_clinic(decoder: Decoder, node: yaml.Node) -> Clinic:
    clinic = decoder.decode(Clinic, node, ())
    if clinic is not INVALID:
        check_labels(decoder, clinic.labels)
        if clinic.fees and not clinic.currency:
            decoder.fail_at(("fees",), "fees need a currency", "add 'currency:', e.g. currency: \"£\"", at_key=True)
        ratio = contrast_with_white(clinic.accent)
        if ratio < 4.5:  # headings are set in the accent on white, and white on the accent
            decoder.fail_at(("accent",), f"colour {clinic.accent} is too light to read: contrast with white is "
                            f"{ratio:.1f}:1, needs at least 4.5:1", "choose a darker colour")
    check_drawable(decoder)
    decoder.raise_if_failed()
    return clinic


def check_labels(decoder: Decoder, labels: dict[str, str]) -> None:
    """Replacement wording must name a known label and keep its {placeholders}."""
    for key, text in labels.items():
        path = ("labels", key)
        if key not in LABELS:
            decoder.fail_at(path, f"unknown label '{key}'", suggest(key, LABELS), at_key=True)
            continue
        wanted, given = set(re.findall(r"{(\w+)}", LABELS[key])), set(re.findall(r"{(\w*)}", text))
        if wanted != given:
            need = ", ".join("{" + w + "}" for w in sorted(wanted)) or "no {placeholders}"
            decoder.fail_at(path, f"must contain {need}, like the default '{LABELS[key]}'")


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of a #RRGGBB colour against white."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def validate_aid(node: yaml.Node, file: str, decoder: Decoder | None = None) -> Aid:
    decoder = decoder or Decoder(file)
    model = MODELS.get(_kind(decoder, node))
    decoder.raise_if_failed()
    aid = decoder.decode(model, node, ())
    if aid is not INVALID:
        if aid.id is None:
            aid = replace(aid, id=_id_from_file(decoder, file))
        CHECKS[type(aid)](decoder, aid)
        check_references(decoder, aid)
    check_drawable(decoder)
    decoder.raise_if_failed()
    return aid


def check_references(decoder: Decoder, aid: Aid) -> None:
    """A reference to a source ("(3)", "sources 1 and 3") must name one in `sources:`: a
    pack renumbers references to its one list, and cannot renumber one to nothing."""
    if not aid.sources:
        return  # an aid citing nothing has no references, only numbers in brackets
    for span in decoder.texts:
        if span.path[:1] == ("sources",):
            continue
        missing = [n for n in references(span.text) if not 1 <= n <= len(aid.sources)]
        if missing:
            decoder.fail_at(span.path, f"refers to source {missing[0]}, but 'sources:' lists "
                            f"{len(aid.sources)}", "number the sources from 1, as listed under 'sources:'")


def _kind(decoder: Decoder, node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.MappingNode):
        # Never quote it: a file given by mistake (a roster of patients) must not be echoed.
        decoder.fail(node, (), f"this is not an aid: expected 'key: value' lines, got {_shape(node)}",
                     "an aid file starts with a 'kind:' line")
        return None
    for key, value in node.value:
        if key.value == "kind":
            if isinstance(value, yaml.ScalarNode) and value.value in MODELS:
                return value.value
            return decoder.fail(value, ("kind",), f"unknown kind {describe(value)}",
                                suggest(getattr(value, "value", ""), MODELS))
    return decoder.fail(node, (), "missing required key 'kind'", "one of: " + ", ".join(MODELS))


def _shape(node: yaml.Node) -> str:
    return "a list" if isinstance(node, yaml.SequenceNode) else "plain text"


def _id_from_file(decoder: Decoder, file: str) -> str | None:
    stem = Path(file).stem
    if stem and stem[0].isalpha() and all(c.isalnum() or c in "-_" for c in stem) and stem.islower():
        return stem
    decoder.fail_at((), f"the file name '{stem}' cannot serve as the aid's id",
                    "add an 'id:' of lower-case letters, digits, '-' or '_'")
    return stem


# ── cross-references ────────────────────────────────────────────────────────────────


def _check_option_keys(decoder: Decoder, given, options, path: tuple, what: str) -> None:
    for key in given:
        if key not in options:
            decoder.fail_at(path + (key,), f"unknown option '{key}'", suggest(key, options), at_key=True)
    for key in options:
        if what and key not in given:
            decoder.fail_at(path, f"no {what} for option '{key}'")


def check_comparison(decoder: Decoder, aid: Comparison) -> None:
    for i, row in enumerate(aid.rows):
        _check_option_keys(decoder, row.cells, aid.options, ("rows", i, "cells"), "cell")
        for k, option in enumerate(row.cost):
            if option not in aid.options:
                decoder.fail_at(("rows", i, "cost", k), f"unknown option '{option}'", suggest(option, aid.options))
        if len(set(row.cost)) != len(row.cost):
            decoder.fail_at(("rows", i, "cost"), "the same option is listed twice")
    costs = [i for i, row in enumerate(aid.rows) if row.cost]
    if len(costs) > 1:
        decoder.fail_at(("rows", costs[1], "cost"), "only one row can be the cost row",
                        f"row {costs[0] + 1} already is")


def check_quiz(decoder: Decoder, aid: Quiz) -> None:
    for i, question in enumerate(aid.questions):
        answers = aid.answers_for(question)
        if len(set(answers)) != len(answers):
            decoder.fail_at(("questions", i, "answers"), "the same answer is listed twice")
        for answer, awards in question.points.items():
            path = ("questions", i, "points", answer)
            if answer not in answers:
                decoder.fail_at(path, f"'{answer}' is not one of this question's answers",
                                suggest(answer, answers), at_key=True)
            _check_option_keys(decoder, awards, aid.options, path, "")
        _check_rules_out(decoder, aid, question, ("questions", i, "rules_out"))
        if not question.points and not question.rules_out:
            decoder.fail_at(("questions", i), "question gives no points and rules no option out",
                            "add 'points:' saying which answer gives points to which option, "
                            "or 'rules_out:' saying which answer rules out which option")
    _check_option_keys(decoder, aid.scoring.lean, aid.options, ("scoring", "lean"), "text")


def _check_rules_out(decoder: Decoder, aid: Quiz, question, path: tuple) -> None:
    answers = aid.answers_for(question)
    for answer, options in question.rules_out.items():
        if answer not in answers:
            decoder.fail_at(path + (answer,), f"'{answer}' is not one of this question's answers",
                            suggest(answer, answers), at_key=True)
        for k, option in enumerate(options):
            if option not in aid.options:
                decoder.fail_at(path + (answer, k), f"unknown option '{option}'", suggest(option, aid.options))
        if len(set(options)) != len(options):
            decoder.fail_at(path + (answer,), "the same option is listed twice")


def check_worksheet(decoder: Decoder, aid: Worksheet) -> None:
    if aid.values is None and not aid.sure:
        decoder.fail_at((), "a worksheet needs 'values:', 'sure:' or both", "add 'values:' with the factors "
                        "that matter, or 'sure: true' for the SURE test")


def check_flowchart(decoder: Decoder, aid: Flowchart) -> None:
    nodes = aid.nodes
    if aid.start is not None and aid.start not in nodes:
        decoder.fail_at(("start",), f"unknown node '{aid.start}'", suggest(aid.start, nodes))
        return
    broken = False
    for node_id, node in nodes.items():
        if isinstance(node, Decision):
            for label, target in node.branches.items():
                if target not in nodes:
                    broken = True
                    decoder.fail_at(("nodes", node_id, "branches", label),
                                    f"branch '{label}' leads to unknown node '{target}'",
                                    suggest(target, nodes))
    if broken:
        return
    _check_graph(decoder, aid)


def _check_graph(decoder: Decoder, aid: Flowchart) -> None:
    """Cycles, unreachable nodes, and questions with no way to an outcome."""
    nodes, start = aid.nodes, aid.start_id
    state: dict[str, str] = {}  # "open" while on the DFS stack, "done" after

    def visit(node_id: str) -> None:
        state[node_id] = "open"
        node = nodes[node_id]
        for label, target in getattr(node, "branches", {}).items():
            if state.get(target) == "open":
                decoder.fail_at(("nodes", node_id, "branches", label),
                                f"branch '{label}' loops back to '{target}'",
                                "a decision chart must always move forward to an outcome")
            elif target not in state:
                visit(target)
        state[node_id] = "done"

    visit(start)
    for node_id in nodes:
        if node_id not in state:
            decoder.fail_at(("nodes", node_id), f"node '{node_id}' cannot be reached from '{start}'",
                            "link to it from a branch, or remove it")
    leads_out = {n for n, node in nodes.items() if not isinstance(node, Decision)}
    changed = True
    while changed:
        changed = False
        for n, node in nodes.items():
            if n not in leads_out and any(t in leads_out for t in node.branches.values()):
                leads_out.add(n)
                changed = True
    for n in nodes:
        if n not in leads_out and n in state:
            decoder.fail_at(("nodes", n), f"question '{n}' has no path to an outcome")


def check_pack(decoder: Decoder, pack: Pack) -> None:
    base = Path(decoder.file).parent
    for i, entry in enumerate(pack.aids):
        path = base / entry
        if not path.is_file():
            decoder.fail_at(("aids", i), f"no aid file '{entry}' (looked for {path})")
        elif path.resolve() == Path(decoder.file).resolve():
            decoder.fail_at(("aids", i), "a pack cannot contain itself")


def pack_members(pack: Pack) -> list[Path]:
    return [Path(pack.where.file).parent / entry for entry in pack.aids]


def check_checklist(decoder: Decoder, aid: Checklist) -> None:
    seen = set()
    for i, f in enumerate(aid.fields):
        if f.id in seen:
            decoder.fail_at(("fields", i), f"field '{f.id}' is listed twice")
        seen.add(f.id)
        if f.id not in STANDARD_FIELDS and f.label is None:
            decoder.fail_at(("fields", i), f"field '{f.id}' needs a 'label:'",
                            "standard fields are " + ", ".join(STANDARD_FIELDS))


CHECKS = {
    Quiz: check_quiz,
    Flowchart: check_flowchart,
    Comparison: check_comparison,
    Checklist: check_checklist,
    Worksheet: check_worksheet,
    Pack: check_pack,
}


def _where_in_block(file: str, span, char: str) -> Location:
    """In a `|` or `>` block, the line and column the character is really on."""
    if span.block_lines:
        first, last = span.block_lines
        try:
            lines = Path(file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeError):
            return span.where
        for number in range(first, min(last, len(lines)) + 1):
            column = unicodedata.normalize("NFC", lines[number - 1]).find(char)
            if column >= 0:
                return Location(file, number, column + 1)
    return span.where


def check_drawable(decoder: Decoder) -> None:
    """Every character of every text must be in the embedded font: never a black box."""
    can_draw = fonts.drawable()
    for span in decoder.texts:
        for char in span.text:
            if ord(char) not in can_draw:
                name = unicodedata.name(char, "unnamed character")
                decoder.problems.append(Problem(
                    _where_in_block(decoder.file, span, char), span.path,
                    f"the handout font ({fonts.NAME}) cannot print '{char}' (U+{ord(char):04X} {name})",
                    "replace it with a character the font has, or remove it"))
                break
