"""YAML slips: valid YAML that prints something other than what the editor meant.

Each is a located warning showing the text as it will print, so `check` and `build`
(and `--strict`) catch it before a patient reads it:

- a comment that cut a text short: `- See leaflet #2 for more` prints "See leaflet";
- a `[…]` list whose items read as one sentence split at its commas:
  `details: [Make a fist, then open it, 10 times]` prints three points;
- an item folded into the one above: a `- ` line indented one space too far is read
  as the end of the text above it ("… gently - No hard exercise …");
- a text starting with `!`, which YAML reads as a tag and leaves out.

Read from the composed nodes (their marks keep the file's text), while the file is validated (validate.load_from_file):
nothing here changes what is printed, it only says what will be.
"""

from __future__ import annotations

from typing import Iterator

from .errors import Location, Problem
from .schema import tidy
from .source import location
from .source import yaml  # PyYAML as source.py imports it (see there)


def find(root: yaml.Node, file: str) -> list[Problem]:
    """Every slip in one composed file, in line order."""
    lines = root.start_mark.buffer.rstrip("\0").split("\n") if root.start_mark.buffer else []
    out: list[Problem] = []
    for node, path in _walk(root, ()):
        if isinstance(node, yaml.SequenceNode):
            out += _split_sentence(node, path, file)
        elif isinstance(node, yaml.ScalarNode):
            out += _scalar(node, path, file, lines)
    return sorted(out, key=lambda p: p.where)


def _walk(root: yaml.Node, path: tuple) -> Iterator[tuple[yaml.Node, tuple]]:
    """Every value node with its key path (keys themselves are not texts that print)."""
    stack = [(root, path)]
    while stack:
        node, path = stack.pop()
        yield node, path
        if isinstance(node, yaml.MappingNode):
            stack += [(value, path + (key.value,)) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, path + (i,)) for i, item in enumerate(node.value)]


def _warning(file: str, mark, path: tuple, message: str, hint: str) -> Problem:
    return Problem(location(file, mark), path, message, hint, severity="warning")


def _at(file: str, line: int, column: int) -> Location:
    return Location(file, line + 1, column + 1)


def _scalar(node: yaml.ScalarNode, path: tuple, file: str, lines: list[str]) -> list[Problem]:
    out = []
    if node.tag.startswith("!") and not node.tag.startswith("!!"):
        out.append(_warning(file, node.start_mark, path,
                            f"'{node.tag}' is read as a YAML tag and left out: this prints “{tidy(node.value)}”",
                            f"if '{node.tag}' is part of the text, put the whole text in quotes"))
    end = node.end_mark
    if node.style is not None or not node.value or end.line >= len(lines):
        return out
    rest = lines[end.line][end.column:]
    comment = rest.lstrip(" \t")
    if end.line == node.start_mark.line and not comment.startswith("#"):
        return out  # the common case: one line, nothing after it
    printed = tidy(node.value)
    if comment.startswith("#") and rest != comment and (" " in printed or comment[1:2] not in ("", " ", "\t")):
        column = end.column + len(rest) - len(comment)
        out.append(Problem(_at(file, end.line, column), path,
                           f"' #' starts a YAML comment, so this text stops before it and prints “{printed}”",
                           "if the '#' is part of the text, put the whole text in quotes; "
                           "a comment goes on a line of its own", severity="warning"))
    for number in range(node.start_mark.line + 1, end.line + 1):
        line = lines[number] if number < len(lines) else ""
        if line.lstrip(" ").startswith("- "):
            column = len(line) - len(line.lstrip(" "))
            out.append(Problem(_at(file, number, column), path,
                               "this '- ' line is indented further than the line above, so YAML reads it as "
                               f"the end of that text, not as an item: it prints “{printed}”",
                               "to make it an item of its own, line its '- ' up with the item above; "
                               "if it belongs to the text, put the whole text in quotes",
                               severity="warning"))
            break
    return out


def _split_sentence(node: yaml.SequenceNode, path: tuple, file: str) -> list[Problem]:
    """A `[…]` list of plain texts that reads as one sentence: a later item goes on in lower
    case or with a digit after the first began with a capital (a list of ids is all lower case)."""
    items = node.value
    if not node.flow_style or len(items) < 2:
        return []
    if not all(isinstance(i, yaml.ScalarNode) and i.style is None and i.value for i in items):
        return []
    texts = [tidy(i.value) for i in items]
    if not all(texts) or not texts[0][0].isupper() or not any(t[0].islower() or t[0].isdigit() for t in texts[1:]):
        return []
    shown = " · ".join(f"“{t}”" for t in texts)
    return [_warning(file, node.start_mark, path,
                     f"YAML splits a […] list at every comma: this prints {len(texts)} separate points: {shown}",
                     "for one sentence, put it in quotes or write it as one '- ' item; for separate points, "
                     "write a block list, one '- ' line each")]
