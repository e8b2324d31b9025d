"""What a run reports and records, without Prefect: its summary, its run report, its loads row
when it found nothing new, and the search-index upkeep every run does.

`nothing_new` answers a run that finds nothing new (the usual nightly rerun) in about the time it
takes to hash the files: no Prefect server, no spaCy model, no Great Expectations start. The
command line asks it first and starts the flow only when there is work.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from flows import memory, notify
from flows import search as search_index
from flows.discovery import Discovered, discover
from flows.lock import lock_path
from flows.settings import PIPELINE_VERSION, RunSettings, state_dir
from flows.validate import ValidationReport
from flows.warehouse import known_sources, migrate, session
from transforms.ids import stable_hash
from transforms.lexicon import rules_version

EMPTY_MESSAGE = "0 new articles"


@dataclass
class LoadResult:
    load_id: str
    status: str
    counts: dict[str, int]
    quarantined: int
    expectations_evaluated: int
    expectations_failed: int
    failures: list[dict]
    seconds: float
    message: str = ""
    files: list[str] = field(default_factory=list)  # the entries the load carried
    files_loaded: list[str] = field(default_factory=list)  # of those, the files with an article in the warehouse
    retry: bool = False  # not committed for a reason its files might not share: retry them in smaller loads
    quarantine_reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class FileCounts:
    """Every entry under the sources, once: seen = loaded + unchanged + quarantined (+ not_committed)."""

    seen: int = 0
    loaded: int = 0  # at least one of its articles is in the warehouse (new, or kept from before)
    unchanged: int = 0  # the same bytes as when the warehouse read it: skipped unread
    quarantined: int = 0  # nothing of it loads: the quarantine table says why
    not_committed: int = 0  # carried by a load that was rejected or failed: retried on the next run


@dataclass
class RunSummary:
    loads: list[LoadResult]
    files_seen: int
    files_new: int
    seconds: float
    data_docs: str | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, summed over loads
    memory: list[dict] = field(default_factory=list)  # per load: resident MB at its stages, and the peak so far
    files: FileCounts = field(default_factory=FileCounts)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)  # entries quarantined by this run, by reason
    error: str | None = None  # the run could not start or finish its loads (one line, with the fix)
    report: str | None = None  # the run report's path

    @property
    def ok(self) -> bool:
        return self.error is None and all(ld.status == "committed" for ld in self.loads)

    def total(self, key: str) -> int:
        return sum(ld.counts.get(key, 0) for ld in self.loads if ld.status == "committed")


def own_files(settings: RunSettings) -> set[str]:
    """The pipeline's own files, never inputs, should a source hold them: the warehouse and its state."""
    db = Path(settings.db).resolve()
    return {str(p) for p in (db, Path(f"{db}.wal"), Path(f"{db}.tmp"), lock_path(db), settings.state_path,
                             state_dir())}


def _record_load(con, load_id, started, status, settings, model, files, counts, quarantined, report, message,
                 kind="load", inline=False):
    """The load's row in `loads`. `inline`: as SQL literals, no Python value bound (see _literal)."""
    values = [load_id, started, dt.datetime.now(dt.UTC).replace(tzinfo=None), status, [f.path for f in files],
              counts.get("articles", 0), counts.get("duplicates", 0), counts.get("entities", 0),
              counts.get("entity_mentions", 0), counts.get("quotes", 0), counts.get("events", 0), quarantined,
              report.evaluated, len(report.failures), report.as_json(), PIPELINE_VERSION, rules_version(),
              settings.model, model, message, kind]
    columns = ("INSERT OR REPLACE INTO loads (load_id, started_at, finished_at, status, sources, articles_new, "
               "articles_duplicate, entities_new, mentions_new, quotes_new, events_new, quarantined, "
               "expectations_evaluated, expectations_failed, validation_summary, pipeline_version, rules_version, "
               "model_name, model_version, message, kind) VALUES ")
    if inline:
        con.execute(columns + "(" + ", ".join(_literal(v) for v in values) + ")")
    else:
        con.execute(columns + "(" + ",".join("?" * len(values)) + ")", values)


def _literal(value) -> str:
    """A value of a loads row as a SQL literal. The empty run writes its row so: DuckDB imports pandas
    (1.2 s, a third of such a run) the first time it binds a Python value, and nothing else of that
    run needs it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]::VARCHAR[]"
    return "'" + str(value).replace("'", "''") + "'"


def refresh_search_index(settings: RunSettings, logger) -> None:
    """Rebuild the full-text index when it does not cover the warehouse, whoever left it so.

    Checked on every run, not only after new loads: a run killed during the rebuild left the old
    index (its transaction rolled back), and the next run, even one with nothing new, rebuilds it.
    """
    try:  # the full-text index does not follow inserts
        with session(settings.db, read_only=True) as con:
            fresh = search_index.index_status(con).fresh
            empty = con.execute("SELECT count(*) = 0 FROM articles").fetchone()[0]
        if fresh or empty:
            return
        with session(settings.db) as con:
            search_index.refresh_index(con, force=False)
    except Exception as e:  # noqa: BLE001 (search falls back to a live scan; the loads themselves are committed)
        logger.warning("search index not refreshed: %s", e)


def write_run_report(state: Path, settings: RunSettings, summary: RunSummary) -> Path:
    """A JSON report per run beside the Data Docs: counts, timings, expectation results.

    Written to a temporary name and renamed, so a reader never sees half a report.
    """
    out = state / "runs"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = out / f"run-{stamp}.json"
    tmp = out / f".run-{stamp}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({
        "db": settings.db, "seconds": round(summary.seconds, 2), "files_seen": summary.files_seen,
        "files_new": summary.files_new, "files": dataclasses.asdict(summary.files),
        "quarantine_reasons": summary.quarantine_reasons, "error": summary.error, "data_docs": summary.data_docs,
        "stage_seconds": {k: round(v, 3) for k, v in summary.timings.items()},
        "peak_rss_mb": memory.peak_mb(), "memory": summary.memory,
        "loads": [ld.__dict__ for ld in summary.loads],
    }, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


def record_empty_load(settings: RunSettings, model: str = "") -> LoadResult:
    """The loads row of a run that found nothing new: committed, no rows, "0 new articles"."""
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    load_id = stable_hash("load", started.isoformat(), "empty")
    with session(settings.db) as con:
        _record_load(con, load_id, started, "committed", settings, model, [], {}, 0, ValidationReport(),
                     EMPTY_MESSAGE, inline=True)
    return LoadResult(load_id, "committed", {}, 0, 0, 0, [], 0.0, EMPTY_MESSAGE)


def finish_run(settings: RunSettings, summary: RunSummary, logger) -> RunSummary:
    """The run report, then the notification of a run with a load not committed (when configured)."""
    try:
        summary.report = str(write_run_report(settings.state_path, settings, summary))
    except OSError as e:
        logger.warning("run report not written: %s", e)
    payload = notify.failed_run_message(settings.db, summary.loads, summary.report)
    if payload and os.environ.get(notify.NOTIFY_ENV):
        problem = notify.send(payload)
        if problem:
            logger.warning("could not notify %s: %s", os.environ[notify.NOTIFY_ENV], problem)
    return summary


def discover_new(sources: list[str], settings: RunSettings, reread: bool = False) -> Discovered:
    """The warehouse's known files (migrated first), then discovery: what the flow's first steps do."""
    with session(settings.db) as con:
        migrate(con)
        known = {} if reread else known_sources(con)
    return discover(sources, known, own_files(settings))


def nothing_new(sources: list[str], settings: RunSettings, reread: bool = False,
                logger: logging.Logger | None = None) -> RunSummary | None:
    """The whole run when discovery finds nothing new under the sources, else None (the flow has work).

    Does what the flow does for such a run: records the empty load, rebuilds the search index if it
    does not cover the warehouse, writes the run report. Needs neither Prefect nor spaCy. Any
    problem (the warehouse cannot be opened...) is also None: the flow then says it as it always has.
    """
    logger = logger or logging.getLogger("newsetl")
    t0 = time.perf_counter()
    settings = dataclasses.replace(settings, db=str(Path(settings.db).resolve()))  # as the flow is given it
    try:
        found = discover_new(sources, settings, reread)
    except Exception:  # noqa: BLE001 (the flow reports it, in one line)
        return None
    if found.todo:
        return None
    timings = {"discovery": time.perf_counter() - t0, "history": 0.0}
    try:
        loads = [record_empty_load(settings)]
    except Exception:  # noqa: BLE001 (the flow reports it)
        return None
    t = time.perf_counter()
    refresh_search_index(settings, logger)
    timings["search_index"] = time.perf_counter() - t
    trace = [{"stage": "search_index", "rss": memory.rss_mb(), "peak": memory.peak_mb()}]
    summary = RunSummary(loads, found.seen, 0, time.perf_counter() - t0, None, timings, trace,
                         FileCounts(seen=found.seen, unchanged=found.unchanged), {})
    return finish_run(settings, summary, logger)
