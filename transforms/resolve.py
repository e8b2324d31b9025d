"""Who a phrase refers to: the one resolver that quotes, events and entity linking call.

Given a parsed document and its mentions, it answers which entity a name, a pronoun ("he",
"she", "they", "it", "its") or a description ("the president", "the Kenyan president", "the
Cuban government") refers to. One salience model (subjects of main and reporting clauses first,
recent sentences before older ones) and the agreement the text gives: gender from honorifics,
gendered nouns and given names; kind (a person, or a body: organisation or country); a role noun
that matches the role a person was introduced with ("the foreign minister" -> the person the text
called Foreign Minister). It also keeps the document's speaker turns (who said which passage), so
a passage with no attribution of its own carries on the last speaker unless another person came
forward since. Nothing else reads the mention index.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from transforms.lexicon import Lexicon, lexicon
from transforms.mentions import EntityRef, Mention, MentionIndex
from transforms.quotemarks import QuotedRegions, find_quoted_spans
from transforms.text import name_key

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
BODY_TYPES = frozenset({"ORG", "GPE", "NORP"})
SALIENT_TYPES = frozenset({"PERSON", "ORG"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
REL_PRONOUNS = frozenset({"WDT", "WP", "WP$"})
DEFINITE = frozenset({"the", "this", "that"})
SENTENCES_BACK = 3  # how far back salience looks for an antecedent
GOVERNING_HOPS = 6  # how far up the parse a pronoun looks for the subject of its governing clause
LEAD_ROLE_SENTENCES = 4  # how far a lead's "the courts minister" looks ahead for the person given that role
SUBJECT_PHRASE_HOPS = 4  # how far up a name inside a subject's phrase looks for that subject
GROUP_SENTENCES_BACK = 2  # how far back a "they" that speaks looks for the plural subject it continues
TURN_PARAGRAPHS = 2  # how many paragraphs back an unattributed passage looks for the speaker it continues


@dataclass(frozen=True)
class Turn:
    """A passage the document attributes to a speaker: where it starts and where it ends (its
    attribution included), the speaker's entity (None for an unnamed one), the words naming it and
    the kind of speaker (quotes' speaker_kind: an unnamed spokesman stays anonymous when a quote
    carries his turn on)."""

    start: int
    end: int
    entity: EntityRef | None
    text: str
    kind: str | None = None


@dataclass(frozen=True)
class Reference:
    """What a noun phrase refers to, the phrase as written, where it starts, and how it was found.

    `how`: "name" (its head is a name), "appos" (a name in apposition), "pronoun", "description"
    ("the president"), "role" (a description matched to a person's stated role), "modifier" (a
    name or demonym modifies it: "the Venezuelan regime"), "of" ("the government of X"), or "none".
    """

    entity: EntityRef | None
    text: str
    start: int
    how: str

    @property
    def firmness(self) -> int:
        """2: the phrase names the entity; 1: a modifier, an of-phrase or a description does; 0: none."""
        if self.entity is None:
            return 0
        return 2 if self.how in ("name", "appos", "pronoun", "role") else 1


@dataclass(frozen=True)
class _Role:
    """A role the text gives a person: its noun, the country beside it, qualifiers such as "foreign"."""

    noun: str
    country: str | None
    qualifiers: frozenset[str]
    places: frozenset[str] = frozenset()  # proper names beside it: "Norfolk" police chief
    bodies: frozenset[str] = frozenset()  # a body's other names beside it: "Tory" leader

    def elsewhere(self, places: frozenset[str]) -> bool:
        """Whether a description beside these names is another holder's role: "the Metropolitan police
        chief" is not "Norfolk police chief Andy Hayman"."""
        return bool(places and self.places and not places & self.places)


@dataclass
class _Salient:
    """A candidate antecedent in one sentence: a named mention, or a subject pronoun or description."""

    pos: int
    score: int  # 3: subject of the main or a reporting verb, 2: another subject, 1: any other name
    entity_type: str
    entity: EntityRef | None = None
    token: Token | None = None  # a pronoun or description, resolved when first needed
    subject_of: int = -1  # index of the verb it is the subject of, for binding
    resolved: bool = field(default=False)
    main: bool = False  # the subject of its sentence's main verb
    document: bool = False  # a document ("the report"): only what a speaking "it" may be


class Resolver:
    """References of one document. Build once per article; every answer is cached."""

    def __init__(self, doc: Doc, mentions: MentionIndex, lex: Lexicon | None = None,
                 quoted: QuotedRegions | None = None) -> None:
        self.doc, self.mentions = doc, mentions
        self.text = doc.text  # spaCy joins every token's text on each Doc.text: once per document
        self.lex = lex or lexicon()
        self.quoted = quoted if quoted is not None else QuotedRegions(find_quoted_spans(self.text))
        self.sents: list[Span] = list(doc.sents)
        self.sent_starts = [s.start_char for s in self.sents]
        fw, roles = self.lex.function_words, self.lex.roles
        self._kind = fw.pronoun_kind
        self._pronoun_gender = fw.pronoun_gender
        self._speech = self.lex.reporting.speech_verbs
        self._person_nouns = roles.person_nouns
        # "the government", "the committee": a body that a "they" may stand for
        self._collective_bodies = self.lex.institutions.government_nouns | self.lex.institutions.org_heads
        self._items: dict[int, list[_Salient]] = {}
        self._pronouns: dict[int, EntityRef | None] = {}
        self._unnamed: dict[int, Token] = {}  # pronoun -> the unnamed subject it refers to
        self._descriptions: dict[int, EntityRef | None] = {}
        self._busy: set[int] = set()
        self._gender: dict[str, str | None] | None = None
        self._roles: dict[str, set[_Role]] | None = None
        self._role_words: dict[str, list[str]] = {}
        self._introduced: dict[str, set[str]] = {}  # entity_id -> nouns it was introduced with
        self._para_starts = [m.end() for m in re.finditer("\n", self.text)]
        self._turns: list[Turn] = []
        self._turn_ends: list[int] = []
        # (role noun, qualifiers) -> the person the load's other articles give that role (batch_role_holders)
        self.batch_roles: Mapping[tuple[str, frozenset[str]], str] = {}

    # ----------------------------------------------------------------- positions
    def sent_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def sentence(self, tok: Token) -> Span:
        """tok.sent without its cost: spaCy walks the whole Doc on every call."""
        return self.sents[self.sent_index(tok.idx)]

    def in_quote(self, pos: int) -> bool:
        return pos in self.quoted

    def paragraph(self, pos: int) -> int:
        """Index of the paragraph (line) holding pos."""
        return bisect.bisect_right(self._para_starts, pos)

    # ----------------------------------------------------------------- speaker turns
    def add_turn(self, turn: Turn) -> None:
        """Record who said a passage; turns may be added in any order. A passage no words attribute
        ("It was announced that …") is nobody's turn: no quote after it carries it on."""
        if not turn.text and turn.entity is None:
            return
        i = bisect.bisect_right(self._turn_ends, turn.end)
        self._turn_ends.insert(i, turn.end)
        self._turns.insert(i, turn)

    def speaker_before(self, pos: int, paragraphs: int = TURN_PARAGRAPHS) -> Turn | None:
        """The speaker a passage at pos carries on when it has no attribution of its own ('"…," she
        said.' then a paragraph that is only a quote): the last turn ending before pos, at most
        `paragraphs` paragraphs back, when no other person came forward since: a person named
        outside quotation marks, or the subject of a clause that refers to someone else."""
        i = bisect.bisect_right(self._turn_ends, pos) - 1
        if i < 0:
            return None
        turn = self._turns[i]
        # "Mr Lewis reminded MPs that Ann Lee had described him as a "Fagin"." then a quote: a turn nested
        # inside an earlier one's reported words is part of that report; the reporter carries on
        outer = next((t for t in reversed(self._turns[max(0, i - 4) : i]) if t.start < turn.start < t.end), None)
        if outer is not None and (outer.entity is None or turn.entity is None
                                  or outer.entity.entity_id != turn.entity.entity_id):
            turn = outer
        if self.paragraph(pos) - self.paragraph(turn.end) > paragraphs:
            return None
        same = turn.entity.entity_id if turn.entity is not None else None
        for m in self.mentions.within(turn.end, pos):
            if m.entity.entity_type == "PERSON" and m.entity.entity_id != same and not self.in_quote(m.start_char):
                return None
        for k in range(self.sent_index(turn.end), self.sent_index(pos) + 1):
            for it in self.items(k):
                if not turn.end <= it.pos < pos or it.token is None or it.entity_type != "PERSON":
                    continue
                ent = self._entity_of_item(it)
                if ent is None or ent.entity_id != same:
                    return None
        return turn

    # ----------------------------------------------------------------- names
    def mention(self, tok: Token, types: Iterable[str] | None = ACTOR_TYPES) -> Mention | None:
        """The mention a token belongs to: the longest one overlapping it."""
        return self.mentions.best_mention(tok.idx, tok.idx + len(tok.text), types)

    def named(self, tok: Token, types: Iterable[str] | None = ACTOR_TYPES) -> EntityRef | None:
        """The entity named by the mention the token belongs to, as the text names it."""
        m = self.mention(tok, types)
        return m.entity if m is not None else None

    def country(self, word: str) -> EntityRef | None:
        """The country a name, demonym or capital stands for ("Cuban", "Havana" -> Cuba), if known."""
        return self.mentions.country(word)

    def canon(self, entity: EntityRef, text: str) -> EntityRef:
        """A mention's entity; demonyms and capitals ("Cuban", "Havana", "Washington") read as countries."""
        if entity.entity_type == "PERSON":
            return entity
        return self.country(text) or self.country(entity.canonical_name) or entity

    def entity_of_token(self, tok: Token) -> EntityRef | None:
        """The actor a token names: its mention (countries for demonyms and capitals), or a country word."""
        m = self.mention(tok, ACTOR_TYPES)
        if m is not None:
            return self.canon(m.entity, m.text)
        return self.country(tok.text)

    def mentions_within(self, start: int, end: int, types: Iterable[str] = ACTOR_TYPES) -> list[Mention]:
        types = frozenset(types)
        return [m for m in self.mentions.within(start, end) if m.entity.entity_type in types]

    # ----------------------------------------------------------------- agreement
    def gender(self, entity: EntityRef | None) -> str | None:
        """male, female or None (unknown, or the evidence disagrees), from the whole document."""
        if entity is None or entity.entity_type != "PERSON":
            return None
        if self._gender is None:
            self._gender = self._genders()
        return self._gender.get(entity.entity_id)

    def _genders(self) -> dict[str, str | None]:
        roles = self.lex.roles
        votes: dict[str, Counter] = {}
        names: dict[str, EntityRef] = {}
        for m in self.mentions.mentions:
            if m.entity.entity_type != "PERSON":
                continue
            names[m.entity.entity_id] = m.entity
            v = votes.setdefault(m.entity.entity_id, Counter())
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None:
                continue
            before = self.doc[span.start - 1] if span.start > 0 else None
            if before is not None:
                word = before.lower_.rstrip(".")
                g = roles.honorific_gender.get(word) or roles.noun_gender.get(word)
                if g:
                    v[g] += 2
            first = name_key(m.text).split()[:1]
            if first and len(m.text.split()) > 1 and (g := roles.given_name_gender.get(first[0])):
                v[g] += 1
        told = self._pronoun_votes()
        out: dict[str, str | None] = {}
        for eid, v in votes.items():
            words = name_key(names[eid].canonical_name).split()
            # a full name's given name, or a person the text names by a given name alone ("Kevin was asleep")
            if words and (len(words) > 1 or not v) and (g := roles.given_name_gender.get(words[0])):
                v[g] += 1
            if not v and eid in told:
                v = told[eid]  # no name or title tells: the pronouns the text uses for the person do
            if v["male"] and v["female"]:
                out[eid] = None  # "Mr and Mrs Howard" merged into one row: no agreement either way
            else:
                out[eid] = "male" if v["male"] else "female" if v["female"] else None
        return out

    def _pronoun_votes(self) -> dict[str, Counter]:
        """Gender evidence from the text's own pronouns: a gendered pronoun in a sentence that, before
        it, names one person only, as a subject ("Glenn Campbell said he ...", "Rhys James ... her")."""
        strings = self.doc.vocab.strings
        gendered = {strings[p]: g for p, g in self._pronoun_gender.items() if g}
        votes: dict[str, Counter] = {}
        lowers = self.doc.to_array(LOWER).tolist()
        for i, low in enumerate(lowers):
            g = gendered.get(low)
            if g is None:
                continue
            tok = self.doc[i]
            if self.in_quote(tok.idx):
                continue
            sent = self.sents[self.sent_index(tok.idx)]
            people = {m.entity.entity_id: m for m in self.mentions.within(sent.start_char, tok.idx)
                      if m.entity.entity_type == "PERSON" and not self.in_quote(m.start_char)}
            if len(people) != 1:
                continue
            m = next(iter(people.values()))
            head = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if head is not None and head.root.dep_ in SUBJECTS:
                votes.setdefault(m.entity.entity_id, Counter())[g] += 1
        return votes

    def agrees(self, entity: EntityRef | None, kind: str, gender: str | None, role_subject: bool = False) -> bool:
        """Whether an entity may be what a pronoun of this kind and gender refers to."""
        if entity is None:
            return False
        if kind == "person":
            if entity.entity_type != "PERSON":
                return role_subject  # "the Brazilian leader said he ...": a role standing for its country
            g = self.gender(entity)
            return gender is None or g is None or g == gender
        return entity.entity_type in BODY_TYPES and not role_subject  # "rebel leaders ... they": people

    # ----------------------------------------------------------------- pronouns
    def pronoun_kind(self, tok: Token) -> str | None:
        """person, org, group (they) or keep (we, I, who: not resolved); None if not a pronoun we know."""
        return self._kind.get(tok.lower_)

    def pronoun(self, tok: Token) -> EntityRef | None:
        """The entity a third-person pronoun refers to: the subject of the clause that governs it, else
        the most salient agreeing candidate of its sentence and the three before."""
        if tok.i in self._pronouns:
            return self._pronouns[tok.i]
        kind = self.pronoun_kind(tok)
        if kind not in ("person", "org", "group") or tok.i in self._busy:
            return None
        self._busy.add(tok.i)
        try:
            gender = self._pronoun_gender.get(tok.lower_)
            found = self._governing_subject(tok, kind, gender)
            blocked: list[Token] = []
            if found is None and kind != "group":  # "they" may be several people: only its clause's subject
                found = self._salient(tok, kind, gender, blocked=blocked)
            if found is None and kind == "group":
                found = self._speaking_group(tok, blocked)
            if blocked:
                self._unnamed[tok.i] = blocked[0]
            if found is None and kind == "person" and not blocked:
                m = self._last_person_before(tok.idx, self._before_speech(tok))
                found = m.entity if m is not None and self.agrees(m.entity, kind, gender) else None
        finally:
            self._busy.discard(tok.i)
        self._pronouns[tok.i] = found
        return found

    def _speaking_group(self, tok: Token, blocked: list[Token]) -> EntityRef | None:
        """The body a "they" that speaks continues: the plural subject of one of the sentences before
        ("The Tories say … / They claim …", "the Liberal Democrats … They say"); an unnamed plural
        subject of persons ("MPs", "ministers") goes to `blocked` instead."""
        if not self._speech_subject(tok):
            return None
        k = self.sent_index(tok.idx)
        for j in range(k, max(-1, k - 1 - GROUP_SENTENCES_BACK), -1):  # "Opposition parties … but they accuse"
            subjects = [t for t in self.sents[j] if t.dep_ in SUBJECTS and not self.in_quote(t.idx) and t.i < tok.i]
            for s in sorted(subjects, key=lambda t: (t.head.dep_ == "ROOT", t.i), reverse=True):
                if s.pos_ == "PRON":
                    if self.pronoun_kind(s) == "group" and (ent := self.pronoun(s)) is not None:
                        return ent
                    continue
                persons = noun_lemma(s, self._person_nouns) in self._person_nouns
                if s.tag_ not in ("NNS", "NNPS") and not (persons and s.lower_.endswith("s")):
                    m = self.mention(s, {"ORG"})  # "Cosla says … They say": a body speaks as "they" too
                    if m is not None and s.head.lemma_ in self._speech and s.pos_ == "PROPN":
                        return m.entity
                    if m is None and s.pos_ == "NOUN" and s.lemma_.lower() in self._collective_bodies:
                        blocked.append(s)  # "The government postponed the plans because they said …": unnamed
                        return None
                    continue
                m = self.mention(s, BODY_TYPES - {"NORP"})
                if m is not None:
                    return m.entity
                if persons or s.pos_ == "NOUN" and s.lemma_.lower() in self.lex.institutions.org_heads:
                    blocked.append(s)  # "MPs urged …. They said", "Opposition parties …": unnamed
                    return None
        return None

    def _last_person_before(self, pos: int, speech_from: int | None = None) -> Mention | None:
        """The last person named before pos outside quotation marks (inside them too for a phrase that
        is itself quoted): a name a speaker quotes is not the speaker; nor is a name in the speech
        from `speech_from` on that the pronoun reports, unless it is a speaker itself ("Ann Lee
        scolded him: '…,' she said")."""
        quoted = self.in_quote(pos)

        def keep(m: Mention) -> bool:
            if not quoted and self.in_quote(m.start_char):
                return False
            return speech_from is None or m.start_char < speech_from or self._speaks(m)

        return self.mentions.last_before(pos, {"PERSON"}, keep)

    def _speaks(self, m: Mention) -> bool:
        span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        return span is not None and self._speech_subject(span.root)

    def _speech_subject(self, tok: Token) -> bool:
        """Whether tok is the subject of a verb of speech ("he said", "Ann Lee told")."""
        return tok.dep_ in SUBJECTS and tok.head.lemma_ in self._speech

    def unnamed_antecedent(self, tok: Token) -> Token | None:
        """The subject a pronoun refers to when that subject names no entity ("a spokeswoman for the
        opposition", a name the NER missed); None when it refers to an entity or to nothing found."""
        self.pronoun(tok)
        ante = self._unnamed.get(tok.i)
        seen = {tok.i}
        while ante is not None and ante.pos_ == "PRON" and ante.i not in seen:  # "The report … It said … It
            seen.add(ante.i)  # also said": the chain's first noun
            self.pronoun(ante)
            if (nxt := self._unnamed.get(ante.i)) is None:
                break
            ante = nxt
        return ante

    def _governing_subject(self, tok: Token, kind: str, gender: str | None) -> EntityRef | None:
        """'Maduro said he would ...': the subject of a clause above the pronoun's own, if it agrees; not
        the clause a parenthetical cue reports ("The Lee attack, he says, is …")."""
        v = tok.head
        if tok.dep_ in SUBJECTS and v.dep_ == "parataxis" and v.lemma_ in self._speech:
            return None
        for _ in range(GOVERNING_HOPS):
            if v.head.i == v.i:
                return None
            v = v.head
            if v.pos_ not in ("VERB", "AUX"):
                continue
            for s in v.children:
                if s.dep_ != "nsubj" or s.i == tok.i:
                    continue
                if s.pos_ == "PRON":
                    if self.pronoun_kind(s) in ("person", "org", "group"):
                        ent = self.pronoun(s)
                        if self.agrees(ent, kind, gender):
                            return ent
                    continue
                ref = self.noun_phrase(s, depth=2)
                role = s.lemma_.lower() in self._person_nouns
                if self.agrees(ref.entity, kind, gender, role_subject=role):
                    return ref.entity
        return None

    def _salient(self, tok: Token, kind: str, gender: str | None,
                 exclude: frozenset[str] = frozenset(), blocked: list[Token] | None = None) -> EntityRef | None:
        """The most salient agreeing candidate of tok's sentence (before it) and the three before;
        `exclude`: entities the phrase itself names, which it cannot refer to ("Obama's adviser");
        `blocked` gets the antecedent when the likelier one is someone the text does not name."""
        k = self.sent_index(tok.idx)
        own_verb = tok.head.i if tok.dep_ not in SUBJECTS and tok.dep_ != "poss" else -1
        # '"Mr Blair has the passion", he said': a speaker is never a name in the speech that precedes him
        fronted = self._before_speech(tok)
        speaks = self._speech_subject(tok)
        here = [it for it in self.items(k) if it.pos < fronted and it.score >= 2 and it.subject_of != own_verb
                and (speaks or not it.document)]
        for it in sorted(here, key=lambda it: (it.score, it.pos), reverse=True):
            ent = self._entity_of_item(it)
            if ent is not None and ent.entity_id in exclude or ent is None and self._unresolved(it):
                continue
            if it.entity_type in self._types_for(kind) and (ent is None or self.agrees(ent, kind, gender)):
                if ent is None and blocked is not None and it.token is not None:
                    blocked.append(it.token)
                return ent
        # a subject pronoun continues an earlier sentence's subject before a nearer sentence's object ("Ann
        # Lee said ... They could picture Tom Quell doing it. ..., she said"): subjects first, then anyone
        passes = (True, False) if tok.pos_ == "PRON" and tok.dep_ in SUBJECTS and kind == "person" else (False,)
        document: _Salient | None = None  # a document with no named issuer, passed over
        for subjects_only in passes:
            for j in range(k - 1, max(-1, k - 1 - SENTENCES_BACK), -1):
                cands = [it for it in self.items(j) if it.entity_type in self._types_for(kind)
                         and (not subjects_only or it.score == 3) and (speaks or not it.document)]
                # the subject of a sentence's main verb before one of a clause inside it ("X said that if he ...")
                for it in sorted(cands, key=lambda it: (it.score, it.main, it.pos), reverse=True):
                    if document is not None and it.score < 3:
                        continue  # past a document only its publisher ("published by the CPS") or a subject
                        # before it may have issued it: "… drawn up by committees scrutinising the DCA. It said"
                    ent = self._entity_of_item(it)
                    if ent is None and it.document and document is None:
                        document = it
                    if ent is not None and ent.entity_id in exclude or ent is None and self._unresolved(it):
                        continue  # a pronoun no one was found for is no unnamed antecedent
                    if ent is None and it.token is not None:
                        if blocked is not None:
                            blocked.append(it.token)
                        return None  # an unnamed subject ("a White House official") is the likelier antecedent
                    if self.agrees(ent, kind, gender):
                        return ent
        if document is not None and document.token is not None and blocked is not None:
            blocked.append(document.token)  # no issuer named before it: the document itself speaks
        return None

    def _before_speech(self, tok: Token) -> int:
        """Where the names a pronoun may refer to end: before the speech it reports when it is the
        subject of a verb of speech after it ('"Mr Blair has the passion", he said'; a parenthetical
        cue's speech is the clause around it, "The X attack, he says, is …"), else at the pronoun."""
        if self._speech_subject(tok):
            verb = tok.head
            return min(tok.idx, verb.head.left_edge.idx if verb.dep_ == "parataxis" else verb.left_edge.idx)
        return tok.idx

    def _unresolved(self, it: _Salient) -> bool:
        """A pronoun no one was found for, or a document whose issuer is not named: no antecedent that
        stops the search (an organisation named before may still have issued "the report")."""
        return it.document or it.token is not None and it.token.pos_ == "PRON" and it.token.i not in self._unnamed

    @staticmethod
    def _types_for(kind: str) -> frozenset[str]:
        return frozenset({"PERSON"}) if kind == "person" else frozenset({"ORG", "GPE"})

    # ----------------------------------------------------------------- salience
    def items(self, k: int) -> list[_Salient]:
        """Candidate antecedents of sentence k (outside quotation marks), computed once."""
        if k in self._items:
            return self._items[k]
        sent = self.sents[k] if 0 <= k < len(self.sents) else None
        out: list[_Salient] = []
        if sent is not None:
            for m in self.mentions.within(sent.start_char, sent.end_char):
                if m.entity.entity_type not in SALIENT_TYPES or self.in_quote(m.start_char):
                    continue
                span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
                if span is None:
                    continue
                root = span.root
                head = root.head if root.dep_ == "appos" else root
                member = self.member_named_by(span)
                if member is not None:  # "A Department for Constitutional Affairs spokeswoman said": unnamed
                    out.append(_Salient(member.idx, 3, "PERSON", token=member, subject_of=root.head.i,
                                        main=root.head.dep_ == "ROOT"))
                    continue
                if m.entity.entity_type == "PERSON":
                    while head.dep_ == "compound" and head.head.i != head.i:
                        head = head.head  # "Ann Lee QC said", "by Ann Lee QC": the phrase's head
                    if head.dep_ not in SUBJECTS:
                        head = self._subject_it_ends(head, span) or head
                    cue = self.doc[span.end] if span.end < len(self.doc) else None
                    if head.dep_ not in SUBJECTS and cue is not None and cue.lemma_ in self._speech \
                            and cue.pos_ == "VERB" and not any(c.dep_ in SUBJECTS for c in cue.children):
                        # "Others targeted include X, Y and Z, Lib Dem elections chief Lord Rennard said": the
                        # speaker the parser put in the list is the sentence's subject
                        out.append(_Salient(m.start_char, 3, "PERSON", m.entity, subject_of=cue.i, resolved=True,
                                            main=cue.dep_ == "ROOT"))
                        continue
                out.append(_Salient(m.start_char, self._subject_score(head), m.entity.entity_type, m.entity,
                                    subject_of=head.head.i if head.dep_ in SUBJECTS else -1, resolved=True,
                                    main=head.dep_ in SUBJECTS and head.head.dep_ == "ROOT"))
            for tok in sent:
                if tok.dep_ not in SUBJECTS or self._subject_score(tok) != 3 or self.in_quote(tok.idx):
                    continue
                kind = self.pronoun_kind(tok) if tok.pos_ == "PRON" else None
                if kind in ("person", "org"):
                    out.append(_Salient(tok.idx, 3, "PERSON" if kind == "person" else "ORG", token=tok,
                                        subject_of=tok.head.i, main=tok.head.dep_ == "ROOT"))
                elif tok.pos_ == "NOUN" and tok.lower_ in self._person_nouns:
                    out.append(_Salient(tok.idx, 3, "PERSON", token=tok, subject_of=tok.head.i,
                                        main=tok.head.dep_ == "ROOT"))
                elif tok.pos_ == "NOUN" and tok.tag_ == "NN" and tok.lemma_.lower() in self._collective_bodies \
                        and self.definite(tok) and self.mention(tok, None) is None:  # a named one is above
                    # "The committee said the National Audit Office should … It blamed …": the body that
                    # spoke, named or not, before a body named inside what it said
                    out.append(_Salient(tok.idx, 3, "ORG", token=tok, subject_of=tok.head.i,
                                        main=tok.head.dep_ == "ROOT"))
                elif tok.pos_ == "NOUN" and tok.lemma_.lower() in self.lex.reporting.document_nouns:
                    # "The guidance said … , it said": a document is what the next "it" is, not a body before it
                    out.append(_Salient(tok.idx, 3, "ORG", token=tok, subject_of=tok.head.i,
                                        main=tok.head.dep_ == "ROOT", document=True))
                elif (tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON") and tok.head.lemma_ in self._speech
                      and self.mention(tok, None) is None):
                    # a speaker whose name the NER missed ("Theresa May, shadow secretary, told ..."):
                    # no entity, but the likelier antecedent of the next "she" than someone named before
                    out.append(_Salient(tok.idx, 3, "PERSON", token=tok, subject_of=tok.head.i,
                                        main=tok.head.dep_ == "ROOT"))
        self._items[k] = out
        return out

    def member_named_by(self, span: Span) -> Token | None:
        """The person noun a body's name modifies when the parser made the name the subject ("A
        Department for Constitutional Affairs spokeswoman said": 'Department' the subject)."""
        root = span.root
        if root.dep_ not in SUBJECTS or root.ent_type_ == "PERSON" or span.end >= len(self.doc):
            return None
        nxt = self.doc[span.end]
        if nxt.pos_ != "NOUN" or nxt.lemma_.lower() not in self._person_nouns \
                or not span.start <= nxt.head.i < span.end:
            return None
        after = self.doc[span.end + 1] if span.end + 1 < len(self.doc) else None
        return None if after is not None and after.pos_ in ("NOUN", "PROPN") else nxt

    @staticmethod
    def _subject_it_ends(head: Token, span: Span) -> Token | None:
        """The subject a person's name ends or possesses though the parser hung it lower ("Commission for
        Racial Equality chairman Ann Lee said", "Tory leader Ann Lee's only entry is …")."""
        t = head
        for _ in range(SUBJECT_PHRASE_HOPS):
            if t.dep_ in SUBJECTS:
                return t if t.right_edge.i == span.end - 1 or head.dep_ == "poss" and head.head.i == t.i else None
            if t.dep_ not in ("compound", "poss", "pobj", "prep", "appos") or t.head.i == t.i:
                return None
            t = t.head
        return None

    def _entity_of_item(self, it: _Salient) -> EntityRef | None:
        if not it.resolved:
            tok = it.token
            if tok is not None and tok.pos_ == "PRON":
                it.entity = self.pronoun(tok)
            elif tok is not None and it.document:  # "The Audit Office report said …": its issuer, if named
                it.entity = self.noun_phrase(tok, loose=True).entity
            elif tok is not None and it.entity_type == "ORG":
                it.entity = self.body_description(tok)
            elif tok is not None:
                it.entity = self.description(tok, strict=False)
            it.resolved = True
            if it.entity is not None and it.token is not None and it.token.pos_ != "PRON":
                it.entity_type = it.entity.entity_type
        return it.entity

    def _subject_score(self, tok: Token) -> int:
        if tok.dep_ == "pobj" and tok.head.dep_ == "agent":  # "was welcomed by Ann Lee", "a book by": who acts
            return 3
        if tok.dep_ in SUBJECTS:
            h = tok.head
            if h.lemma_ not in self._speech and any(
                    c.dep_ in ("parataxis", "ccomp", "conj") and c.i > h.i and c.lemma_ in self._speech
                    and any(g.dep_ in SUBJECTS for g in c.children) for c in h.children):
                return 2  # "Mr Lee's Budget was a con, the Tory leader said": the subject of what was said
            return 3 if h.dep_ == "ROOT" or h.lemma_ in self._speech else 2
        return 1

    # ----------------------------------------------------------------- descriptions
    def _person_roles(self) -> dict[str, set[_Role]]:
        """entity_id -> the roles the text introduced a person with: "Kenyan President William Ruto",
        "Ruto, the Kenyan president", "Foreign Minister Diana Mondino"."""
        if self._roles is not None:
            return self._roles
        out: dict[str, set[_Role]] = {}
        for m in self.mentions.mentions:
            if m.entity.entity_type != "PERSON":
                continue
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None:
                continue
            found = out.setdefault(m.entity.entity_id, set())
            words = self._role_words.setdefault(m.entity.entity_id, [])
            # a title run just before the name: "Kenyan President", "Foreign Minister"
            i = span.start - 1
            run: list[Token] = []
            while i >= 0 and not self.doc[i].is_punct and self.doc[i].lower_ not in DEFINITE and len(run) < 4:
                if self.doc[i].pos_ in ("VERB", "AUX", "CCONJ") and self.doc[i].lower_ not in self._person_nouns:
                    break  # "the shadow chancellor said Mr Brown", "the prime minister and Mr Brown" ("minister"
                    # tagged a verb is still the role)
                if self.doc[i].pos_ == "ADP" and not (i > 0 and self.doc[i - 1].is_title):
                    break  # "a speech by Mr Brown", not "Secretary of State for Defence Ann Lee"
                run.append(self.doc[i])
                i -= 1
            found.update(self._roles_in(run))
            nouns = self._introduced.setdefault(m.entity.entity_id, set())
            nouns.update(t.lemma_.lower() for t in run if t.pos_ == "NOUN")
            nxt = self.doc[span.end] if span.end < len(self.doc) else None
            if nxt is not None and nxt.lower_ in self._person_nouns and nxt.is_upper:
                found.update(self._roles_in([nxt]))  # "Frank Field MP", "Guy Mansfield QC": a role after the name
                nouns.add(nxt.lower_)
            title: list[str] = []  # the title's own words: up to a verb or another name ("visits", "Ruiz")
            for t in run:
                if t.pos_ not in ("NOUN", "PROPN", "ADJ") or (t.ent_type_ and t.ent_type_ != "NORP"):
                    break
                title.append(t.lemma_.lower())
            if any(w in self._person_nouns for w in title):
                words += title
            root = span.root
            for a in (c for c in root.children if c.dep_ == "appos"):  # "Ruto, the Kenyan president"
                found.update(self._roles_in([a, *a.children]))
                words += [a.lemma_.lower()] + [c.lemma_.lower() for c in reversed(list(a.children)) if c.i < a.i]
                if a.pos_ == "NOUN":
                    nouns.add(a.lemma_.lower())
            if root.dep_ == "appos":  # "the Kenyan president, William Ruto"
                found.update(self._roles_in([root.head, *root.head.children]))
                words += [root.head.lemma_.lower()] + [c.lemma_.lower() for c in root.head.children
                                                       if c.i < root.head.i]
                if root.head.pos_ == "NOUN":
                    nouns.add(root.head.lemma_.lower())
        self._roles = out
        # "…, a Home Office minister has said. / Hazel Blears said …": the lead's description is her role
        for t in self.sents[0] if self.sents else ():
            if t.dep_ in SUBJECTS and t.head.lemma_ in self._speech and t.lemma_.lower() in self._person_nouns \
                    and not t.ent_type_ and (ent := self.named_next(t)) is not None:
                out.setdefault(ent.entity_id, set()).update(self._roles_in([t, *t.children]))
        return out

    def role_words(self, entity: EntityRef) -> list[str]:
        """The words of the roles the text introduced a person with, the role noun first and nearest
        first ("Labour MP Ann Lee" -> mp, labour; "Ruto, the Kenyan president" -> president, kenyan),
        so a caller can tell what a person is (a minister, an MP, a general) without reading mentions."""
        self._person_roles()
        return self._role_words.get(entity.entity_id, [])

    def _other_roles(self, lemma: str) -> frozenset[str]:
        """Persons the text introduced with a specific role other than this one ("political
        correspondent Glenn Campbell" is not "the executive spokeswoman"); generic nouns ("leader",
        "official", "man") fit any role."""
        self._person_roles()
        roles = self.lex.roles
        if lemma in roles.generic_nouns:
            return frozenset()
        return frozenset(eid for eid, nouns in self._introduced.items()
                         if (known := nouns & self._person_nouns) and not known & roles.generic_nouns
                         and not any(roles.same_role(lemma, n) for n in known))

    def _roles_in(self, toks: Sequence[Token]) -> list[_Role]:
        """The role nouns among these words, with the country and the qualifiers ("foreign") beside them."""
        nouns = [t.lemma_.lower() for t in toks if t.lemma_.lower() in self._person_nouns]
        other = self.lex.roles.other_office
        if any(n not in other for n in nouns):  # "Deputy Prime Minister": a minister, "deputy" qualifies it
            nouns = [n for n in nouns if n not in other]
        if not nouns:
            return []
        country = next((c.country_code for t in toks if (c := self.country(t.text)) is not None), None)
        quals = self._qualifiers(toks)
        return [_Role(n, country, quals, self._places(toks), self._bodies(toks)) for n in nouns]

    def _places(self, toks: Iterable[Token]) -> frozenset[str]:
        """The proper names that say whose role it is, besides a country: "Norfolk" police chief, "the
        Metropolitan" police chief (one is not the other)."""
        return frozenset(t.lower_ for t in toks if t.tag_ in ("NNP", "NNPS") and t.ent_type_ != "PERSON"
                         and self.country(t.text) is None and t.lower_ not in self._person_nouns)

    def _bodies(self, toks: Iterable[Token]) -> frozenset[str]:
        """The names of a body beside a role that `_places` leaves out: the "Tory" leader ("a Tory" is a
        person too), a party's name the tagger took for a common noun. They key a load's role holders."""
        return frozenset(t.lower_ for t in toks if t.ent_type_ in ("ORG", "NORP") and self.country(t.text) is None) \
            - self._places(toks)

    def _qualifiers(self, toks: Iterable[Token]) -> frozenset[str]:
        titles, other = self.lex.roles.name_titles, self.lex.roles.other_office
        return frozenset(t.lower_ for t in toks
                         if t.lower_ in other or t.lower_ in titles and t.lower_ not in self._person_nouns)

    def description(self, tok: Token, strict: bool = True, person: bool = False) -> EntityRef | None:
        """The person a definite description stands for ("the president", "the Kenyan president",
        "the minister"): the person the text introduced with that role (and country), else the most
        salient agreeing person before it. `strict`: only descriptions with a definite determiner.

        `person`: the caller knows from the context that the phrase names a person (the subject of a
        speech verb) though its head is no role noun ("the bow-tied maverick", "Obama's former
        campaign strategist"): a definite or possessed one goes to the most salient person, never to
        a person the phrase itself names."""
        key = tok.i if not person else -1 - tok.i
        if key in self._descriptions:
            return self._descriptions[key]
        known = tok.lemma_.lower() in self._person_nouns
        lemma, _ = self._role_noun(tok)
        # "the SNP's parliamentary leader": possessed by a body, the person named after it
        found = None
        if known and self._possessed(tok):
            found = self._affiliated(tok, lemma)
        if found is None and (known and (not strict or self.definite(tok))
                or person and not known and tok.pos_ == "NOUN" and (self.definite(tok) or self._possessed(tok))):
            found = self._role_holder(tok, lemma) if known else None
            if found is None and tok.i not in self._busy:
                self._busy.add(tok.i)
                try:
                    gender = self.lex.roles.noun_gender.get(lemma)
                    own = frozenset(m.entity.entity_id for m in self.mentions.within(tok.left_edge.idx, tok.idx))
                    if known:
                        own |= self._other_roles(lemma) | self._other_office_holders(tok, lemma)
                    blocked: list[Token] = []
                    # "the Archbishop of Canterbury", "the Director of Public Prosecutions": an office named by
                    # its place or body is whoever the text gave it, not the last person named
                    office = known and any(c.dep_ == "prep" and c.lower_ == "of" and any(
                        o.pos_ == "PROPN" for o in c.children) for c in tok.children)
                    if _restricted(tok):
                        self._descriptions[key] = None
                        return None
                    # "... the chairman of the Police Federation said. Ann Lee said: ...": named next
                    found = self._next_speaker(tok, self.sent_index(tok.idx) + 1, {"PERSON"}) if office \
                        else self._salient(tok, "person", gender, own, blocked)
                    if found is None and known and not blocked and not office:
                        m = self._last_person_before(tok.idx)
                        found = (m.entity if m is not None and m.entity.entity_id not in own
                                 and self.agrees(m.entity, "person", gender) else None)
                finally:
                    self._busy.discard(tok.i)
        self._descriptions[key] = found
        return found

    def _affiliated(self, tok: Token, lemma: str) -> EntityRef | None:
        """'The Scottish National Party's parliamentary leader' after 'The SNP's Nicola Sturgeon': the
        person last named right after the body that possesses the description (its name, then at most
        two words, before the person's name), unless the text gave that person another role noun."""
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.i < tok.i), None)
        body = self.named(poss, {"ORG", "NORP"}) if poss is not None else None
        if body is None:
            return None
        self._person_roles()
        roles, found = self.lex.roles, None
        for m in self.mentions.mentions:
            if m.start_char >= tok.left_edge.idx:
                break
            if m.entity.entity_type != "PERSON" or self.in_quote(m.start_char):
                continue
            nouns = self._introduced.get(m.entity.entity_id, set()) & self._person_nouns
            if nouns and not any(roles.same_role(lemma, n) for n in nouns):
                continue
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None or span.start == 0:
                continue
            before = [self.doc[i] for i in range(max(0, span.start - 3), span.start)]
            if any(self.named(t, {"ORG", "NORP"}) == body for t in before):
                found = m.entity
        return found

    def named_next(self, tok: Token, body: bool = False) -> EntityRef | None:
        """The person (with `body`, the organisation) a description in the article's first sentence
        stands for when the next sentence names one speaking: "…, a Home Office minister has said. /
        Hazel Blears said …", "…, the education watchdog has warned. / Ofsted said …" (a news lead names
        its source in the sentence after it). A definite one only when no one of that kind is named
        before it."""
        k = self.sent_index(tok.idx)
        lemma = tok.lemma_.lower()
        if not body and lemma in self._person_nouns and 0 < k < len(self.sents) - 1 \
                and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
            # "A spokesman for X said … spokesman Ann Lee said", not "Lib Dem home affairs spokesman Ann Lee"
            given = self._given_role_in(lemma, k + 1, k + 2)
            own = {t.lemma_.lower() for t in tok.subtree} | {lemma}
            return given if given is not None and self._introduced.get(given.entity_id, set()) <= own else None
        if k != 0 or len(self.sents) < 2 or not body and lemma not in self._person_nouns:
            return None
        types = {"ORG"} if body else {"PERSON"}
        if self.definite(tok) and self.mentions.last_before(tok.idx, types) is not None:
            return None
        if not body:  # "…, the courts minister has said. … said courts minister Ann Lee": the role names them
            given = self._given_role_in(lemma, 1, LEAD_ROLE_SENTENCES + 1)
            if given is not None:
                return given
        return self._next_speaker(tok, 1, types)

    def _given_role_in(self, lemma: str, first: int, stop: int) -> EntityRef | None:
        """The first person sentences [first, stop) give the role noun `lemma` ("spokesman Ann Lee")."""
        roles = self._person_roles()
        end = self.sents[min(stop, len(self.sents)) - 1].end_char
        for m in self.mentions.within(self.sents[first].start_char, end):
            if m.entity.entity_type == "PERSON" and any(r.noun == lemma for r in roles.get(m.entity.entity_id, ())):
                return m.entity
        return None

    def _next_speaker(self, tok: Token, k: int, types: Iterable[str]) -> EntityRef | None:
        """The named speaker of sentence k (the subject of its main verb of speech, outside quotation
        marks), if it agrees with the description tok."""
        if k >= len(self.sents):
            return None
        gender = self.lex.roles.noun_gender.get(tok.lemma_.lower())
        for t in self.sents[k]:
            if t.dep_ in SUBJECTS and t.head.dep_ == "ROOT" and t.head.lemma_ in self._speech \
                    and not self.in_quote(t.idx):  # the next sentence's own speaker, not one inside a clause
                ent = self.named(t, types)
                if "PERSON" not in types:
                    return ent
                return ent if ent is not None and self.agrees(ent, "person", gender) else None
        # "Dr Brian Gibbons, on his first day in the job after Jane Hutt was sacked, admitted …": a sentence
        # that opens with a name and has a verb of speech the parser left with no subject
        sent = self.sents[k]
        first = self.named(sent[0], types) or (self.named(sent[1], types) if len(sent) > 1 else None)
        if first is not None and any(v.lemma_ in self._speech and v.pos_ == "VERB" and not self.in_quote(v.idx)
                                     and not any(c.dep_ in SUBJECTS for c in v.children) and v.tag_ in ("VBD", "VBZ")
                                     for v in sent):
            return first if "PERSON" not in types or self.agrees(first, "person", gender) else None
        return None

    @staticmethod
    def _possessed(tok: Token) -> bool:
        return any(c.dep_ == "poss" for c in tok.children)

    def definite(self, tok: Token) -> bool:
        """'the minister', 'this report'; outside quotation marks also the publisher's 'our correspondent'
        (the one the article names)."""
        return any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children) or (
            tok.i > 0 and self.doc[tok.i - 1].lower_ in DEFINITE) or (
            any(c.dep_ == "poss" and c.lower_ == "our" for c in tok.children) and not self.in_quote(tok.idx))

    def _other_office_holders(self, tok: Token, lemma: str) -> frozenset[str]:
        """Persons the text gave this role noun only as another office ("Deputy Prime Minister John
        Prescott" for "the prime minister", unless the description says "deputy" too; "Chancellor
        Gordon Brown" for "the shadow chancellor"), or gave it only beside another place's name."""
        mods = _modifiers(tok)
        quals, places = self._qualifiers(mods), self._places(mods)
        other = self.lex.roles.other_office
        titled = bool(quals) or " ".join([*(m.lower_ for m in mods), lemma]) in self.lex.roles.national_titles
        out = set()
        for eid, roles in self._person_roles().items():
            same = [r for r in roles if r.noun == lemma]
            if same and all((r.qualifiers ^ quals) & other or r.elsewhere(places) for r in same):
                out.add(eid)
        if titled:  # a titled office ("the first minister"): not a person the text gave another role
            people = self.lex.roles
            out.update(eid for eid, nouns in self._introduced.items()
                       if (known := nouns & self._person_nouns) and not any(people.same_role(lemma, n) for n in known))
        return frozenset(out)

    def _role_noun(self, tok: Token) -> tuple[str, frozenset[str]]:
        """A role noun and the qualifiers its short form stands for ("the PM": minister, {prime})."""
        words = self.lex.roles.abbreviations.get(tok.lemma_.lower(), tok.lemma_.lower()).split()
        return words[-1], frozenset(words[:-1])

    def _role_holder(self, tok: Token, lemma: str) -> EntityRef | None:
        """The person named before tok whom the text gave this role, with the country and qualifiers
        the description has ("the Kenyan president", "the foreign minister"): the one whose role fits
        most closely (fewest other qualifiers), then the most recently named."""
        mods = _modifiers(tok)
        country = next((c.country_code for t in mods if (c := self.country(t.text)) is not None), None)
        quals = self._qualifiers(mods) | self._role_noun(tok)[1]
        places = self._places(mods)
        roles = self._person_roles()
        other_office = self.lex.roles.other_office
        best: tuple[int, int] | None = None
        holder: EntityRef | None = None
        for m in self.mentions.mentions:
            if m.start_char >= tok.idx:
                break
            if m.entity.entity_type != "PERSON":
                continue
            for r in roles.get(m.entity.entity_id, ()):
                if r.noun != lemma or not quals <= r.qualifiers or (r.qualifiers - quals) & other_office:
                    continue  # "the prime minister" is not the deputy prime minister
                if country is not None and r.country not in (country, None) and m.entity.country_code != country:
                    continue
                if r.elsewhere(places):
                    continue
                rank = (-len(r.qualifiers - quals), m.start_char)
                if best is None or rank >= best:
                    best, holder = rank, m.entity
        named_by = places | self._bodies(mods)  # "the Tory leader": first the holder of that body's role
        if holder is None and country is None and (eid := self.batch_roles.get((lemma, quals | named_by))
                                                   or self.batch_roles.get((lemma, quals))) is not None:
            # "the prime minister" in a text that names Mr Blair but never gives him the title: the
            # person the other articles of the load give it, if this text names him
            holder = next((m.entity for m in self.mentions.mentions if m.entity.entity_id == eid), None)
        return holder

    def role_table(self) -> dict[tuple[str, frozenset[str]], set[str]]:
        """(role noun, qualifiers) -> the persons this text gives that role, for `batch_role_holders`; a
        role beside a place or a body's name also under (noun, qualifiers and those names)."""
        out: dict[tuple[str, frozenset[str]], set[str]] = {}
        for eid, roles in self._person_roles().items():
            for r in roles:
                # "Tory leader Michael Howard": the leader of one named body, as one office is one holder
                out.setdefault((r.noun, r.qualifiers), set()).add(eid)
                if r.places | r.bodies:
                    out.setdefault((r.noun, r.qualifiers | r.places | r.bodies), set()).add(eid)
        return out

    # ----------------------------------------------------------------- noun phrases
    def noun_phrase(self, t: Token, depth: int = 0, loose: bool = False) -> Reference:
        """The entity a noun phrase headed by t stands for, its text as written and how it was found.

        loose: also accept any entity named inside the phrase ("the influence of the Cuban dictatorship") or
        its possessor ("its record")."""
        doc = self.doc
        if t.tag_ in REL_PRONOUNS and t.head.dep_ in ("relcl", "acl") and depth < 3:
            ante = t.head.head
            while ante.ent_type_ in ("DATE", "TIME") and ante.head.i != ante.i and ante.head.dep_ == "prep":
                ante = ante.head.head
            return self.noun_phrase(ante, depth + 1, loose)
        if t.pos_ == "PRON":
            return Reference(self.pronoun(t), t.text, t.idx, "pronoun")
        left = t.left_edge
        while left.i < t.i and (left.is_punct or left.dep_ in ("cc", "preconj")):
            left = doc[left.i + 1]
        right = t
        while right.i + 1 < len(doc) and right.ent_iob_ in ("B", "I") and doc[right.i + 1].ent_iob_ == "I":
            right = doc[right.i + 1]
        start, end = left.idx, right.idx + len(right.text)
        text = self.text[start:end]
        head_ent = self.entity_of_token(t)
        if head_ent is not None:
            return Reference(head_ent, text, start, "name")
        if depth < 3:
            for c in t.children:
                if c.dep_ == "appos":
                    ref = self.noun_phrase(c, depth + 1)
                    if ref.entity is not None:
                        return Reference(ref.entity, text, start, "appos")
        lemma = t.lemma_.lower()
        if lemma in self._person_nouns and self.definite(t):
            holder = self._role_holder(t, lemma)
            if holder is not None:
                return Reference(holder, text, start, "role")
        inside = self.mentions_within(start, end)
        if inside and lemma in self.lex.roles.opponent_nouns and inside[-1].entity.entity_type in ("ORG", "PERSON"):
            inside = []  # "62 Labour rebels", "Kremlin critics": not Labour, not the Kremlin
        if inside:  # the modifier nearest the head: "the Venezuelan regime", "US military operation"
            m = inside[-1]
            return Reference(self.canon(m.entity, m.text), text, start, "modifier")
        for tok in doc[left.i:t.i]:
            if (c := self.country(tok.text)) is not None:
                return Reference(c, text, start, "modifier")
        if loose:  # "criticised its record": whose record
            owner = next((c for c in t.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
            ent = self.pronoun(owner) if owner is not None else None
            if ent is not None:
                return Reference(ent, text, start, "modifier")
        if depth < 3 and (loose or lemma in self.lex.institutions.body_heads):
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                    for o in prep_objects(c):
                        ref = self.noun_phrase(o, depth + 1, loose)
                        if ref.entity is not None:
                            stop = o.right_edge.idx + len(o.right_edge.text)
                            return Reference(ref.entity, self.text[start:stop], start, "of")
        if lemma in self._person_nouns and self.definite(t):
            ent = self.description(t)
            if ent is not None:
                return Reference(ent, text, start, "description")
        if (ent := self.body_description(t)) is not None:
            return Reference(ent, text, start, "description")
        return Reference(None, text, start, "none")

    def _name_words(self, entity: EntityRef) -> frozenset[str]:
        """The words of an organisation's names, its canonical one and the alias file's ("Liberal
        Democrats" is also the "Liberal Democrat Party"), without a plural's s."""
        known = self.lex.gazetteer.known.get(("ORG", entity.name_key or name_key(entity.canonical_name)))
        names = [entity.canonical_name, *((known.name, *known.aliases) if known is not None else ())]
        return frozenset(w.rstrip("s") for n in names for w in name_key(n).split())

    def body_description(self, tok: Token) -> EntityRef | None:
        """The organisation a definite description by its kind stands for ("the party", "the
        committee": institutions.yaml org_heads): the last one named before it, outside quotation
        marks, whose name has that word ("the Conservative Party", "the Home Affairs Committee"); for a
        generic one ("the organisation": generic_bodies), the last one named close before it."""
        lemma, inst = tok.lemma_.lower(), self.lex.institutions
        if lemma in inst.kind_nouns and tok.tag_ != "NNS":  # "the Mirror newspaper": the Mirror
            named = [m for c in tok.children if c.dep_ == "compound" and c.i < tok.i
                     and (m := self.mention(c, ("ORG", "NORP"))) is not None and m.entity.entity_type == "ORG"]
            if named:
                return named[-1].entity
        generic = lemma in inst.generic_bodies
        if lemma not in inst.org_heads and not generic or not self.definite(tok) or tok.pos_ != "NOUN":
            return None
        if tok.tag_ == "NNS" or any(c.dep_ == "amod" and c.lower_ in ("other", "rival") for c in tok.children):
            return None  # "the other parties", "the parties": not the one named before
        quoted = self.in_quote(tok.idx)
        near = self.sent_index(tok.idx) - GENERIC_BODY_SENTENCES

        def fits(m: Mention) -> bool:
            return m.entity.entity_type == "ORG" and (quoted or not self.in_quote(m.start_char)) and (
                lemma.rstrip("s") in self._name_words(m.entity))

        def close(m: Mention) -> bool:
            return m.entity.entity_type == "ORG" and (quoted or not self.in_quote(m.start_char)) \
                and self.sent_index(m.start_char) >= near

        m = self.mentions.last_before(tok.left_edge.idx, {"ORG"}, fits)
        if m is None and generic:
            m = self.mentions.last_before(tok.left_edge.idx, {"ORG"}, close)
        return m.entity if m is not None else None


GENERIC_BODY_SENTENCES = 2  # "the organisation" stands for one named in its sentence or this many before
NOT_ONE_HOLDER = frozenset({"former", "ex", "junior", "assistant", "under", "late"})  # qualifiers of many
BATCH_ROLE_MIN_TEXTS = 2  # a role's holder across a load: given it in at least this many texts
BATCH_ROLE_MARGIN = 2  # ... and in this many times as many texts as anyone else


def batch_role_holders(resolvers: Sequence[Resolver]) -> dict[tuple[str, frozenset[str]], str]:
    """The one person a load's articles give each role ("Prime Minister Tony Blair" in many of them):
    who "the prime minister" is in an article that never gives the title."""
    counts: dict[tuple[str, frozenset[str]], Counter] = {}
    for res in resolvers:
        single = res.lex.roles.single_offices
        for key, eids in res.role_table().items():
            # a titled or single office, not "the MP", "the leader" or "the former minister"
            if (key[1] or key[0] in single) and not key[1] & NOT_ONE_HOLDER:
                counts.setdefault(key, Counter()).update(eids)
    out: dict[tuple[str, frozenset[str]], str] = {}
    for key, c in counts.items():
        (eid, n), *rest = c.most_common(2)
        if n >= BATCH_ROLE_MIN_TEXTS and (not rest or n >= BATCH_ROLE_MARGIN * rest[0][1]):
            out[key] = eid
    return out


def noun_lemma(tok: Token, known: frozenset[str]) -> str:
    """A noun's lemma, a plural the tagger left whole made singular when `known` has that form ("MPs"
    -> "mp")."""
    lemma = tok.lemma_.lower()
    single = tok.lower_.removesuffix("s")
    return single if lemma == tok.lower_ and single != lemma and single in known else lemma


def prep_objects(prep: Token) -> list[Token]:
    """The objects of a preposition, conjuncts included ("with Cuba and Venezuela")."""
    out = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return out + [cj for o in out for cj in o.conjuncts if cj.i > o.i]


def short_name_owner(part: str, candidates: Sequence[tuple[str, int]]) -> str:
    """Which full name a short form ("Rodríguez") stands for, among the full names of an article
    that contain it, given as (name key, start offset) per mention: the longest; when several full
    names share the part (Delcy / Bruno Rodríguez), the one the article names most often, then the
    one it introduced first, since writers give the secondary namesake in full."""
    keys = Counter(k for k, _ in candidates)
    if len(keys) == 1:
        return next(iter(keys))
    first: dict[str, int] = {}
    for k, pos in candidates:
        first[k] = min(first.get(k, pos), pos)
    return max(keys, key=lambda k: (keys[k], -first[k]))


def _modifiers(tok: Token) -> list[Token]:
    """The words before a role noun that say which role it is ("foreign" minister, "first" minister)."""
    return [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i]


def _restricted(tok: Token) -> bool:
    """A description its own relative clause defines ("the barrister who had represented Mr Martin"):
    someone new, not the last person named (a comma before "who" adds to one already known)."""
    return any(c.dep_ == "relcl" and c.i > tok.i and tok.doc[c.left_edge.i - 1].text != ","
               for c in tok.children)
