"""One decoded document -> article fields (title, date, author, publisher, clean body, language).

Plain-text news arrives with its page furniture flattened into lines: mastheads, datelines,
bylines, photo captions, "Read also" link lists, view counters and copyright lines. This module
finds the metadata those lines carry, drops them from the body, and repairs words that machine
translation or scraping glued together. What the text does not say stays None: dates are only
taken from date lines and header fields, never from captions or from the story's own events.

Patterns live in ``data/boilerplate.yaml``; the code here only applies them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from html import unescape
from pathlib import Path

import yaml
from wordfreq import cB_to_zipf, get_frequency_dict, get_frequency_list, zipf_frequency

DATA_FILE = Path(__file__).parent / "data" / "boilerplate.yaml"

# Title: at most this many words, and it must not read like a sentence (see _is_title_like).
MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 250
# Lines this near the top may hold masthead, headline, dateline and byline.
HEADER_LINES = 8
# A wire dateline ("LIMA (AP) — ") may open any of the first few body paragraphs (after a standfirst).
WIRE_DATELINE_LINES = 3
# Headline-short: a link-list item that ends in a full stop has at most this many words.
MAX_LINK_ITEM_WORDS = 16
# Fewer words than this and the language is not worth guessing.
MIN_LANGUAGE_WORDS = 5
MIN_LANGUAGE_PROB = 0.5
# A page whose extracted text is shorter than this holds no article (navigation, a cookie wall).
MIN_HTML_WORDS = 10
# Glued-word repair: frequencies on wordfreq's Zipf scale (log10 per billion words + 9).
GLUE_WORD_MIN_ZIPF = 5.0  # the word split off is very common ("met", "for", "who", "according")
VERB_MIN_ZIPF = 4.0  # ... or a past-tense verb of some frequency ("indicated")
COMMON_MIN_ZIPF = 4.0  # at or above: an everyday word ("year"), below: a name at most ("Rodriguez")
COMMON_PART_MIN_ZIPF = 3.0  # a compound's first part must be a word at least this common
PRODUCTIVE_HEAD = 3  # a word ending this many known compounds is a compound head ("shot", "weight")
FUNCTION_WORD_MIN_ZIPF = 6.0  # "of", "the", "in", "to": glued before a capitalised word ("ofNew")
NAME_MIN_ZIPF = 2.5  # a capitalised prefix wordfreq knows (names are in its lists: "Jinping", "Pena")


@dataclass(frozen=True)
class ParsedArticle:
    title: str | None
    published_at: dt.date | None  # a datetime.datetime when the input gives a time
    author: str | None
    publisher: str | None
    body: str  # clean body: NFC, whitespace normalised, paragraphs separated by a blank line
    language: str | None  # ISO 639-1, None when the body is too short to tell


# --------------------------------------------------------------------------- text normalisation

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u2060\ufeff\u00ad"), None)
_BLANKS = re.compile(r"\n{3,}")


_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")


def normalise_unicode(text: str) -> str:
    """NFC, unified line ends, HTML entities left by scrapers decoded, invisible characters dropped.

    Curly quotes and dashes are kept.
    """
    text = _ENTITY.sub(lambda m: unescape(m.group(0)), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def normalise_whitespace(text: str) -> str:
    """Collapse runs of spaces in each line, strip lines, keep at most one blank line between paragraphs."""
    # split() takes any run of whitespace (NBSP, thin space, tabs) and the ends of the line
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def normalise(text: str) -> str:
    """Both of the above: the form every stored text is in."""
    return normalise_whitespace(normalise_unicode(text))


# Cache sizes are the hot set, not the vocabulary: an unbounded or huge cache grows with the corpus
# (measured: +72 MB between 2,000 and 20,000 articles with sizes of 100,000-200,000).
@lru_cache(maxsize=8_192)  # lines and names; most lines are seen once
def _fold(s: str) -> str:
    """Accent- and case-insensitive key, for comparing names and repeated lines."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'").replace("‘", "'"))
    s = _COMBINING.sub("", s).casefold()
    return _NON_WORD.sub(" ", s).strip()


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD = re.compile(r"[\W_]+")


# --------------------------------------------------------------------------- rules (data file)


class _BoundaryRule:
    """A rule that opens with \\b, searched for only where the rule without it matches.

    The regex engine scans a line for a leading literal ("Photo", "(?:AFP|AP)") many times faster
    than it tries a \\b at every position; dropping a zero-width assertion can only add matches, so a
    line the quick pattern misses cannot match the rule.
    """

    __slots__ = ("_quick", "pattern")

    def __init__(self, pattern: re.Pattern[str], quick: re.Pattern[str]) -> None:
        self.pattern, self._quick = pattern, quick

    def search(self, line: str) -> re.Match[str] | None:
        return self.pattern.search(line) if self._quick.search(line) else None


_Rule = re.Pattern[str] | _BoundaryRule


@dataclass(frozen=True)
class _Rules:
    header: dict[str, re.Pattern[str]]
    byline: re.Pattern[str]
    particles: frozenset[str]
    copyright: tuple[_Rule, ...]
    drop_line: tuple[_Rule, ...]
    link_heading: tuple[_Rule, ...]
    link_line: tuple[_Rule, ...]
    caption_markers: tuple[_Rule, ...]
    agency_credit: re.Pattern[str]
    caption_hints: tuple[_Rule, ...]
    compound_modifiers: frozenset[str]


def _compile_rule(source: str, flags: int) -> _Rule:
    pattern = re.compile(source, flags)
    if not source.startswith("\\b"):
        return pattern
    try:
        quick = re.compile(source[2:], flags)
    except re.error:
        return pattern
    return _BoundaryRule(pattern, quick)


def _compile(patterns: Iterable[str], flags: int = re.IGNORECASE) -> tuple[_Rule, ...]:
    return tuple(_compile_rule(p, flags) for p in patterns)


@cache
def _rules() -> _Rules:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    header = {
        key: re.compile(rf"^(?:{'|'.join(alts)})\s*(?P<colon>:)?\s*", re.IGNORECASE)
        for key, alts in raw["header_keys"].items()
    }
    agencies = "|".join(re.escape(a) for a in sorted(raw["photo_agencies"], key=len, reverse=True))
    # "(EFE)", "(Reuters/John Doe)", "(Courtesy of X)", or any credit ending in a slash "(PALACE /)".
    agency_credit = re.compile(rf"\((?:(?:{agencies})(?:\s*[/:]\s*[^()]*)?|[^()]*\s*/\s*|courtesy[^()]*)\)$")
    return _Rules(
        header=header,
        byline=re.compile(rf"^{raw['byline_prefix']}\s+(?P<rest>.+)$", re.IGNORECASE),
        particles=frozenset(raw["name_particles"]),
        copyright=_compile(raw["copyright"]),
        drop_line=_compile(raw["drop_line"]),
        link_heading=_compile(raw["link_list_heading"]),
        link_line=_compile(raw["link_line"]),
        caption_markers=_compile(raw["caption_markers_cs"], 0),
        agency_credit=agency_credit,
        caption_hints=_compile(raw["caption_hints"]),
        compound_modifiers=frozenset(raw["compound_modifiers"]),
    )


# --------------------------------------------------------------------------- dates

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join([d for d in calendar.day_name] + [d for d in calendar.day_abbr])
_TIME_RE = (
    r"(?:\s*(?:,|at|-|–|—|\||·)?\s*(?P<hh>\d{1,2})[:.h](?P<mm>\d{2})(?::(?P<ss>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*\(?(?:[A-Z]{2,5}|GMT[+-]\d{1,2}|UTC[+-]?\d{0,2})\)?)?)?"
)
_DATE_RE = (
    rf"(?:(?:{_WEEKDAY_RE})\.?,?\s+)?(?:"
    r"(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})(?:[T ](?P<iso_time>\d{2}:\d{2}(?::\d{2})?)[^\s]*)?"
    rf"|(?P<mdy_m>{_MONTH_RE})\.?\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>\d{{4}})"
    rf"|(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_m>{_MONTH_RE})\.?,?\s+(?P<dmy_y>\d{{4}})"
    r")"
)
_CALENDAR_WORDS = (
    frozenset(_MONTHS) | {d.lower() for d in calendar.day_name} | {"today", "tomorrow", "yesterday"}
)
_DATE_ONLY = re.compile(rf"^{_DATE_RE}{_TIME_RE}", re.IGNORECASE)


def _match_to_date(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    try:
        if g["iso_y"]:
            day = dt.date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
            if g["iso_time"]:
                hh, mm, *ss = (int(x) for x in g["iso_time"].split(":"))
                return dt.datetime(day.year, day.month, day.day, hh, mm, ss[0] if ss else 0)
        elif g["mdy_y"]:
            day = dt.date(int(g["mdy_y"]), _MONTHS[g["mdy_m"].lower()], int(g["mdy_d"]))
        else:
            day = dt.date(int(g["dmy_y"]), _MONTHS[g["dmy_m"].lower()], int(g["dmy_d"]))
        if g.get("hh"):
            hh, mm = int(g["hh"]), int(g["mm"])
            ampm = (g.get("ampm") or "").replace(".", "").lower()
            if ampm == "pm" and hh < 12:
                hh += 12
            elif ampm == "am" and hh == 12:
                hh = 0
            return dt.datetime(day.year, day.month, day.day, hh, mm, int(g.get("ss") or 0))
        return day
    except (ValueError, KeyError):
        return None


def parse_date(value: str) -> dt.date | None:
    """An ISO date/date-time or a written date ("Wednesday, July 24, 2024", "24 July 2024 10:30").

    Returns a datetime when a time is given. A time with an offset ("2024-01-01T10:00:00+05:00",
    "...Z") is converted to UTC, as every stored time is (05:00 here); one without is kept as written.
    """
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        return parsed.date() if len(value) <= 10 else parsed
    except (ValueError, OverflowError):  # OverflowError: an offset that moves year 1 or 9999 out of range
        pass
    m = _DATE_ONLY.match(value)
    return _match_to_date(m) if m else None


# --------------------------------------------------------------------------- line classifiers

_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"
# A full stop after a word of two or more lowercase letters (not "U.S." or "Mr."), or ! or ?.
_SENTENCE_BREAK = re.compile(r"(?:(?<=[a-z0-9)]{2})\.|[!?])[\"'”’)]?\s+[\"'“‘(]?[A-Z]")


def _words(line: str) -> int:
    """Whitespace-separated words (str.split and re's \\s agree on every code point)."""
    return len(line.split())


def _last_char(line: str) -> str:
    stripped = line.rstrip(_CLOSERS + " ")
    return stripped[-1:] if stripped else ""


def _is_prose(line: str) -> bool:
    """A story paragraph: a sentence of some length ending in sentence punctuation."""
    return _words(line) >= 8 and _last_char(line) in _TERMINAL


def _is_title_like(line: str) -> bool:
    """Headlines are short, carry no sentence-final full stop and hold one sentence."""
    if not line or _words(line) > MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS:
        return False
    first_word = line.lstrip("\"'“‘¿¡(")
    if not first_word or (first_word[0].islower() and first_word.split()[0].islower()):
        return False  # "iTunes sales soar" is fine, "and then he left" is not
    if not any(c.isalpha() for c in line):
        return False
    core = line.rstrip(_CLOSERS + " ")
    if core.endswith(("...", "…")):
        core = core.rstrip(".…")
    elif core[-1:] in ".,;:-–—":
        return False
    return bool(core) and not _SENTENCE_BREAK.search(core)


def _is_name_token(tok: str, particles: frozenset[str]) -> bool:
    core = tok.strip(".,")
    if core.lower() in particles:
        return True
    return bool(core) and core[0].isupper() and all(c.isalpha() or c in "'’.-" for c in core)


def _clean_name(text: str) -> str | None:
    """The person name at the start of `text` ("Jane Doe, Staff Writer" -> "Jane Doe"); None if none."""
    particles = _rules().particles
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


def _match_any(patterns: Iterable[_Rule], line: str) -> re.Match[str] | None:
    for p in patterns:
        m = p.search(line)
        if m:
            return m
    return None


def _copyright_holder(line: str) -> tuple[bool, str | None]:
    """(is a copyright line, the outlet it names). "Copyright law has changed ..." is a sentence, not one.

    A bare "© AP" is a credit: it goes, but names no publisher; a year or "all rights reserved" must
    come with the name.
    """
    m = _match_any(_rules().copyright, line)
    if not m:
        return False, None
    name = (m.groupdict().get("name") or "").strip(" .,")
    formal = bool(re.search(r"\b(?:19|20)\d\d\b|rights reserved", line, re.IGNORECASE))
    if not name:
        return True, None
    if _words(name) > 6:
        return formal, None
    return True, (name if formal and not name.lower().startswith("all rights") else None)


_META_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s+[-–—]\s+(?=by\b)", re.IGNORECASE)


def _parse_dateline(line: str) -> tuple[dt.date | None, str | None] | None:
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
        if (name := _byline(part)) is not None:
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
    rules = _rules()
    return bool(
        rules.byline.match(line) or rules.header["date"].match(line) or rules.header["updated"].match(line)
        or _DATE_ONLY.match(line)
    )


def _parse_date_part(text: str) -> tuple[dt.date | None, str | None] | None:
    """A (labelled) date, optionally followed by a byline; None when `text` is something else."""
    rules = _rules()
    label = None
    rest = text
    for key in ("date", "updated"):
        m = rules.header[key].match(rest)
        if m and m.end() < len(rest):
            label, rest = key, rest[m.end() :]
            break
    m = _DATE_ONLY.match(rest)
    if not m:
        return None
    tail = rest[m.end() :].strip(" ,|·-–—")
    author = None
    if tail:
        bm = rules.byline.match(tail)
        if not bm:
            return None
        author = _clean_name(bm.group("rest"))
        if author is None:
            return None
    when = _match_to_date(m)
    return (None if label == "updated" else when), author


def _byline(line: str) -> str | None:
    """The author of a byline line ("By Jane Doe", "By JANE DOE | Staff Writer"), else None.

    "By Monday, the council had voted." is a sentence: a byline names two or more words, has at
    most a short role after it, and does not end like a sentence.
    """
    m = _rules().byline.match(line)
    if not m or _last_char(line) in _TERMINAL or _words(line) > 12:
        return None
    name = _clean_name(m.group("rest"))
    if name is None or len(name.split()) < 2 or name.split()[0].lower() in _CALENDAR_WORDS:
        return None
    role = m.group("rest")[len(name) :].strip(" ,|/•·-–—")
    return name if _words(role) <= 6 else None


def _is_caption(line: str) -> bool:
    """Photo captions and credits, not story paragraphs that mention a photo."""
    rules = _rules()
    n = _words(line)
    if n <= 60 and _match_any(rules.caption_markers, line) and not line.startswith("©"):
        return True
    m = rules.agency_credit.search(line)
    if m:
        before = line[: m.start()].rstrip()
        if m.group(0).rstrip(")").rstrip().endswith("/") and n <= 60:
            return True  # photographer/agency credit with a trailing slash
        if n <= 25 and _last_char(before) not in _TERMINAL:
            return True
        if before.endswith(")") and rules.agency_credit.search(before):
            return True  # two credits in a row
    if n <= 20 and _last_char(line) not in _TERMINAL:
        return bool(_match_any(rules.caption_hints, line))
    return False


def _is_link_item(line: str, list_ends_text: bool = False) -> bool:
    """An item of a "Keep reading:" list: a headline, not a story paragraph.

    Items may end in a full stop only when the list runs to the end of the text and they are
    headline-short.
    """
    if _words(line) > 30 or _SENTENCE_BREAK.search(line):
        return False
    return _last_char(line) != "." or (list_ends_text and _words(line) <= MAX_LINK_ITEM_WORDS)


_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|news|info|co|[a-z]{2})", re.IGNORECASE)
_CAMEL = re.compile(r"[a-z][A-Z]")
_NAME_ARTICLES = frozenset(
    {"the", "el", "la", "le", "les", "los", "las", "der", "die", "das", "il", "o", "a"}
)


def _top_label(line: str, next_line: str | None, holder: str | None) -> bool:
    """A short label above a longer headline: an outlet's masthead or a section kicker ("World")."""
    toks = line.split()
    if next_line is None or not _is_title_like(next_line) or _words(next_line) <= len(toks):
        return False
    if len(toks) == 1 and _DOMAIN.fullmatch(line):
        return True
    return (
        1 <= len(toks) <= (4 if _is_outlet_name(line, holder) else 2)
        and _last_char(line) not in _TERMINAL + ":"
        and all(t[0].isupper() or t.lower() in _NAME_ARTICLES | {"of", "de"} for t in toks)
    )


def _is_outlet_name(line: str, holder: str | None) -> bool:
    """Evidence that a label names the outlet, not a section: the copyright holder, a domain,
    CamelCase ("CubaHeadlines"), a leading article ("The Daily Planet"), or a word no dictionary has."""
    if holder and _fold(line) == _fold(holder):
        return True
    toks = line.split()
    if len(toks) == 1 and (_DOMAIN.fullmatch(line) or _CAMEL.search(line)):
        return True
    if len(toks) >= 2 and toks[0].lower() in _NAME_ARTICLES:
        return True
    return all(english_zipf(t.lower()) < NAME_MIN_ZIPF for t in toks if t.isalpha())


# Wire dateline at the start of the first paragraph: "CARACAS, Venezuela (Reuters) - ", or a
# title-case city when an agency follows: "Caracas, July 24 (EFE).- ".
_PLACE_TAIL = r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
_WIRE_DATE = rf"(?:,?\s+(?i:{_MONTH_RE})\.?\s+\d{{1,2}}(?:,\s+\d{{4}})?)?"
_AGENCY = r"\([A-Z][A-Za-z .-]{1,30}\)"
_WIRE_DASH = r"\s*(?:[-–—]{1,2}|\.-|:)\s+(?=[A-Z\"“'‘])"
_WIRE_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Z'.\-]{{2,}}(?:\s+[A-Z][A-Z'.\-]+)*{_PLACE_TAIL}{_WIRE_DATE}(?:\s*{_AGENCY})?"
    rf"|[A-Z][\w'.\-]+(?:\s+[A-Z][\w'.\-]+)?{_PLACE_TAIL}{_WIRE_DATE}\s*{_AGENCY}){_WIRE_DASH}"
)


# --------------------------------------------------------------------------- glued-word repair

_LETTERS = re.compile(r"[^\W\d_]+")
# "(CCP)who": a parenthesised acronym or term glued to the next word; "(s)he" is left alone.
_PAREN_GLUE = re.compile(r"(\((?=[^()]*[A-Z0-9]|[^()]{4})[^()\s]{2,20}\))([^\W\d_]{2,})")


@cache
def _english_frequencies() -> tuple[dict[str, float], dict[float | None, float]]:
    """wordfreq's English frequencies, and the Zipf value of each frequency (None: unlisted) seen so far."""
    return get_frequency_dict("en"), {}


@lru_cache(maxsize=32_768)
def english_zipf(word: str) -> float:
    """wordfreq's ``zipf_frequency(word, "en")``, without tokenising plain words it lists.

    wordfreq tokenises every word it is asked about, which costs more than the lookup. A word of
    lowercase ASCII letters is a token of its own, so its value is that of its frequency bucket, or
    wordfreq's value for unlisted words (tests/test_articles.py checks both against wordfreq);
    anything else asks wordfreq.
    """
    if word.isascii() and word.isalpha() and word.islower():
        freqs, by_freq = _english_frequencies()
        freq = freqs.get(word)  # None: not listed
        z = by_freq.get(freq)
        if z is None:
            z = by_freq[freq] = zipf_frequency(word, "en")
        return z
    return zipf_frequency(word, "en")


def _name_like(word: str) -> bool:
    """A capitalised word that is not an everyday English word ("Rodriguez", not "Clear")."""
    return (
        len(word) >= 2 and word[0].isupper() and word[1:].islower() and english_zipf(word.lower()) < COMMON_MIN_ZIPF
    )


def name_vocabulary(texts: Iterable[str]) -> set[str]:
    """Folded names a corpus uses: capitalised words seen mid-sentence that are not everyday words.

    Pass the result to repair_glued_words so "rodriguezmet" splits in one article because
    "Rodriguez" is a name in another.
    """
    words: set[str] = set()
    for text in texts:
        words.update(_MID_SENTENCE_WORD.findall(text))
    return {_fold(w) for w in words if _name_like(w)}


# A word after "[a-z,] ". The space leads, so the regex engine jumps from space to space; the
# lookbehind may read the end of the previous match, so no word is skipped.
_MID_SENTENCE_WORD = re.compile(r"(?<=[a-z,]) ([^\W\d_]+)")


def _name_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys.update(k for k in _fold(name).split() if english_zipf(k) < COMMON_MIN_ZIPF)
    return keys


@lru_cache(maxsize=8)
def _frozen_name_keys(names: frozenset[str]) -> frozenset[str]:
    return frozenset(_name_keys(names))


COMPOUND_MIN_ZIPF = 2.0  # a compound counts when wordfreq has it at least this often


@cache
def _compounds_by_ending() -> dict[str, list[str]]:
    """wordfreq's English words common enough to count as compounds, by their last three letters.

    Its list runs in falling frequency buckets, and an alphabetic word's Zipf value is its bucket's
    (tests/test_articles.py checks this), so the buckets below COMPOUND_MIN_ZIPF can hold no compound.
    """
    index: dict[str, list[str]] = {}
    for i, bucket in enumerate(get_frequency_list("en")):
        if cB_to_zipf(-i) < COMPOUND_MIN_ZIPF - 0.005:
            break
        for w in bucket:
            if w.isalpha():
                index.setdefault(w[-3:], []).append(w)
    return index


@lru_cache(maxsize=20_000)
def _heads_compounds(word: str) -> bool:
    """Whether `word` often ends a compound wordfreq knows ("making": "policymaking", "filmmaking").

    Such a word glued to another is as likely a real compound ("carmaking") as a missing space.
    """
    index = _compounds_by_ending()
    words = index.get(word[-3:], ()) if len(word) >= 3 else [w for ws in index.values() for w in ws]
    n = len(word)
    found = 0
    for w in words:
        if (
            len(w) - n >= 3
            and w.endswith(word)
            and english_zipf(w[:-n]) >= COMMON_PART_MIN_ZIPF
            and english_zipf(w) >= COMPOUND_MIN_ZIPF
        ):
            found += 1
            if found >= PRODUCTIVE_HEAD:
                return True
    return False


def _is_glue_word(word: str) -> bool:
    """Words MT glue detaches: very common words or reporting verbs ("indicated"), not compound heads."""
    z = english_zipf(word)
    common = z >= GLUE_WORD_MIN_ZIPF or (len(word) >= 5 and word.endswith("ed") and z >= VERB_MIN_ZIPF)
    return common and not _heads_compounds(word)


_CAMEL_GLUE = re.compile(r"([a-z]{2,})[A-Z][a-z]+")


def _split_point(
    word: str, prev_word: str, next_word: str, known: Container[str], modifiers: frozenset[str]
) -> int | None:
    """Where a glued token splits into name/word + common word, or None when the token should stay.

    Callers only pass tokens that occur once in the text: a repeated token is a real word.
    A capitalised token followed by another capitalised one is inside a name, where a glued
    lowercase word cannot be; one that follows a first name ("Mao Zhenpingfor") ends a name.
    """
    if len(word) < 5 or word.isupper() or english_zipf(word.lower()) > 0:
        return None
    camel = _CAMEL_GLUE.fullmatch(word)
    if camel:  # "ofNew": a function word glued to a capitalised word; "iTunes", "eBay" stay
        head = camel.group(1)
        return len(head) if english_zipf(head) >= FUNCTION_WORD_MIN_ZIPF else None
    capital = word[0].isupper()
    if capital and next_word[:1].isupper():
        return None
    for i in range(2, len(word) - 2):  # longest suffix first
        prefix, suffix = word[:i], word[i:]
        if not suffix.islower() or not prefix[1:].islower() or not _is_glue_word(suffix):
            continue
        p = prefix.lower()
        if p in modifiers:
            continue
        if _fold(prefix) in known and _fold(prefix) != _fold(word):
            return i
        name_evidence = english_zipf(p) >= NAME_MIN_ZIPF or (_name_like(prev_word) and len(prefix) >= 3)
        if capital and english_zipf(p) < COMMON_MIN_ZIPF and re.search("[aeiouy]", p) and name_evidence:
            return i
        if not capital and len(prefix) >= 3 and english_zipf(p) >= COMMON_MIN_ZIPF:
            return i
    return None


_LETTER = re.compile(r"[^\W\d_]")  # a character of a _LETTERS token


def _token_start(text: str, word: str) -> int:
    """Where the one _LETTERS token equal to `word` starts (the caller knows it occurs once)."""
    i = text.find(word)
    while i >= 0 and ((i and _LETTER.match(text, i - 1)) or _LETTER.match(text, i + len(word))):
        i = text.find(word, i + 1)
    return i


def _token_before(text: str, end: int) -> str:
    """The _LETTERS token that ends at `end`, or "" when none does."""
    start = end
    while start and _LETTER.match(text, start - 1):
        start -= 1
    return text[start:end]


class _NameKeys(Container[str]):
    """The name keys of `names` and of `text`, computed on the first lookup: most repairs need none."""

    __slots__ = ("_keys", "_names", "_text")

    def __init__(self, names: Iterable[str], text: str) -> None:
        self._names, self._text = names, text
        self._keys: frozenset[str] | set[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._keys is None:
            names = self._names
            given = _frozen_name_keys(names) if isinstance(names, frozenset) else _name_keys(names)
            self._keys = given | name_vocabulary([self._text])
        return key in self._keys


def repair_glued_words(text: str, known_names: Iterable[str] = frozenset()) -> str:
    """Split tokens that translation or scraping glued together, only where the split is clearly right.

    "(CCP)who" -> "(CCP) who"; "Jinpingfor" -> "Jinping for" (a name wordfreq knows plus a common
    word); "rodriguezmet" -> "rodriguez met" when "Rodriguez" is a name of the text or of
    `known_names` (see name_vocabulary); "yearaccording" -> "year according". A token wordfreq
    knows, or one the text repeats, is never split: "together", "another", "Reuters", "Southcorp".
    """
    text = _PAREN_GLUE.sub(
        lambda m: f"{m.group(1)} {m.group(2)}" if english_zipf(m.group(2).lower()) >= 3 else m.group(0), text
    )
    # what _split_point refuses first, settled once per distinct word: most texts have no candidate
    counts = Counter(_LETTERS.findall(text))
    listed = _english_frequencies()[0]  # an ASCII word in wordfreq's list has a Zipf value above 0
    candidates = {
        w for w in counts
        if len(w) >= 5 and not ((lower := w.lower()).isascii() and lower in listed)
        and not w.isupper() and english_zipf(lower) == 0
    }
    if not candidates:
        return text
    folded: dict[str, int] = {}
    for w, n in counts.items():
        key = w.casefold()
        folded[key] = folded.get(key, 0) + n
    candidates = {w for w in candidates if folded[w.casefold()] == 1}
    if not candidates:
        return text
    known = _NameKeys(known_names, text)
    modifiers = _rules().compound_modifiers
    out: list[str] = []
    pos = 0
    for start, word in sorted((_token_start(text, w), w) for w in candidates):
        end = start + len(word)
        before, after = text[start - 1 : start], text[end : end + 2]
        # part of a handle, URL, domain ("example.com") or hyphenated word: not prose
        glued_to_other = (
            (before != "" and before in "@#/._-'’")
            or (after[:1] != "" and after[:1] in "@/_-")
            or (after[:1] == "." and after[1:].isalnum())
        )
        if glued_to_other:
            continue
        next_token = _LETTERS.search(text, end)
        next_word = next_token.group(0) if next_token else ""
        prev_word = _token_before(text, start - 1) if text[start - 1 : start] == " " else ""
        cut = _split_point(word, prev_word, next_word, known, modifiers)
        if cut is not None:
            out.append(text[pos : start + cut])
            out.append(" ")
            pos = start + cut
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- language


@cache
def _identifier():  # noqa: ANN202 - py3langid has no type for it
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


LANGUAGE_SAMPLE_CHARS = 400  # the opening of an article tells its language; the whole text only costs time
# An opening this full of English function words, and (nearly) free of other languages' function
# words and of non-ASCII words, is English: py3langid is not asked (it says "en", p > 0.9, on every
# such opening of the BBC corpus, where 95% qualify; other languages' openings score 0-6%).
OBVIOUS_ENGLISH_MIN_WORDS = 20
OBVIOUS_ENGLISH_MIN_SHARE = 0.15
OBVIOUS_ENGLISH_MAX_FOREIGN = 1  # function words of other languages (one "de" in a name is fine)
OBVIOUS_ENGLISH_MAX_NON_ASCII = 0.05  # share of words with a non-ASCII letter


def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(w for line in lines for w in line.split())


_ENGLISH_FUNCTION_WORDS = _word_set(
    "the of and to that with from said has have had were been their they this which would its but who also",
    "after is are was by",
)
# Frequent words of other languages that English does not use; matched as written (lowercase), so
# names ("De Niro", "La Liga", "Los Angeles") do not count.
_FOREIGN_FUNCTION_WORDS = _word_set(
    "de la el en los las del que una por para con como más pero sus",  # es
    "não uma os pelo pela dos das em ao",  # pt
    "le les des du une est et dans pour qui au avec",  # fr
    "der die das und ist nicht mit ein eine dem auf für von sich",  # de
    "het een zijn niet op voor",  # nl
    "il di che della sono non gli nel",  # it
    "och att det som är på för av med og ikke til af",  # sv, da, no
    "się nie jest że je se na",  # pl, cs
    "bir bu",  # tr
    "và của là các được",  # vi
    "ya wa kwa za",  # sw
    "ang ng mga sa",  # tl
    "yang dan di ini itu dengan untuk",  # id, ms
    "az hogy nem ja että și în să",  # hu, fi, ro
)


def _obviously_english(sample: str) -> bool:
    """Whether a text's opening is plainly English prose (see OBVIOUS_ENGLISH_MIN_SHARE)."""
    words = _LETTERS.findall(sample)
    n = len(words)
    if n < OBVIOUS_ENGLISH_MIN_WORDS:
        return False
    english = sum(w.lower() in _ENGLISH_FUNCTION_WORDS for w in words)
    if english < OBVIOUS_ENGLISH_MIN_SHARE * n:
        return False
    foreign = sum(w in _FOREIGN_FUNCTION_WORDS for w in words)
    non_ascii = sum(not w.isascii() for w in words)
    return foreign <= OBVIOUS_ENGLISH_MAX_FOREIGN and non_ascii <= OBVIOUS_ENGLISH_MAX_NON_ASCII * n


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short or the guess too unsure."""
    if _words(text) < MIN_LANGUAGE_WORDS:
        return None
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if _obviously_english(sample):
        return "en"
    lang, prob = _identifier().classify(sample)
    return lang if prob >= MIN_LANGUAGE_PROB else None


# --------------------------------------------------------------------------- the parser


def _opens_with_header_date(line: str) -> bool:
    """A "date 2025-03-14" / "published: 14 March 2025" line: a header field, never a wrapped title's tail."""
    m = _rules().header["date"].match(line)
    return bool(m and _DATE_ONLY.match(line[m.end():]))


def _units(text: str) -> list[str]:
    """Non-empty lines; a hard-wrapped line is joined to its continuation (next starts lowercase)."""
    units: list[str] = []
    joinable = False
    for line in normalise(text).split("\n"):
        if not line:
            joinable = False
            continue
        if (joinable and units and line[0].islower() and _last_char(units[-1]) not in _TERMINAL
                and not _opens_with_header_date(line)):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
        joinable = True
    return units


def _strip_header_fields(units: list[str], meta: dict[str, object]) -> list[str]:
    """Consume "Key: value" header lines at the top; a glued "date 2024-01-31 First sentence" too."""
    rules = _rules()
    out: list[str] = []
    for idx, line in enumerate(units):
        if idx >= HEADER_LINES or (out and _is_prose(out[-1])):
            out.append(line)  # header fields come before the story, not inside it
            continue
        for key, pat in rules.header.items():
            m = pat.match(line)
            if not m or m.end() >= len(line):
                continue
            value = line[m.end() :]
            if key in ("date", "updated"):
                dm = _DATE_ONLY.match(value)
                if not dm:
                    continue
                when = _match_to_date(dm)
                if when and key == "date":
                    meta.setdefault("published_at", when)
                line = value[dm.end() :].strip(" ,|·-–—")
                break
            if not m.group("colon"):
                continue  # "Title" without a colon is just a word
            if key == "author":
                meta.setdefault(key, _clean_name(value))
            else:
                meta.setdefault(key, value.strip())
            line = ""
            break
        if line:
            out.append(line)
    return out


def _analyse(text: str, given: dict[str, object], known_names: Iterable[str]) -> ParsedArticle:
    """Shared by the three entry points. `given` holds metadata the input states outright; it wins."""
    rules = _rules()
    meta: dict[str, object] = {}
    units = _strip_header_fields(_units(text), meta)

    copyrights = [_copyright_holder(line) for line in units]
    holder = None
    for is_copy, name in copyrights:
        if is_copy and name:
            holder = name
    keep = [True] * len(units)

    # Header: masthead, headline, dateline and byline, up to the first story paragraph.
    # Headlines to drop wherever they repeat: the input's own title and the one found in the text.
    title_keys = {_fold(str(given["title"]))} if given.get("title") else set()
    past_headline = False  # a story paragraph was seen: no masthead or title any more
    for i, line in enumerate(units[:HEADER_LINES]):
        nxt = units[i + 1] if i + 1 < len(units) else None
        if _fold(line) in title_keys:
            keep[i] = False
            continue
        dateline = _parse_dateline(line)
        if dateline is not None:
            when, author = dateline
            if when is not None:
                meta.setdefault("published_at", when)
            if author:
                meta.setdefault("author", author)
            keep[i] = False
            continue
        if (name := _byline(line)) is not None:
            meta.setdefault("author", name)
            keep[i] = False
            continue
        if past_headline or _is_caption(line) or _match_any(rules.drop_line, line):
            continue  # captions and boilerplate go below with the body rules
        if _is_prose(line):
            past_headline = True
            continue
        if i == 0 and (
            (holder and _fold(line) == _fold(holder) and nxt is not None) or _top_label(line, nxt, holder)
        ):
            if _is_outlet_name(line, holder):
                meta.setdefault("publisher", line)
            keep[i] = False  # a section kicker goes too, without naming anyone
            continue
        if "title" not in meta and nxt is not None and _is_title_like(line) and not nxt[:1].islower():
            meta["title"] = line
            title_keys.add(_fold(line))
            keep[i] = False
            continue
        if "title" not in meta:
            past_headline = True  # the text opens with something else: it has no headline

    # Body rules over every line.
    in_link_list = at_end = False
    for i, line in enumerate(units):
        if not keep[i]:
            continue
        if in_link_list:
            if _is_link_item(line, at_end):
                keep[i] = False
                continue
            in_link_list = False
        if _fold(line) in title_keys:
            keep[i] = False
        elif _match_any(rules.link_heading, line):
            keep[i] = False
            in_link_list = True
            # a list that runs to the end of the text may hold headlines ending in a full stop
            at_end = all(_is_link_item(u, True) for u in units[i + 1 :])
        elif (
            copyrights[i][0]
            or _match_any(rules.drop_line, line)
            or _match_any(rules.link_line, line)
            or _is_caption(line)
        ):
            keep[i] = False
    if holder:
        meta.setdefault("publisher", holder)

    body_units = [u for u, k in zip(units, keep, strict=True) if k]
    for j, unit in enumerate(body_units[:WIRE_DATELINE_LINES]):
        body_units[j] = _WIRE_DATELINE.sub("", unit, count=1) or unit
    body_units = _dedupe(body_units)
    body = normalise("\n\n".join(body_units))
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


def _dedupe(units: list[str]) -> list[str]:
    """Drop repeated paragraphs, and a lede printed on top that a later paragraph repeats in full."""
    seen: set[str] = set()
    out: list[str] = []
    folded = [_fold(u) for u in units]
    for i, (u, f) in enumerate(zip(units, folded, strict=True)):
        if f in seen and _words(u) >= 4:
            continue
        if _words(u) >= 8 and any(g != f and g.startswith(f) for g in folded[i + 1 :]):
            continue
        seen.add(f)
        out.append(u)
    return out


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
    return parsed if _words(parsed.body) >= MIN_HTML_WORDS else None
