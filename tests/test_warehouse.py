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
            assert cls(**{k: (1 if v == "$latest_publication" else v) for k, v in e["kwargs"].items()})
    assert json.dumps(suites)


def _columns(con, table):
    return con.execute("SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
                       "WHERE table_name = ? ORDER BY column_index", [table]).fetchall()


def test_migration_006_drops_the_detail_keys_and_keeps_rows_columns_and_comments(tmp_path, monkeypatch):
    """Upgrading a warehouse made before 006: same rows, columns and comments, no PRIMARY KEY left on
    entity_mentions, quotes and events, and fingerprints get their body length from the stored body."""
    old = tmp_path / "upto005"
    old.mkdir()
    for p in wh.MIGRATIONS.glob("00[1-5]_*.sql"):
        (old / p.name).write_text(p.read_text())
    con = wh.connect(tmp_path / "w.duckdb")
    monkeypatch.setattr(wh, "MIGRATIONS", old)
    monkeypatch.setattr(wh, "MARTS", tmp_path / "no_marts")  # the marts read the latest columns
    wh.migrate(con)
    con.execute("INSERT INTO articles (article_id, source_uri, content_hash, body, word_count, load_id) "
                "VALUES ('a1', 'f.txt', 'h', 'Ana Costa met the minister.', 5, 'l1')")
    con.execute("INSERT INTO article_fingerprints VALUES ('a1', [1, 2], ['minister'], [1.0], 'l1')")
    con.execute("INSERT INTO entity_mentions (article_id, start_char, end_char, entity_id, mention_text, load_id) "
                "VALUES ('a1', 0, 9, 'e1', 'Ana Costa', 'l1')")
    con.execute("INSERT INTO quotes (quote_id, article_id, quote_text, quote_kind, start_char, end_char, load_id) "
                "VALUES ('q1', 'a1', 'We agree', 'direct', 0, 8, 'l1')")
    con.execute("INSERT INTO events (event_id, article_id, event_type, event_modality, evidence, start_char, "
                "end_char, load_id) VALUES ('v1', 'a1', 'CONSULT', 'asserted', 'Ana Costa met', 0, 13, 'l1')")
    tables = ("entity_mentions", "quotes", "events")
    before = {t: (_columns(con, t), con.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    assert all(before[t][1] for t in tables)

    upto006 = tmp_path / "upto006"  # later migrations change these tables on purpose (007, 008)
    upto006.mkdir()
    for p in (wh.SQL_DIR / "migrations").glob("00[1-6]_*.sql"):
        (upto006 / p.name).write_text(p.read_text())
    monkeypatch.setattr(wh, "MIGRATIONS", upto006)
    assert wh.migrate(con) == [6]
    for t in tables:
        assert (_columns(con, t), con.execute(f"SELECT * FROM {t}").fetchall()) == before[t], t
    keys = {r[0] for r in con.execute("SELECT table_name FROM duckdb_constraints() "
                                      "WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
    assert not keys & set(tables) and {"articles", "entities", "loads"} <= keys
    assert con.execute("SELECT body_length FROM article_fingerprints").fetchall() == [(27,)]
    with pytest.raises(duckdb.ConstraintException):  # NOT NULL still holds
        con.execute("INSERT INTO quotes (quote_id, article_id, quote_text, quote_kind, start_char, end_char, "
                    "load_id) VALUES (NULL, 'a1', 'x', 'direct', 0, 1, 'l2')")


def test_the_sql_checks_reject_a_load_that_repeats_a_stored_key(tmp_path):
    """With no PRIMARY KEY on quotes, events and mentions, the load's SQL checks hold the keys."""
    from flows.validate import ValidationReport, validate_relations

    con = wh.connect(tmp_path / "w.duckdb")
    wh.migrate(con)
    body = "Ana Costa said she agreed."
    con.execute("INSERT INTO articles (article_id, source_uri, content_hash, body, word_count, load_id) "
                "VALUES ('a1', 'f.txt', 'h', ?, 5, 'l1')", [body])
    con.execute("INSERT INTO entities (entity_id, canonical_name, entity_type, load_id) "
                "VALUES ('e1', 'Ana Costa', 'PERSON', 'l1')")
    for load in ("l1", "l2"):
        con.execute("INSERT INTO entity_mentions (article_id, start_char, end_char, entity_id, mention_text, "
                    "load_id) VALUES ('a1', 0, 9, 'e1', 'Ana Costa', ?)", [load])
        con.execute("INSERT INTO quotes (quote_id, article_id, quote_text, quote_kind, start_char, end_char, "
                    "load_id) VALUES ('q1', 'a1', 'she agreed', 'indirect', 15, 25, ?)", [load])
        con.execute("INSERT INTO events (event_id, article_id, event_type, event_modality, evidence, "
                    "start_char, end_char, load_id) VALUES ('v1', 'a1', 'AGREE', 'asserted', ?, 0, 26, ?)",
                    [body, load])
    bodies = pl.DataFrame({"article_id": ["a1"], "body": [body]})
    failed = {}
    for load in ("l1", "l2"):
        report = ValidationReport()
        validate_relations(con, load, report, bodies)
        failed[load] = {f["expectation"] for f in report.failures}
    assert {"mention_keys_unique", "quote_ids_unique", "event_ids_unique"} <= failed["l2"]
    con.execute("DELETE FROM entity_mentions WHERE load_id = 'l2'; DELETE FROM quotes WHERE load_id = 'l2'; "
                "DELETE FROM events WHERE load_id = 'l2'")
    report = ValidationReport()
    validate_relations(con, "l1", report, bodies)
    assert not {"mention_keys_unique", "quote_ids_unique", "event_ids_unique"} & {
        f["expectation"] for f in report.failures}


def test_near_duplicate_candidates_from_the_warehouse_match_the_full_index(tmp_path):
    """The SQL band lookup gives the same earliest near-duplicates as an index of every stored signature."""
    import random

    from transforms import pipeline

    rng = random.Random(7)
    words = [f"w{i}" for i in range(400)]
    bases = [" ".join(rng.choice(words) for _ in range(300)) for _ in range(12)]

    def variant(text, changes):
        toks = text.split()
        for _ in range(changes):
            toks[rng.randrange(len(toks))] = rng.choice(words)
        return " ".join(toks)

    def frame(prefix, texts):
        ids = [f"{prefix}{i}" for i in range(len(texts))]
        articles = pl.DataFrame({"article_id": ids, "body": texts, "story_id": ids,
                                 "duplicate_of": [None] * len(ids)}, schema_overrides={"duplicate_of": pl.String})
        return articles, pipeline.fingerprints(articles)

    stored_texts = bases + [variant(b, 2) for b in bases[:6]]  # stored near-copies of stored originals
    stored, stored_prints = frame("s", stored_texts)
    con = wh.connect(tmp_path / "w.duckdb")
    wh.migrate(con)
    for i, aid in enumerate(stored["article_id"]):  # one load per article: load order is known
        con.execute("INSERT INTO loads (load_id, started_at, status) VALUES (?, TIMESTAMP '2025-01-01' + "
                    "INTERVAL (?) MINUTE, 'committed')", [f"l{i}", i])
        con.execute("INSERT INTO articles (article_id, source_uri, content_hash, body, word_count, story_id, "
                    "load_id) VALUES (?, ?, ?, ?, 300, ?, ?)",
                    [aid, aid, aid, stored_texts[i], f"story-{aid}", f"l{i}"])
    wh.insert_frame(con, "article_fingerprints", stored_prints, "l0")
    con.execute("UPDATE article_fingerprints SET load_id = 'l' || substr(article_id, 2)")

    new_texts = [variant(b, 1) for b in bases[:8]] + [" ".join(rng.choice(words) for _ in range(300))
                                                     for _ in range(4)]
    new, new_prints = frame("n", new_texts)
    earlier = wh.near_duplicate_candidates(con, new_prints)
    via_sql = pipeline.mark_near_duplicates(new, new_prints, earlier,
                                            dict(earlier.select("article_id", "story_id").iter_rows()))
    everything = con.execute("SELECT f.article_id, f.minhash, a.story_id FROM article_fingerprints f "
                             "JOIN articles a USING (article_id) JOIN loads l ON l.load_id = a.load_id "
                             "ORDER BY l.started_at, f.article_id").pl()
    via_full = pipeline.mark_near_duplicates(new, new_prints, everything,
                                             dict(everything.select("article_id", "story_id").iter_rows()))
    assert via_sql.equals(via_full)
    dups = dict(via_sql.select("article_id", "duplicate_of").iter_rows())
    assert sum(v is not None for v in dups.values()) >= 6, "one-word variants of stored texts are found"
    assert all(dups[f"n{i}"] is None for i in range(8, 12)), "unrelated texts are not"
    assert earlier.height < len(stored_texts), "only band-sharing articles come back, not the warehouse"


def test_write_sessions_append_in_small_row_groups(tmp_path):
    """A load's checkpoint rewrites the row groups it appended to; written through `connect`, a table
    grows in row groups of WRITE_ROW_GROUP_ROWS, so that work stays the size of a load."""
    db = tmp_path / "w.duckdb"
    con = wh.connect(db)
    wh.migrate(con)
    n = 2 * wh.WRITE_ROW_GROUP_ROWS + 100
    mentions = pl.DataFrame({"article_id": [f"a{i // 50}" for i in range(n)], "start_char": [i % 50 for i in range(n)],
                             "end_char": [i % 50 + 1 for i in range(n)], "entity_id": ["e1"] * n,
                             "mention_text": ["x"] * n})
    wh.insert_frame(con, "entity_mentions", mentions, "l1")
    con.close()
    reader = wh.connect(db, read_only=True)
    groups = reader.execute("SELECT count(DISTINCT row_group_id) FROM "
                            "pragma_storage_info('entity_mentions')").fetchone()[0]
    assert reader.execute("SELECT count(*) FROM entity_mentions").fetchone()[0] == n
    assert groups == 3, "DuckDB's default (122,880 rows) would have made one row group"
