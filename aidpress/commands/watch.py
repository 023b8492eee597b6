"""`aidpress watch`: rebuild what changed, as soon as it changes.

Polls modification times (no extra dependency, works on every file system, including
network shares where change notifications are unreliable). Each change runs an
incremental build, so only aids whose inputs changed are rebuilt; a broken YAML is
reported and its last good PDF stays in place.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable

from ..errors import AidpressError
from .build import BuildOptions, Result, build, find_aids


def snapshot(paths: Iterable[Path], clinic_path: Path | None) -> dict[Path, tuple[int, int]]:
    files = find_aids(paths) + ([clinic_path] if clinic_path else [])
    state = {}
    for file in files:
        try:
            st = file.stat()
            state[file] = (st.st_mtime_ns, st.st_size)
        except OSError:
            pass  # removed between listing and looking: the next round sees it gone
    return state


def watch(paths: list[Path], clinic_path: Path | None, options: BuildOptions, *,
          report: Callable[[Result], None], failed: Callable[[AidpressError], None],
          interval: float = 0.5, keep_going: Callable[[], bool] = lambda: True) -> None:
    seen: dict | None = None
    while keep_going():
        now = snapshot(paths, clinic_path)
        if now != seen:
            seen = now
            try:
                build(paths, clinic_path, options, report=report)
            except AidpressError as exc:  # the clinic profile is broken: wait for a fix
                failed(exc)
        time.sleep(interval)
