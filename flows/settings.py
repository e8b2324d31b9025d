"""Run settings and the environment Prefect needs before it is imported."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from transforms.ingest import DEFAULT_MAX_BYTES
from transforms.nlp import model_name, selective_parse_requested

PIPELINE_VERSION = "0.1.0"


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
    n_process: int = 1
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
