"""DuckDB access: migrations, reads the flow needs, and columnar writes through Arrow."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from flows.faults import fail_point
from transforms.ingest import source_format

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MIGRATIONS = SQL_DIR / "migrations"
CHECKS = SQL_DIR / "checks"
MAINTENANCE = SQL_DIR / "maintenance"
MARTS = SQL_DIR / "marts"
LOOKUPS = SQL_DIR / "lookups"
LOAD_TABLES = ["articles", "entities", "entity_mentions", "quotes", "events"]


def is_lock_error(exc: BaseException) -> bool:
    """True for the error DuckDB raises while another process holds the file."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def connect(db: str | Path, read_only: bool = False, wait_s: float = 0.0,
            on_retry: Callable[[float, BaseException], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; wait up to `wait_s` seconds while another process holds its file lock.

    DuckDB lets one process write a file, and a writer excludes readers in other processes (and
    readers exclude a writer). The flow and the dashboard therefore keep their connections short
    and wait for each other here instead of failing. `on_retry(seconds waited, error)` lets a
    caller say that it is waiting.
    """
    t0 = time.monotonic()
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(db), read_only=True) if read_only else _open_for_writing(db)
            break
        except duckdb.IOException as e:
            waited = time.monotonic() - t0
            if not is_lock_error(e) or waited >= wait_s:
                raise
            if on_retry is not None:
                on_retry(waited, e)
            time.sleep(min(delay, max(wait_s - waited, 0.01)))
            delay = min(delay * 2, 1.0)
    con.execute("SET TimeZone = 'UTC'")
    return con


WRITE_ROW_GROUP_ROWS = 16_384


def _open_for_writing(db: str | Path) -> duckdb.DuckDBPyConnection:
    """The warehouse attached read-write with row groups of WRITE_ROW_GROUP_ROWS rows.

    A checkpoint (every load's close) rewrites each row group the load appended to, whole. With
    DuckDB's default of 122,880 rows, the articles table of a 20,000-article warehouse is a single
    row group, so every load re-read and re-compressed every stored body: +110-120 MB of memory
    at close on a 22,000-article warehouse, growing with it. Small row groups keep
    that to the load's own rows (ATTACH's ROW_GROUP_SIZE applies to the rows this session writes;
    readers need no option). Names resolve in the attached file (USE), as with a plain connect.
    """
    con = duckdb.connect(":memory:")
    try:
        path = str(db).replace("'", "''")
        alias = re.sub(r"\W", "_", Path(db).stem) or "warehouse"
        con.execute(f"ATTACH '{path}' AS \"{alias}\" (ROW_GROUP_SIZE {WRITE_ROW_GROUP_ROWS})")
        con.execute(f'USE "{alias}"')
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def session(db: str | Path, read_only: bool = False, wait_s: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection, closed on exit (so other processes can open the file in between)."""
    con = connect(db, read_only=read_only, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection, limit: str, threads: int | None = None) -> Iterator[None]:
    """Cap DuckDB's memory (and threads) for the statements inside; restore the settings after.

    Above the cap DuckDB spills to its temporary directory (`<db>.tmp`) instead of growing, which
    keeps work over the whole warehouse (the search index rebuild) from growing with it. Results
    inside need not keep insertion order (that lets DuckDB stream instead of buffer).
    """
    old_limit, old_threads, old_order = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('threads'), "
        "current_setting('preserve_insertion_order')").fetchone()
    con.execute(f"SET memory_limit = '{_size(limit)}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{_size(old_limit)}'")
        con.execute(f"SET threads = {int(old_threads)}")
        con.execute(f"SET preserve_insertion_order = {bool(old_order)}")


def _size(value: str) -> str:
    """A DuckDB memory size such as '64MB' or '1.5 GiB', checked (it is formatted into SET)."""
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[KMGT]?i?B\s*", value, re.IGNORECASE):
        raise ValueError(f"not a memory size: {value!r} (write e.g. 64MB or 1GiB)")
    return value.strip()


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply numbered migrations not yet recorded in schema_version, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = re.match(r"(\d+)_", path.name)
        if not m or int(m.group(1)) in done:
            continue
        version = int(m.group(1))
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                        [version, path.stem, dt.datetime.now(dt.UTC).replace(tzinfo=None)])
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
        applied.append(version)
    for path in sorted(MARTS.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    return applied


def known_sources(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source file -> hash of its bytes when last loaded, so unchanged files are skipped unread."""
    return dict(con.execute("SELECT source_uri, raw_hash FROM sources").fetchall())


def known_content(con: duckdb.DuckDBPyConnection, hashes: list[str],
                  exclude: Iterable[str] = ()) -> dict[str, tuple[str, str | None]]:
    """content_hash -> (first-loaded article_id, its story_id) for hashes already stored.

    `exclude`: articles the load replaces (an edited file's old version), never an original of its new one.
    """
    if not hashes:
        return {}
    rows = con.execute(
        "SELECT content_hash, arg_min(article_id, load_seq), arg_min(story_id, load_seq) FROM ("
        " SELECT a.*, l.started_at AS load_seq FROM articles a JOIN loads l USING (load_id)"
        " WHERE a.duplicate_of IS NULL AND content_hash IN (SELECT unnest(?))"
        " AND article_id NOT IN (SELECT unnest(?::VARCHAR[]))) GROUP BY content_hash",
        [hashes, list(exclude)],
    ).fetchall()
    return {h: (aid, sid) for h, aid, sid in rows}


def person_surnames(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Surname -> {name key of a full PERSON name in the warehouse: its mentions}."""
    out: dict[str, dict[str, int]] = {}
    for surname, key, n in con.execute((LOOKUPS / "person_surnames.sql").read_text(encoding="utf-8")).fetchall():
        out.setdefault(surname, {})[key] = n
    return out


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> Iterator[None]:
    """Polars frames visible to SQL under these names (through Arrow) for the statements inside."""
    for name, df in frames.items():
        con.register(name, df.to_arrow())
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def near_duplicate_candidates(con: duckdb.DuckDBPyConnection, prints: pl.DataFrame,
                              exclude: Iterable[str] = ()) -> pl.DataFrame:
    """Stored originals sharing a MinHash LSH band with one of `prints` (article_id, minhash),
    oldest load first, with their story_id: what near-duplicate detection compares the load with.

    `exclude`: articles the load replaces. An edited file's new version is nearly its old one, which
    the same transaction deletes: marking it a copy of that would leave it pointing at nothing.
    """
    from transforms.stories import lsh_params  # here: datasketch and scipy take 2 s to import

    bands, rows = lsh_params()
    if prints.height == 0:
        return pl.DataFrame(schema={"article_id": pl.String, "minhash": pl.List(pl.UInt64), "story_id": pl.String})
    with registered(con, {"load_prints": prints.select("article_id", "minhash")}):
        found = con.execute((LOOKUPS / "near_duplicate_candidates.sql").read_text(encoding="utf-8"),
                            [bands, rows]).pl()
    gone = list(exclude)
    return found.filter(~pl.col("article_id").is_in(gone)) if gone else found


def story_history(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """What same-story grouping keeps of every stored original: (articles, prints, events) frames
    for `pipeline.story_candidates`, oldest load first. Read once per run; bodies are not read."""
    prints = con.execute(
        "SELECT f.article_id, f.terms, f.term_weights, f.body_length, a.story_id, a.published_at, a.title "
        "FROM article_fingerprints f JOIN articles a USING (article_id) JOIN loads l ON l.load_id = a.load_id "
        "ORDER BY l.started_at, f.article_id").pl()
    events = con.execute(
        "SELECT article_id, event_type, actor_entity_id, recipient_entity_id, start_char FROM events "
        "WHERE actor_entity_id IS NOT NULL AND recipient_entity_id IS NOT NULL").pl()
    articles = prints.select("article_id", "story_id", "published_at", "title", "body_length")
    return articles, prints.select("article_id", "terms", "term_weights"), events


def existing_ids(con: duckdb.DuckDBPyConnection, table: str, key: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    q = f"SELECT {key} FROM {table} WHERE {key} IN (SELECT unnest(?))"
    return {r[0] for r in con.execute(q, [ids]).fetchall()}


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame, load_id: str,
                 versions: dict[str, str] | None = None) -> int:
    """Append a polars frame through Arrow (no row-by-row inserts); columns matched by name.

    `versions` (pipeline_version, rules_version, model_version) are stamped on every row.
    """
    if df.height == 0:
        return 0
    df = df.with_columns(pl.lit(load_id).alias("load_id"),
                         *(pl.lit(v, dtype=pl.String).alias(k) for k, v in (versions or {}).items()))
    cols = ", ".join(df.columns)
    with registered(con, {"_incoming": df}):
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    return df.height


# The rows of a file: its own source_uri, or PATH#ID / PATH#LINE for the lines of a JSONL file (a
# path may hold '#' itself, so the file is matched as a prefix, not split at the first '#').
_OF_FILES = ("(source_uri IN (SELECT unnest($files::VARCHAR[])) OR EXISTS "
             "(SELECT 1 FROM unnest($lines::VARCHAR[]) f(path) WHERE starts_with(source_uri, f.path || '#')))")


def _file_params(files: list[str]) -> dict[str, list[str]]:
    lines = [f for f in files if source_format(f)[0] == "jsonl"]
    return {"files": files, "lines": lines}


def source_article_ids(con: duckdb.DuckDBPyConnection, files: list[str]) -> set[str]:
    """Ids of the stored articles read from these files (a file's rows: see _OF_FILES)."""
    if not files:
        return set()
    return {r[0] for r in con.execute(f"SELECT article_id FROM articles WHERE {_OF_FILES}",
                                      _file_params(files)).fetchall()}


def delete_quarantine_of(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    """What these files left in quarantine before (they are being read again)."""
    if files:
        con.execute(f"DELETE FROM quarantine WHERE {_OF_FILES}", _file_params(files))


def fill_entity_countries(con: duckdb.DuckDBPyConnection, entities: pl.DataFrame) -> None:
    """Country codes a load's text gives entities stored without one (sql/maintenance/entity_countries.sql)."""
    if entities.height == 0:
        return
    with registered(con, {"load_entities": entities.select("entity_id", "country_code")}):
        con.execute((MAINTENANCE / "entity_countries.sql").read_text(encoding="utf-8"))


def delete_source_rows(con: duckdb.DuckDBPyConnection, source_uris: list[str], keep: set[str] = frozenset()) -> int:
    """Remove every row derived from these sources (a changed file replaces its rows).

    Articles in `keep` are still in the new version of the file (a JSONL file with one line
    changed, or a change outside the article text): they and their rows stay.
    """
    ids = [i for i in source_article_ids(con, source_uris) if i not in keep]
    if not ids:
        return 0
    for table in ("entity_mentions", "quotes", "events", "article_fingerprints", "articles"):
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
    return len(ids)


def run_script(con: duckdb.DuckDBPyConnection, path: Path, params: list) -> None:
    """Run a .sql file statement by statement (DuckDB prepares one statement at a time).

    Statements end with ';' at the end of a line; `$1`, `$2`... are bound from `params`.
    """
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("--"))
    for stmt in (s.strip() for s in re.split(r";\s*\n", text + "\n")):
        if not stmt:
            continue
        used = sorted({int(n) for n in re.findall(r"\$(\d+)", stmt)})
        con.execute(stmt, [params[i - 1] for i in range(1, max(used, default=0) + 1)] if used else None)


def commit(con: duckdb.DuckDBPyConnection) -> None:
    """COMMIT the open transaction (a test can make it fail as a full disk does: flows/faults.py)."""
    fail_point("commit", con)
    con.execute("COMMIT")


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK, also when there is nothing left to roll back.

    A COMMIT that fails (a full disk: "Could not write file ...wal: No space left on device") has
    already ended the transaction, and the ROLLBACK after it raises "no transaction is active".
    """
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def is_storage_error(exc: BaseException) -> bool:
    """An error of the disk or the file, not of the load's data: retrying the load's files alone cannot help."""
    if isinstance(exc, OSError | duckdb.IOException | duckdb.FatalException | duckdb.PermissionException):
        return True
    text = str(exc)
    return any(s in text for s in ("No space left", "Could not write", "Failed to commit", "Read-only file system",
                                   "database has been invalidated", "Permission denied"))


DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def warehouse_problem(db: str | Path, write: bool) -> str | None:
    """Why `db` cannot be used as the warehouse (one line with the fix), or None.

    Checked before anything is opened, so the command line can refuse with one line instead of a
    traceback: a folder or another kind of file given as --db, a folder that does not exist or
    cannot be written. `write`: the command creates or writes the warehouse.
    """
    path = Path(db)
    parent = path.resolve().parent
    if path.is_dir():
        return f"{path} is a folder, not a warehouse file; give --db a file, e.g. {path / 'warehouse.duckdb'}"
    if path.exists():
        try:
            with open(path, "rb") as fh:
                head = fh.read(12)
        except OSError as e:
            return f"cannot read {path}: {e.strerror}; check its permissions"
        if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
            what = "an empty file" if not head else "not a DuckDB database"
            return (f"{path} is {what}, not a newsetl warehouse; give --db the warehouse file"
                    + (", or a path that does not exist yet to create one" if write else ""))
        if write and not os.access(path, os.W_OK):
            return f"{path} is read-only; make it writable (chmod u+w) or give --db a copy you can write"
    elif not write:
        return f"no warehouse at {path} (give --db)"
    if write and not parent.is_dir():
        return (f"the folder {parent} does not exist; create it (mkdir -p {parent}) or give --db a path in an "
                "existing folder")
    if write and not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot write in {parent} (read-only or no permission); give --db a path in a folder you can write"
    return None


def describe_storage_error(exc: BaseException, where: str | Path | None = None) -> str:
    """One line for an error of the disk or the file: what failed, on which file, and what to do.

    `where` is the warehouse, named when the error itself names no file (GX writing its results).
    """
    text = " ".join(str(exc).split())
    filename = getattr(exc, "filename", None)
    if filename and str(filename) not in text:
        text = f"{text}: {filename}"
    place = f" holding {where}" if where is not None and not filename and "file" not in text.lower() else ""
    if "No space left" in text or getattr(exc, "errno", None) == errno.ENOSPC:
        return f"the disk{place} is full ({text}); free some space and run again: committed loads are kept"
    if "Read-only file system" in text or getattr(exc, "errno", None) == errno.EROFS:
        return f"the file system{place} is read-only ({text}); give --db a path on a writable disk"
    if "Permission denied" in text or isinstance(exc, PermissionError):
        return f"permission denied{' on ' + str(where) if place else ''} ({text}); check the permissions of " \
               "the warehouse, its folder and its state folder"
    return f"{type(exc).__name__}: {text}" + (f" ({where})" if where is not None else "")
