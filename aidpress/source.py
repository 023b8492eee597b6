"""Stage 1, load: YAML text → a tree of YAML nodes that keep their line and column.

Only composition is done here, never construction: values stay the exact text the
editor typed, so YAML 1.1 guesses (`No` → False, `1.10` → 1.1, `12:30` → 750) never
happen. The validator decides what each value means from the model it fills.

A syntax error is explained in plain words at the place the editor has to fix (where an
unclosed quote or bracket opens, not where PyYAML noticed the file ended): see
aidpress/yamlerrors.py. PyYAML's own wording stays on the exception's `__cause__`, and is
added to the message when the environment sets AIDPRESS_DEBUG=1.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InvalidAid, Location, Problem

MAX_BYTES = 1_000_000  # a handout is a few kB; a cap keeps a stray file from stalling a build
# Lists and mappings nested deeper than this are refused before the composer (which
# recurses, two frames a level) can hit Python's recursion limit. Aids nest about 5 deep.
MAX_DEPTH = 64


def _printable(code: int) -> bool:
    """YAML's printable characters (PyYAML's yaml.reader.Reader.NON_PRINTABLE, negated)."""
    return (code in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)


def _check_printable(text: str, name: str) -> None:
    """Refuse a control character (often pasted in with text from another program) at its
    line and column. Tested per distinct character, so PyYAML's pattern is never compiled."""
    bad = [c for c in set(text) if not _printable(ord(c))]
    if not bad:
        return
    at = min(text.index(c) for c in bad)
    line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    raise InvalidAid([Problem(
        Location(name, line, column), (),
        f"character U+{ord(text[at]):04X} (an invisible control character) is not allowed in YAML",
        "delete it, or retype the text around it; it often comes with text pasted from elsewhere")])


def location(path: str, mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _fail(path: str, mark, message: str, hint: str = "") -> InvalidAid:
    return InvalidAid([Problem(location(path, mark), (), message, hint)])


class _StrictComposer(yaml.SafeLoader):
    """Composes nodes, refusing what would silently lose or multiply an editor's text."""

    depth = 0

    def check_printable(self, data):
        """Done by parse() before the reader exists, where the file's name is known."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and self.depth >= MAX_DEPTH:
            raise _fail(self.name, event.start_mark,
                        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
                        "an aid needs only a few levels; look for brackets or indentation that run away")
        if isinstance(event, yaml.AliasEvent):
            raise _fail(self.name, event.start_mark, f"alias '*{event.anchor}' is not allowed",
                        "write the text out again instead of referring to an anchor; "
                        "if it is text that starts with '*', put the whole text in quotes")
        if getattr(event, "anchor", None):
            raise _fail(self.name, event.start_mark, f"anchor '&{event.anchor}' is not allowed",
                        "remove it, as aids do not share text between places; "
                        "if it is text that starts with '&', put the whole text in quotes")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        first_seen: dict[str, yaml.Node] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise _fail(self.name, key.start_mark, "a key must be plain text")
            same = " ".join(key.value.split())  # keys are read with spaces folded, as all text is
            if same in first_seen:
                earlier = first_seen[same].start_mark.line + 1
                raise _fail(self.name, key.start_mark, f"duplicate key '{key.value}'",
                            f"first given on line {earlier}; YAML would silently keep only the last one")
            first_seen[same] = key
        return node


def load(path: str | Path) -> yaml.Node:
    """Read one YAML file into its node tree, or raise InvalidAid pointing at the fault."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidAid([Problem(Location(name, 1, 1), (), f"cannot read file: {exc.strerror}")])
    if len(data) > MAX_BYTES:
        raise InvalidAid([Problem(Location(name, 1, 1), (),
                                  f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # utf-8-sig counts from after the BOM
        line = data[: bom + exc.start].count(b"\n") + 1
        raise InvalidAid([Problem(Location(name, line, 1), (), "file is not UTF-8 text",
                                  "save it as UTF-8 in your editor")])
    return parse(text, name)


def parse(text: str, name: str) -> yaml.Node:
    """Compose YAML text (already decoded) into one node tree."""
    _check_printable(text, name)
    loader = _StrictComposer(text)
    loader.name = name
    try:
        node = loader.get_single_node()
    except InvalidAid:
        raise
    except yaml.YAMLError as exc:
        from .yamlerrors import explain  # only a broken file pays for the explaining

        raise InvalidAid([explain(exc, text, name)]) from exc
    finally:
        loader.dispose()
    if node is None:
        raise InvalidAid([Problem(Location(name, 1, 1), (), "file is empty")])
    return node
