"""The nightly flow end to end on the bundled examples, through Prefect, into a temporary DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

CONTRACT = {
    "articles": ["article_id", "source_uri", "content_hash", "title", "published_at", "author", "publisher", "body",
                 "language", "word_count", "story_id", "duplicate_of", "load_id"],
    "entities": ["entity_id", "canonical_name", "entity_type"],
    "entity_mentions": ["article_id", "entity_id", "mention_text", "start_char", "end_char"],
    "quotes": ["quote_id", "article_id", "quote_text", "quote_kind", "speaker_entity_id", "speaker_text", "cue",
               "start_char", "end_char"],
    "events": ["event_id", "article_id", "event_type", "event_mode", "actor_entity_id", "actor_text",
               "recipient_entity_id", "recipient_text", "event_modality", "event_date", "event_date_precision",
               "evidence", "start_char", "end_char"],
    "loads": ["load_id", "started_at", "finished_at", "status"],
    "quarantine": ["source_uri", "reason", "load_id"],
}


def table_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "entities", "entity_mentions", "quotes", "events", "quarantine")}
    finally:
        con.close()


def tamper(monkeypatch, change):
    """Make the NLP stage return `change(frames)`: a planted fault the load must refuse. Returns the original."""
    import flows.nightly as nightly_mod

    real = nightly_mod.pipeline.annotate

    def tampered(*args, **kwargs):
        return change(real(*args, **kwargs))

    monkeypatch.setattr(nightly_mod.pipeline, "annotate", tampered)
    return real


def load_in_turn(tmp_path, *loads: dict[str, str]):
    """Write each {file name: text} into its own folder and load the folders in turn; returns the db."""
    from flows.nightly import nightly

    db = tmp_path / "w.duckdb"
    for n, files in enumerate(loads):
        folder = tmp_path / f"load{n}"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        assert nightly([str(folder)], db=str(db)).ok
    return db


def test_examples_fill_every_contract_column(examples_warehouse):
    db, summary = examples_warehouse
    assert summary.ok, [ld.message for ld in summary.loads]
    con = duckdb.connect(str(db), read_only=True)
    for table, cols in CONTRACT.items():
        have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        assert set(cols) <= have, (table, set(cols) - have)
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, f"{table} is empty"
    # every contract column holds at least one value somewhere (nullable ones included)
    for table, cols in CONTRACT.items():
        for col in cols:
            n = con.execute(f"SELECT count({col}) FROM {table}").fetchone()[0]
            assert n > 0, f"{table}.{col} is never filled"
    con.close()


def test_example_shapes_are_read(examples_warehouse):
    db, _ = examples_warehouse
    con = duckdb.connect(str(db), read_only=True)
    arts = pl.from_arrow(con.execute("SELECT * FROM articles").arrow())
    uris = arts["source_uri"].to_list()
    assert sum("#" in u for u in uris) == 3, "three JSONL lines, each its own article"
    assert any(u.endswith(".html") for u in uris) and any(u.endswith(".txt.gz") for u in uris)
    dup = arts.filter(pl.col("duplicate_of").is_not_null())
    assert dup.height >= 1 and dup["duplicate_of"].is_in(arts["article_id"].to_list()).all()
    no_nlp = con.execute("SELECT count(*) FROM entity_mentions WHERE article_id IN "
                         "(SELECT article_id FROM articles WHERE duplicate_of IS NOT NULL OR language <> 'en')"
                         ).fetchone()[0]
    assert no_nlp == 0, "duplicates and non-English articles get no NLP rows"
    assert "es" in arts["language"].to_list()
    reasons = [r[0] for r in con.execute("SELECT reason FROM quarantine").fetchall()]
    assert "empty" in reasons
    # offsets index into the stored body
    bad = con.execute("""SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id)
                         WHERE substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.mention_text"""
                      ).fetchone()[0]
    assert bad == 0
    loads = con.execute("SELECT status, model_name, model_version, pipeline_version FROM loads").fetchall()
    assert all(s == "committed" and m and v and p for s, m, v, p in loads)
    con.close()


def test_rerun_adds_nothing_and_records_the_empty_run(prefect_harness, tmp_path):
    from flows.nightly import nightly

    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src)
    db = tmp_path / "w.duckdb"
    first = nightly([str(src)], db=str(db))
    assert first.ok and first.total("articles") > 0
    before = table_counts(db)
    second = nightly([str(src)], db=str(db))
    assert second.ok and second.total("articles") == 0
    assert table_counts(db) == before
    con = duckdb.connect(str(db), read_only=True)
    loads = con.execute("SELECT status, articles_new, message FROM loads ORDER BY started_at").fetchall()
    con.close()
    assert loads[-1] == ("committed", 0, "0 new articles")
    assert len(loads) >= 2


def test_changed_file_replaces_its_rows(prefect_harness, tmp_path):
    from flows.nightly import nightly

    src = tmp_path / "in"
    src.mkdir()
    f = src / "story.txt"
    f.write_text("Leaders meet\n\nForeign Minister Ana Costa met President Luis Ortega in Lisbon on Monday. "
                 "\u201cWe agreed on a lot,\u201d Costa said.\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert nightly([str(src)], db=str(db)).ok
    f.write_text("Leaders part ways\n\nForeign Minister Ana Costa accused President Luis Ortega of bad faith "
                 "in Madrid on Tuesday.\n", encoding="utf-8")
    assert nightly([str(src)], db=str(db)).ok
    con = duckdb.connect(str(db), read_only=True)
    bodies = [r[0] for r in con.execute("SELECT body FROM articles").fetchall()]
    orphan = con.execute("SELECT count(*) FROM entity_mentions WHERE article_id NOT IN "
                         "(SELECT article_id FROM articles)").fetchone()[0]
    con.close()
    assert len(bodies) == 1 and "Madrid" in bodies[0]
    assert orphan == 0


def test_planted_violation_rejects_the_load_and_leaves_the_warehouse_unchanged(prefect_harness, tmp_path,
                                                                               monkeypatch):
    import flows.nightly as nightly_mod
    from flows.nightly import nightly

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLES / "2025-04-22_egypt_ethiopia_nile_dam_dispute.txt", src)
    db = tmp_path / "w.duckdb"
    assert nightly([str(src)], db=str(db)).ok
    before = table_counts(db)

    shutil.copy(EXAMPLES / "2025-05-20_philippines_china_scarborough_protest.txt", src)
    def not_plover(frames):
        assert frames["events"].height > 0
        frames["events"] = frames["events"].with_columns(pl.lit("PARTY").alias("event_type"))  # not a PLOVER type
        return frames

    real = tamper(monkeypatch, not_plover)
    summary = nightly([str(src)], db=str(db))
    assert not summary.ok
    rejected = [ld for ld in summary.loads if ld.status == "rejected"]
    failure = next(f for f in rejected[0].failures
                   if f["expectation"] == "expect_column_values_to_be_in_set" and f["suite"] == "events")
    # the suites run as pass/fail first; a failed one runs again for its counts and examples
    assert failure["unexpected_count"] >= 1 and failure["examples"][0] == "PARTY"
    assert table_counts(db) == before
    con = duckdb.connect(str(db), read_only=True)
    status, failed, summary_json = con.execute(
        "SELECT status, expectations_failed, validation_summary FROM loads WHERE status = 'rejected'").fetchone()
    sources = con.execute("SELECT count(*) FROM sources").fetchone()[0]
    con.close()
    assert status == "rejected" and failed >= 1 and "event_type" in summary_json
    assert sources == 1, "the rejected file is not marked as read: the next run retries it"

    monkeypatch.setattr(nightly_mod.pipeline, "annotate", real)
    assert nightly([str(src)], db=str(db)).ok
    assert table_counts(db)["articles"] == before["articles"] + 1


def test_dangling_reference_is_caught_in_sql(prefect_harness, tmp_path, monkeypatch):
    from flows.nightly import nightly

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLES / "2025-04-22_egypt_ethiopia_nile_dam_dispute.txt", src)
    def dangling(frames):
        frames["entities"] = frames["entities"].head(0)  # mentions now point at no entity
        return frames

    tamper(monkeypatch, dangling)
    db = tmp_path / "w.duckdb"
    summary = nightly([str(src)], db=str(db))
    assert not summary.ok
    names = {f["expectation"] for f in summary.loads[0].failures}
    assert "mentions_reference_entities" in names
    assert table_counts(db)["articles"] == 0


def test_an_article_with_impossible_offsets_is_quarantined_and_sql_still_checks_offsets(prefect_harness, tmp_path,
                                                                                      monkeypatch):
    """Shifted mention spans in one article are that article's problem: it goes to quarantine
    (bad_offsets) with its NLP rows and the rest of the load commits. Past that screen, the SQL
    offset check (on the load's own bodies, load_bodies) still catches a shifted span."""
    import polars as pl

    import flows.nightly as nightly_mod
    from flows.nightly import nightly

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLES / "2025-04-22_egypt_ethiopia_nile_dam_dispute.txt", src / "a_nile.txt")
    shutil.copy(EXAMPLES / "2025-05-20_philippines_china_scarborough_protest.txt", src / "b_scarborough.txt")

    def shifted(frames):
        first = frames["entity_mentions"]["article_id"][0]
        frames["entity_mentions"] = frames["entity_mentions"].with_columns(
            pl.when(pl.col("article_id") == first).then(pl.col(c) + 1).otherwise(pl.col(c)).alias(c)
            for c in ("start_char", "end_char"))
        return frames

    tamper(monkeypatch, shifted)
    db = tmp_path / "w.duckdb"
    summary = nightly([str(src)], db=str(db))
    assert summary.ok, [ld.message for ld in summary.loads]
    con = duckdb.connect(str(db), read_only=True)
    quarantined = con.execute("SELECT regexp_extract(source_uri, '[^/]+$'), reason, detail FROM quarantine").fetchall()
    loaded = con.execute("SELECT regexp_extract(source_uri, '[^/]+$'), (SELECT count(*) FROM entity_mentions m "
                         "WHERE m.article_id = a.article_id) FROM articles a").fetchall()
    con.close()
    assert [(name, reason) for name, reason, _ in quarantined] == [("a_nile.txt", "bad_offsets")]
    assert "entity mentions" in quarantined[0][2]
    assert len(loaded) == 1 and loaded[0][0] == "b_scarborough.txt" and loaded[0][1] > 0
    assert summary.files.quarantined == 1 and summary.files.loaded == 1

    monkeypatch.setattr(nightly_mod.screening, "screen_annotations", lambda articles, frames, records:
                        (articles, frames, []))
    db2 = tmp_path / "w2.duckdb"
    summary = nightly([str(src / "a_nile.txt")], db=str(db2))
    assert not summary.ok
    assert "mention_offsets_inside_body" in {f["expectation"] for f in summary.loads[0].failures}
    assert table_counts(db2)["articles"] == 0


def test_bad_input_is_quarantined_and_good_articles_load(prefect_harness, tmp_path):
    import gzip
    import json
    import os

    from flows.nightly import nightly

    src = tmp_path / "landing"
    src.mkdir()
    shutil.copy(EXAMPLES / "2025-04-22_egypt_ethiopia_nile_dam_dispute.txt", src / "good.txt")
    (src / "random.txt").write_bytes(os.urandom(2048))
    (src / "empty.txt").write_bytes(b"")
    (src / "latin1.txt").write_bytes("Informe de la canciller\u00eda sobre el acuerdo".encode("latin-1"))
    with open(src / "huge.txt", "wb") as fh:  # 50 MB: over the default cap
        line = b"The delegation met again to discuss the border agreement in detail. " * 100 + b"\n"
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line)
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "ok1", "title": "Ministers meet", "published": "2025-02-03",
                    "text": "Foreign Minister Lena Brandt met her Polish counterpart in Warsaw on Monday. "
                            "\u201cWe agreed to work together,\u201d Brandt said."}) + "\n{broken json\n",
        encoding="utf-8")
    (src / "noticia.txt.gz").write_bytes(gzip.compress(
        ("El canciller de Uruguay se reuni\u00f3 el lunes con su colega de Paraguay en Asunci\u00f3n para "
         "firmar un acuerdo sobre el uso del r\u00edo. Ambos gobiernos prometieron invertir en dragado y "
         "control ambiental durante los pr\u00f3ximos cinco a\u00f1os.").encode(), mtime=0))
    db = tmp_path / "w.duckdb"
    summary = nightly([str(src)], db=str(db))
    assert summary.ok
    con = duckdb.connect(str(db), read_only=True)
    reasons = dict(con.execute("SELECT regexp_extract(source_uri, '[^/]+$'), reason FROM quarantine").fetchall())
    langs = dict(con.execute("SELECT regexp_extract(source_uri, '[^/]+$'), language FROM articles").fetchall())
    spanish_rows = con.execute("SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id) "
                               "WHERE a.language = 'es'").fetchone()[0]
    good_rows = con.execute("SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id) "
                            "WHERE a.source_uri LIKE '%good.txt'").fetchone()[0]
    con.close()
    assert reasons == {"random.txt": "binary", "empty.txt": "empty", "latin1.txt": "undecodable",
                       "huge.txt": "too_large", "feed.jsonl#2": "bad_json"}
    assert set(langs) == {"good.txt", "feed.jsonl#ok1", "noticia.txt.gz"}
    assert langs["noticia.txt.gz"] == "es" and spanish_rows == 0
    assert good_rows > 0
    assert sum(ld.quarantined for ld in summary.loads) == 5


def test_quarantine_retry_loads_a_fixed_file_and_clears_its_entry(prefect_harness, tmp_path):
    import json

    from typer.testing import CliRunner

    from flows.cli import app

    src = tmp_path / "in"
    src.mkdir()
    story = src / "story.txt"
    story.write_bytes("Chancellor Ruth Meyer met the Czech prime minister in Prague on Friday.".encode("cp1252")
                      + b"\x96 and signed a transit deal.")
    db = tmp_path / "w.duckdb"
    runner = CliRunner()
    first = runner.invoke(app, ["run", str(src), "--db", str(db)])
    assert first.exit_code == 0, first.output
    listed = json.loads(runner.invoke(app, ["quarantine", "list", "--db", str(db), "--json"]).output)
    assert [(q["reason"], Path(q["source_uri"]).name) for q in listed] == [("undecodable", "story.txt")]

    story.write_text("Chancellor Ruth Meyer met the Czech prime minister in Prague on Friday and signed a "
                     "transit deal.", encoding="utf-8")
    retried = runner.invoke(app, ["quarantine", "retry", "--db", str(db)])
    assert retried.exit_code == 0, retried.output
    con = duckdb.connect(str(db), read_only=True)
    left = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    loaded = con.execute("SELECT count(*) FROM articles WHERE source_uri LIKE '%story.txt'").fetchone()[0]
    con.close()
    assert (left, loaded) == (0, 1)


def test_a_later_load_merges_a_bare_surname_into_the_full_name_keeping_ids_stable(prefect_harness, tmp_path):
    from flows.nightly import nightly

    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(
        "Harbour strike ends\n\nThe dock strike in Mombasa ended on Monday. Okonkwo said the workers had won "
        "a fair deal, and Okonkwo thanked the port authority. Most dockers there follow Islam.\n", encoding="utf-8")
    (second / "b.txt").write_text(
        "Union leader honoured\n\nUnion leader Chidi Okonkwo received an award in Nairobi on Friday for "
        "ending the dock strike. His deputy Yusuf Islam thanked him.\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert nightly([str(first)], db=str(db)).ok
    con = duckdb.connect(str(db), read_only=True)
    old_id, old_name = con.execute("SELECT entity_id, canonical_name FROM entities WHERE name_key = 'okonkwo'"
                                   ).fetchone()
    con.close()
    assert old_name == "Okonkwo"
    assert nightly([str(second)], db=str(db)).ok
    con = duckdb.connect(str(db), read_only=True)
    full_id = con.execute("SELECT entity_id FROM entities WHERE canonical_name = 'Chidi Okonkwo'").fetchone()[0]
    redirect = con.execute("SELECT redirect_to FROM entities WHERE entity_id = ?", [old_id]).fetchone()[0]
    table = con.execute("SELECT to_entity_id FROM entity_redirects WHERE from_entity_id = ?", [old_id]).fetchone()
    in_a = {r[0] for r in con.execute("SELECT m.entity_id FROM entity_mentions m JOIN articles a USING (article_id) "
                                      "WHERE a.source_uri LIKE '%a.txt' AND m.mention_text = 'Okonkwo'").fetchall()}
    count, aliases = con.execute("SELECT mention_count, aliases FROM entities WHERE entity_id = ?",
                                 [full_id]).fetchone()
    con.close()
    assert redirect == full_id and table == (full_id,), "the old id still exists and says where it went"
    assert in_a == {full_id}, "the old article's mentions now point at the full name"
    assert count == 3 and set(aliases) == {"Okonkwo", "Chidi Okonkwo"}
    with duckdb.connect(str(db), read_only=True) as con:  # a faith is no later person's surname
        faith = con.execute("SELECT entity_type, redirect_to FROM entities WHERE name_key = 'islam'").fetchall()
    assert faith == [("NORP", None)]


def test_a_surname_the_ner_missed_links_to_a_full_name_from_an_earlier_load(prefect_harness, tmp_path):
    """Without the warehouse's surnames the second article's "Zubizarreta" is no mention at all."""
    db = load_in_turn(tmp_path, {"a.txt": "Summit opens\n\nForeign Minister Ignacio Zubizarreta opened the summit "
                                          "in Lima on Monday.\n"},
                      {"b.txt": "Summit closes\n\nDelegates praised the host. Zubizarreta thanked them and "
                                "closed the session.\n"})
    con = duckdb.connect(str(db), read_only=True)
    linked = con.execute(
        "SELECT e.canonical_name FROM entity_mentions m JOIN articles a USING (article_id) "
        "JOIN entities e USING (entity_id) WHERE a.source_uri LIKE '%b.txt' AND m.mention_text = 'Zubizarreta'"
    ).fetchall()
    con.close()
    assert linked == [("Ignacio Zubizarreta",)]


def test_the_same_event_from_two_outlets_and_two_loads_shares_a_cluster(prefect_harness, tmp_path):
    db = load_in_turn(
        tmp_path,
        {"a.txt": "Border row\ndate 2025-02-12\n\nChile accused Peru on Monday of moving border markers in the "
                  "Atacama desert.\n"},
        {"b.txt": "Santiago protests\ndate 2025-02-13\n\nOn Monday, Chile accused Peru of shifting markers along "
                  "their desert frontier, officials said.\n",
         "c.txt": "Fishing deal\ndate 2025-06-20\n\nChile accused Peru on Thursday of ignoring a fishing quota "
                  "agreed last year.\n"})
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT regexp_extract(a.source_uri, '[^/]+$'), e.event_cluster_id FROM events e "
                       "JOIN articles a USING (article_id) WHERE e.event_type = 'ACCUSE'").fetchall()
    clusters = dict(rows)
    view = con.execute("SELECT n_articles FROM event_clusters WHERE event_cluster_id = ?", [clusters["a.txt"]]
                       ).fetchone()
    con.close()
    assert clusters["a.txt"] == clusters["b.txt"], rows
    assert clusters["c.txt"] != clusters["a.txt"], "months apart: another event"
    assert view == (2,)


def test_status_shows_the_last_loads(examples_warehouse):
    from typer.testing import CliRunner

    from flows.cli import app

    db, summary = examples_warehouse
    out = CliRunner().invoke(app, ["status", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert summary.loads[0].load_id[:12] in out.output and "committed" in out.output
    assert "articles 16" in out.output


def test_a_rejected_load_makes_the_command_exit_1(prefect_harness, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from flows.cli import app

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXAMPLES / "2025-05-20_philippines_china_scarborough_protest.txt", src)
    def bad_kind(frames):
        frames["quotes"] = frames["quotes"].with_columns(pl.lit("rumour").alias("quote_kind"))
        return frames

    tamper(monkeypatch, bad_kind)
    result = CliRunner().invoke(app, ["run", str(src), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1, result.output
    assert "rejected" in result.output and "quotes" in result.output


def test_entity_stats_kept_by_small_loads_equal_a_full_recount(prefect_harness, tmp_path):
    """Loads that only append update entity statistics from their own rows (entity_stats_append.sql);
    after many small loads, with redirects among them, every entity's count, first/last seen and
    aliases must equal a recount over all of its mentions (entity_stats_full.sql's query)."""
    from flows.nightly import nightly

    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src)
    # a surname first (its load knows no full name), the full name in a later load: a redirect
    (src / "0000_surname_first.txt").write_text(
        "Envoy returns\n\nSpeaking in Lagos on Monday, Mr Okonkwo said talks with Ghana would resume soon.\n",
        encoding="utf-8")
    (src / "zzzz_full_name_later.txt").write_text(
        "Envoy in Accra\n\nTrade envoy Chidi Okonkwo arrived in Accra on Tuesday. Okonkwo met Ghana's trade "
        "minister.\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = nightly([str(src)], db=str(db), chunk_size=2, state=str(tmp_path / "state"))
    assert summary.ok and len(summary.loads) >= 6
    recount = (Path(__file__).resolve().parent.parent / "sql" / "maintenance" / "entity_stats_full.sql").read_text()
    inner = recount[recount.index("FROM (") + len("FROM ("):recount.rindex(") s")]
    inner = inner[:inner.index("WHERE m.entity_id IN")] + "GROUP BY m.entity_id"
    con = duckdb.connect(str(db), read_only=True)
    try:
        expected = con.execute(inner.replace("$2", "NULL")).pl().rename({"n": "mention_count"})
        stored = con.execute("SELECT entity_id, mention_count, first_seen, last_seen, aliases FROM entities "
                             "WHERE entity_id IN (SELECT entity_id FROM entity_mentions)").pl()
        redirected = con.execute("SELECT count(*) FROM entity_redirects").fetchone()[0]
    finally:
        con.close()
    assert redirected > 0, "the examples should exercise a redirect across loads"
    joined = stored.join(expected, on="entity_id", how="full", suffix="_recount", coalesce=True)
    assert joined.height == expected.height > 100
    for col in ("mention_count", "first_seen", "last_seen", "aliases"):
        diff = joined.filter(pl.col(col).ne_missing(pl.col(f"{col}_recount")))
        assert diff.height == 0, (col, diff.head(5).to_dicts())
