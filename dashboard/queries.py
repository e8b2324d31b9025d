"""Every query the dashboard runs: pure functions of a DuckDB connection and parameters.

Kept apart from the Streamlit app so tests and benchmarks/dashboard_latency.py run exactly what
the app runs. Values always travel as bound parameters ($name), never spliced into SQL text, and
the SQL reads the marts in sql/marts (or, where undated articles may be included, the contract
tables behind them).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.warehouse import connect, is_lock_error  # noqa: F401 (the app asks q.is_lock_error)

LOCK_WAIT_S = 15.0


def connect_read_only(db: str | Path, wait_s: float = LOCK_WAIT_S,
                      on_retry: Callable[[float, BaseException], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, retrying with backoff while a writer holds its lock.

    DuckDB 1.5.5 lets a read-write connection in another process exclude every other connection,
    read-only ones included, so a nightly commit makes this fail for a few seconds; `on_retry`
    (seconds waited so far, the error) lets a caller say so. Raises the lock error after `wait_s`.
    """
    return connect(db, read_only=True, wait_s=wait_s, on_retry=on_retry)


def db_version(db: str | Path) -> tuple[int, int, int, int]:
    """Modification time and size of the file and its WAL: a cache key that changes with every commit."""
    out: list[int] = []
    for p in (Path(db), Path(f"{db}.wal")):
        try:
            st = os.stat(p)
            out += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            out += [0, 0]
    return out[0], out[1], out[2], out[3]


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pl.DataFrame:
    return con.execute(sql, params).pl()


def _types(event_types: list[str] | tuple[str, ...] | None) -> list[str] | None:
    """An empty selection means every type (bound as NULL)."""
    return list(event_types) if event_types else None


# --- sidebar options -------------------------------------------------------------------------


def date_bounds(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """First and last day anything is dated (articles or events): the date filter's default range."""
    return _frame(con, """
        SELECT min(day) AS first_day, max(day) AS last_day FROM (
            SELECT CAST(published_at AS DATE) AS day FROM articles WHERE duplicate_of IS NULL
            UNION ALL
            SELECT event_date FROM events
        )""", {})


def entity_options(con: duckdb.DuckDBPyConnection, limit: int = 5000) -> pl.DataFrame:
    """Entities to pick from, most mentioned first (merged-away entities left out)."""
    return _frame(con, """
        SELECT entity_id, canonical_name, entity_type, coalesce(mention_count, 0) AS mentions
        FROM entities WHERE redirect_to IS NULL
        ORDER BY mentions DESC, canonical_name, entity_id
        LIMIT $limit""", {"limit": limit})


def country_codes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Country codes that appear on events as actor or recipient, with how many events name them."""
    return _frame(con, """
        SELECT code AS country_code, count(*) AS events FROM (
            SELECT actor_country_code AS code FROM events
            UNION ALL SELECT recipient_country_code FROM events
        ) WHERE code IS NOT NULL
        GROUP BY code ORDER BY code""", {})


def event_types(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """PLOVER event types present in the warehouse."""
    return _frame(con, "SELECT event_type, count(*) AS events FROM events GROUP BY event_type ORDER BY event_type",
                  {})


def busiest_country_pair(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The pair with the most dated events, so the pair chart opens on something."""
    return _frame(con, """
        SELECT country_a, country_b, sum(events)::BIGINT AS events FROM mart_country_pair_daily
        GROUP BY ALL ORDER BY events DESC, country_a, country_b LIMIT 1""", {})


# --- views ---------------------------------------------------------------------------------


def country_pair_line(con: duckdb.DuckDBPyConnection, country_x: str, country_y: str, start: dt.date,
                      end: dt.date, event_types: list[str] | tuple[str, ...] | None = None) -> pl.DataFrame:
    """Per day for one pair: the PLOVER score sum (both directions and each way), events, cooperation, conflict.

    Read from mart_events_daily rather than mart_country_pair_daily so the event-type filter
    applies; the two agree when no type is filtered (tests/test_marts.py checks it).
    """
    return _frame(con, """
        SELECT day,
               coalesce(sum(score_sum), 0) AS score_sum,
               coalesce(sum(score_sum) FILTER (WHERE actor_country_code = $x), 0) AS x_to_y_score,
               coalesce(sum(score_sum) FILTER (WHERE actor_country_code = $y), 0) AS y_to_x_score,
               sum(events)::BIGINT AS events,
               sum(cooperation)::BIGINT AS cooperation,
               sum(conflict)::BIGINT AS conflict
        FROM mart_events_daily
        WHERE $x <> $y
          AND ((actor_country_code = $x AND recipient_country_code = $y)
               OR (actor_country_code = $y AND recipient_country_code = $x))
          AND day BETWEEN $start AND $end
          AND ($types::VARCHAR[] IS NULL OR list_contains($types::VARCHAR[], event_type))
        GROUP BY day ORDER BY day""",
                  {"x": country_x, "y": country_y, "start": start, "end": end, "types": _types(event_types)})


def event_timeline(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date,
                   event_types: list[str] | tuple[str, ...] | None = None) -> pl.DataFrame:
    """Events per day and type (reports, and distinct events once syndicated copies are merged)."""
    return _frame(con, """
        SELECT day, event_type, sum(events)::BIGINT AS events, sum(event_clusters)::BIGINT AS event_clusters,
               sum(score_sum) AS score_sum
        FROM mart_events_daily
        WHERE day BETWEEN $start AND $end
          AND ($types::VARCHAR[] IS NULL OR list_contains($types::VARCHAR[], event_type))
        GROUP BY ALL ORDER BY day, event_type""", {"start": start, "end": end, "types": _types(event_types)})


def top_entities(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, include_undated: bool = True,
                 limit: int = 15) -> pl.DataFrame:
    """Most mentioned entities in the range (and, when asked, in articles without a date)."""
    # counted per (entity, article) first, names joined last: a third of the time of one GROUP BY with
    # count(DISTINCT) over every mention on a 20,000-article warehouse (166 -> 61 ms)
    return _frame(con, """
        WITH per_article AS (
            SELECT m.entity_id, count(*) AS n
            FROM entity_mentions m
            JOIN articles a ON a.article_id = m.article_id
            WHERE a.duplicate_of IS NULL
              AND (CAST(a.published_at AS DATE) BETWEEN $start AND $end OR ($undated AND a.published_at IS NULL))
            GROUP BY m.entity_id, m.article_id
        ), per_entity AS (
            SELECT entity_id, sum(n)::BIGINT AS mentions, count(*) AS articles FROM per_article GROUP BY entity_id
        )
        SELECT p.entity_id, e.canonical_name, e.entity_type, p.mentions, p.articles
        FROM per_entity p JOIN entities e ON e.entity_id = p.entity_id
        ORDER BY p.mentions DESC, p.articles DESC, e.canonical_name LIMIT $limit""",
                  {"start": start, "end": end, "undated": include_undated, "limit": limit})


def entity_trend(con: duckdb.DuckDBPyConnection, entity_ids: list[str] | tuple[str, ...], start: dt.date,
                 end: dt.date) -> pl.DataFrame:
    """Daily mentions of the given entities (dated articles only: a trend needs dates)."""
    return _frame(con, """
        SELECT day, entity_id, canonical_name, mentions, articles
        FROM mart_daily_entity_mentions
        WHERE list_contains($ids::VARCHAR[], entity_id) AND day BETWEEN $start AND $end
        ORDER BY day, canonical_name""", {"ids": list(entity_ids), "start": start, "end": end})


def entity_neighbours(con: duckdb.DuckDBPyConnection, entity_id: str, start: dt.date, end: dt.date,
                      include_undated: bool = True, limit: int = 20) -> pl.DataFrame:
    """Entities named in the same articles as this one, by how many articles they share.

    The same co-occurrence as mart_entity_cooccurrence_daily, but starting from the one entity
    (cheap on a big warehouse) and optionally counting undated articles too.
    """
    return _frame(con, """
        WITH mine AS (
            SELECT DISTINCT m.article_id
            FROM entity_mentions m JOIN articles a ON a.article_id = m.article_id
            WHERE m.entity_id = $entity AND a.duplicate_of IS NULL
              AND (CAST(a.published_at AS DATE) BETWEEN $start AND $end OR ($undated AND a.published_at IS NULL))
        )
        SELECT o.entity_id, e.canonical_name, e.entity_type, count(DISTINCT o.article_id) AS articles,
               count(*) AS mentions
        FROM entity_mentions o
        JOIN mine USING (article_id)
        JOIN entities e ON e.entity_id = o.entity_id
        WHERE o.entity_id <> $entity
        GROUP BY ALL ORDER BY articles DESC, mentions DESC, e.canonical_name LIMIT $limit""",
                  {"entity": entity_id, "start": start, "end": end, "undated": include_undated, "limit": limit})


def entity_quotes(con: duckdb.DuckDBPyConnection, speaker_entity_id: str | None, start: dt.date, end: dt.date,
                  include_undated: bool = True, limit: int = 200) -> pl.DataFrame:
    """Quotes by one speaker entity (or by anyone when None), newest first."""
    return _frame(con, """
        SELECT speaker, quote_text AS quote, quote_kind AS kind, article_title, published_date, article_id
        FROM mart_entity_quotes
        WHERE ($speaker IS NULL OR speaker_entity_id = $speaker)
          AND (published_date BETWEEN $start AND $end OR ($undated AND published_date IS NULL))
        ORDER BY published_date DESC NULLS LAST, article_title, quote_id LIMIT $limit""",
                  {"speaker": speaker_entity_id, "start": start, "end": end, "undated": include_undated,
                   "limit": limit})


def top_speakers(con: duckdb.DuckDBPyConnection, limit: int = 15) -> pl.DataFrame:
    """Most quoted named speakers over the whole warehouse."""
    return _frame(con, """
        SELECT canonical_name AS speaker, entity_type, quotes, direct, indirect, articles, first_date, last_date
        FROM mart_top_speakers ORDER BY quotes DESC, articles DESC, canonical_name LIMIT $limit""", {"limit": limit})


def load_health(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pl.DataFrame:
    """The last loads, newest first: status, rows, expectations failed, quarantined."""
    return _frame(con, """
        SELECT started_at, status, round(seconds, 1) AS seconds, files, articles_new, articles_duplicate,
               entities_new, mentions_new, events_new, quotes_new, quarantined, expectations_evaluated,
               expectations_failed, message, load_id
        FROM mart_load_health ORDER BY started_at DESC LIMIT $limit""", {"limit": limit})


def load_health_daily(con: duckdb.DuckDBPyConnection, limit: int = 60) -> pl.DataFrame:
    """Loads per day: committed, rejected, failed, rows added (last `limit` days with loads)."""
    return _frame(con, """
        SELECT * FROM mart_load_health_daily ORDER BY day DESC LIMIT $limit""", {"limit": limit})


def search_text(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20) -> pl.DataFrame:
    """Full-text search over articles and quotes through flows.search (imported late: it may be absent).

    Raises ImportError when flows.search is not there, so the app can say so.
    """
    from flows.search import search

    return search(con, query, limit=limit)


QUERIES: dict[str, Callable[..., pl.DataFrame]] = {
    f.__name__: f for f in (
        date_bounds, entity_options, country_codes, event_types, busiest_country_pair, country_pair_line,
        event_timeline, top_entities, entity_trend, entity_neighbours, entity_quotes, top_speakers, load_health,
        load_health_daily, search_text,
    )
}
