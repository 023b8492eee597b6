"""`aidpress check` fails exactly when `aidpress build` would, with the same messages.

Run over every bad aid the suite holds: the parametrised YAML of test_errors.py and
test_validation.py, the schema cases of test_editor_workflow.py, and tests/fixtures/bad/
(cases that only show against the whole set or once laid out: two aids with one id,
packs inside packs, a CSV given as an aid or bound into a pack, a disclaimer too long
for the footer, a flowchart box taller than a page).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

from . import test_editor_workflow, test_errors, test_validation
from .conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"


def harvested() -> list:
    """(id, file content) for every YAML text a parametrised error test feeds the loader."""
    cases = []
    for module in (test_errors, test_validation):
        for name, test in vars(module).items():
            for mark in getattr(test, "pytestmark", []):
                if mark.name != "parametrize" or mark.args[0].split(",")[0].strip() not in ("content", "text"):
                    continue
                for n, value in enumerate(mark.args[1]):
                    values = value.values if hasattr(value, "values") else value
                    content = values[0] if isinstance(values, (tuple, list)) else values
                    if isinstance(content, (str, bytes)):
                        cases.append(pytest.param(content, id=f"{name}-{n}"))
    cases += [pytest.param(text, id=f"schema-{key}") for key, text in test_editor_workflow.BAD.items()]
    return cases


def run(project: Path, *args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": error: " in line]


def assert_agree(project: Path, *paths: str) -> tuple:
    check = run(project, "check", *paths)
    build = run(project, "build", *paths, "--out", str(project / "out"))
    assert "Traceback" not in check.output + build.output
    assert (check.exit_code == 1) == (build.exit_code == 1), (check.output, build.output)
    assert error_lines(check.stdout) == error_lines(build.stderr)
    if build.exit_code:
        failed = [line for line in build.stderr.splitlines() if " aids failed: " in line]
        assert failed, build.stderr
    return check, build


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aids").mkdir()
    return tmp_path


@pytest.mark.parametrize("content", harvested())
def test_check_and_build_agree_on_every_bad_aid_in_the_suite(project, content):
    path = project / "aids" / "aid.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    check, build = assert_agree(project, str(path))
    if check.exit_code == 0:  # nothing written by check, something by build
        assert (project / "out" / "aid.pdf").exists()


def test_the_harvest_found_the_suite_s_bad_aids():
    assert len(harvested()) > 60  # a refactor of those files must not silently empty this test


def copy_case(name: str, project: Path) -> Path:
    target = project / "aids"
    shutil.copytree(BAD / name, target, dirs_exist_ok=True)
    return target


def test_two_aids_with_one_id(project):
    folder = copy_case("same-id", project)
    check, build = assert_agree(project, str(folder))
    assert error_lines(check.stdout) == [
        f"{folder / 'b.yaml'}:3:1: error: id: id 'care' is already used by {folder / 'a.yaml'} "
        "(give each aid its own id)"]
    assert check.exit_code == build.exit_code == 1


def test_packs_that_include_each_other(project):
    folder = copy_case("pack-cycle", project)
    check, build = assert_agree(project, str(folder))
    # each pack's list entry naming the other pack (one.yaml line 5, two.yaml line 4)
    assert error_lines(check.stdout) == [
        f"{folder / 'one.yaml'}:5:5: error: aids[1]: a pack cannot contain another pack "
        "(list the aids of 'two.yaml' here instead)",
        f"{folder / 'two.yaml'}:4:5: error: aids[0]: a pack cannot contain another pack "
        "(list the aids of 'one.yaml' here instead)",
    ]
    assert check.exit_code == build.exit_code == 1
    assert sorted(p.name for p in (project / "out").glob("*.pdf")) == ["care.pdf"]


def test_a_disclaimer_too_long_for_the_footer_is_reported_at_its_line(project):
    folder = copy_case("long-disclaimer", project)
    check, build = assert_agree(project, str(folder))
    assert error_lines(check.stdout) == [
        f"{folder / 'leaflet.yaml'}:6:1: error: disclaimer: too long for the page footer "
        "(keep it to a sentence or two and put the rest in 'notes')"]


def test_a_flowchart_box_taller_than_a_page_is_reported_at_its_node(project):
    folder = copy_case("tall-box", project)
    check, build = assert_agree(project, str(folder))
    assert error_lines(check.stdout) == [
        f"{folder / 'chart.yaml'}:4:3: error: nodes.first: this step and its outcomes are taller than a page "
        "(shorten their text or split the question)"]


def test_a_clinic_name_too_long_for_the_header_is_reported_in_the_clinic_profile(project):
    (project / "aids" / "care.yaml").write_text((BAD / "same-id" / "a.yaml").read_text())
    clinic = project / "clinic.yaml"
    clinic.write_text("phone: '0123'\nname: " + "The Very Long Named Clinic " * 8 + "\n")
    check, build = assert_agree(project)
    assert error_lines(check.stdout) == [
        f"clinic.yaml:2:1: error: name: the clinic's name and phone are too long for the page header "
        "(shorten the name)"]


PATIENT_WORDS = ("Ann", "Example", "Smith", "John", "lower back", "neck")


def assert_not_echoed(*outputs: str) -> None:
    """No word of the roster's patients in anything the commands printed."""
    for output in outputs:
        assert not any(word in output for word in PATIENT_WORDS), output


def test_a_roster_given_as_an_aid_is_refused_without_echoing_it(project):
    roster = copy_case("csv-as-aid", project) / "today.csv"
    check, build = assert_agree(project, str(roster))
    assert check.exit_code == build.exit_code == 1
    assert_not_echoed(check.output, build.output)
    assert error_lines(check.stdout) == [
        f"{roster}:1:1: error: not an aid file: aid files end in .yaml or .yml "
        "(patient rosters go to 'aidpress aftercare AID --roster FILE')"]


def test_a_roster_bound_into_a_pack_is_refused_without_echoing_it(project):
    folder = copy_case("csv-in-pack", project)
    check, build = assert_agree(project, str(folder))
    assert error_lines(check.stdout) == [
        f"{folder / 'room.yaml'}:4:5: error: aids[0]: 'today.csv' is not a valid aid "
        f"(run 'aidpress check {folder / 'today.csv'}' to see why)"]
    assert_not_echoed(check.output, build.output)


def test_a_list_of_names_saved_as_yaml_is_not_echoed_either(project):
    folder = copy_case("pack-bad-member", project)
    check, build = assert_agree(project, str(folder))
    assert_not_echoed(check.output, build.output)
    assert error_lines(check.stdout) == [
        f"{folder / 'room.yaml'}:4:5: error: aids[0]: 'roster.yaml' is not a valid aid "
        f"(run 'aidpress check {folder / 'roster.yaml'}' to see why)",
        f"{folder / 'roster.yaml'}:1:1: error: missing required key 'kind' "
        "(one of: quiz, flowchart, comparison, checklist, worksheet, pack)",
    ]


def test_plain_text_given_as_an_aid_is_not_quoted(project):
    path = project / "aids" / "notes.yaml"
    path.write_text("Ann Example, lower back,\nJohn Smith, neck\n")
    check, _ = assert_agree(project, str(path))
    assert error_lines(check.stdout) == [
        f"{path}:1:1: error: this is not an aid: expected 'key: value' lines, got plain text "
        "(an aid file starts with a 'kind:' line)"]


def test_every_seed_aid_and_pack_passes_both(project):
    shutil.copytree(ROOT / "aids", project / "aids", dirs_exist_ok=True)
    shutil.copytree(ROOT / "packs", project / "packs")
    check, build = assert_agree(project)
    assert check.exit_code == build.exit_code == 0


def test_a_roster_given_to_aftercare_as_the_aid_is_refused_without_echoing_it(project):
    roster = copy_case("csv-as-aid", project) / "today.csv"
    result = run(project, "aftercare", str(roster), "--field", "name=Someone")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{roster}:1:1: error: not an aid file: aid files end in .yaml or .yml "
        "(patient rosters go to 'aidpress aftercare AID --roster FILE')"]
    assert_not_echoed(result.output)


def test_a_control_character_pasted_into_an_aid(project):
    # before: a traceback from PyYAML's reader, from both commands
    path = project / "aids" / "aid.yaml"
    path.write_text("kind: checklist\ntitle: Ring \x07 the bell\n", encoding="utf-8")
    check, build = assert_agree(project, str(path))
    assert error_lines(check.stdout) == [
        f"{path}:2:13: error: character U+0007 (an invisible control character) is not allowed in YAML "
        "(delete it, or retype the text around it; it often comes with text pasted from elsewhere)"]
    assert not (project / "out").exists()


CARE = "kind: checklist\ntitle: Before your visit\nid: {id}\nsections:\n  - heading: At home\n    items: [Eat a light meal.]\n"


@pytest.mark.parametrize("first, second, said", [
    ("care", "care-letter", "id 'care-letter' names the same file as aid 'care' ({a}) built with --paper letter: "
                            "both write care-letter.pdf"),
    ("care-large-print", "care", "id 'care' built with --large-print names the same file as aid "
                                 "'care-large-print' ({a}): both write care-large-print.pdf"),
    ("care", "care-a4-large-print", "id 'care-a4-large-print' names the same file as aid 'care' ({a}) built with "
                                    "--paper a4 --large-print: both write care-a4-large-print.pdf"),
])
def test_an_id_that_is_another_aid_s_variant_name_is_refused_naming_both(project, first, second, said):
    """Building Letter writes care-letter.pdf for the aid 'care': an aid with id
    'care-letter' writes the same file, and each build would silently replace the other's.
    Refused in every build (whatever the options), at the later aid's id: line (line 3)."""
    a, b = project / "aids" / "a.yaml", project / "aids" / "b.yaml"
    a.write_text(CARE.format(id=first))
    b.write_text(CARE.format(id=second))
    check, build = assert_agree(project, str(project / "aids"))
    assert error_lines(check.stdout) == [
        f"{b}:3:1: error: id: {said.format(a=a)}, and each build would replace the other's "
        "(give one of them another id)"]
    assert check.exit_code == build.exit_code == 1


def test_ids_that_only_look_alike_are_not_refused(project):
    """care-letter-2 and care-large are no variant of 'care': both build."""
    for name, aid_id in (("a", "care"), ("b", "care-letter-2"), ("c", "care-large")):
        (project / "aids" / f"{name}.yaml").write_text(CARE.format(id=aid_id))
    check, build = assert_agree(project, str(project / "aids"), "--paper", "letter")
    assert check.exit_code == build.exit_code == 0
    assert sorted(p.name for p in (project / "out").glob("*.pdf")) == [
        "care-large-letter.pdf", "care-letter-2-letter.pdf", "care-letter.pdf"]


def test_the_variant_papers_are_the_clinic_profile_s_paper_choices():
    import typing

    from aidpress.commands.preflight import PAPERS
    from aidpress.model import Clinic

    assert PAPERS == typing.get_args(typing.get_type_hints(Clinic)["paper"])
