"""A test hook for crash safety: stop the process at a named point so a test can `kill -9` it there.

`NEWSETL_CRASH_AT=<point>` makes the run write the point's name to `NEWSETL_CRASH_MARKER` (a file
path) and then sleep, so the test knows exactly where the process is when it kills it;
`NEWSETL_CRASH_SKIP=n` lets the first n passes through the point go on (so earlier loads commit).
Unset (every real run), a crash point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

POINTS = ("nlp", "insert", "validate", "committed")
_passes: dict[str, int] = {}


def crash_point(name: str) -> None:
    if os.environ.get("NEWSETL_CRASH_AT") != name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] <= int(os.environ.get("NEWSETL_CRASH_SKIP", "0")):
        return
    marker = os.environ.get("NEWSETL_CRASH_MARKER")
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    time.sleep(float(os.environ.get("NEWSETL_CRASH_SLEEP", "600")))
