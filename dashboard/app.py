"""newsetl dashboard: the warehouse marts for analysts, in a browser.

Start it with `newsetl dashboard --db warehouse.duckdb` (or `streamlit run dashboard/app.py -- --db PATH`,
or NEWSETL_DB=PATH). It only reads: every query opens the warehouse read-only, runs and closes
at once, so the nightly writer can take the file between two queries. While the writer holds it
(DuckDB 1.5.5 then refuses even read-only connections from other processes) the app retries for
up to 15 s, says so, and keeps showing what it read last. Results are cached per query and per
version of the file (its mtime and size, and its WAL's), so a commit refreshes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

import altair as alt
import duckdb
import polars as pl
import streamlit as st

if __package__ in (None, ""):  # run as a script by `streamlit run`: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import queries as q  # noqa: E402

CACHE_TTL_S = 600
PAIR_COLOURS = ["#4c78a8", "#54a24b", "#e45756"]


def warehouse_path(argv: list[str] | None = None) -> str:
    """--db after `--` on the streamlit command line, else $NEWSETL_DB, else warehouse.duckdb."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", default=os.environ.get("NEWSETL_DB", "warehouse.duckdb"))
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return str(Path(args.db).expanduser().resolve())


@st.cache_data(ttl=CACHE_TTL_S, max_entries=1024, show_spinner=False)
def _cached(db: str, version: tuple[int, ...], name: str, params: tuple[tuple[str, Any], ...]) -> pl.DataFrame:
    """One query on its own short-lived read-only connection; one connect attempt (the caller retries).

    A lock error raises, and Streamlit caches no exception, so the next try really reconnects.
    """
    con = q.connect_read_only(db, wait_s=0)
    try:
        return q.QUERIES[name](con, **dict(params))
    finally:
        con.close()


class Fetcher:
    """Runs the app's queries for one script run: cache, retry while the writer holds the file, fall back.

    After one query gave up waiting, the rest of the run answers from the last data at once, so a
    long commit costs the page 15 s, not 15 s a query.
    """

    def __init__(self, db: str, note: Any) -> None:
        self.db = db
        self.note = note
        self.gave_up = False
        self.waited = False
        self.last_good: dict[tuple, pl.DataFrame] = st.session_state.setdefault("_last_good", {})

    def __call__(self, name: str, **params: Any) -> pl.DataFrame | None:
        frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
        key = (name, frozen)
        t0 = time.monotonic()
        delay = 0.2
        while not self.gave_up:
            try:
                frame = _cached(self.db, q.db_version(self.db), name, frozen)
            except duckdb.IOException as e:
                if not q.is_lock_error(e):
                    raise
                waited = time.monotonic() - t0
                if waited >= q.LOCK_WAIT_S:
                    self.gave_up = True
                    break
                self.waited = True
                self.note.warning(f"Warehouse busy: a load is committing; retrying ({waited:.0f} s of "
                                  f"{q.LOCK_WAIT_S:.0f} s)…", icon=":material/hourglass_top:")
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            self.last_good[key] = frame
            while len(self.last_good) > 256:  # keep the fallback small: drop the oldest entry
                self.last_good.pop(next(iter(self.last_good)))
            if self.waited:
                self.note.empty()
                self.waited = False
            return frame
        self.note.warning(f"Warehouse busy: a load has held it for more than {q.LOCK_WAIT_S:.0f} s. Showing "
                          "the data read before; change a filter or reload the page to retry.",
                          icon=":material/hourglass_top:")
        return self.last_good.get(key)


def _empty(frame: pl.DataFrame | None) -> bool:
    return frame is None or frame.height == 0


def sidebar(fetch: Fetcher) -> dict[str, Any]:
    """The filters; every widget has a stable key and a visible label (the browser tests find them by both)."""
    sb = st.sidebar
    sb.header("Filters")
    bounds = fetch("date_bounds")
    first, last = bounds.row(0) if not _empty(bounds) else (None, None)
    today = dt.date.today()
    first, last = first or today, last or today
    picked = sb.date_input("Date range", value=(first, last), key="date_range",
                           help="Publication day of articles and the day events happened.")
    start, end = (tuple(picked) + (last,))[:2] if isinstance(picked, tuple | list) else (picked, picked)
    start, end = start or first, end or last
    undated = sb.checkbox("Include undated articles", value=True, key="include_undated",
                          help="Rankings, neighbours and quotes also count articles that state no date "
                               "(the time charts cannot place them).")

    ents = fetch("entity_options")
    entity, labels = None, {}
    if not _empty(ents):
        labels = {r["entity_id"]: f"{r['canonical_name']} ({r['entity_type']}, {r['mentions']})"
                  for r in ents.iter_rows(named=True)}
        entity = sb.selectbox("Entity", list(labels), format_func=labels.get, key="entity",
                              help="Type to search. The number is how often the warehouse mentions it.")
    countries = fetch("country_codes")
    codes = countries["country_code"].to_list() if not _empty(countries) else []
    pair = fetch("busiest_country_pair")
    default_a, default_b = pair.row(0)[:2] if not _empty(pair) else (codes + [None, None])[:2]
    country_a = sb.selectbox("Country A", codes, index=codes.index(default_a) if default_a in codes else None,
                             key="country_a", help="ISO 3166 alpha-3 code of an actor or recipient on events.")
    country_b = sb.selectbox("Country B", codes, index=codes.index(default_b) if default_b in codes else None,
                             key="country_b", help="The other side of the pair; the line counts both directions.")
    types = fetch("event_types")
    event_types = sb.multiselect("Event types", types["event_type"].to_list() if not _empty(types) else [],
                                 key="event_types", placeholder="All event types",
                                 help="PLOVER event types; none selected means all.")
    return {"start": start, "end": end, "undated": undated, "entity": entity,
            "entity_label": labels.get(entity, ""), "country_a": country_a,
            "country_b": country_b, "event_types": list(event_types)}


def pair_section(fetch: Fetcher, f: dict[str, Any]) -> None:
    a, b = f["country_a"], f["country_b"]
    st.subheader(f"Cooperation and conflict: {a or '?'} ↔ {b or '?'}")
    if not a or not b or a == b:
        st.info("Pick two different countries in the sidebar (Country A, Country B).")
        return
    line = fetch("country_pair_line", country_x=a, country_y=b, start=f["start"], end=f["end"],
                 event_types=f["event_types"])
    if _empty(line):
        st.info(f"No dated events between {a} and {b} in this range and these event types.")
        return
    long = line.select("day", pl.col("score_sum").alias(f"{a} ↔ {b}"), pl.col("x_to_y_score").alias(f"{a} → {b}"),
                       pl.col("y_to_x_score").alias(f"{b} → {a}")).unpivot(
        index="day", variable_name="direction", value_name="score").to_pandas()
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("day:T", title="day"), y=alt.Y("score:Q", title="sum of PLOVER scores (+ cooperation, − conflict)"),
        color=alt.Color("direction:N", scale=alt.Scale(range=PAIR_COLOURS)),
        tooltip=["day:T", "direction:N", "score:Q"])
    zero = alt.Chart(pl.DataFrame({"y": [0]}).to_pandas()).mark_rule(strokeDash=[4, 4], color="grey").encode(y="y:Q")
    st.altair_chart(chart + zero, width="stretch")
    c1, c2, c3 = st.columns(3)
    c1.metric("events", int(line["events"].sum()))
    c2.metric("cooperation (score > 0)", int(line["cooperation"].sum()))
    c3.metric("conflict (score < 0)", int(line["conflict"].sum()))


def timeline_section(fetch: Fetcher, f: dict[str, Any]) -> None:
    st.subheader("Event timeline by type")
    tl = fetch("event_timeline", start=f["start"], end=f["end"], event_types=f["event_types"])
    if _empty(tl):
        st.info("No dated events in this range.")
        return
    days = max((f["end"] - f["start"]).days, 1)
    chart = alt.Chart(tl.to_pandas()).mark_bar(size=max(2, min(14, 700 // days))).encode(
        x=alt.X("day:T", title="event day"), y=alt.Y("events:Q", title="events reported"),
        color=alt.Color("event_type:N", title="PLOVER type"),
        tooltip=["day:T", "event_type:N", "events:Q", "event_clusters:Q", "score_sum:Q"])
    st.altair_chart(chart, width="stretch")


def entities_section(fetch: Fetcher, f: dict[str, Any]) -> None:
    st.subheader("Top entities")
    top = fetch("top_entities", start=f["start"], end=f["end"], include_undated=f["undated"], limit=15)
    if _empty(top):
        st.info("No entity mentions in this range.")
        return
    left, right = st.columns(2)
    bars = alt.Chart(top.to_pandas()).mark_bar().encode(
        x=alt.X("mentions:Q"), y=alt.Y("canonical_name:N", sort="-x", title=None),
        color=alt.Color("entity_type:N", title="type"),
        tooltip=["canonical_name", "entity_type", "mentions", "articles"])
    left.altair_chart(bars, width="stretch")
    ids = top["entity_id"].head(5).to_list()
    if f["entity"] and f["entity"] not in ids:
        ids.append(f["entity"])
    trend = fetch("entity_trend", entity_ids=ids, start=f["start"], end=f["end"])
    right.caption("Daily mentions of the top five and the chosen entity (dated articles)")
    if _empty(trend):
        right.info("None of them is mentioned in a dated article in this range.")
    else:
        line = alt.Chart(trend.to_pandas()).mark_line(point=True).encode(
            x=alt.X("day:T"), y=alt.Y("mentions:Q"), color=alt.Color("canonical_name:N", title="entity"),
            tooltip=["day:T", "canonical_name", "mentions", "articles"])
        right.altair_chart(line, width="stretch")


def neighbours_section(fetch: Fetcher, f: dict[str, Any]) -> None:
    st.subheader(f"Appears with: {f['entity_label'] or 'no entity chosen'}")
    if not f["entity"]:
        st.info("Pick an entity in the sidebar.")
        return
    nb = fetch("entity_neighbours", entity_id=f["entity"], start=f["start"], end=f["end"],
               include_undated=f["undated"], limit=20)
    if _empty(nb):
        st.info("No other entity shares an article with it in this range.")
        return
    chart = alt.Chart(nb.to_pandas()).mark_bar().encode(
        x=alt.X("articles:Q", title="articles in common"), y=alt.Y("canonical_name:N", sort="-x", title=None),
        color=alt.Color("entity_type:N", title="type"),
        tooltip=["canonical_name", "entity_type", "articles", "mentions"])
    st.altair_chart(chart, width="stretch")


def quotes_section(fetch: Fetcher, f: dict[str, Any]) -> None:
    st.subheader("Quotes")
    everyone = st.checkbox("Quotes by every speaker", value=False, key="quotes_all",
                           help="Off: only quotes by the entity chosen in the sidebar.")
    speaker = None if everyone else f["entity"]
    quotes = fetch("entity_quotes", speaker_entity_id=speaker, start=f["start"], end=f["end"],
                   include_undated=f["undated"], limit=200)
    if _empty(quotes):
        who = "anyone" if everyone else (f["entity_label"] or "the chosen entity")
        st.info(f"No quotes by {who} in this range. Tick 'Quotes by every speaker' to see all.")
    else:
        st.dataframe(quotes.select("speaker", "quote", "kind", "article_title", "published_date"), hide_index=True,
                     column_config={
                         "speaker": st.column_config.TextColumn("speaker", width="medium"),
                         "quote": st.column_config.TextColumn("quote", width="large"),
                         "article_title": st.column_config.TextColumn("article", width="medium"),
                         "published_date": st.column_config.DateColumn("date")})
    with st.expander("Most quoted speakers (whole warehouse)"):
        speakers = fetch("top_speakers", limit=15)
        if not _empty(speakers):
            st.dataframe(speakers, hide_index=True)


def load_health_section(fetch: Fetcher) -> None:
    st.subheader("Load health")
    loads = fetch("load_health", limit=50)
    if _empty(loads):
        st.info("No loads recorded yet.")
        return
    bad = loads.filter(pl.col("status") != "committed").height
    (st.warning if bad else st.success)(
        f"{loads.height} recent load(s): {loads.height - bad} committed, {bad} rejected or failed.")
    st.dataframe(loads, hide_index=True)
    daily = fetch("load_health_daily", limit=60)
    if not _empty(daily) and daily.height > 1:
        st.caption("Loads per day")
        st.bar_chart(daily.select("day", "committed", "rejected", "failed").to_pandas(), x="day",
                     y=["committed", "rejected", "failed"], height=200)


def search_section(fetch: Fetcher) -> None:
    query = st.text_input("Search articles and quotes", key="search", placeholder="e.g. border crossing",
                          help="Full-text search (flows.search); up to 20 hits.")
    if not query or not query.strip():
        return
    try:
        hits = fetch("search_text", query=query.strip(), limit=20)
    except ImportError:
        st.warning("Search is not available: flows.search is missing from this install.")
        return
    except Exception as e:  # the search module is another team's: say what failed, keep the page
        st.warning(f"Search failed: {type(e).__name__}: {e}")
        return
    if _empty(hits):
        st.info(f"No article or quote matches “{query}”.")
    else:
        shown = [c for c in ("kind", "title", "published_at", "snippet", "score") if c in hits.columns]
        st.dataframe(hits.select(shown) if shown else hits, hide_index=True, column_config={
            "snippet": st.column_config.TextColumn("snippet", width="large"),
            "score": st.column_config.NumberColumn("score", format="%.2f")})


def main() -> None:
    st.set_page_config(page_title="newsetl dashboard", page_icon="📰", layout="wide")
    db = warehouse_path()
    st.title("News warehouse")
    st.caption(f"{db} · read-only · each query opens and closes its own connection")
    if not Path(db).exists():
        st.error(f"No warehouse at {db}. Load one with `newsetl run SOURCE --db {db}`, then start the "
                 "dashboard with `newsetl dashboard --db PATH`.")
        st.stop()
    note = st.empty()
    fetch = Fetcher(db, note)
    try:
        filters = sidebar(fetch)
        # each view in a keyed container: the page gets a `st-key-<name>` class per view to find it by
        with st.container(key="search_view"):
            search_section(fetch)
        with st.container(key="pair_view"):
            pair_section(fetch, filters)
        with st.container(key="timeline_view"):
            timeline_section(fetch, filters)
        with st.container(key="entities_view"):
            entities_section(fetch, filters)
        with st.container(key="neighbours_view"):
            neighbours_section(fetch, filters)
        with st.container(key="quotes_view"):
            quotes_section(fetch, filters)
        with st.container(key="loads_view"):
            load_health_section(fetch)
    except duckdb.CatalogException as e:
        st.error(f"This warehouse has no marts yet ({e}). Any `newsetl run --db {db}` adds them.")


main()
