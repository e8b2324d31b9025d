"""Full-text search over article titles and bodies and quote texts (DuckDB's fts extension, BM25).

The fts index is a snapshot: inserts do not update it. `refresh_index` rebuilds it after the
night's loads and records which load it covers; `search` uses it only while it is fresh, and
otherwise scans the live tables (clearly labelled), so a read-only reader never gets stale or no
answers. The extension is loaded from the `duckdb-extension-fts` wheel, never downloaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl

from flows.faults import crash_point
from flows.warehouse import bounded_memory, rollback
from transforms.text import strip_accents

# DuckDB memory for the index rebuild: it reads the whole warehouse, so without a cap its memory
# grows with it (measured on 20,000 articles: +680 MB uncapped, +160 MB at 64MB). Doubled on each
# out-of-memory error, up to four times.
INDEX_MEMORY = os.environ.get("NEWSETL_INDEX_MEMORY", "64MB")
SEARCH_SQL = Path(__file__).resolve().parent.parent / "sql" / "search"
KINDS = ("all", "article", "quote")
RESULT_SCHEMA = {
    "kind": pl.String,
    "id": pl.String,
    "article_id": pl.String,
    "title": pl.String,
    "published_at": pl.Datetime("us"),
    "snippet": pl.String,
    "score": pl.Float64,
}
# A few words too common to say anything; only the fallback and the snippet use this list (the
# fts index has its own English stopword list).
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "he", "her", "his", "in", "is",
    "it", "its", "of", "on", "or", "she", "that", "the", "their", "they", "this", "to", "was", "were", "will", "with",
})

State = Literal["fresh", "stale", "missing", "unavailable"]


@dataclass(frozen=True)
class IndexStatus:
    """Whether search can use the BM25 index, and if not why (shown to the user as is)."""

    state: State
    message: str
    built_at: dt.datetime | None = None
    last_load_id: str | None = None
    docs: int | None = None
    seconds: float | None = None

    @property
    def fresh(self) -> bool:
        return self.state == "fresh"


def _sql(name: str) -> str:
    """A file of sql/search without its comment lines (they may name the __PLACEHOLDERS__ filled in)."""
    text = (SEARCH_SQL / name).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def _definition() -> str:
    """Hash of what the index is built from: a change to these files makes an old index stale."""
    text = (SEARCH_SQL / "docs.sql").read_text(encoding="utf-8") + _sql("refresh_index.sql")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _bind(sql: str, params: dict[str, object]) -> dict[str, object]:
    """The named parameters a statement uses (DuckDB rejects unused ones)."""
    used = set(re.findall(r"\$([a-z_]+)", sql))
    return {k: v for k, v in params.items() if k in used}


def _fts_binary() -> Path | None:
    """fts.duckdb_extension shipped in the duckdb-extension-fts wheel for this DuckDB version."""
    try:
        root = importlib.resources.files("duckdb_extension_fts")
    except ModuleNotFoundError:
        return None
    path = Path(str(root)) / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    return path if path.is_file() else None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the fts extension offline (works on read-only connections); False when unavailable."""
    row = con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts'").fetchone()
    if row and row[0]:
        return True
    path = _fts_binary()
    # LOAD takes no bound parameter; the path comes from the installed wheel, quotes escaped anyway.
    attempts = ["LOAD '" + str(path).replace("'", "''") + "'"] if path else []
    attempts.append("LOAD fts")  # installed in DuckDB's own extension directory (no download)
    for stmt in attempts:
        try:
            con.execute(stmt)
            return True
        except duckdb.Error:
            continue
    return False


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    tables = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name IN ('search_docs', 'search_index_state')").fetchone()[0]
    schema = con.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() "
        "AND schema_name = 'fts_main_search_docs'").fetchone()[0]
    return tables == 2 and schema == 1


def index_status(con: duckdb.DuckDBPyConnection) -> IndexStatus:
    """Fresh when the index covers the newest committed load that wrote articles or quotes."""
    hint = "run `newsetl search --refresh` (or refresh_index) to rebuild it"
    if not _exists(con):
        return IndexStatus("missing", f"no search index yet: {hint}")
    try:
        row = con.execute("SELECT built_at, last_load_id, articles, quotes, docs, seconds, definition "
                          "FROM search_index_state ORDER BY built_at DESC LIMIT 1").fetchone()
    except duckdb.Error:  # a state table from an older newsetl
        return IndexStatus("stale", f"search index built by an older version of newsetl: {hint}")
    if row is None:
        return IndexStatus("missing", f"no search index yet: {hint}")
    built_at, last_load, articles, quotes, docs, seconds, definition = row
    info = {"built_at": built_at, "last_load_id": last_load, "docs": docs, "seconds": seconds}
    now_load, now_articles, now_quotes = con.execute(_sql("coverage.sql")).fetchone()
    if definition != _definition():
        return IndexStatus("stale", f"search index built by an older version of newsetl: {hint}", **info)
    if (now_load, now_articles, now_quotes) != (last_load, articles, quotes):
        return IndexStatus(
            "stale", f"search index built {built_at:%Y-%m-%d %H:%M} UTC covers load {(last_load or '-')[:12]} "
            f"({articles} articles, {quotes} quotes); the warehouse is now at load {(now_load or '-')[:12]} "
            f"({now_articles} articles, {now_quotes} quotes): {hint}", **info)
    if not load_fts(con):
        return IndexStatus("unavailable", "the DuckDB fts extension cannot be loaded (install duckdb-extension-fts)",
                           **info)
    return IndexStatus("fresh", f"BM25 index built {built_at:%Y-%m-%d %H:%M} UTC, {docs} documents, "
                       f"covers load {(last_load or '-')[:12]}", **info)


def refresh_index(con: duckdb.DuckDBPyConnection, force: bool = True) -> IndexStatus:
    """(Re)build search_docs and its fts index in one transaction; idempotent.

    Call it after the loads commit (it must not run inside another open transaction). With
    force=False it does nothing while the index is still fresh, so a nightly run that added
    nothing costs one cheap check.
    """
    if not load_fts(con):
        raise RuntimeError("the DuckDB fts extension cannot be loaded (install duckdb-extension-fts)")
    if not force:
        status = index_status(con)
        if status.fresh:
            return status
    script = _sql("refresh_index.sql").replace("__DOCS__", _sql("docs.sql")).replace(
        "__COVERAGE__", _sql("coverage.sql"))
    statements = [s.strip() for s in re.split(r";\s*\n", script + "\n") if s.strip()]
    limit = INDEX_MEMORY
    for attempt in range(5):
        try:
            with bounded_memory(con, limit, threads=1):
                _rebuild(con, statements)
                con.execute("CHECKPOINT")  # under the cap too: else closing the connection does it uncapped
            break
        except duckdb.OutOfMemoryException:
            if attempt == 4:
                raise
            number, unit = re.fullmatch(r"\s*([\d.]+)\s*(\S+)\s*", limit).groups()
            limit = f"{float(number) * 2:g}{unit}"
    return index_status(con)


def _rebuild(con: duckdb.DuckDBPyConnection, statements: list[str]) -> None:
    """The statements of refresh_index.sql in one transaction."""
    definition = _definition()
    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        for stmt in statements:
            params = {"built_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                      "seconds": round(time.perf_counter() - t0, 3), "definition": definition}
            con.execute(stmt, _bind(stmt, params) or None)
        crash_point("search_index")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)  # a failed COMMIT (a full disk) has ended the transaction already
        raise


def query_terms(query: str) -> list[str]:
    """The query's words as the index sees them: a-z runs, without the commonest words."""
    seen: dict[str, None] = {}
    for term in re.findall(r"[a-z]+", strip_accents(query.lower())):  # as the fts index tokenises
        if term not in _STOPWORDS:
            seen.setdefault(term)
    return list(seen)


def search_with_status(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20,
                       kind: str = "all") -> tuple[pl.DataFrame, IndexStatus]:
    """`search`, also saying whether the BM25 index answered or the labelled live-scan fallback did."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    status = index_status(con)
    terms = query_terms(query)
    if not terms:
        return pl.DataFrame(schema=RESULT_SCHEMA), status
    params: dict[str, object] = {"query": query, "terms": terms, "kind": kind, "limit": limit, "needles": terms}
    if status.fresh:
        try:
            params["needles"] = con.execute(
                "SELECT list_distinct(list_concat($t, list_transform($t, x -> stem(x, 'porter'))))",
                {"t": terms}).fetchone()[0]
            return _run(con, _sql("search_bm25.sql"), params), status
        except duckdb.Error as e:  # a damaged index must not take search down with it
            status = IndexStatus("unavailable", f"search index unusable ({type(e).__name__}): run "
                                 "`newsetl search --refresh`", status.built_at, status.last_load_id, status.docs)
            params["needles"] = terms
    return _run(con, _sql("search_fallback.sql").replace("__DOCS__", _sql("docs.sql")), params), status


def _run(con: duckdb.DuckDBPyConnection, hits: str, params: dict[str, object]) -> pl.DataFrame:
    sql = _sql("snippet.sql").replace("__HITS__", hits)
    df = con.execute(sql, _bind(sql, params)).pl()
    return df.select(pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items())


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20, kind: str = "all") -> pl.DataFrame:
    """BM25-ranked articles and quotes matching `query` (bound as a parameter, never formatted into SQL).

    Columns: kind ('article' | 'quote'), id, article_id, title, published_at, snippet, score. Works on
    a read-only connection; when the index is missing or stale it scans the live tables instead
    (score then counts term occurrences): `search_with_status` or `index_status` say which.
    """
    return search_with_status(con, query, limit, kind)[0]
