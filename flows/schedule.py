"""`newsetl serve`: the nightly flow on a cron schedule, against a real Prefect server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from rich.console import Console

from flows.processes import die_with_parent
from flows.settings import RunSettings

LOCAL_API = "http://127.0.0.1:4200/api"


def _healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def ensure_server(console: Console) -> subprocess.Popen | None:
    """Use $PREFECT_API_URL when set; else start `prefect server start` locally and wait for it."""
    api = os.environ.get("PREFECT_API_URL")
    if api:
        console.print(f"Using the Prefect server at {api} (from PREFECT_API_URL).")
        if not _healthy(api, timeout=10):
            console.print(f"[yellow]warning:[/yellow] {api}/health does not answer yet.")
        return None
    if _healthy(LOCAL_API):
        console.print(f"Using the Prefect server already running at {LOCAL_API}.")
        os.environ["PREFECT_API_URL"] = LOCAL_API
        return None
    log = Path(os.environ["PREFECT_HOME"]) / "server.log"
    console.print(f"No PREFECT_API_URL set: starting a local Prefect server at {LOCAL_API} "
                  f"(database under {os.environ['PREFECT_HOME']}, log {log}).")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", "4200"],
        stdout=log.open("ab"), stderr=subprocess.STDOUT, env={**os.environ, "PREFECT_API_URL": ""},
        preexec_fn=die_with_parent(),  # a kill -9 of `serve` does not leave the server behind
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _healthy(LOCAL_API):
            os.environ["PREFECT_API_URL"] = LOCAL_API
            console.print(f"Prefect server is up: UI at {LOCAL_API.removesuffix('/api')}")
            return proc
        if proc.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with {proc.returncode}; see {log}")
        time.sleep(1)
    proc.terminate()
    raise RuntimeError(f"the Prefect server did not become healthy in 120 s; see {log}")


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve_nightly(sources: list[str], settings: RunSettings, cron: str, name: str, console: Console) -> int:
    """Register the deployment with its cron schedule and run it until interrupted."""
    signal.signal(signal.SIGTERM, _raise_interrupt)  # a service manager's stop cleans up like Ctrl-C
    server = ensure_server(console)
    try:
        from flows.nightly import nightly

        params = {"sources": [str(Path(s).resolve()) for s in sources], **settings.flow_parameters()}
        console.print(f"Serving deployment 'newsetl-nightly/{name}' on cron '{cron}'; Ctrl-C to stop.")
        nightly.serve(name=name, cron=cron, parameters=params)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
