"""Dashboard query latency: every query of dashboard/queries.py, N times, each on a fresh read-only connection.

That is what the app pays on a cache miss (after every commit): connect, query, close. Prints
p50/p95 per query and the p95 over all of them, in milliseconds. Parameters are representative:
the most mentioned entity, the busiest country pair, the whole date range, the three commonest
event types, the most quoted speaker.

    uv run --frozen python -m benchmarks.dashboard_latency --db warehouse.duckdb [-n 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path
from typing import Any

from dashboard import queries as q


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: with 30 samples p95 is the 29th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def representative_params(db: str, search_query: str) -> dict[str, dict[str, Any]]:
    """Parameters per query, read from the warehouse itself, the way a first page view would pick them."""
    con = q.connect_read_only(db)
    try:
        first, last = q.date_bounds(con).row(0)
        ents = q.entity_options(con)
        types = q.event_types(con).sort("events", descending=True)["event_type"].head(3).to_list()
        pair = q.busiest_country_pair(con)
        codes = q.country_codes(con)["country_code"].to_list()
        speakers = con.execute("SELECT speaker_entity_id FROM mart_top_speakers "
                               "ORDER BY quotes DESC LIMIT 1").fetchall()
    finally:
        con.close()
    first, last = first or dt.date.today(), last or dt.date.today()
    entity = ents["entity_id"][0] if ents.height else ""
    x, y = pair.row(0)[:2] if pair.height else ((codes + ["", ""])[:2])
    top5 = ents["entity_id"].head(5).to_list()
    rng = {"start": first, "end": last}
    return {
        "date_bounds": {}, "entity_options": {}, "country_codes": {}, "event_types": {}, "busiest_country_pair": {},
        "country_pair_line": {"country_x": x, "country_y": y, **rng, "event_types": []},
        "event_timeline": {**rng, "event_types": types},
        "top_entities": {**rng, "include_undated": True, "limit": 15},
        "entity_trend": {"entity_ids": top5, **rng},
        "entity_neighbours": {"entity_id": entity, **rng, "include_undated": True, "limit": 20},
        "entity_quotes": {"speaker_entity_id": speakers[0][0] if speakers else None, **rng,
                          "include_undated": True, "limit": 200},
        "top_speakers": {"limit": 15}, "load_health": {"limit": 50}, "load_health_daily": {"limit": 60},
        "search_text": {"query": search_query, "limit": 20},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="the warehouse (opened read-only)")
    ap.add_argument("-n", "--repeat", type=int, default=30, help="runs per query (default 30)")
    ap.add_argument("--search", default="border agreement", help="query for the search box (default: %(default)s)")
    args = ap.parse_args()
    if not Path(args.db).exists():
        print(f"error: no warehouse at {args.db}", file=sys.stderr)
        return 2
    params = representative_params(args.db, args.search)
    every: list[float] = []
    print(f"{'query':<22} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'rows':>6}")
    for name, fn in q.QUERIES.items():
        times: list[float] = []
        rows = 0
        try:
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                con = q.connect_read_only(args.db)
                try:
                    rows = fn(con, **params[name]).height
                finally:
                    con.close()
                times.append((time.perf_counter() - t0) * 1000)
        except Exception as e:  # e.g. flows.search missing: report it, time the rest
            print(f"{name:<22} skipped: {type(e).__name__}: {e}")
            continue
        every += times
        print(f"{name:<22} {percentile(times, 50):>9.1f} {percentile(times, 95):>9.1f} {max(times):>9.1f} {rows:>6}")
    if every:
        print(f"{'overall':<22} {percentile(every, 50):>9.1f} {percentile(every, 95):>9.1f} {max(every):>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
