"""Patient values: every field checked, dates in each clinic style, nothing echoed.

Weekdays are from the calendar (1 Dec 2026 is a Tuesday), not from the code under test.
"""

from __future__ import annotations

import datetime

import pytest

from aidpress.model import Checklist, PatientField
from aidpress.patient import (MAX_VALUE, InvalidPatient, ValueProblem, check_values, field_for, field_lookup,
                              friendly_date, parse_date, read_when, unknown_hint)
from aidpress.validate import load_aid

from .conftest import ROOT

AID = load_aid(ROOT / "tests" / "fixtures" / "sheets" / "garden-care.yaml")  # name, date (required), area, plot


def problems(given: dict, date_format: str = "year-month-day", aid=AID) -> list[ValueProblem]:
    with pytest.raises(InvalidPatient) as caught:
        check_values(aid, given, date_format)
    return caught.value.problems


def test_good_values_are_normalised_and_dates_printed_friendly():
    sheet = check_values(AID, {"name": "  Zoe\u0308   Mu\u0308ller ", "date": "2026-12-01", "plot": "7"},
                         row=4, line=9)
    assert sheet.values == {"name": "Zoë Müller", "date": "Tue 1 Dec 2026", "plot": "7"}
    assert (sheet.row, sheet.line) == (4, 9)


def test_every_field_is_checked_after_a_blank_optional_one():
    """A blank optional field (area) does not stop the checks of the fields after it."""
    assert problems({"name": "Ann", "date": "2026-12-01", "area": "", "plot": "火"}) == [
        ValueProblem("plot", "contains a character the handout font cannot print (U+706B)")]


def test_all_problems_are_listed_in_field_order_and_never_hold_the_value():
    found = problems({"name": "x" * (MAX_VALUE + 1), "date": "31/31/2026", "plot": "Ann 火"})
    assert found == [
        ValueProblem("name", "longer than 200 characters"),
        ValueProblem("date", "not a date", "write it as 2026-11-23, or 2026-11-23 10:30 (the clinic's date_format: "
                                           "year-month-day)"),
        ValueProblem("plot", "contains a character the handout font cannot print (U+706B)")]
    assert all("Ann" not in p.message + p.hint and "31/31" not in p.message + p.hint for p in found)
    assert str(InvalidPatient(found)).splitlines()[1] == "error: date: not a date"


def test_a_value_of_exactly_200_characters_passes_and_201_is_refused():
    assert MAX_VALUE == 200
    assert check_values(AID, {"name": "x" * 200, "date": "2026-12-01"}).values["name"] == "x" * 200
    assert problems({"name": "x" * 201, "date": "2026-12-01"}) == [ValueProblem("name", "longer than 200 characters")]


@pytest.mark.parametrize("given", [{}, {"date": ""}, {"date": "  \t "}])
def test_a_required_field_left_blank(given):
    assert problems({"name": "Ann", **given}) == [ValueProblem("date", "required, but empty")]


def test_an_aid_without_fields_fills_nothing():
    bare = Checklist(kind="checklist", id="bare", title="T", sections=AID.sections, where=AID.where)
    assert problems({}, aid=bare) == [ValueProblem("fields", "the aid 'bare' has no patient fields to fill")]


@pytest.mark.parametrize("style, written, printed", [
    ("year-month-day", "2026-12-01", "Tue 1 Dec 2026"),
    ("year-month-day", "2026-12-01 10:30", "Tue 1 Dec 2026, 10:30"),
    ("year-month-day", "2026-12-01T09:05", "Tue 1 Dec 2026, 09:05"),
    ("day/month/year", "01/12/2026", "Tue 1 Dec 2026"),
    ("day/month/year", "1.12.2026, 10:30", "Tue 1 Dec 2026, 10:30"),
    ("day/month/year", "23/11/2026", "Mon 23 Nov 2026"),
    ("day/month/year", "2026-12-01", "Tue 1 Dec 2026"),  # ISO is understood in every style
    ("month/day/year", "12/01/2026", "Tue 1 Dec 2026"),
    ("month/day/year", "11/23/2026 2:30 pm", "Mon 23 Nov 2026, 14:30"),
    ("month/day/year", "11/23/2026 12:05 AM", "Mon 23 Nov 2026, 00:05"),
    ("month/day/year", "11-23-2026 12:00pm", "Mon 23 Nov 2026, 12:00"),
    ("day/month/year", "29/02/2028 23:59", "Tue 29 Feb 2028, 23:59"),
    ("year-month-day", "2026-12-01 1:05 am", "Tue 1 Dec 2026, 01:05"),
    ("year-month-day", "2026-12-01 1:30 p.m.", "Tue 1 Dec 2026, 13:30"),
])
def test_dates_in_each_clinic_style(style, written, printed):
    assert check_values(AID, {"date": written}, style).values["date"] == printed


@pytest.mark.parametrize("style, written", [
    ("year-month-day", "23/11/2026"),  # the UK form, in an ISO clinic
    ("day/month/year", "01/12/26"),  # two-digit year: which century?
    ("year-month-day", "2026-12-01 soon"),
    ("year-month-day", "2026-12-01x"),
    ("year-month-day", "Tuesday"),
    ("month/day/year", "2026/23/11"),  # the US clinic's hint shows the US form
])
def test_not_a_date_in_that_style(style, written):
    (found,) = problems({"name": "Ann", "date": written}, style)
    assert found.name == "date" and found.message == "not a date"
    example = {"year-month-day": "2026-11-23", "day/month/year": "23/11/2026", "month/day/year": "11/23/2026"}[style]
    assert found.hint == f"write it as {example}, or {example} 10:30 (the clinic's date_format: {style})"


def test_parse_date_returns_the_date_and_the_time():
    assert parse_date("2026-12-01") == (datetime.date(2026, 12, 1), None)
    assert parse_date("1/12/2026 at 9.15", "day/month/year") == (datetime.date(2026, 12, 1), "09:15")
    assert parse_date("12/1/2026", "year-month-day") is None
    assert friendly_date("2026-01-04 07:00") == "Sun 4 Jan 2026, 07:00"


def test_fields_are_named_by_id_label_or_spaced_id_in_any_case():
    aid = Checklist(kind="checklist", id="x", title="T", sections=AID.sections, where=AID.where, fields=(
        PatientField(id="next_appointment", where=AID.where), PatientField(id="plot", label="Plot  Number",
                                                                            where=AID.where)))
    assert field_lookup(aid) == {"next_appointment": "next_appointment", "next appointment": "next_appointment",
                                 "plot": "plot", "plot number": "plot"}
    assert field_for(aid, " NEXT   Appointment ") == "next_appointment"
    assert field_for(aid, "plot number") == "plot" and field_for(aid, "Plot") == "plot"
    assert field_for(aid, "phone") is None
    assert unknown_hint(aid, "PLOTT") == "did you mean 'plot'?"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_weekday_and_month_prints_its_english_abbreviation(month):
    """Oracle: the calendar module (C locale), not the code under test."""
    import calendar

    for day in range(1, 8):  # seven days in a row: every weekday
        expected = f"{calendar.day_abbr[calendar.weekday(2026, month, day)]} {day} {calendar.month_abbr[month]} 2026"
        assert friendly_date(f"2026-{month:02d}-{day:02d}") == expected


def test_a_custom_field_is_found_by_its_id_with_spaces():
    aid = Checklist(kind="checklist", id="x", title="T", sections=AID.sections, where=AID.where, fields=(
        PatientField(id="plot_no", label="Plot number", where=AID.where),))
    assert field_for(aid, "Plot no") == "plot_no" and field_for(aid, "plot_no") == "plot_no"


# ── what does not exist is said to not exist ─────────────────────────────────────────


@pytest.mark.parametrize("style, written, message, hint", [
    ("day/month/year", "31/11/2027", "31 November does not exist", ""),
    ("month/day/year", "11/31/2027", "31 November does not exist", ""),
    ("day/month/year", "29/02/2026", "29 February does not exist in 2026", ""),
    ("day/month/year", "11/23/2026", "month 23 does not exist", ""),
    ("day/month/year", "01/13/2026", "month 13 does not exist", ""),
    ("month/day/year", "00/13/2026", "month 0 does not exist", ""),
    ("month/day/year", "23/11/2026", "month 23 does not exist", ""),
    ("year-month-day", "2026-12-01 25:00", "25:00 is not a time", "write the time as 00:00 to 23:59"),
    ("year-month-day", "2026-12-01 24:00", "24:00 is not a time", "write the time as 00:00 to 23:59"),
    ("year-month-day", "2026-12-01 10:60", "10:60 is not a time", "write the time as 00:00 to 23:59"),
    ("year-month-day", "2026-12-01 13:00 pm", "13:00 pm is not a time", "a time before am or pm is 1:00 to 12:59"),
    ("year-month-day", "2026-12-01 0:30 am", "0:30 am is not a time", "a time before am or pm is 1:00 to 12:59"),
    ("day/month/year", "31/11/2027 25:99", "31 November does not exist; 25:99 is not a time",
     "write the time as 00:00 to 23:59"),
    ("day/month/year", "Monday 1 December 2026", "1 December 2026 is a Tuesday, not a Monday", "check the date"),
])
def test_a_day_or_time_that_does_not_exist_is_named_with_no_pointless_hint(style, written, message, hint):
    (found,) = problems({"name": "Ann", "date": written}, style)
    assert (found.name, found.message, found.hint) == ("date", message, hint)


@pytest.mark.parametrize("written, printed", [
    ("2026-12-01 2:30 PM", "Tue 1 Dec 2026, 14:30"),  # capitals are afternoon too
    ("2026-12-01 2:30 P.M.", "Tue 1 Dec 2026, 14:30"),
    ("2026-12-01 2:30 AM", "Tue 1 Dec 2026, 02:30"),
    ("2026-12-01 12:30 AM", "Tue 1 Dec 2026, 00:30"),
    ("Tuesday 1 December 2026, 10:30", "Tue 1 Dec 2026, 10:30"),
    ("tue 1 dec 2026", "Tue 1 Dec 2026"),
    ("1st December 2026", "Tue 1 Dec 2026"),
    ("December 1, 2026 9:15 am", "Tue 1 Dec 2026, 09:15"),
    ("Dec 31 2026", "Thu 31 Dec 2026"),
])
def test_times_in_capitals_and_dates_written_out(written, printed):
    assert check_values(AID, {"date": written}, "day/month/year").values["date"] == printed


@pytest.mark.parametrize("written", ["1 Decembre 2026", "Tusday 1 December 2026", "1 December", "December 2026"])
def test_a_misspelt_or_partial_written_date_is_not_a_date(written):
    (found,) = problems({"name": "Ann", "date": written})
    assert found.message == "not a date"


# ── date and time fields (next_appointment) ──────────────────────────────────────────


TIMED = Checklist(kind="checklist", id="x", title="T", sections=AID.sections, where=AID.where, fields=(
    PatientField(id="next_appointment", where=AID.where), PatientField(id="visit", type="datetime", where=AID.where)))


@pytest.mark.parametrize("style, written, printed", [
    ("day/month/year", "30/11/2026 10:00", "Mon 30 Nov 2026, 10:00"),
    ("month/day/year", "11/30/2026 2:05 PM", "Mon 30 Nov 2026, 14:05"),
    ("year-month-day", "2026-11-30T08:00", "Mon 30 Nov 2026, 08:00"),
])
def test_next_appointment_is_a_date_and_time_printed_like_a_date(style, written, printed):
    sheet = check_values(TIMED, {"next_appointment": written, "visit": written}, style)
    assert sheet.values == {"next_appointment": printed, "visit": printed}


@pytest.mark.parametrize("written, message, hint", [
    ("31/11/2027 25:99", "31 November does not exist; 25:99 is not a time", "write the time as 00:00 to 23:59"),
    ("30/11/2026", "has no time", "write it as 23/11/2026 10:30 (the clinic's date_format: day/month/year)"),
    ("next week", "not a date and time", "write it as 23/11/2026 10:30 (the clinic's date_format: day/month/year)"),
])
def test_a_date_and_time_field_refuses_what_is_not_one(written, message, hint):
    assert problems({"next_appointment": written}, "day/month/year", aid=TIMED) == [
        ValueProblem("next_appointment", message, hint)]


def test_the_standard_next_appointment_field_is_typed_date_and_time():
    assert PatientField(id="next_appointment", where=AID.where).value_type == "datetime"


# ── scripts the handout cannot print the right way round, and line breaks ──────────────


@pytest.mark.parametrize("name, script", [
    ("محمد علي", "Arabic"), ("Ann محمد", "Arabic"), ("דוד כהן", "Hebrew"), ("ܐܢܐ", "Syriac"),
    ("देवनागरी", "Devanagari"), ("ภาษาไทย", "Thai"), ("٣", "a right-to-left"),
])
def test_a_right_to_left_or_shaped_script_is_refused_naming_the_script(name, script):
    (found,) = problems({"name": name, "date": "2026-12-01"})
    assert found == ValueProblem("name", f"is written in {script} script, which the handout cannot print (it would "
                                         "come out backwards or with its letters unjoined)",
                                 "write it in Latin letters, or fill this line in by hand")
    assert name not in found.message + found.hint


@pytest.mark.parametrize("name", ["Zoë Ødegård", "Łukasz Żak", "Ελένη", "Дмитрий", "Xavier Xu"])
def test_left_to_right_scripts_the_font_draws_are_kept(name):
    assert check_values(AID, {"name": name, "date": "2026-12-01"}).values["name"] == name


@pytest.mark.parametrize("sep", ["\n", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\x85"])
def test_a_line_break_inside_a_value_is_refused_for_a_one_line_field(sep):
    (found,) = problems({"name": f"Ann{sep}Smith", "date": "2026-12-01"})
    assert found == ValueProblem("name", "has a line break inside it, but a write-in line holds one line",
                                 "join its lines in the spreadsheet (a vertical tab or line separator is a line "
                                 "break too)")


def test_spaces_and_tabs_around_and_inside_a_value_are_tidied():
    assert check_values(AID, {"name": " \tAnn \t Smith  ", "date": "2026-12-01"}).values["name"] == "Ann Smith"


@pytest.mark.parametrize("char_name, script", [
    ("ARABIC LETTER ALEF", "Arabic"), ("HEBREW LETTER ALEF", "Hebrew"), ("SYRIAC LETTER ALAPH", "Syriac"),
    ("THAANA LETTER HAA", "Thaana"), ("NKO LETTER A", "N'Ko"), ("SAMARITAN LETTER ALAF", "Samaritan"),
    ("MANDAIC LETTER HALQA", "Mandaic"), ("DEVANAGARI LETTER A", "Devanagari"), ("BENGALI LETTER A", "Bengali"),
    ("GURMUKHI LETTER A", "Gurmukhi"), ("GUJARATI LETTER A", "Gujarati"), ("ORIYA LETTER A", "Oriya"),
    ("TAMIL LETTER A", "Tamil"), ("TELUGU LETTER A", "Telugu"), ("KANNADA LETTER A", "Kannada"),
    ("MALAYALAM LETTER A", "Malayalam"), ("SINHALA LETTER AYANNA", "Sinhala"), ("THAI CHARACTER KO KAI", "Thai"),
    ("LAO LETTER KO", "Lao"), ("TIBETAN LETTER KA", "Tibetan"), ("MYANMAR LETTER KA", "Myanmar"),
    ("KHMER LETTER KA", "Khmer"), ("MONGOLIAN LETTER A", "Mongolian"),
    # right to left, in no script named above: said so by direction
    ("CYPRIOT SYLLABLE A", "a right-to-left"), ("HANIFI ROHINGYA LETTER A", "a right-to-left"),
    ("RIGHT-TO-LEFT EMBEDDING", "a right-to-left"), ("RIGHT-TO-LEFT OVERRIDE", "a right-to-left"),
    ("RIGHT-TO-LEFT ISOLATE", "a right-to-left"), ("ARABIC-INDIC DIGIT THREE", "a right-to-left"),
])
def test_every_script_the_handout_cannot_shape_is_named(char_name, script):
    import unicodedata

    (found,) = problems({"name": "Ann " + unicodedata.lookup(char_name), "date": "2026-12-01"})
    assert found.message.startswith(f"is written in {script} script, ")


def test_no_character_below_hebrew_is_right_to_left_or_of_a_script_refused():
    """The script check skips every character below U+0590 unread (most of a roster is such):
    by Unicode's own data none of them is right to left or named in a script refused."""
    import unicodedata

    from aidpress.patient import FIRST_UNSHAPED, UNSHAPED

    assert FIRST_UNSHAPED == "\u0590"  # where the Hebrew block begins (its first character, U+0591, is Hebrew)
    assert unicodedata.name("\u0591").startswith("HEBREW ")
    for code in range(0x590):
        c = chr(code)
        assert unicodedata.bidirectional(c) not in ("R", "AL", "RLE", "RLO", "RLI", "AN"), hex(code)
        assert not any(unicodedata.name(c, "").startswith(s + " ") for s in UNSHAPED), hex(code)
    (found,) = problems({"name": "Ann \u0591", "date": "2026-12-01"})  # the first character not skipped is read
    assert found.message.startswith("is written in Hebrew script, ")


@pytest.mark.parametrize("day, weekday", [(30, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"),
                                          (4, "Friday"), (5, "Saturday"), (6, "Sunday")])
def test_every_weekday_name_in_full_or_short_is_checked_against_the_date(day, weekday):
    """30 Nov 2026 is a Monday (calendar); each weekday name read in full and by three letters."""
    month = "November" if day == 30 else "December"
    for written in (weekday, weekday[:3], weekday.upper()):
        assert check_values(AID, {"date": f"{written} {day} {month} 2026"}).values["date"].startswith(weekday[:3])
    (found,) = problems({"name": "Ann", "date": f"{weekday} {day % 28 + 2} December 2026"})
    assert found.message.endswith(f", not a {weekday}")


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_name_in_full_or_short_is_read(month):
    import calendar

    full, short = calendar.month_name[month], calendar.month_abbr[month]
    for written in (f"3 {full} 2027", f"3 {short} 2027", f"{full} 3, 2027", f"3 {full.lower()} 2027"):
        assert check_values(AID, {"date": written}).values["date"].endswith(f" 3 {short} 2027")
    if month in (4, 6, 9, 11):
        assert problems({"date": f"31 {full} 2027"}) == [ValueProblem("date", f"31 {full} does not exist")]


def test_an_unknown_name_is_matched_without_its_spaces_or_case():
    assert unknown_hint(AID, "  PL  ") == "did you mean 'plot'?"  # not 'expected one of'


def test_a_wrong_time_is_named_as_typed_without_the_spaces_after_it():
    """read_when takes a value as given (a caller may not have tidied it): the message
    names the time the patient's sheet would have shown, not the blanks after it."""
    assert read_when("2026-12-01 25:99   ") == ("25:99 is not a time", "write the time as 00:00 to 23:59")
