"""Which sentences the rules read the parse of, decided from the words alone, before any parse.

The quote and event rules read the tagger's and parser's output only in sentences with one of their
cues: a quotation mark or a colon (direct quotes, credits, transcript lines), a reporting verb, noun
or phrase, or an event trigger whose other words (`Trigger.words`, `governors`) are there too. The
selection comes from the same lexicons the rules apply (reporting_cues.yaml, plover_lexicon.yaml),
so a cue added there is parsed without another edit here. Words are compared as every lemma their
form may have (the model's own exception and suffix tables, any part of speech): it may choose a
sentence the rules then pass over, never leave out one they would read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from transforms.lexicon import Trigger, lexicon

DOUBLE_MARKS = frozenset('"“”„«»‹›')  # quotation marks that are never an apostrophe
SINGLE_MARKS = frozenset("'‘’‚")  # also apostrophes: a mark only as a token of its own or at a word's edge
CLITICS = frozenset({"'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "s'", "’s", "’re", "’ve", "’ll", "’d", "’m",
                     "n’t", "s’"})
CREDIT_MARKS = frozenset({":", "—", "―", "–"})  # 'Name: "…"', '"…" ― Name', transcript lines


def selective_parse_requested() -> bool:
    """NEWSETL_SELECTIVE_PARSE=1: tag and parse only the sentences the rules read (SelectiveParser).

    Off by default: on news nine sentences in ten hold a cue a rule reads (a quotation mark, "said"),
    so parsing the rest apart saved no time, and the NER lost 1.6 PER points (benchmarks/README.md)."""
    return os.environ.get("NEWSETL_SELECTIVE_PARSE", "") not in ("", "0")


def is_mark(word: str) -> bool:
    """A quotation mark or a credit mark in a token, not an apostrophe of a clitic ("Blair's")."""
    if any(c in DOUBLE_MARKS or c in CREDIT_MARKS for c in word):
        return True
    return word not in CLITICS and (word[0] in SINGLE_MARKS or word[-1] in SINGLE_MARKS)


@dataclass(frozen=True)
class _Needs:
    """A cue word and what else must be in the sentence for a rule to read it: any one of `options`,
    each a set of words that must all be present (an empty set: the word alone)."""

    options: tuple[frozenset[str], ...]


@dataclass
class SentenceSelector:
    """`wants(words)`: whether a sentence of these (lower-case) words is one a rule reads the parse of."""

    cues: Mapping[str, _Needs]
    lemma_exceptions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    suffix_rules: Sequence[tuple[str, str]] = ()
    _lemmas: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def lemmas(self, form: str) -> frozenset[str]:
        """Every lemma a lower-case form may have, the form itself included (cached: few distinct forms)."""
        found = self._lemmas.get(form)
        if found is None:
            out = {form, *self.lemma_exceptions.get(form, ())}
            out.update(form[: len(form) - len(old)] + new for old, new in self.suffix_rules
                       if form.endswith(old) and len(form) > len(old) + 1)
            found = self._lemmas[form] = frozenset(out)
        return found

    def wants(self, words: Sequence[str]) -> bool:
        if any(is_mark(w) for w in words if w):
            return True
        present: set[str] | None = None
        for w in words:
            for lemma in self.lemmas(w):
                needs = self.cues.get(lemma)
                if needs is None:
                    continue
                if present is None:
                    present = {x for v in words for x in self.lemmas(v)}
                if any(opt <= present for opt in needs.options):
                    return True
        return False


def _add(cues: dict[str, set[frozenset[str]]], word: str, also: Iterable[str] = ()) -> None:
    cues.setdefault(word.casefold(), set()).add(frozenset(w.casefold() for w in also))


def _trigger_options(head: str, triggers: Iterable[Trigger], cues: dict[str, set[frozenset[str]]]) -> None:
    for t in triggers:
        words = [w for w in t.words if w != head]
        if t.governors:
            for g in t.governors:
                _add(cues, head, [*words, g])
        else:
            _add(cues, head, words)


def sentence_selector(lemma_exceptions: Mapping[str, Iterable[str]] | None = None,
                      suffix_rules: Sequence[tuple[str, str]] = ()) -> SentenceSelector:
    """The selector of the lexicons as loaded; the lemma tables come from the model (see nlp.py)."""
    lex = lexicon()
    rc = lex.reporting
    cues: dict[str, set[frozenset[str]]] = {}
    for group in (rc.speech_verbs, rc.reported_speech_verbs, rc.belief_verbs, rc.claim_verbs, rc.request_verbs,
                  rc.naming_verbs, rc.judging_verbs, rc.document_verbs, rc.question_verbs, rc.object_verbs,
                  rc.pledge_verbs, rc.speech_nouns):
        for w in group:
            _add(cues, w)
    for phrase in (*rc.cue_phrases, *(p.split() for p in rc.phrasal_speech)):
        words = [w for w in phrase if w]
        if words:  # the phrase's first content word, with the rest required beside it
            _add(cues, words[0], words[1:])
    ev = lex.events
    for table in (ev.verbs, ev.nouns, ev.adjectives):
        for head, triggers in table.items():
            _trigger_options(head, triggers, cues)
    for w in ev.deontic_verbs:
        _add(cues, w)
    return SentenceSelector(
        cues={w: _Needs(tuple(sorted(opts, key=len))) for w, opts in cues.items()},
        lemma_exceptions={k: tuple(v) for k, v in (lemma_exceptions or {}).items()},
        suffix_rules=tuple(suffix_rules))
