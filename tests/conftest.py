"""Shared fixtures: one spaCy model and one Prefect test harness for the whole session; helpers
for tests that run the command line in a child process."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
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


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a `newsetl` child: the session's Prefect API (no temporary server to start)."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "NEWSETL_HOME": str(tmp_path / "state")}
    env.update(extra)
    return env


def without_file_permission_override() -> None:
    """A Popen preexec_fn: as root, drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the child, so
    a chmod 000 file or a read-only folder stops it as it stops any user (CI may not run as root)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH (capability.h)
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone from the bounding set, so after exec
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def can_drop_permission_override() -> bool:
    """Whether a child can be run without root's file-permission override (needs CAP_SETPCAP as root)."""
    if os.geteuid() != 0:
        return True
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=without_file_permission_override,
                           capture_output=True)
    return probe.returncode == 0


def newsetl(args: list[str], env: dict[str, str], cwd: Path | None = None, unprivileged: bool = False,
            **kw) -> subprocess.Popen:
    """`newsetl ARGS` in a child process (stdout and stderr apart, text)."""
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd or ROOT,
                            preexec_fn=without_file_permission_override if unprivileged else None, **kw)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, their children...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
