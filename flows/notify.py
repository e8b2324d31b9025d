"""Tell someone when a nightly run did not commit everything: a JSON POST to a webhook.

Set `NEWSETL_NOTIFY_URL` (a Slack/Teams/ntfy/any HTTP endpoint that accepts JSON). Delivery is
best effort: a notification that cannot be sent is logged, never fails the run. Prefect
automations on the `newsetl-nightly` flow's failed runs are the other way (see README).
"""

from __future__ import annotations

import json
import os
import urllib.request

NOTIFY_ENV = "NEWSETL_NOTIFY_URL"


def failed_run_message(db: str, loads: list, report_path: str | None) -> dict | None:
    """The payload for a run with a rejected or failed load; None when every load committed."""
    bad = [ld for ld in loads if ld.status != "committed"]
    if not bad:
        return None
    lines = [f"load {ld.load_id[:12]} {ld.status}: {ld.message}" for ld in bad[:10]]
    return {
        "text": f"newsetl: {len(bad)} of {len(loads)} load(s) not committed on {db}\n" + "\n".join(lines),
        "db": db, "loads_not_committed": [{"load_id": ld.load_id, "status": ld.status, "message": ld.message}
                                          for ld in bad],
        "run_report": report_path,
    }


def send(payload: dict, url: str | None = None, timeout: float = 10.0) -> str | None:
    """POST the payload as JSON; returns None on success, else why it was not delivered."""
    url = url or os.environ.get(NOTIFY_ENV)
    if not url:
        return "no NEWSETL_NOTIFY_URL set"
    req = urllib.request.Request(url, data=json.dumps(payload, default=str).encode("utf-8"),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (an operator-set URL)
            return None if 200 <= resp.status < 300 else f"HTTP {resp.status}"
    except OSError as e:
        return f"{type(e).__name__}: {e}"
