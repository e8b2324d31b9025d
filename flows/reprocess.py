"""Rerun the NLP on stored articles after a model or rules upgrade, replacing their rows.

Each chunk of articles is one `reprocess` load: its old entity mentions, quotes and events
(those of the chosen stages) are deleted and the new ones inserted in one transaction, then the
same checks and expectations as a nightly load decide COMMIT or ROLLBACK. Articles whose rows
already carry the current pipeline, rules and model versions are skipped, so an interrupted
reprocess resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import polars as pl
from prefect import flow, get_run_logger
from prefect.utilities.annotations import quote

from flows import progress
from flows import search as search_index
from flows.lock import RunLock
from flows.nightly import (
    LoadResult,
    _new_rows,
    _record_not_committed,
    annotate_articles,
    finish_load,
)
from flows.settings import PIPELINE_VERSION, RunSettings
from flows.validate import ValidationReport
from flows.warehouse import (
    describe_storage_error,
    fill_entity_countries,
    insert_frame,
    is_storage_error,
    migrate,
    person_surnames,
    rollback,
    session,
)
from transforms.ids import stable_hash
from transforms.lexicon import rules_version
from transforms.nlp import load_model, model_version
from transforms.pipeline import NLP_LANGUAGES

STAGES = {  # stage -> the tables whose rows it replaces
    "entities": ("entity_mentions",),
    "quotes": ("quotes",),
    "events": ("events",),
}


@dataclass
class ReprocessSummary:
    loads: list[LoadResult]
    articles_selected: int
    articles_skipped: int
    seconds: float

    @property
    def ok(self) -> bool:
        return all(ld.status == "committed" for ld in self.loads)


def select_articles(con, since: dt.date | None, versions: dict[str, str], force: bool) -> tuple[pl.DataFrame, int]:
    """Stored originals the English NLP reads; those already at the current versions are skipped."""
    rows = con.execute(
        "SELECT article_id, body, published_at, language, duplicate_of, pipeline_version, rules_version, "
        "model_version FROM articles WHERE duplicate_of IS NULL "
        "AND (language IS NULL OR language IN (SELECT unnest(?))) "
        "AND (?::DATE IS NULL OR published_at >= ?::DATE) ORDER BY load_id, article_id",
        [list(NLP_LANGUAGES), since, since]).pl()
    if force:
        return rows, 0
    current = ((pl.col("pipeline_version") == versions["pipeline_version"])
               & (pl.col("rules_version") == versions["rules_version"])
               & (pl.col("model_version") == versions["model_version"]))
    todo = rows.filter(~current.fill_null(False))
    return todo, rows.height - todo.height


def replace_rows(con, settings: RunSettings, articles: pl.DataFrame, frames: dict[str, pl.DataFrame],
                 stages: list[str], versions: dict[str, str]) -> LoadResult:
    """One transaction: delete the chunk's rows of the chosen stages, insert the new ones, validate, commit."""
    t0 = time.perf_counter()
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ids = articles["article_id"].to_list()
    load_id = stable_hash("reprocess", started.isoformat(), *ids)
    tables = [t for s in stages for t in STAGES[s]]
    report = ValidationReport()
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table in tables:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
        new = _new_rows(con, frames)
        write = {"entities": new["entities"], **{t: new[t] for t in tables}}
        for table, df in write.items():
            counts[table] = insert_frame(con, table, df, load_id, versions)
        fill_entity_countries(con, frames["entities"])
        if set(stages) == set(STAGES):  # the article's NLP rows are now all at these versions
            con.execute("UPDATE articles SET pipeline_version = $1, rules_version = $2, model_version = $3 "
                        "WHERE article_id IN (SELECT unnest($4))",
                        [versions["pipeline_version"], versions["rules_version"], versions["model_version"], ids])
        status, message = finish_load(con, settings, load_id, started, versions["model_version"], [], write,
                                      counts, 0, report, kind="reprocess", bodies=articles)
    except Exception as e:  # roll back; the stored rows stay as they were
        rollback(con)
        status = "failed"
        message = describe_storage_error(e, settings.db) if is_storage_error(e) else f"{type(e).__name__}: {e}"
    if status != "committed":
        message = _record_not_committed(con, load_id, started, status, settings, versions["model_version"], [],
                                        counts, 0, report, message, kind="reprocess")
    return LoadResult(load_id, status, counts, 0, report.evaluated, len(report.failures), report.failures,
                      time.perf_counter() - t0, message)


@flow(name="newsetl-reprocess", log_prints=False, validate_parameters=False)
def reprocess(
    db: str = "warehouse.duckdb",
    since: dt.date | None = None,
    stages: list[str] | None = None,
    chunk_size: int = 200,
    batch_size: int = 16,
    force: bool = False,
    state: str | None = None,
    n_process: int | None = None,
) -> ReprocessSummary:
    """Rerun the NLP on stored articles (published on or after SINCE) and replace their rows."""
    stages = stages or list(STAGES)
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; choose from {sorted(STAGES)}")
    settings = RunSettings(db=db, chunk_size=chunk_size, batch_size=batch_size)
    if n_process:  # None: the default of `newsetl run` (settings.default_processes)
        settings.n_process = n_process
    if state:
        settings.state = state
    logger = get_run_logger()
    t0 = time.perf_counter()
    versions = {"pipeline_version": PIPELINE_VERSION, "rules_version": rules_version(),
                "model_version": model_version(load_model(settings.model, selective=settings.selective_parse))}
    loads: list[LoadResult] = []
    with RunLock(settings.db) as lock:
        with session(settings.db) as con:
            migrate(con)
            todo, skipped = select_articles(con, since, versions, force)
        progress.report("nlp", 0, todo.height)
        for offset in range(0, todo.height, chunk_size):
            chunk = todo.slice(offset, chunk_size)
            with session(settings.db, read_only=True) as con:
                surnames = person_surnames(con)
            frames = annotate_articles(chunk, settings, {}, quote(surnames))
            with session(settings.db) as con:
                loads.append(replace_rows(con, settings, chunk, frames, stages, versions))
            lock.note_load(loads[-1].load_id)
            logger.info("reprocess load %s: %s", loads[-1].load_id, loads[-1].status)
        if any(ld.status == "committed" for ld in loads):
            try:  # quotes changed: the full-text index is rebuilt once at the end
                with session(settings.db) as con:
                    search_index.refresh_index(con, force=False)
            except Exception as e:  # search falls back to a live scan meanwhile
                logger.warning("search index not refreshed: %s", e)
    return ReprocessSummary(loads, todo.height + skipped, skipped, time.perf_counter() - t0)
