"""Export the contract tables as Hive-partitioned Parquet or CSV, one folder per table.

Analysts and other tools read the files without DuckDB's file lock. Partitions are by month
(`month=YYYY-MM`):

- articles by their own publication date; entity_mentions, quotes and events by the publication
  date of their article (so one month folder holds an article and everything read from it);
- loads by started_at, quarantine by quarantined_at, sources by loaded_at (they have no article);
- entities are not partitioned (one entity spans many articles and months): `entities/data_0.*`;
  nor is an empty table: one empty `data_0.*` keeps its columns, so readers find a file.

Rows with no date (unknown publication date, or no article) go to `month=unknown`. An export
replaces what an earlier export wrote for each table, so a rerun never duplicates rows; a table
folder holding anything else is left alone and the export refuses.
"""

from __future__ import annotations

import re
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


def _is_export(folder: Path) -> bool:
    """Only month=... folders and data files: what an earlier export wrote, safe to replace."""
    for p in folder.rglob("*"):
        if p.is_dir() and not re.fullmatch(r"month=[^/]+", p.name):
            return False
        if p.is_file() and p.suffix not in (".parquet", ".csv"):
            return False
    return True


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: Format = "parquet") -> dict[str, int]:
    """Write every contract table under out_dir/<table>/ with COPY (columnar, no row loop); rows per table.

    `con` may be read-only. Each table is written to a hidden staging folder first and then takes
    the place of the previous export's folder, so a failed export leaves the old files whole.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"format must be parquet or csv, not {fmt!r}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder")
    targets = {t: out_dir / t for t in EXPORT_TABLES}
    for target in targets.values():
        if target.exists() and not (target.is_dir() and _is_export(target)):
            raise ExportError(f"{target} exists and was not written by `newsetl export`; choose another folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    options = f"FORMAT {fmt}" + (", HEADER true" if fmt == "csv" else "")
    rows: dict[str, int] = {}
    for table, target in targets.items():
        source, date = PARTITIONS[table]
        staging = out_dir / f".{table}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        single = f"TO {_quote(staging / f'data_0.{fmt}')} ({options})"
        if date is None:
            select = f"SELECT t.* FROM {source}"
        else:
            select = f"SELECT t.*, coalesce(strftime({date}, '%Y-%m'), 'unknown') AS month FROM {source}"
        try:
            if date is None:
                staging.mkdir()
                rows[table] = con.execute(f"COPY ({select}) {single}").fetchone()[0]
            else:
                rows[table] = con.execute(f"COPY ({select}) TO {_quote(staging)} "
                                          f"({options}, PARTITION_BY (month), OVERWRITE_OR_IGNORE)").fetchone()[0]
                if rows[table] == 0:  # no partition to write: one empty file keeps the columns for readers
                    staging.mkdir(exist_ok=True)
                    con.execute(f"COPY ({select}) {single}")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    return rows


def exported_files(out_dir: Path, table: str) -> list[Path]:
    """The data files an export wrote for one table."""
    folder = Path(out_dir) / table
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".parquet", ".csv"))
