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

from spacy.attrs import IS_TITLE, LOWER, POS
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token
from wordfreq import zipf_frequency

from transforms.ids import stable_hash
from transforms.lexicon import KnownEntity, lexicon, type_family
from transforms.mentions import EntityRef, Mention, MentionIndex
from transforms.resolve import short_name_owner
from transforms.scorecards import batting_line, bowling_figures
from transforms.text import name_key, strip_accents

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"}
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
_POSSESSIVE = re.compile(r"['’]s?$")


def _text(doc: Doc) -> str:
    """The doc's text, joined once: `Doc.text` joins every token's text on each call."""
    text = doc.user_data.get("newsetl_text")
    if text is None:
        text = doc.user_data["newsetl_text"] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Give a doc the text it was made from, so the rules never join its tokens to get it back."""
    doc.user_data["newsetl_text"] = text
    return doc


def _lower_forms(doc: Doc) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Every token's lower-case form, and (index, form, accent-free key) of those that are not plain ASCII
    letters: read from the LOWER array once per doc, for every rule that looks for words."""
    forms = doc.user_data.get("newsetl_lowers")
    if forms is None:
        strings = doc.vocab.strings
        lows = [strings[x] for x in doc.to_array(LOWER).tolist()]
        odd = [(i, w, name_key(w)) for i, w in enumerate(lows) if not (w.isascii() and w.isalpha())]
        forms = doc.user_data["newsetl_lowers"] = (lows, odd)
    return forms


def _tokens_among(doc: Doc, words: Iterable[str], any_punctuated: bool = False) -> list[Token]:
    """The doc's tokens whose lower-case form, or its accent-free key, is one of `words` (or, with
    `any_punctuated`, words with a letter and another character: "U.S", "N'DJAMENA"): a Token is made
    only for them (most words of a document are none, and making a Token costs)."""
    words = words if isinstance(words, (set, frozenset)) else frozenset(words)
    lows, odd = _lower_forms(doc)
    hits = {i for i, w in enumerate(lows) if w in words}
    hits.update(i for i, w, key in odd if key in words or any_punctuated and not w.isalpha() and key
                and not key.replace(" ", "").isdigit())
    return [doc[i] for i in sorted(hits)]


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


def _nested_names(doc: Doc) -> list[Span]:
    """The document's entity spans, with a place or people word and the everyday-word organisation
    right after it joined into one organisation: "UK" + "Independence Party", "English" + "Democrats",
    "Scottish" + "Executive". The longest name owns its words, so "Democrats" there is not the US party."""
    ents = list(doc.ents)
    out: list[Span] = []
    i = 0
    while i < len(ents):
        a = ents[i]
        b = ents[i + 1] if i + 1 < len(ents) else None
        b_org = b is not None and (b.label_ == "ORG" or b.label_ == "NORP" and _party_word(name_key(b.text)))
        if b is not None and a.label_ in ("NORP", "GPE", "LANGUAGE") and b_org and a.end == b.start \
                and a[-1].whitespace_ == " " and a.text[:1].isupper() and len(a) <= 3 \
                and all(zipf_frequency(name_key(t.text), "en") >= EVERYDAY_NAME_ZIPF for t in b if t.is_alpha):
            out.append(Span(doc, a.start, b.end, label="ORG"))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


EVERYDAY_NAME_ZIPF = 3.0


def _party_word(key: str) -> bool:
    """A word the alias file knows only as an organisation's, never a people's ("Tories")."""
    known = known_entities()
    return ("ORG", key) in known and ("NORP", key) not in known and key not in country_words()


_DASHES = frozenset({"-", "--", "–", "—"})


def _name_parts(span: Span) -> list[tuple[int, int, str]]:
    """The names inside an NER span, as (start token, end token, label): no leading article, verb,
    title or role word, no trailing possessive, number or connector ("Ashford 212", "Entering
    Westminster"), a person's span split at a lower-case word that is no name particle ("Ashford at
    Elm Park"), and a known organisation or place at its front split off ("Unison Dave Prentis",
    "Lib Dem Treasury"): the longest known name owns its words."""
    doc, label = span.doc, span.label_
    start, end = span.start, span.end
    # a name never runs across a line break ("NEVADA\n\nDENVER AT TAMPA"), a spaced dash
    # ("RUGBY - MORENO 'S": a wire story's topic, then the name), an opening bracket ("Survivors Fund (SF")
    # or a slash ("the Brown/Blair feud")
    breaks = [t.i for t in span if "\n" in t.text or t.text in _DASHES and t.i > span.start
              and doc[t.i - 1].whitespace_ and t.whitespace_ or t.text in ("(", "[", "/") and t.i > span.start]
    if breaks:
        bounds = [start, *breaks, end]
        return [p for a, b in zip(bounds, bounds[1:], strict=False)
                for p in _name_parts(Span(doc, a + (a in breaks), b, label=label)) if b > a + (a in breaks)]
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while start < end - 1 and doc[start].pos_ in _NOT_NAME_POS and doc[start].is_title and (
            doc[start].is_sent_start or start > 0 and (doc[start - 1].is_punct or "\n" in doc[start - 1].text)):
        start += 1  # a sentence-initial verb or adverb swept into the name; not "… by Stop Stansted Expansion"
    end = _trim_tail(doc, start, end)
    if start >= end:
        return []
    if start > 0 and doc[start - 1].text in {"#", "@"} or doc[start].text.startswith(("#", "@")):
        return []  # a hashtag or handle is not a name
    parts: list[tuple[int, int, str]] = []
    known = known_entities()
    i = start
    whole_key = name_key(doc[start:end].text)
    whole_known = any((fam, whole_key) in known for fam in ("PERSON", "ORG", "PLACE", "NORP"))
    if end - start >= 2 and not whole_known:  # a known name at the front: "Lib Dem Treasury", "Labour MP Tam Dalyell"
        for k in range(end - 1, start, -1):
            if k == end - 1 and doc[k].lower_ in lexicon().institutions.org_heads:
                continue  # "Labour Party": the head of the same name, not a second one
            ent = _known_non_person(name_key(doc[start:k].text), known)
            if ent is not None and doc[k].is_title:
                parts.append((start, k, ent.entity_type))
                i = k
                label = "PERSON" if _given_name(doc[k].text) else label
                break
    post_nominal = end - i > 1 and doc[end - 1].lower_.replace(".", "") in lexicon().roles.post_nominals \
        and doc[end - 1].text[:1].isupper()
    if post_nominal and label != "PERSON" and end - i > 2 and _given_name(doc[i].text):
        label = "PERSON"  # "Philippe Sands QC" tagged a body: a given name, a surname and the letters
    if label == "PERSON":
        while end - i > 1 and doc[end - 1].lower_.replace(".", "") in lexicon().roles.post_nominals \
                and doc[end - 1].text[:1].isupper():
            end -= 1  # "Michael Lane QC", "Tom Quell MP": letters after the name are not the name's
    if label == "PERSON" and not whole_known and any(t.is_title for t in doc[i:end]):
        j = i
        # titles, and role nouns before two words of a name ("MEP Nigel Farage", "Lawyer Ann Lee")
        while j < end and (doc[j].lower_.rstrip(".") in _title_words()
                           or doc[j].lower_ in lexicon().roles.person_nouns and end - j >= 3):
            j += 1
        if j == end - 1 and j > i and doc[j - 1].lower_ in lexicon().roles.royal_titles:
            j -= 1  # "Prince Charles": the title is part of the name
        i = j if j < end else i
        seg = i
        for t in doc[i:end]:  # "P. Orme st Tennant": two names
            # "Zia-ul-Karim", "Kim Il-sung": a word joined to the name by a hyphen is the name's
            joined = t.i > 0 and not doc[t.i - 1].whitespace_ and (
                not t.whitespace_ or doc[t.i - 1].text == "-" and t.i > 1 and not doc[t.i - 2].whitespace_)
            if t.is_lower and t.lower_ not in lexicon().function_words.name_particles and t.is_alpha and not joined:
                if t.i > seg:
                    parts.append((seg, _trim_tail(doc, seg, t.i), label))
                seg = t.i + 1
        if seg < end:
            parts.append((seg, end, label))
    else:
        parts.append((i, end, label))
    return [(a, b, lab) for a, b, lab in parts if b > a]


COMMON_WORD_ZIPF = 4.0  # a one-word name at or above this is an everyday word too ("Budget", "Attendance")


def _plausible(doc: Doc, r: _Raw) -> bool:
    """Whether a mention names an entity at all, relabelling the ones whose words say what they are:
    a demonym is its people (NORP), not a person or a body; a one-word person, organisation or place that is
    an everyday word, at a sentence start or after a determiner ("the Budget", "Attendance: 20,000"), is none
    unless the alias file, the institutions list or the given names know it."""
    if r.key in lexicon().roles.post_nominals:
        return False  # "QC", "MEP" written after a name, tagged apart from it
    if r.label in ("ORG", "PERSON") and r.text.endswith("s") and r.text[:-1].isupper() \
            and r.key[:-1] in lexicon().roles.person_nouns:
        return False  # "MPs", "MEPs": people of a kind, no one entity (not the "Cardinals", a team)
    if r.key in lexicon().gazetteer.demonyms and r.label in ("PERSON", "ORG"):
        r.label = "NORP"
        return True
    if r.key in lexicon().gazetteer.after_the and r.label in ("PERSON", "ORG", "LOC"):
        tok = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        if tok is not None and tok.start > 0 and doc[tok.start - 1].lower_ == "the":
            r.label = lexicon().gazetteer.after_the[r.key].entity_type
            return True  # "the Times", "told the Mirror": the paper (not "at times", "an Independent")
    if r.label == "PERSON" and " " not in r.key and not _given_name(r.text) and (known_entities().get(
            ("PERSON", r.key)) is None):
        if r.text.isupper() and 2 <= len(r.text) <= 5:
            r.label = "ORG"  # "BAA": an acronym names a body, not a person
        elif r.key in lexicon().gazetteer.localities or r.key in country_words():
            r.label = "GPE"  # "Manchester": a place the NER took for a person
    if r.label in ("GPE", "LOC") and r.text.isupper() and 2 <= len(r.text) <= 4 and " " not in r.key \
            and r.key not in country_words() and r.key not in lexicon().gazetteer.localities \
            and _known_non_person(r.key, known_entities()) is None:
        r.label = "ORG"  # "BT": an acronym that is no known place names a body
    first = r.key.split()[0] if r.key else ""
    words = r.key.split()
    if r.label in ("GPE", "LOC", "ORG", "NORP", "FAC") and len(words) == 2 and first in lexicon().roles.royal_titles \
            and _given_name(words[1]):
        r.label = "PERSON"  # "Prince Charles" tagged a place
    if r.label == "PERSON" and " " in r.key and not _given_name(first) and (
            first in lexicon().gazetteer.localities or first in country_words()) \
            and known_entities().get(("PERSON", r.key)) is None:
        r.label = "ORG"  # "Manchester United", "Dundee Cement": a place's name and a word is a body
    place = r.label in ("GPE", "LOC", "FAC")
    if " " in r.key or r.label not in ("PERSON", "ORG") and not place or (r.text.isupper() and len(r.text) > 1):
        return True
    known = known_entities()
    if any((fam, r.key) in known for fam in ("PERSON", "ORG", "PLACE", "NORP")) or r.key in country_words() \
            or r.key in lexicon().gazetteer.localities:
        return True
    inst = lexicon().institutions
    if r.label == "ORG" and (r.key in inst.org_heads or r.key in inst.body_words):
        return True
    if zipf_frequency(r.key, "en") < COMMON_WORD_ZIPF:
        return True
    tok = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
    if tok is None:
        return True
    before = doc[tok.start - 1] if tok.start > 0 else None
    # "the Budget", "Mr Brown's Budget", "our first Budget", "pre-Budget": a determiner or a prefix
    determined = before is not None and (before.tag_ in ("POS", "HYPH") or before.text == "-" or not place and (
        before.tag_ in ("DT", "PRP$") or before.pos_ in ("ADJ", "NUM") and before.is_lower))  # "the Gulf" is one
    if r.label == "PERSON" and _given_name(r.text) and not determined:
        return True
    return not (determined or tok[0].is_sent_start and not place)


def _names_a_language(doc: Doc, r: _Raw) -> bool:
    """Whether a people's word is there the name of its language ("speak English", "an English teacher",
    "English-speaking", "in Welsh"): languages.yaml's verbs, nouns and prepositions around it."""
    if r.label != "NORP" or " " in r.key:
        return False
    span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    tok, cues = span[0], lexicon().languages
    head = tok.head.lemma_.lower()
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not tok.whitespace_ \
            and doc[tok.i + 2].lower_ in cues.nouns:
        return True  # "English-speaking"
    return (tok.dep_ == "dobj" and head in cues.verbs or tok.dep_ in ("amod", "compound", "npadvmod")
            and (head in cues.nouns or tok.head.lower_ in cues.nouns)
            or tok.dep_ == "pobj" and head in cues.preps and not list(tok.children))


_NOT_NAME_POS = {"VERB", "AUX", "ADV", "ADP", "SCONJ", "CCONJ", "PRON", "DET", "PART", "INTJ"}


def _trim_tail(doc: Doc, start: int, end: int) -> int:
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct
                           or doc[end - 1].lower_ in _dangling() or any(c.isdigit() for c in doc[end - 1].text)):
        end -= 1  # "the International Department of the" -> "International Department"; "Ashford 212"
    return end


def _known_non_person(key: str, known: Mapping[tuple[str, str], KnownEntity]) -> KnownEntity | None:
    for fam in ("ORG", "PLACE", "NORP"):
        if (ent := known.get((fam, key))) is not None:
            return ent
    return None


def _given_name(word: str) -> bool:
    return name_key(word) in lexicon().roles.given_names


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
    team: bool = False  # named as a side in a results line ("Ashford 2 Barnet 2")
    peer: str = ""  # the name with its peer's title ("Lord Falconer"), for a one-word name after one

    def respan(self, doc: Doc, start: int | None = None, end: int | None = None) -> None:
        """Move the mention's bounds, its text and key following them."""
        self.start_char = self.start_char if start is None else start
        self.end_char = self.end_char if end is None else end
        self.text = _text(doc)[self.start_char:self.end_char]
        self.key = name_key(self.text)


def _document_mentions(doc: Doc) -> list[_Raw]:
    """Mentions of one doc with one label per name and short forms pointed at full forms."""
    raws: list[_Raw] = []
    for ent in _nested_names(doc):
        if ent.label_ not in KEPT_LABELS:
            continue
        for a, b, label in _name_parts(ent):
            span = doc[a:b]
            text = _POSSESSIVE.sub("", span.text) if span.text.endswith(("'s", "’s")) else span.text
            key = name_key(text)
            if not key or not any(c.isalpha() for c in key) or _INITIAL.match(text):
                continue  # no letter, or an initial alone ("R." typed NORP before a surname it missed)
            if text.islower() and (label != "PERSON" or len(span) == 1):
                continue  # "congress", "the ministry": lower-case common nouns the small model tags as names
            raws.append(_Raw(span.start_char, span.start_char + len(text), text, label, key))
    raws = [r for r in raws if _plausible(doc, r) and not _names_a_language(doc, r)]
    # "MEP [Tomas Varga]": a role noun the NER tagged apart before a person's name is the name's title
    nouns, text = lexicon().roles.person_nouns, _text(doc)
    raws = [r for i, r in enumerate(raws) if not (
        r.key in nouns and i + 1 < len(raws) and raws[i + 1].label == "PERSON"
        and text[r.end_char:raws[i + 1].start_char] == " ")]
    raws = _teams_in_results(doc, raws)
    raws = _people_in_results(doc, raws)
    raws = _people_in_lists(doc, raws)
    raws = _people_in_scorecards(doc, raws)
    _given_names_before(doc, raws)
    _surnames_after(doc, raws)
    raws = _surnames_that_are_places(doc, raws)
    _regnal_numbers(doc, raws)
    raws.extend(_people_by_shape(doc, raws))
    raws.extend(_missed_name_repeats(doc, raws))
    raws.extend(_places_by_gazetteer(doc, raws))
    _teams_by_play(doc, raws)
    raws = _organisations(doc, raws)
    raws = _places_inside_names(doc, raws)
    _people_by_role(doc, raws)
    raws.sort(key=lambda r: r.start_char)

    raws.extend(_people_by_honorific(doc, raws))
    titles = _titles_of_works(doc)
    if titles:  # "a new book, Ashdown's England, says": the work's words, not Ashdown or England
        raws = [r for r in raws if not any(a <= r.start_char and r.end_char <= b for a, b in titles)]

    # one label per name: a short form of a person's full name is that person in this document
    full_persons = [r for r in raws if r.label == "PERSON" and " " in r.key]
    fulls_by_part: dict[str, list[_Raw]] = defaultdict(list)
    for r in full_persons:
        for part in _short_forms(r.key):
            fulls_by_part[part].append(r)
    known = known_entities()
    _places_by_kind(doc, raws, fulls_by_part)
    companies = _company_short_names(raws)
    for r in raws:
        if r.label in ("PERSON", "ORG") and r.key in companies and r.key not in fulls_by_part \
                and _honorific_gender(doc, r) is None:  # not "Mr Magna", nor "Ann Magna"
            r.label, r.key = "ORG", companies[r.key]
    votes: dict[str, Counter] = defaultdict(Counter)
    for r in raws:
        votes[r.key][r.label] += 1
    for r in raws:
        if r.label in ("GPE", "LOC", "FAC", "ORG") and " " not in r.key and _a_named_persons_surname(
                doc, r, fulls_by_part):
            r.label = "PERSON"  # "Neil Jordan ... Jordan said": the person, where no preposition makes it a place
            continue
        if r.label == "PERSON" or r.text.isupper() or _known_non_person(r.key, known) is not None:
            continue
        if r.label in {"ORG", "GPE", "NORP", "LOC", "FAC"} and r.key in fulls_by_part:
            r.label = "PERSON"  # "Kilroy-Silk" tagged ORG beside "Robert Kilroy-Silk"
        elif votes[r.key]["PERSON"] and votes[r.key]["PERSON"] >= votes[r.key][r.label]:
            r.label = "PERSON"

    # short forms: "Maduro" -> the full name in this document it shortens, if compatible
    for r in raws:
        if r.label != "PERSON":
            continue
        gender = _honorific_gender(doc, r)
        mister = _word_before(doc, r) in lexicon().roles.surname_honorifics
        cands = [c for c in fulls_by_part.get(r.key, ()) if c.start_char < r.start_char
                 and _compatible(gender, _person_gender(doc, c)) and not _knight_not_royal(doc, r, c.key)
                 and not (mister and _knighted(doc, c))]  # "Sir Ian Blair" is "Sir Ian", never "Mr Blair"
        if not cands and " " not in r.key and _knighted(doc, r):
            # "Sir Edward" after "Sir Edward Heath": a knight is named by his given name
            cands = [c for c in full_persons if c.start_char < r.start_char and c.key.split()[0] == r.key
                     and _knighted(doc, c)]
        if cands:
            r.key = short_name_owner(r.key, [(c.key, c.start_char) for c in cands])

    # acronyms the text defines: "United Socialist Party of Venezuela (PSUV)"
    acronyms: dict[str, str] = {}
    for m in _ACRONYM_DEF.finditer(_text(doc)):
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


def _places_by_kind(doc: Doc, raws: list[_Raw], fulls_by_part: Mapping[str, list[_Raw]]) -> None:
    """A name after "the town of", "the island of" or "east of" (institutions.yaml place_kinds, and
    the directions of place_modifiers) is a place, in every mention of the text that no full name or
    honorific makes a person's and the alias file knows as no body."""
    inst, known = lexicon().institutions, known_entities()
    keys = set()
    for r in raws:
        if r.label not in ("PERSON", "ORG", "NORP"):
            continue
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        tok = span.root if span is not None else None
        if tok is not None and tok.dep_ == "pobj" and tok.head.lower_ == "of" and (
                tok.head.head.lemma_.lower() in inst.place_kinds or tok.head.head.lower_ in inst.place_modifiers):
            keys.add(r.key)
    for r in raws:
        if r.key in keys and r.label in ("PERSON", "ORG", "NORP") and r.key not in fulls_by_part \
                and ("ORG", r.key) not in known and _honorific_gender(doc, r) is None:
            r.label = "GPE"


COMPANY_WORD_MAX_ZIPF = 3.5  # "Magna" of "Magna International Inc" is no everyday word; "General" is


def _company_short_names(raws: list[_Raw]) -> dict[str, str]:
    """Short names of the companies a text names in full, to the full name's key: the name without its
    suffix ("Pirelli SpA", "Cofinec S.A." -> "Pirelli", "Cofinec"), and the first word of a suffixed
    name when it is no everyday word or place ("Magna International Inc" -> "Magna")."""
    suffixes, places = lexicon().institutions.company_suffixes, country_words()
    out: dict[str, str] = {}
    for r in raws:
        words = r.key.split()
        if r.label != "ORG" or len(words) < 2:
            continue
        cut = next((n for n in (2, 1) if len(words) > n and "".join(words[-n:]) in suffixes), 0)
        if not cut:
            continue
        out.setdefault(" ".join(words[:-cut]), r.key)
        first = words[0]
        if len(words) - cut >= 2 and first not in places and zipf_frequency(first, "en") < COMPANY_WORD_MAX_ZIPF:
            out.setdefault(first, r.key)
    return out


def _a_named_persons_surname(doc: Doc, r: _Raw, fulls_by_part: Mapping[str, list[_Raw]]) -> bool:
    """Whether a one-word mention is the surname of a person named in full before it in the text, and not
    used there as a place: the object of a preposition of place or of "of" ("in Jordan", "King of
    Jordan"), or a word of a longer name."""
    if not any(" " in c.key and c.key.split()[-1] == r.key and c.start_char < r.start_char
               for c in fulls_by_part.get(r.key, ())):
        return False
    span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    return not (tok.dep_ == "pobj" and tok.head.lower_ in lexicon().institutions.place_preps | {"of", "to"}
                or tok.dep_ == "compound")


def _title_end(doc: Doc, i: int) -> int:
    """The end of the run of a title's words from token i: capitalised words and figures, with the
    lower-case words a title has inside it ("Breakfast with Frost"); it ends on a capitalised word."""
    minor, end, j = lexicon().works.title_words, i, i
    while j < len(doc) and (doc[j].is_title or doc[j].is_digit or doc[j].lower_ in minor) and "\n" not in doc[j].text:
        if doc[j].is_title or doc[j].is_digit:
            end = j + 1
        j += 1
    return end if end > i and doc[i].is_title else i


def _titles_of_works(doc: Doc) -> list[tuple[int, int]]:
    """The character spans of works' titles (works.yaml): the capitalised run right after a work's noun,
    after a comma too, when it ends at a punctuation mark or "by" ("a new book, Ashdown's England, said";
    "the musical Oliver!"), the run of more than one word between a possessive and the noun ("BBC
    One's Breakfast with Frost programme"), or a run with a title's small word after a body's possessive
    ("the BBC's Breakfast with Frost")."""
    cues, roles, org_heads = lexicon().works, lexicon().roles, lexicon().institutions.org_heads
    honorifics = roles.honorifics
    spans: list[tuple[int, int]] = []
    for noun in _tokens_among(doc, cues.nouns | cues.heads):
        if not noun.is_lower:
            continue
        j = noun.i + 1 + (noun.i + 1 < len(doc) and doc[noun.i + 1].text == ",")
        end = _title_end(doc, j) if noun.lower_ in cues.nouns and j < len(doc) else j
        if end > j and (end == len(doc) or doc[end].is_punct or doc[end].lower_ == "by"):
            spans.append((doc[j].idx, doc[end - 1].idx + len(doc[end - 1].text)))
        start = noun.i
        while start > 0 and (doc[start - 1].is_title or doc[start - 1].is_digit or doc[start - 1].lower_ in
                             cues.title_words - {"'s"}) and not doc[start - 1].is_sent_start:
            start -= 1
        while start < noun.i and not doc[start].is_title:
            start += 1
        if noun.i - start >= 2 and start > 0 and doc[start - 1].tag_ == "POS":
            spans.append((doc[start].idx, noun.idx))
    # a broadcaster's or a body's own title, with a title's small word inside: "BBC One's Breakfast with Frost:"
    for pos in _tokens_among(doc, ("'s", "’s")):
        owner = doc[max(0, pos.i - 2):pos.i]  # "BBC One's", "BBC1's", "the BBC's"
        if not any(t.ent_type_ == "ORG" or t.text[:1].isupper() and t.text[:2].isupper() for t in owner):
            continue
        end = _title_end(doc, pos.i + 1)
        run = doc[pos.i + 1:end]
        titled = any(t.lower_ in roles.person_nouns or t.lower_ in roles.name_titles for t in run)
        # it ends at a mark, a work's noun, or, with no role inside it, any lower-case word ("… Frost it was put")
        if (len(run) >= 3 and any(t.lower_ in cues.title_words for t in run[1:-1])
                and not any(t.lower_.rstrip(".") in honorifics or t.lower_ in org_heads for t in run)
                and (end == len(doc) or doc[end].is_punct or doc[end].lower_ in cues.heads
                     or doc[end].is_lower and not titled)):
            spans.append((run.start_char, run.end_char))
    return spans


def _org_rules() -> tuple[frozenset[str], frozenset[str]]:
    inst = lexicon().institutions
    return inst.org_heads, inst.connectors


def _short_forms(key: str) -> list[str]:
    """The words a full name is shortened to: every run of its words after the given name ("Blair",
    "Kilroy Silk", "Kilroy", "Silk"; "Maduro Moros", "Maduro"), never a given name itself ("Prince
    Charles" is not Charles Kennedy, "Oliver!" not Oliver Letwin); a first word that is no given name
    is a family name written first ("Li" of "Li Weiming")."""
    toks = key.split()
    first = 0 if toks[0] not in lexicon().roles.given_names else 1  # "Li" of "Li Weiming": family name first
    return [" ".join(toks[i:j]) for i in range(first, len(toks)) for j in range(i + 1, len(toks) + 1)
            if (i, j) != (0, len(toks))]


def _people_by_honorific(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """The capitalised words after "Mr", "Mrs" (roles.surname_honorifics) are a person's name: such a
    run the NER missed ("Mr Cable", "Mr Straw": everyday words) is added, and a name the NER typed as a
    body or a place whose last word the text so calls ("Vince Cable" tagged ORG, then "Mr Cable") is a
    person: the counterpart of a surname tagged ORG beside its full name. Names with an institution's
    word ("Cable Council") or known to the alias file as something else keep their type."""
    roles = lexicon().roles
    honorifics = roles.surname_honorifics
    covered = {i for r in raws for i in range(r.start_char, r.end_char)}
    added: list[_Raw] = []
    titled: set[str] = set()
    starts: set[int] = set()
    strings = doc.vocab.strings
    wanted = {strings.add(h) for h in honorifics | roles.peer_titles} | {strings.add(h + ".") for h in honorifics}
    lowers = doc.to_array(LOWER).tolist()[:-1]
    by_start = {r.start_char: r for r in raws}
    for i in [i for i, low in enumerate(lowers) if low in wanted]:
        t = doc[i]  # a Token only for the honorifics: most words of a document are none
        if not t.is_title or i + 1 >= len(doc) or t.lower_ in roles.peer_titles and (
                doc[i + 1].lower_ in roles.name_titles or doc[i + 1].lower_ in roles.person_nouns):
            continue  # "Lord Chancellor" is an office
        if (r := by_start.get(t.idx)) is not None and r.end_char > doc[i + 1].idx:
            r.respan(doc, start=doc[i + 1].idx)  # "Lord Ferrar" tagged ORG: the name after the title
        if t.lower_ in honorifics and i > 0 and (r := next((r for r in raws if r.start_char < t.idx < r.end_char
                                                            and r.label != "PERSON"), None)) is not None:
            # "the Foreign Policy Centre Mr Straw" tagged one ORG: the body ends before the honorific
            covered -= set(range(doc[i - 1].idx + len(doc[i - 1]), r.end_char))
            r.respan(doc, end=doc[i - 1].idx + len(doc[i - 1]))
        end = t.i + 1
        while (end < len(doc) and end - t.i <= 3 and doc[end].is_title and doc[end].is_alpha
               and doc[end].pos_ == "PROPN" and not doc[end].is_sent_start):
            end += 1
        if end == t.i + 1:
            continue
        span = doc[t.i + 1 : end]
        titled.add(name_key(span[-1].text))
        starts.add(span.start_char)
        if not any(i in covered for i in range(span.start_char, span.end_char)):
            added.append(_Raw(span.start_char, span.end_char, span.text, "PERSON", name_key(span.text)))
    # after a person's title ("President Bush", "Senator Kerry") a one-word name typed a place or a body
    titles = {strings.add(w) for w in roles.name_titles - roles.royal_titles - honorifics}
    after_title = {doc[i + 1].idx for i, low in enumerate(lowers)
                   if low in titles and doc[i].is_title and doc[i + 1].is_title}
    peers = {strings.add(w) for w in roles.peer_titles}
    after_peer = {doc[i + 1].idx: doc[i].idx for i, low in enumerate(lowers)
                  if low in peers and doc[i].is_title and doc[i + 1].is_title and doc[i + 1].is_alpha}
    for r in raws:
        if r.label in ("GPE", "ORG", "NORP", "LOC") and " " not in r.key and (r.start_char in after_peer or (
                r.start_char in after_title and r.key not in country_words()
                and _known_non_person(r.key, known_entities()) is None)):
            r.label = "PERSON"  # "Senator Kerry"; a peer is named after any place: "Baroness Scotland"
        if r.start_char in after_peer and " " not in r.key and r.label == "PERSON":
            r.peer = _text(doc)[after_peer[r.start_char]:r.end_char]
    if not titled:
        return added
    inst, known = lexicon().institutions, known_entities()
    for r in raws:
        words = r.key.split()
        if r.label != "PERSON" and r.start_char in starts and len(words) <= 3:
            r.label = "PERSON"  # "Mr Straw" tagged ORG
        elif (r.label in ("ORG", "GPE", "LOC", "FAC", "NORP") and 2 <= len(words) <= 3 and words[-1] in titled
                and all(w[:1].isupper() for w in r.text.split())
                and not any(w in inst.org_heads or w in inst.body_words for w in words)
                and _known_non_person(r.key, known) is None):
            r.label = "PERSON"
    return added


def _word_before(doc: Doc, r: _Raw) -> str | None:
    """The lower-case word right before a mention, without a full stop ("mrs", "sir"), if any."""
    span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
    return doc[span.start - 1].lower_.rstrip(".") if span is not None and span.start > 0 else None


def _honorific_gender(doc: Doc, r: _Raw) -> str | None:
    """The gender the word before a mention gives it ("Mrs Howard"), if any."""
    return lexicon().roles.honorific_gender.get(_word_before(doc, r) or "")


def _knight_not_royal(doc: Doc, r: _Raw, full_key: str) -> bool:
    """A given name after an honorific ("Sir Edward", "Lord David") is not the royal whose short form the
    same name is ("Prince Edward")."""
    return full_key.split()[0] in lexicon().roles.royal_titles and _word_before(doc, r) in lexicon().roles.honorifics


def _knighted(doc: Doc, r: _Raw) -> bool:
    """Whether a name is written after "Sir" or "Dame", which stand before a given name."""
    return _word_before(doc, r) in ("sir", "dame")


def _person_gender(doc: Doc, r: _Raw) -> str | None:
    """A full name's gender: its honorific, else its given name."""
    return _honorific_gender(doc, r) or lexicon().roles.given_name_gender.get(r.key.split()[0])


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP"})


def _places_inside_names(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """A place or a people the NER found inside a longer name is that name's, not the place's: joined
    to the organisation before or after it ("BBC Radio Wales", "UKIP Scotland", "Scottish Labour
    Party", "Arts Council of Wales"), or dropped when the name is of something else ("Prince of Wales",
    "Palace of Westminster"). After a role noun it stays a place ("the President of France")."""
    roles = lexicon().roles
    by_end = {r.end_char: r for r in raws if r.label in ("ORG", "FAC")}
    by_start = {r.start_char: r for r in raws if r.label == "ORG"}
    taken = {i for r in raws for i in range(r.start_char, r.end_char)}
    place_heads = lexicon().institutions.place_heads
    gone: set[int] = set()
    for p in raws:
        if p.label not in _PLACE_LABELS:
            continue
        span = doc.char_span(p.start_char, p.end_char, alignment_mode="expand")
        if span is None:
            continue
        word = doc[span.end] if span.end < len(doc) and span[-1].whitespace_ else None
        if (p.label != "NORP" and word is not None and word.is_title and word.lower_ in place_heads
                and word.idx not in taken):
            p.respan(doc, end=word.idx + len(word.text))  # "Gaza Strip", "Mexico City": one longer place
            span = doc[span.start:word.i + 1]
        before = doc[span.start - 1] if span.start > 0 else None
        org = None
        if before is not None and before.lower_ == "of" and before.i > 0:
            head = doc[before.i - 1]
            low = head.lemma_.lower()
            if (not head.is_title or head.is_sent_start or low in roles.person_nouns and low not in roles.royal_titles
                    or any(r.label == "PERSON" and r.start_char <= head.idx < r.end_char for r in raws)):
                continue  # "the President of France", "President Chirac of France
            org = by_end.get(head.idx + len(head.text))
            if org is None:
                gone.add(id(p))  # "Prince of Wales"
                continue
        k = span.start - 1  # "UKIP Scotland"; "BBC Radio Wales", with "Radio" in no name
        while org is None and k > span.start - 3 and k >= 0 and doc[k].whitespace_:
            org = by_end.get(doc[k].idx + len(doc[k].text))
            if org is not None and not org.text.split()[0].isupper() and " " not in org.key \
                    and _known_non_person(org.key, known_entities()) is not None:
                org = None  # an acronym's or a longer name's branch or station ("Amnesty International UK",
                break  # "Alcohol Focus Scotland"); "under Labour Britain has …" is two names
            if not (doc[k].is_title and doc[k].pos_ == "PROPN"):
                break
            k -= 1
        nxt = doc[span.end] if span.end < len(doc) and span[-1].whitespace_ else None
        after = by_start.get(nxt.idx) if nxt is not None else None
        if org is None and p.label == "NORP" and after is not None:
            after.respan(doc, start=p.start_char)  # "Scottish [Labour Party]"
            gone.add(id(p))
            continue
        if org is None and p.label == "NORP" and nxt is not None and nxt.is_title and nxt.pos_ == "PROPN" \
                and not any(r.start_char <= nxt.idx < r.end_char for r in raws):
            gone.add(id(p))  # "Scottish Water", "the Scottish Regiments": a name the NER did not find
            continue
        if org is not None:
            org.respan(doc, end=p.end_char)
            gone.add(id(p))
        elif p.label != "NORP" and (name := _longer_name(doc, span, taken)) is not None:
            # "Radio Wales", "Westminster Hall": the longer name owns the place's word
            p.respan(doc, name.start_char, name.end_char)
            p.label = "FAC" if name[-1].lower_ in lexicon().institutions.facility_heads else "ORG"
            taken.update(range(name.start_char, name.end_char))
    return [r for r in raws if id(r) not in gone]


@cache
def _not_name_neighbours() -> frozenset[str]:
    """Capitalised words that sit beside a place without making a longer name of it: its own modifiers
    ("North Wales"), titles and roles ("Wales Secretary"), calendar words and given names."""
    lex = lexicon()
    roles = lex.roles
    return (lex.institutions.place_modifiers | roles.name_titles | roles.person_nouns | roles.royal_titles
            | roles.peer_titles | lex.calendar.words | lex.function_words.english)


def _name_word(word: Token, taken: set[int], before: bool) -> bool:
    """Whether a capitalised word next to a place is a word of a longer name no rule found ("Radio
    [Wales]", "ITV [Wales]", "[Kenya] Anti-Corruption Board"): a proper or common noun in no other
    mention, not a sentence's first word (capitalised whatever it is), not all capitals but an acronym
    before the place (a headline is), not another place and none of `_not_name_neighbours`."""
    acronym = before and word.is_upper and 2 <= len(word) <= 5  # "ITV Wales"
    if (not (word.is_title or acronym) or not word.is_alpha or len(word) < 2 or word.is_sent_start
            or word.pos_ not in ("PROPN", "NOUN") or word.idx in taken):
        return False
    low = word.lower_
    return not (low in _not_name_neighbours() or _given_name(word.text) or low in country_words()
                or low in lexicon().gazetteer.localities)


def _longer_name(doc: Doc, span: Span, taken: set[int]) -> Span | None:
    """The longer name a place is a word of, when a name word (`_name_word`) stands right before or after
    it: the run of such words on both sides, hyphen-joined parts included ("Universities Scotland",
    "Westminster Hall", "Kenya Anti-Corruption Board")."""
    start, end = span.start, span.end
    while start > 0 and doc[start - 1].whitespace_ and _name_word(doc[start - 1], taken, before=True):
        start -= 1
    while end < len(doc):
        if doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_ \
                and end + 1 < len(doc) and doc[end + 1].is_title and doc[end + 1].idx not in taken:
            end += 2  # "Anti-Corruption"
        elif doc[end - 1].whitespace_ and _name_word(doc[end], taken, before=False):
            end += 1
        else:
            break
    return doc[start:end] if (start, end) != (span.start, span.end) else None


def _organisations(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Names ending with an organisation noun are ORG: relabel facilities/locations the NER gave,
    trim descriptive tails ("Ministry of X of the Caribbean country"), and add names it missed."""
    heads, connectors = _org_rules()
    for r in raws:
        last = r.text.split()[-1].casefold() if r.text.split() else ""
        if r.label in {"FAC", "LOC"} and " " in r.text and last in heads \
                or r.label == "PERSON" and " " in r.text and last in lexicon().institutions.company_suffixes:
            r.label = "ORG"  # "Pirelli SpA" tagged a person: no person's name ends with a company's suffix
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
    for tok in _tokens_among(doc, heads):
        if not tok.is_title or tok.idx in covered:
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


_TEAM = r"[A-Z][\w'.&-]*(?: (?:[A-Z][\w'.&-]*|\( ?[A-Z]{1,3} ?\)|of|de|del)){0,3}"
_RESULT_LINES = (
    re.compile(rf"^(?P<a>{_TEAM}) \d{{1,3}} (?P<b>{_TEAM}) \d{{1,3}}(?: .*)?$"),  # "Pohang 3 Ulsan 2 ( halftime 1-0 )"
    re.compile(rf"^(?P<a>{_TEAM})(?: (?:\d+|\.\d+|-|\d+ \d/\d)){{3,}}\s*$"),  # "Barnet 4 2 0 2 4 5 6"
    re.compile(rf"^(?P<a>{_TEAM}) (?:v|vs\.?|AT|at) (?P<b>{_TEAM})\s*$"),  # "Birmingham v Barnsley"
)
# an innings anywhere in a line: "Dorset 244 ( P. Orme 58 )", "Devon 216 and 125 for 3", "Cornwall 301-7 declared"
_RESULT_HINT = re.compile(r"\d| (?:v|vs\.?|AT|at) ")
_INNINGS = re.compile(rf"(?:^|[:,;] )(?P<a>{_TEAM}) \d{{1,3}}(?:-\d{{1,2}})? (?:\(|and \d|for \d|all out|declared)")


def _replacing(raws: list[_Raw], found: list[_Raw]) -> list[_Raw]:
    """raws with the found names in place of every raw they overlap, in text order."""
    if not found:
        return raws
    spans = [(f.start_char, f.end_char) for f in found]
    kept = [r for r in raws if not any(s < r.end_char and r.start_char < e for s, e in spans)]
    return sorted(kept + found, key=lambda r: r.start_char)


def _teams_in_results(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Results and standings lines ("Ashford 2 Barnet 2", "Barnet 4 2 0 2 4 5 6", "DENVER AT
    TAMPA") name teams: a club named after a place is an organisation; a country stays a place
    (its national side is written as the country)."""
    text = _text(doc)
    found: list[_Raw] = []
    pos = 0
    for line in text.split("\n"):
        if not _RESULT_HINT.search(line):  # every results line has a figure or a "v"/"at" between sides
            pos += len(line) + 1
            continue
        lead = len(line) - len(line.lstrip())
        matches = [m for m in (p.match(line.strip()) for p in _RESULT_LINES) if m is not None][:1]
        matches += list(_INNINGS.finditer(line.strip()))
        for m in matches:
            for g in ("a", "b"):
                if g in m.groupdict() and m.group(g):
                    s0 = pos + lead + m.start(g)
                    name = m.group(g)
                    key = name_key(name)
                    if key in country_words() or not any(c.isalpha() for c in name) or name.startswith("At "):
                        continue
                    if not any(f.start_char == s0 for f in found):
                        found.append(_Raw(s0, s0 + len(name), name, "ORG", key, team=True))
        pos += len(line) + 1
    return _replacing(raws, found)


def _teams_by_play(doc: Doc, raws: list[_Raw]) -> None:
    """A town or county that plays another side (institutions.yaml team_verbs and team_preps:
    "Dorset beat Devon", "the match against Devon") or is a side in a results line is its club: an
    organisation in every mention of this text but those after a preposition of place ("at Leicester").
    A country or a nation ("England") stays a place, and so does a name a person of this text bears."""
    inst, places, cities = lexicon().institutions, country_words(), lexicon().gazetteer.localities
    surnames = {r.key.split()[-1] for r in raws if r.label == "PERSON" and " " in r.key}

    def root(r: _Raw) -> Token | None:
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        return span.root if span is not None else None

    def plays(tok: Token) -> bool:
        while tok.dep_ == "conj" and tok.head is not tok:  # "Dorset, Devon and Cornwall all won"
            tok = tok.head
        head = tok.head
        return (tok.dep_ in ("nsubj", "nsubjpass", "dobj") and head.lemma_.lower() in inst.team_verbs
                or tok.dep_ == "pobj" and head.lower_ in inst.team_preps
                and (head.head.lemma_.lower() in inst.team_nouns or head.head.lower_ in inst.team_nouns))

    def town(r: _Raw) -> bool:
        if r.key in places or r.key in inst.nations or r.key in surnames:
            return False
        return r.label in ("GPE", "LOC") or r.label == "PERSON" and r.key in cities

    teams = {r.key for r in raws if r.team or town(r) and (t := root(r)) is not None and plays(t)}
    for r in raws:
        if r.key in teams and town(r):
            t = root(r)
            if t is None or not (t.dep_ == "pobj" and t.head.lower_ in inst.place_preps):
                r.label = "ORG"


# "8 - Maria Lenko ( U.S. ) beat Anne Fabre ( France ) 6-0 6-3", "1. Tom Ridley (US) 10.05":
# a competitor and the country they represent, in a line of results
_COMPETITOR = re.compile(r"(?P<name>(?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’.-]*)"
                         r"\s?\(\s?(?P<country>[A-Z][\w. ]{0,30}?)\s?\)")
_RESULT_WORDS = re.compile(r"\bbeat\b|\d-\d|\d\.\d\d|\d:\d\d")


def _people_in_results(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """In a results line, a name right before its country in brackets is a competitor: a person
    (the small NER drops or mistypes most of them: "Filippo Veglio" WORK_OF_ART, "Mikael" GPE),
    unless it names a known body or begins with a place ("Manchester United ( England )")."""
    known, places, cities = known_entities(), country_words(), lexicon().gazetteer.localities
    heads = lexicon().institutions.org_heads
    found: list[_Raw] = []
    pos = 0
    for line in _text(doc).split("\n"):
        if "(" in line and _RESULT_WORDS.search(line):
            for m in _COMPETITOR.finditer(line):
                name, key = m.group("name"), name_key(m.group("name"))
                words = key.split()
                if (not words or name_key(m.group("country")) not in places or key in places or key in cities
                        or words[0] in places or words[0] in cities or any(w in heads for w in words)
                        or any((fam, key) in known for fam in ("ORG", "PLACE", "NORP"))):
                    continue
                s0 = pos + m.start("name")
                found.append(_Raw(s0, s0 + len(name), name, "PERSON", key))
        pos += len(line) + 1
    return _replacing(raws, found)


# an item of a list of names: capitalised words, initials and name particles ("Luis de Souza"),
# a role in brackets after it ("Kasun Perera ( captain )"); a team before a spaced dash opens the list
@cache
def _list_item() -> re.Pattern:
    word = r"(?:[A-Z][\w'’.-]*|" + "|".join(sorted(map(re.escape, lexicon().function_words.name_particles))) + ")"
    return re.compile(rf"(?:[^,;:\n]*? - )?(?P<name>{word}(?: {word}){{0,3}})\s*(?:\([^)]{{0,20}}\))?\s*\.?$")


LIST_MIN_ITEMS = 3
LIST_ITEM_MAX_CHARS = 60  # "Sri Lanka - Kasun Perera ( captain )" is 36


def _people_in_lists(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """A line that lists names, comma by comma, most of them people the NER found ("Sri Lanka - Kasun
    Perera ( captain ) , Nuwan Fernando , Dilshan Wickramanayake , ..."), is a list of people: every
    item of it that is only a name is a person, whole ("Wickramanayake" was found, "Dilshan" left out)."""
    known = known_entities()
    found: list[_Raw] = []
    for block in re.finditer(r"(?:[^\n]*,[ \t]*\n)*[^\n]+", _text(doc)):  # lines that end with a comma go on
        pos, line = block.start(), block.group()
        if line.count(",") + line.count(";") < LIST_MIN_ITEMS - 1:
            continue
        items = []
        for m in re.finditer(r"[^,;\n]+", line):
            if not m.group().strip():
                continue
            if len(m.group()) > LIST_ITEM_MAX_CHARS:  # prose, not a name
                items = []
                break
            im = _list_item().match(m.group().strip())
            if im is None:
                items = []
                break
            lead = m.start() + len(m.group()) - len(m.group().lstrip())
            items.append((pos + lead + im.start("name"), pos + lead + im.end("name")))
        people = [it for it in items if any(r.label == "PERSON" and it[0] <= r.start_char < it[1] for r in raws)]
        if len(items) >= LIST_MIN_ITEMS and 2 * len(people) >= len(items):
            for a, b in items:
                text = _text(doc)[a:b]
                key = name_key(text)
                if " " in key and not any((fam, key) in known for fam in ("ORG", "PLACE", "NORP")):
                    found.append(_Raw(a, b, text, "PERSON", key))
    return _replacing(raws, found)


def _people_in_scorecards(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """The batsman, fielder and bowler of a batting line, and a bowler before his figures, are people
    (the small NER takes many of them for places or clubs, or leaves them out)."""
    text = _text(doc)
    if not re.search(r"\d", text):
        return raws
    batting, figures = batting_line(), bowling_figures()
    known, places = known_entities(), country_words()
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if (m := batting.match(line.strip())) is not None:
            lead = pos + len(line) - len(line.lstrip())
            spans += [(lead + m.start(g), lead + m.end(g)) for g in ("batsman", "fielder", "bowler") if m.group(g)]
        pos += len(line) + 1
    card = bool(spans)
    # a bowler's name may end one line and the figures begin the next
    spans += [(m.start("bowler"), m.end("bowler")) for m in figures.finditer(text)]
    kept: list[_Raw] = []
    for a, b in sorted(spans):
        key = name_key(text[a:b])
        if not (key in places or any((fam, key) in known for fam in ("ORG", "PLACE", "NORP"))
                or kept and kept[-1].end_char > a):
            kept.append(_Raw(a, b, text[a:b], "PERSON", key))
    if card:  # "Extras ( lb-3 ) 5": a scorecard's line labels are no names
        raws = [r for r in raws if r.key not in lexicon().scorecards.line_labels]
    return _replacing(raws, kept)


_INITIAL = re.compile(r"[A-Z]\.$")


def _name_cased(t: Token) -> bool:
    """Capitalised as a name is, "McGrath" and "DeLay" too (str.istitle says no to them)."""
    return t.is_title or t.text[:1].isupper() and not t.is_upper and t.is_alpha
_INITIAL_LOWER = re.compile(r"[a-z]\.$")
GIVEN_NAME_MAX_ZIPF = 5.5  # "Will", "May", "Mark" as a first word are too often plain words


def _rare_given_name(word: str) -> bool:
    """A given name that is not also an everyday word ("Ada", not "Will" or "May")."""
    return _given_name(word) and zipf_frequency(word.lower(), "en") < GIVEN_NAME_MAX_ZIPF
SURNAME_WORD_MAX_ZIPF = 4.6  # "Wilson" 4.3 and "Brooke" 3.6 may follow a given name; "Street" 5.3 may not
# after a given name only the international dictionary knows ("Huawei"), a surname is rarer: not "Recruitment"
SURNAME_AFTER_ABROAD_MAX_ZIPF = 3.9


def _people_by_shape(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Names shaped like a person's: a given name or an initial, then one or two capitalised words that
    are not everyday words ("Ada Trelawny", "K. Ferris", "Robin Brooke"). A span the NER labelled an
    organisation or a place becomes a person, unless the alias file, the countries or the places know
    it or it ends with an organisation noun; such a run the NER missed is added."""
    known, places, cities = known_entities(), country_words(), lexicon().gazetteer.localities
    heads, abroad = lexicon().institutions.org_heads, lexicon().roles.given_names_abroad

    def person_shaped(toks: Sequence[Token], licensed: bool = False) -> bool:
        """licensed: what follows the run says a person is named, so its last word may be an everyday one."""
        if not 2 <= len(toks) <= 3 or not all(_name_cased(t) or _INITIAL.match(t.text) for t in toks):
            return False
        first, rest = toks[0], toks[1:]
        if not (_INITIAL.match(first.text) or _rare_given_name(first.text)):
            return False
        rarer = SURNAME_AFTER_ABROAD_MAX_ZIPF if name_key(first.text) in abroad else SURNAME_WORD_MAX_ZIPF
        return all(t.is_alpha or "-" in t.text or "'" in t.text for t in rest) and not any(
            t.lower_ in heads or zipf_frequency(name_key(t.text), "en") >= rarer
            and not (licensed and t is rest[-1] and not _INITIAL.match(first.text))
            or name_key(t.text) in places or name_key(t.text) in cities for t in rest)

    def known_place_or_body(key: str) -> bool:
        return key in places or key in cities or any((fam, key) in known for fam in ("ORG", "PLACE", "NORP"))

    for r in raws:
        if r.label in ("ORG", "GPE", "LOC", "NORP", "FAC") and not known_place_or_body(r.key):
            span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
            if span is not None and person_shaped(
                    list(span), len(span) == 2 and _said_of_a_person(doc, span.start, span.end)):
                r.label = "PERSON"
    covered = {i for r in raws for i in range(r.start_char, r.end_char)}
    added: list[_Raw] = []
    lows, _ = _lower_forms(doc)
    flags = doc.to_array([IS_TITLE, POS]).tolist()
    # a given name the tagger took for a noun opens a name too ("Piers Freelove is ..."); Tokens only for openers
    openers = [i for i in range(len(doc) - 1) if flags[i][0] and (
        flags[i][1] == PROPN or _INITIAL_LOWER.match(lows[i]) or _given_name(lows[i]))]
    i = 0
    for j in openers:
        if j < i or doc[j].idx in covered:
            continue
        for n in (3, 2):
            toks = list(doc[j:j + n])
            if len(toks) == n and all(x.idx not in covered for x in toks) \
                    and person_shaped(toks, n == 2 and _said_of_a_person(doc, j, j + n)) \
                    and all(x.pos_ == "PROPN" for x in toks[1:]) \
                    and not known_place_or_body(name_key(doc[j:j + n].text)):
                end = j + n
                while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                        and not doc[end].whitespace_ and doc[end + 1].is_alpha:
                    end += 2  # "Ri Hyon-so": the word joined by a hyphen is the name's
                span = doc[j:end]
                added.append(_Raw(span.start_char, span.end_char, span.text, "PERSON", name_key(span.text)))
                covered.update(range(span.start_char, span.end_char))
                i = end
                break
    return added


def _said_of_a_person(doc: Doc, start: int, end: int) -> bool:
    """The words around a name-shaped run say it names a person: a role noun before it ("spokesman
    Vince Cable"), a verb of speech after it ("Theresa May said", "... also branded") or, after a
    comma, a role within the next words ("Theresa May, shadow secretary for the family")."""
    lex = lexicon()
    if start > 0 and doc[start - 1].lower_ in lex.roles.person_nouns:
        return True
    while end < len(doc) and doc[end].pos_ == "ADV":
        end += 1
    if end >= len(doc):
        return False
    nxt = doc[end]
    if nxt.pos_ == "VERB" and nxt.lemma_.lower() in lex.reporting.speech_verbs:
        return True
    # "…, Theresa May, said", "Theresa May, shadow secretary for the family"
    return nxt.text == "," and end + 1 < len(doc) and (
        doc[end + 1].pos_ == "VERB" and doc[end + 1].lemma_.lower() in lex.reporting.speech_verbs
        or any(t.lemma_.lower() in lex.roles.person_nouns for t in doc[end + 1:end + 5]))


NAME_MAX_WORDS = 4


def _given_names_before(doc: Doc, raws: list[_Raw]) -> None:
    """A person's name the NER began at the surname takes the given name or initial written right before
    it ("Carlo [Brunetti]", "K. [Perera]"), when nothing else claims that word and it is no title."""
    covered = {i for r in raws for i in range(r.start_char, r.end_char)}
    titles, places = _title_words() | lexicon().roles.person_nouns, country_words()
    text = _text(doc)
    for r in raws:
        if r.label != "PERSON" or len(r.key.split()) >= NAME_MAX_WORDS:
            continue
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        if span is None or span.start == 0:
            continue
        prev = doc[span.start - 1]
        if prev.idx in covered or "\n" in text[prev.idx:r.start_char] or not prev.whitespace_ \
                or prev.lower_ in titles or name_key(prev.text) in places:
            continue
        if _INITIAL.match(prev.text) or prev.is_title and _rare_given_name(prev.text):
            r.respan(doc, start=prev.idx)
            covered.update(range(prev.idx, prev.idx + len(prev.text)))


def _surnames_after(doc: Doc, raws: list[_Raw]) -> None:
    """A lone given name the NER tagged a person takes the capitalised word right after it when the
    NER left that word out as an everyday word ("[Sylvia] Heal", "[Rosa] Bell"): a proper noun on the
    same line, in no other mention, no title, calendar or function word and no place."""
    covered = {i for r in raws for i in range(r.start_char, r.end_char)}
    skip = _title_words() | lexicon().roles.person_nouns | lexicon().calendar.words | lexicon().function_words.english
    for r in raws:
        if r.label != "PERSON" or " " in r.key or not _given_name(r.text):
            continue
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        if span is None or span.end >= len(doc) or not doc[span.end - 1].whitespace_:
            continue
        nxt = doc[span.end]
        if nxt.idx in covered or not (nxt.is_title and nxt.is_alpha and len(nxt) > 1) or nxt.pos_ != "PROPN" \
                or nxt.is_sent_start or nxt.lower_ in skip or _given_name(nxt.text) \
                or name_key(nxt.text) in country_words() or name_key(nxt.text) in lexicon().gazetteer.localities:
            continue
        r.respan(doc, end=nxt.idx + len(nxt.text))
        covered.update(range(nxt.idx, nxt.idx + len(nxt.text)))


def _surnames_that_are_places(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """A given name right before a one-word place is a person whose surname is that place's name
    ("Neil Jordan", "Ada Holland"): the gazetteer took the surname, the NER the given name alone."""
    places, cities, text = country_words(), lexicon().gazetteer.localities, _text(doc)

    def given(word: str) -> bool:
        key = name_key(word)
        return word[:1].isupper() and _rare_given_name(word) and key not in places and key not in cities

    out: list[_Raw] = []
    for r in raws:
        if r.label not in ("GPE", "LOC") or " " in r.key or not (r.key in places or r.key in cities):
            out.append(r)
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.label == "PERSON" and " " not in prev.key and given(prev.text) \
                and text[prev.end_char:r.start_char] == " ":
            prev.respan(doc, end=r.end_char)  # the NER's given name, then the place
            continue
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        before = doc[span.start - 1] if span is not None and span.start > 0 else None
        if before is not None and before.whitespace_ == " " and given(before.text) \
                and (prev is None or prev.end_char <= before.idx):
            r.label = "PERSON"  # an untagged given name, then the place
            r.respan(doc, start=before.idx)
        out.append(r)
    return out


_REGNAL = frozenset({"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"})


def _regnal_numbers(doc: Doc, raws: list[_Raw]) -> None:
    """A given name with a regnal number is that monarch ("Charles I", "Henry VIII"), not the person the
    given name alone would join: the number is part of the name ("I" only where the tagger says it is no
    pronoun)."""
    for r in raws:
        if r.label != "PERSON" or " " in r.key:
            continue
        span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
        if span is None or span.end >= len(doc) or not span[-1].whitespace_:
            continue
        nxt = doc[span.end]
        if nxt.text in _REGNAL and (nxt.text != "I" or nxt.pos_ in ("PROPN", "NUM")):
            r.respan(doc, end=nxt.idx + len(nxt.text))


def _missed_name_repeats(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Later uses of a person's full name or surname that the statistical NER left untagged, in the
    text's case or in capitals."""
    covered = set()
    for r in raws:
        covered.update(range(r.start_char, r.end_char))
    wanted: dict[str, str] = {}  # surface -> key of the full name
    for r in raws:
        parts = r.text.split()
        if r.label == "PERSON" and len(parts) >= 2 and r.text[:1].isupper():
            wanted.setdefault(r.text, r.key)
            wanted.setdefault(r.text.upper(), r.key)  # in a headline: "SHEARER NAMED CAPTAIN"
            if parts[-1].casefold() not in lexicon().calendar.words and len(parts[-1]) > 2:
                wanted.setdefault(parts[-1], r.key)
                wanted.setdefault(parts[-1].upper(), r.key)
    if not wanted:
        return []
    found = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)) + r")\b")
    for m in pattern.finditer(_text(doc)):
        if any(i in covered for i in range(m.start(), m.end())):
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None or any(t.pos_ not in {"PROPN", "NOUN", "ADJ", "X"} for t in span):
            continue
        covered.update(range(m.start(), m.end()))
        found.append(_Raw(m.start(), m.end(), m.group(1), "PERSON", name_key(m.group(1))))
    return found


@cache
def _place_first_words() -> frozenset[str]:
    """The first words, lower case, of every name the gazetteer knows ("the" of "The Hague"): a token that
    opens none opens no place."""
    gaz = lexicon().gazetteer
    return frozenset(key.split()[0] for key in (*gaz.country_words, *gaz.localities) if key) | {"the"}


PLACE_NAME_MAX_ZIPF = 4.5  # "Bristol" 3.9 is a place's name only; "Reading", "Bath", "Nice" are words too
PLACE_NAME_MAX_WORDS = 3


def _places_by_gazetteer(doc: Doc, raws: list[_Raw]) -> list[_Raw]:
    """Countries, capitals, cities and regions the gazetteer knows that the NER left untagged
    ("VILNIUS 2004-05-11", "Yorkshire beat Sussex"): a whole capitalised name, not a word of a longer
    one ("Bristol City") nor a person's ("Jordan Henderson"); a city that is also an everyday word
    is left to the NER."""
    gaz = lexicon().gazetteer
    covered = {i for r in raws for i in range(r.start_char, r.end_char)}
    found: list[_Raw] = []

    def capitalised(t: Token) -> bool:
        return t.is_title or t.is_upper and len(t.text) > 1

    def bounded(a: int, b: int) -> bool:  # no capitalised name word right before or after
        before = doc[a - 1] if a > 0 else None
        after = doc[b] if b < len(doc) else None
        return not (after is not None and capitalised(after) and after.pos_ == "PROPN" and after.idx not in covered
                    or before is not None and not before.is_sent_start and capitalised(before)
                    and before.pos_ == "PROPN" and "\n" not in before.whitespace_ or before is not None
                    and _given_name(before.text) and capitalised(before))

    taken = -1
    for first in _tokens_among(doc, _place_first_words(), any_punctuated=True):  # "N'DJAMENA", "U.S"
        i = first.i
        if i <= taken or not capitalised(first) or first.idx in covered:
            continue
        for n in range(PLACE_NAME_MAX_WORDS, 0, -1):
            toks = doc[i:i + n]
            if len(toks) < n or not all(capitalised(t) or t.lower_ in ("of", "de", "-") and 0 < k < n - 1
                                        for k, t in enumerate(toks)):
                continue
            if any(t.idx in covered for t in toks) or "\n" in toks.text:
                continue
            key = name_key(toks.text)
            country = key in gaz.country_words and key not in gaz.demonyms
            town = key in gaz.localities and (n > 1 or zipf_frequency(key, "en") < PLACE_NAME_MAX_ZIPF)
            if (country or town) and bounded(i, i + n):
                found.append(_Raw(toks.start_char, toks.end_char, toks.text, "GPE", key))
                taken = i + n - 1
                break
    return found


@cache
def _alias_persons_by_last() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for (fam, _key), e in known_entities().items():
        if fam == "PERSON" and " " in name_key(e.name):
            out[name_key(e.name).split()[-1]].add(name_key(e.name))
    return {k: frozenset(v) for k, v in out.items()}


DOMINANT_NAME_RATIO = 3  # a full name named this many times more often than any namesake owns the surname
DOMINANT_NAME_MIN = 5


def surname_owners(batch_full_names: Iterable[str],
                   warehouse: Mapping[str, Mapping[str, int]] | None = None) -> dict[str, str]:
    """The one rule for whom a lone surname names: the full PERSON name (key) that ends with it when
    only one does, or the one named far more often than its namesakes ("Blair" is Tony Blair, not Sir
    Ian Blair named once). Mentions are counted in the batch (`batch_full_names` holds one key per
    mention) and in the warehouse (surname -> {full name: mentions}), so the answer does not depend on
    which articles share a load; the alias file's full names count where neither knows the surname.
    The surname redirect applies the same rule in SQL (marts/person_surnames.sql). Returns surname ->
    full name."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for key in batch_full_names:
        counts[key.split()[-1]][key] += 1
    for last, named in (warehouse or {}).items():
        counts[last].update(named)
    owners: dict[str, str] = {}
    for last, named in counts.items():
        (top, n), *rest = named.most_common()
        if not rest or (n >= DOMINANT_NAME_MIN and n >= DOMINANT_NAME_RATIO * rest[0][1]):
            owners[last] = top
    for last, keys in _alias_persons_by_last().items():
        if last not in counts and len(keys) == 1:
            owners[last] = next(iter(keys))
    return owners


SURNAME_MAX_ZIPF = 3.5  # "Capriles", "Chávez" are found without the NER; "Brown", "May" are not


def _may_be_surname(r: _Raw, known: Mapping[tuple[str, str], KnownEntity]) -> bool:
    """Whether a mention the NER gave another label may be a person's surname: not an acronym ("UN"),
    not a name the alias file gives another type, not an everyday word ("Islam")."""
    return not r.text.isupper() and _known_non_person(r.key, known) is None \
        and zipf_frequency(r.key, "en") <= SURNAME_MAX_ZIPF


def _missed_surnames(doc: Doc, raws: list[_Raw], surnames: set[str]) -> list[_Raw]:
    """Capitalised surnames of people known to the batch that the NER left untagged in this doc."""
    covered = set()
    for r in raws:
        covered.update(range(r.start_char, r.end_char))
    found = []
    tokens = _tokens_among(doc, surnames)
    for a, b in _titles_of_works(doc) if tokens else ():
        covered.update(range(a, b))  # "a new book, Ashdown's England,": the work's words
    for tok in tokens:
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


def _name_quality(text: str, uses: int) -> tuple:
    """Best-formed spelling first: proper case, not all capitals, more words of the name, diacritics,
    then the spelling the text uses most ("Robert Kilroy-Silk" over "Robert Kilroy Silk"), then longer."""
    proper = all(w[:1].isupper() for w in text.split() if w.lower() not in _minor_words() and w[:1].isalpha())
    accents = strip_accents(text) != text
    return (proper, not text.isupper() or len(text) <= 5, len(name_key(text).split()), accents, uses, len(text), text)


@dataclass
class ResolvedEntities:
    """A batch's mentions per article (with each article's index) and the entities they point at."""

    mentions: dict[str, list[Mention]]
    entities: list[EntityRef]
    indexes: dict[str, MentionIndex]


def resolve_entities(article_ids: Sequence[str], docs: Iterable[Doc],
                     known_surnames: Mapping[str, Mapping[str, int]] | None = None) -> ResolvedEntities:
    """Mentions of a batch of documents, resolved to entities shared across the batch.

    `known_surnames` (surname -> {full name key: mentions}, from earlier loads) weigh with the batch's
    names in `surname_owners`, so a lone surname the NER missed is found when no article of this batch
    gives the full name, and the rows of an article do not depend on which articles share its batch.
    """
    docs = list(docs)
    per_doc: list[tuple[str, list[_Raw]]] = [
        (aid, _document_mentions(doc)) for aid, doc in zip(article_ids, docs, strict=True)]
    known = known_entities()

    batch_fulls = (r.key for _, raws in per_doc for r in raws if r.label == "PERSON" and " " in r.key)
    owners = surname_owners(batch_fulls, known_surnames)
    unique_last = set(owners)
    places = country_words()
    for (_, raws), doc in zip(per_doc, docs, strict=True):
        for r in raws:  # one label per name across the batch: "Chávez" tagged GPE is Hugo Chávez
            if r.label in {"GPE", "LOC", "ORG", "NORP"} and r.key in unique_last and r.key not in places \
                    and _may_be_surname(r, known):
                r.label = "PERSON"
        raws.extend(_missed_surnames(doc, raws, unique_last))
    given = lexicon().roles.given_name_gender
    for (_, raws), doc in zip(per_doc, docs, strict=True):
        for r in raws:  # "Mrs Howard" is not Michael Howard
            if r.label == "PERSON" and " " not in r.key and r.key in owners and _compatible(
                    _honorific_gender(doc, r), given.get(owners[r.key].split()[0])) \
                    and not _knight_not_royal(doc, r, owners[r.key]) \
                    and _word_before(doc, r) not in lexicon().roles.peer_titles:  # "Lord Harris": a peerage
                r.key = owners[r.key]

    surfaces: dict[tuple[str, str], Counter] = defaultdict(Counter)
    peer_names: dict[tuple[str, str], Counter] = defaultdict(Counter)
    labels: dict[tuple[str, str], Counter] = defaultdict(Counter)
    resolved: dict[tuple[str, str], KnownEntity | None] = {}
    for _, raws in per_doc:
        for r in raws:
            fam = type_family(r.label)
            if fam in ("PERSON", "NORP") and (fam, r.key) not in known and ("ORG", r.key) in known \
                    and r.key not in places:
                r.label, fam = "ORG", "ORG"  # "Tory leader", "the Lib Dems were": the party's name
            k = known.get((fam, r.key)) or (lexicon().gazetteer.after_the.get(r.key) if fam == "ORG" else None)
            if k is not None:
                r.key = name_key(k.name)
            elif fam == "ORG":
                r.key = _branch_key(r.key) or r.key
            ident = (fam, r.key)
            resolved.setdefault(ident, k)
            surfaces[ident][r.text] += 1
            if r.peer:
                peer_names[ident][r.peer] += 1
            labels[ident][r.label] += 1

    countries_of = _country_votes(per_doc, docs, resolved)
    entities: dict[tuple[str, str], EntityRef] = {}
    for ident, names in surfaces.items():
        k = resolved.get(ident)
        label = k.entity_type if k else labels[ident].most_common(1)[0][0]
        name = k.name if k else max(names, key=lambda n: _name_quality(n, names[n]))
        if k is None and label == "PERSON" and " " not in ident[1] and peer_names.get(ident):
            name = peer_names[ident].most_common(1)[0][0]  # "Lord Falconer", not "Falconer"
        country = k.country_code if k else countries_of.get(ident)  # the alias file's word is final
        entities[ident] = EntityRef(entity_id_for(label, ident[1]), name, label, country, ident[1])

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


def _branch_key(key: str) -> str | None:
    """One key for a known party's branch however it is written: "Scottish Conservative", "Scottish
    Tories" and "Scottish Conservative Party" are "scottish conservative party", "Welsh Liberal Democrat"
    is "welsh liberal democrats": a people's word of the party's own country, then a name of the party."""
    first, _, rest = key.partition(" ")
    if not rest:
        return None
    known = known_entities()
    people = known.get(("NORP", first)) or (country_words().get(first) if first in lexicon().gazetteer.demonyms
                                            else None)
    party = known.get(("ORG", rest))
    if people is None or party is None or party.country_code is None or people.country_code != party.country_code:
        return None
    return f"{first} {name_key(party.name).split(' of ')[0]}"


def _country_votes(per_doc: list[tuple[str, list[_Raw]]], docs: Sequence[Doc],
                   resolved: Mapping[tuple[str, str], KnownEntity | None]) -> dict[tuple[str, str], str]:
    """The country the text ties an entity to, never guessed: for a place, the country whose capital it
    is or the one country with a city or region of that name (places.csv); for a people word, its country;
    for a person or an organisation, the country or party named in
    its title or in apposition ("the Tory leader Michael Howard", "UK Home Secretary Charles Clarke",
    "Robin Cook, the British foreign secretary"), when the batch's mentions agree."""
    places, cities = country_words(), lexicon().gazetteer.localities
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (_, raws), doc in zip(per_doc, docs, strict=True):
        by_start = {r.start_char: r for r in raws}
        for r in raws:
            ident = (type_family(r.label), r.key)
            if ident[0] in ("PLACE", "NORP"):
                c = places.get(r.key)
                if c is not None and c.country_code:
                    votes[ident][c.country_code] += 1
                elif ident[0] == "PLACE" and r.key in cities:
                    votes[ident][cities[r.key][0]] += 1
                continue
            if ident[0] not in ("PERSON", "ORG"):
                continue
            span = doc.char_span(r.start_char, r.end_char, alignment_mode="expand")
            if span is None:
                continue
            for code in _countries_beside(doc, span, by_start, resolved):
                votes[ident][code] += 1
    out = {}
    for ident, v in votes.items():
        code, n = v.most_common(1)[0]
        if n >= COUNTRY_AGREEMENT * sum(v.values()):
            out[ident] = code
    return out


COUNTRY_AGREEMENT = 0.75
TITLE_RUN = 5


def _countries_beside(doc: Doc, span: Span, by_start: Mapping[int, _Raw],
                      resolved: Mapping[tuple[str, str], KnownEntity | None]) -> list[str]:
    """Countries named in the title run before a name (its capitalised words, role nouns and their
    modifiers, over a comma after a role noun) or in its apposition."""
    roles = lexicon().roles
    toks: list[Token] = []
    i = span.start - 1
    if i > 0 and doc[i].text == "," and doc[i - 1].lower_ in roles.person_nouns:
        i -= 1  # "Scottish Conservative leader, David McLetchie, said"
    while i >= 0 and len(toks) < TITLE_RUN:
        t = doc[i]
        modifies_run = t.dep_ in ("compound", "amod") and i < t.head.i <= span.end  # "communications chief"
        if not (t.is_title or t.is_upper or t.lower_ in roles.person_nouns or t.lower_ in roles.name_titles
                or t.text in ("'s", "’s") or modifies_run) or t.is_sent_start and t.lower_ in ("the", "a"):
            break
        toks.append(t)
        i -= 1
    root = span.root
    for a in (c for c in root.children if c.dep_ == "appos"):
        toks.extend(a.subtree)
    out = []
    words = " ".join(t.lower_ for t in reversed(toks[:TITLE_RUN]))
    out += [code for title, code in roles.national_titles.items() if title in words]
    for t in toks:
        r = by_start.get(t.idx)
        if r is not None:
            k = resolved.get((type_family(r.label), r.key))
            if k is not None and k.country_code and k.entity_type in ("ORG", "GPE", "NORP"):
                out.append(k.country_code)
                continue
        c = country_words().get(name_key(t.text)) or known_entities().get(("ORG", name_key(t.text)))
        if c is not None and c.country_code:  # a country's or a party's word the NER left untagged
            out.append(c.country_code)
    return out


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
