"""Decode YAML nodes into frozen dataclasses, driven by the dataclasses' type hints.

The models in aidpress.model declare what each key holds; this module is the only code
that turns nodes into values. Errors are collected, not raised one by one, so an editor
sees every mistake in a file at once, each with file:line:col, the key path and a hint.

Supported types: str, int, bool, datetime.date, Literal[...], Prose, tuple[T, ...],
dict[str, T], T | None, dataclasses, unions of dataclasses told apart by a tag key, and
a plain type or one dataclass (bool | Sure: a mapping is the dataclass).
Annotated[...] adds constraints: Pattern, Length, Range, Blank.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import types
import typing
import unicodedata
from dataclasses import dataclass


from .errors import InvalidAid, Location, Problem, suggest
from .rules import Blank, Length, Pattern, Prose, Range, field_types
from .source import location
from .source import yaml  # PyYAML as source.py imports it (see there)

NULL_TAG = "tag:yaml.org,2002:null"
INVALID = object()  # sentinel: this value had a problem (already recorded)


# ── the decoder ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TextSpan:
    """One piece of text taken from the YAML, with where it came from."""

    where: Location
    path: tuple
    text: str
    block_lines: tuple[int, int] | None = None  # a `|` or `>` block: the lines its text is on


def tidy(text: str) -> str:
    """NFC, and whitespace runs folded to one space: what the reader sees on paper."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"'{node.value}'"


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.tag == NULL_TAG


def _block_lines(node) -> tuple[int, int] | None:
    """1-based first and last line of a block scalar's text, so errors can name the line."""
    if getattr(node, "style", None) in ("|", ">"):
        return node.start_mark.line + 2, node.end_mark.line + 1
    return None


def _colon_hint(node) -> str:
    """Text like `Remember: rest` reads as a mapping; say so when that is what happened."""
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1 and not node.flow_style:
        key, _ = node.value[0]
        if isinstance(key, yaml.ScalarNode) and key.start_mark.line == node.value[0][1].start_mark.line:
            return "a ': ' inside text starts a 'key: value' pair; put the whole text in quotes"
    return ""


class Decoder:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.texts: list[TextSpan] = []
        self.locations: dict[tuple, Location] = {}  # key path → where its value starts
        self.key_locations: dict[tuple, Location] = {}  # key path → where the key itself is

    def locate(self, path: tuple, at_key: bool = False) -> Location:
        """The nearest recorded location for a path (its own, else its parent's); with
        at_key, where the key itself is written, when it is."""
        if at_key and path in self.key_locations:
            return self.key_locations[path]
        while path not in self.locations and path:
            path = path[:-1]
        return self.locations.get(path, Location(self.file, 1, 1))

    def fail_at(self, path: tuple, message: str, hint: str = "", *, at_key: bool = False):
        """A problem found after decoding, at the value of a key path (or at the key itself)."""
        where = self.key_locations.get(path) if at_key else None
        self.problems.append(Problem(where or self.locate(path), path, message, hint))
        return INVALID

    def where(self, node: yaml.Node) -> Location:
        return location(self.file, node.start_mark)

    def fail(self, node, path, message, hint=""):
        self.problems.append(Problem(self.where(node), path, message, hint))
        return INVALID

    def raise_if_failed(self) -> None:
        if self.problems:
            raise InvalidAid(self.problems)

    # Each decode_* returns the value or INVALID.
    def decode(self, tp, node: yaml.Node, path: tuple):
        self.locations.setdefault(path, self.where(node))
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            base, *meta = typing.get_args(tp)
            return self._annotated(base, meta, node, path)
        if origin in (typing.Union, types.UnionType):
            return self._union(typing.get_args(tp), node, path)
        if origin is typing.Literal:
            return self._literal(typing.get_args(tp), node, path)
        if origin is tuple:
            return self._sequence(typing.get_args(tp)[0], node, path)
        if origin is dict:
            return self._mapping(*typing.get_args(tp), node, path)
        if dataclasses.is_dataclass(tp):
            return self._dataclass(tp, node, path)
        scalar = SCALARS.get(tp)
        if scalar is None:
            raise TypeError(f"schema cannot decode {tp!r}")  # a bug in the models, not input
        return scalar(self, node, path)

    def scalar_text(self, node, path, expected: str):
        if not isinstance(node, yaml.ScalarNode) or is_null(node):
            return self.fail(node, path, f"expected {expected}, got {describe(node)}", _colon_hint(node))
        return node.value

    def _annotated(self, base, meta, node, path):
        allow_blank = Blank in meta
        value = self._text(node, path, allow_blank) if base is str else self.decode(base, node, path)
        if value is INVALID:
            return INVALID
        for rule in meta:
            message = rule.check(value) if hasattr(rule, "check") else None
            if message:
                return self.fail(node, path, message)
        return value

    def _text(self, node, path, allow_blank=False):
        raw = self.scalar_text(node, path, "text")
        if raw is INVALID:
            return INVALID
        text = tidy(raw)
        if not text and not allow_blank:
            return self.fail(node, path, "text is empty")
        self.texts.append(TextSpan(self.where(node), path, text, _block_lines(node)))
        return text

    def _prose(self, node, path):
        if isinstance(node, yaml.SequenceNode):
            parts = [self._text(item, path + (i,)) for i, item in enumerate(node.value)]
            return INVALID if INVALID in parts else Prose(parts)
        raw = self.scalar_text(node, path, "text or a list of paragraphs")
        if raw is INVALID:
            return INVALID
        paragraphs = [tidy(p) for p in re.split(r"\n\s*\n", raw) if p.strip()]
        for p in paragraphs:
            self.texts.append(TextSpan(self.where(node), path, p, _block_lines(node)))
        return Prose(paragraphs)

    def _int(self, node, path):
        raw = self.scalar_text(node, path, "a whole number")
        if raw is INVALID:
            return INVALID
        if not re.fullmatch(r"[+\-−]?\d+", raw.strip()):
            return self.fail(node, path, f"expected a whole number, got '{raw}'")
        return int(raw.strip().replace("−", "-"))

    def _bool(self, node, path):
        raw = self.scalar_text(node, path, "true or false")
        if raw is INVALID:
            return INVALID
        word = raw.strip().lower()
        if word in ("true", "yes"):
            return True
        if word in ("false", "no"):
            return False
        return self.fail(node, path, f"expected true or false, got '{raw}'")

    def _date(self, node, path):
        raw = self.scalar_text(node, path, "a date")
        if raw is INVALID:
            return INVALID
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            return self.fail(node, path, f"expected a date like 2026-11-24, got '{raw}'")
        try:
            return datetime.date.fromisoformat(raw.strip())
        except ValueError:  # the right form, but no such day: say so, not how to write it
            return self.fail(node, path, f"{raw.strip()} does not exist: {_no_such_day(raw.strip())}")

    def _literal(self, choices, node, path):
        raw = self.scalar_text(node, path, "one of " + ", ".join(choices))
        if raw is INVALID:
            return INVALID
        if raw in choices:
            return raw
        return self.fail(node, path, f"'{raw}' is not allowed here", suggest(raw, choices))

    def _union(self, members, node, path):
        if type(None) in members:
            rest = [m for m in members if m is not type(None)]
            if is_null(node):
                return None
            return self.decode(rest[0] if len(rest) == 1 else typing.Union[tuple(rest)], node, path)
        plain = [m for m in members if not dataclasses.is_dataclass(m)]
        if plain:  # e.g. bool | Sure (`sure: true`): a mapping is the dataclass, anything else the plain type
            (cls,) = [m for m in members if dataclasses.is_dataclass(m)]
            return self._dataclass(cls, node, path) if isinstance(node, yaml.MappingNode) \
                else self.decode(plain[0], node, path)
        # A union of dataclasses: the key that is present tells which one it is.
        tags = {m._tag: m for m in members}
        if isinstance(node, yaml.MappingNode):
            present = [k.value for k, _ in node.value if k.value in tags]
            if len(present) == 1:
                return self._dataclass(tags[present[0]], node, path)
            if len(present) > 1:
                return self.fail(node, path, "has both " + " and ".join(f"'{k}'" for k in present),
                                 "give exactly one of them")
        keys = " or ".join(f"'{t}:'" for t in tags)
        if isinstance(node, yaml.MappingNode):  # most likely a misspelt tag key: point at it
            import difflib  # only a broken file pays for it

            for key, _ in node.value:
                close = difflib.get_close_matches(key.value, list(tags), n=1, cutoff=0.6)
                if close:
                    return self.fail(key, path, f"unknown key '{key.value}': a node needs {keys}",
                                     f"did you mean '{close[0]}'?")
            return self.fail(node, path, f"a node needs {keys}", "add one of them")
        return self.fail(node, path, f"expected a mapping with {keys}, got {describe(node)}")

    def _sequence(self, item_type, node, path):
        if not isinstance(node, yaml.SequenceNode):
            return self.fail(node, path, f"expected a list, got {describe(node)}",
                             "start each entry on its own line with '- '")
        items = [self.decode(item_type, item, path + (i,)) for i, item in enumerate(node.value)]
        return INVALID if any(i is INVALID for i in items) else tuple(items)

    def _mapping(self, key_type, value_type, node, path):
        if not isinstance(node, yaml.MappingNode):
            return self.fail(node, path, f"expected a mapping of 'key: value' lines, got {describe(node)}")
        out, ok = {}, True
        for key_node, value_node in node.value:
            if node.flow_style and is_null(value_node) and value_node.start_mark.index == key_node.end_mark.index:
                # {a: x, y z} — a comma inside unquoted text split the entry in two.
                ok = self.fail(key_node, path, f"'{key_node.value}' reads as a key with no value",
                               "inside { }, a comma separates entries: put text containing a comma in quotes")
                continue
            key = self.decode(key_type, key_node, path)
            self.key_locations[path + (key_node.value,)] = self.where(key_node)
            value = self.decode(value_type, value_node, path + (key_node.value,))
            if key is INVALID or value is INVALID:
                ok = False
            else:
                out[key] = value
        return out if ok else INVALID

    def _dataclass(self, cls, node, path):
        shorthand = getattr(cls, "_shorthand", None)
        if shorthand and isinstance(node, yaml.ScalarNode):
            value = self.decode(field_types(cls)[shorthand], node, path)
            return INVALID if value is INVALID else cls(**{shorthand: value, "where": self.where(node)})
        if not isinstance(node, yaml.MappingNode):
            return self.fail(node, path, f"expected a mapping of 'key: value' lines, got {describe(node)}")
        hints = field_types(cls)
        if shorthand and _colon_hint(node) and node.value[0][0].value not in hints:
            return self.fail(node, path, f"expected text, got {describe(node)}", _colon_hint(node))
        given = {k.value: (k, v) for k, v in node.value}
        values, ok = {}, True
        for key, (key_node, value_node) in given.items():
            if key not in hints:
                self.fail(key_node, path, f"unknown key '{key}'", suggest(key, hints))
                ok = False
                continue
            self.key_locations[path + (key,)] = self.where(key_node)
            value = self.decode(hints[key], value_node, path + (key,))
            ok = ok and value is not INVALID
            values[key] = value
        for f in dataclasses.fields(cls):
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and f.name != "where" and f.name not in given:
                self.fail(node, path, f"missing required key '{f.name}'")
                ok = False
        if not ok:
            return INVALID
        if "where" in {f.name for f in dataclasses.fields(cls)}:
            values["where"] = self.where(node)
        return cls(**values)


SCALARS = {
    str: Decoder._text,
    int: Decoder._int,
    bool: Decoder._bool,
    datetime.date: Decoder._date,
    Prose: Decoder._prose,
}


def _no_such_day(iso: str) -> str:
    """Why a YYYY-MM-DD date is not on the calendar: 'month 11 of 2026 has 30 days'."""
    import calendar

    year, month, _ = map(int, iso.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    return f"month {month} of {year} has {calendar.monthrange(year, month)[1]} days"
