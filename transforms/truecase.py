"""All-capital lines (headlines, datelines, results tables) given their likely case before the NLP.

The statistical tagger and NER read case: "JAPAN GET LUCKY WIN" is noise to them, "Japan get lucky
win" is not. A word of an all-capital line takes the case the same text gives it elsewhere
(lower-case "win", title-case "Japan"); failing that, an everyday English word is lower case and any
other word a name, an acronym the alias file knows stays in capitals. Only letters change case, so
every offset into the result is an offset into the original: the parse is computed on the
truecased text and the tokens keep the original words.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wordfreq import zipf_frequency

from transforms.lexicon import lexicon

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
CAPS_LINE_SHARE = 0.8  # a line is an all-capital line when this share of its words are in capitals
CAPS_LINE_MIN_WORDS = 2
EVERYDAY_ZIPF = 4.0  # an unseen capitalised word this common in English is an everyday word
FUNCTION_WORD_ZIPF = 5.5  # words of known names this common ("of", "new") do not make a word a name


@cache
def _acronyms() -> frozenset[str]:
    """Names the alias file writes in capitals ("EU", "NATO"): they stay as they are."""
    known = lexicon().gazetteer.known
    return frozenset(n for e in known.values() for n in (e.name, *e.aliases) if n.isupper() and " " not in n)


@cache
def _known_words() -> frozenset[str]:
    gaz = lexicon().gazetteer
    words = {w for k in (*gaz.country_words, *(key for _, key in gaz.known)) for w in k.split()}
    return frozenset(w for w in words if len(w) > 2 and zipf_frequency(w, "en") < FUNCTION_WORD_ZIPF)


def _known_name(low: str) -> bool:
    return low in _known_words()


def caps_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line whose words are nearly all in capitals."""
    out, pos = [], 0
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) >= CAPS_LINE_MIN_WORDS and sum(w.isupper() for w in words) >= CAPS_LINE_SHARE * len(words):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def truecase(text: str) -> str:
    """The text with its all-capital lines in their likely case; the same length, letter for letter."""
    lines = caps_lines(text)
    if not lines:
        return text
    seen: dict[str, Counter] = {}
    inside = [False] * (len(text) + 1)
    for s, e in lines:
        inside[s:e] = [True] * (e - s)
    for m in _WORD.finditer(text):
        w = m.group()
        if not inside[m.start()] and not w.isupper():
            seen.setdefault(w.casefold(), Counter())[w] += 1
    out = list(text)
    for s, e in lines:
        first = True
        for m in _WORD.finditer(text, s, e):
            w = m.group()
            cased = _case(w, seen.get(w.casefold()), first)
            out[m.start():m.end()] = cased
            first = False
    return "".join(out)


def _case(word: str, seen: Counter | None, first: bool) -> str:
    if not word.isupper():
        return word
    if word in _acronyms():
        return word
    if seen:
        form = seen.most_common(1)[0][0]
        if len(form) == len(word):
            return form[0].upper() + form[1:] if first else form
    low = word.casefold()
    if len(low) != len(word):
        return word
    if _known_name(low):
        return word[0] + low[1:]  # "JAPAN", "REUTERS": a name the alias file or the countries know
    if len(word) <= 3 and zipf_frequency(low, "en") < EVERYDAY_ZIPF:
        return word  # "UAE", "KDP": short capitals that are no English word are acronyms
    if zipf_frequency(low, "en") >= EVERYDAY_ZIPF and not first:
        return low
    return word[0] + low[1:]
