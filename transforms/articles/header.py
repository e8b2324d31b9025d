"""The lines above a story and what they say: header fields, masthead, headline, dateline, byline,
copyright holder, and the wire dateline that opens the first paragraph.

What the text does not say stays None: dates are only taken from date lines and header fields
(through the one date grammar, transforms.dates), never from captions or the story's own events.
"""

from __future__ import annotations

import datetime as dt
import re

from transforms.articles.boilerplate import is_caption
from transforms.articles.lines import CLOSERS, SENTENCE_BREAK, TERMINAL, is_prose, is_table_row, last_char, word_count
from transforms.articles.repair import NAME_MIN_ZIPF, english_zipf
from transforms.articles.rules import match_any, rules
from transforms.dates import MONTH_WORDS, MONTHS, RELATIVE_DAYS, WEEKDAY_NAMES, match_date
from transforms.lexicon import lexicon
from transforms.text import fold

# Title: at most this many words, and it must not read like a sentence (see is_title_like).
MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 250
# Lines this near the top may hold masthead, headline, dateline and byline.
HEADER_LINES = 8
# A wire dateline ("LIMA (AP) — ") may open any of the first few body paragraphs (after a standfirst).
WIRE_DATELINE_LINES = 3
# A byline's first word is never one of these: "By Monday, the council had voted." is a sentence.
_NOT_A_FIRST_NAME = frozenset(MONTHS) | WEEKDAY_NAMES | frozenset(RELATIVE_DAYS)


def is_title_like(line: str) -> bool:
    """Headlines are short, carry no sentence-final full stop, hold one sentence and are words, not a
    row of figures."""
    if not line or word_count(line) > MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS or is_table_row(line):
        return False
    first_word = line.lstrip("\"'“‘¿¡(")
    if not first_word or (first_word[0].islower() and first_word.split()[0].islower()):
        return False  # "iTunes sales soar" is fine, "and then he left" is not
    if not any(c.isalpha() for c in line):
        return False
    core = line.rstrip(CLOSERS + " ")
    if core.endswith(("...", "…")):
        core = core.rstrip(".…")
    elif core[-1:] in ".,;:-–—":
        return False
    return bool(core) and not SENTENCE_BREAK.search(core)


# --------------------------------------------------------------------------- names and bylines


def _is_name_token(tok: str, particles: frozenset[str]) -> bool:
    core = tok.strip(".,")
    if core.lower() in particles:
        return True
    return bool(core) and core[0].isupper() and all(c.isalpha() or c in "'’.-" for c in core)


def clean_name(text: str) -> str | None:
    """The person name at the start of `text` ("Jane Doe, Staff Writer" -> "Jane Doe"); None if none."""
    particles = rules().particles
    head = re.split(r"\s*(?:[,|/•·(]|\s[-–—]\s)\s*", text.strip(), maxsplit=1)[0]
    toks = head.split()
    out: list[str] = []
    for tok in toks:
        if tok.lower() in {"and", "&"} and out:
            out.append(tok)
            continue
        if not _is_name_token(tok, particles):
            break
        out.append(tok)
    while out and (out[-1].lower() in particles | {"and", "&"}):
        out.pop()
    if not out or len(out) > 8 or not any(t[0].isupper() for t in out):
        return None
    name = " ".join(out).rstrip(".,")
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def byline(line: str) -> str | None:
    """The author of a byline line ("By Jane Doe", "By JANE DOE | Staff Writer"), else None.

    "By Monday, the council had voted." is a sentence: a byline names two or more words, has at
    most a short role after it, and does not end like a sentence.
    """
    m = rules().byline.match(line)
    if not m or last_char(line) in TERMINAL or word_count(line) > 12:
        return None
    name = clean_name(m.group("rest"))
    if name is None or len(name.split()) < 2 or name.split()[0].lower() in _NOT_A_FIRST_NAME:
        return None
    role = m.group("rest")[len(name) :].strip(" ,|/•·-–—")
    return name if word_count(role) <= 6 else None


# --------------------------------------------------------------------------- datelines

_META_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s+[-–—]\s+(?=by\b)", re.IGNORECASE)


def parse_dateline(line: str) -> tuple[dt.date | None, str | None] | None:
    """A line made only of a date and/or a byline: (date, author); None for anything else.

    "Wednesday, July 24, 2024 by Jane Doe", "By Jane Doe | 14 February 2023, 09:12 GMT",
    "Published: March 3, 2021 | Updated: March 4, 2021". An "Updated" date is not the publication date.
    """
    if line[:1] not in ("", ",") and not line[0].isspace() and not _may_open_dateline(line):
        return None  # its first part, a prefix of the line, can be neither a byline nor a date
    when: dt.date | None = None
    author: str | None = None
    found_date = False
    for part in _META_SEPARATOR.split(line):
        part = part.strip(" ,")
        if not part:
            continue
        if (name := byline(part)) is not None:
            author = author or name
            continue
        parsed = _parse_date_part(part)
        if parsed is None:
            return None
        found_date = True
        part_when, part_author = parsed
        when = when or part_when
        author = author or part_author
    return (when, author) if found_date else None


def _may_open_dateline(line: str) -> bool:
    """Whether a byline or a (labelled) date could start `line`.

    None of these patterns looks past what it matches but for a line end, so one that matches a
    prefix of the line matches the line.
    """
    r = rules()
    return bool(
        r.byline.match(line) or r.header["date"].match(line) or r.header["updated"].match(line)
        or match_date(line)
    )


def _parse_date_part(text: str) -> tuple[dt.date | None, str | None] | None:
    """A (labelled) date, optionally followed by a byline; None when `text` is something else."""
    r = rules()
    label = None
    rest = text
    for key in ("date", "updated"):
        m = r.header[key].match(rest)
        if m and m.end() < len(rest):
            label, rest = key, rest[m.end() :]
            break
    found = match_date(rest)
    if not found:
        return None
    tail = rest[found.end :].strip(" ,|·-–—")
    author = None
    if tail:
        bm = r.byline.match(tail)
        if not bm:
            return None
        author = clean_name(bm.group("rest"))
        if author is None:
            return None
    return (None if label == "updated" else found.value), author


def opens_with_header_date(line: str) -> bool:
    """A "date 2025-03-14" / "published: 14 March 2025" line: a header field, never a wrapped title's tail."""
    m = rules().header["date"].match(line)
    return bool(m and match_date(line[m.end() :]))  # a slice: the date's \b must see a line start


# --------------------------------------------------------------------------- header fields


def strip_header_fields(units: list[str], meta: dict[str, object]) -> list[str]:
    """Consume "Key: value" header lines at the top; a glued "date 2024-01-31 First sentence" too."""
    r = rules()
    out: list[str] = []
    for idx, line in enumerate(units):
        if idx >= HEADER_LINES or (out and is_prose(out[-1])):
            out.append(line)  # header fields come before the story, not inside it
            continue
        for key, pat in r.header.items():
            m = pat.match(line)
            if not m or m.end() >= len(line):
                continue
            value = line[m.end() :]
            if key in ("date", "updated"):
                found = match_date(value)
                if not found:
                    continue
                if found.value and key == "date":
                    meta.setdefault("published_at", found.value)
                line = value[found.end :].strip(" ,|·-–—")
                break
            if not m.group("colon"):
                continue  # "Title" without a colon is just a word
            if key == "author":
                meta.setdefault(key, clean_name(value))
            else:
                meta.setdefault(key, value.strip())
            line = ""
            break
        if line:
            out.append(line)
    return out


def copyright_holder(line: str) -> tuple[bool, str | None]:
    """(is a copyright line, the outlet it names). "Copyright law has changed ..." is a sentence, not one.

    A bare "© AP" is a credit: it goes, but names no publisher; a year or "all rights reserved" must
    come with the name.
    """
    m = match_any(rules().copyright, line)
    if not m:
        return False, None
    name = (m.groupdict().get("name") or "").strip(" .,")
    formal = bool(re.search(r"\b(?:19|20)\d\d\b|rights reserved", line, re.IGNORECASE))
    if not name:
        return True, None
    if word_count(name) > 6:
        return formal, None
    return True, (name if formal and not name.lower().startswith("all rights") else None)


# --------------------------------------------------------------------------- masthead and headline

_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|news|info|co|[a-z]{2})", re.IGNORECASE)
_CAMEL = re.compile(r"[a-z][A-Z]")


def _top_label(line: str, next_line: str | None, holder: str | None) -> bool:
    """A short label above a longer headline: an outlet's masthead or a section kicker ("World")."""
    toks = line.split()
    if next_line is None or not is_title_like(next_line) or word_count(next_line) <= len(toks):
        return False
    if len(toks) == 1 and _DOMAIN.fullmatch(line):
        return True
    articles = lexicon().function_words.name_articles
    return (
        1 <= len(toks) <= (4 if _is_outlet_name(line, holder) else 2)
        and last_char(line) not in TERMINAL + ":"
        and all(t[0].isupper() or t.lower() in articles | {"of", "de"} for t in toks)
    )


def _is_outlet_name(line: str, holder: str | None) -> bool:
    """Evidence that a label names the outlet, not a section: the copyright holder, a domain,
    CamelCase ("CubaHeadlines"), a leading article ("The Daily Planet"), or a word no dictionary has."""
    if holder and fold(line) == fold(holder):
        return True
    toks = line.split()
    if len(toks) == 1 and (_DOMAIN.fullmatch(line) or _CAMEL.search(line)):
        return True
    if len(toks) >= 2 and toks[0].lower() in lexicon().function_words.name_articles:
        return True
    return all(english_zipf(t.lower()) < NAME_MIN_ZIPF for t in toks if t.isalpha())


def read_header(units: list[str], keep: list[bool], meta: dict[str, object], title_keys: set[str],
                holder: str | None) -> None:
    """Masthead, headline, dateline and byline, up to the first story paragraph.

    Sets `meta` (title, published_at, author, publisher), clears `keep` for the lines it reads and
    adds the headline found to `title_keys`, the folded headlines to drop wherever they repeat.
    """
    r = rules()
    past_headline = False  # a story paragraph was seen: no masthead or title any more
    for i, line in enumerate(units[:HEADER_LINES]):
        nxt = units[i + 1] if i + 1 < len(units) else None
        if fold(line) in title_keys:
            keep[i] = False
            continue
        dateline = parse_dateline(line)
        if dateline is not None:
            when, author = dateline
            if when is not None:
                meta.setdefault("published_at", when)
            if author:
                meta.setdefault("author", author)
            keep[i] = False
            continue
        if (name := byline(line)) is not None:
            meta.setdefault("author", name)
            keep[i] = False
            continue
        if past_headline or is_caption(line) or match_any(r.drop_line, line):
            continue  # captions and boilerplate go with the body rules
        if is_prose(line):
            past_headline = True
            continue
        if i == 0 and (
            (holder and fold(line) == fold(holder) and nxt is not None) or _top_label(line, nxt, holder)
        ):
            if _is_outlet_name(line, holder):
                meta.setdefault("publisher", line)
            keep[i] = False  # a section kicker goes too, without naming anyone
            continue
        if "title" not in meta and nxt is not None and is_title_like(line) and not nxt[:1].islower():
            meta["title"] = line
            title_keys.add(fold(line))
            keep[i] = False
            continue
        if "title" not in meta:
            past_headline = True  # the text opens with something else: it has no headline


# --------------------------------------------------------------------------- wire datelines

# Wire dateline at the start of the first paragraph: "CARACAS, Venezuela (Reuters) - ", or a
# title-case city when an agency follows: "Caracas, July 24 (EFE).- ".
_PLACE_TAIL = r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
_WIRE_DATE = rf"(?:,?\s+(?i:{MONTH_WORDS})\.?\s+\d{{1,2}}(?:,\s+\d{{4}})?)?"
_AGENCY = r"\([A-Z][A-Za-z .-]{1,30}\)"
_WIRE_DASH = r"\s*(?:[-–—]{1,2}|\.-|:)\s+(?=[A-Z\"“'‘])"
_WIRE_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Z'.\-]{{2,}}(?:\s+[A-Z][A-Z'.\-]+)*{_PLACE_TAIL}{_WIRE_DATE}(?:\s*{_AGENCY})?"
    rf"|[A-Z][\w'.\-]+(?:\s+[A-Z][\w'.\-]+)?{_PLACE_TAIL}{_WIRE_DATE}\s*{_AGENCY}){_WIRE_DASH}"
)


def strip_wire_datelines(paragraphs: list[str]) -> list[str]:
    """The first paragraphs without a leading wire dateline (a paragraph that is only one stays)."""
    out = list(paragraphs)
    for j, unit in enumerate(out[:WIRE_DATELINE_LINES]):
        out[j] = _WIRE_DATELINE.sub("", unit, count=1) or unit
    return out
