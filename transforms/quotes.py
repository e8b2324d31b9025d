"""Direct, mixed and reported speech with its speakers, from an already-parsed spaCy Doc.

Rule-based and linear in the length of the article; no extra model runs, only the parse.

* A reporting cue is a speech verb (data/reporting_cues.yaml: said, wrote, tweeted, confessed ...),
  a cue phrase ("according to X", before, after or inside the statement) or a verbless attribution
  (a name and a colon before a quote, a dash and a name after it). What a verb reports is its
  content: its complement clause ("said [that ...]"), the clause it interrupts ("[...], he said,
  [...]"), the person addressed and the request ("urged [X to ...]"), or the thing named and its
  name ("called [it a disgrace]").
* Quotation marks are paired by a one-pass scanner (transforms/quotemarks.py). A quoted span is a
  statement when a cue attributes it: the verb it is the content of, a cue just after it ('"…," he
  said'), a colon form, "according to", a verbless credit; else it carries on the last speaker
  (the resolver's speaker turns) when it continues that speaker's passage. A quote that is only a
  part of a verb's content is a mixed quote: one row for the whole content.
* Reported speech is the content of a reported-speech verb with no quotation of its own.
* The speaker is the cue's subject (or the name after it: "said Anthony Daquin, a former adviser");
  pronouns and descriptions go through the shared resolver; `Speaker.kind` says whether a person,
  an organisation, a document (a report, a statement, a poll) or an unnamed source speaks.
* Headings, captions, credits, link lists and reader comments hold no statements.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.attrs import IDX, LEMMA, LOWER, POS
from spacy.tokens import Doc, Span, Token

from transforms.lexicon import lexicon
from transforms.mentions import EntityRef, Mention
from transforms.quotemarks import QuotedSpan
from transforms.resolve import Resolver, Turn, noun_lemma

_SPEAKER_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
_SUBJ = {"nsubj", "nsubjpass"}
_INVERTING = {"had", "should", "were", "did", "does", "do", "has", "have"}  # "had he denied", "did she say"
# the endings of English agent nouns ("speechwriters", "proponents", "polluters"): people the lexicons do
# not list, who may ask or urge; "incentives", "correctness" are things
_AGENT_ENDINGS = ("er", "or", "ist", "ent", "ant", "ian", "ee")
_BACKSHIFTED = {"would", "could", "might", "should", "had"}  # the tenses of reported speech
_COMPLEMENT = {"ccomp", "xcomp", "pcomp"}  # links through which a clause stays the cue's content
_QUESTION = {"whether", "how", "what", "why", "who", "whom", "which", "if", "when", "where"}
_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_DASH_CREDIT = re.compile(r"[ \t]*[—―–-]{1,2}[ \t]*(?=[A-Z@])")
_CREDITED = re.compile(r"[”\"’][ \t]*[—―–-]{1,2}[ \t]*\S")  # '"…" ― Carla Sanchez'
_OPENERS = "“\"«„‘'"
_CLOSERS = "”\"»’'“"
_WRITER_WORDS = {"i", "me", "my", "myself", "mine"}
_WRITERS_WORDS = {"we", "us", "our", "ourselves"}
READER_VOICE_MIN_PARAS = 3  # first-person paragraphs that make an article's tail its readers' (or writer's)
READER_VOICE_FIRST_PARA = 3  # the lead paragraphs: a first person there opens a column
MIXED_MIN_WORDS = 2  # unquoted words in a verb's content that make a quote inside it a mixed quote
LABEL_MAX_WORDS = 7  # "Howard Kurtz, Fox News:" before a quote; "— Carla Sanchez" after one
_ADDRESSED = {"tell", "ask", "inform", "advise", "assure", "warn"}  # "he was told": the subject listens
_NOT_CLAUSE = {"so", "this", "that", "it", "nothing", "something", "anything", "much", "little", "more", "less",
               "everything", "goodbye", "hello", "thanks", "yes", "no", "prayer", "grace", "word", "words"}
_FINITE = {"VBZ", "VBD", "VBP", "MD"}
_REASONS = {"because", "since", "although", "though", "as", "unless", "if"}  # a statement's clause after its cue
_DASHES = {"-", "–", "—"}
_NOMINATIVE = {"he", "she", "they", "i", "we", "you", "it"}
_FIRST_PERSONS = {"i", "we", "you"}  # outside quotation marks: the writer and the reader
_NO_SPEAKER_KIND = {"it", "they", "them", "this", "that", "which", "who"}


@dataclass(frozen=True)
class _Rules:
    """What the quote rules read of the lexicon, as flat sets."""

    verbs: frozenset[str]
    indirect: frozenset[str]
    weak: frozenset[str]
    requests: frozenset[str]
    naming: frozenset[str]
    judging: frozenset[str]
    judging_preps: frozenset[str]
    doc_verbs: frozenset[str]
    questions: frozenset[str]
    objects: frozenset[str]
    phrasal: frozenset[str]
    speech_nouns: frozenset[str]
    pledges: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    phrase_ends: frozenset[str]
    person_nouns: frozenset[str]
    gov_nouns: frozenset[str]
    source_nouns: frozenset[str]
    documents: frozenset[str]
    bodies: frozenset[str]
    anonymous: frozenset[str]
    figures: frozenset[str]
    money: frozenset[str]
    finding: frozenset[str]
    caption_starts: tuple[str, ...]
    honorifics: frozenset[str]
    min_words: int
    negating: frozenset[str] = frozenset()  # "refused to confirm": modality.yaml negating_governors
    speaker_nouns: frozenset[str] = frozenset()  # person nouns and bodies: what a plural's singular may be
    wishes: frozenset[str] = frozenset()  # "would prefer X to admit": reporting_cues.yaml wish_governors
    conditions: frozenset[str] = frozenset()  # "if", "unless": modality.yaml hypothetical_marks
    future_aux: frozenset[str] = frozenset()  # "will", "shall": modality.yaml future_aux
    consequences: frozenset[str] = frozenset()  # ", prompting …": reporting_cues.yaml consequence_verbs


@lru_cache(maxsize=1)
def rules() -> _Rules:
    lex = lexicon()
    cues, inst = lex.reporting, lex.institutions
    bodies = cues.organisation_nouns | inst.org_heads | inst.government_nouns | inst.body_words
    return _Rules(
        verbs=cues.speech_verbs, indirect=cues.reported_speech_verbs, weak=cues.belief_verbs,
        requests=cues.request_verbs, naming=cues.naming_verbs, judging=cues.judging_verbs,
        judging_preps=cues.judging_preps, doc_verbs=cues.document_verbs, questions=cues.question_verbs,
        objects=cues.object_verbs, phrasal=cues.phrasal_speech, speech_nouns=cues.speech_nouns,
        pledges=cues.pledge_verbs,
        phrases=cues.cue_phrases, phrase_ends=cues.phrase_ends,
        person_nouns=lex.roles.person_nouns, gov_nouns=inst.government_nouns,
        source_nouns=cues.source_nouns, documents=cues.document_nouns,
        bodies=bodies,
        anonymous=cues.anonymous_nouns | lex.roles.person_nouns, figures=cues.figure_words,
        money=cues.money_words, finding=cues.finding_verbs,
        caption_starts=cues.caption_starts, honorifics=lex.roles.honorifics, min_words=cues.min_quote_words,
        negating=frozenset(lex.modality.get("negating_governors", ())),
        speaker_nouns=lex.roles.person_nouns | bodies, wishes=cues.wish_governors,
        conditions=frozenset(lex.modality.get("hypothetical_marks", ())),
        future_aux=frozenset(lex.modality.get("future_aux", ())), consequences=cues.consequence_verbs,
    )


# ----------------------------------------------------------------------------- speakers
@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to: the words that name them, the entity, the role the text gives,
    and the kind of speaker: person, organisation, document, anonymous (None when unknown)."""

    text: str  # "" when no words name the speaker ("It was announced that …")
    entity: EntityRef | None
    role: str | None
    kind: str | None = None


def _kind_of_entity(entity: EntityRef) -> str:
    return "person" if entity.entity_type == "PERSON" else "organisation"


class _Ctx:
    """Per-article lookups for attribution: paragraphs and quoted regions; references go to the resolver."""

    def __init__(self, doc: Doc, resolver: Resolver) -> None:
        self.doc, self.text, self.res, self.r = doc, resolver.text, resolver, rules()
        self.para_starts = [0, *(m.end() for m in re.finditer(r"\n", self.text))]
        self._skip: dict[int, bool] = {}
        self._closing: dict[int, tuple[Token, int] | None] = {}
        self._tok_idx: list[int] | None = None
        self._readers_from: int | None = None

    def in_quote(self, pos: int) -> bool:
        return self.res.in_quote(pos)

    def para(self, pos: int) -> int:
        """Index of the paragraph holding pos: attribution never crosses a paragraph break."""
        return bisect.bisect_right(self.para_starts, pos) - 1

    def tok_bounds(self, i: int) -> tuple[int, int]:
        """First and last token index of the paragraph holding token i."""
        if self._tok_idx is None:
            self._tok_idx = self.doc.to_array(IDX).tolist()
        s, e = self.para_bounds(self.para(self._tok_idx[i]))
        return bisect.bisect_left(self._tok_idx, s), bisect.bisect_left(self._tok_idx, e) - 1

    def para_bounds(self, k: int) -> tuple[int, int]:
        start = self.para_starts[k]
        end = self.para_starts[k + 1] - 1 if k + 1 < len(self.para_starts) else len(self.text)
        return start, end

    def sent_of(self, tok: Token) -> Span:
        return self.res.sentence(tok)

    # -- lines that hold no statement
    def skip(self, pos: int) -> bool:
        """Whether pos lies in a heading, a caption or credit, a link list or a reader comment."""
        if self._readers_from is None:
            self._readers_from = _readers_voice_from(self)
        if pos >= self._readers_from:
            return True
        k = self.para(pos)
        if k not in self._skip:
            s, e = self.para_bounds(k)
            self._skip[k] = _not_content(self.doc, self.text[s:e], s, self.r)
        return self._skip[k]

    # -- the speaker of a cue
    def subject_of(self, cue: Token) -> Token | None:
        """The cue's subject; participles and conjoined verbs borrow their governor's subject."""
        tok, steps, para = cue, 0, self.para(cue.idx)
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        if agent is not None:  # "he had been told by Margaret Hodge": the agent speaks
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if cue.lemma_.lower() in _ADDRESSED and (any(c.dep_ == "nsubjpass" for c in cue.children) or
                                                 cue.tag_ == "VBN" and not any(c.dep_ in _SUBJ for c in cue.children)):
            return None  # "he was told that …", "Asked whether …, X said": the subject listens
        if (before_dashes := self._before_dashes(cue)) is not None:
            return before_dashes
        if (closing := self.closing_report(cue)) is not None:
            return closing[0]
        if cue.dep_ == "acl" and cue.tag_ in ("VBN", "VBD") and cue.head.dep_ == "ROOT" and cue.head.i < cue.i \
                and cue.head.pos_ in ("PROPN", "NOUN") and self.can_speak(cue.head) \
                and not any(c.dep_ in ("agent", "auxpass") for c in cue.children):
            return cue.head  # "Vincent Cable, for the Lib Dems, called on …": a main verb parsed as a participle
        if cue.dep_ == "acl" and cue.tag_ == "VBG" and cue.head.pos_ in ("NOUN", "PROPN") and cue.head.i < cue.i \
                and self.can_speak(cue.head) and any(a.dep_ == "ccomp" and _is_cue(a.head, self.r)
                                                     for a in cue.head.ancestors):
            return cue.head  # "X insisted [nothing would derail it], despite a new book saying …": the book's
        apart = _speaker_parsed_apart(cue, self.r)
        if apart is not None and not self.in_quote(apart.idx) and self.para(apart.idx) == para:
            return apart
        while steps < 6:
            if (ctrl := self._controller(tok)) is not None:
                return ctrl  # "…, prompting [the Queen] to ask Harold Wilson to …": she asked
            # 'X claimed the detention had driven them mad, saying …': a participle hanging off the
            # reported clause still belongs to the reporter, so climb past that clause to its cue
            reported = steps > 0 and tok.dep_ == "ccomp" and _is_cue(tok.head, self.r)
            subjs = [c for c in tok.children if c.dep_ in _SUBJ]
            free = [c for c in subjs if not self.in_quote(c.idx)]
            # two subjects ("The bridge, the minister said, would open"): the one nearest the cue
            subj = min(free, key=lambda c: abs(c.i - tok.i)) if free else subjs[0] if subjs else None
            if subj is not None and (far := self._named_before_its_role(subj, free)) is not None:
                subj = far  # "Theresa May, Tory shadow work and pensions secretary, said": the role parsed apart
            if subj is not None and not reported:
                if subj.lower_ in ("who", "that", "which") and tok.dep_ == "relcl":
                    before = self.doc[subj.i - 1] if subj.i > 0 else tok.head
                    if subj.lower_ == "who" and before.i != tok.head.i and self.can_speak(before) \
                            and not self.can_speak(tok.head):
                        return before  # 'labelled a "misjudgement" by the Conservatives who said': who spoke
                    if subj.lower_ == "who" and not self.can_speak(tok.head):
                        return self._who_stands_for(tok.head)
                    return tok.head
                if self.in_quote(subj.idx) or self.para(subj.idx) != para:
                    break  # a subject inside the quotation, or a parse run across a paragraph break
                if steps > 0 and not self.can_speak(subj):
                    break  # 'The trouble began …, saying …': a participle attached to the wrong verb
                if steps > 0 and subj.dep_ == "nsubjpass" and cue.lemma_.lower() in _ADDRESSED:
                    return None  # "he was released, only to be confined and told [...]": he was told
                return subj
            if tok.dep_ in ("ROOT", "parataxis") or tok.head is tok or tok.dep_ == "ccomp" and not reported:
                break
            if self.para(tok.head.idx) != para:
                break
            tok, steps = tok.head, steps + 1
        # a parse without a subject: a name right after ("said Anthony Daquin") or right before; never past
        # a preposition after the cue ("called on Mr Brown", "said of the Tory leader": whom it was about)
        after = range(cue.i + 1, min(cue.i + 4, len(self.doc)))
        stop = next((j for j in after if self.doc[j].pos_ == "ADP"), None)
        near = [*(after if stop is None else range(cue.i + 1, stop)), *range(cue.i - 1, max(cue.i - 3, -1), -1)]
        for j in near:
            t = self.doc[j]
            if self.para(t.idx) != para:
                break
            if t.pos_ in ("PROPN", "PRON") and not self.in_quote(t.idx):
                if t.pos_ == "PROPN" and self.res.named(t, _SPEAKER_TYPES) is None:
                    continue
                if t.pos_ == "PRON" and t.lower_ not in _NOMINATIVE:
                    break  # "said her group planned …": a possessive opens the reported clause
                return t
            if t.is_punct or t.pos_ in ("VERB", "AUX"):
                break
        return None

    def _controller(self, verb: Token) -> Token | None:
        """The governor's object that an infinitive with no subject of its own is said by ("prompting [the
        Queen] to ask ...", "forced [Ann Lee] to admit ..."); not a document used to say it ("used a speech
        to attack ..."), nor one only wished to say it ("urged the chancellor to admit ..."); a participle
        is the subject's ("emailed supporters saying ...")."""
        gov = verb.head
        if verb.dep_ != "xcomp" or gov is verb or any(c.dep_ in _SUBJ for c in verb.children) \
                or gov.lemma_.lower() in self.r.wishes:
            return None
        if not _infinitive(verb):
            return None
        ctrl = next((c for c in gov.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if ctrl is None or ctrl.pos_ not in ("PROPN", "NOUN", "PRON") or self.in_quote(ctrl.idx) \
                or not self.can_speak(ctrl) or _noun_lemma(ctrl, self.r) in self.r.documents:
            return None
        return ctrl

    def _who_stands_for(self, head: Token) -> Token:
        """'David Kahn - a historian, and a leading expert on code-breaking, who has confirmed': the
        person a "who" hung on a thing stands for, up its phrase through descriptions of him: the
        first name, else the first word for a person."""
        chain, t = [], head
        while t.dep_ in ("pobj", "prep", "conj", "appos") and t.head is not t and len(chain) < 8:
            t = t.head
            chain.append(t)
        speakers = [c for c in chain if c.pos_ in ("NOUN", "PROPN") and self.can_speak(c)]
        return next((c for c in speakers if self._named(c, {"PERSON"}) is not None), speakers[0] if speakers else head)

    def _named_before_its_role(self, subj: Token, subjects: list[Token]) -> Token | None:
        """The subject before `subj` when `subj` is only set off between commas right after it (an
        apposition the parser made a second subject), and that one is named; or a person's name before the
        body he speaks for, set off by one comma ("Colin Asplin, Blackpool Hotel Association said")."""
        doc = subj.doc
        lo, hi = subj.left_edge.i, subj.right_edge.i
        while hi > subj.i and doc[hi].is_punct:  # the closing comma may hang on the role
            hi -= 1
        if lo < 2 or hi + 1 >= len(doc) or doc[lo - 1].text != ",":
            return None
        far = next((c for c in subjects if c.i < lo - 1 and all(t.is_punct for t in doc[c.i + 1 : lo])), None)
        if far is None or self._named(far) is None:
            return None
        if doc[hi + 1].text == ",":
            return far
        affiliation = self._named(subj, {"ORG"}) is not None and self._named(subj, {"PERSON"}) is None
        return far if affiliation and self._named(far, {"PERSON"}) is not None else None

    def _before_dashes(self, cue: Token) -> Token | None:
        """'But Mr Hebb - who runs his own campaign beside the official one - said …': the speaker is
        the name before the dashes, whatever the parser made the subject inside them."""
        doc = cue.doc
        if cue.i < 3 or doc[cue.i - 1].text not in _DASHES:
            return None
        sent = cue.sent
        opening = next((j for j in range(cue.i - 2, sent.start, -1) if doc[j].text == doc[cue.i - 1].text), None)
        if opening is None:
            return None
        subj = next((c for c in cue.children if c.dep_ in _SUBJ), None)
        if subj is not None and not opening < subj.i < cue.i:
            return None
        before = doc[opening - 1]
        return before if before.pos_ in ("PROPN", "NOUN", "PRON") and self.can_speak(before) else None

    def closing_report(self, cue: Token) -> tuple[Token, int] | None:
        """'[Tony Blair is pressing the US …], Downing Street has indicated.': a reporting verb that closes
        its sentence after a comma and its subject reports the clause before the comma, whatever the
        parser hung the two on (the cue parsed as a conjunct, a complement or an adverbial clause of the
        content, its subject as an apposition). Returns the speaker's head and the comma's index."""
        doc, r = cue.doc, self.r
        if cue.pos_ != "VERB" or cue.lemma_.lower() not in r.indirect or cue.tag_ == "VBG" or cue.dep_ == "relcl" \
                or cue.i in self._closing:
            return self._closing.get(cue.i)
        self._closing[cue.i] = None
        kids = list(cue.children)
        if any(c.dep_ in ("ccomp", "xcomp", "csubj", "conj") or c.dep_ in ("dobj", "dative") and (
                c.i < cue.i or cue.lemma_.lower() not in _ADDRESSED) for c in kids):
            return None
        sent = self.sent_of(cue)
        # what may follow: when, where and to whom it was said ("said on Tuesday", "told MPs"), not "of …"
        # nor a verb ("will insist [on being himself]")
        after = {t.i for c in kids if c.i > cue.i and c.dep_ in ("prep", "npadvmod", "advmod", "dobj", "dative")
                 and c.lower_ != "of" and not any(t.pos_ in ("VERB", "AUX") for t in c.subtree) for t in c.subtree}
        if any(not (t.is_punct or t.is_space or t.i in after) for t in doc[cue.i + 1 : sent.end]):
            return None
        j = cue.i - 1
        while j > sent.start and doc[j].dep_ in ("aux", "auxpass", "neg", "advmod") and doc[j].pos_ != "VERB":
            j -= 1
        k = j  # the subject: words with no verb among them, back to a comma
        while k > sent.start and doc[k].text != "," and doc[k].pos_ not in ("VERB", "AUX") and j - k < 8 \
                and not self.in_quote(doc[k].idx):
            k -= 1
        if doc[k].text != "," or k == j or k - sent.start < 4 or self.in_quote(doc[sent.start].idx):
            return None
        phrase = doc[k + 1 : j + 1]
        head = phrase.root
        # "who insisted", "I agree" (a writer's own view): no one else's report
        if head.pos_ not in ("NOUN", "PROPN", "PRON") or head.lower_ in _FIRST_PERSONS or head.tag_.startswith("W") \
                or not self.can_speak(head) \
                or not any(t.tag_ in _FINITE for t in doc[sent.start : k]):
            return None
        self._closing[cue.i] = (head, k)
        return head, k

    def can_speak(self, tok: Token) -> bool:
        """A name, a pronoun or a noun for a person, body or document ("the trouble" is none)."""
        if tok.pos_ in ("PRON", "PROPN") or self._named(tok) is not None:
            return True
        lemma, r = tok.lemma_.lower(), self.r
        return lemma in r.person_nouns or lemma in r.bodies or lemma in r.anonymous or lemma in r.documents

    def speaker(self, subj: Token) -> Speaker | None:
        """Speaker text, entity, role and kind of a subject token; None when the subject is a figure
        ("14% said", "a majority said": a poll's result, not someone's statement) or a date."""
        r, res, low = self.r, self.res, subj.lower_
        if subj.ent_type_ in ("DATE", "TIME") or subj.is_punct or subj.tag_ == "VBG" and not subj.ent_type_:
            return None  # "Addressing claims that …, Mr Michael told": a gerund (or a dash) is nobody
        if subj.pos_ == "PRON" and low == "it" and subj.dep_ == "nsubjpass" \
                and any(c.dep_ == "ccomp" for c in subj.head.children):
            return Speaker("", None, None, "anonymous")  # "It has been suggested that …": no one named or written
        if subj.pos_ == "PRON" and low in r.anonymous and low not in _NOMINATIVE:
            return Speaker(subj.text, None, None, "anonymous")  # "Some say …", "Many believe …"
        if subj.pos_ == "PRON":
            kind = res.pronoun_kind(subj)
            ent = res.pronoun(subj) if kind in ("person", "org", "group") else None
            if ent is not None:
                return Speaker(subj.text, ent, None, _kind_of_entity(ent))
            ante = res.unnamed_antecedent(subj) if kind in ("person", "org", "group") else None
            if ante is not None and ante.pos_ in ("NOUN", "PROPN"):  # "a spokeswoman …. She said": still unnamed
                lemma = _noun_lemma(ante, r)
                kind_of = "document" if lemma in r.documents else "organisation" if lemma in r.bodies else "anonymous"
                return Speaker(subj.text, None, None, kind_of)
            if low in ("they", "them"):  # "They all insisted …" with no one before: people the text does not name
                return Speaker(subj.text, None, None, "anonymous")
            return Speaker(subj.text, None, None, None if low in _NO_SPEAKER_KIND else "person")
        if (joint := self._joint(subj)) is not None:
            return joint
        np = self._np(subj)
        m = self._named(subj)
        if (m is None or m.entity.entity_type != "PERSON") and (titled := self._titled_person(subj)) is not None:
            name = self._span(titled)  # "Shadow leader of the Commons Ann Lee said", "Guide author Ann Lee said"
            role = _clean_role(self.text[np.start_char:titled.start_char].rstrip(" ,")) \
                if np.start_char < titled.start_char else None
            return Speaker(name.text, titled.entity, role, "person")
        if m is not None and m.entity.entity_type != "PERSON" and res.member_named_by(self._span(m)) is not None:
            return Speaker(np.text, None, None, "anonymous")  # "A Department for … spokeswoman said"
        if m is not None:
            name = self._span(m)
            ent = m.entity
            if subj.lemma_.lower() in r.documents and not (name.start <= subj.i < name.end):
                return Speaker(np.text, ent, None, "document")  # "the White House statement"
            if name.start > 0 and self.doc[name.start - 1].lower_ == "the" and ent.canonical_name.startswith("The "):
                name = self.doc[name.start - 1 : name.end]  # "the Times said": the paper's name has its article
            return Speaker(name.text, ent, self._role(subj, name), _kind_of_entity(ent))
        person_head = subj.lemma_.lower() in r.person_nouns
        # "Ann Lee QC said", not "A Defra spokesman said" with the body's name taken for a person's
        titled = subj.lower_ in lexicon().roles.post_nominals
        if titled and subj.i > np.start and (m := self._named(self.doc[subj.i - 1], {"PERSON"})) is not None:
            name = self._span(m)  # "Tory frontbencher Andrew Tyrie MP said", "Ann Lee QC said": the named person
            role = _clean_role(self.text[np.start_char:name.start_char].rstrip(" ,")) \
                if np.start_char < name.start_char else None
            return Speaker(name.text, m.entity, role, "person")
        appos = next((c for c in subj.subtree if c.dep_ == "appos" and c.i > subj.i), None)
        if appos is not None and (m := self._named(appos, _SPEAKER_TYPES if person_head else {"PERSON"})) is not None:
            # "the dictator, Nicolás Maduro" / "the president of the United States, Donald Trump"
            role = _clean_role(self.doc[np.start : appos.left_edge.i].text)
            return Speaker(self._span(m).text, m.entity, role, "person")
        lemma = _noun_lemma(subj, r)
        if _is_figure(subj, r):
            return None
        if lemma in r.documents or low in r.documents:  # "a statement from the ministry", "the data"
            issuer = res.noun_phrase(subj, loose=True).entity or self._earlier_issuer(subj)
            return Speaker(np.text, issuer, None, "document")
        if low in r.gov_nouns:  # "the Cuban government": the country named in the phrase
            for t in np:
                if t.i == subj.i:
                    continue
                e = res.named(t, {"GPE"})
                if e is None and t.ent_type_ == "NORP":
                    e = res.country(t.text)
                if e is not None:
                    return Speaker(np.text, e, None, "organisation")
        if (low in r.person_nouns or lemma in r.person_nouns) and subj.tag_ == "NNS":
            return Speaker(np.text, None, None, "anonymous")  # "the men said": never one person
        if low in r.person_nouns or lemma in r.person_nouns:
            ent = res.description(subj) or res.named_next(subj)
            if ent is not None:
                return Speaker(np.text, ent, None, _kind_of_entity(ent))
            return Speaker(np.text, None, None, "anonymous")
        if lemma in r.bodies or low in r.bodies:  # "the party said": the party named before, if any
            return Speaker(np.text, res.body_description(subj) or res.named_next(subj, body=True), None,
                           "organisation")
        if lemma in r.anonymous or low in r.anonymous:
            return Speaker(np.text, None, None, "anonymous")
        if subj.pos_ == "NOUN" and subj.head.lemma_.lower() not in r.finding:
            # "the bow-tied maverick said": a description of someone named before ("the latest speculation
            # suggests" is none: a thing shows, suggests or finds)
            ent = res.description(subj, person=True)
            if ent is not None:
                return Speaker(np.text, ent, None, "person")
        before = self.doc[subj.i - 1] if subj.i > 0 else None
        if subj.pos_ == "PROPN" and before is not None and before.pos_ == "NOUN" and _noun_lemma(before, r) in r.bodies:
            return Speaker(np.text, None, None, "organisation")  # "Aid charity Actionaid": a name the NER missed
        if lemma in lexicon().institutions.org_heads or subj.pos_ == "PROPN" and any(
                c.dep_ == "det" and c.lower_ == "the" for c in subj.children):
            # "The Votes at 16 alliance", "The Times" (a name with the article is no person's): names the NER missed
            return Speaker(np.text, None, None, "organisation")
        return Speaker(np.text, None, None, None)

    def _joint(self, subj: Token) -> Speaker | None:
        """'Labour and the Tories have attacked …', 'Opposition members and some Labour MPs had called for …':
        names or speaking nouns joined by "and" speak together; the speaker is all of them, with no one entity
        (crediting the first would give the others' words to it)."""
        if not any(c.dep_ == "cc" and c.lower_ == "and" for c in subj.children):
            return None
        parts, t = [subj], subj
        while (nxt := next((c for c in t.children if c.dep_ == "conj" and c.i > t.i), None)) is not None:
            parts.append(t := nxt)
        named = [self._named(p) for p in parts]
        # an unnamed part is a group ("members", "MPs"), not a description ("the chairman of ... and Wales")
        if len(parts) < 2 or not all(m is not None or p.tag_ == "NNS" and self.can_speak(p)
                                     for m, p in zip(named, parts, strict=True)):
            return None
        if all(m is not None and m.entity.entity_type == "PERSON" for m in named):
            kind = "person"
        elif any(m is not None or _noun_lemma(p, self.r) in self.r.bodies for m, p in zip(named, parts, strict=True)):
            kind = "organisation"
        else:  # "Opposition members and some Labour MPs": unnamed people
            kind = "anonymous"
        start = self._np(subj).start
        start += self.doc[start].lower_ == "both"  # "both Plaid Cymru and the Liberal Democrats"
        return Speaker(self.doc[start : self._np(parts[-1]).end].text, None, None, kind)

    def _earlier_issuer(self, doc_noun: Token) -> EntityRef | None:
        """Who issued the document a definite description refers back to ("In a statement, the party
        said ... '…,' said the statement"): the last earlier use of the same noun, outside quotation
        marks, with its own issuer, or as the object of a verb or a circumstance of a verb of speech
        whose subject is the issuer ("the party issued a statement")."""
        if not self.res.definite(doc_noun):
            return None
        lemma = doc_noun.lemma_.lower()
        earlier = next((t for t in reversed(self.doc[: doc_noun.i]) if t.lemma_.lower() == lemma
                        and not self.in_quote(t.idx)), None)
        if earlier is None:
            return None
        if (own := self.res.noun_phrase(earlier).entity) is not None:
            return own  # "the CNN poll", "the party's statement"; not a name further inside ("a poll of …")
        verb = earlier.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        # "the party issued a statement", "in a statement, the party said"; not "in a poll, Cruz has fallen"
        if not (earlier.dep_ == "dobj" and earlier.head.i == verb.i or verb.lemma_.lower() in self.r.verbs):
            return None
        subj = next((c for c in verb.children if c.dep_ in _SUBJ and c.i != earlier.i), None)
        return self.res.noun_phrase(subj).entity if subj is not None else None

    def _titled_person(self, subj: Token) -> Mention | None:
        """The person named at the end of a speaker's phrase right after a title: a role noun ("Guide
        author Ann Lee") or a possessive ("War on Want's Ann Lee"), or, when a person noun heads the
        phrase, a comma or a capitalised word ("the
        director of the Trust, Ann Lee", "leader of the Commons Ann Lee"). Not after a verb ("the man
        who met Ann Lee"), nor when the head speaks for someone (roles.yaml agent_nouns)."""
        doc, roles, lemma = self.doc, self.res.lex.roles, subj.lemma_.lower()
        if lemma in self.r.documents:
            return None
        right = subj.right_edge
        while right.i > subj.i and right.is_punct:
            right = doc[right.i - 1]
        m = self.res.mention(right, {"PERSON"}) if right.i > subj.i else None
        if m is None or m.start_char <= subj.idx:
            return None
        name = self._span(m)
        if name.start == 0 or name.end != right.i + 1:
            return None
        before = doc[name.start - 1]
        if lemma in roles.agent_nouns:  # "spokesman for sport Ann Lee", not "a spokesman for Prime Minister Ann Lee"
            word = before.lemma_.lower()
            return m if before.pos_ == "NOUN" and before.is_lower and word not in self.r.person_nouns \
                and word not in roles.name_titles else None
        if before.lemma_.lower() in self.r.person_nouns or before.tag_ == "POS":
            return m  # "Guide author Ann Lee", "War on Want's Ann Lee"
        headed = lemma in self.r.person_nouns
        return m if headed and (before.text == "," or before.is_title and before.pos_ in ("PROPN", "NOUN")) else None

    def named_speaker(self, start: int, end: int) -> Speaker | None:
        """The speaker a credit or a label names ("— Carla Sanchez", "Howard Kurtz, Fox News:"):
        the first person or body named in [start, end), else the capitalised words there."""
        ms = [m for m in self.res.mentions_within(start, end, _SPEAKER_TYPES)]
        if ms:
            m = next((m for m in ms if m.entity.entity_type == "PERSON"), ms[0])
            return Speaker(m.text, m.entity, None, _kind_of_entity(m.entity))
        words = re.match(r"[^\W\d_][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*", self.text[start:end].strip(" @"))
        if words is None or not words.group(0)[:1].isupper():
            return None
        return Speaker(words.group(0).rstrip(".,"), None, None, "person" if " " in words.group(0) else None)

    def _named(self, tok: Token, types: Iterable[str] = _SPEAKER_TYPES) -> Mention | None:
        """The mention that covers the phrase head (not a mere modifier of it)."""
        if tok.pos_ not in ("PROPN", "NOUN", "X") and not tok.ent_type_:
            return None
        return self.res.mention(tok, types)

    def _span(self, m: Mention) -> Span:
        sp = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        return sp if sp is not None else self.doc[0:0]

    def _np(self, tok: Token) -> Span:
        """The noun phrase of tok without appositions, relative clauses or conjoined phrases."""
        drop = {"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"}
        lo, hi = tok.i, tok.i
        for c in tok.children:
            if c.dep_ in drop:
                continue
            lo, hi = min(lo, c.left_edge.i), max(hi, c.right_edge.i)
        span = self.doc[lo : hi + 1]
        while len(span) > 1 and span[-1].is_punct:
            span = span[:-1]
        return span

    def _role(self, subj: Token, name: Span) -> str | None:
        """A title before the name ("Opposition deputy Julio Borges") or an apposition after it."""
        appos = [c for c in subj.children if c.dep_ == "appos" and c.i > subj.i and self._named(c) is None]
        if appos:  # the parser may split one apposition ("Tory co-chairman") into several
            nps = [self._np(a) for a in appos]
            return _clean_role(self.doc[min(n.start for n in nps) : max(n.end for n in nps)].text)
        np = self._np(subj)
        if np.start < name.start:
            return _clean_role(self.text[np.start_char : name.start_char])
        return None


def _noun_lemma(tok: Token, r: _Rules) -> str:
    return noun_lemma(tok, r.speaker_nouns)


def _clean_role(text: str) -> str | None:
    """A role without its article and without honorifics ("NAO head Sir" -> "NAO head"; "Mr" -> None)."""
    words = re.sub(r"^(?:the|a|an)\b", "", text.strip(" ,;:—–-"), flags=re.I).strip(" ,;:—–-").split()
    hon = rules().honorifics
    while words and words[-1].lower().rstrip(".") in hon:
        words.pop()
    while words and words[0].lower().rstrip(".") in hon:
        words.pop(0)
    return " ".join(words).strip(" ,;:—–-") or None


def _readers_voice_from(ctx: _Ctx) -> int:
    """Where the article gives way to its readers' comments (or the writer's own first-person piece),
    as a character offset; the text's length when it never does.

    A report speaks of others: "I", "me" and "my" outside quotation marks are a writer's or a
    commenter's own voice. From the first paragraph past the lead that speaks so, when at least
    `READER_VOICE_MIN_PARAS` of the paragraphs to the end do and at least half of them, the rest is
    voices, not reports ("How dare people suggest we are lazy?" is no one's statement)."""
    voiced: set[int] = set()
    plural: set[int] = set()  # "we", "our": a column's writer with the reader, or a commenter
    strings = ctx.doc.vocab.strings
    singular = {strings.add(w): w in _WRITER_WORDS for w in _WRITER_WORDS | _WRITERS_WORDS}
    for i, low in enumerate(ctx.doc.to_array(LOWER).tolist()):
        if low not in singular:
            continue
        t = ctx.doc[i]  # a Token only for these words: most of a document is none
        if t.pos_ != "PRON" or ctx.in_quote(t.idx) or _in_a_name(t):
            continue
        (voiced if singular[low] else plural).add(ctx.para(t.idx))
    if len(voiced) < READER_VOICE_MIN_PARAS:
        return len(ctx.text)
    paras = [k for k in range(len(ctx.para_starts)) if ctx.text[slice(*ctx.para_bounds(k))].strip()]
    if any(k in voiced or k in plural for k in paras[:READER_VOICE_FIRST_PARA]):
        return len(ctx.text)  # the writer's voice in the lead: a column, whose reports stand
    for n, k in enumerate(paras):
        if k not in voiced:
            continue
        rest = paras[n:]
        hits = sum(1 for j in rest if j in voiced)
        if hits >= READER_VOICE_MIN_PARAS and 2 * hits >= len(rest):
            return ctx.para_bounds(k)[0]
    return len(ctx.text)


def _in_a_name(tok: Token) -> bool:
    """A word of a title in Title Case ("I've Got A Woman", "Georgia On My Mind"): nobody's voice."""
    after = [t for t in tok.doc[tok.i + 1 : tok.i + 4] if t.is_alpha][:2]
    return len(after) == 2 and all(t.is_title for t in after)


def _is_figure(subj: Token, r: _Rules) -> bool:
    """A share of respondents as the subject: "14%", "70 percent of voters", "a majority", "three-quarters
    of respondents" (written apart), "nearly half those pupils"."""
    words = {subj.lower_, subj.lemma_.lower()}
    if subj.like_num or words & r.figures:
        return True
    return any(c.i < subj.i and (c.dep_ == "nummod" and words & r.figures
                                 or c.dep_ == "predet" and c.lower_ in r.figures) for c in subj.children)


def _not_content(doc: Doc, para: str, start: int, r: _Rules) -> bool:
    """A line that is not the article's own running text: a caption, credit, link list or reader
    comment (by how it starts), or a heading (short, in Title Case or with no closing punctuation)."""
    line = para.strip()
    if not line:
        return True
    low = line.casefold()
    if low.startswith(r.caption_starts):
        return True
    words = _words(line)
    if words > 30 or _CREDITED.search(line):
        return False
    if line[-1] not in ".?!\"”’'»:)…;,":
        return True  # no sentence ends there: a heading, a list item or a caption
    span = doc.char_span(start + para.index(line[0]), start + para.index(line[0]) + len(line),
                         alignment_mode="expand")
    if span is None:
        return False
    common = [t for t in span if t.is_alpha and len(t) > 3 and t.pos_ not in ("PROPN",)]
    return len(common) >= 2 and sum(t.text[0].isupper() for t in common) >= 0.75 * len(common)


# ----------------------------------------------------------------------------- attribution
def _reports_nothing(tok: Token) -> bool:
    """A reporting verb used as an adjective ("highlighting claimed improvements") or in the passive
    with no clause ("he has been denied a pension"; "it was announced that …" reports)."""
    return tok.dep_ == "amod" or any(c.dep_ == "auxpass" for c in tok.children) and not any(
        c.dep_ in ("ccomp", "agent") for c in tok.children)  # "was criticised by the union" reports


def _is_cue(tok: Token, r: _Rules) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or _reports_nothing(tok):
        return False
    lemma = tok.lemma_.lower()
    if lemma in r.verbs or tok.lower_ in r.verbs:
        return True
    # "went on", "shot back": a verb and its particle
    return any(c.dep_ == "prt" and f"{lemma} {c.lower_}" in r.phrasal for c in tok.children)


def _phrase_cue(tok: Token, r: _Rules) -> tuple[Token, str] | None:
    """(object, cue) when tok is the last word of a cue phrase ("according to" -> its object)."""
    if tok.lower_ not in r.phrase_ends:
        return None
    doc = tok.doc
    for p in r.phrases:
        n = len(p)
        if tok.lower_ == p[-1] and tok.i - n + 1 >= 0 and all(
            doc[tok.i - n + 1 + k].lower_ == p[k] for k in range(n)
        ):
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if obj is None and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("PROPN", "NOUN", "PRON"):
                obj = doc[tok.i + 1]
            if obj is not None:
                return obj, " ".join(p)
    return None


def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
    """Token range [lo, hi] without a leading "that", conjunction or punctuation (opening quotation
    marks kept) and without trailing punctuation (closing marks kept)."""
    while lo <= hi and (doc[lo].is_punct and doc[lo].text not in _OPENERS or doc[lo].is_space
                        or doc[lo].dep_ in ("mark", "cc") and doc[lo].lower_ in ("that", "and", "but")):
        lo += 1
    while hi >= lo and (doc[hi].is_punct and doc[hi].text not in _CLOSERS and doc[hi].text != "%" or doc[hi].is_space
                        or doc[hi].dep_ == "cc" and hi > lo):  # "accused X of lying and [questioned …]"
        hi -= 1
    return (lo, hi) if lo <= hi else None


def _content(ctx: _Ctx, cue: Token) -> tuple[str, list[tuple[int, int]]]:
    """What a reporting verb reports, as (frame, token ranges [lo, hi]) within the cue's paragraph:
    "clause", its complement clause ("said [that ...]"); "naming", its object and what it was called
    ("called [it a disgrace]"); "request", the person addressed and the request ("urged [X to ...]");
    "interrupted", the clause the reporting clause interrupts ("[...], he said, [...]": two ranges);
    "object", a quotation parsed as its object; ("", []) when it reports nothing we can delimit."""
    r = ctx.r
    doc, lemma = cue.doc, cue.lemma_.lower()
    p_lo, p_hi = ctx.tok_bounds(cue.i)

    def trim(lo: int, hi: int) -> tuple[int, int] | None:
        # "[…the Kyoto Protocol], Downing Street has indicated": another's closing report is not content
        hi = min([hi, *(c[1] - 1 for t in doc[lo : min(hi, p_hi) + 3] if t.i != cue.i
                         and (c := ctx.closing_report(t)) is not None and lo < c[1] <= hi)])
        return _to_closing_mark(ctx, cue, _trim(doc, max(lo, p_lo), min(hi, p_hi)), p_hi)

    kids = [c for c in cue.children if p_lo <= c.i <= p_hi]  # a parse run across a paragraph break
    comps = [c for c in kids if c.dep_ == "ccomp"]
    # the clause after the cue ("…, also said [her group planned …]"), else the one before it
    comp = next((c for c in comps if c.i > cue.i), comps[-1] if comps else None)
    if comp is not None:
        lo = comp.left_edge.i
        # 'said [on Friday] he hoped …': when it was said, not what
        while lo < comp.i and doc[lo].dep_ == "prep" and doc[lo].head.i == comp.i and doc[lo].right_edge.i < comp.i \
                and any(o.ent_type_ in ("DATE", "TIME") for o in doc[lo].children):
            lo = doc[lo].right_edge.i + 1
        if comp.i > cue.i and lemma not in _ADDRESSED:  # 'said [the days when …] [are gone]': a subject parsed apart
            lo = min([lo, *(c.left_edge.i for c in kids if cue.i < c.i < comp.i
                            and c.dep_ in ("npadvmod", "nsubj", "attr") and c.ent_type_ not in ("DATE", "TIME"))])
        if comp.i > cue.i and not any(g.dep_ in _SUBJ or g.dep_ == "expl" for g in comp.children):
            lo = min(lo, _subject_parsed_as_object(cue, comp, lemma in _ADDRESSED))
        # 'said [by the time pupils reach us, it was too late]', 'said [if elected, she would …]': a clause the
        # parser hung on the cue opens the reported one
        if lemma in _ADDRESSED and comp.i > cue.i and not any(c.dep_ in ("dobj", "dative") for c in kids):
            lo = _after_addressee(doc, lo, comp.i)
        opener = next((c for c in kids if cue.i < c.i < comp.i and (c.dep_ == "advcl" or c.dep_ == "prep" and any(
            t.tag_ in _FINITE and any(g.dep_ in _SUBJ for g in t.children) for t in c.subtree))), None)
        if opener is not None:
            lo = min(lo, opener.left_edge.i)
        while lo > cue.i + 1 and not doc[lo - 1].whitespace_ and not doc[lo - 1].is_punct or \
                lo > cue.i + 2 and doc[lo - 1].text == "-" and not doc[lo - 2].whitespace_:
            lo -= 1  # never from inside a word: "re-[registration]"
        while lo > cue.i + 1 and doc[lo - 1].pos_ == "ADJ" and doc[lo - 1].head.i == cue.i:
            lo -= 1  # 'argued [closer co-operation … was crucial]': the parser hung the adjective on the cue
        hi = _clause_end(comp, r)
        apart = _speaker_parsed_apart(cue, r) if comp.i < cue.i else None
        if apart is not None and lo < apart.i <= hi:  # '[Others include X and Y], Lib Dem chief Lord Rennard said'
            hi = next((t.i - 1 for t in reversed(doc[lo : apart.i]) if t.text == ","), apart.left_edge.i - 1)
        if comp.i < cue.i:  # "[Fares will rise if the council wins], the chief has claimed": the parser hung the
            # condition on the cue; what stands between the clause and the cue's subject is the clause's
            subj = next((c for c in kids if c.dep_ in _SUBJ and comp.i < c.i < cue.i), None)
            hung = {a.i for a in kids if a.dep_ == "advcl" and a.i > comp.i}
            if subj is not None and subj.left_edge.i > hi + 1 and all(
                    t.is_punct or any(a.i in hung for a in (t, *t.ancestors)) for t in doc[hi + 1 : subj.left_edge.i]):
                hi = subj.left_edge.i - 1
        # "insisted [it was for Parliament, and not judges, to decide …]": the infinitive the "it" stands for
        if any(g.dep_ == "nsubj" and g.lower_ == "it" for g in comp.children):
            ext = next((c for c in kids if c.i > hi and c.dep_ in ("advcl", "xcomp") and _infinitive(c)
                        and all(t.is_punct for t in doc[hi + 1 : c.left_edge.i])), None)
            if ext is not None:
                hi = ext.right_edge.i
        # 'said [fines would be levied on employers and licences would be removed]': the parser hung the
        # second clause of the same report on the cue
        for c in comps:
            if c.i > comp.i and c.left_edge.i <= hi + 2 \
                    and all(t.dep_ in ("cc", "punct") for t in doc[hi + 1 : c.left_edge.i]):
                hi = _clause_end(c, r)
        t = trim(lo, _backshifted_after(cue, comp, r, _present_claim_after(cue, comp, r, _trailing_parts(cue, hi))))
        if t and comp.i < cue.i:  # '…, say the Tories, because that would …': the reason goes on after the cue
            more = next((c for c in kids if c.dep_ == "advcl" and c.i > cue.i and doc[c.left_edge.i - 1].text == ","
                         and any(m.dep_ == "mark" and m.lower_ in _REASONS for m in c.children)), None)
            if more is None:  # '[…], he said, but he would not shirk from …': the report goes on in its own tense
                more = next((c for c in _joined_after(cue, cue.i, ("but", "and")) if p_lo <= c.i <= p_hi
                             and not _is_cue(c, r) and any(g.dep_ in _SUBJ for g in c.children)
                             and any(a.dep_ == "aux" and a.lower_ in _BACKSHIFTED for a in c.children)), None)
            t2 = trim(more.left_edge.i, more.right_edge.i) if more is not None else None
            if t2:
                return "interrupted", [t, t2]
        return ("clause", [t]) if t else ("", [])
    obj = next((c for c in kids if c.dep_ in ("dobj", "dative") and c.i > cue.i), None)
    if obj is not None and lemma in _ADDRESSED:
        # 'told a Labour Party gathering [that the Tory policies would …]': the parser hung what was told on
        # the audience
        told = next((c for c in obj.children if c.dep_ in ("acl", "relcl")
                     and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                     and any(g.dep_ in _SUBJ for g in c.children)), None)
        if told is not None:
            t = trim(next(m.i for m in told.children if m.dep_ == "mark") + 1, _clause_end(told, r))
            return ("clause", [t]) if t else ("", [])
    if obj is not None and lemma in r.pledges and (obj.lemma_.lower() in r.money or any(
            t.ent_type_ == "MONEY" for t in doc[obj.left_edge.i : obj.i + 1])):
        return "", []  # "the public has pledged [pounds 76m in aid]": money given, not words
    if (obj is not None and lemma in r.indirect and obj.pos_ in ("NOUN", "PROPN")
            and obj.lower_ not in _NOT_CLAUSE and not _has_quote_mark(doc, obj)):
        # 'Stone says [the increase … also makes his election less likely]': the clause's subject
        # parsed as the verb's object; the clause runs to the end of the sentence
        end = ctx.res.sentence(cue).end - 1
        after = [t for t in doc[obj.right_edge.i + 1 : end + 1] if t.pos_ in ("VERB", "AUX")]
        inside = [t for t in obj.subtree if t.tag_ in _FINITE and t.i > obj.i]
        if after and after[0].head.i in (cue.i, obj.i) or inside and obj.right_edge.i >= end - 1:
            t = trim(obj.left_edge.i, end)
            return ("clause", [t]) if t else ("", [])
    if lemma in r.naming and obj is None:  # 'called [Trump] [a "pathological liar"]' parsed as two predicates
        named = [c for c in kids if c.dep_ == "oprd" and c.i > cue.i]
        obj = named[0] if len(named) >= 2 and named[0].pos_ in ("NOUN", "PROPN", "PRON") \
            and named[1].pos_ not in ("VERB", "AUX") and named[0].right_edge.i + 1 == named[1].left_edge.i else None
    if lemma in r.naming and obj is not None:  # "called it a disgrace", "described the plan as reckless"
        compl = next((c for c in kids if c.i > obj.i and (c.dep_ in ("oprd", "xcomp")
                                                          or c.dep_ == "prep" and c.lower_ == "as")), None)
        if compl is None:
            compl = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if compl is not None:
            t = trim(obj.left_edge.i, _cut_participle(doc, obj.left_edge.i, max(compl.right_edge.i, obj.right_edge.i)))
            return ("naming", [t]) if t else ("", [])
    if lemma in r.judging and obj is not None:  # "accused [X of lying]", "blamed [the crash on hackers]"
        # "accused Ann Lee, of the Evening Standard, of [doorstepping] him": grounds with a verb first
        preps = [c for c in kids if c.i > obj.i and c.dep_ == "prep" and c.lower_ in r.judging_preps]
        grounds = next((c for c in preps if any(g.dep_ == "pcomp" for g in c.children)), preps[0] if preps else None)
        if grounds is None:
            grounds = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in r.judging_preps), None)
        # "criticised [the decision as reckless]": after "as" an adjective will do
        if grounds is not None and any(c.dep_ in ("pobj", "pcomp") or grounds.lower_ == "as" and c.pos_ == "ADJ"
                                       for c in grounds.children):
            t = trim(obj.left_edge.i, _trailing_parts(cue, max(grounds.right_edge.i, obj.right_edge.i)))
            return ("judging", [t]) if t else ("", [])
    if lemma in ("call", "push", "press", "appeal", "plead") and obj is None:  # "called for [an inquiry]"
        prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "for" and c.i > cue.i), None)
        if prep is not None and any(c.dep_ in ("pobj", "pcomp") for c in prep.children):
            t = trim(prep.i + 1, prep.right_edge.i)
            return ("request", [t]) if t else ("", [])
    if lemma in r.pledges and obj is None:  # "promised [to legalize workers …]", "vowed [to fight on]"
        x = next((c for c in kids if c.dep_ == "xcomp" and c.i > cue.i and _infinitive(c)), None)
        if x is not None:
            t = trim(x.left_edge.i, _trailing_parts(cue, _cut_participle(doc, x.left_edge.i, x.right_edge.i)))
            return ("request", [t]) if t else ("", [])
    if lemma in r.requests:  # "urged X to ...", "called on X to ..."
        x = next((c for c in kids if c.dep_ == "xcomp" and c.i > cue.i and _infinitive(c)), None)
        addressee = obj
        if addressee is None:
            prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("on", "upon", "with", "to")), None)
            addressee = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if x is not None and addressee is not None and addressee.i < x.i:
            t = trim(addressee.left_edge.i, x.right_edge.i)
            return ("request", [t]) if t else ("", [])
    if cue.dep_ == "parataxis" and p_lo <= cue.head.i <= p_hi and any(c.dep_ in _SUBJ for c in kids):
        head = cue.head  # "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt"
        subjs = sorted((c for c in kids if c.dep_ in _SUBJ and c.i < cue.i), key=lambda c: c.i)
        # "The bridge, the minister said, would open": the farther subject is the statement's own
        start = min(head.left_edge.i, subjs[0].left_edge.i) if len(subjs) > 1 else head.left_edge.i
        own = subjs[-1].left_edge.i if len(subjs) > 1 else cue.left_edge.i
        parts = [trim(start, own - 1), trim(cue.right_edge.i + 1, head.right_edge.i)]
        parts = [p for p in parts if p and (p[1] > p[0] or doc[p[0]].pos_ not in ("ADV", "CCONJ", "INTJ"))]
        return ("interrupted", parts) if parts else ("", [])
    if obj is not None and (lemma not in r.weak or lemma in r.doc_verbs):  # 'he said "no"', 'the poll found […]'
        t = trim(obj.left_edge.i, obj.right_edge.i)
        if t and lemma in r.objects and obj.pos_ in ("NOUN", "PROPN") and t[1] > t[0]:
            return ("said", [t])  # "announced [his candidacy]", "denied [the allegations]"
        return ("object", [t]) if t else ("", [])
    if (closing := ctx.closing_report(cue)) is not None:
        t = trim(ctx.sent_of(cue).start, closing[1] - 1)
        return ("clause", [t]) if t else ("", [])
    return "", []


def _to_closing_mark(ctx: _Ctx, cue: Token, part: tuple[int, int] | None, p_hi: int) -> tuple[int, int] | None:
    """A content never ends inside a quotation it opened: 'characterized Kaine as, "a little desperate
    there, jumping in all the time, …"' runs to the closing mark however the parser hung the rest."""
    if part is None:
        return None
    doc, (lo, hi) = ctx.doc, part
    q = ctx.res.quoted.span_at(doc[hi].idx)
    if q is None or q.close_mark < 0 or q.open_mark < doc[lo].idx or q.open_mark <= cue.idx <= q.close_mark:
        return part
    end, last = hi, min(p_hi, ctx.sent_of(doc[hi]).end - 1)  # within its sentence: a mark left open runs on
    while end + 1 <= last and doc[end + 1].idx <= q.close_mark:
        end += 1
    return lo, end


def _after_addressee(doc: Doc, lo: int, comp: int) -> int:
    """'told [the BBC] Michael Howard has always been in favour': a name the parser folded into the
    reported clause's subject right after a verb of telling is whom it was told to."""
    i = lo + 1 if doc[lo].lower_ == "the" else lo
    if not doc[i].ent_type_ or doc[i].ent_iob_ != "B":
        return lo
    end = i + 1
    while end < comp and doc[end].ent_iob_ == "I":
        end += 1
    nxt = doc[end] if end < comp else None
    if nxt is None or nxt.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "CCONJ", "PART") or doc[end - 1].tag_ == "POS":
        return lo  # "told [the BBC was ...]", "told [Labour's plans ...]": the name is the clause's own
    return end


def _present_claim_after(cue: Token, comp: Token, r: _Rules, hi: int) -> int:
    """'Blair has said [people are right to worry but there is no "magic bullet"]', 'The party says [it
    would act but it has clear legal advice]': after a cue in the present (or the present perfect), a
    clause joined to the cue by "but", with its own subject and in the present, goes on with the claim;
    not one about the claim ("Critics say […] but its members reject such claims")."""
    if not _in_the_present(cue) or comp.i < cue.i:
        return hi
    for c in _joined_after(cue, hi, ("but",)):
        if c.tag_ in ("VBZ", "VBP") and c.lemma_.lower() not in r.verbs \
                and any(g.dep_ in (*_SUBJ, "expl") for g in c.children) and not _about_the_claim(c, r):
            return max(hi, c.right_edge.i)
    return hi


def _backshifted_after(cue: Token, comp: Token, r: _Rules, hi: int) -> int:
    """'argued [that the EU was moving …, and would eventually recognise …]', 'said [the plan was sound, but
    it would need time]': a clause the parser joined to the cue after its content, in the tense of reported
    speech (would, could, might, should) and no cue itself, goes on with the report ("and had left" may
    be the writer's)."""
    if comp.i < cue.i:
        return hi
    for c in _joined_after(cue, hi, ("but", "and")):
        if not _is_cue(c, r) and any(a.dep_ == "aux" and a.lower_ in _BACKSHIFTED - {"had"} for a in c.children):
            return max(hi, c.right_edge.i)
    return hi


def _joined_after(cue: Token, after: int, conjunctions: tuple[str, ...]) -> list[Token]:
    """The verbs joined to the cue after token `after` by one of these conjunctions, also after it."""
    return [c for c in cue.children if c.dep_ == "conj" and c.i > after and any(
        b.dep_ == "cc" and b.lower_ in conjunctions and after < b.i < c.i for b in cue.children)]


def _about_the_claim(verb: Token, r: _Rules) -> bool:
    """'… but its members reject [such claims]': a verb whose object points back to what was said."""
    return any(o.dep_ == "dobj" and _noun_lemma(o, r) in r.speech_nouns and any(
        d.dep_ in ("det", "amod") and d.lower_ in ("such", "these", "those", "this", "that") for d in o.children)
        for o in verb.children)


def _trailing_parts(cue: Token, hi: int) -> int:
    """A content's end moved over what the parser hung on the cue right after it, behind a comma: the
    rest of a list ("sacking every teacher[, GP and nurse]") or a relative clause ("inaccuracies in the
    register[, the vast majority of which were ...]"), or the verb of the content's last noun parsed as the
    cue's ("promises to ensure [professionals and patients] [make the key decisions]")."""
    doc = cue.doc
    nxt = next((c for c in cue.children if c.left_edge.i == hi + 1 and c.i > cue.i), None)
    if nxt is not None and nxt.tag_ in ("VBP", "VBZ") and nxt.dep_ in ("advcl", "ccomp") \
            and doc[hi].pos_ in ("NOUN", "PROPN") and not any(c.dep_ in (*_SUBJ, "mark") for c in nxt.children):
        hi = nxt.right_edge.i
    while hi + 2 < len(doc) and doc[hi + 1].text == ",":
        nxt = next((c for c in cue.children if c.left_edge.i in (hi + 1, hi + 2) and c.i > hi + 1), None)
        if nxt is None or not (nxt.dep_ in ("npadvmod", "dobj") and nxt.pos_ in ("NOUN", "PROPN")
                               or nxt.dep_ == "ccomp" and any(t.tag_ in ("WDT", "WP", "WP$") for t in nxt.subtree)):
            break
        hi = nxt.right_edge.i
    return hi


def _subject_parsed_as_object(cue: Token, comp: Token, addressed: bool) -> int:
    """Where a reported clause with no subject of its own starts when the parser took its subject for
    the cue's object ("pledged [childcare would be …]"); after a verb of telling, the addressee before
    it stays out ("told the BBC [progress had been made]"). comp's own start when there is none."""
    obj = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < comp.i and c.pos_ in ("NOUN", "PROPN")),
               None)
    if obj is None:
        return comp.left_edge.i
    if not addressed:
        return obj.left_edge.i
    if obj.ent_iob_ in ("B", "I"):  # "told the BBC [Tom Quell has ...]": the name the object ends with
        start = obj.i
        while start > obj.left_edge.i and obj.doc[start].ent_iob_ == "I":
            start -= 1
        if start > obj.left_edge.i:
            return start
    names = [c for c in obj.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < obj.i]
    return max(c.right_edge.i for c in names) + 1 if names else comp.left_edge.i


def _cut_participle(doc: Doc, lo: int, hi: int) -> int:
    """The end of a range before a participle after a comma ('called Cruz the "ultimate hypocrite,"
    linking to a story …'): what the reporter did next, not what was said."""
    for i in range(lo + 1, hi + 1):
        if doc[i].tag_ == "VBG" and doc[i].dep_ in ("acl", "advcl", "xcomp") and doc[i - 1].text in (",", "”", '"'):
            return i - 1
    return hi


def _infinitive(verb: Token) -> bool:
    """'to speak', 'to suggest': a verb with the infinitive marker."""
    return any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)


def _has_quote_mark(doc: Doc, tok: Token) -> bool:
    return any(t.text in _OPENERS or t.text in _CLOSERS for t in doc[tok.left_edge.i : tok.right_edge.i + 1])


def _clause_end(comp: Token, r: _Rules) -> int:
    """Where a reported clause ends: before a clause hanging off it that is someone else's
    attribution ('the two countries remain "united," while Diaz-Canel stressed …') or the reporter's
    own participle after the quotation ('stated that "…", denouncing the influence …')."""
    doc, hi = comp.doc, comp.right_edge.i
    for c in comp.children:
        if (c.i > comp.i and c.dep_ == "prep" and c.i >= 1 and doc[c.i - 1].text == ","
                and any(o.dep_ == "pobj" and o.lemma_.lower() in r.speech_nouns | {"interview"} for o in c.children)):
            return min(hi, c.i - 1)  # '…, in an interview on BBC Radio 4': where it was said, not what
        if c.i > comp.i and c.dep_ == "prep" and doc[c.i - 1].text == "," and any(
                t.dep_ == "acl" and _is_cue(t, r) for t in c.subtree):
            return min(hi, c.i - 2)  # '…, despite a new book saying …': someone else's attribution
        if c.i <= comp.i or c.dep_ not in ("advcl", "conj", "parataxis"):
            continue
        if _is_cue(c, r) and (apart := _speaker_parsed_apart(c, r)) is not None and apart.i > comp.i:
            return min(hi, apart.left_edge.i - 1)  # '… and the Liberal Democrats claim …': theirs
        if _is_cue(c, r) and any(g.dep_ in _SUBJ for g in c.children) and not _inside_the_report(c, r) \
                and not _infinitive(c):  # '"improper" for him to speak'
            return min(hi, c.left_edge.i - 1)
        lead = c.left_edge.i
        if _is_cue(c, r) and c.tag_ == "VBG" and lead >= 2 and (doc[lead - 1].text == "," or (
                doc[lead - 1].text in _CLOSERS and doc[lead - 2].text == ",")):
            # '… his plea, saying: "…"', '"… maniacal," adding, "…"': the speaker's next words
            return min(hi, lead - 2 if doc[lead - 1].text == "," else lead - 1)
        if c.dep_ == "conj" and _reporters_own(comp, c, r):
            return min(hi, c.left_edge.i - 1)
        if c.dep_ == "conj" and any(g.dep_ in _SUBJ for g in c.children) and _about_the_claim(c, r):
            return min(hi, c.left_edge.i - 1)  # '[…] but its members reject such claims': a reply to the claim
        if c.tag_ == "VBG" and c.lemma_.lower() in r.consequences and doc[lead - 1].text == "," \
                and not any(g.dep_ in _SUBJ for g in c.children):
            return min(hi, lead - 2)  # '…, prompting unions to threaten action': what it caused, told by the writer
        if (c.tag_ in ("VBG", "VBN") and lead >= 2 and doc[lead - 1].text == ","
                and doc[lead - 2].text in _CLOSERS and not any(g.dep_ in _SUBJ for g in c.children)):
            return min(hi, lead - 1)
    return hi


def _speaker_parsed_apart(cue: Token, r: _Rules) -> Token | None:
    """'… behaving like schoolboys and the Liberal Democrats claim [ambition is …]': a finite cue with no
    subject of its own, right after a name or a noun that can speak which the parser hung elsewhere."""
    if cue.tag_ not in _FINITE or cue.i == 0 or any(c.dep_ in _SUBJ for c in cue.children):
        return None
    prev = cue.doc[cue.i - 1]
    if prev.head is cue or prev.dep_ not in ("conj", "pobj", "dobj", "appos", "compound", "npadvmod"):
        return None
    named = prev.pos_ == "PROPN" and prev.ent_type_ in ("PERSON", "ORG", "NORP")
    noun = prev.pos_ == "NOUN" and ((lemma := _noun_lemma(prev, r)) in r.person_nouns or lemma in r.bodies)
    return prev if named or noun else None


def _inside_the_report(verb: Token, r: _Rules) -> bool:
    """A cue hanging off a reported clause that is still part of the report: a passive telling ("when
    [he was told] ..."), a condition ("would not apologise [even if Mr Blair asked]") or a cue in the past
    perfect, the tense of reported speech ("saying the inquiry was under way [and the High Court had
    stressed ...]")."""
    if verb.lemma_.lower() in _ADDRESSED and any(c.dep_ == "nsubjpass" for c in verb.children):
        return True  # he listened
    return any(c.dep_ == "mark" and c.lower_ in r.conditions for c in verb.children) \
        or verb.dep_ == "conj" and verb.tag_ == "VBN" \
        and any(a.dep_ == "aux" and a.lower_ == "had" for a in verb.children)


def _reporters_own(comp: Token, conj: Token, r: _Rules) -> bool:
    """Whether a verb joined to a reported clause, with no subject of its own, is what the speaker did
    next rather than a part of what was said: a finite verb after a clause of "would" or "to" ("said
    Labour would set out plans and attacked the Tory plans"), or a reporting verb in the cue's own tense
    after a clause with its own subject ("said the plan was flawed and called for an inquiry")."""
    if conj.pos_ != "VERB" or any(g.dep_ in _SUBJ for g in conj.children):
        return False
    modal = any(a.dep_ == "aux" and (a.tag_ == "MD" or a.lower_ == "to") for a in comp.children)
    if modal and conj.tag_ in ("VBD", "VBZ"):
        return True
    # "said his comments were not racist and refused to apologise": only a person refuses, vows, declines;
    # a bare verb shares the clause's modal ("the government could not pick and choose when to use ...")
    thing = next((g for g in comp.children if g.dep_ in _SUBJ), None)
    if thing is not None and thing.pos_ == "NOUN" and thing.lemma_.lower() not in r.person_nouns \
            and conj.tag_ in _FINITE \
            and any(x.dep_ == "xcomp" and any(a.lower_ == "to" for a in x.children) for x in conj.children):
        return True
    cue = comp.head
    own_subject = any(g.dep_ in _SUBJ for g in comp.children)
    if not own_subject or not _is_cue(conj, r):
        return False
    # "have said [the sums do not add up] and claim ...": a present cue goes on in the present
    return conj.tag_ == cue.tag_ and conj.tag_ in _FINITE \
        or _in_the_present(cue) and not modal and conj.tag_ in ("VBZ", "VBP", "VB")


def _in_the_present(cue: Token) -> bool:
    """A cue in the present or the present perfect ("says", "have said")."""
    return cue.tag_ in ("VBZ", "VBP") or any(a.dep_ == "aux" and a.lower_ in ("has", "have") for a in cue.children)


@dataclass(frozen=True)
class _Found:
    """An attribution of a quoted span: the cue token (None for a verbless one), the subject token
    or an already-made speaker, the cue's name, and the position of the attribution's end."""

    cue: Token | None
    subject: Token | None
    lemma: str
    how: str  # governs | according | after | colon | credit | label
    speaker: Speaker | None = None


def _direct_cue(ctx: _Ctx, q: QuotedSpan) -> _Found | None:
    """The attribution of a quoted span, if any: a verb it is the content of, "according to", a
    cue just after it, a colon form, a dash credit after it or a label before it."""
    doc, r = ctx.doc, ctx.r
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    lo, hi = span.start, span.end  # token range of the quote
    para = ctx.para(q.start)
    s_first, s_last = ctx.sent_of(span[0]), ctx.sent_of(span[-1])
    # 1. a reporting verb governing the quote: walk up from where the quote attaches to the outside
    best: tuple[int, Token] | None = None
    for t in span:
        h = t.head
        if lo <= h.i < hi or h is t or t.is_punct or t.is_space:
            continue
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in _COMPLEMENT | {"parataxis", "dobj", "conj", "acl"}:
            continue  # 'insisted on ... to "make diversity shine"': a purpose clause, not the words said
        depth, a, direct = 0, h, True
        while depth < 8 and ctx.para(a.idx) == para:
            if not ctx.in_quote(a.idx) and _is_cue(a, r):
                weak = a.lemma_.lower() in r.weak
                if not weak or direct or a.lemma_.lower() in r.naming:
                    if best is None or depth < best[0]:
                        best = (depth, a)
                    break
            # 'South Carolina, he said, was "where we have a chance …"': a reporting clause
            # interrupting the clause the quote belongs to
            side = next((c for c in a.children if c.dep_ == "parataxis" and not lo <= c.i < hi
                         and not ctx.in_quote(c.idx) and _is_cue(c, r) and c.lemma_.lower() not in r.weak
                         and any(g.dep_ in _SUBJ for g in c.children)), None)
            if side is not None:
                if best is None or depth + 1 < best[0]:
                    best = (depth + 1, side)
                break
            # a quote inside another predicate ('and echoed X's slogan: "…"', 'the initiative to
            # build a "…"') belongs to that predicate, not to a reporting verb above it
            if a.head is a or a.pos_ in ("VERB", "AUX") and a.dep_ not in _COMPLEMENT:
                break
            a, depth, direct = a.head, depth + 1, False
    if best is not None:
        cue = best[1]
        return _Found(cue, ctx.subject_of(cue), cue.lemma_.lower(), "governs")
    # 2. "according to X" beside the quote
    region = [*range(s_first.start, lo), *range(hi, s_last.end)]
    for i in region:
        pc = _phrase_cue(doc[i], r)
        if pc is not None and not ctx.in_quote(doc[i].idx) and ctx.para(doc[i].idx) == para:
            obj, cue_name = pc
            near = obj.right_edge.i + 1 >= lo - 2 if i < lo else doc[i].i <= hi + 3
            if near:
                return _Found(doc[i], obj, cue_name, "according")
    # 3. a reporting verb just after the quote whose own complement is missing ('"…," he said.'), or
    # is the quote that resumes after it ('"…," he said, "…"')
    first = next((i for i in range(hi, s_last.end) if doc[i].idx > q.close_mark), s_last.end)  # past the mark
    after, resumed = list(range(first, min(s_last.end, first + 10))), True
    if hi >= s_last.end - 1 and s_last.end < len(doc):  # the quote ended its sentence
        nxt = ctx.sent_of(doc[s_last.end])
        if ctx.para(nxt.start_char) == para and len(nxt) <= 12 and not ctx.in_quote(nxt.start_char):
            after, resumed = list(range(nxt.start, nxt.end)), False  # 'Sir Ann added: "…"' is the next quote's
    for i in after:
        t = doc[i]
        if ctx.in_quote(t.idx) or ctx.para(t.idx) != para:
            break
        has_comp = any(c.dep_ == "ccomp" and not (resumed and ctx.in_quote(c.idx)) for c in t.children)
        if _is_cue(t, r) and t.lemma_.lower() not in r.weak and not has_comp:
            # only its subject between ('"cross-sell" or make customers open up' is another clause)
            subject = {w.i for c in t.children if c.dep_ in _SUBJ for w in c.subtree}
            if all(doc[j].is_punct or j in subject for j in range(after[0], i)):
                # '"…", indicated the letter': right after the quote the cue comes before its speaker,
                # whatever the parser made of the noun after it
                inverted = next((c for c in t.children if c.i > i and c.dep_ in ("dobj", "nsubj") and ctx.can_speak(c)),
                                None) if not subject else None
                return _Found(t, inverted or ctx.subject_of(t), t.lemma_.lower(), "after")
            break
    # 4. a colon form the parser split: 'X said at the time:' then the quote, or a paragraph that is only
    # its reporting clause ('He said:') before the quote that opens the next one
    paras, start = {para}, s_first.start
    lead = ctx.text[: q.open_mark].rstrip()
    colon_span = doc.char_span(len(lead) - 1, len(lead), alignment_mode="expand") if lead.endswith(":") else None
    if colon_span is not None and "\n" in ctx.text[len(lead) : q.open_mark]:
        paras.update(range(ctx.para(len(lead) - 1), para))
        start = ctx.sent_of(colon_span[0]).start
    before = [i for i in range(lo - 1, max(start - 1, lo - 12), -1) if doc[i].idx < q.open_mark]  # before the mark
    colon = any(doc[i].text == ":" for i in before)
    if lo - 1 >= 0 and doc[lo - 1].text in (":", *_OPENERS) and colon:
        for i in before:
            t = doc[i]
            if ctx.para(t.idx) not in paras or ctx.in_quote(t.idx):
                break
            if _is_cue(t, r) and t.lemma_.lower() not in r.weak:
                return _Found(t, ctx.subject_of(t), t.lemma_.lower(), "colon")
            if t.pos_ == "NOUN" and t.lemma_.lower() in r.speech_nouns and t.dep_ in ("dobj", "attr", "nsubj", "appos"):
                # 'Sanders delivered a snappy retort: "…"': the subject of the clause the utterance is in
                holder = t.head if t.dep_ != "nsubj" else None
                subj = ctx.subject_of(holder) if holder is not None and holder.pos_ in ("VERB", "AUX") else None
                by = next((o for c in (*t.children, *(holder.children if holder is not None else ()))
                           if c.dep_ == "prep" and c.lower_ == "by" and (c.head is t or c.i == t.right_edge.i + 1)
                           for o in c.children if o.dep_ == "pobj"), None)
                if by is not None:
                    subj = by  # 'how the website rated this statement by Trump: "…"'
                elif t.dep_ == "nsubj" or subj is None:
                    poss = next((c for c in t.children if c.dep_ == "poss"), None)
                    subj = poss  # "his message: …"
                if subj is not None:
                    return _Found(None, subj, t.lemma_.lower(), "colon")
    # 5. verbless: '"…" ― Carla Sanchez' at the end of the paragraph, 'Howard Kurtz, Fox News: "…"'
    return _verbless(ctx, q)


def _verbless(ctx: _Ctx, q: QuotedSpan) -> _Found | None:
    text = ctx.text
    k = ctx.para(q.open_mark)
    p_start, p_end = ctx.para_bounds(k)
    if q.close_mark >= 0:
        tail = text[q.close_mark + 1 : p_end]
        m = _DASH_CREDIT.match(tail)
        if m is not None and 0 < _words(tail) <= LABEL_MAX_WORDS + 4 and '"' not in tail and "“" not in tail:
            s = q.close_mark + 1 + m.end()
            sp = ctx.named_speaker(s, p_end)
            if sp is not None:
                return _Found(None, None, "—", "credit", sp)
    head = text[p_start : q.open_mark].rstrip()
    if head.endswith(":") and 0 < _words(head) <= LABEL_MAX_WORDS:
        label = head[:-1]
        span = ctx.doc.char_span(p_start, p_start + len(label), alignment_mode="expand")
        if span is not None and not any(t.pos_ in ("VERB", "AUX") for t in span) and label.strip()[:1].isupper():
            sp = ctx.named_speaker(p_start, p_start + len(label))
            names = [t for t in span if t.is_alpha]
            if sp is not None and (sp.entity is not None or names and all(t.pos_ == "PROPN" for t in names)):
                return _Found(None, None, ":", "label", sp)
    return None


_TRANSCRIPT = re.compile(r"[\"“]?([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}|Q|A): +(\S.*)")  # '"PENCE: …' too
# another speaker's turn inside a transcript's paragraph, after a sentence's end or an aside
_INLINE_TURN = re.compile(r"(?<=[.?!)\"”’] )([A-Z][A-Z'’-]{1,}(?: [A-Z][A-Z'’-]+){0,2}): +(?=\S)")


def _transcript(ctx: _Ctx) -> list[Quote]:
    """Lines of an interview transcript: 'TAPPER: Do you think …?', 'Q: …' (a speaker's name in
    capitals, a colon, the words said). The name is matched to a person the article names."""
    out: list[Quote] = []
    text = ctx.text

    def speaker(label: str, start: int, end: int) -> Speaker:
        # "TAPPER" for Jake Tapper, named in full before; else the name the label itself is
        last = label.split()[-1].casefold()
        entity = next((x.entity for x in ctx.res.mentions.mentions if x.entity.entity_type == "PERSON"
                       and " " in x.entity.canonical_name
                       and x.entity.canonical_name.split()[-1].casefold() == last), None)
        if entity is None:
            ms = ctx.res.mentions_within(start, end, {"PERSON"})
            entity = ms[0].entity if ms else None
        return Speaker(label.title() if len(label) > 1 else label, entity, None, "person")

    for k in range(len(ctx.para_starts)):
        p_start, p_end = ctx.para_bounds(k)
        m = _TRANSCRIPT.match(text, p_start, p_end)
        if m is None or _words(m.group(2)) < ctx.r.min_words or m.group(1).casefold() in ctx.r.caption_starts:
            continue
        label = m.group(1)
        if label.casefold().rstrip(":") + ":" in ctx.r.caption_starts:
            continue
        e = p_end
        while e > m.start(2) and text[e - 1].isspace():
            e -= 1
        # a paragraph of several turns: "PENCE: … Chris. (CROSSTALK.) WALLACE: If I may, …"
        turns = [(label, m.start(1), m.end(1), m.start(2))]
        turns += [(t.group(1), t.start(1), t.end(1), t.end()) for t in _INLINE_TURN.finditer(text, m.start(2), e)
                  if t.group(1).casefold() + ":" not in ctx.r.caption_starts]
        for (lab, l0, l1, s), nxt in zip(turns, [*turns[1:], None], strict=True):
            end = e if nxt is None else nxt[1]
            while end > s and (text[end - 1].isspace() or text[end - 1] == "("):
                end -= 1
            if nxt is not None:  # drop a bracketed aside before the next label: "(CROSSTALK.)"
                aside = re.search(r"\s*\([^()]*\)\s*$", text[s:end])
                end = s + aside.start() if aside else end
            if end > s and _words(text[s:end]) >= 1:
                out.append(Quote(s, end, text[s:end], "direct", speaker(lab, l0, l1), ":", (s, end)))
    return out


def _words(text: str) -> int:
    return sum(1 for w in text.split() if _WORD.search(w))


def _utterance(text: str, q: QuotedSpan) -> bool:
    """A quote punctuated as an utterance inside its marks ('asked "With nukes?"', '"Never," she
    said'), not a name in Title Case."""
    body = text[q.start : q.end].rstrip()
    if q.close_mark < 0 or body[-1:] not in ",.?!…":
        return False
    long_words = [w for w in _LONG_WORD.findall(body) if len(w) > 3]
    return not (len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words))


def _opens_utterance(doc: Doc, text: str, q: QuotedSpan) -> bool:
    """Whether a quote begins where an utterance begins: a sentence, or right after a colon, a comma
    or its reporting verb ('asked "With nukes?"'), not inside a phrase ('an "impact,"')."""
    before = text[: q.open_mark].rstrip(" ")
    if not before or before[-1] in ".?!:,\n”\"’—":
        return True
    tok = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    return tok is not None and len(tok) > 0 and _is_cue(tok[-1], rules())


def _standalone(text: str, q: QuotedSpan) -> bool:
    """A quote that is a whole utterance of its own ('"Never," she said.'), not a term in a sentence:
    it opens its sentence and ends with the punctuation of an utterance inside the marks."""
    if q.close_mark < 0 or text[q.start:q.end].rstrip()[-1:] not in ",.?!…":
        return False
    before = text[: q.open_mark].rstrip(" ")
    return not before or before[-1] in ".?!:\n”\"’—"


def _is_statement(doc: Doc, text: str, q: QuotedSpan, r: _Rules) -> bool:
    """Not a term, name or title: enough words, a verb unless it is a longer phrase, and not Title Case."""
    body = text[q.start : q.end]
    n = _words(body)
    long_words = _LONG_WORD.findall(body)
    long_words = [w for w in long_words if len(w) > 3]
    if len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words):
        return False  # "High-level Dialogue with the Communist Party" is a name, not a statement
    if n < r.min_words:
        return _standalone(text, q) and n >= 1
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    if n <= r.min_words and not any(t.pos_ in ("VERB", "AUX") for t in span) and not _standalone(text, q):
        return False
    # 'a "community of shared destinations"', 'Cuba's "strong solidarity"': a term inside a noun phrase
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.is_punct and span.start > 1:
        before = doc[span.start - 2]
    return not (before is not None and (before.dep_ in ("det", "poss", "case") or before.tag_ == "PRP$"))


def _turn(start: int, end: int, speaker: Speaker) -> Turn:
    """The resolver's record that this speaker said the passage [start, end)."""
    return Turn(start, end, speaker.entity, speaker.text, speaker.kind)


def _holds_a_verb(doc: Doc, q: QuotedSpan) -> bool:
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


@dataclass(frozen=True)
class Quote:
    """One quoted or reported passage: offsets in the body, its speaker and cue, and its statement
    (the first passage of the statement it belongs to: a quote split by its attribution is one)."""

    start: int
    end: int
    text: str
    kind: str  # direct | indirect
    speaker: Speaker
    cue: str
    statement: tuple[int, int]


@dataclass(frozen=True)
class _Attribution:
    speaker: Speaker
    cue: str
    statement: tuple[int, int] | None  # None: a term in quotation marks, no statement of its own


HALF_QUOTE_MAX_CHARS = 40  # a range that ends inside a quoted phrase takes its rest up to this far


def _char_range(doc: Doc, part: tuple[int, int], spans: list[QuotedSpan] | None = None) -> tuple[int, int]:
    """Character offsets of a token range; with the quoted spans, widened to the closing (opening)
    mark of a quotation it opens (closes), so a row never holds half a pair of marks."""
    lo, hi = part
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    for q in spans or ():
        if q.open_mark >= e:
            break
        if s <= q.open_mark < e and q.close_mark >= e and q.close_mark - e <= HALF_QUOTE_MAX_CHARS:
            e = q.close_mark + 1  # 'dismissed the Budget as "vote now[, pay later"]': the phrase's rest
        if s <= q.close_mark < e and q.open_mark < s and s - q.open_mark <= HALF_QUOTE_MAX_CHARS:
            s = q.open_mark
    return s, e


def _mixed(ctx: _Ctx, cue: Token, group: list[QuotedSpan]) -> list[tuple[int, int]] | None:
    """The content of the cue as character ranges when the quote is only a part of it (a mixed quote:
    'said he had "areas of significant disagreement" with Trump', 'called it "shameful"'), else None."""
    frame, content = _content(ctx, cue)
    parts = [_char_range(ctx.doc, p, ctx.res.quoted.spans) for p in content]
    if not parts:
        return None
    q = group[0]
    if not any(s <= q.start and q.end <= e + 1 for s, e in parts):
        return None
    if frame in ("naming", "request"):
        return parts
    if frame == "object":
        return None  # 'explain a "very good relationship"': a term, unless it is the whole object
    outside, quoted = _shares(ctx, parts)
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if outside < MIXED_MIN_WORDS and not (span is not None and _subject_before(span)):
        return None  # the quote is the whole content: a direct quote
    # a quoted clause keeps its own row unless the paraphrase around it is the larger part; a quoted
    # phrase ('had "areas of significant disagreement" with Trump') is a piece of the paraphrase
    # a clause has its own subject inside (a relative pronoun is not one: 'got "caught in the downdraft …
    # which was …"'); "getting in the way of good government" is a phrase, and so is a predicate whose
    # subject the writer gives ('asserts that Mr Hockney "has a moral obligation" to ...')
    # A subject inside counts for the quote's own predicate, or anywhere in a quote that opens as a
    # sentence ('"In so far as I read them"'): 'needed "more money … to spend it how they want"' is a
    # phrase whose inner clause has a subject.
    opens = ctx.text[q.start : q.start + 1].isupper()
    tops = _tops(span) if span is not None and not opens else []
    clause = span is not None and any(t.dep_ in _SUBJ and t.tag_ not in ("WDT", "WP") and (
        opens or t.head in tops) for t in span)
    return parts if not clause or outside >= quoted else None


def _subject_before(span: Span) -> bool:
    """Whether the quote's predicate has its subject written just before it, outside the marks
    ('Diversity "certainly must not mean segregated", he said'): the quote alone is no sentence."""
    return any(c.dep_ in _SUBJ and c.i < span.start <= c.right_edge.i + 2 and c.tag_ not in ("WDT", "WP")
               for t in _tops(span) for c in t.children)


def _tops(span: Span) -> list[Token]:
    """The tokens of a span whose head lies outside it, the verbs they conjoin ('"we came and we won"')
    and the clauses they take: the predicates whose subject makes the span a clause of its own."""
    tops = [t for t in span if not span.start <= t.head.i < span.end or t.head is t]
    tops += [c for t in tops for c in t.conjuncts if span.start <= c.i < span.end]
    return [*tops, *(c for t in tops for c in t.children if c.dep_ == "ccomp")]


def _shares(ctx: _Ctx, parts: list[tuple[int, int]]) -> tuple[int, int]:
    """(words outside quotation marks, words inside them) in these character ranges."""
    outside = inside = 0
    for s, e in parts:
        last = s
        for other in ctx.res.quoted.spans:
            if other.end <= s or other.start >= e:
                continue
            outside += _words(ctx.text[last : max(last, other.open_mark)])
            inside += _words(ctx.text[max(s, other.start) : min(e, other.end)])
            last = max(last, other.close_mark + 1 if other.close_mark >= 0 else other.end)
        outside += _words(ctx.text[last:e])
    return outside, inside


def extract_quotes(doc: Doc, resolver: Resolver) -> list[Quote]:
    """The direct, mixed and reported speech of one article, in text order."""
    ctx = _Ctx(doc, resolver)
    text, r = ctx.text, ctx.r
    spans = resolver.quoted.spans
    indirect = _indirect_candidates(ctx)
    for q in indirect:  # reported speech is a speaker's turn too: a quote after it may carry it on
        resolver.add_turn(_turn(q.start, q.end, q.speaker))
    quotes: list[Quote] = []
    used_cues: set[int] = set()  # cues of direct quotes: their clause is not reported again as indirect
    covered: list[tuple[int, int]] = []  # what direct and mixed statements hold
    paraphrased: set[tuple[int, int]] = set()  # of those, the mixed statements read as reported speech
    consumed: set[int] = set()  # quoted spans inside a mixed statement
    prev: tuple[list[QuotedSpan], _Attribution, int] | None = None  # last statement, its attribution, cue
    for line in _transcript(ctx):
        quotes.append(line)
        covered.append((line.start, line.end))
        consumed.update(q.open_mark for q in spans if line.start <= q.open_mark < line.end)
        resolver.add_turn(_turn(line.start, line.end, line.speaker))
    for group in _statements(spans):
        if group[0].open_mark in consumed:
            continue
        if ctx.skip(group[0].start):
            prev = None
            continue
        found = None
        for q in group:  # the attribution may sit beside any paragraph of a long quote
            found = _direct_cue(ctx, q)
            if found is not None:
                break
        att: _Attribution | None = None
        cue_pos, fresh, end = -1, True, group[-1].end
        if found is not None:
            sp = found.speaker
            if sp is None and found.subject is not None:
                sp = ctx.speaker(found.subject)
            if sp is not None and sp.text:
                att = _Attribution(sp, found.lemma, None)
                cue_pos = found.cue.idx if found.cue is not None else group[-1].close_mark
                if found.cue is not None:
                    end = max(end, ctx.sent_of(found.cue).end_char)
                if prev is not None and prev[2] == cue_pos and _continues(ctx, prev, group[0]):
                    # '"…," he said, "…"': the same cue carries on the same statement
                    att, fresh = replace(att, statement=prev[1].statement), False
            elif sp is None and found.subject is not None:
                continue  # a figure ("14% said"): a poll result, not a statement
        if att is None and prev is not None and _continues(ctx, prev, group[0]):
            att, cue_pos, fresh = prev[1], prev[2], False  # '"…," he said. "…"': it goes on
        if att is None and found is None:
            att, fresh = _floating(ctx, group, prev)
        if att is None:
            continue
        if found is not None and found.how == "governs" and found.cue is not None:
            parts = _mixed(ctx, found.cue, group)
            if parts is not None:  # one statement: the whole content, the quoted words in it
                inside = [q for q in spans if any(s <= q.start and q.end <= e + 1 for s, e in parts)]
                consumed.update(q.open_mark for q in inside)
                outside_words, quoted_words = _shares(ctx, parts)
                # direct when mostly the speaker's own words, and words said rather than a term
                # ('admitted it was "not an easy issue"': a verbless phrase is a term of the paraphrase)
                verbatim = quoted_words >= outside_words and any(_is_statement(doc, text, q, r) and (
                    not outside_words or _holds_a_verb(doc, q)) for q in inside)
                own = parts[0]
                quotes.extend(Quote(s, e, text[s:e], "direct" if verbatim else "indirect", att.speaker, att.cue, own)
                              for s, e in parts)
                covered.extend(parts)
                if not verbatim:
                    paraphrased.update(parts)
                used_cues.add(found.cue.i)
                resolver.add_turn(_turn(parts[0][0], max(parts[-1][1], end), att.speaker))
                prev = (group, replace(att, statement=own), cue_pos)
                continue
        said_whole = (found is not None and found.how != "according" and _utterance(text, group[0])
                      and _opens_utterance(doc, text, group[0]))
        if fresh and len(group) == 1 and not said_whole and not _is_statement(doc, text, group[0], r):
            # a term or a title in quotation marks is no statement, but a quote right after it
            # ('described it as "very important". "This is …"') still continues its speaker
            prev = (group, replace(att, statement=None), cue_pos)
            continue
        own = (group[0].start, group[0].end)
        att = replace(att, statement=att.statement if not fresh and att.statement is not None else own)
        quotes.extend(Quote(q.start, q.end, text[q.start:q.end], "direct", att.speaker, att.cue, att.statement)
                      for q in group)
        covered.extend((q.start, q.end) for q in group)
        resolver.add_turn(_turn(group[0].start, max(end, group[-1].end), att.speaker))
        if found is not None and found.cue is not None:
            used_cues.add(found.cue.i)
        prev = (group, att, cue_pos)
    quotes.extend(_reported(indirect, used_cues, covered, paraphrased))
    quotes.sort(key=lambda x: (x.start, x.end))
    return quotes


def _floating(ctx: _Ctx, group: list[QuotedSpan],
              prev: tuple[list[QuotedSpan], _Attribution, int] | None) -> tuple[_Attribution | None, bool]:
    """A quote that opens its paragraph with no attribution of its own carries on the speaker of the
    passage before (the resolver's last turn, unless someone else came forward): the same statement
    when it follows that statement's quote directly, else a new one."""
    q = group[0]
    k = ctx.para(q.open_mark)
    p_start, _ = ctx.para_bounds(k)
    before = ctx.text[p_start : q.open_mark].rstrip()
    if before and before[-1] not in ".?!":
        return None, True  # inside a sentence: a term or a title, not a passage of its own
    turn = ctx.res.speaker_before(q.open_mark)
    if turn is None or before and ctx.para(turn.end) != k:
        return None, True  # mid-paragraph, only right after the same speaker's passage
    if prev is not None and prev[1].statement is not None and prev[1].speaker.text == turn.text:
        last = prev[0][-1]
        after_last = (last.close_mark if last.close_mark >= 0 else last.end) + 1
        if ctx.para(last.start) == k:  # in one paragraph: the same statement only with no narration between
            same = not ctx.text[after_last : q.open_mark].strip(' .,"')
        else:
            same = k - ctx.para(last.start) == 1 or not ctx.text[after_last:p_start].strip()
        if same:
            return prev[1], False
        return _Attribution(prev[1].speaker, prev[1].cue, None), True
    speaker = Speaker(turn.text, turn.entity, None, _kind_of_entity(turn.entity) if turn.entity else turn.kind)
    return _Attribution(speaker, "", None), True


def _statements(spans: list[QuotedSpan]) -> list[list[QuotedSpan]]:
    """Spans grouped into statements: a quote reopened after a paragraph (or sentence) break that
    left it open continues the one before."""
    groups: list[list[QuotedSpan]] = []
    for q in spans:
        if q.continues and groups and groups[-1][-1].close_mark < 0:
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def _continues(ctx: _Ctx, prev: tuple[list[QuotedSpan], _Attribution, int], q: QuotedSpan) -> bool:
    """Whether q carries on the previous statement: '"…," he said. "…"', where only the attribution
    lies between the two quotes, or two quotes with nothing but punctuation between them."""
    pq, cue_pos = prev[0][-1], prev[2]
    gap_start = pq.close_mark if pq.close_mark >= 0 else pq.end
    gap = ctx.text[gap_start + 1 : q.open_mark]
    if gap.strip(" ,.;:").lower() in ("", "and", "or", "but") and "\n" not in gap:
        return True  # '"how the system is rigged," and "wounded families"': one list of the speaker's words
    if "\n" in gap.strip() or not (gap_start < cue_pos < q.open_mark):
        return False
    # the gap must be the attribution only, and q must start a new sentence or carry on after a comma
    # ('"…," he said, but "…"': the speaker's own "but" or "and" joins the two halves)
    gap = re.sub(r",\s+(?:but|and)\s*$", ",", gap)
    return len(gap.split()) <= 30 and gap.rstrip().endswith((".", ":", ","))


@dataclass(frozen=True)
class _Reported:
    quote: Quote
    cue: int  # token index of the cue (-1 for a cue phrase)
    parts: tuple[tuple[int, int], ...]
    borrowed: bool = False  # an infinitive cue with no subject of its own, its speaker found elsewhere

    @property
    def start(self) -> int:
        return self.quote.start

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    @property
    def speaker(self) -> Speaker:
        return self.quote.speaker


def _indirect_candidates(ctx: _Ctx) -> list[_Reported]:
    """Reported speech: the content of a reported-speech verb ("X said that ...", "..., X said, ..."),
    a request ("urged X to ..."), a naming ("called it X"), or the rest of a sentence attributed with
    "according to X" (before, after or inside it)."""
    doc, r, text = ctx.doc, ctx.r, ctx.text
    out: list[_Reported] = []
    for i in _candidates(doc, r):
        tok = doc[i]
        parts: list[tuple[int, int]] = []
        subj: Token | None = None
        cue = ""
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and (lemma in r.indirect or lemma in r.requests or lemma in r.naming
                                   or lemma in r.judging or lemma in r.doc_verbs or lemma in r.objects
                                   or lemma in r.pledges):
            if ctx.in_quote(tok.idx) or any(c.dep_ == "neg" for c in tok.children) or _reports_nothing(tok) \
                    or _in_a_title(tok) \
                    or tok.dep_ == "xcomp" and tok.head.lemma_.lower() in r.negating or _asked_of(tok, r) \
                    or _wished_of_another(tok, r) or _inverted(tok) or _a_state(tok, r):
                continue  # "refused to confirm [that …]", "had he denied the charge": nothing was said
            frame, content = _content(ctx, tok)
            if not frame or any(c.dep_ == "aux" and c.tag_ == "MD" and not (
                    frame == "clause" and c.lower_ in r.future_aux) for c in tok.children):
                # "Veritas would also announce [policies]", "They would argue [that …]": not said; "He will
                # say [that …]" is a speech released before it is given
                continue
            if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in r.wishes and (frame != "clause" or any(
                    c.dep_ == "dobj" and c.left_edge.i == content[0][0] for c in tok.children)):
                continue  # "wants to counter [complaints that …]", "plans to call on [X to …]": still to come
            asked = frame == "clause" and lemma in r.questions and _opens_question(doc, content[0])
            if (lemma not in r.indirect or frame == "object") and not asked:
                # a document's own verbs ("the poll shows …", "a study found …") speak only for it
                subj = ctx.subject_of(tok)
                by_text = subj is not None and subj.lemma_.lower() in r.documents and lemma in r.doc_verbs
                if frame in ("clause", "interrupted", "object") and not by_text:
                    continue
                if frame == "object" and _words(text[_char_range(doc, content[0])[0]:
                                                     _char_range(doc, content[0])[1]]) < r.min_words:
                    continue
            first = content[0]
            if frame == "clause":
                comp = _head_in(doc, first)
                if comp is not None and comp.dep_ == "ccomp" and not any(
                        g.dep_ in (*_SUBJ, "expl", "csubj", "csubjpass") or g.i < comp.i and g.dep_ in ("npadvmod",)
                        for g in comp.children) and not any(
                        c.dep_ in ("npadvmod", "dobj", "nsubj", "attr") and c.i < comp.i for c in tok.children):
                    continue
            if _opens_question(doc, first) and lemma not in r.questions:
                continue  # "without specifying how many ...": a question, unless asked ("asked whether …")
            parts = [_char_range(doc, p, ctx.res.quoted.spans) for p in content]
            subj, cue = ctx.subject_of(tok), lemma
            if frame == "request" and subj is not None and subj.pos_ == "NOUN" and not ctx.can_speak(subj) \
                    and not subj.lemma_.lower().endswith(_AGENT_ENDINGS):
                continue  # "all their incentives encourage [them to carry on]": a thing asks nothing
        elif (pc := _phrase_cue(tok, r)) is not None and not ctx.in_quote(tok.idx):
            obj, cue = pc
            if not _source_like(ctx, obj):
                continue
            sent = ctx.sent_of(tok)
            first_tok = doc[tok.i - len(cue.split()) + 1]
            phrase = (first_tok.i, obj.right_edge.i)
            pieces = [_trim(doc, sent.start, phrase[0] - 1), _trim(doc, phrase[1] + 1, sent.end - 1)]
            verb = first_tok.head
            if verb.dep_ == "conj" and verb.head.i < first_tok.i < verb.i and any(
                    c.dep_ == "cc" and verb.head.i < c.i < first_tok.i for c in verb.head.children):
                # "The findings follow a string of reports and, according to our correspondent, [contain few
                # surprises]": the source vouches for the second verb only
                pieces = [_trim(doc, phrase[1] + 1, verb.right_edge.i)]
            parts = [_char_range(doc, p) for p in pieces if p]
            subj = obj
        if not parts or subj is None or ctx.skip(parts[0][0]):
            continue
        if cue == lemma and _inanimate_inside_a_report(tok, subj, r):
            continue
        if cue == lemma and (judged := _judged_for(tok, r)) is not None:
            if lemma not in r.indirect:
                continue  # 'accused him of [encouraging young people to get drunk]': an act, the accuser's charge
            subj = judged  # 'criticised the government for [claiming the constitution would …]': the government's
        if sum(_words(text[s:e]) for s, e in parts) < r.min_words:
            continue
        sp = ctx.speaker(subj)
        if sp is not None and subj.lower_ in ("it", "that") and sp.entity is None and sp.kind is None:
            # "That's a fraction of the $20 million experts say [it costs]": the noun before the cue speaks;
            # "that claims [Ms Lee was in charge] were not true": a noun the parser took for a verb
            before = doc[tok.i - 1] if cue == lemma and tok.i > 0 else None
            sp = ctx.speaker(before) if before is not None and before.pos_ in ("NOUN", "PROPN") \
                and ctx.can_speak(before) else None
        if sp is None or not (sp.text or sp.kind):
            continue
        own = parts[0]
        # "to suggest [...]": an infinitive with no subject of its own
        borrowed = cue == lemma and subj.head.i != tok.i and _infinitive(tok)
        for s, e in parts:
            out.append(_Reported(Quote(s, e, text[s:e], "indirect", sp, cue, own), tok.i if cue == lemma else -1,
                                 tuple(parts), borrowed))
    return out


def _judged_for(cue: Token, r: _Rules) -> Token | None:
    """The one judged when the cue is the grounds of a judgement ("criticised [the government] for claiming
    …", "[the government] was criticised for insisting …"): the speaker of what the cue reports."""
    prep = cue.head
    if not (cue.tag_ == "VBG" and cue.dep_ == "pcomp" and prep.dep_ == "prep" and prep.lower_ in r.judging_preps):
        return None
    if prep.head.dep_ == "dobj" and prep.head.head.lemma_.lower() in r.judging:
        return prep.head  # 'accused [the mayor of encouraging …]': the prepositional phrase hung on the object
    if prep.head.lemma_.lower() not in r.judging:
        return None
    return next((c for c in prep.head.children if c.dep_ in ("dobj", "nsubjpass")), None)


def _asked_of(cue: Token, r: _Rules) -> bool:
    """'Asked why he left, Lord Lee said …': the question was put to the sentence's subject by someone
    else (a participle with no subject of its own, which the tagger may call past tense: "When asked
    whether …, he replied")."""
    return cue.tag_ in ("VBN", "VBD") and cue.dep_ == "advcl" and cue.lemma_.lower() in r.questions \
        and not any(c.dep_ in _SUBJ for c in cue.children)


def _inverted(cue: Token) -> bool:
    """A cue whose auxiliary comes before its subject: a condition ("[it would have been longer] had he
    denied the charge") or a question ("did he say …?"), not a report of what was said."""
    subj = next((c for c in cue.children if c.dep_ in _SUBJ), None)
    return subj is not None and any(c.dep_ == "aux" and c.i < subj.i and c.lower_ in _INVERTING
                                    for c in cue.children)


def _a_state(cue: Token, r: _Rules) -> bool:
    """'is going into the election [pledged to increase taxation]': a pledge's past participle with no
    auxiliary and no subject, modifying another verb before it, tells what someone is bound to, not what
    was said (the tagger may call it a past tense; a misparsed main verb of another cue, "Investigations
    carried out … found", is not one)."""
    return cue.lemma_.lower() in r.pledges and cue.tag_ in ("VBN", "VBD") and cue.head.i < cue.i \
        and cue.dep_ in ("advcl", "oprd", "acomp", "amod") \
        and not any(c.dep_ in ("aux", "auxpass", *_SUBJ) for c in cue.children) \
        and not _is_cue(cue.head, r)


def _in_a_title(cue: Token) -> bool:
    """'the official North East Says No campaign': a capitalised cue between capitalised words inside
    a sentence is a word of a name or a title."""
    doc = cue.doc
    return cue.is_title and not cue.is_sent_start and 0 < cue.i < len(doc) - 1 \
        and doc[cue.i - 1].is_title and doc[cue.i + 1].is_title and not doc[cue.i - 1].is_sent_start


def _wished_of_another(cue: Token, r: _Rules) -> bool:
    """'would prefer Turkey to admit [X]', 'challenged him to deny [X]': someone else is wished, asked or
    dared to say it (the governor's object, or the infinitive's own subject); nothing was said yet."""
    gov = cue.head
    if cue.dep_ not in ("xcomp", "ccomp") or gov is cue or gov.lemma_.lower() not in r.wishes or not _infinitive(cue):
        return False
    return any(c.dep_ in ("dobj", "dative") and c.i < cue.i for c in gov.children) \
        or any(c.dep_ in _SUBJ and c.i < cue.i for c in cue.children)


def _inanimate_inside_a_report(cue: Token, subj: Token, r: _Rules) -> bool:
    """'He says evidence suggests [X]', 'They claim figures show [X]': what a thing shows inside what
    someone says is that speaker's claim, not a statement of its own."""
    if subj.pos_ != "NOUN" or subj.ent_type_ or _noun_lemma(subj, r) in r.person_nouns | r.bodies:
        return False
    t = cue  # up through clause links only: "despite a book saying [X]" is the book's own
    while t.dep_ in ("ccomp", "xcomp", "conj", "advcl") and t.head is not t:
        t = t.head
        if t.pos_ == "VERB" and t.lemma_.lower() in r.indirect:
            return True
    return False


def _opens_question(doc: Doc, part: tuple[int, int]) -> bool:
    """Whether a reported range is an indirect question ("whether …", "how many …"), not a clause
    that opens with a condition or a time of its own ("said that, if the economy grew, taxes …")."""
    first = doc[part[0]]
    if first.lower_ not in _QUESTION:
        return False
    comp = _head_in(doc, part)
    return not (comp is not None and first.dep_ in ("mark", "advmod") and first.head.dep_ == "advcl"
                and first.head.head.i == comp.i)


def _head_in(doc: Doc, part: tuple[int, int]) -> Token | None:
    """The token of a range whose head lies outside it (its root)."""
    lo, hi = part
    return next((t for t in doc[lo : hi + 1] if not lo <= t.head.i <= hi or t.head is t), None)


def _candidates(doc: Doc, r: _Rules) -> list[int]:
    """Indices of the tokens that may cue reported speech: verbs whose lemma is a reporting verb, and
    the last words of cue phrases; found on the token arrays, without making a Token per word."""
    strings = doc.vocab.strings
    verbs = {strings[w] for w in r.indirect | r.requests | r.naming | r.judging | r.doc_verbs | r.objects | r.pledges}
    ends = {strings[w] for w in r.phrase_ends}
    verb_pos = strings["VERB"]
    return [i for i, (lemma, pos, low) in enumerate(doc.to_array([LEMMA, POS, LOWER]).tolist())
            if pos == verb_pos and lemma in verbs or low in ends]


def _reported(cands: list[_Reported], used_cues: set[int], covered: list[tuple[int, int]],
              paraphrased: set[tuple[int, int]]) -> list[Quote]:
    """The reported speech that no direct or mixed statement already holds; a paraphrase nested inside
    it ("[Concessions on a bill which critics claim would allow euthanasia "through the back door" were
    not a ploy], the lord chancellor said") holds none of it."""
    covered = sorted(covered)
    starts = [s for s, _ in covered]
    out, seen = [], set()
    for c in cands:
        if c.cue in used_cues:
            continue
        s, e = c.quote.start, c.quote.end
        i = max(0, bisect.bisect_right(starts, s) - 1)
        held = 0
        while i < len(covered) and covered[i][0] < e:
            if covered[i] not in paraphrased or not s < covered[i][0] or covered[i][1] >= e:
                held += max(0, min(e, covered[i][1]) - max(s, covered[i][0]))
            i += 1
        if held > 0.5 * (e - s) or _echoes_outer(c, cands):
            continue
        key = (s, e)
        if key in seen:
            continue
        seen.add(key)
        out.append(c.quote)
    return out


def _echoes_outer(c: _Reported, cands: list[_Reported]) -> bool:
    """'[It suited the union to suggest [there were two agendas]], Mr Brown told', 'said [it was wrong to
    suggest [...]]': an infinitive cue with no subject of its own inside another report, credited to the
    same speaker, is a part of that report, not a second statement of his (a cue with its own subject
    stays: "he said [he believes [...]]"; so does a second cue joined to the first: "said [...] and argued
    [...]")."""
    if not c.borrowed:
        return False
    sp = c.speaker
    return any(d.cue != c.cue and d.start <= c.start and c.end <= d.end and d.end - d.start > c.end - c.start
               and (d.speaker.entity is not None and d.speaker.entity == sp.entity
                    or d.speaker.entity is None and sp.entity is None and d.speaker.text == sp.text)
               for d in cands)


def _source_like(ctx: _Ctx, tok: Token) -> bool:
    """Whether "according to X" names someone or something that speaks (a name, a person, a body or
    a document), not a figure or a date ("according to 2019 figures" still names a document)."""
    if tok.pos_ == "PRON" or ctx._named(tok) is not None:
        return True
    phrase = tok.head.head  # "according" of "according to X"
    if tok.pos_ == "NOUN" and not ctx.can_speak(tok) and _noun_lemma(tok, ctx.r) not in ctx.r.source_nouns \
            and (any(c.tag_ == "PRP$" for c in tok.children)
                 or phrase.head.pos_ == "VERB" and phrase.head.i == phrase.i - 1):
        return False  # "graded according to [their value]", "varies according to [income]": a measure, not a source
    return tok.pos_ in ("NOUN", "PROPN") and not tok.like_num and tok.ent_type_ not in ("DATE", "TIME", "PERCENT")
