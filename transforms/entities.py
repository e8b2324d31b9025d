"""spaCy entity spans -> resolved mentions and canonical entities.

Within a document: titles and possessives stripped, one label per name (a surname takes the
label of the full name it shortens), short forms and defined acronyms linked to the full form.
Across documents: an accent-, case- and punctuation-free key, so "Nicolas Maduro" and
"Nicolás Maduro" are one entity, named by its best-formed spelling. The alias file
(`data/aliases.yaml`) and the country table (`data/countries.csv`) name what text cannot tell.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span
from wordfreq import zipf_frequency

from transforms.ids import stable_hash
from transforms.lexicon import KnownEntity, lexicon, type_family
from transforms.mentions import EntityRef, Mention, MentionIndex
from transforms.resolve import short_name_owner
from transforms.text import name_key, strip_accents

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"}
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
_POSSESSIVE = re.compile(r"['’]s?$")


def entity_id_for(label: str, key: str) -> str:
    return stable_hash("entity", type_family(label), key)


def countries() -> tuple[KnownEntity, ...]:
    return lexicon().gazetteer.countries


def country_words() -> Mapping[str, KnownEntity]:
    """name_key of a country's name, alias, demonym or capital -> the country (for metonyms)."""
    return lexicon().gazetteer.country_words


def known_entities() -> Mapping[tuple[str, str], KnownEntity]:
    """(type family, name_key of any name or alias) -> entity, from the alias file and countries."""
    return lexicon().gazetteer.known


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns for the alias file's names: what the statistical NER cannot know."""
    pats = []
    for (_fam, _key), e in known_entities().items():
        for n in (e.name, *e.aliases):
            if len(n) < 3 and not n.isupper():
                continue
            pats.append({"label": e.entity_type, "pattern": n})
    seen, out = set(), []
    for p in pats:
        k = (p["label"], p["pattern"].casefold())
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _clean_span(span: Span) -> tuple[int, int] | None:
    """Token range of the name itself: no leading 'the', titles or role words, no possessive."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    if span.label_ == "PERSON":
        while start < end - 1 and doc[start].lower_.rstrip(".") in _title_words():
            start += 1
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct
                           or doc[end - 1].lower_ in _dangling()):
        end -= 1  # "the International Department of the" -> "International Department"
    if start >= end:
        return None
    if start > 0 and doc[start - 1].text in {"#", "@"} or doc[start].text.startswith(("#", "@")):
        return None  # a hashtag or handle is not a name
    return start, end


def _title_words() -> frozenset[str]:
    return lexicon().roles.name_titles


@cache
def _dangling() -> frozenset[str]:
    """Words a name never ends with: "the International Department of the" -> "International Department"."""
    fw = lexicon().function_words
    return fw.name_connectors | {"de", "del", "la", "y"}


@dataclass
class _Raw:
    start_char: int
    end_char: int
    text: str
    label: str
    key: str


def _document_mentions(doc: Doc) -> list[_Raw]:
    """Mentions of one doc with one label per name and short forms pointed at full forms."""
    raws: list[_Raw] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        rng = _clean_span(ent)
        if rng is None:
            continue
        span = doc[rng[0]:rng[1]]
        text = _POSSESSIVE.sub("", span.text) if span.text.endswith(("'s", "’s")) else span.text
        key = name_key(text)
        if not key or not any(c.isalpha() for c in key):
            continue
        if text.islower() and (ent.label_ != "PERSON" or len(span) == 1):
            continue  # "congress", "the ministry": lower-case common nouns the small model tags as names
        raws.append(_Raw(span.start_char, span.start_char + len(text), text, ent.label_, key))
    raws.extend(_missed_name_repeats(doc, raws))
    raws = _organisations(doc, raws)
    _people_by_role(doc, raws)
    raws.sort(key=lambda r: r.start_char)

    # one label per name: a surname or first name of a PERSON is a PERSON in this document
    person_tokens: dict[str, str] = {}
    full_persons = [r for r in raws if r.label == "PERSON" and " " in r.key]
    for r in full_persons:
        for tok in r.key.split():
            person_tokens.setdefault(tok, r.key)
    votes: dict[str, Counter] = defaultdict(Counter)
    for r in raws:
        votes[r.key][r.label] += 1
    for r in raws:
        if r.label != "PERSON" and (r.key in person_tokens or r.key in {p.key for p in full_persons}):
            if r.label in {"ORG", "GPE", "NORP", "LOC", "FAC"} and r.key in person_tokens:
                r.label = "PERSON"
        elif votes[r.key]["PERSON"] and r.label != "PERSON" and votes[r.key]["PERSON"] >= votes[r.key][r.label]:
            r.label = "PERSON"

    # short forms: "Maduro" -> the full name in this document that ends (or starts) with it
    fulls_by_part: dict[str, list[_Raw]] = defaultdict(list)
    for r in full_persons:
        toks = r.key.split()
        for i in range(len(toks)):
            for j in range(i + 1, len(toks) + 1):
                if (i, j) != (0, len(toks)):
                    fulls_by_part[" ".join(toks[i:j])].append(r)
    for r in raws:
        if r.label == "PERSON" and r.key in fulls_by_part:
            r.key = short_name_owner(r.key, [(c.key, c.start_char) for c in fulls_by_part[r.key]])

    # acronyms the text defines: "United Socialist Party of Venezuela (PSUV)"
    acronyms: dict[str, str] = {}
    for m in _ACRONYM_DEF.finditer(doc.text):
        acro = m.group(1)
        if not acro.isupper() and not (acro[0].isupper() and acro[1:].islower() and len(acro) <= 5):
            continue
        prev = [r for r in raws if r.label == "ORG" and 0 <= m.start() - r.end_char <= 2 and " " in r.key]
        if prev and _initials_fit(acro, prev[-1].text):
            acronyms[name_key(acro)] = prev[-1].key
    for r in raws:
        if r.label == "ORG" and r.key in acronyms:
            r.key = acronyms[r.key]
    return raws


def _org_rules() -> tuple[frozenset[str], frozenset[str]]:
    inst = lexicon().institutions
    return inst.org_heads, inst.connectors


def _organisations(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Names ending with an organisation noun are ORG: relabel facilities/locations the NER gave,
    trim descriptive tails ("Ministry of X of the Caribbean country"), and add names it missed."""
    heads, connectors = _org_rules()
    for r in raws:
        last = r.text.split()[-1].casefold() if r.text.split() else ""
        if r.label in {"FAC", "LOC"} and " " in r.text and last in heads:
            r.label = "ORG"
        if r.label == "ORG":
            span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
            first = r.text.split()[0].casefold()
            if span is not None and first in heads and " of " in r.text:  # "Ministry of Fisheries and Ports"
                end = span.end
                while end + 1 < len(doc) and doc[end].lower_ in connectors and doc[end + 1].is_title:
                    end += 2
                if end > span.end:
                    span = doc[span.start:end]
                    r.text, r.end_char, r.key = span.text, span.end_char, name_key(span.text)
            nxt = doc[span.end] if span is not None and span.end < len(doc) else None
            cut = r.text.rfind(" of the ")
            if nxt is not None and nxt.is_lower and nxt.pos_ == "NOUN" and cut > 0:
                r.text = r.text[:cut]
                r.end_char = r.start_char + cut
                r.key = name_key(r.text)
    covered = {i for r in raws if r.label == "ORG" for i in range(r.start_char, r.end_char)}
    added: list[_Raw] = []
    for tok in doc:
        if tok.lower_ not in heads or not tok.is_title or tok.idx in covered:
            continue
        start = tok.i  # extend left over capitalised words ("US Naval Academy")
        while start > 0 and (doc[start - 1].is_title or doc[start - 1].is_upper) \
                and doc[start - 1].pos_ in {"PROPN", "ADJ", "NOUN"} and not doc[start - 1].is_sent_start:
            start -= 1
        end = tok.i + 1  # extend right over "of Science and Technology"
        while end + 1 < len(doc) and doc[end].lower_ in connectors and doc[end + 1].is_title:
            end += 2
            while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN":
                end += 1
        if end - start < 2:
            continue
        span = doc[start:end]
        if any(i in covered for i in range(span.start_char, span.end_char)):
            continue
        covered.update(range(span.start_char, span.end_char))
        added.append(_Raw(span.start_char, span.end_char, span.text, "ORG", name_key(span.text)))
    raws = raws + added
    orgs = [(r.start_char, r.end_char) for r in raws if r.label == "ORG"]
    # what a longer organisation name swallowed ("US" in "US Naval Academy", "Ports") goes
    return [r for r in raws if not any(s <= r.start_char and r.end_char <= e and (s, e) != (r.start_char, r.end_char)
                                       for s, e in orgs)]


PERSON_WORD_MAX_ZIPF = 4.5  # "Davies" 4.0 and "Sturgeon" 3.3 are names; "Street" 5.3 and "Affairs" 4.5 are not


def _people_by_role(doc: Doc, raws: list[_Raw]) -> None:
    """A two- or three-word capitalised name in apposition to a role ("the Vice Minister ..., Rander
    Pena") or right after one ("Minister Rander Pena") is a person, whatever label the NER gave."""
    heads, _ = _org_rules()
    roles = _title_words()
    for r in raws:
        words = r.text.split()
        if r.label not in {"ORG", "GPE", "NORP", "FAC"} or not 2 <= len(words) <= 3:
            continue
        if any(w.casefold() in heads for w in words) or not all(w[:1].isupper() and not w.isupper() for w in words):
            continue
        if max(zipf_frequency(name_key(w), "en") for w in words) >= PERSON_WORD_MAX_ZIPF:
            continue  # "Downing Street", "Home Affairs": everyday words, not a person's names
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        before = doc[span.start - 1] if span.start > 0 else None
        # "the Vice Minister for Latin America of Venezuela, Rander Pena": a role phrase, a comma, the name
        lead = doc[max(span.sent.start, span.start - 10):span.start - 1] if before is not None and before.text == "," \
            else doc[0:0]
        role_phrase = any(t.lower_ in roles for t in lead) and not any(t.pos_ in {"VERB", "AUX"} for t in lead)
        if (root.dep_ in {"appos", "conj"} and root.head.lower_ in roles) or role_phrase \
                or (before is not None and before.lower_ in roles):
            r.label = "PERSON"


def _missed_name_repeats(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Later uses of a person's full name or surname that the statistical NER left untagged."""
    covered = set()
    for r in raws:
        covered.update(range(r.start_char, r.end_char))
    wanted: dict[str, str] = {}  # surface -> key of the full name
    for r in raws:
        parts = r.text.split()
        if r.label == "PERSON" and len(parts) >= 2 and r.text[:1].isupper():
            wanted.setdefault(r.text, r.key)
            if parts[-1].casefold() not in lexicon().calendar.words and len(parts[-1]) > 2:
                wanted.setdefault(parts[-1], r.key)
    if not wanted:
        return []
    found = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)) + r")\b")
    for m in pattern.finditer(doc.text):
        if any(i in covered for i in range(m.start(), m.end())):
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None or any(t.pos_ not in {"PROPN", "NOUN", "ADJ", "X"} for t in span):
            continue
        covered.update(range(m.start(), m.end()))
        found.append(_Raw(m.start(), m.end(), m.group(1), "PERSON", name_key(m.group(1))))
    return found


@cache
def _alias_persons_by_last() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for (fam, _key), e in known_entities().items():
        if fam == "PERSON" and " " in name_key(e.name):
            out[name_key(e.name).split()[-1]].add(name_key(e.name))
    return {k: frozenset(v) for k, v in out.items()}


def surname_owners(batch_full_names: Iterable[str],
                   warehouse: Mapping[str, str]) -> tuple[dict[str, set[str]], set[str]]:
    """The one rule for whom a lone surname names: the full PERSON names (keys) that end with it in
    the batch, else in the alias file; it is someone's own when exactly one does. The warehouse's
    unique surnames (sql/marts/person_surnames.sql applies the same rule there) count where neither
    the batch nor the alias file knows the surname. Returns (surname -> full names, unique surnames)."""
    full_by_last: dict[str, set[str]] = defaultdict(set)
    for key in batch_full_names:
        full_by_last[key.split()[-1]].add(key)
    for last, keys in _alias_persons_by_last().items():
        full_by_last.setdefault(last, set(keys))
    unique = {k for k, v in full_by_last.items() if len(v) == 1}
    unique.update(k for k in warehouse if k not in full_by_last)
    return full_by_last, unique


SURNAME_MAX_ZIPF = 3.5  # "Capriles", "Chávez" are found without the NER; "Brown", "May" are not


def _missed_surnames(doc: Doc, raws: list[_Raw], surnames: set[str]) -> list[_Raw]:
    """Capitalised surnames of people known to the batch that the NER left untagged in this doc."""
    covered = set()
    for r in raws:
        covered.update(range(r.start_char, r.end_char))
    found = []
    for tok in doc:
        if not tok.is_title or tok.pos_ != "PROPN" or tok.idx in covered or len(tok.text) < 4:
            continue
        key = name_key(tok.text)
        if key in surnames and zipf_frequency(key, "en") <= SURNAME_MAX_ZIPF and tok.ent_type_ in ("", "PERSON"):
            found.append(_Raw(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON", key))
    return found


def _minor_words() -> frozenset[str]:
    return lexicon().function_words.minor_name_words


def _initials_fit(acronym: str, name: str) -> bool:
    """The acronym's letters are the initials of the name's main words, in any order (PSUV ~ USPV)."""
    words = [w for w in re.split(r"[\s\-]+", strip_accents(name)) if w and w.lower() not in _minor_words()]
    initials = Counter(w[0].upper() for w in words)
    letters = Counter(strip_accents(acronym).upper())
    missing = sum((letters - initials).values())
    return missing <= max(0, len(letters) // 4) and len(letters) >= 2


def _name_quality(text: str) -> tuple:
    """Best-formed spelling first: proper case, diacritics, more words, then longer."""
    proper = all(w[:1].isupper() for w in text.split() if w.lower() not in _minor_words() and w[:1].isalpha())
    accents = strip_accents(text) != text
    return (proper, not text.isupper() or len(text) <= 5, len(text.split()), accents, len(text), text)


@dataclass
class ResolvedEntities:
    """A batch's mentions per article (with each article's index) and the entities they point at."""

    mentions: dict[str, list[Mention]]
    entities: list[EntityRef]
    indexes: dict[str, MentionIndex]


def resolve_entities(article_ids: Sequence[str], docs: Iterable[Doc],
                     known_surnames: Mapping[str, str] | None = None) -> ResolvedEntities:
    """Mentions of a batch of documents, resolved to entities shared across the batch.

    `known_surnames` (surname -> the one full name's key, from earlier loads) lets a lone surname
    the NER missed be found when no article of this batch gives the full name, so the rows of an
    article do not depend on which articles share its batch. Such a mention keeps the surname as
    its key here; the warehouse's surname redirect points it at the full name.
    """
    docs = list(docs)
    per_doc: list[tuple[str, list[_Raw]]] = [
        (aid, _document_mentions(doc)) for aid, doc in zip(article_ids, docs, strict=True)]
    known = known_entities()

    batch_fulls = (r.key for _, raws in per_doc for r in raws if r.label == "PERSON" and " " in r.key)
    full_by_last, unique_last = surname_owners(batch_fulls, known_surnames or {})
    places = country_words()
    for (_, raws), doc in zip(per_doc, docs, strict=True):
        for r in raws:  # one label per name across the batch: "Chávez" tagged GPE is Hugo Chávez
            if r.label in {"GPE", "LOC", "ORG", "NORP"} and r.key in unique_last and r.key not in places:
                r.label = "PERSON"
        raws.extend(_missed_surnames(doc, raws, unique_last))
    for _, raws in per_doc:
        for r in raws:
            if r.label == "PERSON" and " " not in r.key and len(full_by_last.get(r.key, ())) == 1:
                r.key = next(iter(full_by_last[r.key]))

    surfaces: dict[tuple[str, str], Counter] = defaultdict(Counter)
    labels: dict[tuple[str, str], Counter] = defaultdict(Counter)
    resolved: dict[tuple[str, str], KnownEntity | None] = {}
    for _, raws in per_doc:
        for r in raws:
            fam = type_family(r.label)
            k = known.get((fam, r.key))
            if k is not None:
                r.key = name_key(k.name)
            ident = (fam, r.key)
            resolved.setdefault(ident, k)
            surfaces[ident][r.text] += 1
            labels[ident][r.label] += 1

    entities: dict[tuple[str, str], EntityRef] = {}
    for ident, names in surfaces.items():
        k = resolved.get(ident)
        label = k.entity_type if k else labels[ident].most_common(1)[0][0]
        name = k.name if k else max(names, key=_name_quality)
        entities[ident] = EntityRef(entity_id_for(label, ident[1]), name, label, k.country_code if k else None,
                                    ident[1])

    country_refs = _country_refs()
    mentions: dict[str, list[Mention]] = {}
    indexes: dict[str, MentionIndex] = {}
    for aid, raws in per_doc:
        ms = []
        seen_starts: set[int] = set()
        for r in raws:
            if r.start_char in seen_starts:
                continue
            seen_starts.add(r.start_char)
            ms.append(Mention(r.start_char, r.end_char, r.text, entities[(type_family(r.label), r.key)], r.label))
        mentions[aid] = ms
        indexes[aid] = MentionIndex(ms, country_refs)
    return ResolvedEntities(mentions, list(entities.values()), indexes)


@cache
def _country_refs() -> dict[str, EntityRef]:
    """Lower-cased country words -> the country's entity, for demonyms and capitals in events."""
    out = {}
    for word_key, c in country_words().items():
        out[word_key] = EntityRef(entity_id_for("GPE", name_key(c.name)), c.name, "GPE", c.country_code,
                                  name_key(c.name))
    return out


def country_entities() -> dict[str, EntityRef]:
    """entity_id -> entity of every known country (events and speakers may point at one not mentioned)."""
    return {ref.entity_id: ref for ref in _country_refs().values()}
