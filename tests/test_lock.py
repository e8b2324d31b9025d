"""One writer at a time: a live holder blocks, a dead one's lock is cleared."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from flows.lock import RunLock, WarehouseLocked, lock_path


def test_a_second_writer_is_refused_with_the_holder_named(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(db).write_text(json.dumps({"pid": holder.pid, "host": RunLock(db).info["host"],
                                             "started_at": "2026-01-01T02:00:00", "load_id": "abc123"}))
        with pytest.raises(WarehouseLocked, match=rf"pid {holder.pid}.*load abc123"), RunLock(db):
            pass
        assert lock_path(db).exists(), "a live holder's lock stays"
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_from_a_dead_process_is_cleared(tmp_path):
    db = tmp_path / "w.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_path(db).write_text(json.dumps({"pid": dead.pid, "host": RunLock(db).info["host"],
                                         "started_at": "2026-01-01T02:00:00"}))
    with RunLock(db) as lock:
        assert json.loads(lock_path(db).read_text())["pid"] == lock.info["pid"]
        lock.note_load("load-9")
        assert json.loads(lock_path(db).read_text())["load_id"] == "load-9"
        with RunLock(db):  # the same process taking it again (CLI, then flow) is not a second writer
            pass
        assert lock_path(db).exists()
    assert not lock_path(db).exists()


def test_the_command_line_exits_at_once_when_the_warehouse_is_busy(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(db).write_text(json.dumps({"pid": holder.pid, "host": RunLock(db).info["host"],
                                             "started_at": "now", "load_id": None}))
        src = tmp_path / "a.txt"
        src.write_text("A short article about a meeting in Lima.")
        result = CliRunner().invoke(app, ["run", str(src), "--db", str(db)])
        assert result.exit_code == 3 and str(holder.pid) in result.output
        assert not db.exists(), "nothing was opened or written"
    finally:
        holder.kill()
        holder.wait()
