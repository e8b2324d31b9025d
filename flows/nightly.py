"""The nightly flow: discover new inputs, read, parse, NLP in batches, then one transaction per load.

Orchestration only. What the data becomes is decided in `transforms/`; here are batching,
retries, logging and the commit-or-rollback of each load.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import os
import socket
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import memory, progress
from flows.discovery import Discovered, SourceFile, discover
from flows.faults import crash_point
from flows.lock import RunLock
from flows.parse_pool import ParsePool
from flows.runs import (  # noqa: F401 (LoadResult, RunSummary, FileCounts, write_run_report: importable from here)
    FileCounts,
    LoadResult,
    RunSummary,
    _record_load,
    finish_run,
    own_files,
    record_empty_load,
    refresh_search_index,
    write_run_report,
)
from flows.settings import PIPELINE_VERSION, RunSettings, processes_for
from flows.validate import (
    ValidationReport,
    build_data_docs,
    prepare,
    settle_expectations,
    start_validating_frames,
    validate_relations,
)
from flows.warehouse import (
    LOAD_TABLES,
    MAINTENANCE,
    commit,
    delete_quarantine_of,
    delete_source_rows,
    describe_storage_error,
    existing_ids,
    fill_entity_countries,
    insert_frame,
    is_storage_error,
    known_content,
    known_sources,
    migrate,
    near_duplicate_candidates,
    person_surnames,
    rollback,
    run_script,
    session,
    source_article_ids,
    story_history,
)
from transforms import pipeline, screening
from transforms.ids import stable_hash
from transforms.ingest import RawRecord, Rejected, read_source, source_format
from transforms.lexicon import rules_version
from transforms.nlp import load_model, model_version, parse_texts
from transforms.pipeline import tick
from transforms.stories import StoryIndex
from transforms.tables import empty_tables


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def find_sources(sources: list[str], known: dict[str, str], skip: set[str]) -> Discovered:
    """Every entry under the sources: new or changed files (by the hash of their bytes) and problem
    entries; unchanged files are counted and skipped unread."""
    return discover(sources, known, skip)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_files(files: list[SourceFile], max_bytes: int) -> list[SourceFile]:
    """Bytes -> raw records or quarantine entries (file I/O: retried)."""
    for f in files:
        if f.problem is not None:  # found by discovery: nothing to read
            f.records, f.rejected = [], [f.problem]
            continue
        kind, gz = source_format(f.path)
        if kind != "jsonl" and not gz and f.size > max_bytes:  # do not read what will be refused anyway
            f.records, f.rejected = [], [Rejected(
                f.path, "too_large", f"{f.size:,} bytes is over the cap of {max_bytes:,}; "
                "raise --max-bytes to load it", None)]
            continue
        try:
            with open(f.path, "rb") as fh:
                data = fh.read()
        except OSError as e:  # gone or locked since it was hashed: quarantined, and not marked as read
            f.raw_hash = None
            f.records, f.rejected = [], [Rejected(f.path, "unreadable", f"cannot read it: {e.strerror}; "
                                                  "check its permissions", None)]
            continue
        f.records, f.rejected = read_source(f.path, data, max_bytes)
    return files


def expected_articles(f: SourceFile) -> int:
    """Articles a file should hold, without parsing it: one per file, one per line of a JSONL file."""
    if f.problem is not None:
        return 0
    kind, gz = source_format(f.path)
    if kind != "jsonl":
        return 1
    try:
        with (gzip.open if gz else open)(f.path, "rb") as fh:
            return max(1, sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")))
    except (OSError, EOFError):
        return 1  # unreadable: read_files quarantines it


def chunk_files(files: list[SourceFile], chunk_size: int) -> list[list[SourceFile]]:
    """Loads of about chunk_size articles; a file's articles always travel in one load."""
    chunks: list[list[SourceFile]] = []
    current: list[SourceFile] = []
    n = 0
    for f in files:
        current.append(f)
        n += f.expected
        if n >= chunk_size:
            chunks.append(current)
            current, n = [], 0
    if current:
        chunks.append(current)
    return chunks


@dataclass
class History:
    """What earlier loads left for same-story grouping, read once per run and kept current.

    Near-duplicate detection keeps nothing here: the warehouse answers for each load's MinHash
    bands (`near_duplicate_candidates`), so the run's memory does not grow with the stored articles.
    """

    candidates: StoryIndex  # story candidates of every stored original, indexed by term

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> History:
        articles, prints, events = story_history(con)
        return cls(StoryIndex(pipeline.story_candidates(articles, prints, events) if prints.height else []))

    def add(self, articles: pl.DataFrame, new_candidates: list) -> None:
        story = dict(articles.select("article_id", "story_id").iter_rows())
        for c in new_candidates:
            self.candidates.add(dataclasses.replace(c, story_id=story.get(c.article_id, c.story_id)))


@dataclass
class PreparedLoad:
    """A load's articles before the NLP: new rows with duplicate marks, fingerprints, quarantine entries."""

    articles: pl.DataFrame  # new articles (those the warehouse does not hold), duplicates marked
    prints: pl.DataFrame  # fingerprints of the new originals
    rejected: list[Rejected]  # input that goes to quarantine, with its reason
    keep_ids: set[str]  # every article the files hold now: a changed file's other rows are replaced
    stored_uris: set[str]  # source_uris of the files' articles the warehouse already holds
    records: dict[str, RawRecord]  # by source_uri: what a quarantine entry keeps to retry an article
    file_of: dict[str, str]  # source_uri of an article -> the file it came from

    def screen_annotations(self, frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        """Move the articles whose NLP rows point outside their body (and their rows) to quarantine."""
        self.articles, frames, bad = screening.screen_annotations(self.articles, frames, self.records)
        if bad:
            self.rejected.extend(bad)
            self.prints = self.prints.filter(pl.col("article_id").is_in(self.articles["article_id"].to_list()))
        return frames

    def files_loaded(self) -> list[str]:
        """The files with at least one article in the warehouse once this load commits."""
        uris = set(self.articles["source_uri"].to_list()) | self.stored_uris
        return sorted({self.file_of[u] for u in uris if u in self.file_of})


@dataclass
class BuiltLoad:
    """A load's files as screened article rows, before any look at the warehouse."""

    articles: pl.DataFrame  # no duplicate marks yet
    rejected: list[Rejected]  # the files' own problems and the articles the screen refused
    records: dict[str, RawRecord]  # by source_uri
    file_of: dict[str, str]  # source_uri -> the file it came from


def build_load(files: list[SourceFile], timings: dict[str, float]) -> BuiltLoad:
    """The articles of files already read (read_files), screened; problems go with them to quarantine."""
    t0 = time.perf_counter()
    records = {r.source_uri: r for f in files for r in f.records}
    file_of = {r.source_uri: f.path for f in files for r in f.records}
    rejected = [r for f in files for r in f.rejected]
    articles, unparsed = pipeline.build_articles(list(records.values()))
    rejected.extend(unparsed)
    articles, screened = screening.screen_articles(articles, records,
                                                   screening.latest_publication(dt.datetime.now(dt.UTC).date()))
    rejected.extend(screened)
    timings["parse"] = timings.get("parse", 0.0) + time.perf_counter() - t0
    return BuiltLoad(articles, rejected, records, file_of)


@task(cache_policy=NO_CACHE)
def prepare_articles(con: duckdb.DuckDBPyConnection, files: list[SourceFile],
                     timings: dict[str, float], built: BuiltLoad | None = None) -> PreparedLoad:
    """New article rows with duplicate marks and fingerprints; per-article problems go to quarantine.

    `built`: the files' articles made already (the run's look-ahead built them during the load before).
    """
    built = built or build_load(files, timings)
    articles, rejected, records, file_of = built.articles, built.rejected, built.records, built.file_of
    t1 = time.perf_counter()
    all_ids = set(articles["article_id"].to_list())
    present = existing_ids(con, "articles", "article_id", list(all_ids))
    stored_uris = set(articles.filter(pl.col("article_id").is_in(list(present)))["source_uri"].to_list())
    articles = articles.filter(~pl.col("article_id").is_in(list(present)))
    # an edited file's old articles leave in this load: they are no original of its new ones
    leaving = source_article_ids(con, [f.path for f in files if f.changed]) - all_ids
    known = known_content(con, articles["content_hash"].unique().to_list(), exclude=leaving)
    articles = pipeline.mark_duplicates(articles, known)
    prints = pipeline.fingerprints(articles)
    earlier = near_duplicate_candidates(con, prints, exclude=leaving)
    articles = pipeline.mark_near_duplicates(articles, prints, earlier,
                                             dict(earlier.select("article_id", "story_id").iter_rows()))
    originals = articles.filter(pl.col("duplicate_of").is_null())["article_id"]
    timings["dedup"] = timings.get("dedup", 0.0) + time.perf_counter() - t1
    return PreparedLoad(articles, prints.filter(pl.col("article_id").is_in(originals.to_list())), rejected,
                        all_ids, stored_uris, records, file_of)


@task(cache_policy=NO_CACHE)
def annotate_articles(articles: pl.DataFrame, settings: RunSettings, timings: dict[str, float],
                      known_surnames: dict[str, dict[str, int]] | None = None,
                      ahead: Lookahead | None = None) -> dict[str, pl.DataFrame]:
    """spaCy over the articles that need it, in nlp.pipe batches; returns the NLP table frames.

    `known_surnames` come from `person_surnames` on the warehouse as it is before this load.
    `ahead`: the run's parse pool gives the documents (Lookahead.claim); otherwise spaCy runs here.
    """
    todo = pipeline.needs_nlp(articles)
    progress.report("nlp", 0, todo.height)
    if todo.height == 0:
        return {k: v for k, v in empty_tables().items() if k not in ("articles", "quarantine")}
    nlp = load_model(settings.model, selective=settings.selective_parse)
    docs = None
    if ahead is not None:
        docs = ahead.claim(todo)
        n_process = ahead.n_process
    else:
        n_process = processes_for(todo.height, settings.n_process, settings.batch_size)
        if n_process > 1:
            settle_expectations()  # no suite is still being built on its thread when spaCy forks its workers
    timings["spacy_processes"] = max(timings.get("spacy_processes", 0), n_process)  # a count, in the report
    started_gx: list[bool] = []

    def parsed(n: int) -> None:
        if not started_gx:  # the workers are forked: this process waits on them, GX can start up now
            prepare(settings.state_path)
            started_gx.append(True)
        progress.report("nlp", n)
        crash_point("nlp_batch")  # a test stops here while spaCy's worker processes run

    return pipeline.annotate(articles, nlp, batch_size=settings.batch_size, n_process=n_process,
                             on_progress=parsed, timings=timings, docs=docs,
                             known_surnames=known_surnames)


class Lookahead:
    """The run's parse pool (flows.parse_pool), fed one load ahead: before a load's rules run, the next
    load's files are read and built and its likely originals sent to the workers.

    Likely, because that load's duplicates are marked only once this one is committed: an article
    whose text is stored already or appears in this load is not sent; one sent that turns out a
    (near) duplicate is discarded; one not sent that turns out an original is sent when its load
    claims it. So the documents, and the tables, are those a parse of each load alone would make.
    """

    def __init__(self, settings: RunSettings, n_process: int) -> None:
        self.settings = settings
        self.n_process = n_process
        self.pool: ParsePool | None = None
        self.tickets: dict[str, tuple[tuple[int, int], str]] = {}  # article_id -> ((batch, position), body)
        self.built: dict[int, tuple[list[SourceFile], BuiltLoad]] = {}  # id(chunk) -> (chunk, its articles)

    def _pool(self) -> ParsePool:
        if self.pool is None:
            settle_expectations()  # no suite is still being built on its thread when the workers fork
            self.pool = ParsePool(self.settings.model, self.settings.selective_parse, self.n_process,
                                  self.settings.batch_size)
            prepare(self.settings.state_path)  # GX starts up while this process waits on the workers
        return self.pool

    def send(self, todo: pl.DataFrame) -> None:
        """Send the articles (article_id, body) that no ticket holds yet to the workers."""
        new = todo.filter(~pl.col("article_id").is_in(list(self.tickets)))
        if new.height == 0:
            return
        bodies = new["body"].to_list()
        for aid, place, body in zip(new["article_id"].to_list(), self._pool().submit(bodies), bodies, strict=True):
            self.tickets[aid] = (place, body)

    def claim(self, todo: pl.DataFrame) -> Iterator:
        """The documents of the load's articles in order (lazy: made inside the load's memory zone)."""
        self.send(todo)
        held = [self.tickets.pop(aid) for aid in todo["article_id"].to_list()]
        return self._pool().docs([p for p, _ in held], [b for _, b in held],
                                 load_model(self.settings.model, selective=self.settings.selective_parse).vocab)

    def read_ahead(self, chunk: list[SourceFile], current: pl.DataFrame, timings: dict[str, float],
                   logger) -> None:
        """Read and build the next load's files and send its likely originals (see the class).

        A problem here is not this load's: it is logged, and the next load reads its files itself."""
        if id(chunk) in self.built:
            return
        try:
            files = read_files(quote(chunk), self.settings.max_bytes)
            built = build_load(files, timings)
            t = time.perf_counter()
            articles = built.articles
            with session(self.settings.db, read_only=True) as con:
                stored = existing_ids(con, "articles", "article_id", articles["article_id"].to_list())
                known = known_content(con, articles["content_hash"].unique().to_list())
        except Exception as e:  # noqa: BLE001
            logger.warning("reading the next load ahead failed (%s: %s); it is read when its turn comes",
                           type(e).__name__, e)
            return
        self.built[id(chunk)] = (files, built)
        articles = pipeline.mark_duplicates(articles.filter(~pl.col("article_id").is_in(list(stored))), known)
        articles = articles.filter(~pl.col("content_hash").is_in(current["content_hash"].to_list()))
        timings["lookahead"] = timings.get("lookahead", 0.0) + time.perf_counter() - t
        self.send(pipeline.needs_nlp(articles).select("article_id", "body"))

    def take(self, chunk: list[SourceFile]) -> tuple[list[SourceFile], BuiltLoad] | None:
        """The chunk's files, read, and their articles, if the look-ahead built them."""
        return self.built.pop(id(chunk), None)

    def release(self, articles: pl.DataFrame) -> None:
        """Let go of documents sent for these articles that their load did not claim (duplicates)."""
        gone = [self.tickets.pop(aid)[0] for aid in articles["article_id"].to_list() if aid in self.tickets]
        if gone and self.pool is not None:
            self.pool.discard(gone)

    def reset(self) -> None:
        """After a failed load: stop the workers and forget what they held (the next load starts them again)."""
        self.close(kill=True)
        self.tickets.clear()

    def close(self, kill: bool = False) -> None:
        if self.pool is not None:
            self.pool.close(kill)
            self.pool = None


@task(cache_policy=NO_CACHE, retries=1)
def parse_documents(article_ids: list[str], texts: list[str], model: str, batch_size: int,
                    selective: bool = False) -> pa.RecordBatch:
    """spaCy on a Dask worker: one model load per worker process, docs back as an Arrow batch.

    Each row is an article id and its Doc serialised by spaCy (tokens, tags, parse, entities), so
    the flow can run the rules and write the warehouse alone, with exactly the docs it would make.
    """
    nlp = load_model(model, selective=selective)
    blobs = [doc.to_bytes(exclude=["tensor", "user_data"]) for doc in parse_texts(nlp, texts, batch_size=batch_size)]
    schema = pa.schema([("article_id", pa.string()), ("doc", pa.binary())],
                       metadata={"worker": f"{socket.gethostname()}:{os.getpid()}"})
    return pa.RecordBatch.from_pydict({"article_id": article_ids, "doc": blobs}, schema=schema)


def annotate_distributed(articles: pl.DataFrame, settings: RunSettings, timings: dict[str, float],
                         known_surnames: dict[str, dict[str, int]] | None = None) -> dict[str, pl.DataFrame]:
    """The NLP of one load on the flow's task runner (Dask): slices parsed in parallel, rules here."""
    from spacy.tokens import Doc

    todo = pipeline.needs_nlp(articles)
    progress.report("nlp", 0, todo.height)
    if todo.height == 0:
        return {k: v for k, v in empty_tables().items() if k not in ("articles", "quarantine")}
    t = time.perf_counter()
    step = settings.dask_slice
    # no quote() here: on the Dask runner a quoted argument reaches the worker still wrapped
    futures = [parse_documents.submit(todo["article_id"][i:i + step].to_list(),
                                      todo["body"][i:i + step].to_list(), settings.model, settings.batch_size,
                                      settings.selective_parse)
               for i in range(0, todo.height, step)]
    nlp = load_model(settings.model, selective=settings.selective_parse)
    docs, workers = [], set()
    for future in futures:  # in submission order: the same order as a local nlp.pipe
        batch = future.result()
        workers.add(batch.schema.metadata[b"worker"].decode())
        docs.extend(Doc(nlp.vocab).from_bytes(b) for b in batch.column("doc").to_pylist())
        progress.report("nlp", batch.num_rows)
    timings["spacy_remote"] = timings.get("spacy_remote", 0.0) + time.perf_counter() - t
    timings["dask_workers_seen"] = max(timings.get("dask_workers_seen", 0), len(workers))  # a count, in the report
    return pipeline.annotate(articles, nlp, timings=timings, docs=docs, known_surnames=known_surnames)


def _new_rows(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Drop rows whose keys the warehouse already holds (a rerun or an entity seen before).

    Rows keep the order they were extracted in (article, then position), so a rerun of the same
    input writes the same table in the same order.
    """
    out = dict(frames)
    ents = frames["entities"].unique("entity_id", keep="first", maintain_order=True)
    have = existing_ids(con, "entities", "entity_id", ents["entity_id"].to_list())
    out["entities"] = ents.filter(~pl.col("entity_id").is_in(list(have)))
    for table, key in (("quotes", "quote_id"), ("events", "event_id")):
        df = frames[table].unique(key, keep="first", maintain_order=True)
        have = existing_ids(con, table, key, df[key].to_list())
        out[table] = df.filter(~pl.col(key).is_in(list(have)))
    out["entity_mentions"] = frames["entity_mentions"].unique(["article_id", "start_char"], keep="first",
                                                              maintain_order=True)
    return out


@task(cache_policy=NO_CACHE)
def commit_load(
    con: duckdb.DuckDBPyConnection,
    settings: RunSettings,
    model: str,
    files: list[SourceFile],
    prepared: PreparedLoad,
    nlp_frames: dict[str, pl.DataFrame],
    started: dt.datetime,
    timings: dict[str, float] | None = None,
) -> LoadResult:
    """Write one load in one transaction, validate it, then commit, or roll back and say why."""
    t0 = started_at = time.perf_counter()
    clock = timings if timings is not None else {}
    load_id = load_id_for(started, files)
    articles, rejected = prepared.articles, prepared.rejected
    frames = {"articles": articles, **_new_rows(con, nlp_frames)}
    t0 = tick(clock, "commit_new_rows", t0)
    quarantine = pipeline.quarantine_frame(rejected)
    counts = {t: frames[t].height for t in LOAD_TABLES}
    counts["duplicates"] = articles.filter(pl.col("duplicate_of").is_not_null()).height
    report = ValidationReport()
    status, message, retry = "committed", "", False
    expectations = start_validating_frames(frames, settings.state_path, load_id)
    con.execute("BEGIN TRANSACTION")
    try:
        delete_source_rows(con, [f.path for f in files if f.changed], keep=prepared.keep_ids)
        versions = {"pipeline_version": PIPELINE_VERSION, "rules_version": rules_version(), "model_version": model}
        for table in LOAD_TABLES:
            insert_frame(con, table, frames[table], load_id, versions)
        fill_entity_countries(con, nlp_frames["entities"])
        insert_frame(con, "article_fingerprints", prepared.prints, load_id)
        crash_point("insert")
        # what these files left in quarantine before is replaced by what they leave now
        delete_quarantine_of(con, [f.path for f in files])
        if quarantine.height:
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            insert_frame(con, "quarantine", quarantine.with_columns(pl.lit(now).alias("quarantined_at")), load_id)
        src = frame_sources(files, load_id)
        con.execute("DELETE FROM sources WHERE source_uri IN (SELECT unnest(?::VARCHAR[]))",
                    [src["source_uri"].to_list()])
        insert_frame(con, "sources", src.drop("load_id"), load_id)
        tick(clock, "commit_write", t0)
        status, message = finish_load(con, settings, load_id, started, model, files, frames, counts,
                                      len(rejected), report, timings=clock,
                                      appended_only=not any(f.changed for f in files), expectations=expectations)
        retry = status == "rejected"
    except Exception as e:  # anything else: roll back and record the failure, the next load goes on
        rollback(con)
        expectations.cancel()
        status, retry = "failed", not is_storage_error(e)
        message = describe_storage_error(e, settings.db) if not retry else f"{type(e).__name__}: {e}"
    if status != "committed":
        message = _record_not_committed(con, load_id, started, status, settings, model, files, counts,
                                        len(rejected), report, message)
    reasons: dict[str, int] = {}
    for r in rejected:
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    return LoadResult(load_id, status, counts, len(rejected), report.evaluated, len(report.failures),
                      report.failures, time.perf_counter() - started_at, message, files=[f.path for f in files],
                      files_loaded=prepared.files_loaded() if status == "committed" else [], retry=retry,
                      quarantine_reasons=reasons)


def _record_not_committed(con, load_id, started, status, settings, model, files, counts, quarantined, report,
                          message, kind="load") -> str:
    """The loads row of a rejected or failed load; when even that cannot be written (a full disk), the
    message says so and the run goes on (the run report and the summary still name the load)."""
    try:
        _record_load(con, load_id, started, status, settings, model, files, counts, quarantined, report, message,
                     kind)
    except Exception as e:  # noqa: BLE001 (whatever the disk says, the next load is still tried)
        rollback(con)
        return f"{message} (not recorded in loads: {describe_storage_error(e, settings.db)})"
    return message


def finish_load(con: duckdb.DuckDBPyConnection, settings: RunSettings, load_id: str, started: dt.datetime,
                model: str, files: list[SourceFile], frames: dict[str, pl.DataFrame], counts: dict[str, int],
                quarantined: int, report: ValidationReport, kind: str = "load",
                timings: dict[str, float] | None = None, appended_only: bool = False,
                expectations: Future[ValidationReport] | None = None,
                bodies: pl.DataFrame | None = None) -> tuple[str, str]:
    """Entity upkeep, SQL checks and expectations inside the open transaction; then COMMIT or ROLLBACK.

    `appended_only`: the load deleted nothing, so entity statistics can be updated from its own rows
    (entity_stats_append.sql) instead of recounted from every mention of the entities it touched.
    `expectations`: the GX suites already running on `frames` (start_validating_frames); else they
    start here, and run while DuckDB does the upkeep and the SQL checks.
    `bodies`: article_id and body of the articles the load ran the NLP on (default: frames["articles"]).
    """
    clock = timings if timings is not None else {}
    if expectations is None:
        expectations = start_validating_frames(frames, settings.state_path, load_id)
    t = time.perf_counter()
    run_script(con, MAINTENANCE / "resolve_entities.sql", [load_id, started])
    stats = "entity_stats_append.sql" if appended_only else "entity_stats_full.sql"
    run_script(con, MAINTENANCE / stats, [load_id, started])
    run_script(con, MAINTENANCE / "cluster_events.sql", [load_id])
    t = tick(clock, "commit_upkeep", t)
    validate_relations(con, load_id, report, frames["articles"] if bodies is None else bodies)
    t = tick(clock, "commit_sql_checks", t)
    frames_report = expectations.result()
    t = tick(clock, "commit_expectations_wait", t)  # what the suites took beyond the DuckDB work
    clock["expectations"] = clock.get("expectations", 0.0) + frames_report.seconds  # their own time
    report.evaluated += frames_report.evaluated
    report.failures.extend(frames_report.failures)
    report.per_suite.update(frames_report.per_suite)
    if not report.success:
        rollback(con)
        return "rejected", "; ".join(f"{f['suite']}: {f['expectation']}" for f in report.failures[:5])
    _record_load(con, load_id, started, "committed", settings, model, files, counts, quarantined, report, "", kind)
    crash_point("validate")
    commit(con)
    tick(clock, "commit_commit", t)
    crash_point("committed")
    return "committed", ""



def load_id_for(started: dt.datetime, files: list[SourceFile]) -> str:
    """A load is its start time and the files (and their versions) it carries."""
    return stable_hash("load", started.isoformat(), *sorted(f.path + (f.raw_hash or "") for f in files))


def record_failed_load(settings: RunSettings, files: list[SourceFile], started: dt.datetime, message: str,
                       retry: bool) -> LoadResult:
    """A load that failed before its transaction (reading, NLP): its loads row, written if the disk lets us."""
    load_id = load_id_for(started, files)
    try:
        with session(settings.db) as con:
            message = _record_not_committed(con, load_id, started, "failed", settings, "", files, {}, 0,
                                            ValidationReport(), message)
    except Exception as e:  # noqa: BLE001 (the warehouse cannot be opened: the summary still says it)
        message = f"{message} (not recorded in loads: {describe_storage_error(e, settings.db)})"
    return LoadResult(load_id, "failed", {}, 0, 0, 0, [], 0.0, message, files=[f.path for f in files], retry=retry)


def frame_sources(files: list[SourceFile], load_id: str) -> pl.DataFrame:
    """The files a load read, by the hash of their bytes (entries that could not be read are not recorded,
    so the next run looks at them again)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    files = [f for f in files if f.raw_hash is not None]
    return pl.DataFrame({
        "source_uri": [f.path for f in files], "raw_hash": [f.raw_hash for f in files],
        "size_bytes": [f.size for f in files], "load_id": [load_id] * len(files),
        "loaded_at": [now] * len(files),
    }, schema={"source_uri": pl.String, "raw_hash": pl.String, "size_bytes": pl.Int64, "load_id": pl.String,
               "loaded_at": pl.Datetime("us")})


@flow(name="newsetl-nightly", log_prints=False, validate_parameters=False)
def nightly(
    sources: list[str],
    db: str = "warehouse.duckdb",
    chunk_size: int = 200,
    batch_size: int = 16,
    n_process: int | None = None,
    selective_parse: bool = False,
    max_bytes: int | None = None,
    model: str | None = None,
    state: str | None = None,
    reread: bool = False,
    dask_address: str | None = None,
) -> RunSummary:
    """Load every new article under SOURCES into the warehouse, one validated load per chunk.

    With `dask_address` set, call it through `with_dask(nightly, address)`: spaCy runs on the Dask
    cluster's workers and this process alone writes the warehouse.
    """
    settings = RunSettings(db=db, chunk_size=chunk_size, batch_size=batch_size, selective_parse=selective_parse,
                           dask_address=dask_address)
    if n_process:  # None: every usable core, within the memory guard (settings.default_processes)
        settings.n_process = n_process
    if max_bytes:
        settings.max_bytes = max_bytes
    if model:
        settings.model = model
    if state:
        settings.state = state
    logger = get_run_logger()
    t0 = time.perf_counter()
    with RunLock(settings.db) as lock:
        return _run(sources, settings, reread, lock, logger, t0)


def with_dask(flow_fn, address: str | None):
    """The flow on a DaskTaskRunner: an existing cluster at `address` (tcp://HOST:PORT), or, with
    "local", a temporary LocalCluster of 2 single-threaded worker processes on this machine."""
    from prefect_dask import DaskTaskRunner

    if address in (None, "", "local"):
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                                "dashboard_address": None})
    else:
        runner = DaskTaskRunner(address=address)
    return flow_fn.with_options(task_runner=runner)


def _run(sources: list[str], settings: RunSettings, reread: bool, lock: RunLock, logger, t0: float) -> RunSummary:
    # The warehouse is opened in short sessions (read what the load needs; write the load), never
    # during the NLP, so the dashboard and `newsetl search` can read it while a run works.
    try:
        with session(settings.db) as con:
            migrate(con)
            known = {} if reread else known_sources(con)
    except Exception as e:  # noqa: BLE001 (a disk or file problem: one line for the operator, not a traceback)
        logger.error("cannot open %s: %s", settings.db, e)
        return RunSummary([], 0, 0, time.perf_counter() - t0, error=f"{settings.db}: {describe_storage_error(e)}")
    # quote(): Prefect would otherwise walk every element of a big argument on each task call
    # (0.3 s for a dict of 20,000 sources), a cost that grows with the warehouse
    found = find_sources(sources, quote(known), quote(own_files(settings)))
    files = found.todo
    if settings.n_process == 1 and any(f.problem is None for f in files):
        # GX's import and the suites on the suites' thread while the files are read and their
        # articles prepared (a no-op when the CLI began it while Prefect's server started); beside
        # a spaCy pass in this process it would slow spaCy more than it saves (benchmarks/README.md).
        # With several processes it starts once spaCy's workers are forked (annotate_articles).
        prepare(settings.state_path)
    for f in files:
        f.expected = expected_articles(f)
    model = ""
    loads: list[LoadResult] = []
    progress.report("nlp", 0, sum(f.expected for f in files))
    timings: dict[str, float] = {}
    trace: list[dict] = []
    t = time.perf_counter()
    history = History(StoryIndex([]))
    if any(f.problem is None for f in files):
        with session(settings.db, read_only=True) as con:
            history = History.read(con)
    timings["history"] = time.perf_counter() - t
    outcome: dict[str, str] = {}  # entry -> loaded | quarantined | not_committed (its latest load says)
    pending = deque(chunk_files(files, settings.chunk_size))
    ahead = _lookahead(settings, sum(f.expected for f in files))
    try:
        _load_all(pending, settings, history, timings, trace, lock, logger, ahead, loads, outcome)
    except BaseException:  # Ctrl-C, a crash point: the workers' queue is not wanted
        if ahead is not None:
            ahead.close(kill=True)
        raise
    if ahead is not None:
        ahead.close()
    if not files:
        loads.append(record_empty_load(settings, model))
    t = time.perf_counter()
    refresh_search_index(settings, logger)
    timings["search_index"] = time.perf_counter() - t
    trace.append({"stage": "search_index", "rss": memory.rss_mb(), "peak": memory.peak_mb()})
    docs = None
    if any(ld.expectations_evaluated for ld in loads):
        try:
            docs = str(build_data_docs(settings.state_path))
        except Exception as e:  # noqa: BLE001 (the loads are committed; the docs are a report of them)
            logger.warning("Data Docs not built: %s", e)
        trace.append({"stage": "data_docs", "rss": memory.rss_mb(), "peak": memory.peak_mb()})
    counts = FileCounts(seen=found.seen, unchanged=found.unchanged)
    for state in outcome.values():
        setattr(counts, state, getattr(counts, state) + 1)
    reasons: dict[str, int] = {}
    for ld in loads:
        if ld.status == "committed":
            for reason, n in ld.quarantine_reasons.items():
                reasons[reason] = reasons.get(reason, 0) + n
    new_files = sum(1 for f in files if f.raw_hash is not None)  # bytes not read before (links etc. are not)
    summary = RunSummary(loads, found.seen, new_files, time.perf_counter() - t0, docs, timings, trace, counts,
                         dict(sorted(reasons.items())))
    return finish_run(settings, summary, logger)


def _lookahead(settings: RunSettings, articles: int) -> Lookahead | None:
    """The run's parse pool when spaCy runs here in several processes (see processes_for), else None."""
    if settings.dask_address:
        return None
    n_process = processes_for(articles, settings.n_process, settings.batch_size)
    return Lookahead(settings, n_process) if n_process > 1 else None


def _load_all(pending: deque[list[SourceFile]], settings: RunSettings, history: History, timings: dict[str, float],
              trace: list[dict], lock: RunLock, logger, ahead: Lookahead | None, loads: list[LoadResult],
              outcome: dict[str, str]) -> None:
    """Each load in turn; a load that failed is tried again in halves. Fills `loads` and `outcome`."""
    while pending:
        chunk = pending.popleft()
        result = _load_chunk(chunk, settings, history, timings, trace, lock, logger, len(loads) + 1, ahead,
                             pending[0] if pending else None)
        loads.append(result)
        logger.info("load %s: %s", result.load_id, result.status)
        if result.status != "committed" and result.retry and len(chunk) > 1:
            # one file must not hold back the others: its halves are tried on their own, down to single files
            half = len(chunk) // 2
            pending.extendleft([chunk[half:], chunk[:half]])
            logger.warning("load %s %s: retrying its %d files in smaller loads", result.load_id, result.status,
                           len(chunk))
            continue
        for path in result.files:
            if result.status != "committed":
                outcome[path] = "not_committed"
            else:
                outcome[path] = "loaded" if path in set(result.files_loaded) else "quarantined"


def _load_chunk(chunk: list[SourceFile], settings: RunSettings, history: History, timings: dict[str, float],
                trace: list[dict], lock: RunLock, logger, number: int, ahead: Lookahead | None = None,
                following: list[SourceFile] | None = None) -> LoadResult:
    """Read, prepare, annotate and commit one load; whatever goes wrong is this load's result, never the run's.

    `ahead`: the run's parse pool; the `following` load is read and sent to it before this one's rules.
    """
    # files are read one load at a time (and the next one ahead) and let go after it, so memory does
    # not grow with a backfill
    held = ahead.take(chunk) if ahead is not None else None
    chunk, built = held if held is not None else (read_files(quote(chunk), settings.max_bytes), None)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        try:
            with session(settings.db, read_only=True) as con:
                prepared = prepare_articles(con, quote(chunk), timings, quote(built))
                t = time.perf_counter()
                surnames = person_surnames(con)
                timings["lookups"] = timings.get("lookups", 0.0) + time.perf_counter() - t
        except Exception as e:  # noqa: BLE001 (a bug or the disk: this load fails, the next goes on)
            logger.error("a load of %d files could not be prepared: %s", len(chunk), e)
            message = (describe_storage_error(e, settings.db) if is_storage_error(e) else f"{type(e).__name__}: {e}")
            return record_failed_load(settings, chunk, started, message, retry=not is_storage_error(e))
        lock.note_load(load_id_for(started, chunk))
        articles = prepared.articles
        mem = {"load": number, "articles": articles.height, "rss_before_nlp": memory.rss_mb()}
        spacy_before, checks_before = timings.get("spacy", 0.0), timings.get("expectations", 0.0)
        trace.append(mem)
        try:
            crash_point("nlp")
            if settings.dask_address:
                nlp_frames = annotate_distributed(articles, settings, timings, surnames)
            else:
                if ahead is not None:
                    ahead.send(pipeline.needs_nlp(articles).select("article_id", "body"))  # this load first
                    if following:
                        ahead.read_ahead(following, articles, timings, logger)
                nlp_frames = annotate_articles(articles, settings, timings, quote(surnames), quote(ahead))
                if ahead is not None:
                    ahead.release(articles)
            nlp_frames = prepared.screen_annotations(nlp_frames)
            articles = prepared.articles
            t = time.perf_counter()
            candidates = pipeline.story_candidates(articles, prepared.prints, nlp_frames["events"])
            prepared.articles = articles = pipeline.group_stories(articles, candidates, history.candidates)
            timings["stories"] = timings.get("stories", 0.0) + time.perf_counter() - t
            model = model_version(load_model(settings.model, selective=settings.selective_parse))
        except Exception as e:  # nothing of this load is written; the next load goes on
            logger.error("NLP failed for a load of %d articles: %s", articles.height, e)
            if ahead is not None:
                ahead.reset()
            return record_failed_load(settings, chunk, started, f"NLP failed: {e}", retry=True)
        mem["rss_after_nlp"] = memory.rss_mb()
        t = time.perf_counter()
        result = None
        try:
            with session(settings.db) as con:
                result = commit_load(con, settings, model, quote(chunk), quote(prepared), nlp_frames, started,
                                     timings)
                t_close = time.perf_counter()
            tick(timings, "commit_close", t_close)  # closing writes the load into the file (a checkpoint)
        except Exception as e:  # noqa: BLE001 (opening the warehouse, or the checkpoint at close, failed)
            if result is None:
                result = LoadResult(load_id_for(started, chunk), "failed", {}, 0, 0, 0, [], 0.0,
                                    describe_storage_error(e, settings.db), files=[f.path for f in chunk],
                                    retry=not is_storage_error(e))
            else:  # committed: the WAL holds it, and the next open replays it
                logger.warning("closing %s after load %s: %s", settings.db, result.load_id, e)
        timings["commit"] = timings.get("commit", 0.0) + time.perf_counter() - t
        if result.status == "committed":
            history.add(articles, candidates)
        del articles, nlp_frames, prepared
        memory.release_free_heap()
        mem.update(rss_after_commit=memory.rss_mb(), peak=memory.peak_mb(),
                   spacy_s=round(timings.get("spacy", 0.0) - spacy_before, 3),
                   expectations_s=round(timings.get("expectations", 0.0) - checks_before, 3))
        return result
    finally:
        for f in chunk:
            f.records, f.rejected = [], []
