"""Issue 8's blocks read back from the PDF: the values worksheet, the SURE test, About this
leaflet, quiz rule-outs, checklist things to know and the warning box's phone and emergency
route. Expected texts come from the YAML (neutral fixtures) or from aidpress's own labels."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from aidpress.errors import InvalidAid
from aidpress.labels import LABELS
from aidpress.model import Clinic
from aidpress.validate import load_aid, load_clinic
from layouts import render
from layouts.scale import LARGE_BODY, REGULAR_BODY, Scale

from .conftest import CLINIC, ROOT
from .readback import assert_in_order, body_text, read, stroked_squares

GENERIC = ROOT / "tests" / "fixtures" / "generic"
WORKSHEET = load_aid(GENERIC / "commute-worksheet.yaml")
SAFETY_QUIZ = load_aid(GENERIC / "commute-quiz-safety.yaml")
AFTER = load_aid(GENERIC / "commute-after-repair.yaml")
LAYOUTS = pytest.mark.parametrize("paper, large_print", [("a4", False), ("letter", False), ("a4", True)],
                                  ids=["a4", "letter", "a4-large"])
SURE_TEXTS = [LABELS["sure_s"], LABELS["sure_s_question"], "Yes", "No",
              LABELS["sure_u"], LABELS["sure_u_question"], "Yes", "No",
              LABELS["sure_r"], LABELS["sure_r_question"], "Yes", "No",
              LABELS["sure_e"], LABELS["sure_e_question"], "Yes", "No",
              LABELS["sure_rule"], LABELS["sure_credit"]]


def tick_rows(pdf: bytes, large_print: bool) -> list[list[dict]]:
    """Tick boxes grouped by row, in reading order (page by page, top to bottom)."""
    tick = Scale(LARGE_BODY if large_print else REGULAR_BODY).tick
    rows: dict[tuple, list] = {}
    for number, page in enumerate(stroked_squares(pdf)):
        for box in page:
            assert box["width"] == pytest.approx(tick, abs=0.5), "a square that is not a tick box"
            rows.setdefault((number, round(box["top"])), []).append(box)
    return [sorted(row, key=lambda b: b["x0"]) for _, row in sorted(rows.items())]


# ── values worksheet and SURE test ──────────────────────────────────────────────────


@LAYOUTS
def test_worksheet_prints_a_row_of_boxes_per_factor_then_the_sure_test(paper, large_print):
    pdf = render(WORKSHEET, CLINIC, paper=paper, large_print=large_print).pdf
    rows = tick_rows(pdf, large_print)
    # 4 factors × (0–5 and 3 options) = 4 rows of 9, then the SURE test's 4 rows of Yes/No
    assert [len(r) for r in rows] == [6 + 3] * 4 + [2] * 4
    assert sum(len(r) for r in rows) == 4 * 9 + 8
    columns = [[round(b["x0"]) for b in row] for row in rows[:4]]
    assert columns == [columns[0]] * 4  # the boxes line up in columns
    text = body_text(pdf)
    assert_in_order(text, [WORKSHEET.title, WORKSHEET.subtitle, *WORKSHEET.intro, LABELS["your_options"],
                           *WORKSHEET.options.values(), LABELS["values_heading"], WORKSHEET.values.intro,
                           LABELS["values_factor"], LABELS["values_weight"], LABELS["values_points_to"],
                           *WORKSHEET.values.factors, LABELS["sure_heading"], LABELS["sure_intro"], *SURE_TEXTS])


def test_the_values_table_heads_its_columns_with_the_option_names():
    text = body_text(render(WORKSHEET, CLINIC).pdf)
    assert_in_order(text, [LABELS["values_points_to"], "0 1 2 3 4 5", "Cycling Bus Neither, or wait and see",
                           WORKSHEET.values.factors[0]])
    assert "A = Cycling" not in text


def test_crowded_option_columns_are_lettered_with_a_legend(write_yaml):
    aid = load_aid(write_yaml("""
        kind: worksheet
        title: Four long choices
        options: {a: Extraordinarily long first, b: Considerably longer second, c: Third, d: Fourth}
        values:
          factors: [Cost, Time, Comfort]
        """))
    for large_print in (False, True):
        pdf = render(aid, CLINIC, large_print=large_print).pdf
        assert [len(r) for r in tick_rows(pdf, large_print)] == [6 + 4] * 3
    text = body_text(render(aid, CLINIC, large_print=True).pdf)
    assert_in_order(text, ["A = Extraordinarily long first", "B = Considerably longer second", "C = Third",
                           "D = Fourth", LABELS["values_factor"], "0 1 2 3 4 5 A B C D", "Cost", "Time", "Comfort"])


def test_sure_alone_on_a_flowchart(write_yaml):
    aid = load_aid(write_yaml("""
        kind: flowchart
        title: Stay or go?
        sure: true
        nodes:
          q: {question: "Is it raining?", branches: {Yes: stay, No: go}}
          stay: {outcome: Stay in.}
          go: {outcome: Go out.}
        """))
    for paper, large_print in (("a4", False), ("letter", False), ("a4", True)):
        pdf = render(aid, CLINIC, paper=paper, large_print=large_print).pdf
        rows = tick_rows(pdf, large_print)
        assert [len(r) for r in rows] == [2] * 4
        assert_in_order(body_text(pdf), ["Go out.", LABELS["sure_heading"], *SURE_TEXTS])


def test_a_comparison_takes_values_and_a_sure_test_with_its_own_words(write_yaml):
    aid = load_aid(write_yaml("""
        kind: comparison
        title: Tea or coffee?
        options: {tea: Tea, coffee: Coffee}
        rows:
          - aspect: Caffeine
            cells: {tea: Less., coffee: More.}
        values:
          heading: What do you care about?
          intro: Tick one box in each part of a row.
          factors: [Taste, Sleep, Price]
        sure:
          heading: Ready to choose?
          intro: Answer these four questions.
        """))
    for large_print in (False, True):
        pdf = render(aid, CLINIC, large_print=large_print).pdf
        assert [len(r) for r in tick_rows(pdf, large_print)] == [6 + 2] * 3 + [2] * 4
        assert_in_order(body_text(pdf), ["More.", "What do you care about?", "Tick one box in each part of a row.",
                                         "Taste", "Sleep", "Price", "Ready to choose?",
                                         "Answer these four questions.", *SURE_TEXTS])
        assert LABELS["sure_heading"] not in body_text(pdf)


def test_a_clinic_can_translate_the_sure_test(tmp_path):
    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: Praxis\nlabels:\n  sure_s_question: Sind Sie sicher?\n  yes: Ja\n  no: Nein\n")
    text = body_text(render(WORKSHEET, load_clinic(profile)).pdf)
    assert_in_order(text, [LABELS["sure_s"], "Sind Sie sicher?", "Ja", "Nein", LABELS["sure_u"]])


# ── quiz rule-outs ──────────────────────────────────────────────────────────────────


@LAYOUTS
def test_a_rule_out_answer_is_marked_and_its_note_and_the_score_key_are_printed(paper, large_print):
    text = body_text(render(SAFETY_QUIZ, CLINIC, paper=paper, large_print=large_print).pdf)
    q1, q2, q3 = SAFETY_QUIZ.questions[:3]
    assert_in_order(text, [
        q1.question, "⚠ If you ticked “Yes”, talk to your practitioner before choosing Cycling.", "Yes ⚠", "No",
        q2.question, q2.help, "Points: Yes: +1 Cycling",
        "⚠ If you ticked “Yes”, talk to your practitioner before choosing Bus.", "Yes ⚠", "No",
        q3.question, "Yes", "No",
        LABELS["how_to_read"], "⚠ " + LABELS["rule_out_key"], SAFETY_QUIZ.scoring.lean["bike"]])
    assert text.count("⚠ If you ticked") == 2  # questions 3 and 4 rule nothing out
    assert "Points: Yes: +2 Cycling" in text and "Points: Points" not in text
    assert text.count("Points:") == 3  # question 1 gives no points: no empty key


def test_a_note_names_every_option_an_answer_rules_out(write_yaml):
    aid = load_aid(write_yaml("""
        kind: quiz
        title: T
        options: {a: Apples, b: Pears, c: Plums}
        questions:
          - question: Are you allergic to fruit?
            rules_out: {"Yes": [a, b, c]}
          - question: Do you like sweet things?
            points: {"Yes": {a: 2}}
        scoring: {lean: {a: x, b: y, c: z}, otherwise: w}
        """))
    text = body_text(render(aid, CLINIC).pdf)
    assert "If you ticked “Yes”, talk to your practitioner before choosing Apples, Pears or Plums." in text


def test_without_rule_outs_the_score_key_says_nothing_about_them():
    text = body_text(render(load_aid(GENERIC / "commute-quiz-3.yaml"), CLINIC).pdf)
    assert LABELS["rule_out_key"] not in text and "⚠" not in text


# ── About this leaflet ──────────────────────────────────────────────────────────────


@LAYOUTS
def test_about_block_prints_every_item_in_order(paper, large_print):
    clinic = Clinic(name="Riverside", phone="1", interests="We sell bus passes and bikes.")
    pages = read(render(WORKSHEET, clinic, paper=paper, large_print=large_print).pdf)
    about = WORKSHEET.about
    # at the end of the handout (in large print it may run over the last two pages)
    assert_in_order(" ".join(p.body for p in pages[-2:]), [
        "About this leaflet", f"Written by: {about.written_by}", "Sources:", f"1. {WORKSHEET.sources[0]}",
        f"Produced: 24 Nov 2026 · Review by: 24 Nov 2027 · {about.update_policy}",
        f"Funding: {about.funding}", f"Conflicts of interest: {about.conflicts} We sell bus passes and bikes.",
        WORKSHEET.disclaimer, "Riverside"])


def test_about_block_leaves_out_what_the_aid_does_not_say(write_yaml):
    aid = load_aid(write_yaml("""
        kind: comparison
        title: T
        updated: 2026-01-02
        options: {a: A, b: B}
        rows: [{aspect: X, cells: {a: Yes., b: No.}}]
        sources: [Book one (2020)., Book two (2021).]
        """))
    text = body_text(render(aid, Clinic()).pdf)
    assert_in_order(text, ["About this leaflet", "Sources:", "1. Book one (2020).", "2. Book two (2021).",
                           "Produced: 2 Jan 2026"])
    for missing in ("Written by", "Review by", "Funding", "Conflicts of interest"):
        assert missing not in text
    bare = load_aid(write_yaml("kind: comparison\ntitle: T\noptions: {a: A, b: B}\n"
                               "rows: [{aspect: X, cells: {a: Yes., b: No.}}]\n", "bare.yaml"))
    assert "About this leaflet" not in body_text(render(bare, Clinic()).pdf)


@LAYOUTS
def test_a_checklist_prints_one_line_of_sources_and_dates_instead(paper, large_print):
    text = body_text(render(AFTER, CLINIC, paper=paper, large_print=large_print).pdf)
    assert ("Sources: 1. Invented for aidpress tests (2026). 2. A second invented source (2025). "
            "· Produced: 24 Nov 2026 · Review by: 24 Nov 2027") in text
    assert "About this leaflet" not in text


# ── checklists: things to know, and who to call ─────────────────────────────────────


@LAYOUTS
def test_only_sections_of_things_to_do_have_tick_boxes(paper, large_print):
    pdf = render(AFTER, CLINIC, paper=paper, large_print=large_print).pdf
    rows = tick_rows(pdf, large_print)
    assert [len(r) for r in rows] == [1, 1]  # the two items of "What to do this week"
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for item, box in zip(AFTER.sections[2].items, rows):
            [page] = [p for p in doc.pages if p.search(item.text)]
            [found] = page.search(item.text)
            assert box[0]["page_number"] == page.page_number
            assert abs(found["top"] - box[0]["top"]) < Scale(LARGE_BODY if large_print else REGULAR_BODY).tick
    text = body_text(pdf)
    assert_in_order(text, ["What is normal", "• The new chain may click for a day or two.",
                           "• The new brake pads squeak at first.", "• This stops after about ten stops."])


@LAYOUTS
def test_a_warning_box_ends_with_the_clinic_phone_and_emergency_route(paper, large_print):
    clinic = Clinic(name="Riverside", phone="+44 20 7946 0321", emergency="call 999 or go to A&E")
    first = read(render(AFTER, clinic, paper=paper, large_print=large_print).pdf)[0].body
    assert_in_order(first, ["⚠ Stop riding and call us if", "The brakes feel soft.", "The front wheel wobbles.",
                            "Phone the clinic: +44 20 7946 0321", "In an emergency: call 999 or go to A&E",
                            "What is normal"])


def test_without_them_in_the_profile_the_warning_box_has_lines_to_write_them_on():
    pdf = render(AFTER, Clinic()).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        for label in ("Phone the clinic:", "In an emergency:"):
            [found] = page.search(label)
            lines = [ln for ln in page.lines if ln["x0"] > found["x1"] and abs(ln["top"] - found["bottom"]) < 6
                     and ln["x1"] - ln["x0"] > 100]
            assert len(lines) == 1, label


# ── validation ──────────────────────────────────────────────────────────────────────


def errors(path) -> list[str]:
    with pytest.raises(InvalidAid) as err:
        load_aid(path)
    return [line.removeprefix(f"{path}:") for line in str(err.value).splitlines()]


def test_rule_out_errors_name_the_line(write_yaml):
    path = write_yaml("""
        kind: quiz
        title: T
        options: {a: A, b: B}
        questions:
          - question: Q?
            rules_out:
              Yes: [a, c]
              Maybe: [b, b]
          - question: R?
        scoring: {lean: {a: x, b: y}, otherwise: z}
        """)
    assert errors(path) == [
        "7:16: error: questions[0].rules_out.Yes[1]: unknown option 'c' (expected one of: 'a', 'b')",
        "8:7: error: questions[0].rules_out.Maybe: 'Maybe' is not one of this question's answers "
        "(expected one of: 'Yes', 'No')",
        "8:14: error: questions[0].rules_out.Maybe: the same option is listed twice",
        "9:5: error: questions[1]: question gives no points and rules no option out (add 'points:' saying which "
        "answer gives points to which option, or 'rules_out:' saying which answer rules out which option)",
    ]


def test_block_errors_name_the_line(write_yaml):
    path = write_yaml("""
        kind: worksheet
        title: T
        options: {a: A, b: B}
        values:
          factors: [Only one]
          heding: H
        sure: maybe
        """)
    assert errors(path) == [
        "5:12: error: values.factors: needs at least 2 entries, has 1",
        "6:3: error: values: unknown key 'heding' (did you mean 'heading'?)",
        "7:7: error: sure: expected true or false, got 'maybe'",
    ]
    empty = write_yaml("kind: worksheet\ntitle: T\noptions: {a: A, b: B}\nsure: false\n", "empty.yaml")
    assert errors(empty) == ["1:1: error: a worksheet needs 'values:', 'sure:' or both (add 'values:' with "
                             "the factors that matter, or 'sure: true' for the SURE test)"]


def test_about_and_tick_errors_name_the_line(write_yaml):
    path = write_yaml("""
        kind: checklist
        title: T
        about:
          writen_by: Me
        sections:
          - heading: H
            tick: sometimes
            items: [Do it.]
        """)
    assert errors(path) == [
        "4:3: error: about: unknown key 'writen_by' (did you mean 'written_by'?)",
        "7:11: error: sections[0].tick: expected true or false, got 'sometimes'",
    ]


# ── check: one warning per missing About item, and safety questions first ───────────


def test_check_warns_for_each_missing_about_item_at_the_about_key(write_yaml):
    import datetime

    from aidpress.commands.check import check

    quiz = write_yaml("""
        kind: quiz
        title: T
        updated: 2026-01-01
        sources: [S (2025).]
        about:
          written_by: Me, a writer
          funding: None.
        options: {a: A, b: B}
        questions:
          - question: Do you like it?
            points: {"Yes": {a: 1}}
          - question: Are you allergic?
            rules_out: {"Yes": [a]}
          - question: Is it raining?
            points: {"Yes": {b: 1}}
            rules_out: {"Yes": [b]}
        scoring: {lean: {a: x, b: y}, otherwise: z}
        """)
    [report] = check([quiz], Clinic(), today=datetime.date(2026, 11, 26))
    assert [str(w).removeprefix(f"{quiz}:") for w in report.warnings if "reading grade" not in str(w)] == [
        "1:1: warning: no 'review_by' date: readers cannot tell when it will be checked again",
        "6:3: warning: about: no 'update_policy': say how and when it is kept up to date",
        "6:3: warning: about: no 'conflicts': state the authors' conflicts of interest, or 'None'",
        "12:5: warning: questions[1]: rules an option out but comes after question 1, which only gives points: "
        "ask the safety questions first",
        "14:5: warning: questions[2]: rules an option out but comes after question 1, which only gives points: "
        "ask the safety questions first",
    ]
    sheet = write_yaml("kind: checklist\ntitle: T\nupdated: 2026-01-01\nsources: [S.]\n"
                       "sections: [{heading: H, items: [Do it.]}]\n", "sheet.yaml")
    [report] = check([sheet], Clinic(), today=datetime.date(2026, 11, 26))
    assert [str(w) for w in report.warnings] == [  # a checklist prints no written-by, funding or conflicts
        f"{sheet}:1:1: warning: no 'review_by' date: readers cannot tell when it will be checked again"]


def test_the_neutral_fixtures_have_nothing_missing_from_their_about_block():
    import datetime

    from aidpress.commands.check import check

    paths = [GENERIC / "commute-worksheet.yaml", GENERIC / "commute-quiz-safety.yaml", GENERIC / "commute-after-repair.yaml"]
    for report in check(paths, Clinic(reading_grade=20), today=datetime.date(2026, 11, 26)):
        assert report.warnings == [], report.path


def test_the_blocks_intros_are_measured_as_prose():
    from aidpress.commands.check import prose

    assert WORKSHEET.values.intro in prose(WORKSHEET)
    assert SAFETY_QUIZ.sure.intro in prose(SAFETY_QUIZ)
    assert not set(WORKSHEET.values.factors) & set(prose(WORKSHEET))  # factors are labels, not sentences
