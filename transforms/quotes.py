"""Direct and indirect quotes with their speakers, from an already-parsed spaCy Doc.

Rule-based and linear in the length of the article: quotation marks are paired by a one-pass
scanner, a quoted span counts as a statement only when a reporting verb (or "according to")
attributes it, the speaker is that verb's subject, and pronouns or definite descriptions are
resolved to the most salient earlier subject. No extra model runs: only the parse is used.
The verbs, pronouns and role nouns live in data/reporting_verbs.yaml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from transforms.lexicon import lexicon
from transforms.mentions import EntityRef, Mention
from transforms.quotemarks import QuotedSpan
from transforms.resolve import Resolver

_SPEAKER_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
_SUBJ = {"nsubj", "nsubjpass"}
_COMPLEMENT = {"ccomp", "xcomp", "pcomp"}  # links through which a clause stays the cue's content
_QUESTION = {"whether", "how", "what", "why", "who", "whom", "which", "if", "when", "where"}
_WORD = re.compile(r"\w+")



@dataclass(frozen=True)
class _Rules:
    """What the quote rules read of the lexicon, as flat sets."""

    verbs: frozenset[str]
    indirect: frozenset[str]
    weak: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    phrase_ends: frozenset[str]
    person_nouns: frozenset[str]
    gov_nouns: frozenset[str]
    source_nouns: frozenset[str]
    honorifics: frozenset[str]
    min_words: int


@lru_cache(maxsize=1)
def rules() -> _Rules:
    lex = lexicon()
    cues = lex.reporting
    return _Rules(
        verbs=cues.speech_verbs, indirect=cues.reported_speech_verbs, weak=cues.belief_verbs,
        phrases=cues.cue_phrases, phrase_ends=cues.phrase_ends,
        person_nouns=lex.roles.person_nouns, gov_nouns=lex.institutions.government_nouns,
        source_nouns=cues.source_nouns, honorifics=lex.roles.honorifics,
        min_words=cues.min_quote_words,
    )


# ----------------------------------------------------------------------------- speakers
@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to: the words that name them, the entity, the role the text gives."""

    text: str
    entity: EntityRef | None
    role: str | None


class _Ctx:
    """Per-article lookups for attribution: paragraphs and quoted regions; references go to the resolver."""

    def __init__(self, doc: Doc, resolver: Resolver) -> None:
        self.doc, self.text, self.res, self.r = doc, doc.text, resolver, rules()
        self.para_starts = [m.end() for m in re.finditer(r"\n", doc.text)]

    def in_quote(self, pos: int) -> bool:
        return self.res.in_quote(pos)

    def para(self, pos: int) -> int:
        """Index of the paragraph holding pos: attribution never crosses a paragraph break."""
        return bisect.bisect_right(self.para_starts, pos)

    def sent_of(self, tok: Token) -> Span:
        return self.res.sentence(tok)

    # -- the speaker of a cue
    def subject_of(self, cue: Token) -> Token | None:
        """The cue's subject; participles and conjoined verbs borrow their governor's subject."""
        tok, steps = cue, 0
        while steps < 6:
            # 'X claimed the detention had driven them mad, saying …': a participle hanging off the
            # reported clause still belongs to the reporter, so climb past that clause to its cue
            reported = steps > 0 and tok.dep_ == "ccomp" and _is_cue(tok.head, self.r)
            subj = next((c for c in tok.children if c.dep_ in _SUBJ), None)
            if subj is not None and not reported:
                if subj.lower_ in ("who", "that", "which") and tok.dep_ == "relcl":
                    return tok.head
                return subj
            if tok.dep_ in ("ROOT", "parataxis") or tok.head is tok or tok.dep_ == "ccomp" and not reported:
                break
            tok, steps = tok.head, steps + 1
        # a parse without a subject: a name right after ("said Anthony Daquin") or right before
        near = [*range(cue.i + 1, min(cue.i + 4, len(self.doc))), *range(cue.i - 1, max(cue.i - 3, -1), -1)]
        for j in near:
            t = self.doc[j]
            if t.pos_ in ("PROPN", "PRON") and not self.in_quote(t.idx):
                if t.pos_ == "PROPN" and self.res.named(t, _SPEAKER_TYPES) is None:
                    continue
                return t
            if t.is_punct or t.pos_ in ("VERB", "AUX"):
                break
        return None

    def speaker(self, subj: Token) -> Speaker:
        """Speaker text, entity and role of a subject token."""
        r, res, low = self.r, self.res, subj.lower_
        if subj.pos_ == "PRON":
            kind = res.pronoun_kind(subj)
            ent = res.pronoun(subj) if kind in ("person", "org") else None
            return Speaker(subj.text, ent, None)
        np = self._np(subj)
        m = self._named(subj)
        if m is not None:
            name = self._span(m)
            return Speaker(name.text, m.entity, self._role(subj, name))
        appos = next((c for c in subj.subtree if c.dep_ == "appos" and c.i > subj.i), None)
        if appos is not None and (m := self._named(appos, {"PERSON"})) is not None:
            # "the dictator, Nicolás Maduro" / "the president of the United States, Donald Trump"
            role = _clean_role(self.doc[np.start : appos.left_edge.i].text)
            return Speaker(self._span(m).text, m.entity, role)
        if low in r.gov_nouns:  # "the Cuban government": the country named in the phrase
            for t in np:
                if t.i == subj.i:
                    continue
                e = res.named(t, {"GPE"})
                if e is None and t.ent_type_ == "NORP":
                    e = res.country(t.text)
                if e is not None:
                    return Speaker(np.text, e, None)
        if low in r.person_nouns:
            return Speaker(np.text, res.description(subj), None)
        return Speaker(np.text, None, None)

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


def _clean_role(text: str) -> str | None:
    """A role without its article and without honorifics ("NAO head Sir" -> "NAO head"; "Mr" -> None)."""
    words = re.sub(r"^(?:the|a|an)\b", "", text.strip(" ,;:—–-"), flags=re.I).strip(" ,;:—–-").split()
    hon = rules().honorifics
    while words and words[-1].lower().rstrip(".") in hon:
        words.pop()
    while words and words[0].lower().rstrip(".") in hon:
        words.pop(0)
    return " ".join(words).strip(" ,;:—–-") or None


# ----------------------------------------------------------------------------- attribution
def _is_cue(tok: Token, r: _Rules) -> bool:
    return tok.pos_ in ("VERB", "AUX") and (tok.lemma_.lower() in r.verbs or tok.lower_ in r.verbs)


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


def _direct_cue(ctx: _Ctx, q: QuotedSpan) -> tuple[Token, Token | None, str] | None:
    """(cue token, subject token, cue lemma) attributing a quoted span, if any."""
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
                if not weak or direct:
                    if best is None or depth < best[0]:
                        best = (depth, a)
                    break
            # a quote inside another predicate ('and echoed X's slogan: "…"', 'the initiative to
            # build a "…"') belongs to that predicate, not to a reporting verb above it
            if a.head is a or a.pos_ in ("VERB", "AUX") and a.dep_ not in _COMPLEMENT:
                break
            a, depth, direct = a.head, depth + 1, False
    if best is not None:
        cue = best[1]
        return cue, ctx.subject_of(cue), cue.lemma_.lower()
    # 2. "according to X" beside the quote
    region = [*range(s_first.start, lo), *range(hi, s_last.end)]
    for i in region:
        pc = _phrase_cue(doc[i], r)
        if pc is not None and not ctx.in_quote(doc[i].idx) and ctx.para(doc[i].idx) == para:
            obj, cue = pc
            near = obj.right_edge.i + 1 >= lo - 2 if i < lo else doc[i].i <= hi + 3
            if near:
                return doc[i], obj, cue
    # 3. a reporting verb just after the quote whose own complement is missing ('"…," he said.')
    after = list(range(hi, min(s_last.end, hi + 10)))
    if hi >= s_last.end - 1 and s_last.end < len(doc):  # the quote ended its sentence
        nxt = ctx.sent_of(doc[s_last.end])
        if ctx.para(nxt.start_char) == para and len(nxt) <= 12 and not ctx.in_quote(nxt.start_char):
            after = list(range(nxt.start, nxt.end))
    for i in after:
        t = doc[i]
        if ctx.in_quote(t.idx) or ctx.para(t.idx) != para:
            break
        has_comp = any(c.dep_ == "ccomp" for c in t.children)
        if _is_cue(t, r) and t.lemma_.lower() not in r.weak and not has_comp:
            return t, ctx.subject_of(t), t.lemma_.lower()
    # 4. a colon form the parser split: 'X said at the time:' then the quote
    before = range(lo - 1, max(s_first.start - 1, lo - 12), -1)
    colon = any(doc[i].text == ":" for i in before)
    if lo - 1 >= 0 and doc[lo - 1].text in (":", "“", '"', "«", "„") and colon:
        for i in before:
            t = doc[i]
            if _is_cue(t, r) and t.lemma_.lower() not in r.weak and ctx.para(t.idx) == para:
                return t, ctx.subject_of(t), t.lemma_.lower()
    return None


def _words(text: str) -> int:
    return sum(1 for w in text.split() if _WORD.search(w))


def _is_statement(doc: Doc, text: str, q: QuotedSpan, r: _Rules) -> bool:
    """Not a term, name or title: enough words, a verb unless it is a longer phrase, and not Title Case."""
    text = text[q.start : q.end]
    n = _words(text)
    if n < r.min_words:
        return False
    long_words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text) if len(w) > 3]
    if len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words):
        return False  # "High-level Dialogue with the Communist Party" is a name, not a statement
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    if n <= r.min_words and not any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    # 'a "community of shared destinations"', 'Cuba's "strong solidarity"': a term inside a noun phrase
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.is_punct and span.start > 1:
        before = doc[span.start - 2]
    return not (before is not None and (before.dep_ in ("det", "poss", "case") or before.tag_ == "PRP$"))


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


def extract_quotes(doc: Doc, resolver: Resolver) -> list[Quote]:
    """The direct and reported speech of one article, in text order."""
    text, r = doc.text, rules()
    spans = resolver.quoted.spans
    ctx = _Ctx(doc, resolver)
    quotes: list[Quote] = []
    used_cues: set[int] = set()  # cues of direct quotes: their clause is not reported again as indirect
    prev: tuple[list[QuotedSpan], _Attribution, int] | None = None  # last statement, its attribution, cue
    for group in _statements(spans):
        found = None
        for q in group:  # the attribution may sit beside any paragraph of a long quote
            found = _direct_cue(ctx, q)
            if found is not None:
                break
        att: _Attribution | None = None
        cue_pos, fresh = -1, True
        if found is not None:
            cue, subj, lemma = found
            sp = ctx.speaker(subj) if subj is not None else None
            if sp is not None and sp.text:
                att = _Attribution(sp, lemma, None)
                cue_pos = cue.idx
                if prev is not None and prev[2] == cue_pos and _continues(ctx, prev, group[0]):
                    # '"…," he said, "…"': the same cue carries on the same statement
                    att, fresh = replace(att, statement=prev[1].statement), False
        if att is None and prev is not None and _continues(ctx, prev, group[0]):
            att, cue_pos, fresh = prev[1], prev[2], False  # '"…," he said. "…"': it goes on
        if att is None:
            continue
        if fresh and len(group) == 1 and not _is_statement(doc, text, group[0], r):
            # a term or a title in quotation marks is no statement, but a quote right after it
            # ('described it as "very important". "This is …"') still continues its speaker
            prev = (group, replace(att, statement=None), cue_pos)
            continue
        own = (group[0].start, group[0].end)
        att = replace(att, statement=att.statement if not fresh and att.statement is not None else own)
        quotes.extend(Quote(q.start, q.end, text[q.start:q.end], "direct", att.speaker, att.cue, att.statement)
                      for q in group)
        if found is not None:
            used_cues.add(found[0].i)
        prev = (group, att, cue_pos)
    quotes.extend(_indirect(ctx, spans, used_cues))
    quotes.sort(key=lambda x: (x.start, x.end))
    return quotes


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
    if not gap.strip(" ,.;:") and "\n" not in gap:
        return True
    if "\n" in gap.strip() or not (gap_start < cue_pos < q.open_mark):
        return False
    # the gap must be the attribution only, and q must start a new sentence or carry on after a comma
    return len(gap.split()) <= 30 and gap.rstrip().endswith((".", ":", ","))


def _indirect(ctx: _Ctx, spans: list[QuotedSpan], used_cues: set[int]) -> list[Quote]:
    """Reported speech: the complement clause of a reporting verb, or the rest of a sentence
    attributed with "according to X". Clauses that are mostly a direct quote are left to it."""
    doc, r, text = ctx.doc, ctx.r, ctx.text
    q_starts = [q.start for q in spans]
    out: list[Quote] = []
    for tok in doc:
        if tok.lower_ not in r.phrase_ends and tok.pos_ != "VERB":
            continue
        clause: tuple[int, int] | None = None
        subj: Token | None = None
        cue = ""
        if tok.pos_ == "VERB" and tok.lemma_.lower() in r.indirect and not ctx.in_quote(tok.idx):
            if tok.i in used_cues or any(c.dep_ == "neg" for c in tok.children):
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"
                         and any(g.dep_ in (*_SUBJ, "expl") for g in c.children)), None)
            if comp is None:
                continue
            toks = [t for t in comp.subtree]
            lo, hi = toks[0].i, toks[-1].i
            while lo <= hi and (doc[lo].dep_ == "mark" and doc[lo].lower_ == "that" or doc[lo].is_punct):
                lo += 1
            if lo <= hi and doc[lo].lower_ in _QUESTION:  # "without specifying how many ...": a question
                continue
            while hi >= lo and doc[hi].is_punct and doc[hi].text not in "”’\"'»":
                hi -= 1
            if hi < lo:
                continue
            clause = (doc[lo].idx, doc[hi].idx + len(doc[hi].text))
            subj, cue = ctx.subject_of(tok), tok.lemma_.lower()
        elif (pc := _phrase_cue(tok, r)) is not None and not ctx.in_quote(tok.idx):
            obj, cue = pc
            if not _source_like(ctx, obj):
                continue
            sent = ctx.sent_of(tok)
            first = doc[tok.i - len(cue.split()) + 1]
            if first.i == sent.start:  # "According to X, clause."
                lo = obj.right_edge.i + 1
                hi = sent.end - 1
            elif obj.right_edge.i >= sent.end - 2:  # "clause, according to X."
                lo, hi = sent.start, first.i - 1
            else:
                continue
            while lo <= hi and doc[lo].is_punct:
                lo += 1
            while hi >= lo and doc[hi].is_punct:
                hi -= 1
            if hi < lo:
                continue
            clause = (doc[lo].idx, doc[hi].idx + len(doc[hi].text))
            subj = obj
        if clause is None or subj is None:
            continue
        s, e = clause
        if _words(text[s:e]) < r.min_words or _quoted_share(spans, q_starts, s, e) > 0.5:
            continue
        sp = ctx.speaker(subj)
        if not sp.text or subj.lower_ == "it" and sp.entity is None:
            continue
        out.append(Quote(s, e, text[s:e], "indirect", sp, cue, (s, e)))
    return out


def _source_like(ctx: _Ctx, tok: Token) -> bool:
    """Whether "according to X" names someone who speaks (a name, a person or an organisation noun),
    not a document or a figure ("according to information published ...", "according to the data")."""
    r = ctx.r
    if tok.pos_ == "PRON" or ctx._named(tok) is not None:
        return True
    return tok.lemma_.lower() in r.person_nouns or tok.lemma_.lower() in r.source_nouns


def _quoted_share(spans: list[QuotedSpan], starts: list[int], s: int, e: int) -> float:
    i = max(0, bisect.bisect_right(starts, s) - 1)
    covered = 0
    while i < len(spans) and spans[i].start < e:
        covered += max(0, min(e, spans[i].end) - max(s, spans[i].start))
        i += 1
    return covered / max(1, e - s)
