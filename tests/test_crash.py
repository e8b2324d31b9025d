"""Crash safety: `kill -9` a real `newsetl run` at several points of a load.

Each test starts the command line in a child process with a crash point armed (flows/faults.py):
the first load commits, the second stops at the point and is killed with SIGKILL there. The
warehouse must hold the first load whole and nothing of the second, and the next plain run must
finish the work.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

FILES = [
    "2025-03-14_brazil_argentina_customs_agreement.txt",
    "2025-04-10_eu_sanctions_belarus_journalist_arrests.txt",
    "2025-04-22_egypt_ethiopia_nile_dam_dispute.txt",
    "2025-05-20_philippines_china_scarborough_protest.txt",
    "2025-06-10_france_summons_iran_envoy_over_detained_teacher.txt",
    "rwanda_troops_withdraw_cabo_delgado.txt",
]
TABLES = ("articles", "entities", "entity_mentions", "quotes", "events", "sources", "article_fingerprints")


@pytest.fixture()
def landing(tmp_path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    for name in FILES:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


@pytest.fixture()
def child_env(prefect_harness, tmp_path) -> dict[str, str]:
    """The child uses the session's Prefect API (no temporary server of its own to start)."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    env["NEWSETL_HOME"] = str(tmp_path / "state")
    return env


def _newsetl(args: list[str], env: dict[str, str], **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=Path(__file__).resolve().parent.parent, **kw)


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


@pytest.mark.parametrize("point", ["nlp", "insert", "validate"])
def test_kill_9_mid_load_keeps_committed_loads_and_nothing_else(point, landing, child_env, tmp_path):
    db = tmp_path / "w.duckdb"
    marker = tmp_path / "crashed-at"
    env = {**child_env, "NEWSETL_CRASH_AT": point, "NEWSETL_CRASH_SKIP": "1", "NEWSETL_CRASH_MARKER": str(marker)}
    proc = _newsetl(["run", str(landing), "--db", str(db), "--chunk-size", "2"], env)
    deadline = time.monotonic() + 240
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before reaching {point}: {proc.stdout.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the run never reached the crash point {point}")
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    con = duckdb.connect(str(db), read_only=True)
    try:
        loads = con.execute("SELECT load_id, status, articles_new FROM loads").fetchall()
        assert [(s, n) for _, s, n in loads] == [("committed", 2)], loads
        committed = loads[0][0]
        for table in TABLES:
            stray = con.execute(f"SELECT count(*) FROM {table} WHERE load_id <> ?", [committed]).fetchone()[0]
            assert stray == 0, f"{table} holds rows of the killed load"
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 2
    finally:
        con.close()
    first = _counts(db)

    # the lock the killed run left behind is stale (its process is gone): the next run clears it
    rerun = _newsetl(["run", str(landing), "--db", str(db), "--chunk-size", "2"], child_env)
    out, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out
    after = _counts(db)
    assert after["articles"] == len(FILES) and after["sources"] == len(FILES)
    assert all(after[t] >= first[t] for t in TABLES)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) - count(DISTINCT article_id) FROM articles").fetchone()[0] == 0
        statuses = [r[0] for r in con.execute("SELECT status FROM loads ORDER BY started_at").fetchall()]
        assert statuses == ["committed"] * 3
    finally:
        con.close()


def test_kill_9_leaves_no_process_of_the_run_behind(landing, tmp_path):
    """No PREFECT_API_URL: the run starts its own temporary Prefect API (Prefect's own stayed up after
    11 of 13 kills, 235 MB each); --processes 2 --batch-size 1: spaCy forks two workers. A kill -9 during the NLP,
    while all of them run: none outlives the run."""
    from tests.conftest import alive, descendants

    marker = tmp_path / "crashed-at"
    env = {**os.environ, "NEWSETL_HOME": str(tmp_path / "state"), "NEWSETL_CRASH_AT": "nlp_batch",
           "NEWSETL_CRASH_MARKER": str(marker)}
    env.pop("PREFECT_API_URL", None)
    # --batch-size 1: six articles are enough for two workers (a smaller load would run in one process)
    proc = _newsetl(["run", str(landing), "--db", str(tmp_path / "w.duckdb"), "--processes", "2", "--batch-size",
                     "1"], env)
    deadline = time.monotonic() + 300
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before the NLP: {proc.stdout.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run never reached the NLP")
        time.sleep(0.1)
    started = descendants(proc.pid)
    commands = [Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode() for p in started]
    assert any("uvicorn" in c and "prefect.server" in c for c in commands), commands
    assert len(started) >= 3, commands  # the API server and spaCy's two workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [c for p, c in zip(started, commands, strict=True) if alive(p)]
    assert not left, f"outlived the run: {left}"
