"""YAML syntax errors in plain words, at the place the editor has to fix.

PyYAML says where it noticed a problem, in a parser's words ("expected <block end>, but
found '<scalar>'"), often far from the cause: an unclosed quote is reported where the
file ends. `explain` recognises the common slips (an unclosed quote or bracket, a tab,
a line indented too far or not far enough, a ': ' inside a value, text after a closing
quote, a missing ':') from PyYAML's error and the tokens read before it, and says what
to do, at the line and column where the cause is.

PyYAML's message is never lost: the caller raises with it as `__cause__`, and with
AIDPRESS_DEBUG=1 in the environment it is appended to the hint.
"""

from __future__ import annotations

import os
import re

import yaml  # loaded already: source.py, the one caller, imports PyYAML (see there) and this lazily

from .errors import Location, Problem

DEBUG_HINT = "set AIDPRESS_DEBUG=1 to see the YAML parser's own message"


def explain(exc: yaml.YAMLError, text: str, name: str) -> Problem:
    where, message, hint = _explain(exc, text)
    if os.environ.get("AIDPRESS_DEBUG") == "1":
        words = " ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None))
                         if part) or str(exc)
        hint = f"{hint}; " if hint else ""
        hint += f"YAML parser: {words}"
    return Problem(Location(name, where[0] + 1, where[1] + 1), (), message, hint)


def _explain(exc: yaml.YAMLError, text: str) -> tuple[tuple[int, int], str, str]:
    """(0-based line, column), message, hint."""
    if not isinstance(exc, yaml.MarkedYAMLError) or (exc.problem_mark or exc.context_mark) is None:
        return (0, 0), "this file cannot be read as YAML", DEBUG_HINT
    problem = exc.problem or ""
    context = exc.context or ""
    at = exc.problem_mark or exc.context_mark
    pos = (at.line, at.column)
    lines = text.splitlines() or [""]
    tokens = _tokens_before(text, at.index)

    if "expected a single document" in context:
        return pos, "only one YAML document is allowed per file", "remove the extra '---'"

    if context == "while scanning a quoted scalar" and problem == "found unexpected end of stream":
        start = exc.context_mark
        quote = text[start.index]
        return (start.line, start.column), f"this quote ({quote}) is never closed", \
            f"end the text with {quote}, or remove the opening {quote}"
    if context == "while scanning a double-quoted scalar" and "escape" in problem:
        slash = text.rfind("\\", 0, at.index + 1)
        line = text.count("\n", 0, slash)
        return (line, slash - (text.rfind("\n", 0, slash) + 1)), \
            "a '\\' inside double quotes starts an escape like \\n", \
            "use single quotes around this text, or write '\\\\' for a backslash"

    if context in ("while scanning an alias", "while scanning an anchor"):
        return _reserved_start(lines, exc.context_mark)

    if "cannot start any token" in problem:
        char = text[at.index] if at.index < len(text) else ""
        if char == "\t":
            before = lines[at.line][: at.column] if at.line < len(lines) else ""
            if before.strip():
                return pos, "a tab after the ':'", "YAML allows only spaces here: replace the tab with a space"
            return pos, "a tab in the indentation", "YAML indents with spaces only: replace the tab with spaces"
        return _reserved_start(lines, at)

    quoted = _runaway_quote(tokens, at)
    if quoted is not None:
        line, quote = quoted
        return (line.line, line.column), f"the quote ({quote}) opened here runs on to line {at.line + 1}", \
            f"a closing {quote} is probably missing at the end of this line"

    flows = _open_flows(tokens)
    if flows and (at.line > flows[-1].start_mark.line or problem.endswith("'<stream end>'")):
        opener = flows[-1]
        bracket, closer = ("[", "]") if isinstance(opener, yaml.FlowSequenceStartToken) else ("{", "}")
        return (opener.start_mark.line, opener.start_mark.column), f"this '{bracket}' is never closed", \
            f"close it with '{closer}', or put the whole value in quotes if the brackets are text"

    if problem == "mapping values are not allowed here":
        return _colon(lines, at)

    if problem == "could not find expected ':'" and exc.context_mark is not None:
        start = exc.context_mark
        words = lines[start.line].strip() if start.line < len(lines) else ""
        return (start.line, start.column), f"'{_short(words)}' has no ':' after it", \
            "write 'key: value', or indent the line further if it continues the text above"

    if problem.startswith("expected <block end>"):
        previous = tokens[-1] if tokens else None
        if isinstance(previous, yaml.ScalarToken) and previous.style in ("'", '"') \
                and previous.end_mark.line == at.line:
            return pos, "text after the closing quote", \
                "put the whole value inside the quotes, or leave the quotes out"
        return _indentation(lines, at, found_dash=problem.endswith("'-'"))

    return pos, "this line cannot be read as YAML", DEBUG_HINT


def _reserved_start(lines: list[str], at) -> tuple[tuple[int, int], str, str]:
    """A text starting with a character YAML keeps for itself: `*` (alias), `&` (anchor),
    `%`, `@` or a backquote. `- **Do not** lift` is text to the editor, not to YAML."""
    rest = lines[at.line][at.column:].strip() if at.line < len(lines) else ""
    char = rest[:1]
    meaning = {"*": " (YAML reads it as an alias)", "&": " (YAML reads it as an anchor)"}.get(char, "")
    return (at.line, at.column), f"a text cannot start with '{char}'{meaning}", \
        f"put the whole text in quotes: {_quoted(_short(rest))}"


def _tokens_before(text: str, index: int) -> list[yaml.Token]:
    """The tokens PyYAML read before `index` (scanning stops at a scanner error)."""
    found = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            found.append(token)
    except yaml.YAMLError:
        pass
    return found


def _open_flows(tokens) -> list[yaml.Token]:
    stack = []
    for token in tokens:
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            stack.append(token)
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and stack:
            stack.pop()
    return stack


def _runaway_quote(tokens, at):
    """A quoted value that spans lines and ends just before the error: its closing quote
    was missing, so it ran on and swallowed the next lines up to the next quote."""
    if not tokens or not isinstance(tokens[-1], yaml.ScalarToken):
        return None
    token = tokens[-1]
    if token.style in ("'", '"') and token.end_mark.line > token.start_mark.line and token.end_mark.line == at.line:
        return token.start_mark, token.style
    return None


def _colon(lines: list[str], at) -> tuple[tuple[int, int], str, str]:
    """': ' where YAML cannot start a new key: inside a value on the key's own line, or a
    line indented under a key with a plain value (read as the value's continuation)."""
    line = lines[at.line]
    before = line[: at.column]
    body = before.lstrip()
    if body.startswith("- "):
        body = body[2:].lstrip()
    if ": " in body or body.endswith(":"):
        key = body.split(":", 1)[0].strip()
        value = line[len(before) - len(body) + len(key) + 1:].strip()
        return (at.line, at.column), f"the value of '{key}' contains ': ', which YAML reads as another key", \
            f"put the whole value in quotes: {key}: {_quoted(_short(value))}"
    indent = len(line) - len(line.lstrip(" "))
    above = _line_above(lines, at.line, indent)
    if above is None:
        return (at.line, indent), "this line is indented further than the one above it", \
            "line it up with the line above"
    number, column, key = above
    return (at.line, indent), f"this line is indented further than '{key}' on line {number + 1}, " \
        "so YAML reads it as part of that value", \
        f"for a new key, indent it by {_spaces(column)} like '{key}'; if it continues the value, quote the value"


def _line_above(lines, line: int, indent: int):
    """The nearest content line above, less indented than `indent`: (line, key column, key)."""
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        column = len(text) - len(text.lstrip(" "))
        if column >= indent:
            continue
        body = text[column:]
        while body.startswith("- "):
            column += 2 + len(body[2:]) - len(body[2:].lstrip(" "))
            body = text[column:]
        return number, column, body.split(":", 1)[0].strip()
    return None


def _indentation(lines: list[str], at, found_dash: bool) -> tuple[tuple[int, int], str, str]:
    """A line that lines up with no list or mapping above it (a block ended too early)."""
    line = lines[at.line] if at.line < len(lines) else ""
    indent = len(line) - len(line.lstrip(" "))
    levels = _levels_above(lines, at.line)
    if found_dash and indent in levels:
        return (at.line, indent), "a list item where a 'key: value' line was expected", \
            "put the list under a key, indented, or remove the '- '"
    choices = sorted(levels, key=lambda item: (abs(item - indent), -item))
    if not choices:
        return (at.line, indent), "this line cannot be read as YAML", DEBUG_HINT
    best = choices[0]
    return (at.line, indent), f"this line is indented by {_spaces(indent)}, which lines up with nothing above it", \
        f"indent it by {_spaces(best)}, like line {levels[best] + 1}"


def _levels_above(lines, line: int) -> dict[int, int]:
    """Indentations a line may have after `line`-1: column → the line that sets it."""
    levels: dict[int, int] = {}
    limit = None
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        column = len(text) - len(text.lstrip(" "))
        if limit is not None and column >= limit:
            continue
        levels.setdefault(column, number)
        body, key_column = text[column:], column
        while body.startswith("- "):
            key_column += 2 + len(body[2:]) - len(body[2:].lstrip(" "))
            body = text[key_column:]
        if key_column != column and re.match(r"[^\s:#][^:#]*:(\s|$)", body):
            levels.setdefault(key_column, number)
        limit = column
        if column == 0:
            break
    return levels


def _quoted(text: str) -> str:
    return f'"{text}"' if '"' not in text else "'" + text.replace("'", "''") + "'"


def _spaces(n: int) -> str:
    return f"{n} space" + ("" if n == 1 else "s")


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
