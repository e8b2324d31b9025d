"""Resolve the date phrases news text uses ("on Monday (7)", "last March", "in 2007") to calendar dates.

Relative phrases are read against the article's publication date, so an article without one only
gets dates that carry their own year. The precision says how much of the date the text fixed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})

_MONTH = r"\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = r"\b(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PATTERNS = [
    (re.compile(r"(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"), "iso"),
    (re.compile(_MONTH + r"\s+" + _DAY + r"\s*,?\s+" + _YEAR), "mdy"),
    (re.compile(_DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR), "dmy"),
    (re.compile(_MONTH + r"\s*,?\s+" + _YEAR), "my"),
    (re.compile(_MONTH + r"\s+" + _DAY + r"\b"), "md"),
    (re.compile(_DAY + r"\s+(?:of\s+)?" + _MONTH), "dm"),
    (re.compile(_WEEKDAY + r"(?:\s*,?\s*\(?\s*(?P<day>\d{1,2})\s*\)?)?"), "weekday"),
    (re.compile(r"(?P<rel>last|next|this|previous|coming)?\s*" + _MONTH + r"\b"), "month"),
    (re.compile(r"(?<![\d-])" + _YEAR + r"(?![\d-]|s\b)"), "year"),
]
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_AGO = re.compile(r"(?P<n>\d+|a|one|two|three|four|five|six|seven)\s+(?P<unit>day|week|month|year)s?\s+ago")
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_UNIT_REL = re.compile(r"\b(?P<rel>last|next|this|previous|coming|past)\s+(?P<unit>month|year)\b")


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


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
    text = " ".join(phrase.casefold().replace("’", "'").split())
    if not text:
        return None, None
    pub = published_at
    for word, offset in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", text) or (word == "yesterday" and "last night" in text):
            return (pub + timedelta(days=offset), "day") if pub else (None, None)
    if (m := _AGO.search(text)) and pub:
        n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"]]
        if m["unit"] == "day":
            return pub - timedelta(days=n), "day"
        if m["unit"] == "month":
            return _shift_month(pub, -n), "month"
        if m["unit"] == "year":
            return date(pub.year - n, 1, 1), "year"
        return None, None
    for rx, kind in _PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        got = _from_match(m, kind, text, pub)
        if got[0] is not None or kind not in ("weekday", "month"):
            return got
    if (m := _UNIT_REL.search(text)) and pub:
        step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(m["rel"], 0)
        if m["unit"] == "month":
            return _shift_month(pub, step), "month"
        return date(pub.year + step, 1, 1), "year"
    return None, None


def _from_match(m: re.Match, kind: str, text: str, pub: date | None) -> tuple[date | None, str | None]:
    g = m.groupdict()
    if kind == "iso":
        d = _safe(int(g["year"]), int(g["m"]), int(g["d"]))
        return (d, "day") if d else (None, None)
    if kind in ("mdy", "dmy"):
        d = _safe(int(g["year"]), MONTHS[g["month"]], int(g["day"]))
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
