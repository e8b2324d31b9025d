"""Issue 19: every core by default, the same tables at any process count, and no fixed toll for a
run that finds nothing new."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from flows import settings as settings_mod
from flows.settings import processes_for
from tests.conftest import EXAMPLES, ROOT, child_env

TABLES = ("articles", "entities", "entity_mentions", "quotes", "events")


def test_the_default_model_is_spelt_as_transforms_nlp_spells_it():
    from transforms import nlp

    assert settings_mod.DEFAULT_MODEL == nlp.DEFAULT_MODEL


@pytest.mark.parametrize(("cores", "available_mb", "expected"), [
    (2, 20_000, 2),  # this machine: both cores
    (8, 20_000, 3),  # the memory guard: (3000 - 1000) // 600 workers
    (1, 20_000, 1),
    (8, 2_300, 2),  # MemAvailable leaves room for two workers
    (8, 1_500, 1),  # room for no second worker: spaCy in the run's own process
    (3, None, 3),  # no /proc/meminfo: the 3 GB guard alone
])
def test_default_processes_are_the_usable_cores_within_the_memory_guard(monkeypatch, cores, available_mb,
                                                                          expected):
    monkeypatch.setattr(settings_mod, "usable_cores", lambda: cores)
    monkeypatch.setattr(settings_mod, "mem_available_mb", lambda: available_mb)
    assert settings_mod.default_processes() == expected
    assert settings_mod.RunSettings().n_process == expected


def test_a_small_load_runs_in_one_process():
    assert processes_for(200, 2, 16) == 2
    assert processes_for(64, 2, 16) == 2  # two batches for each worker
    assert processes_for(63, 2, 16) == 1
    assert processes_for(16, 4, 16) == 1
    assert processes_for(100, 4, 16) == 3  # as many workers as get two batches each
    assert processes_for(10_000, 1, 16) == 1
    assert processes_for(8, 2, 1) == 2


def _table(db, table: str) -> list[tuple]:
    """A table's rows, sorted, without what differs between two runs (load ids, load timestamps)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [name for name, kind in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall()
            if name != "load_id" and not (kind.startswith("TIMESTAMP") and name != "published_at")]
        return con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_one_and_two_processes_make_the_same_tables(prefect_harness, tmp_path):
    from flows.nightly import nightly
    from tests.conftest import _STATE

    runs = {}
    for n in (1, 2):
        db = tmp_path / f"p{n}.duckdb"
        # batch 1: the 14 example articles are enough loads for two workers (processes_for)
        runs[n] = nightly([str(EXAMPLES)], db=str(db), batch_size=1, n_process=n, state=str(_STATE))
        assert runs[n].ok
        assert runs[n].timings["spacy_processes"] == n
    for table in TABLES:
        one, two = _table(tmp_path / "p1.duckdb", table), _table(tmp_path / "p2.duckdb", table)
        assert one, table
        assert one == two, table


_PROBE = """
import sys
sys.argv = ["newsetl", *sys.argv[1:]]
from flows.cli import app
try:
    app()
finally:
    heavy = ("prefect", "spacy", "great_expectations", "pandas", "datasketch")
    print("IMPORTED", [m for m in heavy if m in sys.modules], file=sys.stderr)
"""


def test_a_run_with_nothing_new_records_its_empty_load_without_prefect_spacy_or_gx(prefect_harness, tmp_path):
    from flows.nightly import nightly

    land = tmp_path / "land"
    land.mkdir()
    for p in sorted(EXAMPLES.glob("2025-0[34]*.txt")):
        shutil.copy(p, land / p.name)
    db = tmp_path / "w.duckdb"
    assert nightly([str(land)], db=str(db)).ok
    # a Prefect API that is not there: the rerun must not need one
    env = child_env(tmp_path, PREFECT_API_URL="http://127.0.0.1:9/api")
    proc = subprocess.run([sys.executable, "-c", _PROBE, "run", str(land), "--db", str(db)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "IMPORTED []" in proc.stderr, proc.stderr
    assert "0 new articles: the warehouse already holds everything" in proc.stdout
    assert "0 loaded + 5 unchanged + 0 quarantined" in proc.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        last = con.execute("SELECT status, articles_new, message, sources, model_name, pipeline_version "
                           "FROM loads ORDER BY started_at DESC LIMIT 1").fetchone()
    finally:
        con.close()
    assert last[:4] == ("committed", 0, "0 new articles", [])
    assert last[4] and last[5]
    report = json.loads(sorted((tmp_path / "w.duckdb.newsetl" / "runs").glob("run-*.json"))[-1].read_text())
    assert report["files"] == {"seen": 5, "loaded": 0, "unchanged": 5, "quarantined": 0, "not_committed": 0}
    assert report["loads"][0]["message"] == "0 new articles" and report["db"] == str(db.resolve())

