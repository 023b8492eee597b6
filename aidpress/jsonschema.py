"""A JSON Schema of the aid format, generated from the same models the validator uses.

Editors with a YAML language server get completion and inline errors from it. It is a
guide for typing, not the validator: cross-references (option ids, node targets) and
font coverage are only checked by `aidpress check`.

Text fields also accept numbers and booleans, because the editor's YAML 1.2 parser reads
an unquoted `1.10` as a number, while aidpress keeps it as the text the editor typed.

The aid schema is keyed by `kind`: one `if kind is X then $defs/X` per kind, so an editor
reports a typo inside a quiz as the unknown key it is, not as "not valid under any of the
given schemas". The schemas ship inside the package (aidpress/schemas/) and in every
project, at the same place relative to the aids, so one first line works everywhere:

    aids/*.yaml, packs/*.yaml   # yaml-language-server: $schema=../docs/aid.schema.json
    clinic.yaml                 # yaml-language-server: $schema=docs/clinic.schema.json

In a clone docs/ is the repository's; `aidpress init` writes the same two files into the
new project's docs/. `$id` names the schema, it is not a download address.
"""

from __future__ import annotations

import dataclasses
import datetime
import typing
import types

from .model import MODELS, Clinic
from .rules import Blank, Length, Pattern, Prose, Range, field_types

TEXT = {"type": ["string", "number", "boolean"]}
SWITCH = {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no", "Yes", "No", "YES", "NO"]}]}
SCALARS = {
    str: TEXT,
    int: {"type": "integer"},
    bool: SWITCH,
    datetime.date: {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    Prose: {"anyOf": [TEXT, {"type": "array", "items": TEXT}]},
}


def schema_of(tp) -> dict:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        out = dict(schema_of(base))
        for rule in meta:
            out.update(_constraint(rule, out))
        return out
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(tp) if m is not type(None)]
        if len(members) == 1:
            return schema_of(members[0])
        return {"oneOf": [schema_of(m) for m in members]}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin is tuple:
        return {"type": "array", "items": schema_of(typing.get_args(tp)[0])}
    if origin is dict:
        key, value = typing.get_args(tp)
        out = {"type": "object", "additionalProperties": schema_of(value)}
        key_schema = schema_of(key)
        if "pattern" in key_schema:
            out["propertyNames"] = {"pattern": key_schema["pattern"]}
        return out
    if dataclasses.is_dataclass(tp):
        return _object(tp)
    return SCALARS[tp]


def _constraint(rule, current: dict) -> dict:
    if isinstance(rule, Pattern):
        return {"type": "string", "pattern": f"^(?:{rule.regex})$", "description": f"{rule.expected}"}
    if isinstance(rule, Length):
        key = "Items" if current.get("type") == "array" else "Properties"
        out = {f"min{key}": rule.min}
        if rule.max is not None:
            out[f"max{key}"] = rule.max
        return out
    if isinstance(rule, Range):
        return {k: v for k, v in (("minimum", rule.min), ("maximum", rule.max)) if v is not None}
    if rule is Blank:
        return {}
    return {}


def _object(cls, kind: str | None = None) -> dict:
    hints = field_types(cls)
    properties = {name: schema_of(tp) for name, tp in hints.items()}
    required = [f.name for f in dataclasses.fields(cls)
                if f.name in hints and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    tag = getattr(cls, "_tag", None)
    if kind:
        properties["kind"] = {"const": kind}
    out = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    if tag:
        out["required"] = sorted(set(required) | {tag})
    shorthand = getattr(cls, "_shorthand", None)
    if shorthand:
        return {"anyOf": [properties[shorthand], out]}
    return out


DRAFT = "https://json-schema.org/draft/2020-12/schema"
AID_ID = "urn:aidpress:schema:aid"
CLINIC_ID = "urn:aidpress:schema:clinic"
FILES = {"aid.schema.json": "aid_schema", "clinic.schema.json": "clinic_schema"}  # in aidpress/schemas/ and docs/


def aid_schema() -> dict:
    kinds = list(MODELS)
    return {
        "$schema": DRAFT,
        "$id": AID_ID,
        "title": "aidpress decision aid",
        "description": "A patient decision aid for aidpress (docs/format.md).",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds, "description": "Which kind of handout this is."}},
        "allOf": [{"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                   "then": {"$ref": f"#/$defs/{kind}"}} for kind in kinds],
        "$defs": {kind: _object(model, kind) for kind, model in MODELS.items()},
    }


def clinic_schema() -> dict:
    return {"$schema": DRAFT, "$id": CLINIC_ID, "title": "aidpress clinic profile", **_object(Clinic)}


def render(schema: dict) -> str:
    """The schema as written to a file: what `aidpress schema` prints and the package ships."""
    import json

    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def shipped(name: str) -> str:
    """The text of a schema file shipped in the package (aidpress/schemas/NAME)."""
    from importlib.resources import files

    return files("aidpress").joinpath("schemas", name).read_text(encoding="utf-8")
