"""Scale-out: the flow on a local Dask cluster of 2 workers writes the same tables as the default runner."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

COMPARED = {
    "articles": "article_id, content_hash, title, published_at, story_id, duplicate_of, language",
    "entities": "entity_id, canonical_name, entity_type, redirect_to",
    "entity_mentions": "article_id, start_char, end_char, entity_id, mention_text",
    "quotes": "quote_id, article_id, quote_text, quote_kind, speaker_entity_id, speaker_text, cue, start_char",
    "events": "event_id, article_id, event_type, actor_entity_id, recipient_entity_id, event_date, event_cluster_id",
}


def _tables(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in COMPARED.items()}
    finally:
        con.close()


def test_dask_runner_makes_the_same_tables(prefect_harness, examples_warehouse, tmp_path, monkeypatch):
    from distributed import LocalCluster

    import flows.nightly as nightly_mod

    monkeypatch.setenv("DASK_TEMPORARY_DIRECTORY", str(tmp_path / "dask"))
    monkeypatch.setenv("NEWSETL_DASK_SLICE", "3")  # several tasks, so both workers get some
    calls = []
    real = nightly_mod.annotate_distributed

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(nightly_mod, "annotate_distributed", counted)
    db = tmp_path / "dask.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        flow = nightly_mod.with_dask(nightly_mod.nightly, cluster.scheduler_address)
        summary = flow([str(EXAMPLES)], db=str(db), state=str(tmp_path / "state"),
                       dask_address=cluster.scheduler_address)
    assert summary.ok, [ld.message for ld in summary.loads]
    assert calls, "the NLP went through the Dask path"
    assert summary.timings["dask_workers_seen"] == 2, "both workers parsed documents"
    default_db, _ = examples_warehouse
    ours, reference = _tables(db), _tables(default_db)
    for table in COMPARED:
        assert ours[table], table
        assert ours[table] == reference[table], table
