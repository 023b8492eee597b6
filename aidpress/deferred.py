"""Start-up work a dependency does at import for something aidpress rarely or never uses.

A cold `aidpress build` of one handout is mostly imports (docs/performance.md). Modules
ReportLab imports at start for features a handout rarely uses are put off until first
use, with the standard library's own tool for it (importlib.util.LazyLoader): Pillow's
`PIL.Image` (about 10 ms; raster images, which handouts have none of) and pyphen (3 ms;
hyphenation, which only comparison tables ask for). They load when something first reads
an attribute of them. Nothing changes in what Pillow or pyphen do; only when they load.

Nothing of another library is replaced: its functions and module attributes are its own
(docs/performance.md, "Start-up without patching", records what that costs).

The garbage collector, too, waits for start-up to end: the console script (cli.run) turns it
off, because import after import it would walk the same long-lived modules and tables
(about 10% of a cold build); `start_up_done` freezes what exists and turns it back on
before any real work (layouts.register_fonts, the watch loop).
"""

from __future__ import annotations

import gc
import importlib.util
import sys


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
