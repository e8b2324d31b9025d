"""Near-duplicates (MinHash over word shingles) and same-story groups (informative terms + events).

Two articles are near-duplicates when their word 5-shingles overlap by an estimated Jaccard of
0.8 or more: the same text with a different byline, a correction, a syndicated copy. They are
the *same story* when they report the same event in different words (two outlets translating
one wire report): their informative terms agree (cosine of the top terms, weighted by how rare
each word is in general English, from wordfreq) and they code at least one identical event
(type, actor and recipient entities) or carry the same headline, or their terms agree almost
completely. Topic overlap alone
("another story about the same party") is not enough: that is what the event check is for.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from transforms.articles.repair import english_zipf
from transforms.text import normalise_text

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2.x; stored signatures are only comparable under the same scheme and hash
# crc32 (32-bit, deterministic across processes) hashes a shingle in a third less time than datasketch's sha1
SHINGLE = 5
NEAR_DUPLICATE_JACCARD = 0.8
TOP_TERMS = 40
STORY_COSINE_WITH_EVENT = 0.45  # terms agree and a shared event is coded
STORY_COSINE_ALONE = 0.95  # terms agree so strongly that the text is one report (same-outlet topic
# follow-ups reuse background paragraphs and reach 0.75-0.9 on BBC without being one story)
STORY_MAX_DAYS_APART = 3

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@cache
def _permutations() -> np.ndarray:
    """The permutations MinHash draws from its seed: drawn once, not once per signature."""
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32).permutations


@cache
def lsh_params(threshold: float = NEAR_DUPLICATE_JACCARD) -> tuple[int, int]:
    """MinHashLSH's (bands, rows) for a threshold: an integration, worked out once."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


_U32 = np.uint32


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, which datasketch's affine32 scheme applies to each hash first."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def minhash_signature(text: str) -> np.ndarray:
    """MinHash of the text's word 5-shingles (normalised: case, accents form, spacing).

    The values of datasketch's ``MinHash(NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32)`` after
    ``update_batch`` of the distinct shingles (tests/test_stories.py checks it), computed with numpy at
    once: each shingle is a slice of the normalised text, and hashing a repeated shingle again leaves
    the minimum as it is.
    """
    # single spaces, so shingle i runs from word i's start to word i+4's end
    data = normalise_text(text).encode("utf-8")
    spaces = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord(" "))
    n = len(spaces) + 1 - (SHINGLE - 1)  # shingles
    if n < 1:  # fewer words than a shingle: the whole text is the one shingle
        hashes = np.array([zlib.crc32(data)], dtype=_U32)
    else:
        starts = np.concatenate(([0], spaces + 1))[:n].tolist()
        ends = np.concatenate((spaces, [len(data)]))[SHINGLE - 1 :].tolist()
        shingles = map(data.__getitem__, map(slice, starts, ends))
        hashes = np.fromiter(map(zlib.crc32, shingles), dtype=_U32, count=n)
    a, b = _permutations()
    return (_fmix32(hashes)[:, None] * a + b).min(axis=0).astype(np.uint64)


class NearDuplicateIndex:
    """MinHash LSH over articles in load order, so a query finds the earliest near-identical one.

    The banding is datasketch's MinHashLSH for the threshold (9 bands of 13 rows at 0.8), kept
    compact because the flow holds one entry per stored article for the whole run: signatures as
    rows of uint32 (the affine32 values fit) and each band as a dict from the hash of its bytes to
    the articles' load-order positions. Candidates are then checked by their exact MinHash
    Jaccard, so a collision of band hashes can only cost a comparison, never change a result.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.threshold = threshold
        self._bands, self._rows = lsh_params(threshold)
        self._tables: list[dict[int, int | list[int]]] = [{} for _ in range(self._bands)]
        self._sigs: list[np.ndarray] = []
        self._ids: list[str] = []
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._order)

    def _keys(self, sig: np.ndarray) -> list[int]:
        r = self._rows
        return [hash(sig[i * r:(i + 1) * r].tobytes()) for i in range(self._bands)]

    def add(self, article_id: str, sig: np.ndarray | MinHash) -> None:
        if article_id in self._order:
            return
        sig = _compact(sig)
        pos = len(self._ids)
        self._order[article_id] = pos
        self._ids.append(article_id)
        self._sigs.append(sig)
        for table, key in zip(self._tables, self._keys(sig), strict=True):
            held = table.get(key)
            if held is None:
                table[key] = pos
            elif isinstance(held, list):
                held.append(pos)
            else:
                table[key] = [held, pos]

    def earliest_match(self, article_id: str, sig: np.ndarray | MinHash) -> str | None:
        sig = _compact(sig)
        candidates: set[int] = set()
        for table, key in zip(self._tables, self._keys(sig), strict=True):
            held = table.get(key)
            if held is not None:
                candidates.update(held if isinstance(held, list) else (held,))
        for pos in sorted(candidates):  # load order: the first that passes is the earliest
            if self._ids[pos] != article_id and _jaccard(self._sigs[pos], sig) >= self.threshold:
                return self._ids[pos]
        return None


def _compact(sig: np.ndarray | MinHash) -> np.ndarray:
    values = sig.hashvalues if isinstance(sig, MinHash) else sig
    return np.ascontiguousarray(values, dtype=np.uint32)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash's Jaccard estimate, as datasketch computes it: the share of equal values."""
    return float(np.count_nonzero(a == b)) / float(len(a))


def near_duplicates(
    new: Sequence[tuple[str, np.ndarray]], earlier: NearDuplicateIndex | Iterable[tuple[str, np.ndarray]],
) -> dict[str, str]:
    """new article_id -> the earliest article it nearly duplicates: an earlier one, else one before it in `new`.

    `earlier` is only read: a load that is later rejected must leave no trace in it.
    """
    if not isinstance(earlier, NearDuplicateIndex):
        index = NearDuplicateIndex()
        for aid, sig in earlier:
            index.add(aid, sig)
        earlier = index
    batch = NearDuplicateIndex(earlier.threshold)
    out: dict[str, str] = {}
    for aid, sig in new:
        first = earlier.earliest_match(aid, sig) or batch.earliest_match(aid, sig)
        if first:
            out[aid] = out.get(first, first)
        else:
            batch.add(aid, sig)
    return out


@lru_cache(maxsize=32_768)  # the hot set of words (see transforms.text)
def _informativeness(word: str) -> float:
    """How much a word says about a story: rare words in general English count most."""
    return max(0.0, 7.0 - english_zipf(word))


MIN_TERM_RARITY = 1.5  # commoner words are no story term


@lru_cache(maxsize=32_768)
def _term(token: str) -> tuple[str, float]:
    """A token's term (folded, straight apostrophe) and its rarity; rarity 0 for tokens of two letters or less."""
    if len(token) <= 2:
        return token, 0.0
    term = token.casefold().replace("’", "'")
    return term, _informativeness(term)


def story_terms(text: str, k: int = TOP_TERMS) -> dict[str, float]:
    """The text's k most informative words with unit-length weights (log tf x rarity)."""
    counts: dict[str, int] = {}
    rarity: dict[str, float] = {}
    for token, n in Counter(_WORD.findall(text)).items():  # each distinct spelling once
        term, r = _term(token)
        if r > MIN_TERM_RARITY:
            counts[term] = counts.get(term, 0) + n
            rarity[term] = r
    # (-weight, term): sorts heaviest first, then by term
    ranked = sorted((-((1 + math.log(n)) * rarity[w]), w) for w, n in counts.items())
    top = [(w, -v) for v, w in ranked[:k]]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {w: v / norm for w, v in top}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[w] for w, v in a.items() if w in b)


@dataclass(frozen=True)
class StoryCandidate:
    article_id: str
    story_id: str
    terms: Mapping[str, float]
    events: frozenset[tuple[str, str, str]]  # (event_type, actor_entity_id, recipient_entity_id)
    published: object | None  # date or datetime or None
    title_key: str | None = None  # normalised headline of three words or more


def title_key(title: str | None) -> str | None:
    """A headline as compared across articles: outlets re-running a story keep its headline."""
    if not title:
        return None
    key = " ".join(_WORD.findall(normalise_text(title)))
    return key if len(key.split()) >= 3 else None


def same_story(a: StoryCandidate, b: StoryCandidate) -> bool:
    """Whether a and b report one story: the rule of StoryIndex.same_story, asked of an index holding b.

    The rule is written once, where the flow uses it (a load compares its candidates with a
    StoryIndex); this is for comparing two candidates on their own.
    """
    index = StoryIndex((b,))
    return index.same_story(0, index.probe(a))


def _as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _day(published: object | None) -> int:
    """A publication date or time as the date's ordinal, -1 for none."""
    return -1 if published is None else _as_date(published).toordinal()


@dataclass(frozen=True)
class StoryProbe:
    """A new candidate prepared for comparison with one StoryIndex (see StoryIndex.probe)."""

    candidate: StoryCandidate
    terms: dict[int, tuple[int, float]]  # the index's term id -> (position in the candidate's terms, weight)
    n_terms: int
    day: int  # date ordinal, -1 for none


class StoryIndex:
    """Every stored story candidate and an inverted index of their terms, kept across a run's loads.

    Built once and grown as loads commit, instead of re-indexing the whole warehouse for each load.
    It holds one entry per stored original for the whole run, so it is kept columnar: term ids and
    weights in flat arrays (one vocabulary for all), dates as day numbers, and the few lead events
    in a dict; `same_story(i, probe)` compares from the columns, and `candidate(i)` rebuilds a
    StoryCandidate (terms in their order, same weights). 31 MB for 19,842 stored articles
    (tracemalloc), where StoryCandidate objects took 41.5 MB.
    """

    def __init__(self, candidates: Iterable[StoryCandidate] = ()) -> None:
        self._vocab: dict[str, int] = {}
        self._words: list[str] = []
        self._index: dict[int, array] = {}
        self._term_ids = array("i")
        self._weights = array("d")
        self._offsets = array("Q", (0,))
        self._ids: list[str] = []
        self._stories: list[str] = []
        self._days = array("q")  # date ordinal of published, -1 for none
        self._titles: list[str | None] = []
        self._events: dict[int, frozenset[tuple[str, str, str]]] = {}
        for c in candidates:
            self.add(c)

    def add(self, c: StoryCandidate) -> None:
        pos = len(self._ids)
        for term, weight in c.terms.items():
            tid = self._vocab.get(term)
            if tid is None:
                tid = self._vocab[term] = len(self._words)
                self._words.append(sys.intern(term))
            self._term_ids.append(tid)
            self._weights.append(weight)
            held = self._index.get(tid)
            if held is None:
                self._index[tid] = array("I", (pos,))
            else:
                held.append(pos)
        self._offsets.append(len(self._term_ids))
        self._ids.append(c.article_id)
        self._stories.append(c.article_id if c.story_id == c.article_id else c.story_id)
        self._days.append(_day(c.published))
        self._titles.append(c.title_key)
        if c.events:
            self._events[pos] = c.events

    def positions(self, term: str) -> Sequence[int]:
        """Positions (in the order added) of the candidates with this term."""
        tid = self._vocab.get(term)
        return () if tid is None else self._index[tid]

    def candidate(self, i: int) -> StoryCandidate:
        lo, hi = self._offsets[i], self._offsets[i + 1]
        words = self._words
        terms = {words[t]: w for t, w in zip(self._term_ids[lo:hi], self._weights[lo:hi], strict=True)}
        day = self._days[i]
        return StoryCandidate(self._ids[i], self._stories[i], terms, self._events.get(i, frozenset()),
                              None if day < 0 else dt.date.fromordinal(day), self._titles[i])

    def sharing(self, terms: Iterable[str], at_least: int) -> list[int]:
        """Positions, in order, of the candidates sharing at least `at_least` of these terms.

        The terms' postings are counted with numpy: a common term has thousands of postings in a
        big warehouse, which a Counter walked one by one.
        """
        postings = [np.frombuffer(p, dtype=np.uintc) for p in map(self.positions, terms) if len(p)]
        if not postings:
            return []
        return np.flatnonzero(np.bincount(np.concatenate(postings)) >= at_least).tolist()

    def article_id(self, i: int) -> str:
        return self._ids[i]

    def story_id(self, i: int) -> str:
        return self._stories[i]

    def probe(self, c: StoryCandidate) -> StoryProbe:
        """c as this index compares it: its terms by this index's term ids, with their order."""
        terms = {}
        for k, (term, weight) in enumerate(c.terms.items()):
            tid = self._vocab.get(term)
            if tid is not None:
                terms[tid] = (k, weight)
        return StoryProbe(c, terms, len(c.terms), _day(c.published))

    def same_story(self, i: int, p: StoryProbe) -> bool:
        """The same-story rule, the only copy of it: does the probe report the story of candidate i?

        Dated more than STORY_MAX_DAYS_APART days apart: no (an undated candidate is never ruled
        out). Otherwise their terms decide: a cosine of STORY_COSINE_ALONE or more is one report; one
        of STORY_COSINE_WITH_EVENT or more needs the same headline or a shared lead event. The dates
        come first because the cosine is what a comparison costs.

        Read from the columns without building the candidate: the cosine sums the same products in
        the same order as `cosine(p.candidate.terms, self.candidate(i).terms)` (over the shorter term
        list, in its order), so it is the same float.
        """
        day = self._days[i]
        if p.day >= 0 and day >= 0 and abs(p.day - day) > STORY_MAX_DAYS_APART:
            return False
        lo, hi = self._offsets[i], self._offsets[i + 1]
        terms = p.terms
        products = [(terms[t][0], terms[t][1] * w)
                    for t, w in zip(self._term_ids[lo:hi], self._weights[lo:hi], strict=True) if t in terms]
        if p.n_terms <= hi - lo:  # cosine walks the probe's terms: its order
            products.sort()
        sim = sum(x for _, x in products)
        if sim >= STORY_COSINE_ALONE:
            return True
        if sim < STORY_COSINE_WITH_EVENT:
            return False
        c = p.candidate
        if c.title_key is not None and c.title_key == self._titles[i]:
            return True
        return bool(c.events & self._events.get(i, frozenset()))

    def __len__(self) -> int:
        return len(self._ids)


def assign_stories(
    new: Sequence[StoryCandidate], earlier: StoryIndex | Sequence[StoryCandidate], min_shared_terms: int = 4
) -> dict[str, str]:
    """article_id -> story_id: the story of the earliest article it reports the same story as, else its own.

    Only articles sharing a few top terms are compared (an inverted index), so a load costs
    about its size times the few articles on the same topic, not times the whole warehouse.
    `earlier` is only read: this load's candidates go to an overlay, so a rejected load leaves
    no trace in it.
    """
    stored = earlier if isinstance(earlier, StoryIndex) else StoryIndex(earlier)
    overlay = StoryIndex()

    out: dict[str, str] = {}
    for cand in new:
        story = cand.story_id
        for index in (stored, overlay):  # earlier loads first, then this load: article order
            probe = index.probe(cand)
            for j in index.sharing(cand.terms, min_shared_terms):
                if index.article_id(j) != cand.article_id and index.same_story(j, probe):
                    story = index.story_id(j)
                    break
            else:
                continue
            break
        out[cand.article_id] = story
        overlay.add(StoryCandidate(cand.article_id, story, cand.terms, cand.events, cand.published, cand.title_key))
    return out
