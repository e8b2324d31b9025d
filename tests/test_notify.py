"""A rejected nightly load is announced to the webhook in NEWSETL_NOTIFY_URL."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import polars as pl
import pytest

from flows import notify
from flows.nightly import LoadResult
from tests.test_flow_e2e import tamper


@pytest.fixture()
def webhook():
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


def _load(status: str) -> LoadResult:
    return LoadResult("abc123def456789", status, {}, 0, 3, 1 if status != "committed" else 0, [], 0.1, "why")


def test_message_only_for_runs_with_a_load_not_committed():
    assert notify.failed_run_message("w.duckdb", [_load("committed")], None) is None
    msg = notify.failed_run_message("w.duckdb", [_load("committed"), _load("rejected")], "/r.json")
    assert "1 of 2 load(s) not committed" in msg["text"] and msg["loads_not_committed"][0]["status"] == "rejected"


def test_undeliverable_notification_is_reported_not_raised():
    problem = notify.send({"text": "x"}, url="http://127.0.0.1:9/nothing-listens-here", timeout=2)
    assert problem and "Error" in problem


@pytest.mark.slow
def test_rejected_load_posts_to_the_webhook(prefect_harness, tmp_path, monkeypatch, webhook):
    from flows.nightly import nightly
    from tests.conftest import EXAMPLES

    url, received = webhook
    monkeypatch.setenv(notify.NOTIFY_ENV, url)
    tamper(monkeypatch, lambda f: {**f, "quotes": f["quotes"].with_columns(pl.lit("shouted").alias("quote_kind"))})
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text((EXAMPLES / "2025-06-10_france_summons_iran_envoy_over_detained_teacher.txt")
                               .read_text(encoding="utf-8"), encoding="utf-8")
    summary = nightly([str(src)], db=str(tmp_path / "w.duckdb"), state=str(tmp_path / "state"))
    assert not summary.ok
    assert len(received) == 1
    body = received[0]
    assert body["loads_not_committed"][0]["load_id"] == summary.loads[0].load_id
    assert "quotes" in body["text"] and body["run_report"].endswith(".json")
