"""Validate one load before commit: Great Expectations suites on the new rows, SQL for references.

GX 1.24 has no polars support and its SQL datasource returns empty results on DuckDB, so the
load's polars frames are validated as pandas frames (through Arrow), and the relational
expectations (references to articles/entities of this or earlier loads, offsets inside the body)
run as SQL inside the open transaction (sql/checks/).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from flows.warehouse import CHECKS, registered
from transforms.screening import latest_publication

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"


@dataclass
class ValidationReport:
    evaluated: int = 0
    failures: list[dict] = field(default_factory=list)
    per_suite: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0  # the GX suites' own time (they run beside DuckDB's work on the load)

    @property
    def success(self) -> bool:
        return not self.failures

    def as_json(self) -> str:
        return json.dumps({"evaluated": self.evaluated, "failed": len(self.failures),
                           "failures": self.failures, "suites": self.per_suite}, default=str)


def load_suites() -> dict[str, dict]:
    """The suites in expectations/*.json, keyed by table name."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SUITES_DIR.glob("*.json"))}


def _class_name(expectation_type: str) -> str:
    return "".join(part.capitalize() for part in expectation_type.split("_"))


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@cache
def _context(project_dir: str, today: str):
    """One file-backed GX context per process, state folder and day (it renders the Data Docs).

    The project lives in the warehouse's own state folder (`<db>.newsetl/gx`): two runs on two
    warehouses never re-save each other's suites (which failed their validations with
    ValidationDefinitionRelatedResourcesFreshnessError when they shared `.newsetl/gx`).
    The day is part of the key because '$latest_publication' in a suite is fixed when the suite is
    built, and a long-lived `serve` process must not judge tomorrow's articles by yesterday's clock.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # GX logs what it swallows with whole tracebacks (a full disk while rendering Data Docs); the
    # flow reports each failure itself, in one line
    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
    import great_expectations as gx
    from great_expectations import exceptions as gx_exceptions
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="file", project_root_dir=project_dir)
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    # What is stored already is used as it is: re-saving a suite gives it new ids, and another
    # process holding this project (a `serve`, then a manual run) would find its own copy stale.
    try:
        ds = ctx.data_sources.get("newsetl_load")
    except (KeyError, ValueError, LookupError, gx_exceptions.DataContextError):
        ds = ctx.data_sources.add_pandas("newsetl_load")
    validations = {}
    latest = latest_publication(dt.date.fromisoformat(today))
    for table, spec in load_suites().items():
        suite = gx.ExpectationSuite(name=spec["name"])
        for e in spec["expectations"]:
            kwargs = {k: (latest if v == "$latest_publication" else v) for k, v in e["kwargs"].items()}
            suite.add_expectation(getattr(gx.expectations, _class_name(e["type"]))(**kwargs))
        stored = _stored(ctx.suites, spec["name"])
        suite = stored if stored is not None and _same_suite(stored, suite) else ctx.suites.add_or_update(suite)
        names = [a.name for a in ds.assets]
        asset = ds.get_asset(table) if table in names else ds.add_dataframe_asset(table)
        batch = (asset.batch_definitions[0] if asset.batch_definitions
                 else asset.add_batch_definition_whole_dataframe("load"))
        vd = _stored(ctx.validation_definitions, table)
        if vd is None or vd.suite.id != suite.id or vd.data.id != batch.id:
            vd = ctx.validation_definitions.add_or_update(gx.ValidationDefinition(name=table, data=batch,
                                                                                  suite=suite))
            # the checkpoint is kept for people who run a suite by hand; loads run the definition itself,
            # which stores the same result for the Data Docs without the checkpoint's own overhead
            ctx.checkpoints.add_or_update(
                gx.Checkpoint(name=f"{table}_load", validation_definitions=[vd], result_format="SUMMARY"))
        validations[table] = vd
    return ctx, validations


def _stored(store, name: str):
    """The object of that name in a GX store (suites, validation definitions), or None."""
    try:
        return store.get(name)
    except Exception:  # noqa: BLE001 (GX raises a different error per store and version for "not found")
        return None


def _same_suite(a, b) -> bool:
    """Same expectations (type and arguments), whatever their ids."""
    def config(suite) -> list[str]:
        return sorted(json.dumps({"type": e.expectation_type, "kwargs": e.configuration.kwargs}, sort_keys=True,
                                 default=str) for e in suite.expectations)

    return config(a) == config(b)


def validate_frames(frames: dict[str, pl.DataFrame], state_dir: Path, run_name: str) -> ValidationReport:
    """Run each table's suite on the load's new rows (as pandas, through Arrow).

    When another process has re-saved the project's suites since this one read them (GX then
    refuses: "has changed since it has last been saved"), the project is read again, once.
    """
    try:
        return _validate_frames(frames, state_dir)
    except Exception as e:
        if "Freshness" not in type(e).__name__:
            raise
        _context.cache_clear()
        return _validate_frames(frames, state_dir)


def _validate_frames(frames: dict[str, pl.DataFrame], state_dir: Path) -> ValidationReport:
    """Each suite runs first with GX's BOOLEAN_ONLY results (pass or fail, about half the time of
    SUMMARY, whose cost is per expectation, not per row); a suite with a failure runs again with
    SUMMARY, so the report names the unexpected count and examples. Both results are stored for
    the Data Docs."""
    t0 = time.perf_counter()
    ctx, validations = _context(str(state_dir), _today())
    report = ValidationReport()
    for table, vd in validations.items():
        df = frames.get(table)
        if df is None:
            continue
        batch = {"dataframe": df.to_pandas()}
        result = vd.run(batch_parameters=batch, result_format="BOOLEAN_ONLY")
        if not result.success:
            result = vd.run(batch_parameters=batch, result_format="SUMMARY")
        evaluated = failed = 0
        for r in result.results:
            evaluated += 1
            if not r.success:
                failed += 1
                cfg = r.expectation_config
                report.failures.append({
                    "suite": table, "expectation": cfg.type, "kwargs": {k: v for k, v in cfg.kwargs.items()
                                                                         if k != "batch_id"},
                    "unexpected_count": (r.result or {}).get("unexpected_count"),
                    "examples": [str(x) for x in (r.result or {}).get("partial_unexpected_list", [])][:5],
                })
        report.evaluated += evaluated
        report.per_suite[table] = {"rows": df.height, "evaluated": evaluated, "failed": failed}
    report.seconds = time.perf_counter() - t0
    return report


_EXPECTATIONS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsetl-expectations")


def start_validating_frames(frames: dict[str, pl.DataFrame], state_dir: Path,
                            run_name: str) -> Future[ValidationReport]:
    """validate_frames on a worker thread, so the suites run while DuckDB writes the same load.

    The frames are immutable polars frames; one worker keeps the GX context to one thread at a time.
    DuckDB releases the GIL while it works, so the two overlap on a second core.
    """
    return _EXPECTATIONS.submit(validate_frames, frames, state_dir, run_name)


def prepare(state_dir: Path) -> Future:
    """Build the GX project and suites of `state_dir` now, on the suites' own thread: a run that has
    work starts this while the Prefect server starts, so its first load does not wait for GX."""
    return _EXPECTATIONS.submit(_context, str(state_dir), _today())


def settle_expectations() -> None:
    """Wait until the suites' thread is idle (a fork while it builds the project would copy its locks)."""
    _EXPECTATIONS.submit(int).result()


def validate_relations(con: duckdb.DuckDBPyConnection, load_id: str, report: ValidationReport,
                       bodies: pl.DataFrame) -> None:
    """The SQL expectations of sql/checks, inside the open transaction, added to the report.

    `bodies` (article_id, body) are the articles the load ran the NLP on; the checks see them as
    `load_bodies`, so offsets are checked without reading every stored body.
    """
    with registered(con, {"load_bodies": bodies.select("article_id", "body")}):
        results = [(path, con.execute(path.read_text(encoding="utf-8"), [load_id]).fetchall())
                   for path in sorted(CHECKS.glob("*.sql"))]
    for path, rows in results:
        for name, table, violations in rows:
            report.evaluated += 1
            suite = report.per_suite.setdefault(f"sql:{table}", {"evaluated": 0, "failed": 0})
            suite["evaluated"] += 1
            if violations:
                suite["failed"] += 1
                report.failures.append({"suite": f"sql:{path.stem}", "expectation": name, "table": table,
                                        "unexpected_count": violations})


def build_data_docs(state_dir: Path) -> Path:
    """Render the Data Docs site; returns the path of its index.html."""
    ctx, _ = _context(str(state_dir), _today())
    ctx.build_data_docs()
    return state_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
