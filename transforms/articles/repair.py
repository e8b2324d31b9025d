"""Glued-word repair: split tokens that machine translation or scraping glued together.

Only where the split is clearly right: a word wordfreq knows, or one the text repeats, is never
split. Names come from the text and from the corpus (`name_vocabulary`), frequencies from
wordfreq's English list (`english_zipf`, which same-story terms read too).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable
from functools import cache, lru_cache

from wordfreq import cB_to_zipf, get_frequency_dict, get_frequency_list, zipf_frequency

from transforms.articles.lines import LETTERS
from transforms.articles.rules import rules
from transforms.text import fold

# Frequencies on wordfreq's Zipf scale (log10 per billion words + 9).
GLUE_WORD_MIN_ZIPF = 5.0  # the word split off is very common ("met", "for", "who", "according")
VERB_MIN_ZIPF = 4.0  # ... or a past-tense verb of some frequency ("indicated")
COMMON_MIN_ZIPF = 4.0  # at or above: an everyday word ("year"), below: a name at most ("Rodriguez")
COMMON_PART_MIN_ZIPF = 3.0  # a compound's first part must be a word at least this common
PRODUCTIVE_HEAD = 3  # a word ending this many known compounds is a compound head ("shot", "weight")
FUNCTION_WORD_MIN_ZIPF = 6.0  # "of", "the", "in", "to": glued before a capitalised word ("ofNew")
NAME_MIN_ZIPF = 2.5  # a capitalised prefix wordfreq knows (names are in its lists: "Jinping", "Pena")

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
    return {fold(w) for w in words if _name_like(w)}


# A word after "[a-z,] ". The space leads, so the regex engine jumps from space to space; the
# lookbehind may read the end of the previous match, so no word is skipped.
_MID_SENTENCE_WORD = re.compile(r"(?<=[a-z,]) ([^\W\d_]+)")


def _name_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys.update(k for k in fold(name).split() if english_zipf(k) < COMMON_MIN_ZIPF)
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
        if fold(prefix) in known and fold(prefix) != fold(word):
            return i
        name_evidence = english_zipf(p) >= NAME_MIN_ZIPF or (_name_like(prev_word) and len(prefix) >= 3)
        if capital and english_zipf(p) < COMMON_MIN_ZIPF and re.search("[aeiouy]", p) and name_evidence:
            return i
        if not capital and len(prefix) >= 3 and english_zipf(p) >= COMMON_MIN_ZIPF:
            return i
    return None


_LETTER = re.compile(r"[^\W\d_]")  # a character of a LETTERS token


def _token_start(text: str, word: str) -> int:
    """Where the one LETTERS token equal to `word` starts (the caller knows it occurs once)."""
    i = text.find(word)
    while i >= 0 and ((i and _LETTER.match(text, i - 1)) or _LETTER.match(text, i + len(word))):
        i = text.find(word, i + 1)
    return i


def _token_before(text: str, end: int) -> str:
    """The LETTERS token that ends at `end`, or "" when none does."""
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
    counts = Counter(LETTERS.findall(text))
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
    modifiers = rules().compound_modifiers
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
        next_token = LETTERS.search(text, end)
        next_word = next_token.group(0) if next_token else ""
        prev_word = _token_before(text, start - 1) if text[start - 1 : start] == " " else ""
        cut = _split_point(word, prev_word, next_word, known, modifiers)
        if cut is not None:
            out.append(text[pos : start + cut])
            out.append(" ")
            pos = start + cut
    out.append(text[pos:])
    return "".join(out)

