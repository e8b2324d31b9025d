"""`newsetl reprocess`: rerun the NLP on stored articles and replace their rows in validated loads."""

from __future__ import annotations

import shutil

import duckdb
import polars as pl
import pytest

pytestmark = pytest.mark.slow

NLP_TABLES = {
    "entity_mentions": ["article_id", "start_char", "end_char", "entity_id", "mention_text"],
    "quotes": ["quote_id", "article_id", "quote_text", "quote_kind", "speaker_entity_id", "start_char"],
    "events": ["event_id", "article_id", "event_type", "actor_entity_id", "recipient_entity_id", "event_date"],
}


def _rows(db, table: str) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = ", ".join(NLP_TABLES[table])
        return con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").pl()
    finally:
        con.close()


@pytest.fixture()
def warehouse_copy(examples_warehouse, tmp_path):
    db, _ = examples_warehouse
    copy = tmp_path / "w.duckdb"
    shutil.copy(db, copy)
    return copy


def test_every_row_carries_its_versions(examples_warehouse):
    db, _ = examples_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table in ("articles", "entities", "entity_mentions", "quotes", "events"):
            missing = con.execute(f"SELECT count(*) FROM {table} WHERE pipeline_version IS NULL OR "
                                  "rules_version IS NULL OR model_version IS NULL").fetchone()[0]
            assert missing == 0, table
        # a row's versions are its load's
        bad = con.execute("SELECT count(*) FROM events e JOIN loads l USING (load_id) "
                          "WHERE e.rules_version <> l.rules_version OR e.model_version <> l.model_version"
                          ).fetchone()[0]
        assert bad == 0
    finally:
        con.close()


def test_reprocess_with_same_rules_reproduces_rows_under_a_new_load(prefect_harness, warehouse_copy, tmp_path):
    from flows.reprocess import reprocess

    before = {t: _rows(warehouse_copy, t) for t in NLP_TABLES}
    nothing = reprocess(db=str(warehouse_copy), state=str(tmp_path / "state"))
    assert nothing.loads == [] and nothing.articles_skipped == nothing.articles_selected > 0

    summary = reprocess(db=str(warehouse_copy), force=True, chunk_size=5, state=str(tmp_path / "state"))
    assert summary.ok and len(summary.loads) >= 2, [ld.message for ld in summary.loads]
    for table in NLP_TABLES:
        assert _rows(warehouse_copy, table).equals(before[table]), table
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        kinds = dict(con.execute("SELECT kind, count(*) FROM loads WHERE status = 'committed' GROUP BY kind")
                     .fetchall())
        assert kinds.get("reprocess") == len(summary.loads)
        new_ids = [ld.load_id for ld in summary.loads]
        old = con.execute("SELECT count(*) FROM entity_mentions WHERE load_id NOT IN (SELECT unnest(?))",
                          [new_ids]).fetchone()[0]
        assert old == 0, "every mention now belongs to a reprocess load"
    finally:
        con.close()


def test_reprocess_picks_only_stale_articles_and_respects_since(prefect_harness, warehouse_copy, tmp_path):
    from flows.reprocess import reprocess

    con = duckdb.connect(str(warehouse_copy))
    dated = con.execute("SELECT article_id, published_at FROM articles WHERE duplicate_of IS NULL AND language = 'en' "
                        "AND published_at IS NOT NULL ORDER BY published_at").fetchall()
    assert len(dated) >= 3
    old_rules = [aid for aid, _ in dated]
    con.execute("UPDATE articles SET rules_version = 'old' WHERE article_id IN (SELECT unnest(?))", [old_rules])
    con.execute("UPDATE events SET rules_version = 'old' WHERE article_id IN (SELECT unnest(?))", [old_rules])
    con.close()
    cut = dated[-1][1].date()
    summary = reprocess(db=str(warehouse_copy), since=cut, stages=["events"], state=str(tmp_path / "state"))
    assert summary.ok
    expected = [aid for aid, pub in dated if pub.date() >= cut]
    assert summary.articles_selected - summary.articles_skipped == len(expected)
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        still_old = {r[0] for r in con.execute("SELECT DISTINCT article_id FROM events WHERE rules_version = 'old'")
                     .fetchall()}
        assert still_old.isdisjoint(expected)
        assert still_old, "articles before --since keep their old rows"
        # an events-only reprocess does not claim the article's other rows are current
        assert con.execute("SELECT count(*) FROM articles WHERE rules_version = 'old'").fetchone()[0] == len(old_rules)
    finally:
        con.close()


def test_a_bad_reprocess_is_rolled_back(prefect_harness, warehouse_copy, tmp_path, monkeypatch):
    import flows.nightly as nightly_mod
    from flows.reprocess import reprocess

    real = nightly_mod.pipeline.annotate

    def planted(*args, **kwargs):
        frames = real(*args, **kwargs)
        frames["events"] = frames["events"].with_columns(pl.lit("NOT_PLOVER").alias("event_type"))
        return frames

    monkeypatch.setattr(nightly_mod.pipeline, "annotate", planted)
    before = {t: _rows(warehouse_copy, t) for t in NLP_TABLES}
    summary = reprocess(db=str(warehouse_copy), force=True, state=str(tmp_path / "state"))
    assert not summary.ok and {ld.status for ld in summary.loads} == {"rejected"}
    for table in NLP_TABLES:
        assert _rows(warehouse_copy, table).equals(before[table]), table
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM loads WHERE kind = 'reprocess' AND status = 'rejected'"
                           ).fetchone()[0] == len(summary.loads)
    finally:
        con.close()


def test_cli_refuses_a_bad_date(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    result = CliRunner().invoke(app, ["reprocess", "--db", str(db), "--since", "last tuesday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
