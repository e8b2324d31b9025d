"""Exports (partitioned Parquet/CSV) and full-text search on a warehouse of the bundled examples."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.export import EXPORT_TABLES, MARKER, ExportError, export_tables, exported_files
from flows.search import RESULT_SCHEMA, index_status, refresh_index, search, search_with_status
from flows.warehouse import connect

pytestmark = pytest.mark.slow
runner = CliRunner()


def copy_warehouse(db: Path, to: Path) -> Path:
    """A private copy: the session's examples warehouse is shared read-only by other tests."""
    to.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, to / db.name)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        shutil.copy(wal, to / wal.name)
    return to / db.name


def drop_index(db: Path) -> None:
    con = connect(db)
    try:
        con.execute("DROP SCHEMA IF EXISTS fts_main_search_docs CASCADE")
        con.execute("DROP TABLE IF EXISTS search_docs")
        con.execute("DROP TABLE IF EXISTS search_index_state")
    finally:
        con.close()


def article_id(con: duckdb.DuckDBPyConnection, uri_part: str) -> str:
    rows = con.execute("SELECT article_id FROM articles WHERE source_uri LIKE ? AND duplicate_of IS NULL",
                       [f"%{uri_part}%"]).fetchall()
    assert len(rows) == 1, (uri_part, rows)
    return rows[0][0]


@pytest.fixture(scope="module")
def indexed_db(examples_warehouse, tmp_path_factory) -> Path:
    db = copy_warehouse(examples_warehouse[0], tmp_path_factory.mktemp("indexed"))
    con = connect(db)
    try:
        refresh_index(con)
    finally:
        con.close()
    return db


@pytest.fixture()
def ro(indexed_db):
    con = connect(indexed_db, read_only=True)
    yield con
    con.close()


# --- exports ----------------------------------------------------------------------------------------------------


def read_back(con: duckdb.DuckDBPyConnection, out: Path, table: str, fmt: str) -> int:
    pattern = str(out / table / f"**/*.{fmt}")
    if fmt == "parquet":
        sql = "SELECT count(*) FROM read_parquet(?, hive_partitioning = true)"
    else:  # quotes inside quoted fields are doubled (RFC 4180): say so, the sniffer may not guess it
        sql = ("SELECT count(*) FROM read_csv(?, hive_partitioning = true, all_varchar = true, "
               "quote = '\"', escape = '\"')")
    return con.execute(sql, [pattern]).fetchone()[0]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_table_and_row(examples_warehouse, tmp_path, fmt):
    con = connect(examples_warehouse[0], read_only=True)
    try:
        rows = export_tables(con, tmp_path / "out", fmt)
        assert list(rows) == EXPORT_TABLES
        for table in EXPORT_TABLES:
            expected = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert rows[table] == expected, table
            assert read_back(con, tmp_path / "out", table, fmt) == expected, table
            assert exported_files(tmp_path / "out", table), table
        assert rows["articles"] > 0 and rows["quotes"] > 0
    finally:
        con.close()


def test_export_partitions_by_publication_month(examples_warehouse, tmp_path):
    con = connect(examples_warehouse[0], read_only=True)
    try:
        export_tables(con, tmp_path, "parquet")
        months = {r[0] for r in con.execute(
            "SELECT DISTINCT coalesce(strftime(published_at, '%Y-%m'), 'unknown') FROM articles").fetchall()}
        per_month = dict(con.execute(
            "SELECT coalesce(strftime(a.published_at, '%Y-%m'), 'unknown'), count(*) FROM quotes q "
            "JOIN articles a USING (article_id) GROUP BY 1").fetchall())
        exported = dict(con.execute(
            "SELECT month, count(*) FROM read_parquet(?, hive_partitioning = true) GROUP BY 1",
            [str(tmp_path / "quotes" / "**" / "*.parquet")]).fetchall())
    finally:
        con.close()
    folders = {p.name.removeprefix("month=") for p in (tmp_path / "articles").iterdir() if p.name != MARKER}
    assert folders == months
    assert any(re.fullmatch(r"\d{4}-\d{2}", m) for m in folders), folders  # real months, not only 'unknown'
    assert {str(k): v for k, v in exported.items()} == per_month  # quotes sit in their article's month
    # entities: not partitioned; every table folder carries the marker that makes it the export's own
    assert sorted(p.name for p in (tmp_path / "entities").iterdir()) == [MARKER, "data_0.parquet"]
    assert all(p.name.startswith("month=") for p in (tmp_path / "loads").iterdir() if p.name != MARKER)


def test_export_rerun_replaces_instead_of_duplicating(examples_warehouse, tmp_path):
    con = connect(examples_warehouse[0], read_only=True)
    try:
        first = export_tables(con, tmp_path, "parquet")
        files = {p.relative_to(tmp_path) for t in EXPORT_TABLES for p in exported_files(tmp_path, t)}
        # a leftover from an older export (a month that no longer has rows, listed in that export's
        # marker) must not survive either
        stale = tmp_path / "articles" / "month=1999-01"
        stale.mkdir()
        shutil.copy(exported_files(tmp_path, "articles")[0], stale / "data_0.parquet")
        marker = json.loads((tmp_path / "articles" / MARKER).read_text())
        marker["files"].append("month=1999-01/data_0.parquet")
        (tmp_path / "articles" / MARKER).write_text(json.dumps(marker))
        second = export_tables(con, tmp_path, "parquet")
        assert second == first
        assert {p.relative_to(tmp_path) for t in EXPORT_TABLES for p in exported_files(tmp_path, t)} == files
        for table in EXPORT_TABLES:
            assert read_back(con, tmp_path, table, "parquet") == first[table], table
        assert not list(tmp_path.glob(".*.partial"))
    finally:
        con.close()


def test_export_of_empty_tables_leaves_readable_files(tmp_path):
    from flows.warehouse import migrate

    con = connect(tmp_path / "empty.duckdb")
    try:
        migrate(con)
        rows = export_tables(con, tmp_path / "out", "parquet")
        assert rows == dict.fromkeys(EXPORT_TABLES, 0)
        for table in EXPORT_TABLES:
            assert [p.name for p in exported_files(tmp_path / "out", table)] == ["data_0.parquet"]
            assert read_back(con, tmp_path / "out", table, "parquet") == 0
    finally:
        con.close()


def test_export_refuses_a_folder_it_did_not_write(examples_warehouse, tmp_path):
    notes = tmp_path / "articles" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text("mine")
    con = connect(examples_warehouse[0], read_only=True)
    try:
        with pytest.raises(ExportError, match="not written by"):
            export_tables(con, tmp_path, "csv")
    finally:
        con.close()
    assert notes.read_text() == "mine"


def test_export_cli(examples_warehouse, tmp_path):
    out = runner.invoke(app, ["export", "--format", "csv", "--db", str(examples_warehouse[0]), str(tmp_path / "x")])
    assert out.exit_code == 0, out.output
    assert "articles" in out.output and "files" in out.output
    assert exported_files(tmp_path / "x", "events")
    missing = runner.invoke(app, ["export", "--db", str(tmp_path / "nope.duckdb"), str(tmp_path / "y")])
    assert missing.exit_code == 2
    assert "no warehouse" in missing.output
    assert not (tmp_path / "y").exists()


# --- search -----------------------------------------------------------------------------------------------------


def test_search_ranks_the_articles_that_hold_the_word_first(ro):
    assert index_status(ro).state == "fresh"
    hits = search(ro, "Essequibo")
    assert hits.columns == list(RESULT_SCHEMA)
    assert hits["score"].is_sorted(descending=True)
    articles = hits.filter(pl.col("kind") == "article")  # a short quote holding the word may rank above it
    assert articles["id"][0] == article_id(ro, "oas_venezuela_troops_guyana_border")
    assert "Essequibo" in articles["snippet"][0]

    expected = {article_id(ro, "argentina_protests_brazil_iguazu"), article_id(ro, "mw-2025-0704-mercosur")}
    for query in ("Iguazú", "iguazu"):  # accents folded like the index does
        top = search(ro, query, kind="article")
        assert set(top["id"][:2]) == expected, query


def test_search_leaves_duplicates_out(ro):
    hits = search(ro, "Cabo Delgado", kind="article")
    assert hits.height == 1
    original = ro.execute("SELECT duplicate_of FROM articles WHERE article_id = ?", [hits["id"][0]]).fetchone()[0]
    assert original is None


def test_search_finds_a_quote(ro):
    quote_id, text = ro.execute("SELECT quote_id, quote_text FROM quotes ORDER BY length(quote_text) DESC, quote_id "
                                "LIMIT 1").fetchone()
    hits = search(ro, text, kind="quote", limit=3)
    assert set(hits["kind"]) == {"quote"}
    assert quote_id in hits["id"].to_list()
    assert hits.filter(pl.col("id") == quote_id)["article_id"][0] is not None


@pytest.mark.parametrize("query", [
    "'; DROP TABLE articles; --",
    "\" OR 1=1 --",
    "Essequibo'); DELETE FROM quotes; SELECT ('",
    "$1 ? %s {query} \\ ;;",
    "",
    "   ",
])
def test_hostile_queries_are_harmless(ro, query):
    before = ro.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes)").fetchone()
    hits = search(ro, query)
    assert dict(hits.schema) == RESULT_SCHEMA
    assert ro.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes)").fetchone() == before
    if "Essequibo" in query:
        assert hits.filter(pl.col("kind") == "article")["id"][0] == article_id(ro, "oas_venezuela_troops_guyana_border")


def test_search_rejects_unknown_kind(ro):
    with pytest.raises(ValueError, match="kind"):
        search(ro, "border", kind="events")


def test_missing_index_falls_back_and_says_so(examples_warehouse, tmp_path):
    db = copy_warehouse(examples_warehouse[0], tmp_path)
    drop_index(db)
    con = connect(db, read_only=True)
    try:
        hits, status = search_with_status(con, "Essequibo")
        assert status.state == "missing" and "--refresh" in status.message
        assert hits["id"][0] == article_id(con, "oas_venezuela_troops_guyana_border")
    finally:
        con.close()
    out = runner.invoke(app, ["search", "Essequibo", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "not indexed" in out.output and "OAS" in out.output


def test_stale_index_falls_back_to_the_live_tables(indexed_db, tmp_path):
    db = copy_warehouse(indexed_db, tmp_path)
    con = connect(db)
    try:
        con.execute("INSERT INTO loads (load_id, started_at, status) VALUES ('zz-load', now()::TIMESTAMP, 'committed')")
        con.execute("INSERT INTO articles (article_id, source_uri, content_hash, title, body, word_count, load_id) "
                    "VALUES ('zz-article', 'late.txt', 'h', 'Late news', 'The Quokkaland summit ended early.', 5, "
                    "'zz-load')")
    finally:
        con.close()
    con = connect(db, read_only=True)
    try:
        hits, status = search_with_status(con, "Quokkaland")
        assert status.state == "stale" and "--refresh" in status.message
        assert hits["id"].to_list() == ["zz-article"]  # found: the fallback reads the live tables
        assert "Quokkaland" in hits["snippet"][0]
    finally:
        con.close()
    out = runner.invoke(app, ["search", "Quokkaland", "--db", str(db), "--refresh"])
    assert out.exit_code == 0, out.output
    assert "index rebuilt" in out.output and "not indexed" not in out.output and "Late news" in out.output


def test_refresh_index_is_idempotent_and_all_or_nothing(indexed_db, tmp_path, monkeypatch):
    import flows.search as search_mod

    db = copy_warehouse(indexed_db, tmp_path)
    con = connect(db)
    try:
        first = refresh_index(con)
        second = refresh_index(con)
        assert first.fresh and second.fresh and first.docs == second.docs > 0
        assert con.execute("SELECT count(*) FROM search_index_state").fetchone()[0] == 1
        assert refresh_index(con, force=False).built_at == second.built_at  # fresh: nothing rebuilt

        real = search_mod._sql

        def failing_script(name: str) -> str:  # every rebuild statement runs, then the last one fails
            return real(name) + ("\nSELECT error('boom');" if name == "refresh_index.sql" else "")

        monkeypatch.setattr(search_mod, "_sql", failing_script)
        with pytest.raises(duckdb.Error, match="boom"):
            refresh_index(con)
        monkeypatch.undo()
        after = index_status(con)
        assert after.fresh and after.built_at == second.built_at  # rolled back whole
        assert "article" in set(search(con, "Essequibo")["kind"])
    finally:
        con.close()
