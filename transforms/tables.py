"""Polars schemas of the warehouse tables, so an empty frame still has its columns and types."""

from __future__ import annotations

import polars as pl

ARTICLES = {
    "article_id": pl.String, "source_uri": pl.String, "content_hash": pl.String, "title": pl.String,
    "published_at": pl.Datetime("us"), "author": pl.String, "publisher": pl.String, "url": pl.String,
    "body": pl.String, "language": pl.String, "word_count": pl.Int32, "story_id": pl.String,
    "duplicate_of": pl.String,
}
ENTITIES = {"entity_id": pl.String, "canonical_name": pl.String, "entity_type": pl.String, "country_code": pl.String,
            "name_key": pl.String}
ENTITY_MENTIONS = {
    "article_id": pl.String, "start_char": pl.Int32, "end_char": pl.Int32, "entity_id": pl.String,
    "mention_text": pl.String, "ner_label": pl.String,
}
QUOTES = {
    "quote_id": pl.String, "article_id": pl.String, "quote_text": pl.String, "quote_kind": pl.String,
    "speaker_entity_id": pl.String, "speaker_text": pl.String, "speaker_role": pl.String, "cue": pl.String,
    "statement_id": pl.String, "start_char": pl.Int32, "end_char": pl.Int32, "speaker_kind": pl.String,
}
EVENTS = {
    "event_id": pl.String, "article_id": pl.String, "event_type": pl.String, "event_mode": pl.String,
    "actor_entity_id": pl.String, "actor_text": pl.String, "recipient_entity_id": pl.String,
    "recipient_text": pl.String, "event_modality": pl.String, "event_date": pl.Date,
    "event_date_precision": pl.String, "location_entity_id": pl.String, "score": pl.Float64,
    "trigger": pl.String, "evidence": pl.String, "start_char": pl.Int32, "end_char": pl.Int32,
    "actor_country_code": pl.String, "recipient_country_code": pl.String,
    "actor_sector": pl.String, "recipient_sector": pl.String,
}
QUARANTINE = {
    "quarantine_id": pl.String, "source_uri": pl.String, "reason": pl.String, "detail": pl.String,
    "raw": pl.Binary, "raw_size": pl.Int64,
}
SCHEMAS = {
    "articles": ARTICLES, "entities": ENTITIES, "entity_mentions": ENTITY_MENTIONS, "quotes": QUOTES,
    "events": EVENTS, "quarantine": QUARANTINE,
}
KEYS = {
    "articles": ["article_id"], "entities": ["entity_id"], "entity_mentions": ["article_id", "start_char"],
    "quotes": ["quote_id"], "events": ["event_id"], "quarantine": ["quarantine_id"],
}


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """Rows -> a frame with exactly the table's columns, in order, typed; extra keys are dropped."""
    schema = SCHEMAS[table]
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema, orient="row")


def empty_tables() -> dict[str, pl.DataFrame]:
    return {t: pl.DataFrame(schema=s) for t, s in SCHEMAS.items()}
