"""Shared fixtures: one spaCy model and one Prefect test harness for the whole session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_STATE = Path(tempfile.mkdtemp(prefix="newsetl-test-state-"))
os.environ.setdefault("NEWSETL_HOME", str(_STATE))

from flows.settings import configure_prefect  # noqa: E402

configure_prefect(_STATE)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    from transforms.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test (~9 s once, then ~1 s a flow run)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def examples_warehouse(prefect_harness, tmp_path_factory):
    """The examples loaded once into a warehouse that read-only tests share."""
    from flows.nightly import nightly

    db = tmp_path_factory.mktemp("examples") / "warehouse.duckdb"
    summary = nightly([str(EXAMPLES)], db=str(db), state=str(_STATE))
    return db, summary
