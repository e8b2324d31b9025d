"""Deterministic ids: hashes of content and position, so reruns and backfills are idempotent."""

from __future__ import annotations

import hashlib

from transforms.text import normalise_text


def stable_hash(*parts: object, size: int = 16) -> str:
    """Hex digest of the parts joined by a separator that cannot occur in them."""
    h = hashlib.blake2b(digest_size=size)
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def content_hash(text: str) -> str:
    return stable_hash(normalise_text(text))


def article_id(source_uri: str, content_hash_: str) -> str:
    return stable_hash("article", source_uri, content_hash_)


def row_id(kind: str, article_id_: str, start_char: int, end_char: int, *extra: object) -> str:
    """Id of a row inside an article: its article, its kind, its offsets (and a discriminator)."""
    return stable_hash(kind, article_id_, start_char, end_char, *extra)
