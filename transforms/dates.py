"""The one date grammar: month and weekday words, the written and ISO date forms, the time of day.

Two readers share it. The article header parser reads the date that opens a dateline or a
"Published:" value (`match_date`) and a record's own date field (`parse_date`); `resolve_date`
reads the date phrases of sentences ("on Monday (7)", "last March", "in 2007") against the
publication date, so an article without one only gets dates that carry their own year. The words
come from data/calendar.yaml (`lexicon().calendar`); each form below is written once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

from transforms.lexicon import lexicon
from transforms.text import normalise_text

_CALENDAR = lexicon().calendar
MONTHS: Mapping[str, int] = _CALENDAR.months  # "march", "mar" -> 3
WEEKDAYS: Mapping[str, int] = _CALENDAR.weekdays  # "monday", "mon" -> 0
RELATIVE_DAYS: Mapping[str, int] = _CALENDAR.relative_days  # "yesterday" -> -1
NUMBER_WORDS: Mapping[str, int] = _CALENDAR.number_words
# The full name of each weekday ("monday", not "mon", which is also a name: "Sun Li", "Wed").
WEEKDAY_NAMES = frozenset(
    max((w for w, n in WEEKDAYS.items() if n == day), key=len) for day in set(WEEKDAYS.values())
)
# Words that make a month, weekday or unit relative to the publication date ("last March").
RELATIVE_WORDS = ("last", "next", "this", "previous", "coming")


def _alternatives(words: Mapping[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: "sept" before "sep"


# --------------------------------------------------------------------------- the pieces

MONTH_WORDS = _alternatives(MONTHS)  # no group: for patterns that embed a month (wire datelines)
MONTH = rf"\b(?P<month>{MONTH_WORDS})\b\.?"
WEEKDAY = rf"\b(?P<weekday>{_alternatives(WEEKDAYS)})\b\.?"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:1[89]|20)\d\d)"  # a written year; "1500 protesters" after "March 3," is no year
ISO_DATE = r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
# After an ISO date: "T10:00:00+05:00", "10:00Z"; what follows the clock (zone, fraction) is read over.
ISO_TIME = r"[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?[^\s]*"
# After a written date: ", 10:30", " at 3:05 pm", " - 09.12 GMT", " 10h30 (UTC+1)"; the zone is read over.
TIME = (
    r"\s*(?:,|at|-|–|—|\||·)?\s*(?P<hh>\d{1,2})[:.h](?P<mm>\d{2})(?::(?P<ss>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*\(?(?:[A-Z]{2,5}|GMT[+-]\d{1,2}|UTC[+-]?\d{0,2})\)?)?"
)

# The forms, in the order they are tried: full dates first, then the partial ones sentences use.
FORMS: dict[str, str] = {
    "iso": ISO_DATE,
    "mdy": rf"{MONTH}\s+{DAY}\s*,?\s+{YEAR}",
    "dmy": rf"{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}",
    "my": rf"{MONTH}\s*,?\s+{YEAR}",
    "md": rf"{MONTH}\s+{DAY}\b",
    "dm": rf"{DAY}\s+(?:of\s+)?{MONTH}",
    "weekday": rf"{WEEKDAY}(?:\s*,?\s*\(?\s*(?P<day>\d{{1,2}})\s*\)?)?",
    "month": rf"(?P<rel>{'|'.join(RELATIVE_WORDS)})?\s*{MONTH}\b",
    "year": rf"(?<![\d-]){YEAR}(?![\d-]|s\b)",
}


def _prefixed(pattern: str, prefix: str) -> str:
    """`pattern` with its groups renamed prefix_name: one regex may use a group name only once."""
    return re.sub(r"\(\?P<(\w+)>", rf"(?P<{prefix}_\1>", pattern)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:  # "February 30"
        return None


def _calendar_day(year: str, month: str, day: str) -> date | None:
    """The day a match names, its month in digits or a word ("03", "march", "Sept"); None if no such day."""
    number = int(month) if month.isdigit() else MONTHS.get(month.lower())
    return None if number is None else _safe(int(year), number, int(day))  # "ſept" matches "sept" ignoring case


# --------------------------------------------------------------------------- header dates

# A date that opens a line, as headers and datelines print it: an optional weekday, a full date, an
# optional time ("Wednesday, July 24, 2024", "24th of July 2024 10:30", "2024-07-24T10:30:00Z").
_HEADER_DATE = re.compile(
    rf"(?:{WEEKDAY},?\s+)?(?:{_prefixed(ISO_DATE + f'(?:{ISO_TIME})?', 'iso')}"
    rf"|{_prefixed(FORMS['mdy'], 'mdy')}|{_prefixed(FORMS['dmy'], 'dmy')})(?:{TIME})?",
    re.IGNORECASE,
)


class DateMatch(NamedTuple):
    value: dt.date | None  # a datetime.datetime when a time is given; None: no such day ("February 30")
    end: int  # where the date (and its time) ends in the text


def match_date(text: str) -> DateMatch | None:
    """The header date that opens `text` (see _HEADER_DATE), or None when none does.

    The time is the wall-clock time printed; a zone after it is read over.
    """
    m = _HEADER_DATE.match(text)
    if m is None:
        return None
    g = m.groupdict()
    if g["iso_year"]:
        day = _calendar_day(g["iso_year"], g["iso_month"], g["iso_day"])
        if day is not None and g["iso_hh"]:
            return DateMatch(_at(day, g["iso_hh"], g["iso_mm"], g["iso_ss"], None), m.end())
    elif g["mdy_year"]:
        day = _calendar_day(g["mdy_year"], g["mdy_month"], g["mdy_day"])
    else:
        day = _calendar_day(g["dmy_year"], g["dmy_month"], g["dmy_day"])
    if day is not None and g["hh"]:
        return DateMatch(_at(day, g["hh"], g["mm"], g["ss"], g["ampm"]), m.end())
    return DateMatch(day, m.end())


def _at(day: date, hh: str, mm: str, ss: str | None, ampm: str | None) -> dt.datetime | None:
    hour = int(hh)
    ampm = (ampm or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        return dt.datetime(day.year, day.month, day.day, hour, int(mm), int(ss or 0))
    except ValueError:  # "25:70"
        return None


def parse_date(value: str) -> dt.date | None:
    """An ISO date/date-time or a written date ("Wednesday, July 24, 2024", "24 July 2024 10:30").

    Returns a datetime when a time is given. An ISO time with an offset is converted to UTC
    ("2024-01-01T10:00:00+05:00" -> 05:00); one without stays as written, as does a written time.
    """
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = match_date(value)
        return found.value if found else None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:  # an offset that moves year 1 or 9999 out of range: kept as written
            parsed = parsed.replace(tzinfo=None)
    return parsed.date() if len(value) <= 10 else parsed


# --------------------------------------------------------------------------- dates in sentences

_SENTENCE_FORMS = [(re.compile(pattern), kind) for kind, pattern in FORMS.items()]  # on casefolded text
_RELATIVE_DAY_WORDS = [(re.compile(rf"\b{word}\b"), word, offset) for word, offset in RELATIVE_DAYS.items()]
_AGO = re.compile(rf"(?P<n>\d+|{'|'.join(NUMBER_WORDS)})\s+(?P<unit>day|week|month|year)s?\s+ago")
_UNIT_REL = re.compile(rf"\b(?P<rel>{'|'.join(RELATIVE_WORDS)}|past)\s+(?P<unit>month|year)\b")
_STEP = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}


def _shift_month(d: date, months: int) -> date:
    idx = d.year * 12 + d.month - 1 + months
    return date(idx // 12, idx % 12 + 1, 1)


def _nearest_year(month: int, day: int, pub: date) -> date | None:
    """A day-and-month with no year: the publication year, unless that lies far ahead of publication."""
    d = _safe(pub.year, month, day)
    if d and (d - pub).days > 183:
        d = _safe(pub.year - 1, month, day)
    return d


def resolve_date(phrase: str, published_at: date | None) -> tuple[date | None, str | None]:
    """The date a phrase names and its precision ('day', 'month' or 'year'), else (None, None).

    Relative phrases ("Monday", "last March", "yesterday") need published_at; a bare weekday means
    the latest such day on or before publication, and "Monday (7)" takes day 7 of the publication
    month (or the month before, when the 7th is still to come).
    """
    text = normalise_text(phrase).replace("’", "'")
    if not text:
        return None, None
    pub = published_at
    for rx, word, offset in _RELATIVE_DAY_WORDS:
        if rx.search(text) or (word == "yesterday" and "last night" in text):
            return (pub + timedelta(days=offset), "day") if pub else (None, None)
    if (m := _AGO.search(text)) and pub:
        n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[m["n"]]
        try:
            if m["unit"] == "day":
                return pub - timedelta(days=n), "day"
            if m["unit"] == "month":
                return _shift_month(pub, -n), "month"
            if m["unit"] == "year":
                return date(pub.year - n, 1, 1), "year"
        except (ValueError, OverflowError):  # "3000 years ago": before year 1
            pass
        return None, None
    for rx, kind in _SENTENCE_FORMS:
        m = rx.search(text)
        if not m:
            continue
        got = _from_match(m, kind, text, pub)
        if got[0] is not None or kind not in ("weekday", "month"):
            return got
    if (m := _UNIT_REL.search(text)) and pub:
        step = _STEP.get(m["rel"], 0)
        if m["unit"] == "month":
            return _shift_month(pub, step), "month"
        return date(pub.year + step, 1, 1), "year"
    return None, None


def _from_match(m: re.Match, kind: str, text: str, pub: date | None) -> tuple[date | None, str | None]:
    g = m.groupdict()
    if kind in ("iso", "mdy", "dmy"):
        d = _calendar_day(g["year"], g["month"], g["day"])
        return (d, "day") if d else (None, None)
    if kind == "my":
        return date(int(g["year"]), MONTHS[g["month"]], 1), "month"
    if kind in ("md", "dm"):
        if not pub:
            return None, None
        d = _nearest_year(MONTHS[g["month"]], int(g["day"]), pub)
        return (d, "day") if d else (None, None)
    if kind == "weekday":
        return _weekday(WEEKDAYS[g["weekday"]], g.get("day"), text, pub)
    if kind == "month":
        if not pub:
            return None, None
        month = MONTHS[g["month"]]
        rel = g.get("rel")
        if rel == "next" or rel == "coming":
            year = pub.year if month > pub.month else pub.year + 1
        elif rel in ("last", "previous"):
            year = pub.year if month < pub.month else pub.year - 1
        else:  # a bare month in news is the latest one not after publication
            year = pub.year if month <= pub.month else pub.year - 1
        return date(year, month, 1), "month"
    if kind == "year":
        return date(int(g["year"]), 1, 1), "year"
    return None, None


def _weekday(wd: int, day: str | None, text: str, pub: date | None) -> tuple[date | None, str | None]:
    if not pub:
        return None, None
    if day:  # "Monday (7)": the day of month fixes it
        n = int(day)
        d = _safe(pub.year, pub.month, n)
        if d is None or d > pub + timedelta(days=7):
            prev = _shift_month(pub, -1)
            d = _safe(prev.year, prev.month, n)
        return (d, "day") if d else (None, None)
    back = (pub.weekday() - wd) % 7
    if re.search(r"\b(next|coming)\b", text):
        ahead = (wd - pub.weekday()) % 7 or 7
        return pub + timedelta(days=ahead), "day"
    if re.search(r"\blast\b", text) and back == 0:
        back = 7
    return pub - timedelta(days=back), "day"
