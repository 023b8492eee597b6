"""YAML syntax errors in plain words, at the line and column the editor has to fix.

Each expected line:col is counted by hand in the text beside it (1-based, as editors show).
"""

from __future__ import annotations

import pytest
import yaml

from aidpress.errors import InvalidAid
from aidpress.source import MAX_DEPTH, load

CHECKLIST = """\
kind: checklist
title: After your treatment
sections:
  - heading: The first day
    items:
      - Drink plenty of water.
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def error_of(tmp_path, text: str) -> InvalidAid:
    path = tmp_path / "aid.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidAid) as err:
        load(path)
    return err.value


def message(tmp_path, text: str) -> str:
    err = error_of(tmp_path, text)
    prefix = f"{tmp_path / 'aid.yaml'}:"
    assert str(err).startswith(prefix)
    return str(err)[len(prefix):]


CASES = [
    # the quote opens on line 2 col 8; PyYAML reports the end of the file (7:1)
    pytest.param(edit(CHECKLIST, "title: After", "title: 'After"),
                 "2:8: error: this quote (') is never closed (end the text with ', or remove the opening ')",
                 id="unclosed-single-quote"),
    pytest.param(edit(CHECKLIST, "- Drink", '- "Drink'),
                 '6:9: error: this quote (") is never closed (end the text with ", or remove the opening ")',
                 id="unclosed-double-quote"),
    # the quote on line 2 swallows line 3 up to the next quote, then the parse fails on line 3
    pytest.param(edit(CHECKLIST, "title: After your treatment\n", 'title: "After your treatment\nsubtitle: "Day one"\n'),
                 '2:8: error: the quote (") opened here runs on to line 3 '
                 '(a closing " is probably missing at the end of this line)', id="quote-closed-lines-later"),
    pytest.param(edit(CHECKLIST, "  - heading", "\t- heading"),
                 "4:1: error: a tab in the indentation (YAML indents with spaces only: replace the tab with spaces)",
                 id="tab-at-line-start"),
    pytest.param(edit(CHECKLIST, "    items:", "\titems:"),
                 "5:1: error: a tab in the indentation (YAML indents with spaces only: replace the tab with spaces)",
                 id="tab-before-key"),
    pytest.param(edit(CHECKLIST, "      - Drink", "    \t- Drink"),
                 "6:5: error: a tab in the indentation (YAML indents with spaces only: replace the tab with spaces)",
                 id="tab-after-spaces"),
    pytest.param(edit(CHECKLIST, "title: After", "title:\tAfter"),
                 "2:7: error: a tab after the ':' (YAML allows only spaces here: replace the tab with a space)",
                 id="tab-before-value"),
    pytest.param(edit(CHECKLIST, "    items:", "     items:"),
                 "5:6: error: this line is indented further than 'heading' on line 4, so YAML reads it as part of "
                 "that value (for a new key, indent it by 4 spaces like 'heading'; if it continues the value, "
                 "quote the value)", id="indented-one-too-deep"),
    pytest.param(edit(CHECKLIST, "    items:", "   items:"),
                 "5:4: error: this line is indented by 3 spaces, which lines up with nothing above it "
                 "(indent it by 4 spaces, like line 4)", id="indented-one-too-shallow"),
    pytest.param(CHECKLIST + "     - Rest.\n",
                 "7:6: error: this line is indented by 5 spaces, which lines up with nothing above it "
                 "(indent it by 6 spaces, like line 6)", id="list-item-one-too-shallow"),
    pytest.param(edit(CHECKLIST, "title: After your treatment", "title: After: your treatment"),
                 "2:13: error: the value of 'title' contains ': ', which YAML reads as another key "
                 '(put the whole value in quotes: title: "After: your treatment")', id="colon-in-value"),
    pytest.param(edit(CHECKLIST, "- heading: The first day", '- heading: Day 1: "rest"'),
                 "4:19: error: the value of 'heading' contains ': ', which YAML reads as another key "
                 "(put the whole value in quotes: heading: 'Day 1: \"rest\"')", id="colon-in-value-with-quotes"),
    pytest.param(edit(CHECKLIST, "title: After your treatment", '"After" your treatment'.join(["title: ", ""])),
                 "2:16: error: text after the closing quote (put the whole value inside the quotes, "
                 "or leave the quotes out)", id="text-after-quote"),
    pytest.param(edit(CHECKLIST, "title: After your treatment\n", "title: After your treatment\nsubtitle Day one\n"),
                 "3:1: error: 'subtitle Day one' has no ':' after it (write 'key: value', or indent the line "
                 "further if it continues the text above)", id="missing-colon"),
    pytest.param(edit(CHECKLIST, "- Drink plenty of water.", "- [Drink plenty of water."),
                 "6:9: error: this '[' is never closed (close it with ']', or put the whole value in quotes if "
                 "the brackets are text)", id="unclosed-bracket"),
    pytest.param(CHECKLIST + "options: {a: A, b: B\nrows: []\n",
                 "7:10: error: this '{' is never closed (close it with '}', or put the whole value in quotes if "
                 "the brackets are text)", id="unclosed-brace"),
    pytest.param(CHECKLIST + "- Rest.\n",
                 "7:1: error: a list item where a 'key: value' line was expected (put the list under a key, "
                 "indented, or remove the '- ')", id="list-item-among-keys"),
    pytest.param(edit(CHECKLIST, "title: After", "title: @After"),
                 "2:8: error: a text cannot start with '@' (put the whole text in quotes: \"@After your treatment\")",
                 id="reserved-character"),
    # Markdown-style emphasis: YAML reads a leading '*' as an alias, '&' as an anchor.
    pytest.param(edit(CHECKLIST, "- Drink plenty of water.", "- **Do not** do hard exercise"),
                 "6:9: error: a text cannot start with '*' (YAML reads it as an alias) (put the whole text in "
                 "quotes: \"**Do not** do hard exercise\")", id="leading-asterisks"),
    pytest.param(edit(CHECKLIST, "- Drink plenty of water.", "- && then rest"),
                 "6:9: error: a text cannot start with '&' (YAML reads it as an anchor) (put the whole text in "
                 "quotes: \"&& then rest\")", id="leading-ampersands"),
    pytest.param(edit(CHECKLIST, "- Drink plenty of water.", "- `Rest` today"),
                 "6:9: error: a text cannot start with '`' (put the whole text in quotes: \"`Rest` today\")",
                 id="leading-backquote"),
    pytest.param(edit(CHECKLIST, "- Drink plenty of water.", '- "Keep C:\\Users\\notes"'),
                 "6:17: error: a '\\' inside double quotes starts an escape like \\n (use single quotes around "
                 "this text, or write '\\\\' for a backslash)", id="backslash-in-double-quotes"),
    pytest.param(CHECKLIST + "---\n" + CHECKLIST,
                 "7:1: error: only one YAML document is allowed per file (remove the extra '---')",
                 id="two-documents"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_syntax_error_in_plain_words_at_the_cause(tmp_path, text, expected, monkeypatch):
    monkeypatch.delenv("AIDPRESS_DEBUG", raising=False)
    assert message(tmp_path, text) == expected


def test_pyyaml_wording_is_kept_on_the_cause_and_shown_on_request(tmp_path, monkeypatch):
    monkeypatch.delenv("AIDPRESS_DEBUG", raising=False)
    text = edit(CHECKLIST, "title: After", "title: 'After")
    err = error_of(tmp_path, text)
    assert "unexpected end of stream" not in str(err)
    assert isinstance(err.__cause__, yaml.MarkedYAMLError)
    assert err.__cause__.problem == "found unexpected end of stream"

    monkeypatch.setenv("AIDPRESS_DEBUG", "1")
    assert message(tmp_path, text) == (
        "2:8: error: this quote (') is never closed (end the text with ', or remove the opening '; "
        "YAML parser: while scanning a quoted scalar found unexpected end of stream)")


def test_an_unrecognised_slip_says_how_to_see_more(tmp_path, monkeypatch):
    monkeypatch.delenv("AIDPRESS_DEBUG", raising=False)
    # 'x' is no block scalar indicator: none of the common slips, so the general wording
    text = CHECKLIST + "notes: |x\n  text\n"
    assert message(tmp_path, text) == ("7:9: error: this line cannot be read as YAML "
                                       "(set AIDPRESS_DEBUG=1 to see the YAML parser's own message)")


# ── nesting deeper than the composer can walk ──────────────────────────────────────


@pytest.mark.parametrize("text, where", [
    # the top mapping is level 1, so the 64th '[' is the first too deep: 'items: ' is 7
    # characters, so it is at column 7 + 64
    pytest.param("items: " + "[" * 1000 + "]" * 1000 + "\n", "1:71", id="1000-brackets"),
    pytest.param("items: " + "[" * 1000 + "\n", "1:71", id="1000-unclosed-brackets"),
    pytest.param("items: " + "{a: " * 1000 + "}" * 1000 + "\n", f"1:{7 + 63 * 4 + 1}", id="1000-braces"),
    # key k0 at column 1 of line 1, k1 at column 2 of line 2, …: k64's value is level 65
    pytest.param("".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "v\n", "65:65",
                 id="300-indented-mappings"),
    pytest.param("- " * 1000 + "x\n", "1:129", id="1000-dashes"),
])
def test_deep_nesting_is_a_located_error_not_a_recursion_error(tmp_path, text, where):
    got = message(tmp_path, text)
    assert got == (f"{where}: error: lists and mappings are nested more than {MAX_DEPTH} levels deep here "
                   "(an aid needs only a few levels; look for brackets or indentation that run away)")


def test_nesting_at_the_limit_still_loads(tmp_path):
    path = tmp_path / "aid.yaml"
    path.write_text("[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    node = load(path)
    for _ in range(MAX_DEPTH - 1):
        node = node.value[0]
    assert node.value == []


def test_a_deeply_nested_aid_fails_alone_and_the_others_build(tmp_path):
    from aidpress.commands.build import Built, Failed, BuildOptions, build

    (tmp_path / "aids").mkdir()
    (tmp_path / "aids" / "a-deep.yaml").write_text("kind: checklist\ntitle: " + "[" * 1000 + "\n")
    (tmp_path / "aids" / "b-good.yaml").write_text(CHECKLIST)
    results = build([tmp_path / "aids"], None, BuildOptions(tmp_path / "out"))
    assert [type(r) for r in results] == [Failed, Built]
    assert [str(p) for p in results[0].problems] == [
        f"{tmp_path / 'aids' / 'a-deep.yaml'}:2:71: error: lists and mappings are nested more than {MAX_DEPTH} "
        "levels deep here (an aid needs only a few levels; look for brackets or indentation that run away)"]
    assert (tmp_path / "out" / "b-good.pdf").read_bytes().startswith(b"%PDF-")
