"""Test hooks for crash safety and failing disks, armed only from the environment by the tests.

`NEWSETL_CRASH_AT=<point>` makes the run write the point's name to `NEWSETL_CRASH_MARKER` (a file
path) and then sleep, so the test knows exactly where the process is when it kills it;
`NEWSETL_CRASH_SKIP=n` lets the first n passes through the point go on (so earlier loads commit).

`NEWSETL_FAIL_AT=commit` makes a load's COMMIT fail the way it fails on a full disk: DuckDB ends the
transaction and raises "Failed to commit: Could not write file ...: No space left on device" (as
measured on a full tmpfs), so a test can check what follows without filling a disk;
`NEWSETL_FAIL_SKIP=n` lets the first n commits through. Unset (every real run), a hook costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

POINTS = ("nlp", "nlp_batch", "insert", "validate", "committed", "search_index")
FAIL_POINTS = ("commit",)
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


def fail_point(name: str, con) -> None:
    """At `name` (a COMMIT), fail as a full disk does: the transaction ends and DuckDB's error is raised."""
    if os.environ.get("NEWSETL_FAIL_AT") != name:
        return
    key = f"fail:{name}"
    _passes[key] = _passes.get(key, 0) + 1
    if _passes[key] <= int(os.environ.get("NEWSETL_FAIL_SKIP", "0")):
        return
    import duckdb

    con.execute("ROLLBACK")
    raise duckdb.TransactionException(
        'TransactionContext Error: Failed to commit: Could not write file "warehouse.duckdb.wal": '
        "No space left on device")
