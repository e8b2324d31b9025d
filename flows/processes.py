"""Processes the pipeline starts die with it: the temporary Prefect API, spaCy's worker processes
and the dashboard's server.

Left to itself, Prefect starts its temporary API server as a child process and stops it from an
`atexit` hook, which a `kill -9` of the run never reaches: the server (about 235 MB) stayed up
after most kills. So the command line starts that server itself, as a child that the kernel
signals when the run dies (Linux `PR_SET_PDEATHSIG`), and stops it on every normal exit. spaCy's
`--processes` workers are forked: a fork hook arms the same signal in each of them (they outlived
a killed run by more than 30 s without it).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM):
    """A `preexec_fn` for Popen: the child gets `sig` when the process that started it dies.

    Does nothing where prctl does not exist (not Linux). Checks the parent once more after
    arming, in case it died in between (the child would otherwise miss the signal).
    """
    parent = os.getpid()
    return (lambda: die_when_parent_dies(sig, parent)) if sys.platform.startswith("linux") else None


def die_when_parent_dies(sig: int, parent: int) -> None:
    """In a child: arm `sig` for when `parent` dies (a process this one started, or forked itself)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


_forking = {"parent": 0, "hooked": False}


def forked_children_die_with_us() -> None:
    """Every child this process forks from now on (spaCy's workers) gets SIGKILL when it dies.

    SIGKILL, not SIGTERM: a forked child inherits the parent's signal handlers, and a worker whose
    run is gone has nothing to clean up.
    """
    if _forking["hooked"] or not sys.platform.startswith("linux"):
        return
    _forking["hooked"] = True

    def before() -> None:
        _forking["parent"] = os.getpid()

    os.register_at_fork(before=before, after_in_child=lambda: die_when_parent_dies(signal.SIGKILL, _forking["parent"]))


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """terminate(), then kill() if it has not exited after `timeout` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _use_api(url: str) -> None:
    """PREFECT_API_URL for this process; a Prefect imported already reads its settings again."""
    os.environ["PREFECT_API_URL"] = url
    if "prefect.context" in sys.modules:
        sys.modules["prefect.context"].refresh_global_settings_context()


@contextlib.contextmanager
def temporary_api(log: Path, while_starting: Callable[[], None] | None = None) -> Iterator[str | None]:
    """A temporary Prefect API for one command, owned by it; yields its URL (None: $PREFECT_API_URL is used).

    Must run before `import prefect` (its settings read PREFECT_API_URL once). The server is the
    one Prefect would start (uvicorn on prefect.server.api.server:create_app, UI off, database in
    PREFECT_HOME), on a free port of 127.0.0.1; its log goes to `log`.

    `while_starting` runs once the server process is started and PREFECT_API_URL names it, before it
    answers (it may import Prefect): the command's own start-up overlaps the server's, which takes
    most of 10 s on another core.
    """
    if os.environ.get("PREFECT_API_URL"):
        if while_starting is not None:
            while_starting()
        yield None
        return
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise RuntimeError("prefect is not installed")
    app_dir = str(Path(spec.origin).resolve().parent.parent)
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = None
        try:
            for _attempt in range(3):
                port = free_port()
                url = f"http://127.0.0.1:{port}/api"
                proc = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory",
                     "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
                     "--log-level", "error", "--lifespan", "on"],
                    env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    # called before the command starts any thread (a retry, after a port race, comes after
                    # while_starting's threads: rare, and the child only calls prctl before its exec)
                    preexec_fn=die_with_parent())
                _use_api(url)
                if while_starting is not None:
                    while_starting()
                    while_starting = None
                deadline = time.monotonic() + timeout
                while proc.poll() is None and not _healthy(url):
                    if time.monotonic() > deadline:
                        stop(proc)
                        raise RuntimeError(f"the temporary Prefect API did not answer in {timeout:.0f} s; see {log} "
                                           "(or raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")
                    time.sleep(0.1)
                if proc.poll() is None:
                    break
                if proc.returncode != 3:  # 3: the port was taken meanwhile; try another
                    raise RuntimeError(f"the temporary Prefect API exited with {proc.returncode}; see {log}")
            else:
                raise RuntimeError(f"the temporary Prefect API found no free port; see {log}")
        except BaseException:  # no URL of a server that is not there is left behind
            os.environ.pop("PREFECT_API_URL", None)
            if proc is not None:
                stop(proc)
            raise
        try:
            yield url
        finally:
            os.environ.pop("PREFECT_API_URL", None)
            stop(proc)
