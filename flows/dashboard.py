"""Start the analysts' dashboard (dashboard/app.py) as a Streamlit server in its own process.

A separate process, so the server's read-only connections never share a DuckDB instance with a
writer in the caller; `newsetl dashboard` and the browser tests both start it through `launch`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path

from flows.processes import die_with_parent

INSTALL_HINT = "install with `uv sync --extra dashboard`"


def app_path() -> Path:
    """dashboard/app.py, wherever the package is installed."""
    spec = importlib.util.find_spec("dashboard")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the dashboard package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "app.py"


def command(db: str, host: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """The streamlit command line; the app reads its --db after the `--`."""
    return [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--", "--db", str(db)]


def wait_healthy(url: str, timeout_s: float = 60.0, proc: subprocess.Popen | None = None) -> bool:
    """Poll Streamlit's /_stcore/health until it answers ok (False on timeout or if the server exits)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def launch(db: str, host: str = "127.0.0.1", port: int = 8501, open_browser: bool = False,
           **popen_kwargs) -> subprocess.Popen | int:
    """Start the dashboard server on host:port for the warehouse `db` and return its process.

    Returns an exit status instead (2) when it cannot start: streamlit is not installed (the
    message says how to install it) or there is no warehouse at `db`. The caller owns the process:
    terminate() it to stop the server. With open_browser, waits until the server answers and
    opens the page in the default browser.
    """
    if importlib.util.find_spec("streamlit") is None:
        print(f"error: the dashboard needs streamlit, which is not installed: {INSTALL_HINT}", file=sys.stderr)
        return 2
    if not Path(db).exists():
        print(f"error: no warehouse at {db}; load one first with `newsetl run SOURCE --db {db}`", file=sys.stderr)
        return 2
    env = {**os.environ, "NEWSETL_DB": str(Path(db).resolve())}
    env.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    popen_kwargs.setdefault("preexec_fn", die_with_parent())  # the server never outlives its launcher
    proc = subprocess.Popen(command(str(Path(db).resolve()), host, port), env=env, **popen_kwargs)
    if open_browser:
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        if wait_healthy(url, proc=proc):
            webbrowser.open(url)
    return proc
