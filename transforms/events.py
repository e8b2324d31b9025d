"""PLOVER events from a parsed article: who did what to whom, when, as claimed by the text.

Detection is one pass over the tokens: a token whose lemma is a trigger in the lexicon
(data/plover_lexicon.yaml: verbs, event nouns, adjectives) becomes an event when its actor is one the
text names: an entity of the article, or a phrase headed by a sector noun ("police", "rebels"), or,
for violence, the weapon ("a car bomb"). Roles come from the dependency parse (subject, passive agent
and passive subject, object, prepositions, possessives, "between X and Y", light verbs such as "held
talks", the complement of "agreed to ..." or "demanded that ..."); a trigger inside another trigger's
complement ("refused to meet", "called for sanctions") is that event's content, not an event of its
own. Argument constraints come with the trigger (an attack needs force or a weapon, else it is an
accusation; a meeting needs someone to meet). Modality from cue words (data/modality.yaml); dates from
DATE entities attached to the trigger, resolved against the publication date (transforms.dates);
scores from the manual's table (data/plover_scores.yaml); sectors from data/sectors.yaml.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from transforms.dates import RELATIVE_WORDS, resolve_date
from transforms.lexicon import EventRules, Sectors, Trigger
from transforms.lexicon import lexicon as rule_data
from transforms.mentions import EntityRef
from transforms.resolve import Resolver, prep_objects
from transforms.text import name_key

PLACE_TYPES = {"GPE", "LOC", "FAC"}
ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "DATE",
               "TIME"}
VERB_RECIPIENT_PREPS = ("with", "against", "on", "upon", "to", "toward", "towards", "from", "into")
PLACE_PREPS = ("in", "at", "to", "into", "from")
NOUN_RECIPIENT_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "for", "into", "over"}
ADJ_RECIPIENT_PREPS = ("to", "of", "with", "toward", "towards", "about", "against")
NOT_PARTIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
NOT_DATE_PREPS = {"until", "till", "since", "through", "throughout", "for", "from", "by", "before", "after",
                  "to"}
ADJUNCT_PREPS = {"after", "before", "during", "despite", "amid", "amidst", "following", "since", "until", "till",
                 "because", "like", "unlike", "without", "over", "than"}
SAYING = {"AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE", "CONCEDE"}
CONTENT_RECIPIENT_PREPS = {"to", "with", "against", "on", "upon", "into", "toward", "towards"}
CONTENT_PREPS = {"of", "for", "on", "upon", "to", "against", "about", "over", "into", "toward", "towards", "with"}
CONTENT_DEPS = {"xcomp", "ccomp", "dobj", "obj", "prep", "pcomp", "attr", "oprd", "dative", "acl"}
ARMED = {"military", "rebels", "police"}
MODALITY_RANK = ["negated", "hypothetical", "future", "reported", "asserted"]


def lexicon() -> EventRules:
    """The event rules of the lexicon (plover_lexicon.yaml, plover_scores.yaml)."""
    return rule_data().events


def sectors() -> Sectors:
    return rule_data().sectors


@cache
def _modality_cues() -> Mapping:
    lex = rule_data()
    return {**lex.modality, "reporting_verbs": lex.reporting.claim_verbs,
            "reporting_phrases": lex.reporting.claim_phrases}


@cache
def _deontic() -> Trigger:
    """The request read from "X said Y must ...": a REQUEST of X to Y (see plover_lexicon.yaml, deontic)."""
    return Trigger("REQUEST", None, (), "deontic", None, frozenset(), False, False, False, None)


def plover_score(event_type: str, mode: str | None) -> float | None:
    """The manual's conflict-cooperation score of a type and mode (the type's own when the mode has none)."""
    entry = lexicon().scores.get(event_type)
    if entry is None:
        return None
    return float((entry.get("modes") or {}).get(mode, entry["base"]))


# --- parse helpers -----------------------------------------------------------------------------

def _lemma(t: Token) -> str:
    return t.lemma_.casefold()


def _is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX")


def _is_noun(t: Token) -> bool:
    return t.pos_ in ("NOUN", "PROPN")


def _has_words(t: Token, words: tuple[str, ...]) -> bool:
    """For an event noun, its modifiers before it ("air strike"); for a verb, the pattern's next word a
    child after the trigger ("called for", not "For X, ... called") or an adverb of it ("attacked
    verbally", "sexually abused"), the rest among that child's or the trigger's children ("spoke by
    phone", "signed a trade agreement")."""
    if not _is_verb(t):
        before = {x for c in t.children if c.i < t.i for x in (_lemma(c), c.lower_)}
        return all(w in before for w in words)
    after = [c for c in t.children if (c.i > t.i or c.dep_ == "advmod") and c.dep_ not in ("aux", "mark")]
    first = [c for c in after if words[0] in (_lemma(c), c.lower_)]
    if not first:
        return False
    near = {x for c in after for g in (c, *c.children) for x in (_lemma(g), g.lower_)}
    return all(w in near for w in words[1:])


def _dobj(v: Token) -> Token | None:
    return next((c for c in v.children if c.dep_ in ("dobj", "obj")), None)


def _passive(v: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) or (
        v.dep_ == "acl" and v.tag_ == "VBN")


def _through_partitive(n: Token) -> Token:
    """The noun a quantity or group stands for: "700 kg of medicine" -> medicine."""
    lex = lexicon()
    for _ in range(3):
        if _lemma(n) not in lex.partitive_nouns:
            break
        nxt = next((o for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for o in prep_objects(c)), None)
        if nxt is None:
            break
        n = nxt
    return n


def _object(v: Token) -> Token | None:
    """What a verb acts on: its direct object, or in a passive the subject ("were killed") or the noun a
    participle modifies ("the leader arrested by police"), through quantities ("tons of aid")."""
    obj = _dobj(v)
    if obj is None and _passive(v):
        obj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        if obj is None and v.dep_ == "acl":
            obj = v.head
    return _through_partitive(obj) if obj is not None else None


def _in_class(tok: Token, word: str, res: Resolver) -> bool:
    """Whether an argument fits an object class of the lexicon (PERSON, PEOPLE, PLACE, BODY) or is the word."""
    lemma = _lemma(tok)
    if not word.isupper():
        return lemma == word or tok.lower_ == word
    if tok.pos_ == "PRON" and word in ("PERSON", "PEOPLE", "BODY"):  # "accused him of lying"
        kind = res.pronoun_kind(tok)
        if kind == "person" or (kind == "org" and word == "BODY"):
            return True
        ent = res.pronoun(tok) if kind == "group" else None  # "them": only when the text says who
        return ent is not None and ent.entity_type in ACTOR_TYPES
    ent = res.entity_of_token(tok)
    etype = ent.entity_type if ent is not None else (tok.ent_type_ or None)
    words = lexicon().object_classes.get(word, frozenset())
    if word == "PERSON":
        return etype == "PERSON"
    if word == "PEOPLE":
        return etype in ("PERSON", "NORP") or lemma in words or lemma in rule_data().roles.person_nouns or (
            tok.tag_ in ("NNS", "NNPS") and res.country(tok.text) is not None)
    if word == "PLACE":
        return etype in PLACE_TYPES or lemma in words
    if word == "BODY":
        return etype in ACTOR_TYPES or lemma in words or lemma in sectors().nouns
    return lemma in words


def _fits(tok: Token | None, words: frozenset[str], res: Resolver) -> bool:
    return tok is not None and any(_in_class(tok, w, res) for w in words)


# --- sectors -----------------------------------------------------------------------------------

def _noun_sector(h: Token, qualify: bool = True) -> str | None:
    """The sector a noun phrase's own words give: "riot police", "the army", "Israeli army bulldozers",
    "thousands of protesters"."""
    table = sectors().nouns
    h = _through_partitive(h)
    if not _is_noun(h) or (h.pos_ == "PROPN" and h.ent_type_ in ("ORG", "GPE", "PERSON", "FAC", "LOC")):
        return None  # a name's sector comes from the name ("European Union" is no union of workers)
    mods = [c for c in h.children if c.dep_ in ("compound", "amod", "nmod") and c.i < h.i]
    quals = sectors().role_qualifiers if qualify else {}
    for m in mods:  # "the former police chief" is no police; "opposition groups" are a party's
        if m.lower_ in quals:
            return quals[m.lower_]
    for m in sorted(mods, key=lambda c: -c.i):  # two words first: "attorney general", "labour rebel"
        key = f"{_lemma(m)} {_lemma(h)}"
        if key in table:
            return table[key]
    if _lemma(h) in table or h.lower_ in table:
        return table.get(_lemma(h)) or table.get(h.lower_)
    for m in sorted(mods, key=lambda c: -c.i):
        if m.ent_type_ not in ACTOR_TYPES and (_lemma(m) in table):
            return table[_lemma(m)]
    if _lemma(h) in rule_data().institutions.body_heads:  # "leaders of the opposition coalition"
        of = next((o for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for o in prep_objects(c)), None)
        if of is not None and of.i != h.i:
            return _noun_sector(of, qualify)
    return None


def _entity_sector(ent: EntityRef, text: str | None, res: Resolver) -> str | None:
    """The sector an entity's name, the role its person was introduced with, or its being a country gives."""
    sec = sectors()
    for name in (ent.canonical_name, text or ""):
        if name_key(name) in sec.names:
            return sec.names[name_key(name)]
    if ent.entity_type == "PERSON":
        words = res.role_words(ent)  # nearest the name first: "Conservative shadow pensions secretary"
        for w in words:
            if w in sec.role_qualifiers:
                return sec.role_qualifiers[w]
        for i, word in enumerate(words):
            pair = f"{words[i + 1]} {word}" if i + 1 < len(words) else ""
            if pair in sec.nouns:  # "director general", "attorney general"
                return sec.nouns[pair]
            if word in sec.nouns:
                return sec.nouns[word]
            if word in sec.name_words:
                return sec.name_words[word]
        return None
    if ent.entity_type == "GPE" and res.country(ent.canonical_name) is not None:
        return sec.country
    words = [w for w in ent.canonical_name.casefold().replace("'s", "").split()]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for w in reversed(pairs + words):
        if w in sec.name_words:
            return sec.name_words[w]
    return None


def _sector(head: Token | None, ent: EntityRef | None, text: str | None, res: Resolver) -> str | None:
    if head is not None:
        found = _noun_sector(head)
        if found:
            return found
        if ent is not None and head.tag_ in ("NNS", "NNPS") and ent.entity_type in ("GPE", "NORP") and \
                res.country(head.text) is not None:
            return sectors().people_demonyms  # "Palestinians", "young Algerians"
        if ent is not None and head.pos_ == "NOUN" and ent.entity_type != "PERSON":
            return None  # "Palestinian homes", "Cuban advisors": the modifier's country says no sector
    if ent is not None:
        return _entity_sector(ent, text, res)
    return None


@dataclass(frozen=True)
class _Side:
    """An actor or recipient being built: its entity, the phrase, its head token and sector."""

    entity: EntityRef | None
    text: str | None
    head: Token | None
    sector: str | None
    by_head: bool = True  # the entity is named by the phrase's head, not only by a modifier ("Pakistani community")


def _group(res: Resolver, heads: list[Token], loose: bool = False) -> list[_Side]:
    """Actors or recipients from noun-phrase heads, one per distinct entity; conjuncts split
    ("Cuba and Venezuela") unless they share one entity ("Cuban advisors and doctors"), and a
    conjunct named only by a modifier yields to one named outright ("Cuban writer and ... Montaner")."""
    out: list[_Side] = []
    for h in heads:
        members = [h] + [c for c in h.conjuncts if c.i > h.i] if h.dep_ != "conj" else [h]
        refs = [res.noun_phrase(m, loose=loose) for m in members]
        top = max((r.firmness for r in refs if r.entity is not None), default=0)
        ents = {r.entity.entity_id: (r, m) for r, m in zip(refs, members, strict=True)
                if r.entity is not None and r.firmness == top}
        if len(ents) > 1:
            out += [_Side(r.entity, r.text, m, _sector(m, r.entity, r.text, res), r.firmness == 2)
                    for r, m in ents.values()]
        elif ents:
            ref = next(iter(ents.values()))[0]
            last = members[-1]
            text = refs[0].text
            if len(members) > 1:
                text = res.text[refs[0].start:last.idx + len(last.text)]
            out.append(_Side(ref.entity, text, h, _sector(h, ref.entity, text, res), ref.firmness == 2))
        else:
            out.append(_Side(None, refs[0].text, h, _sector(h, None, refs[0].text, res)))
    return out


# --- roles -------------------------------------------------------------------------------------

def _dep(v: Token) -> str:
    """The dependency label, with an infinitive clause read as xcomp ("called on X on Monday to withdraw"
    parses the infinitive as advcl)."""
    if v.dep_ == "advcl" and v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return "xcomp"
    return v.dep_


def _governing_verb(v: Token) -> Token | None:
    """The verb a subjectless clause shares its subject and tense with: the head of a conjunct or
    participle clause ("by dispatching", "..., denouncing"), or the reporting verb when the
    participle follows a closing quote ('X said "...", denouncing Y')."""
    head = v.head
    if head.i == v.i:
        return None
    if v.dep_ == "advcl" and head.dep_ == "ccomp" and _is_verb(head.head) and any(
            tok.is_quote for tok in v.doc[head.i:v.i]):
        return head.head
    if v.dep_ in ("conj", "advcl") and _is_verb(head):
        return head
    if v.dep_ == "pcomp" and head.dep_ == "prep" and _is_verb(head.head):
        return head.head
    return None


def _subject(v: Token, res: Resolver, hops: int = 0) -> tuple[list[Token], bool]:
    """The subject heads of a verb (climbing through xcomp, conj and participle clauses), and
    whether they came from a passive's by-agent."""
    subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
    if subj:
        return subj, False
    agent = [o for c in v.children if c.dep_ == "agent" for o in prep_objects(c)]
    if agent:
        return agent, True
    if any(c.dep_ == "nsubjpass" for c in v.children) or hops > 4 or v.head.i == v.i:
        return [], False
    if v.dep_ == "acomp":  # "is ready to contribute": the copula's subject
        return _subject(v.head, res, hops + 1)
    if _dep(v) == "xcomp":  # object control: "urged X to", "called on X to"
        obj = _dobj(v.head)
        if obj is None:
            obj = next((o for c in v.head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                        for o in prep_objects(c)), None)
        return ([obj], False) if obj is not None else _subject(v.head, res, hops + 1)
    if v.dep_ == "pcomp" and v.head.lower_ in ("for", "of") and _is_verb(v.head.head) and _dobj(v.head.head):
        return [_dobj(v.head.head)], False  # "suspended the association for refusing": the association refused
    up = _governing_verb(v)
    if up is not None:
        shared = [c for c in up.children if c.dep_ == "nsubjpass"]
        if v.dep_ == "conj" and shared:  # "X was indicted by the court and will resign": X resigns
            return shared, False
        return _subject(up, res, hops + 1)
    if v.dep_ in ("acl", "relcl") and v.tag_ == "VBG":  # "officials visiting Caracas"
        head = v.head
        gov = head.head
        if _lemma(head) in lexicon().statement_nouns and head.dep_ in ("dobj", "obj") and _is_verb(gov):
            return _subject(gov, res, hops + 1)  # "issued a declaration demanding ...": whoever issued it
        return [head], False
    return [], False


def _means(v: Token) -> list[Token]:
    """A weapon or attack the clause names as the cause ("killed in a car bomb explosion")."""
    means = lexicon().means_nouns
    return [o for c in v.children if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by")
            for o in prep_objects(c) if _lemma(o) in means]


def _verb_roles(v: Token, trig: Trigger, res: Resolver) -> tuple[list[Token], list[Token], bool]:
    passive = _passive(v) and trig.pos != "adjectives"
    actors, from_agent = _subject(v, res)
    recips: list[Token] = []
    if trig.requires == "deontic":
        comp = next(c for c in v.children if c.dep_ == "ccomp")
        return actors, [c for c in comp.children if c.dep_ == "nsubj"], False
    if passive:
        recips += [c for c in v.children if c.dep_ == "nsubjpass"]
        if v.dep_ == "acl" and not recips:  # "the leader arrested by police"
            recips.append(v.head)
        if not from_agent:
            actors = _means(v)
    for c in v.children:
        if c.dep_ in ("dobj", "obj", "dative", "iobj"):  # a dative "to" parsed as such: its object
            recips += prep_objects(c) if c.pos_ == "ADP" else [c]
    obj = _dobj(v)
    if obj is not None:  # "signed an agreement with X", "launched strikes on X": the object's partner
        recips += [o for g in obj.children if g.dep_ == "prep" and g.lower_ in ("with", "against", "on", "upon")
                   for o in prep_objects(g)]
    preps = [c for c in v.children if c.dep_ == "prep" or (c.dep_ == "prt" and any(
        g.dep_ == "pobj" for g in c.children))]  # "called on X": a particle with an object
    rpreps = (*VERB_RECIPIENT_PREPS, "at") if trig.event_type == "ASSAULT" else VERB_RECIPIENT_PREPS
    if trig.preps is not None:
        rpreps = tuple(trig.preps)
    recips += [o for p in rpreps for c in preps if c.lower_ == p for o in prep_objects(c)]
    if trig.requires == "place" and trig.preps is None:
        recips += [o for p in PLACE_PREPS for c in preps if c.lower_ == p for o in prep_objects(c)]
    if trig.swap:
        actors, recips = [r for r in recips if r.dep_ in ("dobj", "obj")], actors
    return actors, recips, False


def _adj_roles(a: Token, trig: Trigger, res: Resolver) -> tuple[list[Token], list[Token], bool]:
    """ "Israel is opposed to X", "critical of X": the copula's subject acts on the prepositions' objects."""
    subj = [c for c in a.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj:  # a subject parsed under the copula ("Chile <- is opposed")
        subj = [s for x in a.children if x.dep_ in ("aux", "auxpass") for s in x.children if s.dep_ == "nsubj"]
    if not subj and a.dep_ in ("acomp", "attr", "oprd") and _is_verb(a.head):
        subj, _ = _subject(a.head, res)
    recips = [o for p in ADJ_RECIPIENT_PREPS for c in a.children if c.dep_ == "prep" and c.lower_ == p
              for o in prep_objects(c)]
    return subj, recips, False


def _governor(n: Token, lex: EventRules) -> tuple[Token | None, str]:
    """The verb an event noun hangs from and how ("dobj", "prep:in", "nsubj"), passing light nouns
    ("a show of support", "mediation efforts")."""
    h = n
    for _ in range(6):
        head = h.head
        if head.i == h.i:
            return None, ""
        if h.dep_ == "conj":
            h = head
            continue
        if h.dep_ in ("compound", "amod", "nmod") and _is_noun(head) and _lemma(head) in lex.light_nouns:
            h = head
            continue
        if h.dep_ in ("dobj", "obj", "nsubjpass", "attr", "oprd", "nsubj") and _is_verb(head):
            return head, h.dep_
        if h.dep_ == "pobj" and head.dep_ == "prep":
            g = head.head
            if _is_noun(g) and _lemma(g) in lex.light_nouns:
                h = g
                continue
            if _is_verb(g):
                return g, "prep:" + head.lower_
        return None, ""
    return None, ""


def _noun_chain(n: Token, lex: EventRules) -> list[Token]:
    """The event noun and the light nouns it sits in ("mediation" in "a mediation mission between X and Y")."""
    out = [n]
    h = n
    for _ in range(3):
        if h.dep_ in ("compound", "amod", "nmod") and _is_noun(h.head) and _lemma(h.head) in lex.light_nouns:
            h = h.head
            out.append(h)
        else:
            break
    return out


def _noun_roles(n: Token, trig: Trigger, res: Resolver) -> tuple[list[Token], list[Token], bool]:
    lex = lexicon()
    actors: list[Token] = []
    recips: list[Token] = []
    reciprocal = False
    for node in _noun_chain(n, lex):
        for c in node.children:
            if c.dep_ == "poss":
                (recips if trig.poss_recipient else actors).append(c)
            elif c.dep_ in ("compound", "nmod", "amod") and c.i < n.i and res.entity_of_token(c) is not None:
                actors.append(c)
            elif c.dep_ == "prep":
                p = c.lower_
                if p == "by" or (p == "from" and not trig.of_actor):
                    actors += prep_objects(c)
                elif p == "from":  # "their departure from Venezuela"
                    recips += prep_objects(c)
                elif p in ("between", "among"):
                    objs = prep_objects(c)
                    if trig.between == "recipient":  # "mediation between X and Y"
                        recips += objs
                    else:
                        actors += objs
                        reciprocal = len(objs) > 1
                elif p == "of":
                    (actors if trig.of_actor else recips).extend(prep_objects(c))
                elif p in NOUN_RECIPIENT_PREPS:
                    recips += prep_objects(c)
            elif c.dep_ == "acl":  # "pressure exerted by X on Y"
                for g in c.children:
                    if g.dep_ == "agent":
                        actors += prep_objects(g)
                    elif g.dep_ == "prep" and g.lower_ in NOUN_RECIPIENT_PREPS:
                        recips += prep_objects(g)
    gov, how = _governor(n, lex)
    if gov is not None and (how in ("dobj", "obj", "attr") or (
            how.startswith("prep:") and how[5:] not in ADJUNCT_PREPS)):
        if _lemma(gov) in lex.light_verbs:
            subj, _ = _subject(gov, res)
            if _passive(gov) and not subj:  # "X was put under investigation"
                recips = recips or [c for c in gov.children if c.dep_ == "nsubjpass"]
            own = [a for a in actors if a.pos_ != "PRON" and (
                a.dep_ in ("poss", "compound", "nmod", "amod") or a.head.lower_ == "by"
                or (trig.of_actor and a.head.lower_ == "of"))]  # "led to the resignation of X": X resigned
            if not own and (subj and any(res.noun_phrase(x).entity is not None or _noun_sector(x) for x in subj)
                            or not actors or all(a.pos_ == "PRON" for a in actors)):
                actors = subj  # "X gave the support of Y", "its backing": the clause subject says whose
            if not recips:  # "imposed sanctions on X": prepositions of the light verb after the noun
                recips = [o for p in VERB_RECIPIENT_PREPS for c in gov.children
                          if c.dep_ == "prep" and c.lower_ == p and c.i > n.i for o in prep_objects(c)]
        elif _lemma(gov) in lex.receiver_verbs:  # "X drew criticism from Y"
            if not recips and trig.event_type not in ("RETREAT", "CONSULT", "CONCEDE"):  # not "prompted a resignation"
                recips, _ = _subject(gov, res)
            if not actors:
                actors = [o for c in gov.children if c.dep_ in ("prep", "agent")
                          and c.lower_ in ("from", "by") and c.i > n.i for o in prep_objects(c)]
    return actors, recips, reciprocal


def _content(t: Token) -> list[Token]:
    """The complement clauses of a trigger: what was agreed, demanded, threatened or refused."""
    out = [c for c in t.children if _dep(c) in ("xcomp", "ccomp")]
    if not _is_verb(t):
        out += [c for c in t.children if c.dep_ == "acl" and any(g.lower_ == "to" for g in c.children)]
    return out


def _content_recipient(t: Token, res: Resolver, actor_ids: set[str]) -> tuple[EntityRef | None, str | None]:
    """The party a complement is about: the subject of "demanded that X ...", else the first other
    entity named in it ("threatened to deliver blows to the United States")."""
    for comp in _content(t):
        for s in (c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")):
            ref = res.noun_phrase(s)
            if ref.entity is not None and ref.entity.entity_id not in actor_ids:
                return ref.entity, ref.text
        # whom the content acts on: "offered to send troops to Indonesia", "to launch an offensive against X"
        for o in (o for c in comp.children if c.dep_ in ("prep", "dative") and c.lower_ in CONTENT_RECIPIENT_PREPS
                  for o in prep_objects(c)):
            ref = res.noun_phrase(o, loose=True)
            if ref.entity is not None and ref.entity.entity_id not in actor_ids:
                return ref.entity, ref.text
        left, right = comp.left_edge, comp.right_edge
        for m in res.mentions_within(left.idx, right.idx + len(right.text)):
            ent = res.canon(m.entity, m.text)
            if ent.entity_id not in actor_ids:
                return ent, m.text
    return None, None


# --- trigger matching ---------------------------------------------------------------------------

@cache
def _trigger_words() -> frozenset[str]:
    """Every head word of a trigger, of any part of speech (and the deontic verbs)."""
    lex = lexicon()
    return frozenset((*lex.verbs, *lex.nouns, *lex.adjectives, *lex.deontic_verbs))


def _is_stative(t: Token) -> bool:
    """ "is opposed to": a participle read as an adjective (no agent, a be-auxiliary)."""
    return t.tag_ == "VBN" and not any(c.dep_ == "agent" for c in t.children) and any(
        c.dep_ == "auxpass" for c in t.children)


def _candidates(t: Token, res: Resolver) -> list[Trigger]:
    """The lexicon options for a token whose word-level conditions hold, most specific first."""
    lex = lexicon()
    out: list[Trigger] = []
    keys = _trigger_words()
    if t.lower_ not in keys and t.lemma_.casefold() not in keys:  # most tokens: one set lookup
        return out
    if t.ent_type_ in NAME_LABELS and not _is_verb(t):  # a name ("the Power Inquiry"), not an event
        return out
    if (t.pos_ == "ADJ" or _is_stative(t)) and (lex.adjectives.get(t.lower_) or lex.adjectives.get(_lemma(t))):
        opts = lex.adjectives.get(t.lower_) or lex.adjectives.get(_lemma(t))
    elif _is_verb(t):
        opts = lex.verbs.get(_lemma(t))
        if _lemma(t) in lex.deontic_verbs and _deontic_complement(t) is not None:
            opts = (*(opts or ()), _deontic())
    elif _is_noun(t):
        opts = lex.nouns.get(_lemma(t)) or lex.nouns.get(t.lower_)
        if opts and _agentive(t):
            return out
    else:
        return out
    for trig in opts or ():
        if trig.words and not _has_words(t, trig.words):
            continue
        if trig.governors is not None:
            gov, _ = _governor(t, lex)
            if gov is None or _lemma(gov) not in trig.governors:
                continue
        if trig.pos == "verbs":
            obj = _object(t)
            comp = next((c for c in t.children if _dep(c) == "xcomp"), None)
            olemma = _lemma(obj) if obj is not None else None
            if trig.requires == "object" and obj is None:
                continue
            if trig.requires == "no_object" and (_dobj(t) is not None or any(
                    c.dep_ in ("oprd", "ccomp") for c in t.children)):
                continue
            if olemma in trig.unless or (comp is not None and _lemma(comp) in trig.unless):
                continue
            if trig.objects is not None and not _fits(obj, trig.objects, res):
                continue
        elif trig.pos == "nouns":
            if any(c.dep_ in ("compound", "amod") and _lemma(c) in trig.unless_modifiers for c in t.children):
                continue
            if trig.named and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in t.children):
                continue  # "the Hutton inquiry": the name of a body, not an investigation being opened
            if trig.objects is not None:
                of = next((_through_partitive(o) for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                           for o in prep_objects(c)), None)
                mods = [c for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i]
                if not any(_fits(x, trig.objects, res) for x in (of, *mods) if x is not None):
                    continue
        out.append(trig)
    return out


def _deontic_complement(v: Token) -> Token | None:
    """ "said (that) X must ...": the complement with a must/should whose subject is not the speaker's pronoun."""
    lex = lexicon()
    for c in v.children:
        if c.dep_ != "ccomp" or not any(a.dep_ == "aux" and a.lower_ in lex.deontic_aux for a in c.children):
            continue
        if any(s.dep_ == "nsubj" and s.pos_ != "PRON" for s in c.children):
            return c
    return None


def _agentive(n: Token) -> bool:
    """An event noun acting as an agent ("the inquiry found", "the investigation criticised"): a body."""
    if n.dep_ != "nsubj" or not _is_verb(n.head):
        return False
    verb = _lemma(n.head)
    rep = rule_data().reporting
    return verb in rep.speech_verbs or verb in rep.claim_verbs or any(
        o.event_type in SAYING for o in lexicon().verbs.get(verb, ()))


def _is_content(t: Token, cands: Mapping[int, list[Trigger]]) -> bool:
    """Whether the trigger sits in the complement or object of another trigger ("refused to meet",
    "called for sanctions", "accused X of attacking Y"): the outer event is the one the text asserts."""
    h = t
    for _ in range(10):
        if h.dep_ == "relcl" or h.head.i == h.i:
            return False
        child, h = h, h.head
        if child.dep_ == "prep" and child.lower_ not in CONTENT_PREPS:
            continue  # "leaving under the weight of pressure": an adjunct, not what was done
        if h.i in cands and (child.dep_ in CONTENT_DEPS or _dep(child) == "xcomp"):
            if child.dep_ == "ccomp" and not any(o.event_type in SAYING for o in cands[h.i]):
                continue  # a that-clause is what was said, demanded or denied; under "ratified" it is noise
            return True
    return False


# --- modality, tense, date, place ---------------------------------------------------------------

def _clause(t: Token) -> Token | None:
    """The verb whose clause carries the trigger's tense and modality."""
    if _is_verb(t):
        return t
    h = t
    for _ in range(8):
        if h.head.i == h.i:
            return None
        h = h.head
        if _is_verb(h):
            return h
    return None


def _modality(t: Token, clause: Token | None, sent: Span) -> tuple[str, bool, bool, bool]:
    """The modality of an event, whether it was promised (for the AGREE / THREATEN recoding) and whether
    its negation is a refusal ("failed to reach agreement", "will not accept"), not a mere absence, and
    whether it is announced (the complement of a reporting verb: "said it would withdraw").

    An event noun takes the tense and negation of the verb it hangs from only when that verb is a light
    or receiver verb ("did not impose sanctions", "will face criticism"); under another verb ("is to
    look into a complaint") the noun names something that exists, reported or not."""
    cues = _modality_cues()
    found: set[str] = set()
    promised = refusal = False
    if not _is_verb(t) and clause is not None:
        lex = lexicon()
        gov, _ = _governor(t, lex)
        if gov is None or _lemma(gov) not in lex.light_verbs | lex.receiver_verbs:
            own = "negated" if any(c.dep_ in ("det", "neg") and c.lower_ in cues["negators"] for c in t.children) \
                else None
            if own is None and t.dep_ == "pobj" and _lemma(t.head.head) in cues["hypothetical_nouns"]:
                own = "hypothetical"  # "fears of an attack"
            reported = any(p in sent.text.casefold() for p in cues["reporting_phrases"]) or _under_report(clause)
            return own or ("reported" if reported else "asserted"), False, False, False
    if not _is_verb(t):
        if any(c.dep_ in ("det", "neg") and c.lower_ in cues["negators"] for c in t.children):
            found.add("negated")
        h = t
        while (clause is None or h.i != clause.i) and h.head.i != h.i:
            owner = h.head.head
            if h.dep_ == "pobj" and owner.pos_ == "NOUN" and _lemma(owner) in cues["hypothetical_nouns"]:
                found.add("hypothetical")
            h = h.head
    cur = clause
    reported_under = False
    hops = 0
    own = True  # a finite verb joined to another ("would not respond ... and promised") keeps its own tense
    while cur is not None and hops < 8:
        hops += 1
        kids = list(cur.children) if own else [c for c in cur.children if c.dep_ not in ("neg", "aux", "auxpass")]
        own = True
        if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") or (
                c.lower_ in ("nor", "neither") and c.i < cur.i) for c in kids):
            found.add("negated")
            if any(c.dep_ == "aux" and (c.lower_ in cues["future_aux"] or _lemma(c) in cues["future_aux"])
                   for c in kids):
                refusal = True  # "will not accept", "won't meet"
        for c in kids:
            if c.dep_ in ("aux", "auxpass"):
                w = c.lower_
                if w in cues["future_aux"] or _lemma(c) in cues["future_aux"]:
                    found.add("future")
                elif w in cues["hypothetical_aux"]:
                    found.add("would" if w in cues["backshifted_future_aux"] else "hypothetical")
            elif c.dep_ in ("mark", "advmod") and c.lower_ in cues["hypothetical_marks"]:
                found.add("hypothetical")
        if cur.dep_ == "pcomp" and cur.head.lower_ in cues["negating_preps"]:
            found.add("negated")
        if cur.dep_ == "pcomp" and _lemma(cur.head.head) in cues["hypothetical_nouns"]:
            found.add("hypothetical")
        if cur.dep_ == "acl" and _lemma(cur.head) in cues["hypothetical_nouns"]:
            found.add("hypothetical")  # "plans to allow X to ...", "a proposal to ban"
        head, dep = cur.head, _dep(cur)
        if head.i == cur.i:
            break
        gl = _lemma(head)
        if dep in ("xcomp", "ccomp") and gl in cues["transparent_governors"]:
            cur = head
        elif dep == "xcomp":
            if gl in cues["negating_governors"]:
                found.add("negated")
                refusal = True
            elif gl in cues["promise_governors"]:
                found.add("future")
                promised = True
            elif gl in cues["hypothetical_governors"]:
                found.add("hypothetical")
            elif gl in cues["future_governors"]:
                found.add("future")
            elif gl in cues["reporting_verbs"]:
                reported_under = True
            cur = head
            if head.pos_ == "ADJ" and head.dep_ == "acomp":  # "is ready to": the copula's clause
                cur = head.head
        elif dep == "conj" and _is_verb(head):
            own = cur.tag_ not in ("VBD", "VBZ", "VBP") and not any(c.dep_ in ("aux", "nsubj") for c in cur.children)
            cur = head
        elif dep in ("ccomp", "parataxis") and _is_verb(head):
            if gl in cues["promise_governors"]:
                found.add("future")
                promised = True
            elif gl in cues["hypothetical_governors"] and gl not in cues["reporting_verbs"]:
                found.add("hypothetical")
            elif gl in cues["reporting_verbs"] or gl in cues["future_governors"]:
                reported_under = True
            break
        else:
            break
    if "would" in found:  # "announced it would withdraw": future seen from the past
        found.discard("would")
        found.add("future" if reported_under or promised else "hypothetical")
    if reported_under or any(p in sent.text.casefold() for p in cues["reporting_phrases"]):
        found.add("reported")
    if promised and "negated" in found and not any(
            c.dep_ == "neg" for c in (clause.children if clause is not None else ())):
        found.discard("negated")  # "promised to hail": a negation above the promise is not the event's
    for m in MODALITY_RANK:
        if m in found:
            return m, promised, refusal, reported_under
    return "asserted", promised, refusal, reported_under


def _under_report(clause: Token) -> bool:
    """Whether a clause is the complement of a reporting verb ("Reuters reported that ...")."""
    cues = _modality_cues()
    cur = clause
    for _ in range(6):
        head = cur.head
        if head.i == cur.i:
            return False
        if _dep(cur) in ("ccomp", "xcomp", "parataxis") and _lemma(head) in cues["reporting_verbs"]:
            return True
        if _dep(cur) not in ("conj", "xcomp", "advcl"):
            return False
        cur = head
    return False


def _is_present(clause: Token | None) -> bool:
    """Whether the clause reports something happening now ("is dispatching", "takes place"); a
    participle or infinitive takes the tense of the finite verb it hangs from."""
    if clause is None:
        return False
    for _ in range(5):
        finite = clause.tag_ in ("VBZ", "VBP", "VBD", "MD") or any(
            c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in clause.children)
        if finite or clause.head.i == clause.i:
            break
        up = clause.head if _dep(clause) == "xcomp" else _governing_verb(clause)
        if up is None:
            break
        clause = up
    auxes = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    if clause.tag_ in ("VBZ", "VBP") and not auxes:
        return True
    return clause.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") and _lemma(a) == "be" for a in auxes)


def _habitual(clause: Token | None, actor_heads: list[Token]) -> bool:
    """A habit or a generic truth, not an event: "police often arrest ...", "governments condemn ..."
    (present simple with a habitual adverb, or with a bare plural subject)."""
    if clause is None:
        return False
    if any(c.dep_ in ("advmod", "npadvmod") and c.lower_ in _modality_cues()["habitual_adverbs"]
           for c in clause.children):
        return True  # "has always called for a debate", "police often arrest"
    if clause.tag_ not in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in clause.children):
        return False
    return any(h.tag_ == "NNS" and h.ent_type_ == "" and not any(
        c.dep_ in ("det", "poss", "nummod", "compound", "amod", "prep") for c in h.children) for h in actor_heads)


def _date_span(t: Token, clause: Token | None, dates: list[Span], res: Resolver) -> Span | None:
    """The DATE entity attached to the trigger or its clause (not "since"/"until" ones), nearest first."""
    anchors = {t.i} | ({clause.i} if clause is not None else set())
    best: tuple[int, Span] | None = None
    for ent in dates:
        root = ent.root
        prev = res.doc[ent.start - 1] if ent.start > 0 else None
        if prev is not None and prev.lower_ in NOT_DATE_PREPS:
            continue
        attach = root.head
        if root.dep_ == "pobj" and attach.dep_ == "prep":
            if attach.lower_ in NOT_DATE_PREPS:
                continue
            attach = attach.head
        elif root.dep_ not in ("npadvmod", "tmod", "obl", "advmod", "nmod"):
            continue
        if attach.i in anchors:
            dist = abs(ent.start - t.i)
            if best is None or dist < best[0]:
                best = (dist, ent)
    return best[1] if best is not None else None


def _date_of(t: Token, clause: Token | None, dates: list[Span], res: Resolver,
             published_at: datetime.date | None,
             ahead: bool = False) -> tuple[datetime.date | None, str | None]:
    """The attached DATE entity resolved; for a future event a bare month or weekday is the next one."""
    ent = _date_span(t, clause, dates, res)
    if ent is None:
        return None, None
    phrase = ent.text
    tail = res.text[ent.end_char:ent.end_char + 6]
    if tail.lstrip().startswith("(") and ")" in tail:  # "Monday (7)"
        phrase += " " + tail[:tail.index(")") + 1]
    if ahead and not any(ch.isdigit() for ch in phrase) and not any(
            w in phrase.casefold().split() for w in RELATIVE_WORDS):
        phrase = "next " + phrase
    return resolve_date(phrase, published_at)


def _ahead(span: Span | None, date: datetime.date | None, published_at: datetime.date | None) -> bool:
    """Whether an attached date lies after publication ("next week", "tomorrow", "on 5 May")."""
    if span is None:
        return False
    if date is not None and published_at is not None and date > published_at:
        return True
    return any(w in _modality_cues()["ahead_words"] for w in span.text.casefold().split())


def _condition(clause: Token | None) -> bool:
    """Whether the clause is the condition of an if/unless sentence."""
    if clause is None:
        return False
    hyp = {"if", "unless"}
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in hyp for c in clause.children)


def _scheduled(t: Token, clause: Token | None) -> bool:
    """A future event set in a frame the text gives ("during his stay", "in April"), not an intention."""
    frames = _modality_cues()["schedule_preps"]
    return any(h is not None and any(c.dep_ == "prep" and c.lower_ in frames for c in h.children)
               for h in (t, clause))


def _location(t: Token, clause: Token | None, res: Resolver, exclude: set[str]) -> EntityRef | None:
    for h in (t, clause):
        if h is None:
            continue
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                for o in prep_objects(c):
                    m = res.mention(o, PLACE_TYPES)
                    if m is not None and m.entity.entity_id not in exclude:
                        return m.entity
    return None


# --- argument constraints -----------------------------------------------------------------------

def _force(t: Token, clause: Token | None, actors: list[_Side], recips: list[_Side]) -> bool:
    """Evidence of physical force: a weapon, blow or casualty in the clause, an armed actor or victim,
    a weapon as the actor, or a place attacked ("attacked a police station")."""
    lex = lexicon()
    if any(s.sector in ARMED for s in (*actors, *recips)):
        return True
    if any(s.head is not None and _lemma(s.head) in lex.means_nouns for s in actors):
        return True
    places = lex.object_classes.get("PLACE", frozenset())
    if any(s.head is not None and _lemma(s.head) in places for s in recips):
        return True
    top = clause if clause is not None else t
    sent_toks = list(top.subtree) if top.i != t.i or _is_verb(t) else list(t.subtree)
    # what is attacked or said is no weapon: "attacked the ruling that detaining terrorist suspects is unlawful"
    held = [c for c in t.children if c.dep_ in ("dobj", "obj", "ccomp")] if _is_verb(t) else []
    inside = {x.i for c in held for x in c.subtree}
    return any(x.i != t.i and x.i not in inside and (_lemma(x) in lex.force_words or x.lower_ in lex.force_words)
               for x in sent_toks)


def _partner(actors: list[_Side], recips: list[_Side], reciprocal: bool, res: Resolver) -> bool:
    """Someone to meet: a recipient that is a person, body or country, or several actors together."""
    if reciprocal or len({a.entity.entity_id if a.entity else a.text for a in actors}) > 1:
        return True
    if any(a.head is not None and a.head.conjuncts for a in actors):
        return True
    return any(r.entity is not None and r.entity.entity_type in ACTOR_TYPES or r.sector is not None or (
        r.head is not None and _in_class(r.head, "PEOPLE", res)) for r in recips)


def _threat(t: Token, actors: list[_Side], addressed: bool, res: Resolver) -> bool:
    """A warning that threatens: its complement names a blow (a conflictual trigger) or an act of the
    actor itself or of an armed body ("warned that police will no longer tolerate rallies"); with no
    complement, one addressed to someone ("warned Iran", "a warning to Iran"). Not advice ("warned
    Blair that the war could be illegal")."""
    lex = lexicon()
    comps = _content(t) + [o for c in t.children if c.dep_ == "prep" and c.lower_ in ("against", "of")
                           for o in prep_objects(c)]
    if not comps:
        return addressed
    ids = {a.entity.entity_id for a in actors if a.entity is not None}
    hostile = lex.conflictual | {"THREATEN", "SANCTION", "COERCE", "ASSAULT"}
    for comp in comps:
        if any(o.event_type in hostile for x in comp.subtree for o in _candidates(x, res)):
            return True
        for s in (c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")):
            ref = res.noun_phrase(s)
            if (ref.entity is not None and ref.entity.entity_id in ids) or _noun_sector(s) in ARMED:
                return True
    return False


def _visited(recips: list[_Side], res: Resolver) -> list[_Side]:
    """A visit's hosts: a person or body, or a country (a capital stands for its country); a town on a
    campaign trail is no international event (PLOVER, CONSULT)."""
    out = []
    for r in recips:
        listed = r.head is not None and any(c.ent_type_ in PLACE_TYPES for c in (r.head, *r.head.conjuncts))
        if r.entity is None:
            if r.head is not None and _in_class(r.head, "PEOPLE", res):
                out.append(r)  # "visited the troops"; not "will visit places"
            continue
        if not r.by_head and r.head is not None and _noun_sector(r.head) in (None, "civilians") and \
                _lemma(r.head) not in rule_data().roles.person_nouns:
            continue  # "visiting the Pakistani community in Manchester": no visit to Pakistan
        if r.entity.entity_type not in PLACE_TYPES and not listed:
            out.append(r)  # a person or body; a name in a list of towns is a town ("Manchester, Torbay")
            continue
        country = res.country(r.text or "") or res.country(r.entity.canonical_name)
        if country is not None:
            out.append(replace(r, entity=country, sector=sectors().country))
    return out


# --- the extraction ---------------------------------------------------------------------------

def _recode(etype: str, mode: str | None, modality: str, promised: bool, scheduled: bool,
            recipient: bool, conditional: bool, refusal: bool = False,
            announced: bool = False) -> tuple[str, str | None, str]:
    """The manual's ambiguity rules: promised or intended cooperation is AGREE (a future meeting with a
    date or frame of its own stays a CONSULT in the future), a promised blow, or one announced or
    made conditional against someone ("said it would blockade Paris", "will boycott ... unless"), a
    THREATEN (a plain plan stays its type in the future), an announced retreat a CONCEDE, cooperation
    refused ("failed to reach an agreement", "will not accept") a REJECT."""
    lex = lexicon()
    if modality == "negated" and refusal and (etype == "AGREE" or etype in lex.cooperative):
        return "REJECT", None, "asserted"  # "failed to reach agreement", "failed to recognise the ruling"
    threat = (modality == "future" and announced) or (modality in ("future", "hypothetical") and conditional)
    if etype in lex.conflictual and (promised or (threat and recipient)):
        mode = lex.threat_modes[etype] if etype != "COERCE" or mode != "arrest" else "arrest"
        return "THREATEN", mode, modality
    if modality != "future":
        return etype, mode, modality
    to_agree = rule_data().modality.get("plain_future_to_agree")
    if etype in lex.cooperative and (promised or to_agree is True or (to_agree == "unscheduled" and not scheduled)):
        return "AGREE", None, modality
    if etype == "RETREAT":
        return "CONCEDE", None, modality
    return etype, mode, modality


def _fallback_recipient(t: Token, clause: Token | None, res: Resolver,
                        actor_ids: set[str]) -> tuple[EntityRef | None, str | None]:
    """For types the manual says need a recipient: the first other entity after the trigger in its clause."""
    top = clause if clause is not None and clause.i < t.i + 1 else t
    end = top.right_edge.idx + len(top.right_edge.text)
    for m in res.mentions_within(t.idx, end):
        ent = res.canon(m.entity, m.text)
        if ent.entity_id not in actor_ids:
            return ent, m.text
    return None, None


@dataclass(frozen=True)
class Party:
    """An actor or recipient: the entity it resolved to, the phrase as written, and its sector."""

    entity: EntityRef | None
    text: str | None
    sector: str | None = None


@dataclass(frozen=True)
class Event:
    """One coded event: who did what to whom, when, where, as the sentence claims it."""

    event_type: str
    mode: str | None
    actor: Party
    recipient: Party
    modality: str
    date: datetime.date | None
    date_precision: str | None
    location: EntityRef | None
    score: float | None
    trigger: str
    start: int  # the sentence that states it
    end: int
    evidence: str


def extract_events(doc: Doc, resolver: Resolver, published_at: datetime.date | None) -> list[Event]:
    """The events of one article: one per event, actor and recipient, in text order."""
    dates_by_sent: dict[int, list[Span]] = {}
    for ent in doc.ents:
        if ent.label_ == "DATE":
            dates_by_sent.setdefault(resolver.sentence(ent[0]).start, []).append(ent)
    cands: dict[int, list[Trigger]] = {}
    for t in doc:
        opts = _candidates(t, resolver)
        if opts:
            cands[t.i] = opts
    events: list[Event] = []
    for i, opts in cands.items():
        t = doc[i]
        if _is_content(t, cands):
            continue
        for trig in opts:
            found = _events_of(t, trig, resolver, dates_by_sent, published_at)
            if found:
                events += found
                break
    return _dedupe(events)


def _clean_text(text: str | None) -> str | None:
    """A phrase as written, without what a parse drags in from a line before (headers, captions)."""
    if text is None:
        return None
    return text[text.rfind("\n") + 1:].strip() or text.strip()


def event_date(t: Token, clause: Token | None, sentence_dates: list[Span], res: Resolver,
               published_at: datetime.date | None, modality: str) -> tuple[datetime.date | None, str | None]:
    """The date of an event, decided here only: the DATE entity attached to its trigger or clause
    (a bare month or weekday of a future event is the next one); else, for an asserted or reported
    event told in the present tense ("is dispatching", "takes place"), the publication date."""
    ev_date, precision = _date_of(t, clause, sentence_dates, res, published_at, ahead=modality == "future")
    light = _is_verb(t) or (clause is not None and _lemma(clause) in lexicon().light_verbs)
    if ev_date is None and published_at is not None and modality in ("asserted", "reported") \
            and light and _is_present(clause):
        return published_at, "day"
    return ev_date, precision


def _member_of_public(s: _Side) -> bool:
    """A reader or passer-by quoted by first name and town ("Andrew in Derby complains ..."): no actor."""
    h, ent = s.head, s.entity
    if h is None or ent is None or ent.entity_type != "PERSON" or " " in ent.canonical_name.strip():
        return False
    if name_key(ent.canonical_name) not in rule_data().roles.given_name_gender:
        return False
    return any(c.dep_ == "prep" and c.lower_ in ("in", "from") and any(o.pos_ == "PROPN" for o in c.children)
               for c in h.children)  # the town: often mislabelled by the NER, always a proper noun


def _named_actor(s: _Side, trig: Trigger) -> bool:
    """An actor the text names: an entity, a body by its sector noun ("police"), or, for violence, a weapon."""
    if _member_of_public(s):
        return False
    if s.entity is not None:
        return True
    if s.head is None or s.head.pos_ == "PRON":
        return False
    if _noun_sector(s.head, qualify=False) is not None:  # "the former police chief" is named by its noun
        return True
    return trig.event_type == "ASSAULT" and _lemma(s.head) in lexicon().means_nouns


def _events_of(t: Token, trig: Trigger, res: Resolver, dates_by_sent: dict[int, list[Span]],
               published_at: datetime.date | None) -> list[Event]:
    """The events one trigger yields (one per actor and recipient), or none when its roles do not resolve."""
    lex = lexicon()
    if trig.pos == "adjectives":
        actor_heads, recip_heads, reciprocal = _adj_roles(t, trig, res)
    elif _is_verb(t):
        actor_heads, recip_heads, reciprocal = _verb_roles(t, trig, res)
    else:
        actor_heads, recip_heads, reciprocal = _noun_roles(t, trig, res)
    actors = [replace(a, text=_clean_text(a.text)) for a in _group(res, actor_heads) if _named_actor(a, trig)]
    if not actors:
        return []
    clause = t.head if trig.pos == "adjectives" and _is_verb(t.head) and t.dep_ != "ROOT" else _clause(t)
    if _habitual(clause, actor_heads):
        return []
    if trig.actor_sectors is not None and not any(a.sector in trig.actor_sectors for a in actors):
        return []
    recip_heads = [h for h in recip_heads if h.ent_type_ not in NOT_PARTIES and _lemma(h) not in trig.words]
    recips = [replace(r, text=_clean_text(r.text)) for r in _group(res, recip_heads, loose=True)]
    if trig.mode == "visit":
        recips = _visited(recips, res)
        if not recips:
            return []
    named = [r for r in recips if r.entity is not None]
    if trig.pos == "verbs" and any(_core(r.head) for r in named):
        named = [r for r in named if _core(r.head)]  # "criticised its record on the NHS": its, not the NHS
        recips = named
    if trig.requires in ("recipient", "place", "deontic") and not named:
        return []
    if trig.requires == "content" and not _content(t) and not any(
            c.dep_ == "prep" and c.lower_ == "for" for c in t.children):
        return []  # "appealed for calm", "appealed to X to ...", not "appeal to core voters"
    if trig.requires == "commitment" and not named and not any(
            c.dep_ in ("xcomp", "dobj", "obj") or (c.dep_ == "ccomp" and _modal(c))
            or (c.dep_ == "prep" and c.lower_ in ("on", "upon", "to")) for c in t.children):
        return []  # "agreed that they should cooperate", not "agreed that the figures were strong"
    if trig.requires == "place" and not any(
            r.by_head and (r.entity.entity_type in PLACE_TYPES or res.country(r.text or "")) for r in named):
        return []
    etype, mode = trig.event_type, trig.mode
    if trig.needs == "partner" and not _partner(actors, recips, reciprocal, res):
        return []
    if trig.needs == "threat" and not _threat(t, actors, bool(named), res):
        return []
    if trig.needs == "content" and not any(_dep(c) == "xcomp" or (c.dep_ == "ccomp" and not any(
            m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)) for c in t.children) and \
            not any(c.dep_ == "prep" and c.lower_ == "for" for c in t.children):
        return []  # "asked X to ...", "asked for ...", not "asked X if he was ..." (a question)
    if _condition(clause):
        return []  # "if X imposes sanctions, ...": a condition states no event
    if trig.needs == "force" and not _force(t, clause, actors, recips):
        if trig.otherwise is None:
            return []
        etype, mode = trig.otherwise
    if trig.joint and (reciprocal or len({a.entity.entity_id if a.entity else a.text for a in actors}) > 1
                       or any(a.head is not None and a.head.conjuncts for a in actors)):
        etype = trig.joint
    actor_ids = {a.entity.entity_id for a in actors if a.entity is not None}
    if not named:
        ent, text = _content_recipient(t, res, actor_ids) if etype in SAYING | lex.needs_recipient else (None, None)
        if ent is None and etype in lex.needs_recipient:
            ent, text = _fallback_recipient(t, clause, res, actor_ids)
        if ent is not None:
            named = [_Side(ent, text, None, _entity_sector(ent, text, res))]
    recips = named or recips[:1] or [_Side(None, None, None, None)]
    sent = res.sentence(t)
    sent_dates = dates_by_sent.get(sent.start, [])
    modality, promised, refusal, announced = _modality(t, clause, sent)
    span = _date_span(t, clause, sent_dates, res)
    if modality in ("asserted", "reported") and _is_present(clause) and _ahead(
            span, _date_of(t, clause, sent_dates, res, published_at)[0], published_at):
        modality = "future"  # "is travelling to America next week": a present tense of the future
    conditional = clause is not None and any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for c in clause.children)
    etype, mode, modality = _recode(etype, mode, modality, promised, span is not None or _scheduled(t, clause),
                                    bool(named), conditional, refusal, announced)
    ev_date, precision = event_date(t, clause, sent_dates, res, published_at, modality)
    own_ids = {_eid(a) for a in actors} - {None}
    if any(r.entity is not None and r.entity.entity_id in own_ids for r in recips):
        others = [r for r in recips if r.entity is None or r.entity.entity_id not in own_ids]
        if others:  # "defended the plans against criticism from his own backbenchers": the plans
            recips = [r for r in others if r.entity is not None] or others[:1]
    pairs = []
    for a in actors:
        if reciprocal:
            others = [x for x in actors if x.entity is not None and x.entity.entity_id != _eid(a)]
            pairs += [(a, o) for o in others] or [(a, _Side(None, None, None, None))]
            continue
        for r in recips:
            if r.entity is not None and r.entity.entity_id == _eid(a):
                # the actor cannot be its own recipient: a description resolved to the wrong person
                r = _Side(None, r.text, r.head, r.sector) if r.head is not None and r.head.pos_ == "NOUN" \
                    else _Side(None, None, None, None)
            pairs.append((a, r))
    involved = {_eid(p[0]) for p in pairs} | {_eid(p[1]) for p in pairs}
    location = _location(t, clause, res, set() if mode == "visit" else {x for x in involved if x})
    head_text = res.text[t.idx:t.idx + len(t.text)]  # plus the pattern words: "air strike"
    trigger_text = " ".join((*trig.words, head_text) if trig.pos == "nouns" else (head_text, *trig.words))
    return [Event(etype, mode, Party(a.entity, a.text, a.sector), Party(r.entity, r.text, r.sector), modality,
                  ev_date, precision, location, plover_score(etype, mode), trigger_text, sent.start_char,
                  sent.end_char, sent.text)
            for a, r in pairs]


def _core(h: Token | None) -> bool:
    """Whether a recipient head is the verb's object (or passive subject), not a prepositional one."""
    if h is None:
        return False
    if h.dep_ == "conj":
        return _core(h.head)
    return h.dep_ in ("dobj", "obj", "nsubjpass", "iobj", "dative") or (h.dep_ == "pobj" and h.head.dep_ == "dative")


def _modal(clause: Token) -> bool:
    """Whether a clause says what should or will be done (a modal or future auxiliary)."""
    cues = _modality_cues()
    return any(c.dep_ == "aux" and (c.lower_ in cues["future_aux"] or c.lower_ in cues["hypothetical_aux"])
               for c in clause.children)


def _eid(side: _Side) -> str | None:
    return side.entity.entity_id if side.entity is not None else None


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per event, not per mention: later mentions of the same type, actor and recipient are
    dropped, as is a recipient-less one when the same actor's event of that type has a recipient.
    A dropped mention lends its date to the kept one when that has none."""
    kept: dict[tuple, Event] = {}
    for ev in events:
        claim = ev.modality if ev.modality in ("negated", "hypothetical") else "claimed"
        key = (ev.event_type, _id(ev.actor, by_text=True), _id(ev.recipient), claim)
        if key in kept:
            k = kept[key]
            if k.date is None and ev.date is not None:
                kept[key] = replace(k, date=ev.date, date_precision=ev.date_precision)
            continue
        kept[key] = ev
    with_recipient = {(k[0], k[1], k[3]) for k in kept if k[2] is not None}
    out = [ev for k, ev in kept.items() if k[2] is not None or (k[0], k[1], k[3]) not in with_recipient]
    seen: set[tuple] = set()
    unique = []
    for ev in out:  # the same sentence, type and phrases would get the same row id
        key = (ev.start, ev.end, ev.event_type, ev.actor.text, ev.recipient.text)
        if key not in seen:
            seen.add(key)
            unique.append(ev)
    return unique


def _id(party: Party, by_text: bool = False) -> str | None:
    """The entity's id; an unnamed actor ("police") by its words."""
    if party.entity is not None:
        return party.entity.entity_id
    return "text:" + party.text.casefold() if by_text and party.text else None
