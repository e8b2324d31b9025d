"""The model's attribute ruler and lemmatizer, computed over a document's arrays.

In en_core_web_sm they are rules, yet they cost 17% of a full parse (10% and 7%, more than the
tagger and the alias matcher together): spaCy's attribute ruler runs a Matcher whose every token
matches some tag rule, then sets each match through a Span and a Python call; its lemmatizer calls
Python per token and caches no base form. These give the same values (benchmarks/rule_components.py
compares every token of the BBC corpus) from numpy masks and a cache of lemmas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc

_MATCHED = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
_SET = (POS, MORPH, LEMMA, TAG, DEP)
_COLUMN = {TAG: 0, LOWER: 1, DEP: 2, IS_SPACE: 3}


class Unsupported(ValueError):
    """A pattern these masks cannot match as spaCy's Matcher does: the stock component stays."""


@dataclass(frozen=True)
class _Test:
    column: int
    op: str  # eq, in, not_in, regex
    value: object  # a hash, a tuple of hashes, a compiled regex


@dataclass(frozen=True)
class _Pattern:
    elements: tuple[tuple[_Test, ...], ...]  # one tuple of tests per token


@dataclass(frozen=True)
class _Rule:
    patterns: tuple[_Pattern, ...]
    index: int  # which token of a match gets the values (negative: from the end)
    values: tuple[tuple[int, int], ...]  # (attribute, value)


def _test(key: str, value) -> _Test:
    if key not in _MATCHED:
        raise Unsupported(key)
    column = _COLUMN[_MATCHED[key]]
    if isinstance(value, bool):
        return _Test(column, "eq", int(value))
    if isinstance(value, str):
        return _Test(column, "eq", get_string_id(value))
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
            return _Test(column, op.lower(), tuple(get_string_id(v) for v in arg))
        if op == "REGEX" and key == "LOWER":
            return _Test(column, "regex", re.compile(arg))
    raise Unsupported(f"{key}: {value!r}")


def compile_rules(ruler) -> list[_Rule]:
    """The rules of a spaCy AttributeRuler, in its order (a later rule's values win, as in spaCy)."""
    rules = []
    for spec, values, index in zip(ruler.patterns, ruler.attrs, ruler.indices, strict=True):
        patterns = []
        for pattern in spec["patterns"]:
            if any("OP" in element for element in pattern):
                raise Unsupported("a quantifier")
            patterns.append(_Pattern(tuple(tuple(_test(k, v) for k, v in element.items()) for element in pattern)))
        if set(values) - set(_SET):
            raise Unsupported(f"sets {sorted(values)}")
        rules.append(_Rule(tuple(patterns), index, tuple(values.items())))
    return rules


class ArrayAttributeRuler:
    """spaCy's AttributeRuler over the document's TAG, LOWER, DEP and IS_SPACE arrays."""

    def __init__(self, stock) -> None:
        self.rules = compile_rules(stock)
        self.columns = [a for a in _SET if a != DEP and any(a == k for r in self.rules for k, _ in r.values)]
        # per regex: the lower-case forms (hashes) it was asked about, and those it matched
        self.regex_hits: dict[_Test, tuple[set[int], set[int]]] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        seen = doc.to_array([TAG, LOWER, DEP, IS_SPACE])
        out = doc.to_array(self.columns)
        where = {a: k for k, a in enumerate(self.columns)}
        masks: dict[_Test, np.ndarray] = {}
        # a rule that asks for a tag or a word the document lacks is passed over without a mask
        present = {c: set(np.unique(seen[:, c]).tolist()) for c in (_COLUMN[TAG], _COLUMN[LOWER])}
        deps: list[tuple[np.ndarray, int]] = []
        for rule in self.rules:
            targets = [t for p in rule.patterns if self._possible(p, present)
                       and (t := self._targets(p, rule.index, seen, masks, doc)).size]
            if not targets:
                continue
            at = np.concatenate(targets) if len(targets) > 1 else targets[0]
            for attr, value in rule.values:
                if attr == DEP:
                    deps.append((at, value))
                else:
                    out[at, where[attr]] = value
        doc.from_array(self.columns, out)
        for at, value in deps:
            for i in at.tolist():
                doc[i].dep = value
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    @staticmethod
    def _possible(pattern: _Pattern, present: dict[int, set[int]]) -> bool:
        return all(t.value in present[t.column] for tests in pattern.elements for t in tests
                   if t.op == "eq" and t.column in present)

    def _targets(self, pattern: _Pattern, index: int, seen: np.ndarray, masks: dict, doc: Doc) -> np.ndarray:
        width = len(pattern.elements)
        n = len(seen)
        if width > n:
            return np.empty(0, dtype=np.int64)
        starts = np.ones(n - width + 1, dtype=bool)
        checks = []
        for k, tests in enumerate(pattern.elements):
            for test in tests:
                if test.op == "regex":
                    checks.append((k, test))
                    continue
                mask = masks.get(test)
                if mask is None:
                    col = seen[:, test.column]
                    if test.op == "eq":
                        mask = col == test.value
                    else:  # the hashes as uint64: a tuple of Python ints past 2**63 would become floats
                        mask = np.isin(col, np.array(test.value, dtype=np.uint64), invert=test.op == "not_in")
                    masks[test] = mask
                starts &= mask[k:k + n - width + 1]
        found = np.flatnonzero(starts)
        for k, test in checks:
            if not found.size:
                break
            lowers = seen[found + k, test.column]
            answered, matching = self.regex_hits.setdefault(test, (set(), set()))
            new = set(lowers.tolist()) - answered
            if new:
                answered |= new
                matching |= {h for h in new if test.value.search(doc.vocab.strings[h])}
            found = found[np.isin(lowers, np.array(list(matching), dtype=np.uint64))]
        return found + (index if index >= 0 else width + index)


class CachedLemmatizer:
    """spaCy's rule lemmatizer with every answer cached by word, part of speech and morphology, which
    are all it reads (spaCy's own cache skips the base forms, most words); its own code answers a miss."""

    MAX_CACHED = 500_000  # (word, pos, morph) keys; past this the cache starts again

    def __init__(self, stock) -> None:
        self.stock = stock
        self.lemmas: dict[tuple[int, int, int], str] = {}

    @property
    def lookups(self):
        return self.stock.lookups

    def __call__(self, doc: Doc) -> Doc:
        stock = self.stock
        if not stock._validated:
            stock._validate_tables()
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        todo = range(len(doc)) if stock.overwrite else np.flatnonzero(arr[:, 3] == 0).tolist()
        if len(self.lemmas) > self.MAX_CACHED:
            self.lemmas.clear()
        strings = doc.vocab.strings
        out = arr[:, 3].copy()
        rows = arr.tolist()
        for i in todo:
            orth, pos, morph, _ = rows[i]
            key = (orth, pos, morph)
            lemma = self.lemmas.get(key)
            if lemma is None:
                lemma = stock.lemmatize(doc[i])[0]
                if pos:  # no part of speech: spaCy warns each time, so it is asked each time
                    self.lemmas[key] = lemma
            out[i] = strings.add(lemma)
        doc.from_array([LEMMA], out)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)
