"""The JSON Schema as an editor uses it: YAML read as YAML 1.2, checked by a JSON Schema
validator, reached through the `$schema` comment on each file's first line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from aidpress.jsonschema import AID_ID, CLINIC_ID, FILES, aid_schema, clinic_schema, render, shipped

from .conftest import AIDS, GENERIC, ROOT

STARTER = ROOT / "aidpress" / "starter"
STARTER_AIDS = sorted((STARTER / "aids").glob("*.yaml")) + sorted((STARTER / "packs").glob("*.yaml"))
FIRST_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as yaml-language-server reads a file: `yes`, `No` and
    `2026-11-24` stay strings, `0123` is 123, `1:30` is a string."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
]:
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(node.value, 0)
                             if node.value.startswith(("0o", "0x")) else int(node.value))


def editor_view(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def test_the_loader_reads_yaml_1_2():
    assert yaml.load("a: 2026-11-24\nb: yes\nc: No\nd: 0123\ne: 1:30\nf: true\ng: 1.10\nh: ~\n", Loader=Yaml12Loader) \
        == {"a": "2026-11-24", "b": "yes", "c": "No", "d": 123, "e": "1:30", "f": True, "g": 1.1, "h": None}


AID_VALIDATOR = jsonschema.Draft202012Validator(aid_schema())


def errors(document) -> list[jsonschema.ValidationError]:
    return sorted(AID_VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path))


# ── the schema files: generated, shipped in the package, copied to docs/ ───────────


@pytest.mark.parametrize("name", FILES)
def test_shipped_and_docs_schemas_are_the_generated_ones(name):
    generated = render({"aid.schema.json": aid_schema, "clinic.schema.json": clinic_schema}[name]())
    assert shipped(name) == generated, f"run: aidpress schema{' --clinic' if 'clinic' in name else ''} -o {name}"
    assert (ROOT / "docs" / name).read_text(encoding="utf-8") == generated


def test_schemas_have_ids_and_are_keyed_by_kind():
    aid = aid_schema()
    assert aid["$id"] == AID_ID and clinic_schema()["$id"] == CLINIC_ID
    kinds = aid["properties"]["kind"]["enum"]
    assert kinds == ["quiz", "flowchart", "comparison", "checklist", "worksheet", "pack"]
    assert [rule["if"]["properties"]["kind"]["const"] for rule in aid["allOf"]] == kinds
    assert [rule["then"]["$ref"] for rule in aid["allOf"]] == [f"#/$defs/{k}" for k in kinds]
    assert "oneOf" not in aid
    jsonschema.Draft202012Validator.check_schema(aid)
    jsonschema.Draft202012Validator.check_schema(clinic_schema())


# ── every real aid passes, as the editor sees it ────────────────────────────────────


EVERY_AID = AIDS + GENERIC + STARTER_AIDS + sorted((ROOT / "packs").glob("*.yaml"))


@pytest.mark.parametrize("path", EVERY_AID, ids=[str(p.relative_to(ROOT)) for p in EVERY_AID])
def test_every_aid_validates_as_the_editor_reads_it(path):
    assert [e.message for e in errors(editor_view(path))] == []


@pytest.mark.parametrize("path", [ROOT / "clinic.yaml", STARTER / "clinic.yaml"], ids=["clinic", "starter-clinic"])
def test_clinic_profiles_validate(path):
    validator = jsonschema.Draft202012Validator(clinic_schema())
    assert [e.message for e in validator.iter_errors(editor_view(path))] == []


# ── a typo is named, inside the kind the file says it is ────────────────────────────


FIXTURES = ROOT / "tests" / "fixtures" / "generic"
TYPOS = {
    # file, the line to change, the change, where the misspelt key sits
    "quiz": (FIXTURES / "commute-quiz-3.yaml", "    help:", "    hlep:", "hlep"),
    "checklist": (FIXTURES / "commute-checklist.yaml", "subtitle:", "subtitel:", "subtitel"),
    "comparison": (FIXTURES / "commute-comparison-3.yaml", "aspect_label:", "aspect_lable:", "aspect_lable"),
    "flowchart": (FIXTURES / "commute-flowchart-3way.yaml", "intro:", "intor:", "intor"),
}


@pytest.mark.parametrize("kind", TYPOS)
def test_a_misspelt_key_is_named(tmp_path, kind):
    source, old, new, typo = TYPOS[kind]
    text = source.read_text(encoding="utf-8")
    assert f"kind: {kind}\n" in text and old in text
    bad = tmp_path / "typo.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = errors(editor_view(bad))
    assert len(found) == 1, [e.message for e in found]
    assert found[0].message == f"Additional properties are not allowed ('{typo}' was unexpected)"
    assert found[0].validator == "additionalProperties"
    # reported inside the kind's own definition, not "not valid under any of the given schemas"
    kinds = aid_schema()["properties"]["kind"]["enum"]
    assert list(found[0].absolute_schema_path)[:3] == ["allOf", kinds.index(kind), "then"]


def test_an_unknown_kind_lists_the_kinds():
    found = errors({"kind": "leaflet", "title": "T"})
    assert [e.message for e in found] == ["'leaflet' is not one of ['quiz', 'flowchart', 'comparison', 'checklist', "
                                          "'worksheet', 'pack']"]


def test_a_date_typed_by_hand_stays_text_and_is_checked():
    good = editor_view(GENERIC[2])
    assert isinstance(good["updated"], str)  # YAML 1.1 would have made it a date
    assert errors(good) == []
    bad = dict(good, updated="24/11/2026")
    assert [e.message for e in errors(bad)] == ["'24/11/2026' does not match '^\\\\d{4}-\\\\d{2}-\\\\d{2}$'"]


# ── the `$schema` comment leads to the schema, in a clone and in a starter project ──


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Path:
    """A project made by `aidpress init`."""
    from aidpress.commands.init import init

    project = tmp_path_factory.mktemp("project")
    init(project)
    return project


def schema_named_by_first_line(path: Path) -> dict:
    match = FIRST_LINE.fullmatch(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, "first line must be the yaml-language-server $schema comment"
    target = path.parent / match[1]
    assert target.is_file(), f"{match[1]} from {path.parent} does not exist"
    return json.loads(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", AIDS + sorted((ROOT / "packs").glob("*.yaml")), ids=lambda p: str(p.relative_to(ROOT)))
def test_in_a_clone_the_first_line_leads_to_the_aid_schema(path):
    assert schema_named_by_first_line(path)["$id"] == AID_ID


def test_in_a_clone_the_clinic_first_line_leads_to_the_clinic_schema():
    assert schema_named_by_first_line(ROOT / "clinic.yaml")["$id"] == CLINIC_ID


@pytest.mark.parametrize("relative", [str(p.relative_to(STARTER)) for p in STARTER_AIDS])
def test_in_a_new_project_the_first_line_leads_to_the_aid_schema(started, relative):
    assert schema_named_by_first_line(started / relative) == aid_schema()


def test_in_a_new_project_the_clinic_first_line_leads_to_the_clinic_schema(started):
    assert schema_named_by_first_line(started / "clinic.yaml") == clinic_schema()


@pytest.mark.parametrize("args, name", [([], "aid.schema.json"), (["--clinic"], "clinic.schema.json")])
def test_aidpress_schema_prints_the_shipped_schema(args, name):
    from click.testing import CliRunner

    from cli import main

    result = CliRunner().invoke(main, ["schema", *args])
    assert result.exit_code == 0
    assert result.stdout == shipped(name)
