"""Per-article expectations, checked before a load is validated: a bad article goes to quarantine.

The Great Expectations suites and the SQL checks judge a whole load, so one article with a future
date or an impossible offset used to reject every article of its load, night after night. The
conditions that belong to one article are checked here first, on the load's frames: an article that
fails one leaves the load (with its NLP rows and its in-load copies) as a quarantine entry naming
the reason, and the rest of the load goes on. What the suites still reject is a defect of the
pipeline itself. Pure: frames in, frames and quarantine entries out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import polars as pl

from transforms.ingest import RawRecord, Rejected, record_bytes

# A stated publication time may run ahead of the clock by a time zone or so, never by more: the
# articles suite allows up to the end of tomorrow (UTC), and so does this screen (one bound for both).
FUTURE_DAYS = 2
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
DETAIL_TABLES = ("entity_mentions", "quotes", "events")
ENTITY_REFERENCES = {"entity_mentions": ("entity_id",), "quotes": ("speaker_entity_id",),
                     "events": ("actor_entity_id", "recipient_entity_id", "location_entity_id")}


def latest_publication(today: dt.date) -> dt.datetime:
    """The latest `published_at` an article may state on `today` (UTC): the end of tomorrow."""
    return dt.datetime.combine(today + dt.timedelta(days=FUTURE_DAYS), dt.time())


def screen_articles(articles: pl.DataFrame, records: Mapping[str, RawRecord],
                    latest: dt.datetime) -> tuple[pl.DataFrame, list[Rejected]]:
    """Articles that break a per-article expectation of the articles suite, moved to quarantine.

    Run before duplicates are marked, so no kept article is marked a copy of one that leaves.
    `records` (by source_uri) give the input a quarantine entry keeps for a retry.
    """
    rejected: list[Rejected] = []
    bad: set[str] = set()
    for aid, uri, published, words, language in articles.select(
            "article_id", "source_uri", "published_at", "word_count", "language").iter_rows():
        if published is not None and published >= latest:
            reason, detail = "future_date", (
                f"published {published:%Y-%m-%d %H:%M} is in the future (the latest accepted today is "
                f"{latest - dt.timedelta(seconds=1):%Y-%m-%d %H:%M} UTC); fix its date, then "
                "`newsetl quarantine retry`")
        elif not words or words < 1:
            reason, detail = "no_article_text", "no words left after cleaning"
        elif language is not None and not LANGUAGE.match(language):
            reason, detail = "bad_language", f"language code {language!r} is not an ISO 639 code"
        else:
            continue
        bad.add(aid)
        rejected.append(Rejected(uri, reason, detail, _raw(records, uri)))
    return articles.filter(~pl.col("article_id").is_in(list(bad))), rejected


def screen_annotations(
    articles: pl.DataFrame, frames: dict[str, pl.DataFrame], records: Mapping[str, RawRecord]
) -> tuple[pl.DataFrame, dict[str, pl.DataFrame], list[Rejected]]:
    """Articles whose NLP rows point outside their body, moved to quarantine with those rows.

    A mention must be the text at its offsets; a quote or an event must lie inside the body. The
    copies (duplicate_of) of an article that leaves go with it, and entities only its rows named.
    """
    lengths = articles.select("article_id", "body", pl.col("body").str.len_chars().alias("body_chars"))
    problems: dict[str, list[str]] = {}
    for table in DETAIL_TABLES:
        rows = frames[table].join(lengths, on="article_id", how="left")
        inside = (pl.col("start_char").is_not_null() & pl.col("end_char").is_not_null()
                  & (pl.col("start_char") >= 0) & (pl.col("end_char") > pl.col("start_char"))
                  & (pl.col("end_char") <= pl.col("body_chars")))
        if table == "entity_mentions":
            inside = inside & (pl.col("body").str.slice(pl.col("start_char"), pl.col("end_char") - pl.col("start_char"))
                               == pl.col("mention_text"))
        wrong = rows.filter(~inside.fill_null(False))
        for aid, n in wrong.group_by("article_id", maintain_order=True).len().iter_rows():
            problems.setdefault(aid, []).append(f"{n} {table.replace('_', ' ')}")
    if not problems:
        return articles, frames, []
    uri_of = dict(articles.select("article_id", "source_uri").iter_rows())
    rejected = [Rejected(uri_of.get(aid, aid), "bad_offsets",
                         f"{', '.join(what)} outside the body or not matching its text: a defect of the rules, "
                         "not of the file; report it, then `newsetl quarantine retry` after the fix",
                         _raw(records, uri_of.get(aid, aid)))
                for aid, what in problems.items()]
    copies = articles.filter(pl.col("duplicate_of").is_in(list(problems)))
    for uri, original in copies.select("source_uri", "duplicate_of").iter_rows():
        rejected.append(Rejected(uri, "bad_offsets", f"a copy of {uri_of.get(original, original)}, "
                                 "which was quarantined for bad offsets", _raw(records, uri)))
    gone = set(problems) | set(copies["article_id"].to_list())
    kept = {t: df.filter(~pl.col("article_id").is_in(list(gone))) if t in DETAIL_TABLES else df
            for t, df in frames.items()}
    kept["entities"] = _referenced_entities(frames, kept)
    return articles.filter(~pl.col("article_id").is_in(list(gone))), kept, rejected


def _raw(records: Mapping[str, RawRecord], uri: str) -> bytes | None:
    rec = records.get(uri)
    return None if rec is None else record_bytes(rec)


def _referenced_entities(before: dict[str, pl.DataFrame], after: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The entity rows minus those that only the removed rows referred to."""
    def referenced(frames: dict[str, pl.DataFrame]) -> set[str]:
        ids: set[str] = set()
        for table, cols in ENTITY_REFERENCES.items():
            for col in cols:
                ids.update(v for v in frames[table][col].to_list() if v is not None)
        return ids

    orphaned = referenced(before) - referenced(after)
    return before["entities"].filter(~pl.col("entity_id").is_in(list(orphaned)))
