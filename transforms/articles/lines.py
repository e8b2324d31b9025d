"""The shape of a line, which every other rule of the article parser reads: its words, how it ends,
whether it is a story paragraph."""

from __future__ import annotations

import re

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


def is_prose(line: str) -> bool:
    """A story paragraph: a sentence of some length ending in sentence punctuation."""
    return word_count(line) >= 8 and last_char(line) in TERMINAL
