"""Issue 19: every core by default, the same tables at any process count, and no fixed toll for a
run that finds nothing new."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

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
    """With two processes the run's parse pool reads each next load ahead: loads of 4 files put the
    examples' duplicate in a later load than its original, so a document parsed ahead is discarded."""
    from flows.nightly import nightly
    from tests.conftest import _STATE

    runs = {}
    for n in (1, 2):
        db = tmp_path / f"p{n}.duckdb"
        # batch 1: the 14 example articles are enough for two workers (processes_for)
        runs[n] = nightly([str(EXAMPLES)], db=str(db), batch_size=1, chunk_size=4, n_process=n, state=str(_STATE))
        assert runs[n].ok
        assert runs[n].timings["spacy_processes"] == n
        assert len(runs[n].loads) == 4
    assert "lookahead" in runs[2].timings and "lookahead" not in runs[1].timings
    assert sum(ld.counts["duplicates"] for ld in runs[2].loads) >= 1
    for table in TABLES:
        one, two = _table(tmp_path / "p1.duckdb", table), _table(tmp_path / "p2.duckdb", table)
        assert one, table
        assert one == two, table


def test_the_parse_pool_gives_the_documents_one_process_makes():
    from flows.parse_pool import ParsePool
    from transforms.nlp import load_model, parse_texts

    texts = ["Ana Costa met the Foreign Minister in Lisbon on Monday.", "THE PRIME MINISTER SAID NO.\nHe left.",
             "Costa said talks would resume."] * 3
    nlp = load_model()
    here = [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in d]
            for d in parse_texts(nlp, texts)]
    with ParsePool(nlp_model(), False, 2, 2) as pool:
        first, second = pool.submit(texts), pool.submit(texts[:2])
        pool.discard(second)  # let go before or after its batches are back: either way nothing is kept
        docs = list(pool.docs(first, texts, nlp.vocab))
        assert len({b for b, _ in first}) == 5  # batches of two texts, as one process would batch them
        time.sleep(0.5)
        assert not pool._done
    got = [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in d] for d in docs]
    assert got == here
    assert [d.user_data["newsetl_text"] for d in docs] == texts


def test_a_dead_parse_worker_is_an_error_not_a_hang():
    import os
    import signal

    from flows.parse_pool import ParsePool, ParseWorkerDied
    from transforms.nlp import load_model

    with ParsePool(nlp_model(), False, 2, 16) as pool:
        for w in pool._workers:
            os.kill(w.pid, signal.SIGKILL)
        ticket = pool.submit(["Ana Costa spoke."])
        with pytest.raises(ParseWorkerDied, match="exited with -9"):
            list(pool.docs(ticket, ["Ana Costa spoke."], load_model().vocab))


def test_a_load_whose_parse_worker_dies_is_retried_with_new_workers(prefect_harness, tmp_path, monkeypatch):
    """The first workers take a batch each and die with it: that load fails, the run stops them, and
    its halves are loaded by workers started again."""
    import os

    import flows.parse_pool as parse_pool
    from flows.nightly import nightly
    from tests.conftest import _STATE

    marker = tmp_path / "died"
    real = parse_pool._work

    def dies_once(model, selective, tasks, results, parent):
        if not marker.exists():
            tasks.get()
            marker.touch()
            os._exit(3)
        real(model, selective, tasks, results, parent)

    monkeypatch.setattr(parse_pool, "_work", dies_once)
    summary = nightly([str(EXAMPLES)], db=str(tmp_path / "w.duckdb"), batch_size=1, chunk_size=8, n_process=2,
                      state=str(_STATE))
    assert marker.exists()
    failed = [ld for ld in summary.loads if ld.status == "failed"]
    assert failed and "spaCy worker" in failed[0].message
    assert summary.files.not_committed == 0
    assert summary.files.loaded + summary.files.quarantined == summary.files.seen
    assert all(ld.status == "committed" for ld in summary.loads[summary.loads.index(failed[-1]) + 1:])


def nlp_model() -> str:
    from transforms.nlp import model_name

    return model_name()


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

