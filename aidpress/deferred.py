"""Start-up work a dependency does at import for something aidpress rarely or never uses.

A cold `aidpress build` of one handout is mostly imports (docs/performance.md). Two kinds
of that work are put off until first use, with the standard library's own tools:

- module-level regular expressions that take long to compile: ReportLab's paragraph
  module compiles a case-insensitive URL pattern over nearly all of Unicode (about 20 ms)
  that it uses only to break long URLs, and its text splitter a CJK pattern (2 ms);
- modules ReportLab imports at start for features a handout rarely uses: Pillow's
  `PIL.Image` (about 10 ms; raster images, which handouts have none of) and pyphen (3 ms;
  hyphenation, which only comparison tables ask for). They load when something first reads
  an attribute of them (importlib's LazyLoader).

Nothing changes in what the patterns match or what Pillow does; only when the work is
done.

The garbage collector, too, waits for start-up to end: the console script (cli.run) turns it
off, because import after import it would walk the same long-lived modules and tables
(about 10% of a cold build); `start_up_done` freezes what exists and turns it back on
before any real work (layouts.register_fonts, the watch loop).

tests/test_startup.py checks each put-off pattern matches as the compiled one would.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import re
import sys

_compile = re.compile


class DeferredPattern:
    """A regular expression compiled on its first use, then used directly."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern, flags=0):
        self._args = (pattern, flags)
        self._compiled = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = _compile(*self._args)
        return self._compiled

    def __getattr__(self, name):  # match, search, sub, split, pattern, flags, …
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"DeferredPattern({self._args[0]!r}, {self._args[1]!r})"


@contextlib.contextmanager
def patterns_compiled_on_use(*modules: str):
    """While the block imports `modules`, the `re.compile` calls made at their top level
    return DeferredPattern; every other caller compiles as usual."""
    wanted = set(modules) - set(sys.modules)  # already imported: nothing to put off

    def compile_later(pattern, flags=0):
        if sys._getframe(1).f_globals.get("__name__") in wanted:
            return DeferredPattern(pattern, flags)
        return _compile(pattern, flags)

    if not wanted:
        yield
        return
    re.compile = compile_later
    try:
        yield
    finally:
        re.compile = _compile


def load_on_use(name: str) -> None:
    """Import module `name` now in name only; it runs when an attribute is first read."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def start_up_done() -> None:
    """What exists now (modules, ReportLab's tables, the fonts) lives until exit: move it out
    of the collector's sight for good, and collect as usual from here on."""
    gc.freeze()
    gc.enable()
