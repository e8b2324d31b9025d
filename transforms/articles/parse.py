"""The three entry points (plain text, JSONL record, saved HTML page) and the order the jobs run in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from transforms.articles.boilerplate import dedupe, drop_boilerplate
from transforms.articles.header import (
    copyright_holder,
    opens_with_header_date,
    read_header,
    strip_header_fields,
    strip_wire_datelines,
)
from transforms.articles.language import detect_language
from transforms.articles.lines import TERMINAL, last_char, word_count
from transforms.articles.normalise import normalise
from transforms.articles.repair import repair_glued_words
from transforms.dates import parse_date
from transforms.text import fold

# A page whose extracted text is shorter than this holds no article (navigation, a cookie wall).
MIN_HTML_WORDS = 10


@dataclass(frozen=True)
class ParsedArticle:
    title: str | None
    published_at: dt.date | None  # a datetime.datetime when the input gives a time
    author: str | None
    publisher: str | None
    body: str  # clean body: NFC, whitespace normalised, paragraphs separated by a blank line
    language: str | None  # ISO 639-1, None when the body is too short to tell


def _units(text: str) -> list[str]:
    """Non-empty lines; a hard-wrapped line is joined to its continuation (next starts lowercase)."""
    units: list[str] = []
    joinable = False
    for line in normalise(text).split("\n"):
        if not line:
            joinable = False
            continue
        if (joinable and units and line[0].islower() and last_char(units[-1]) not in TERMINAL
                and not opens_with_header_date(line)):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
        joinable = True
    return units


def _analyse(text: str, given: dict[str, object], known_names: Iterable[str]) -> ParsedArticle:
    """Shared by the three entry points. `given` holds metadata the input states outright; it wins."""
    meta: dict[str, object] = {}
    units = strip_header_fields(_units(text), meta)

    copyrights = [copyright_holder(line) for line in units]
    holder = None
    for is_copy, name in copyrights:
        if is_copy and name:
            holder = name
    keep = [True] * len(units)
    # Headlines to drop wherever they repeat: the input's own title and the one found in the text.
    title_keys = {fold(str(given["title"]))} if given.get("title") else set()
    read_header(units, keep, meta, title_keys, holder)
    drop_boilerplate(units, keep, title_keys, [is_copy for is_copy, _ in copyrights])
    if holder:
        meta.setdefault("publisher", holder)

    body_units = strip_wire_datelines([u for u, k in zip(units, keep, strict=True) if k])
    body = normalise("\n\n".join(dedupe(body_units)))
    language = detect_language(body)
    if language in (None, "en"):  # the repair knows English words only
        body = repair_glued_words(body, known_names)

    def pick(key: str) -> object:
        value = given.get(key)
        return value if value not in (None, "") else meta.get(key)

    published = pick("published_at")
    return ParsedArticle(
        title=str(pick("title")) if pick("title") else None,
        published_at=published if isinstance(published, dt.date) else None,
        author=str(pick("author")) if pick("author") else None,
        publisher=str(pick("publisher")) if pick("publisher") else None,
        body=body,
        language=language,
    )


def parse_text(text: str, known_names: Iterable[str] = frozenset()) -> ParsedArticle:
    """A plain-text article: metadata from its header lines, boilerplate stripped from the body."""
    return _analyse(text, {}, known_names)


def parse_record(fields: dict, known_names: Iterable[str] = frozenset()) -> ParsedArticle:
    """A JSONL record: its own title/published/author/publisher win; the rest comes from its text."""
    given: dict[str, object] = {}
    for key in ("title", "author", "publisher"):
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            given[key] = normalise(value).replace("\n", " ")
    published = fields.get("published")
    if isinstance(published, dt.date):
        given["published_at"] = published
    elif isinstance(published, str):
        when = parse_date(published)
        if when is not None:
            given["published_at"] = when
    return _analyse(str(fields["text"]), given, known_names)


def parse_html(
    html: str, url: str | None = None, known_names: Iterable[str] = frozenset()
) -> ParsedArticle | None:
    """A saved article page via trafilatura; None when the page holds no article text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None
    fields = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = fields.get("text") or ""
    if not text.strip():
        return None
    given: dict[str, object] = {}
    for key, source in (("title", "title"), ("author", "author"), ("publisher", "sitename")):
        value = fields.get(source)
        if isinstance(value, str) and value.strip():
            given[key] = normalise(value).replace("\n", " ")
    if isinstance(fields.get("date"), str) and (when := parse_date(fields["date"])):
        given["published_at"] = when
    parsed = _analyse(text, given, known_names)
    return parsed if word_count(parsed.body) >= MIN_HTML_WORDS else None
