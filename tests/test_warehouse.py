"""Numbered migrations, comments and keys; columnar inserts; the expectation suites' shape."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest

import flows.warehouse as wh
from flows.validate import _class_name, load_suites


def test_migrations_apply_once_and_record_their_version(tmp_path):
    con = wh.connect(tmp_path / "w.duckdb")
    first = wh.migrate(con)
    assert first and first == sorted(first)
    assert wh.migrate(con) == []
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
    assert versions == first
    comments = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'articles' "
                           "AND comment IS NOT NULL AND comment <> ''").fetchone()[0]
    assert comments >= 5
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO entities (entity_id, canonical_name, entity_type, load_id) "
                    "VALUES ('e', 'A', 'PERSON', 'l'), ('e', 'B', 'PERSON', 'l')")


def test_a_new_migration_upgrades_an_existing_warehouse_without_losing_rows(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    con = wh.connect(db)
    wh.migrate(con)
    con.execute("INSERT INTO entities (entity_id, canonical_name, entity_type, load_id) "
                "VALUES ('e1', 'Ana Costa', 'PERSON', 'l1')")
    extra = tmp_path / "migrations"
    extra.mkdir()
    for p in wh.MIGRATIONS.glob("*.sql"):
        (extra / p.name).write_text(p.read_text())
    (extra / "900_add_wikidata.sql").write_text("ALTER TABLE entities ADD COLUMN wikidata_id VARCHAR;")
    monkeypatch.setattr(wh, "MIGRATIONS", extra)
    assert wh.migrate(con) == [900]
    assert con.execute("SELECT canonical_name, wikidata_id FROM entities").fetchall() == [("Ana Costa", None)]


def test_failed_migration_rolls_back_and_is_not_recorded(tmp_path, monkeypatch):
    con = wh.connect(tmp_path / "w.duckdb")
    wh.migrate(con)
    extra = tmp_path / "migrations"
    extra.mkdir()
    (extra / "901_broken.sql").write_text("CREATE TABLE t1 (a INT); SELECT * FROM no_such_table;")
    monkeypatch.setattr(wh, "MIGRATIONS", extra)
    with pytest.raises(duckdb.Error):
        wh.migrate(con)
    assert con.execute("SELECT count(*) FROM schema_version WHERE version = 901").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 't1'").fetchone()[0] == 0


def test_insert_frame_goes_through_arrow_and_matches_columns_by_name(tmp_path):
    con = wh.connect(tmp_path / "w.duckdb")
    wh.migrate(con)
    df = pl.DataFrame({"entity_type": ["GPE"], "canonical_name": ["Chile"], "entity_id": ["e9"],
                       "country_code": ["CHL"]})
    assert wh.insert_frame(con, "entities", df, "load-1") == 1
    assert con.execute("SELECT entity_id, canonical_name, load_id FROM entities").fetchall() == [
        ("e9", "Chile", "load-1")]


def test_every_suite_names_real_gx_expectations_and_one_suite_per_table():
    import great_expectations as gx

    suites = load_suites()
    assert set(suites) == {"articles", "entities", "entity_mentions", "quotes", "events"}
    for spec in suites.values():
        for e in spec["expectations"]:
            cls = getattr(gx.expectations, _class_name(e["type"]))
            assert cls(**{k: (1 if v == "$now" else v) for k, v in e["kwargs"].items()})
    assert json.dumps(suites)
