"""The rule data, by concept, loaded once into one frozen object.

Every word list and table the rules read lives in `transforms/data/`, one file per concept, with
its format at the top of the file:

  reporting_cues.yaml  who says, writes or claims something (quotes; event modality)
  roles.yaml           titles, honorifics and role nouns ("the minister")
  given_names.yaml     given names that tell a person's gender
  institutions.yaml    nouns that name organisations and governments
  calendar.yaml        months, weekdays, relative days
  function_words.yaml  pronouns, name particles, English and foreign function words
  modality.yaml        cues of negated, future, hypothetical events
  plover_lexicon.yaml  PLOVER event triggers; plover_scores.yaml their scores
  sectors.yaml         the sector of an actor or recipient (government, military, party ...)
  aliases.yaml         known entities; countries.csv countries with demonyms and capitals;
                       places.csv cities and regions with their countries
  boilerplate.yaml     patterns of article furniture (bylines, captions, link lists)
  languages.yaml       the words that make a people's word a language ("speak English")
  works.yaml           the nouns that introduce a work's title ("a new book, ...")
  scorecards.yaml      the words of a cricket batting line ("c Orme b Tennant", "not out")

`lexicon()` reads them all once per process; `rules_version()` is their hash, stamped on every row.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from transforms.text import name_key

DATA = Path(__file__).parent / "data"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _words(items: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(w).casefold() for w in items or ())


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


def _read_yaml(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or {}


# --------------------------------------------------------------------------- concepts

@dataclass(frozen=True)
class ReportingCues:
    """reporting_cues.yaml: speech, belief, request, naming and claim verbs, cue phrases, source nouns,
    the nouns that tell what kind of speaker speaks, and the lines that hold no statement."""

    speech_verbs: frozenset[str]
    reported_speech_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    claim_verbs: frozenset[str]
    cue_phrases: tuple[tuple[str, ...], ...]
    claim_phrases: tuple[str, ...]
    source_nouns: frozenset[str]
    min_quote_words: int
    request_verbs: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    document_nouns: frozenset[str] = frozenset()
    organisation_nouns: frozenset[str] = frozenset()
    anonymous_nouns: frozenset[str] = frozenset()
    figure_words: frozenset[str] = frozenset()
    money_words: frozenset[str] = frozenset()
    finding_verbs: frozenset[str] = frozenset()
    caption_starts: tuple[str, ...] = ()
    judging_verbs: frozenset[str] = frozenset()
    judging_preps: frozenset[str] = frozenset()
    document_verbs: frozenset[str] = frozenset()
    question_verbs: frozenset[str] = frozenset()
    object_verbs: frozenset[str] = frozenset()
    phrasal_speech: frozenset[str] = frozenset()
    speech_nouns: frozenset[str] = frozenset()
    pledge_verbs: frozenset[str] = frozenset()
    wish_governors: frozenset[str] = frozenset()
    consequence_verbs: frozenset[str] = frozenset()

    @property
    def phrase_ends(self) -> frozenset[str]:
        return frozenset(p[-1] for p in self.cue_phrases)


@dataclass(frozen=True)
class Roles:
    """roles.yaml: honorifics (with gender), titles stripped from names, person nouns."""

    honorific_gender: Mapping[str, str | None]
    name_titles: frozenset[str]  # the honorifics included
    royal_titles: frozenset[str]
    person_nouns: frozenset[str]
    noun_gender: Mapping[str, str]
    national_titles: Mapping[str, str]  # "home secretary" -> GBR
    given_name_gender: Mapping[str, str]  # given_names.yaml, accent-free
    given_names: frozenset[str]  # every given name, either sex's included
    given_names_abroad: frozenset[str] = frozenset()  # of them, those only the international dictionary has
    opponent_nouns: frozenset[str] = frozenset()
    agent_nouns: frozenset[str] = frozenset()  # "a spokesman for Ann Lee": not Ann Lee
    generic_nouns: frozenset[str] = frozenset()  # person nouns that fit any role ("leader", "official")
    role_groups: tuple[frozenset[str], ...] = ()  # person nouns naming one role ("mp", "backbencher")
    other_office: frozenset[str] = frozenset()  # "deputy", "shadow": another office, not a kind of it
    surname_honorifics: frozenset[str] = frozenset()  # "mr", "mrs": what follows is a person's name
    peer_titles: frozenset[str] = frozenset()  # "lord", "baroness": what follows is a peer's name
    post_nominals: frozenset[str] = frozenset()  # "qc", "obe": after a name, no part of it
    single_offices: frozenset[str] = frozenset()  # "chancellor": one holder at a time, a title alone
    abbreviations: Mapping[str, str] = field(default_factory=lambda: _frozen({}))  # "pm" -> "prime minister"

    def same_role(self, a: str, b: str) -> bool:
        return a == b or any(a in g and b in g for g in self.role_groups)

    @property
    def honorifics(self) -> frozenset[str]:
        return frozenset(self.honorific_gender)


@dataclass(frozen=True)
class Institutions:
    """institutions.yaml: organisation name heads and connectors, government nouns, body heads."""

    org_heads: frozenset[str]  # company_suffixes included
    company_suffixes: frozenset[str]
    connectors: frozenset[str]
    government_nouns: frozenset[str]
    body_words: frozenset[str]
    body_heads: frozenset[str]
    team_verbs: frozenset[str] = frozenset()  # "Dorset beat Devon": the county is its club
    team_preps: frozenset[str] = frozenset()  # "the match against Kent"
    team_nouns: frozenset[str] = frozenset()  # "match", "win": what team_preps follow
    place_preps: frozenset[str] = frozenset()  # "at Leeds": the place, not the club
    nations: frozenset[str] = frozenset()  # "England": no state, but its side is written as the nation
    place_modifiers: frozenset[str] = frozenset()  # "North Wales": a part of the place, not another name
    place_heads: frozenset[str] = frozenset()  # "Gaza Strip": one longer place name
    facility_heads: frozenset[str] = frozenset()  # "Westminster Hall": a building's name
    place_kinds: frozenset[str] = frozenset()  # "the town of Tavor": the name is a place's
    generic_bodies: frozenset[str] = frozenset()  # "the organisation": the one named last
    kind_nouns: frozenset[str] = frozenset()  # "the Mirror newspaper": the kind of the body named before it


@dataclass(frozen=True)
class Calendar:
    """calendar.yaml: month and weekday numbers, relative days, number words."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    relative_days: Mapping[str, int]
    number_words: Mapping[str, int]

    @property
    def words(self) -> frozenset[str]:
        """Every calendar word: months, weekdays and relative days (never a surname)."""
        return frozenset(self.months) | frozenset(self.weekdays) | frozenset(self.relative_days)


@dataclass(frozen=True)
class FunctionWords:
    """function_words.yaml: pronouns with kind and gender, name particles, language cues."""

    pronoun_kind: Mapping[str, str]
    pronoun_gender: Mapping[str, str | None]
    name_particles: frozenset[str]
    name_connectors: frozenset[str]
    name_articles: frozenset[str]
    english: frozenset[str]
    foreign: frozenset[str]

    def pronouns(self, *kinds: str) -> frozenset[str]:
        return frozenset(p for p, k in self.pronoun_kind.items() if k in kinds)

    @property
    def minor_name_words(self) -> frozenset[str]:
        """Lower-case words of a name that are not its main words ("of", "the", "da", "de")."""
        return self.name_particles | (self.name_connectors - {"&"})


@dataclass(frozen=True)
class Trigger:
    """One option of an event trigger in plover_lexicon.yaml (see the file's header for each field)."""

    event_type: str
    mode: str | None
    words: tuple[str, ...]
    requires: str | None
    objects: frozenset[str] | None
    unless: frozenset[str]
    swap: bool
    of_actor: bool
    poss_recipient: bool
    governors: frozenset[str] | None
    needs: str | None = None  # force | partner
    otherwise: tuple[str, str | None] | None = None  # (type, mode) coded when `needs` fails
    actor_sectors: frozenset[str] | None = None
    joint: str | None = None  # the type when several actors act together
    unless_modifiers: frozenset[str] = frozenset()
    between: str | None = None  # recipient: "between X and Y" names the recipients, not the actors
    preps: frozenset[str] | None = None  # the prepositions whose objects may be the recipient
    named: bool = False  # a noun that a proper-noun modifier makes a name ("the Hutton inquiry")
    pos: str = "verbs"  # verbs | nouns | adjectives


@dataclass(frozen=True)
class EventRules:
    """plover_lexicon.yaml and plover_scores.yaml: triggers by head lemma, light verbs, type classes, scores."""

    verbs: Mapping[str, tuple[Trigger, ...]]
    nouns: Mapping[str, tuple[Trigger, ...]]
    adjectives: Mapping[str, tuple[Trigger, ...]]
    light_verbs: frozenset[str]
    receiver_verbs: frozenset[str]
    light_nouns: frozenset[str]
    partitive_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    cooperative: frozenset[str]
    conflictual: frozenset[str]
    needs_recipient: frozenset[str]
    threat_modes: Mapping[str, str]
    scores: Mapping[str, Mapping]
    object_classes: Mapping[str, frozenset[str]]  # PEOPLE, PLACE, ...: nouns of the class
    force_words: frozenset[str]  # weapons, blows, casualties: a physical act, not a verbal one
    means_nouns: frozenset[str]  # weapons and attacks that may stand as an ASSAULT's actor
    deontic_verbs: frozenset[str]  # "X said Y must ...": a request of X to Y
    deontic_aux: frozenset[str]

    @property
    def types(self) -> frozenset[str]:
        return frozenset(t.event_type for opts in (*self.verbs.values(), *self.nouns.values(),
                                                     *self.adjectives.values()) for t in opts)


@dataclass(frozen=True)
class Sectors:
    """sectors.yaml: what kind of body an actor or recipient is, from its nouns, name or role."""

    values: tuple[str, ...]
    nouns: Mapping[str, str]  # lemma (or "modifier head") -> sector
    name_words: Mapping[str, str]  # a word of an organisation's name -> sector
    names: Mapping[str, str]  # name_key of a known body -> sector
    country: str | None
    people_demonyms: str | None
    role_qualifiers: Mapping[str, str | None]  # "shadow" minister -> party, "former" -> none


@dataclass(frozen=True)
class KnownEntity:
    """An entry of the alias file or the country table."""

    name: str
    entity_type: str
    country_code: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """aliases.yaml and countries.csv: what the text alone cannot settle about names."""

    countries: tuple[KnownEntity, ...]
    country_words: Mapping[str, KnownEntity]  # name_key of a name, alias, demonym or capital -> country
    demonyms: frozenset[str]  # name_keys of the words for a country's people ("Briton", "Azeris")
    localities: Mapping[str, tuple[str, int]]  # places.csv: cities and regions -> (alpha-3 country, population)
    known: Mapping[tuple[str, str], KnownEntity]  # (type family, name_key of any name or alias) -> entity
    after_the: Mapping[str, KnownEntity]  # name_key of an everyday word that names a body only after "the"


@dataclass(frozen=True)
class LanguageCues:
    """languages.yaml: verbs, nouns and prepositions around a people's word that make it a language."""

    verbs: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    preps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WorkCues:
    """works.yaml: the nouns that introduce a book's, a film's or a programme's title."""

    nouns: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # "programme": a title only before one
    title_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ScorecardCues:
    """scorecards.yaml: the ways out of a batting line, around the fielder's and the bowler's names."""

    fielded: frozenset[str] = frozenset()
    bowled: frozenset[str] = frozenset()
    before_bowled: frozenset[str] = frozenset()
    unbowled: frozenset[str] = frozenset()
    line_labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    reporting: ReportingCues
    roles: Roles
    institutions: Institutions
    calendar: Calendar
    function_words: FunctionWords
    modality: Mapping[str, Any]
    events: EventRules
    sectors: Sectors
    gazetteer: Gazetteer
    boilerplate: Mapping[str, Any]  # raw patterns; transforms.articles compiles them
    languages: LanguageCues = LanguageCues()
    works: WorkCues = WorkCues()
    scorecards: ScorecardCues = ScorecardCues()


# --------------------------------------------------------------------------- loading

def type_family(label: str) -> str:
    """Places change label between GPE, LOC and FAC from one sentence to the next: one id family."""
    return "PLACE" if label in PLACE_LABELS else label


def _reporting(d: dict) -> ReportingCues:
    return ReportingCues(
        speech_verbs=_words(d["speech_verbs"]), reported_speech_verbs=_words(d["reported_speech_verbs"]),
        belief_verbs=_words(d["belief_verbs"]), claim_verbs=_words(d["claim_verbs"]),
        cue_phrases=tuple(tuple(str(w).casefold() for w in p) for p in d["cue_phrases"]),
        claim_phrases=tuple(str(p).casefold() for p in d["claim_phrases"]),
        source_nouns=_words(d["source_nouns"]), min_quote_words=int(d["min_quote_words"]),
        request_verbs=_words(d.get("request_verbs")), naming_verbs=_words(d.get("naming_verbs")),
        document_nouns=_words(d.get("document_nouns")), organisation_nouns=_words(d.get("organisation_nouns")),
        anonymous_nouns=_words(d.get("anonymous_nouns")), figure_words=_words(d.get("figure_words")),
        money_words=_words(d.get("money_words")), finding_verbs=_words(d.get("finding_verbs")),
        caption_starts=tuple(str(w).casefold() for w in d.get("caption_starts") or ()),
        judging_verbs=_words(d.get("judging_verbs")), judging_preps=_words(d.get("judging_preps")),
        document_verbs=_words(d.get("document_verbs")), question_verbs=_words(d.get("question_verbs")),
        object_verbs=_words(d.get("object_verbs")), phrasal_speech=_words(d.get("phrasal_speech")),
        speech_nouns=_words(d.get("speech_nouns")), pledge_verbs=_words(d.get("pledge_verbs")),
        wish_governors=_words(d.get("wish_governors")), consequence_verbs=_words(d.get("consequence_verbs")))


def _gendered(d: dict) -> dict[str, str]:
    return {**{name_key(w): "female" for w in d["female"]}, **{name_key(w): "male" for w in d["male"]}}


INTERNATIONAL_NAME_MAX_ZIPF = 4.5  # "Vice", "Justice", "Moon" are in the dictionary, and English words


def _international_given_names(excluded: frozenset[str]) -> frozenset[str]:
    """Jörg Michael's dictionary of first names in use in about 50 countries, as the gender-guesser
    package ships it: the census lists of given_names.yaml know "Patricia" but not "Petr", "Mihai" or
    "Jolanta". Function words, titles, place words ("de", "Duke", "Santa", "London") and everyday
    English words are left out."""
    from gender_guesser.detector import Detector
    from wordfreq import get_frequency_dict

    everyday = 10 ** (INTERNATIONAL_NAME_MAX_ZIPF - 9)  # zipf is log10 of the frequency per billion words
    frequency = get_frequency_dict("en")  # one table lookup a name: zipf_frequency() tokenizes each
    keys = {name_key(n) for n in Detector(case_sensitive=False).names}
    return frozenset(k for k in keys if len(k) > 1 and " " not in k and k.isalpha() and k not in excluded
                     and frequency.get(k, 0.0) < everyday)


def _place_words() -> frozenset[str]:
    """Place names of one word and the first words of longer ones ("London"; "Santa" of "Santa
    Clara", "New" of "New Delhi")."""
    lines = (line for line in (DATA / "places.csv").open(encoding="utf-8") if not line.startswith("#"))
    names = [r["name"] for r in csv.DictReader(lines)]
    for r in csv.DictReader((DATA / "countries.csv").open(encoding="utf-8")):
        names += [r["name"], *r["aliases"].split("|"), *r["capitals"].split("|")]
    return frozenset(name_key(n).split()[0] for n in names if name_key(n))


def _roles(d: dict, given: dict, not_given: frozenset[str] = frozenset()) -> Roles:
    listed = frozenset(name_key(w) for k in ("female", "male", "either") for w in given.get(k, ()))
    abroad = _international_given_names(not_given) if given.get("international") else frozenset()
    honorifics = {str(k).casefold(): v for k, v in d["honorifics"].items()}
    return Roles(honorific_gender=_frozen(honorifics), name_titles=_words(d["name_titles"]) | frozenset(honorifics),
                 royal_titles=_words(d["royal_titles"]),
                 national_titles=_frozen({str(k).casefold(): v for k, v in d["national_titles"].items()}),
                 person_nouns=_words(d["person_nouns"]) | _words(list(d.get("abbreviations") or ())),
                 noun_gender=_frozen(_gendered({"female": d["female_nouns"], "male": d["male_nouns"]})),
                 given_name_gender=_frozen(_gendered(given)),
                 given_names=listed | abroad, given_names_abroad=abroad - listed,
                 opponent_nouns=_words(d.get("opponent_nouns")), agent_nouns=_words(d.get("agent_nouns")),
                 generic_nouns=_words(d.get("generic_nouns")),
                 role_groups=tuple(_words(g) for g in d.get("role_groups") or ()),
                 other_office=_words(d.get("other_office")),
                 surname_honorifics=_words(d.get("surname_honorifics")), peer_titles=_words(d.get("peer_titles")),
                 post_nominals=_words(d.get("post_nominals")), single_offices=_words(d.get("single_offices")),
                 abbreviations=_frozen({str(k).casefold(): str(v).casefold()
                                        for k, v in (d.get("abbreviations") or {}).items()}))


def _institutions(d: dict) -> Institutions:
    return Institutions(org_heads=_words(d["org_heads"]) | _words(d.get("company_suffixes")),
                        company_suffixes=_words(d.get("company_suffixes")), connectors=_words(d["connectors"]),
                        government_nouns=_words(d["government_nouns"]), body_words=_words(d["body_words"]),
                        body_heads=_words(d["body_heads"]), team_verbs=_words(d.get("team_verbs")),
                        team_preps=_words(d.get("team_preps")),
                        team_nouns=_words(d.get("team_nouns")), place_preps=_words(d.get("place_preps")),
                        nations=_words(d.get("nations")), place_modifiers=_words(d.get("place_modifiers")),
                        place_heads=_words(d.get("place_heads")), facility_heads=_words(d.get("facility_heads")),
                        place_kinds=_words(d.get("place_kinds")), generic_bodies=_words(d.get("generic_bodies")),
                        kind_nouns=_words(d.get("kind_nouns")))


def _calendar(d: dict) -> Calendar:
    def table(key: str) -> Mapping[str, int]:
        return _frozen({str(k).casefold(): int(v) for k, v in d[key].items()})

    return Calendar(table("months"), table("weekdays"), table("relative_days"), table("number_words"))


def _function_words(d: dict) -> FunctionWords:
    pronouns = {str(k).casefold(): v for k, v in d["pronouns"].items()}
    return FunctionWords(
        pronoun_kind=_frozen({p: v["kind"] for p, v in pronouns.items()}),
        pronoun_gender=_frozen({p: v.get("gender") for p, v in pronouns.items()}),
        name_particles=_words(d["name_particles"]), name_connectors=_words(d["name_connectors"]),
        name_articles=_words(d["name_articles"]), english=_words(d["english"]),
        foreign=frozenset(str(w) for words in d["foreign"].values() for w in words))


def _objects(items: Iterable[Any]) -> frozenset[str]:
    """Object lemmas, lower-cased, but for the upper-case class names (PERSON, PEOPLE, PLACE, ...)."""
    return frozenset(str(w) if str(w).isupper() else str(w).casefold() for w in items)


def _trigger(etype: str, pos: str, rest: list[str], opt: dict) -> Trigger:
    other = opt.get("otherwise")
    if other is not None:
        t, _, m = str(other).partition("/")
        other = (t, m or None)
    return Trigger(
        event_type=etype, mode=opt.get("mode"), words=tuple(rest), requires=opt.get("requires"),
        objects=_objects(opt["objects"]) if "objects" in opt else None,
        unless=_words(opt.get("unless_objects")), swap=bool(opt.get("swap")),
        of_actor=opt.get("of") == "actor", poss_recipient=opt.get("poss") == "recipient",
        governors=_words(opt["governors"]) if "governors" in opt else None,
        needs=opt.get("needs"), otherwise=other,
        actor_sectors=frozenset(opt["actor_sectors"]) if "actor_sectors" in opt else None,
        joint=opt.get("joint"), unless_modifiers=_words(opt.get("unless_modifiers")),
        between=opt.get("between"), pos=pos,
        preps=_words(opt["preps"]) if "preps" in opt else None, named=bool(opt.get("named")))


def _events(raw: dict, scores: dict) -> EventRules:
    tables: dict[str, dict[str, list[Trigger]]] = {"verbs": {}, "nouns": {}, "adjectives": {}}
    for etype, parts in raw["types"].items():
        for pos in tables:
            for key, opts in (parts.get(pos) or {}).items():
                for opt in opts if isinstance(opts, list) else [opts or {}]:
                    ws = str(key).casefold().split()
                    # a verb pattern starts with its head ("call on"), a noun one ends with it ("air strike")
                    head, rest = (ws[-1], ws[:-1]) if pos == "nouns" else (ws[0], ws[1:])
                    tables[pos].setdefault(head, []).append(_trigger(etype, pos, rest, opt))
    frozen = {}
    for pos, table in tables.items():  # the most specific pattern first; file order otherwise
        frozen[pos] = _frozen({k: tuple(sorted(v, key=lambda t: -len(t.words))) for k, v in table.items()})
    classes = raw["type_classes"]
    deontic = raw.get("deontic") or {}
    return EventRules(
        verbs=frozen["verbs"], nouns=frozen["nouns"], adjectives=frozen["adjectives"],
        light_verbs=_words(raw["light_verbs"]), receiver_verbs=_words(raw["receiver_verbs"]),
        light_nouns=_words(raw["light_nouns"]), partitive_nouns=_words(raw.get("partitive_nouns")),
        statement_nouns=_words(raw.get("statement_nouns")),
        cooperative=frozenset(classes["cooperative"]), conflictual=frozenset(classes["conflictual"]),
        needs_recipient=frozenset(classes["needs_recipient"]), threat_modes=_frozen(classes["threat_modes"]),
        scores=_frozen(scores),
        object_classes=_frozen({k: _words(v) for k, v in (raw.get("object_classes") or {}).items()}),
        force_words=_words(raw.get("force_words")), means_nouns=_words(raw.get("means_nouns")),
        deontic_verbs=_words(deontic.get("verbs")), deontic_aux=_words(deontic.get("aux")))


def _sectors(d: dict) -> Sectors:
    def table(key: str, norm=lambda w: str(w).casefold()) -> Mapping[str, str]:
        return _frozen({norm(w): sector for sector, words in (d.get(key) or {}).items() for w in words})

    return Sectors(values=tuple(d["sectors"]), nouns=table("nouns"), name_words=table("name_words"),
                   names=table("names", name_key), country=d.get("country"),
                   people_demonyms=d.get("people_demonyms"),
                   role_qualifiers=_frozen({str(k).casefold(): v
                                            for k, v in (d.get("role_qualifiers") or {}).items()}))


def _gazetteer() -> Gazetteer:
    rows = list(csv.DictReader((DATA / "countries.csv").open(encoding="utf-8")))
    countries = tuple(KnownEntity(r["name"], "GPE", r["alpha3"], tuple(a for a in r["aliases"].split("|") if a))
                      for r in rows)
    by_code = {c.country_code: c for c in countries}
    words: dict[str, KnownEntity] = {}
    for r in rows:
        for word in [r["name"], *r["aliases"].split("|"), *r["demonyms"].split("|"), *r["capitals"].split("|")]:
            if word and name_key(word) not in words:
                words[name_key(word)] = by_code[r["alpha3"]]
    entries = list(countries)
    after_the: dict[str, KnownEntity] = {}
    for e in _read_yaml("aliases.yaml").get("entities", []):
        entry = KnownEntity(e["name"], e["type"], e.get("country"), tuple(e.get("aliases") or ()))
        entries.append(entry)
        for word in e.get("after_the") or ():
            after_the.setdefault(name_key(word), entry)
    known: dict[tuple[str, str], KnownEntity] = {}
    for e in entries:
        for n in (e.name, *e.aliases):
            if name_key(n) not in after_the:  # "The Times": its key is the everyday "times"
                known.setdefault((type_family(e.entity_type), name_key(n)), e)
    demonyms = frozenset(name_key(w) for r in rows for w in r["demonyms"].split("|") if w)
    lines = (line for line in (DATA / "places.csv").open(encoding="utf-8") if not line.startswith("#"))
    cities = {name_key(r["name"]): (r["country"], int(r["population"])) for r in csv.DictReader(lines)}
    return Gazetteer(countries, _frozen(words), demonyms, _frozen(cities), _frozen(known), _frozen(after_the))


@cache
def lexicon() -> Lexicon:
    """Every rule file, read once per process into one frozen object."""
    modality = {k: (_words(v) if isinstance(v, list) else v) for k, v in _read_yaml("modality.yaml").items()}
    function_words = _function_words(_read_yaml("function_words.yaml"))
    roles = _read_yaml("roles.yaml")
    not_given = (function_words.name_particles | function_words.name_connectors | function_words.name_articles
                 | function_words.english | function_words.foreign | _place_words()
                 | _words(roles["name_titles"]) | _words(roles["royal_titles"]) | _words(roles["person_nouns"]))
    return Lexicon(
        reporting=_reporting(_read_yaml("reporting_cues.yaml")),
        roles=_roles(roles, _read_yaml("given_names.yaml"), not_given),
        institutions=_institutions(_read_yaml("institutions.yaml")),
        calendar=_calendar(_read_yaml("calendar.yaml")),
        function_words=function_words,
        modality=_frozen(modality),
        events=_events(_read_yaml("plover_lexicon.yaml"), _read_yaml("plover_scores.yaml")),
        sectors=_sectors(_read_yaml("sectors.yaml")),
        gazetteer=_gazetteer(),
        boilerplate=_frozen(_read_yaml("boilerplate.yaml")),
        languages=LanguageCues(**{k: _words(v) for k, v in _read_yaml("languages.yaml").items()}),
        works=WorkCues(**{k: _words(v) for k, v in _read_yaml("works.yaml").items()}),
        scorecards=ScorecardCues(**{k: _words(v) for k, v in _read_yaml("scorecards.yaml").items()}),
    )


@cache
def rules_version() -> str:
    """Hash of the rule data files, so a row says which lexicons and alias tables produced it."""
    h = hashlib.blake2b(digest_size=6)
    for p in sorted(DATA.glob("*")):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()
