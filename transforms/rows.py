"""Typed extraction results -> warehouse rows with their deterministic ids.

Extractors return small dataclasses (`Mention`, `Quote`, `Event`, `EntityRef`); this is the one
step that names columns and computes ids, so the rules never depend on the storage.
"""

from __future__ import annotations

from collections.abc import Iterable

from transforms.events import Event
from transforms.ids import row_id
from transforms.mentions import EntityRef, Mention
from transforms.quotes import Quote


def entity_rows(entities: Iterable[EntityRef]) -> list[dict]:
    return [{"entity_id": e.entity_id, "canonical_name": e.canonical_name, "entity_type": e.entity_type,
             "country_code": e.country_code, "name_key": e.name_key} for e in entities]


def mention_rows(article_id: str, mentions: Iterable[Mention]) -> list[dict]:
    return [{"article_id": article_id, "start_char": m.start_char, "end_char": m.end_char,
             "entity_id": m.entity.entity_id, "mention_text": m.text, "ner_label": m.ner_label} for m in mentions]


def quote_rows(article_id: str, quotes: Iterable[Quote]) -> list[dict]:
    """One row per quoted passage; the passages of one statement share the id of its first."""
    return [{
        "quote_id": row_id("quote", article_id, q.start, q.end), "article_id": article_id,
        "quote_text": q.text, "quote_kind": q.kind,
        "speaker_entity_id": q.speaker.entity.entity_id if q.speaker.entity else None,
        "speaker_text": q.speaker.text or None, "speaker_role": q.speaker.role, "speaker_kind": q.speaker.kind,
        "cue": q.cue,
        "statement_id": row_id("quote", article_id, *q.statement), "start_char": q.start, "end_char": q.end,
    } for q in quotes]


def event_rows(article_id: str, events: Iterable[Event]) -> list[dict]:
    """One row per event, actor and recipient; the id hashes its sentence, type and the two phrases."""
    return [{
        "event_id": row_id("event", article_id, ev.start, ev.end, ev.event_type, ev.actor.text, ev.recipient.text),
        "article_id": article_id, "event_type": ev.event_type, "event_mode": ev.mode,
        "actor_entity_id": ev.actor.entity.entity_id if ev.actor.entity else None, "actor_text": ev.actor.text,
        "actor_sector": ev.actor.sector,
        "recipient_entity_id": ev.recipient.entity.entity_id if ev.recipient.entity else None,
        "recipient_text": ev.recipient.text, "recipient_sector": ev.recipient.sector,
        "event_modality": ev.modality, "event_date": ev.date,
        "event_date_precision": ev.date_precision, "evidence": ev.evidence, "start_char": ev.start,
        "end_char": ev.end, "location_entity_id": ev.location.entity_id if ev.location else None,
        "score": ev.score, "trigger": ev.trigger,
        "actor_country_code": ev.actor.entity.country_code if ev.actor.entity else None,
        "recipient_country_code": ev.recipient.entity.country_code if ev.recipient.entity else None,
    } for ev in events]
