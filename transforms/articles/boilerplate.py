"""Page furniture in the body: photo captions and credits, "Read also" link lists, promo and share
lines, copyright lines, and headlines or paragraphs printed twice."""

from __future__ import annotations

from transforms.articles.lines import SENTENCE_BREAK, TERMINAL, last_char, word_count
from transforms.articles.rules import match_any, rules
from transforms.text import fold

# Headline-short: a link-list item that ends in a full stop has at most this many words.
MAX_LINK_ITEM_WORDS = 16


def is_caption(line: str) -> bool:
    """Photo captions and credits, not story paragraphs that mention a photo."""
    r = rules()
    n = word_count(line)
    if n <= 60 and match_any(r.caption_markers, line) and not line.startswith("©"):
        return True
    m = r.agency_credit.search(line)
    if m:
        before = line[: m.start()].rstrip()
        if m.group(0).rstrip(")").rstrip().endswith("/") and n <= 60:
            return True  # photographer/agency credit with a trailing slash
        if n <= 25 and last_char(before) not in TERMINAL:
            return True
        if before.endswith(")") and r.agency_credit.search(before):
            return True  # two credits in a row
    if n <= 20 and last_char(line) not in TERMINAL:
        return bool(match_any(r.caption_hints, line))
    return False


def is_link_item(line: str, list_ends_text: bool = False) -> bool:
    """An item of a "Keep reading:" list: a headline, not a story paragraph.

    Items may end in a full stop only when the list runs to the end of the text and they are
    headline-short.
    """
    if word_count(line) > 30 or SENTENCE_BREAK.search(line):
        return False
    return last_char(line) != "." or (list_ends_text and word_count(line) <= MAX_LINK_ITEM_WORDS)


def drop_boilerplate(units: list[str], keep: list[bool], title_keys: set[str], is_copyright: list[bool]) -> None:
    """Clear `keep` for every furniture line of the text: repeated headlines (folded, in
    `title_keys`), link lists and their items, copyright lines, drop lines, link lines, captions."""
    r = rules()
    in_link_list = at_end = False
    for i, line in enumerate(units):
        if not keep[i]:
            continue
        if in_link_list:
            if is_link_item(line, at_end):
                keep[i] = False
                continue
            in_link_list = False
        if fold(line) in title_keys:
            keep[i] = False
        elif match_any(r.link_heading, line):
            keep[i] = False
            in_link_list = True
            # a list that runs to the end of the text may hold headlines ending in a full stop
            at_end = all(is_link_item(u, True) for u in units[i + 1 :])
        elif (
            is_copyright[i]
            or match_any(r.drop_line, line)
            or match_any(r.link_line, line)
            or is_caption(line)
        ):
            keep[i] = False


def dedupe(units: list[str]) -> list[str]:
    """Drop repeated paragraphs, and a lede printed on top that a later paragraph repeats in full."""
    seen: set[str] = set()
    out: list[str] = []
    folded = [fold(u) for u in units]
    for i, (u, f) in enumerate(zip(units, folded, strict=True)):
        if f in seen and word_count(u) >= 4:
            continue
        if word_count(u) >= 8 and any(g != f and g.startswith(f) for g in folded[i + 1 :]):
            continue
        seen.add(f)
        out.append(u)
    return out
