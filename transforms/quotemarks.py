"""Quotation marks paired into quoted spans: one linear scan over an article's text.

Straight and typographic marks of every common style, and two apostrophes standing for a double
mark (''like this'', as some archives print them); apostrophes inside words are not marks; a quote
left open at a paragraph's end continues when the next paragraph opens with a mark.
The quote extractor reads the spans as candidate statements, the resolver as regions whose names
are not antecedents of a pronoun outside them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# closing marks each opening mark accepts; '"' and "'" are ambiguous and decided by context
_CLOSERS = {
    "“": "”\"", "„": "“”\"", "«": "»", "‹": "›", '"': "\"”",
    "‘": "’'", "‚": "‘’", "'": "'’",
}
_SINGLE = set("‘‚'‹")
_VISIBLE = re.compile(r"\S")


@dataclass
class QuotedSpan:
    """The words between one pair of quotation marks (marks excluded), within one paragraph."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark (its first character)
    close_mark: int  # offset of the closing mark (its last character), or -1 when the paragraph ended first
    continues: bool = False  # reopens a quote left open at the end of the previous paragraph


def _is_open(text: str, i: int, width: int = 1) -> bool:
    c = '"' if width == 2 else text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if nxt.isspace():
        return False
    if c in "\"'":  # straight marks open at a word start only, never inside a word (it's, 5'10)
        return not prev.isalnum() and (prev.isspace() or prev in "([{—–-:;/" or i == 0)
    if c == "‘":
        return not prev.isalnum()
    return True


def _is_close(text: str, i: int, opener: str, width: int = 1) -> bool:
    c = '"' if width == 2 else text[i]
    if c not in _CLOSERS[opener]:
        return False
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if opener in _SINGLE or c in "'’":
        # an apostrophe inside a word (Venezuela's, don’t) is not a closing mark
        if prev.isalnum() and nxt.isalnum():
            return False
        return not prev.isspace() and not nxt.isalnum()
    if c in "\"":
        return not prev.isspace() or not nxt.isalnum()
    return True


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Top-level quoted spans, one pass. A quote left open at a paragraph's end is cut there and
    continues when the next paragraph opens with a quotation mark; an opening mark of the same
    kind after a sentence end inside an open quote ('"… that? "That …') is the same convention
    with the paragraph break lost. Two apostrophes are read as one double mark."""
    spans: list[QuotedSpan] = []
    left_open = False
    pos = 0
    for para in text.split("\n"):
        base, pos = pos, pos + len(para) + 1
        found, still_open, balanced = _paragraph(text, base, para, left_open, nesting=True)
        if not balanced:  # an inner mark never closed ('"The plan is "dead, …," he said'): no nesting here
            found, still_open, _ = _paragraph(text, base, para, left_open, nesting=False)
        spans.extend(found)
        if still_open:
            left_open = True
        elif para.strip():
            left_open = False
    return [s for s in spans if s.end > s.start]


def _paragraph(text: str, base: int, para: str, left_open: bool,
               nesting: bool) -> tuple[list[QuotedSpan], bool, bool]:
    """One paragraph's spans, whether a quote is left open at its end, and whether every inner quote of
    the same straight mark ('he was the "Father of the House" and …') closed before its outer one did."""
    spans: list[QuotedSpan] = []
    opener, start, om, cont, inner, nested = "", -1, -1, False, 0, False
    first = base + len(para) - len(para.lstrip())
    j, n = 0, len(para)
    while j < n:
        i = base + j
        c = para[j]
        width = 2 if c == "'" and j + 1 < n and para[j + 1] == "'" else 1
        if width == 2:
            c = '"'  # ''doubled apostrophes'' are a double mark
        if opener:
            if c == opener and _is_open(text, i, width) and _after_sentence(text, i):
                spans.append(_trimmed(text, start, i, om, -1, cont))
                start, om, cont = i + width, i, True
                if nested:  # the inner quote took the outer one's closing mark ('been "sufficient …". She added: "')
                    return spans, True, False
            elif nesting and c == opener == '"' and width == 1 and text[i - 1].isspace() \
                    and _is_open(text, i, width) and not _is_close(text, i, opener, width):
                inner, nested = inner + 1, True
            elif nesting and c == opener == "“" and _is_open(text, i, width):
                inner, nested = inner + 1, True  # '“… what he calls “hell” than live …”': a typographic mark nests
            elif _is_close(text, i, opener, width):
                if inner:
                    inner -= 1
                else:
                    spans.append(_trimmed(text, start, i, om, i + width - 1, cont))
                    opener = ""
        elif c in _CLOSERS and _is_open(text, i, width):
            opener, start, om, cont = c, i + width, i, left_open and i == first
        elif c == "”" and i == first and _is_open(text, i, width):  # a paragraph opened with a closing mark:
            opener, start, om, cont = "“", i + width, i, left_open  # a misprinted opening one
        j += width
    if opener:
        spans.append(_trimmed(text, start, base + len(para), om, -1, cont))
    # left open with an inner quote inside: a quote carried on in the next paragraph, or an inner mark that
    # took the outer quote's closing mark
    after = _VISIBLE.search(text, base + len(para)) if opener and nested else None
    carried = after is not None and after.group() == opener
    return spans, bool(opener), not inner and not (opener and nested and not carried)


def _after_sentence(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j >= 0 and j < i - 1 and text[j] in ".?!:"


def _trimmed(text: str, s: int, e: int, om: int, cm: int, cont: bool) -> QuotedSpan:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return QuotedSpan(s, e, om, cm, cont)


class QuotedRegions:
    """Whether a position lies inside quotation marks (the marks included), by bisection."""

    def __init__(self, spans: list[QuotedSpan]) -> None:
        self.spans = spans
        self._starts = [q.open_mark for q in spans]

    def __contains__(self, pos: int) -> bool:
        return self.span_at(pos) is not None

    def span_at(self, pos: int) -> QuotedSpan | None:
        """The span whose marks enclose pos (the marks included), if any."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return None
        q = self.spans[i]
        end = q.close_mark if q.close_mark >= 0 else q.end
        return q if q.open_mark <= pos <= end else None
