"""The rules a model's type hints carry (inside Annotated[...]): plain data, no YAML.

The models (aidpress.model) declare them; the decoder (aidpress.schema) and the JSON
Schema writer (aidpress.jsonschema) read them. Kept apart so importing the models
loads neither PyYAML nor the decoder.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    """A text rule: the whole value matches `regex`; `expected` says what was wanted."""

    regex: str
    expected: str  # how to describe a matching value to an editor

    def check(self, value: str) -> str | None:
        if re.fullmatch(self.regex, value):
            return None
        return f"expected {self.expected}, got '{value}'"


@dataclass(frozen=True)
class Length:
    """How many entries a value may have: from `min` to `max`."""

    min: int = 0
    max: int | None = None

    def check(self, value) -> str | None:
        n, what = len(value), "entries"
        if n < self.min:
            return f"needs at least {self.min} {what}, has {n}"
        if self.max is not None and n > self.max:
            return f"allows at most {self.max} {what}, has {n}"
        return None


@dataclass(frozen=True)
class Range:
    """The smallest and largest a number may be."""

    min: int | None = None
    max: int | None = None

    def check(self, value: int) -> str | None:
        if self.min is not None and value < self.min:
            return f"must be at least {self.min}, got {value}"
        if self.max is not None and value > self.max:
            return f"must be at most {self.max}, got {value}"
        return None


class Blank:
    """Marks a text field that may be deliberately empty (`""`)."""


class Prose(tuple):
    """Paragraphs: one text (blank lines separate paragraphs) or a list of texts."""


@functools.cache  # cache key: the dataclass (one per model class); kept for the life of the process
def field_types(cls) -> dict:
    """The YAML keys a dataclass accepts, with their types (`where` is filled in, not read)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.name != "where"}
