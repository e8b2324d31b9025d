"""PLOVER events from a parsed article: who did what to whom, when, as claimed by the text.

Detection is one pass over the tokens: a token whose lemma is a trigger in the lexicon
(data/plover_lexicon.yaml, verbs and event nouns) becomes an event when its actor resolves to an
entity of the article. Roles come from the dependency parse (subject, passive agent, object,
prepositions, possessives, "between X and Y", light verbs such as "held talks"); modality from cue
words (data/modality.yaml); dates from DATE entities attached to the trigger, resolved against the
publication date (transforms.dates); scores from the manual's table (data/plover_scores.yaml).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from transforms.dates import RELATIVE_WORDS, resolve_date
from transforms.lexicon import EventRules, Trigger
from transforms.lexicon import lexicon as rule_data
from transforms.mentions import EntityRef
from transforms.resolve import Resolver, prep_objects

PLACE_TYPES = {"GPE", "LOC", "FAC"}
VERB_RECIPIENT_PREPS = ("with", "against", "on", "upon", "to", "toward", "towards", "from", "into")
PLACE_PREPS = ("in", "at", "to", "into", "from")
NOUN_RECIPIENT_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "for", "into", "over"}
NOT_PARTIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
NOT_DATE_PREPS = {"until", "till", "since", "through", "throughout", "for", "from", "by", "before", "after",
                  "to"}
MODALITY_RANK = ["negated", "hypothetical", "future", "reported", "asserted"]


def lexicon() -> EventRules:
    """The event rules of the lexicon (plover_lexicon.yaml, plover_scores.yaml)."""
    return rule_data().events


@cache
def _modality_cues() -> Mapping:
    lex = rule_data()
    return {**lex.modality, "reporting_verbs": lex.reporting.claim_verbs,
            "reporting_phrases": lex.reporting.claim_phrases}


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


def _has_words(t: Token, words: tuple[str, ...]) -> bool:
    """For an event noun, its modifiers before it ("air strike"); for a verb, the pattern's next word a
    child after the trigger ("called for", not "For X, ... called"), the rest among that child's or the
    trigger's children ("spoke by phone", "signed a trade agreement")."""
    if not _is_verb(t):
        before = {x for c in t.children if c.i < t.i for x in (_lemma(c), c.lower_)}
        return all(w in before for w in words)
    after = [c for c in t.children if c.i > t.i]
    first = [c for c in after if words[0] in (_lemma(c), c.lower_)]
    if not first:
        return False
    near = {x for c in after for g in (c, *c.children) for x in (_lemma(g), g.lower_)}
    return all(w in near for w in words[1:])


def _dobj(v: Token) -> Token | None:
    return next((c for c in v.children if c.dep_ in ("dobj", "obj")), None)


def _group(res: Resolver, heads: list[Token], loose: bool = False) -> list[tuple[EntityRef | None, str]]:
    """Actors or recipients from noun-phrase heads, one per distinct entity; conjuncts split
    ("Cuba and Venezuela") unless they share one entity ("Cuban advisors and doctors"), and a
    conjunct named only by a modifier yields to one named outright ("Cuban writer and ... Montaner")."""
    out: list[tuple[EntityRef | None, str]] = []
    for h in heads:
        members = [h] + [c for c in h.conjuncts if c.i > h.i] if h.dep_ != "conj" else [h]
        refs = [res.noun_phrase(m, loose=loose) for m in members]
        top = max((r.firmness for r in refs if r.entity is not None), default=0)
        ents = {r.entity.entity_id: r for r in refs if r.entity is not None and r.firmness == top}
        if len(ents) > 1:
            out += [(r.entity, r.text) for r in ents.values()]
        elif ents:
            ent = next(iter(ents.values())).entity
            last = members[-1]
            text = refs[0].text
            if len(members) > 1:
                text = res.doc.text[refs[0].start:last.idx + len(last.text)]
            out.append((ent, text))
        else:
            out.append((None, refs[0].text))
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
    if _dep(v) == "xcomp":  # object control: "urged X to", "called on X to"
        obj = _dobj(v.head)
        if obj is None:
            obj = next((o for c in v.head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                        for o in prep_objects(c)), None)
        return ([obj], False) if obj is not None else _subject(v.head, res, hops + 1)
    up = _governing_verb(v)
    if up is not None:
        return _subject(up, res, hops + 1)
    if v.dep_ in ("acl", "relcl") and v.tag_ == "VBG":  # "officials visiting Caracas"
        return [v.head], False
    return [], False


def _verb_roles(v: Token, trig: Trigger, res: Resolver) -> tuple[list[Token], list[Token], bool]:
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
    actors, _ = _subject(v, res)
    recips: list[Token] = []
    if passive:
        recips += [c for c in v.children if c.dep_ == "nsubjpass"]
        if v.dep_ in ("acl",) and not recips:  # "the leader arrested by police"
            recips.append(v.head)
    recips += [c for c in v.children if c.dep_ in ("dobj", "obj", "dative", "iobj")]
    preps = [c for c in v.children if c.dep_ == "prep"]
    recips += [o for p in VERB_RECIPIENT_PREPS for c in preps if c.lower_ == p for o in prep_objects(c)]
    if trig.requires == "place":
        recips += [o for p in PLACE_PREPS for c in preps if c.lower_ == p for o in prep_objects(c)]
    if trig.swap:
        actors, recips = [r for r in recips if r.dep_ in ("dobj", "obj")], actors
    return actors, recips, False


def _governor(n: Token, lex: EventRules) -> tuple[Token | None, str]:
    """The verb an event noun hangs from and how ("dobj", "prep:in", "nsubj"), passing light nouns."""
    h = n
    for _ in range(6):
        head = h.head
        if head.i == h.i:
            return None, ""
        if h.dep_ == "conj":
            h = head
            continue
        if h.dep_ in ("dobj", "obj", "nsubjpass", "attr", "oprd", "nsubj") and _is_verb(head):
            return head, h.dep_
        if h.dep_ == "pobj" and head.dep_ == "prep":
            g = head.head
            if g.pos_ in ("NOUN", "PROPN") and _lemma(g) in lex.light_nouns:
                h = g
                continue
            if _is_verb(g):
                return g, "prep:" + head.lower_
        return None, ""
    return None, ""


def _noun_roles(n: Token, trig: Trigger, res: Resolver) -> tuple[list[Token], list[Token], bool]:
    lex = lexicon()
    actors: list[Token] = []
    recips: list[Token] = []
    reciprocal = False
    for c in n.children:
        if c.dep_ == "poss":
            (recips if trig.poss_recipient else actors).append(c)
        elif c.dep_ in ("compound", "nmod", "amod") and res.entity_of_token(c) is not None:
            actors.append(c)
        elif c.dep_ == "prep":
            p = c.lower_
            if p == "by" or (p == "from" and not trig.of_actor):
                actors += prep_objects(c)
            elif p == "from":  # "their departure from Venezuela"
                recips += prep_objects(c)
            elif p in ("between", "among"):
                objs = prep_objects(c)
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
    if gov is not None and (how in ("dobj", "obj", "attr") or how.startswith("prep:")):
        if _lemma(gov) in lex.light_verbs:
            subj, _ = _subject(gov, res)
            own = [a for a in actors if a.pos_ != "PRON" and a.dep_ in ("poss", "compound", "nmod", "amod")]
            if not own and (subj and any(res.noun_phrase(x).entity is not None for x in subj) or not actors
                            or all(a.pos_ == "PRON" for a in actors)):
                actors = subj  # "X gave the support of Y", "its backing": the clause subject says whose
            if not recips:  # "imposed sanctions on X": prepositions of the light verb after the noun
                recips = [o for p in VERB_RECIPIENT_PREPS for c in gov.children
                          if c.dep_ == "prep" and c.lower_ == p and c.i > n.i for o in prep_objects(c)]
        elif _lemma(gov) in lex.receiver_verbs:  # "X drew criticism from Y"
            if not recips:
                recips, _ = _subject(gov, res)
            if not actors:
                actors = [o for c in gov.children if c.dep_ in ("prep", "agent")
                          and c.lower_ in ("from", "by") and c.i > n.i for o in prep_objects(c)]
    return actors, recips, reciprocal


# --- trigger matching ---------------------------------------------------------------------------

def _candidates(t: Token, res: Resolver) -> list[Trigger]:
    """The lexicon options for a token whose word-level conditions hold, most specific first."""
    lex = lexicon()
    out: list[Trigger] = []
    if _is_verb(t):
        opts = lex.verbs.get(_lemma(t))
    elif t.pos_ in ("NOUN", "PROPN"):
        opts = lex.nouns.get(_lemma(t)) or lex.nouns.get(t.lower_)
    else:
        return out
    for trig in opts or ():
        if trig.words and not _has_words(t, trig.words):
            continue
        if trig.governors is not None:
            gov, _ = _governor(t, lex)
            if gov is None or _lemma(gov) not in trig.governors:
                continue
        if _is_verb(t):
            obj = _dobj(t)
            olemma = _lemma(obj) if obj is not None else None
            if trig.requires == "object" and obj is None:
                continue
            if trig.requires == "no_object" and obj is not None:
                continue
            if olemma in trig.unless:
                continue
            if trig.objects is not None:
                person = obj is not None and obj.ent_type_ == "PERSON" and "person" in trig.objects
                if not (person or olemma in trig.objects):
                    continue
        out.append(trig)
    return out


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


def _modality(t: Token, clause: Token | None, sent: Span) -> tuple[str, bool]:
    """The modality of an event and whether it was promised (for the AGREE / THREATEN recoding)."""
    cues = _modality_cues()
    found: set[str] = set()
    promised = False
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
    while cur is not None and hops < 8:
        hops += 1
        kids = list(cur.children)
        if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in kids):
            found.add("negated")
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
        head, dep = cur.head, _dep(cur)
        if head.i == cur.i:
            break
        gl = _lemma(head)
        if dep in ("xcomp", "ccomp") and gl in cues["transparent_governors"]:
            cur = head
        elif dep == "xcomp":
            if gl in cues["negating_governors"]:
                found.add("negated")
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
        elif dep == "conj" and _is_verb(head):
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
        found.add("future" if reported_under else "hypothetical")
    if reported_under or any(p in sent.text.casefold() for p in cues["reporting_phrases"]):
        found.add("reported")
    for m in MODALITY_RANK:
        if m in found:
            return m, promised
    return "asserted", promised


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


def _date_of(t: Token, clause: Token | None, dates: list[Span], res: Resolver,
             published_at: datetime.date | None,
             ahead: bool = False) -> tuple[datetime.date | None, str | None]:
    """The DATE entity attached to the trigger or its clause (not "since"/"until" ones), resolved;
    for a future event a bare month or weekday is the next one."""
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
    if best is None:
        return None, None
    ent = best[1]
    phrase = ent.text
    tail = res.doc.text[ent.end_char:ent.end_char + 6]
    if tail.lstrip().startswith("(") and ")" in tail:  # "Monday (7)"
        phrase += " " + tail[:tail.index(")") + 1]
    if ahead and not any(ch.isdigit() for ch in phrase) and not any(
            w in phrase.casefold().split() for w in RELATIVE_WORDS):
        phrase = "next " + phrase
    return resolve_date(phrase, published_at)


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


# --- the extraction ---------------------------------------------------------------------------

def _recode(etype: str, mode: str | None, modality: str, promised: bool) -> tuple[str, str | None]:
    """The manual's ambiguity rules: promised cooperation is AGREE, a promised blow a THREATEN,
    an announced retreat a CONCEDE."""
    if modality != "future":
        return etype, mode
    lex = lexicon()
    if etype in lex.cooperative and (promised or rule_data().modality.get("plain_future_to_agree")):
        return "AGREE", None
    if etype in lex.conflictual and promised:
        return "THREATEN", lex.threat_modes[etype] if etype != "COERCE" or mode != "arrest" else "arrest"
    if etype == "RETREAT":
        return "CONCEDE", None
    return etype, mode


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
    """An actor or recipient: the entity it resolved to and the phrase as written."""

    entity: EntityRef | None
    text: str | None


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
    events: list[Event] = []
    for t in doc:
        for trig in _candidates(t, resolver):
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


def _events_of(t: Token, trig: Trigger, res: Resolver, dates_by_sent: dict[int, list[Span]],
               published_at: datetime.date | None) -> list[Event]:
    """The events one trigger yields (one per actor and recipient), or none when its roles do not resolve."""
    lex, doc = lexicon(), res.doc
    if _is_verb(t):
        actor_heads, recip_heads, reciprocal = _verb_roles(t, trig, res)
    else:
        actor_heads, recip_heads, reciprocal = _noun_roles(t, trig, res)
    actors = [(a, _clean_text(x)) for a, x in _group(res, actor_heads) if a is not None]
    if not actors:
        return []
    recip_heads = [h for h in recip_heads if h.ent_type_ not in NOT_PARTIES and _lemma(h) not in trig.words]
    recips = [(r, _clean_text(x)) for r, x in _group(res, recip_heads, loose=True)]
    named = [r for r in recips if r[0] is not None]
    if trig.requires in ("recipient", "place") and not named:
        return []
    if trig.requires == "commitment" and not named and not any(
            c.dep_ in ("xcomp", "dobj", "obj") for c in t.children):
        return []
    if trig.requires == "place" and not any(
            r[0].entity_type in PLACE_TYPES or res.country(r[1]) for r in named):
        return []
    actor_ids = {a[0].entity_id for a in actors}
    clause = _clause(t)
    if not named and trig.event_type in lex.needs_recipient:
        ent, text = _fallback_recipient(t, clause, res, actor_ids)
        if ent is not None:
            named = [(ent, text)]
    recips = named or recips[:1] or [(None, None)]
    sent = res.sentence(t)
    modality, promised = _modality(t, clause, sent)
    etype, mode = _recode(trig.event_type, trig.mode, modality, promised)
    ev_date, precision = event_date(t, clause, dates_by_sent.get(sent.start, []), res, published_at, modality)
    pairs = []
    for a_ent, a_text in actors:
        if reciprocal:
            others = [x for x in actors if x[0].entity_id != a_ent.entity_id]
            pairs += [(a_ent, a_text, o[0], o[1]) for o in others] or [(a_ent, a_text, None, None)]
            continue
        for r_ent, r_text in recips:
            if r_ent is not None and r_ent.entity_id == a_ent.entity_id:
                r_ent, r_text = None, None
            pairs.append((a_ent, a_text, r_ent, r_text))
    involved = {p[0].entity_id for p in pairs} | {p[2].entity_id for p in pairs if p[2] is not None}
    location = _location(t, clause, res, set() if mode == "visit" else involved)
    head_text = doc.text[t.idx:t.idx + len(t.text)]  # plus the pattern words: "air strike"
    trigger_text = " ".join((head_text, *trig.words) if _is_verb(t) else (*trig.words, head_text))
    return [Event(etype, mode, Party(a_ent, a_text), Party(r_ent, r_text), modality, ev_date, precision, location,
                  plover_score(etype, mode), trigger_text, sent.start_char, sent.end_char, sent.text)
            for a_ent, a_text, r_ent, r_text in pairs]


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per event, not per mention: later mentions of the same type, actor and recipient are
    dropped, as is a recipient-less one when the same actor's event of that type has a recipient.
    A dropped mention lends its date to the kept one when that has none."""
    kept: dict[tuple, Event] = {}
    for ev in events:
        claim = ev.modality if ev.modality in ("negated", "hypothetical") else "claimed"
        key = (ev.event_type, _id(ev.actor), _id(ev.recipient), claim)
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


def _id(party: Party) -> str | None:
    return party.entity.entity_id if party.entity is not None else None
