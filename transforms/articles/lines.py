"""The shape of a line, which every other rule of the article parser reads: its words, how it ends,
whether it is a story paragraph."""

from __future__ import annotations

import re

from transforms.scorecards import batting_line

TERMINAL = ".!?…"
CLOSERS = "\"'”’»)]"
# A full stop after a word of two or more lowercase letters (not "U.S." or "Mr."), or ! or ?.
SENTENCE_BREAK = re.compile(r"(?:(?<=[a-z0-9)]{2})\.|[!?])[\"'”’)]?\s+[\"'“‘(]?[A-Z]")
LETTERS = re.compile(r"[^\W\d_]+")  # a word of letters only: no digit, no underscore


def word_count(line: str) -> int:
    """Whitespace-separated words (str.split and re's \\s agree on every code point)."""
    return len(line.split())


def last_char(line: str) -> str:
    """The line's last character before closing quotes and brackets ("" for none)."""
    stripped = line.rstrip(CLOSERS + " ")
    return stripped[-1:] if stripped else ""


_RANK = re.compile(r"^\s*\d{1,3}(?:\.|\)| -) ")  # "2. ", "2) ", "8 - ": a place in a table


def is_table_row(line: str) -> bool:
    """A row of results or figures rather than words: a ranked line ("4. Maria Lopez ( Spain ) 11.52"),
    a batting line ("K. Ferris not out 14"), or two figures or more, over one for every two words of
    letters ("KT 3 SK 1"; not "Oil hits $50" or "Chinese exports rise 25% in 2004")."""
    tokens = line.split()
    figures = sum(any(c.isdigit() for c in w) and not any(c.isalpha() for c in w) for w in tokens)
    words = sum(len(w) > 1 for w in LETTERS.findall(line))
    return bool(_RANK.match(line)) or figures >= 2 and 2 * figures > words or bool(batting_line().match(line.strip()))


def is_prose(line: str) -> bool:
    """A story paragraph: a sentence of some length ending in sentence punctuation."""
    return word_count(line) >= 8 and last_char(line) in TERMINAL
