"""Export the contract tables as Hive-partitioned Parquet or CSV, one folder per table.

Analysts and other tools read the files without DuckDB's file lock. Partitions are by month
(`month=YYYY-MM`):

- articles by their own publication date; entity_mentions, quotes and events by the publication
  date of their article (so one month folder holds an article and everything read from it);
- loads by started_at, quarantine by quarantined_at, sources by loaded_at (they have no article);
- entities are not partitioned (one entity spans many articles and months): `entities/data_0.*`;
  nor is an empty table: one empty `data_0.*` keeps its columns, so readers find a file.

Rows with no date (unknown publication date, or no article) go to `month=unknown`. An export
replaces what an earlier export wrote for each table, so a rerun never duplicates rows. It writes
only into folders it owns: each table folder carries a marker (`.newsetl-export`) listing the files
the export wrote. A table folder without it, a folder holding a file it does not list (a user's
.parquet or .csv), or a symbolic link is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Literal

import duckdb

Format = Literal["parquet", "csv"]
EXPORT_TABLES = ["articles", "entities", "entity_mentions", "quotes", "events", "loads", "quarantine", "sources"]
_BY_ARTICLE = "{t} t LEFT JOIN articles a ON a.article_id = t.article_id"
# table -> (FROM clause, the timestamp that names its month; None: not partitioned)
PARTITIONS: dict[str, tuple[str, str | None]] = {
    "articles": ("articles t", "t.published_at"),
    "entities": ("entities t", None),
    "entity_mentions": (_BY_ARTICLE.format(t="entity_mentions"), "a.published_at"),
    "quotes": (_BY_ARTICLE.format(t="quotes"), "a.published_at"),
    "events": (_BY_ARTICLE.format(t="events"), "a.published_at"),
    "loads": ("loads t", "t.started_at"),
    "quarantine": ("quarantine t", "t.quarantined_at"),
    "sources": ("sources t", "t.loaded_at"),
}


class ExportError(Exception):
    """The export cannot go ahead (e.g. a table folder holds files an export did not write)."""


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


MARKER = ".newsetl-export"


def _marker(folder: Path) -> dict | None:
    """The export marker of a folder (a regular file, not a link), or None."""
    path = folder / MARKER
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("written_by") == "newsetl export" else None


def _write_marker(folder: Path, table: str, fmt: str, files: list[str], staging: bool) -> None:
    (folder / MARKER).write_text(json.dumps({
        "written_by": "newsetl export", "table": table, "format": fmt, "staging": staging,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "files": files,
    }, indent=1), encoding="utf-8")


def _foreign(folder: Path, table: str) -> str | None:
    """Why `folder` is not an earlier export of `table` (so it must not be replaced), or None."""
    if folder.is_symlink():
        return f"{folder} is a symbolic link; export writes only into folders it makes: remove the link"
    if not folder.is_dir():
        return f"{folder} exists and is not a folder written by `newsetl export`; move it"
    entries = list(folder.rglob("*"))
    if not entries:
        return None  # an empty folder: nothing to lose
    marker = _marker(folder)
    if marker is None or marker.get("table") != table:
        first = next((p.relative_to(folder).as_posix() for p in sorted(entries) if not p.is_dir()), None)
        return (f"{folder} exists and was not written by `newsetl export` (no {MARKER} marker"
                + (f"; it holds {first}" if first else "") + "): move its files or choose another folder")
    listed = set(marker.get("files") or [])
    for p in sorted(entries):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink() or (p.is_file() and rel != MARKER and rel not in listed):
            return f"{p} was not written by `newsetl export`; move it out of {folder} or choose another folder"
    return None


def _staging(out_dir: Path, table: str) -> Path:
    """A fresh staging folder for one table; a leftover of a killed export is removed, anything else refused."""
    staging = out_dir / f".{table}.partial"
    if staging.is_symlink() or staging.exists():
        if staging.is_symlink() or not staging.is_dir() or _marker(staging) is None:
            raise ExportError(f"{staging} exists and was not made by `newsetl export`; move it")
        shutil.rmtree(staging)  # what a killed export left
    staging.mkdir()
    return staging


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: Format = "parquet") -> dict[str, int]:
    """Write every contract table under out_dir/<table>/ with COPY (columnar, no row loop); rows per table.

    `con` may be read-only. Every table folder is checked first (see _foreign): a folder the export
    does not own stops it before anything is written. Each table is then written to a hidden
    staging folder, which takes the place of the previous export's folder, so a failed export
    leaves the old files whole and no staging folder behind.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"format must be parquet or csv, not {fmt!r}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder")
    targets = {t: out_dir / t for t in EXPORT_TABLES}
    for table, target in targets.items():
        if target.exists() or target.is_symlink():
            problem = _foreign(target, table)
            if problem:
                raise ExportError(problem)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = f"FORMAT {fmt}" + (", HEADER true" if fmt == "csv" else "")
    rows: dict[str, int] = {}
    for table, target in targets.items():
        source, date = PARTITIONS[table]
        staging = _staging(out_dir, table)
        single = f"TO {_quote(staging / f'data_0.{fmt}')} ({options})"
        if date is None:
            select = f"SELECT t.* FROM {source}"
        else:
            select = f"SELECT t.*, coalesce(strftime({date}, '%Y-%m'), 'unknown') AS month FROM {source}"
        try:
            _write_marker(staging, table, fmt, [], staging=True)
            if date is None:
                rows[table] = con.execute(f"COPY ({select}) {single}").fetchone()[0]
            else:
                rows[table] = con.execute(f"COPY ({select}) TO {_quote(staging)} "
                                          f"({options}, PARTITION_BY (month), OVERWRITE_OR_IGNORE)").fetchone()[0]
                if rows[table] == 0:  # no partition to write: one empty file keeps the columns for readers
                    con.execute(f"COPY ({select}) {single}")
            written = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*")
                             if p.is_file() and p.name != MARKER)
            _write_marker(staging, table, fmt, written, staging=False)
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return rows


def exported_files(out_dir: Path, table: str) -> list[Path]:
    """The data files an export wrote for one table."""
    folder = Path(out_dir) / table
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".parquet", ".csv"))
