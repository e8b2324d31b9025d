"""One writer at a time: a lock file beside the warehouse, with a stale lock from a dead process cleared."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path


class WarehouseLocked(RuntimeError):
    """Another live run is writing to this warehouse."""


def lock_path(db: str | Path) -> Path:
    return Path(f"{Path(db).resolve()}.newsetl.lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class RunLock:
    """Context manager: create the lock file atomically or say who holds it."""

    def __init__(self, db: str | Path) -> None:
        self.path = lock_path(db)
        self.info = {"pid": os.getpid(), "host": socket.gethostname(),
                     "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "load_id": None}

    def __enter__(self) -> RunLock:
        self.reentrant = False
        holder = self._holder()
        if holder and holder.get("pid") == self.info["pid"] and holder.get("host") == self.info["host"]:
            self.reentrant = True  # the command line took it before starting the flow in this process
            return self
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder and holder.get("host") == self.info["host"] and not _alive(int(holder.get("pid", 0))):
                    self.path.unlink(missing_ok=True)  # stale: its process is gone
                    continue
                if holder is None and self._age() > 5:  # unreadable and old: garbage from a crash
                    self.path.unlink(missing_ok=True)
                    continue
                holder = holder or {"pid": "?", "host": "?", "started_at": "just now"}
                raise WarehouseLocked(
                    f"{self.path.name[:-len('.newsetl.lock')]} is being written by run pid {holder.get('pid')} on "
                    f"{holder.get('host')} since {holder.get('started_at')}"
                    + (f" (load {holder['load_id']})" if holder.get("load_id") else "")
                    + f"; wait for it, or remove {self.path} if that process is gone") from None
            try:
                with os.fdopen(fd, "w") as fh:
                    json.dump(self.info, fh)
            except OSError:  # e.g. a full disk: leave no empty lock behind
                self.path.unlink(missing_ok=True)
                raise
            return self
        raise WarehouseLocked(f"could not take the lock {self.path}")

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None

    def _age(self) -> float:
        try:
            return dt.datetime.now().timestamp() - self.path.stat().st_mtime
        except OSError:
            return 0.0

    def note_load(self, load_id: str) -> None:
        """Record the load in flight, so a second run can name it (best effort: written aside and
        renamed, so a full disk leaves the lock as it was rather than empty)."""
        holder = self._holder() or {}
        if holder.get("pid") != self.info["pid"]:
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({**holder, "load_id": load_id}))
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def __exit__(self, *exc: object) -> None:
        if self.reentrant:
            return
        holder = self._holder()
        if holder and holder.get("pid") == self.info["pid"]:
            self.path.unlink(missing_ok=True)
