"""Schema for editors' tools, incremental builds, watch, and packs."""

from __future__ import annotations

import io
import json
import threading
import time

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from aidpress.errors import InvalidAid
from aidpress.jsonschema import aid_schema
from aidpress.commands.build import Built, Failed, BuildOptions, build
from aidpress.validate import load_aid
from aidpress.commands.watch import Fixed, watch
from cli import main

from .conftest import AIDS, GENERIC, ROOT
from .readback import read


class Yaml12Loader(yaml.SafeLoader):
    """How an editor's YAML language server reads a file: YAML 1.2 core scalars."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"
            and tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|false)$"),
                                   list("tf"))


def editor_view(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


VALIDATOR = jsonschema.Draft202012Validator(aid_schema())


def test_committed_schemas_are_the_generated_ones():
    from aidpress.jsonschema import clinic_schema

    committed = json.loads((ROOT / "docs" / "aid.schema.json").read_text())
    assert committed == aid_schema(), "run: aidpress schema -o docs/aid.schema.json"
    committed = json.loads((ROOT / "docs" / "clinic.schema.json").read_text())
    assert committed == clinic_schema(), "run: aidpress schema --clinic -o docs/clinic.schema.json"
    clinic = editor_view(ROOT / "clinic.yaml")
    assert list(jsonschema.Draft202012Validator(clinic_schema()).iter_errors(clinic)) == []


@pytest.mark.parametrize("path", AIDS + GENERIC, ids=[p.stem for p in AIDS + GENERIC])
def test_every_aid_validates_against_the_schema_and_names_it(path):
    assert list(VALIDATOR.iter_errors(editor_view(path))) == []
    if path in AIDS:
        assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=../docs/aid.schema.json"


BAD = {
    "unknown key": "kind: checklist\ntitle: T\ntitel: x\nsections: [{heading: H, items: [a]}]\n",
    "missing key": "kind: checklist\ntitle: T\n",
    "unknown kind": "kind: leaflet\ntitle: T\n",
    "too few options": "kind: comparison\ntitle: T\noptions: {a: A}\nrows: [{aspect: x, cells: {a: y}}]\n",
    "bad colour-free id": "kind: comparison\ntitle: T\noptions: {A: A, b: B}\nrows: [{aspect: x, cells: {A: y, b: z}}]\n",
    "bad date": "kind: checklist\ntitle: T\nupdated: 24/11/2026\nsections: [{heading: H, items: [a]}]\n",
    "list for text": "kind: checklist\ntitle: [a, b]\nsections: [{heading: H, items: [a]}]\n",
    "node with both": "kind: flowchart\ntitle: T\nnodes:\n  a: {question: q, outcome: o, branches: {x: b, y: b}}\n  b: {outcome: o}\n",
    "margin not integer": ("kind: quiz\ntitle: T\noptions: {a: A, b: B}\nquestions: [{question: q, points: {Yes: {a: 1}}}]\n"
                           "scoring: {margin: 1.5, lean: {a: x, b: y}, otherwise: z}\n"),
}


@pytest.mark.parametrize("name", BAD)
def test_schema_rejects_what_the_validator_rejects(tmp_path, name):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD[name])
    with pytest.raises(InvalidAid):
        load_aid(path)
    assert list(VALIDATOR.iter_errors(editor_view(path))) != []


# ── incremental builds ──────────────────────────────────────────────────────────────

CHECKLIST = "kind: checklist\ntitle: {title}\nsections:\n  - heading: H\n    items: [Drink plenty of water.]\n"


def outcome(results):
    return {r.source.name: type(r).__name__ for r in results}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aids").mkdir()
    (tmp_path / "aids" / "one.yaml").write_text(CHECKLIST.format(title="One"))
    (tmp_path / "aids" / "two.yaml").write_text(CHECKLIST.format(title="Two"))
    (tmp_path / "clinic.yaml").write_text("name: A Clinic\nphone: 1\n")
    return tmp_path


def test_build_skips_unchanged_aids_and_rebuilds_on_each_kind_of_input(project):
    aids, clinic, out = [project / "aids"], project / "clinic.yaml", BuildOptions(project / "output")
    assert outcome(build(aids, clinic, out)) == {"one.yaml": "Built", "two.yaml": "Built"}
    assert outcome(build(aids, clinic, out)) == {"one.yaml": "Skipped", "two.yaml": "Skipped"}
    (project / "aids" / "one.yaml").write_text(CHECKLIST.format(title="One, edited"))
    assert outcome(build(aids, clinic, out)) == {"one.yaml": "Built", "two.yaml": "Skipped"}
    clinic.write_text("name: Another Clinic\nphone: 1\n")
    assert outcome(build(aids, clinic, out)) == {"one.yaml": "Built", "two.yaml": "Built"}
    assert outcome(build(aids, clinic, BuildOptions(project / "output", paper="letter"))) == {
        "one.yaml": "Built", "two.yaml": "Built"}
    assert outcome(build(aids, clinic, BuildOptions(project / "output", paper="letter"))) == {
        "one.yaml": "Skipped", "two.yaml": "Skipped"}
    (project / "output" / "two-letter.pdf").write_bytes(b"damaged")  # Letter prints have their own files
    assert outcome(build(aids, clinic, BuildOptions(project / "output", paper="letter"))) == {
        "one.yaml": "Skipped", "two.yaml": "Built"}
    assert outcome(build(aids, clinic, BuildOptions(project / "output", paper="letter"), force=True)) == {
        "one.yaml": "Built", "two.yaml": "Built"}


def test_aidpress_version_is_part_of_the_inputs(project, monkeypatch):
    from aidpress.commands import manifest

    aids, clinic, out = [project / "aids"], project / "clinic.yaml", BuildOptions(project / "output")
    build(aids, clinic, out)
    monkeypatch.setattr(manifest, "code_fingerprint", lambda: "another version")
    assert outcome(build(aids, clinic, out)) == {"one.yaml": "Built", "two.yaml": "Built"}


def test_cli_says_what_it_built_and_what_it_skipped(project):
    first = CliRunner().invoke(main, ["build"])
    second = CliRunner().invoke(main, ["build"])
    assert first.exit_code == second.exit_code == 0
    assert second.stdout.splitlines() == ["output/one.pdf  unchanged, skipped", "output/two.pdf  unchanged, skipped"]


def test_a_broken_aid_is_reported_even_when_its_last_build_is_current(project):
    aids, clinic, out = [project / "aids"], project / "clinic.yaml", BuildOptions(project / "output")
    build(aids, clinic, out)
    good = (project / "output" / "one.pdf").read_bytes()
    (project / "aids" / "one.yaml").write_text("kind: checklist\ntitle: [\n")
    assert outcome(build(aids, clinic, out)) == {"one.yaml": "Failed", "two.yaml": "Skipped"}
    assert (project / "output" / "one.pdf").read_bytes() == good


# ── watch ───────────────────────────────────────────────────────────────────────────


def test_watch_rebuilds_after_a_change_and_keeps_the_last_good_pdf(project):
    events: list = []
    deadline = time.monotonic() + 20

    def keep_going():
        return time.monotonic() < deadline and not stop.is_set()

    stop = threading.Event()
    thread = threading.Thread(target=watch, kwargs=dict(
        paths=[project / "aids"], clinic_path=project / "clinic.yaml", options=BuildOptions(project / "output"),
        report=lambda e: events.append(e.result if isinstance(e, Fixed) else e), interval=0.05,
        keep_going=keep_going))
    thread.start()
    try:
        wait_for(lambda: len([e for e in events if isinstance(e, Built)]) == 2)
        good = (project / "output" / "one.pdf").read_bytes()
        events.clear()
        time.sleep(0.02)
        (project / "aids" / "one.yaml").write_text("kind: checklist\ntitle: [\n")
        wait_for(lambda: any(isinstance(e, Failed) for e in events))
        assert (project / "output" / "one.pdf").read_bytes() == good
        events.clear()
        (project / "aids" / "one.yaml").write_text(CHECKLIST.format(title="Changed by watch"))
        wait_for(lambda: any(isinstance(e, Built) and e.source.name == "one.yaml" for e in events))
        assert "Changed by watch" in read((project / "output" / "one.pdf").read_bytes())[0].body
        assert not any(isinstance(e, Built) and e.source.name == "two.yaml" for e in events)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def wait_for(condition, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


# ── packs ───────────────────────────────────────────────────────────────────────────


def test_pack_has_cover_contents_with_right_pages_bookmarks_and_pack_numbering(project):
    long_items = "\n".join(f"      - Item number {i} of a long list." for i in range(60))
    (project / "aids" / "long.yaml").write_text(
        f"kind: checklist\ntitle: Long one\nsections:\n  - heading: H\n    items:\n{long_items}\n")
    (project / "packs").mkdir()
    (project / "packs" / "room.yaml").write_text(
        "kind: pack\ntitle: Waiting room\nupdated: 2026-11-24\naids: [../aids/one.yaml, ../aids/long.yaml, ../aids/two.yaml]\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    pdf = (project / "output" / "room.pdf").read_bytes()
    pages = read(pdf)
    total = len(pages)
    assert "Waiting room" in pages[0].body and "A Clinic" in pages[0].body and "24 Nov 2026" in pages[0].body
    contents = pages[0].body  # the contents share the cover page
    starts = {}
    for title in ("One", "Long one", "Two"):
        number = int(contents.split(f"{title} ", 1)[1].split()[0])
        starts[title] = number
        assert pages[number - 1].body.startswith(title)  # the contents point at the right page
    assert starts["Two"] - starts["Long one"] >= 2  # the long aid takes several pages
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {total}" in page.text
    reader = PdfReader(io.BytesIO(pdf))
    marks = {o.title: reader.get_destination_page_number(o) + 1 for o in reader.outline}
    assert {k: marks[k] for k in starts} == starts
    # Each aid inside looks as it does alone: same text, apart from the page numbers.
    alone = read((project / "output" / "long.pdf").read_bytes())
    inside = pages[starts["Long one"] - 1: starts["Long one"] - 1 + len(alone)]
    assert [p.body for p in inside] == [p.body for p in alone]


def test_editing_an_aid_rebuilds_the_packs_that_use_it(project):
    (project / "packs").mkdir()
    (project / "packs" / "room.yaml").write_text("kind: pack\ntitle: Room\naids: [../aids/one.yaml]\n")
    sources = [project / "aids", project / "packs"]
    build(sources, project / "clinic.yaml", BuildOptions(project / "output"))
    (project / "aids" / "one.yaml").write_text(CHECKLIST.format(title="One again"))
    results = build(sources, project / "clinic.yaml", BuildOptions(project / "output"))
    assert outcome(results) == {"one.yaml": "Built", "two.yaml": "Skipped", "room.yaml": "Built"}


def test_a_pack_naming_a_missing_aid_is_an_error_at_its_line(project):
    (project / "packs").mkdir()
    pack = project / "packs" / "room.yaml"
    pack.write_text("kind: pack\ntitle: Room\naids:\n  - ../aids/one.yaml\n  - ../aids/nope.yaml\n")
    with pytest.raises(InvalidAid) as err:
        load_aid(pack)
    assert str(err.value) == f"{pack}:5:5: error: aids[1]: no aid file '../aids/nope.yaml' (looked for {pack.parent}/../aids/nope.yaml)"


def test_every_example_in_the_format_doc_is_valid(tmp_path):
    """docs/format.md's examples build: the reference cannot drift from the code."""
    import re

    from aidpress.validate import load_clinic
    from layouts import render as render_aid

    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "format.md").read_text(), re.S)
    kinds = []
    for n, block in enumerate(blocks):
        path = tmp_path / f"example{n}.yaml"
        path.write_text(block)
        if block.startswith("kind: pack"):
            continue  # names the seed aids by path; the pack tests cover packs
        if block.startswith(("labels:", "# yaml-language-server")):
            load_clinic(path) if block.startswith("labels:") else None
            continue
        aid = load_aid(path)
        assert render_aid(aid, load_clinic(None)).pages >= 1
        kinds.append(aid.kind)
    assert sorted(set(kinds)) == ["checklist", "comparison", "flowchart", "quiz", "worksheet"]
