"""The pure heart of a load: raw records -> article rows -> NLP rows, as polars frames.

No files, no database, no Prefect: `flows/` feeds these functions and writes what they return.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import polars as pl
from spacy.language import Language
from spacy.tokens import Doc

from transforms import articles as article_rules
from transforms.entities import country_entities, resolve_entities
from transforms.events import extract_events
from transforms.ids import article_id as make_article_id
from transforms.ids import content_hash, stable_hash
from transforms.ingest import RawRecord, Rejected, is_unicode, record_bytes
from transforms.nlp import parse_texts
from transforms.quotes import extract_quotes
from transforms.resolve import Resolver, batch_role_holders
from transforms.rows import entity_rows, event_rows, mention_rows, quote_rows
from transforms.stories import (
    NearDuplicateIndex,
    StoryCandidate,
    StoryIndex,
    assign_stories,
    minhash_signature,
    near_duplicates,
    story_terms,
    title_key,
)
from transforms.tables import ARTICLES, frame

STORY_LEAD_FRACTION = 1 / 3
FINGERPRINTS = {"article_id": pl.String, "minhash": pl.List(pl.UInt64), "terms": pl.List(pl.String),
                "term_weights": pl.List(pl.Float64)}

NLP_LANGUAGES = {"en"}


def _as_datetime(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


def parse_record(rec: RawRecord, known_names: frozenset[str] = frozenset()) -> article_rules.ParsedArticle | None:
    """One raw record -> article fields through the rules for its format (None: no article text)."""
    if rec.kind == "html":
        return article_rules.parse_html(rec.text, url=rec.fields.get("url"), known_names=known_names)
    if rec.kind == "jsonl":
        return article_rules.parse_record({"text": rec.text, **rec.fields}, known_names=known_names)
    return article_rules.parse_text(rec.text, known_names=known_names)


def build_articles(
    records: Sequence[RawRecord], known_names: Iterable[str] = ()
) -> tuple[pl.DataFrame, list[Rejected]]:
    """Article rows (without duplicate/story marks) and the records that hold no article.

    Names used anywhere in the batch (or given by the caller, e.g. from the warehouse) let the
    text repair split "rodriguezmet" in one article because "Rodriguez" is a name in another.
    """
    names = frozenset(article_rules.name_vocabulary(r.text for r in records)) | frozenset(known_names)
    rows, rejected = [], []
    seen: dict[str, str] = {}
    for rec in records:
        try:
            parsed = parse_record(rec, names)
            if parsed is None or not parsed.body.strip():
                rejected.append(Rejected(rec.source_uri, "no_article_text", "no article text found after cleaning",
                                         record_bytes(rec)))
                continue
            chash = content_hash(parsed.body)
            row = {
                "article_id": make_article_id(rec.source_uri, chash), "source_uri": rec.source_uri,
                "content_hash": chash, "title": parsed.title, "published_at": _as_datetime(parsed.published_at),
                "author": parsed.author, "publisher": parsed.publisher, "url": rec.fields.get("url"),
                "body": parsed.body, "language": parsed.language, "word_count": len(parsed.body.split()),
            }
            _check_row(row)
        except Exception as e:  # a parser bug on one input must not sink the load: quarantine it
            rejected.append(Rejected(rec.source_uri, "parse_error", f"{type(e).__name__}: {e}", record_bytes(rec)))
            continue
        if row["article_id"] in seen:  # same source_uri and text twice (a JSONL id equal to a line number)
            rejected.append(Rejected(rec.source_uri, "duplicate_record",
                                     f"the same text under the same source_uri as {seen[row['article_id']]}; "
                                     "give the record its own id", record_bytes(rec)))
            continue
        seen[row["article_id"]] = rec.source_uri
        rows.append(row)
    return frame("articles", rows), rejected


_PY_TYPES = {pl.String: str, pl.Int32: int, pl.Datetime("us"): dt.datetime}


def _check_row(row: dict) -> None:
    """Raise TypeError when a value does not fit its column, so one record cannot break the load's frame."""
    for col, dtype in ARTICLES.items():
        value = row.get(col)
        if value is not None and not isinstance(value, _PY_TYPES[dtype]):
            raise TypeError(f"{col} is {type(value).__name__}, not {dtype}")
        if isinstance(value, str) and not is_unicode(value):
            raise ValueError(f"{col} holds a lone surrogate")



def mark_duplicates(articles: pl.DataFrame, known: dict[str, tuple[str, str | None]]) -> pl.DataFrame:
    """Set duplicate_of and story_id: the first article with the same content hash is the original.

    `known` maps content_hash -> (article_id, story_id) for articles already in the warehouse.
    """
    first: dict[str, tuple[str, str | None]] = dict(known)
    dup_of, story = [], []
    for aid, chash in zip(articles["article_id"], articles["content_hash"], strict=True):
        if chash in first and first[chash][0] != aid:
            orig_id, orig_story = first[chash]
            dup_of.append(orig_id)
            story.append(orig_story or orig_id)
        else:
            first.setdefault(chash, (aid, aid))
            dup_of.append(None)
            story.append(aid)
    return articles.with_columns(
        pl.Series("duplicate_of", dup_of, dtype=pl.String), pl.Series("story_id", story, dtype=pl.String)
    )


def fingerprints(articles: pl.DataFrame) -> pl.DataFrame:
    """MinHash, story terms and body length of each original article (duplicates are never compared again)."""
    originals = articles.filter(pl.col("duplicate_of").is_null())
    ids: list[str] = originals["article_id"].to_list()
    signatures, terms, weights = [], [], []
    for body in originals["body"]:
        top = story_terms(body)
        signatures.append(minhash_signature(body).tolist())
        terms.append(list(top))
        weights.append(list(top.values()))
    return pl.DataFrame({"article_id": ids, "minhash": signatures, "terms": terms, "term_weights": weights,
                         "body_length": originals["body"].str.len_chars().cast(pl.Int32)},
                        schema={**FINGERPRINTS, "body_length": pl.Int32})


def minhash_pairs(prints: pl.DataFrame) -> list[tuple[str, np.ndarray]]:
    return [(aid, np.asarray(sig, dtype=np.uint64)) for aid, sig in prints.select("article_id", "minhash").iter_rows()]


def near_duplicate_index(prints: pl.DataFrame) -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    for aid, sig in minhash_pairs(prints):
        index.add(aid, sig)
    return index


def mark_near_duplicates(
    articles: pl.DataFrame, prints: pl.DataFrame, earlier: NearDuplicateIndex | pl.DataFrame,
    earlier_stories: dict[str, str],
) -> pl.DataFrame:
    """Originals that nearly duplicate an earlier (or earlier-in-load) article become its duplicates."""
    if isinstance(earlier, pl.DataFrame):
        earlier = near_duplicate_index(earlier)
    found = near_duplicates(minhash_pairs(prints), earlier)
    if not found:
        return articles
    story_of = {**earlier_stories, **dict(zip(articles["article_id"], articles["story_id"], strict=True))}
    return articles.with_columns(
        pl.col("article_id").replace_strict(found, default=None, return_dtype=pl.String)
        .fill_null(pl.col("duplicate_of")).alias("duplicate_of"),
        pl.col("article_id").replace_strict({a: story_of.get(o, o) for a, o in found.items()}, default=None,
                                            return_dtype=pl.String)
        .fill_null(pl.col("story_id")).alias("story_id"),
    )


def story_candidates(articles: pl.DataFrame, prints: pl.DataFrame, events: pl.DataFrame) -> list[StoryCandidate]:
    """What same-story grouping compares: terms, lead events (with both entities), date and headline.

    Only events in the first third of a body count: the event an article leads with is its story;
    one further down is background that same-topic articles share.
    """
    lengths = (articles.select("article_id", pl.col("body").str.len_chars().alias("n")) if "body" in articles.columns
               else articles.select("article_id", pl.col("body_length").alias("n")))
    length_of = dict(lengths.iter_rows())
    sigs: dict[str, set] = {}
    for aid, etype, actor, recipient, start in events.select(
            "article_id", "event_type", "actor_entity_id", "recipient_entity_id", "start_char").iter_rows():
        lead = start is not None and start <= STORY_LEAD_FRACTION * length_of.get(aid, 0)
        if actor and recipient and actor != recipient and lead:
            sigs.setdefault(aid, set()).add((etype, actor, recipient))
    meta = {aid: (sid, pub, title) for aid, sid, pub, title in
            articles.select("article_id", "story_id", "published_at", "title").iter_rows()}
    out = []
    for aid, terms, weights in prints.select("article_id", "terms", "term_weights").iter_rows():
        sid, pub, title = meta.get(aid, (aid, None, None))
        out.append(StoryCandidate(aid, sid, dict(zip(terms, weights, strict=True)), frozenset(sigs.get(aid, ())),
                                  pub, title_key(title)))
    return out


def group_stories(articles: pl.DataFrame, new: list[StoryCandidate],
                  earlier: StoryIndex | list[StoryCandidate]) -> pl.DataFrame:
    """Set story_id on the load's articles; a duplicate follows the story of its original."""
    stories = assign_stories(new, earlier)
    if not stories:
        return articles
    articles = articles.with_columns(
        pl.col("article_id").replace_strict(stories, default=None, return_dtype=pl.String)
        .fill_null(pl.col("story_id")).alias("story_id"))
    return articles.with_columns(
        pl.col("duplicate_of").replace_strict(stories, default=None, return_dtype=pl.String)
        .fill_null(pl.col("story_id")).alias("story_id"))


def needs_nlp(articles: pl.DataFrame) -> pl.DataFrame:
    """Originals in a language the model reads; duplicates and other languages get no NLP rows."""
    return articles.filter(
        pl.col("duplicate_of").is_null() & (pl.col("language").is_null() | pl.col("language").is_in(NLP_LANGUAGES))
    )


BATCH_WORD_BUDGET = 8_000  # about 16 articles of median length; spaCy's peak memory follows a batch's words


def word_budget_batches(texts: list[str], batch_size: int, budget: int = BATCH_WORD_BUDGET) -> Iterator[list[str]]:
    """The texts in order, in batches of at most `batch_size` texts and (but for a single long text) `budget` words.

    spaCy's memory peak is set by the words in a batch, not the number of texts: 16 of the longest
    BBC articles (34k words) raise the process's peak by ~550 MB, 16 median ones by ~60 MB. A long
    run meets more such batches, so its peak grew with its size; a word budget bounds it.
    """
    group: list[str] = []
    words = 0
    for text in texts:
        n = text.count(" ") + 1
        if group and (len(group) >= batch_size or words + n > budget):
            yield group
            group, words = [], 0
        group.append(text)
        words += n
    if group:
        yield group


def annotate(
    articles: pl.DataFrame,
    nlp: Language,
    batch_size: int = 16,
    n_process: int = 1,
    on_progress: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
    docs: Iterable[Doc] | None = None,
    known_surnames: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, pl.DataFrame]:
    """Entity, mention, quote and event frames for the articles that need NLP.

    `docs`, when given, are the parsed documents of `needs_nlp(articles)` in order, made elsewhere (Dask
    workers, the run's parse pool): the spaCy pass is skipped and only the rules run here. A lazy
    iterable is read inside the load's memory zone, so the strings of documents made from bytes go
    with the load.

    `timings`, when given, accumulates seconds per stage (spacy, entities, quotes, events) so a
    run report and the benchmark can say what each stage costs.

    `known_surnames` are the warehouse's full names by surname, with their mentions (see resolve_entities).
    """
    clock = timings if timings is not None else {}
    todo = needs_nlp(articles)
    ids: list[str] = todo["article_id"].to_list()
    published = [p.date() if p is not None else None for p in todo["published_at"].to_list()]
    quotes, events = [], []
    with nlp.memory_zone():
        t = time.perf_counter()
        if docs is None:
            docs = []
            bodies = todo["body"].to_list()
            # one process: batches bounded by words too (word_budget_batches); several: one nlp.pipe
            # call, as each call forks its own workers (per batch, that cost more than the workers gained)
            groups = word_budget_batches(bodies, batch_size) if n_process == 1 else [bodies]
            for group in groups:
                size = len(group) if n_process == 1 else batch_size
                for doc in parse_texts(nlp, group, batch_size=size, n_process=n_process):
                    docs.append(doc)
                    if on_progress:
                        on_progress(1)
        else:
            made = []
            for doc in docs:
                made.append(doc)
                if on_progress:
                    on_progress(1)
            if len(made) != todo.height:
                raise ValueError(f"{len(made)} parsed documents for {todo.height} articles")
            docs = made
        t = tick(clock, "spacy", t)
        resolved = resolve_entities(ids, docs, known_surnames)
        entities = {e.entity_id: e for e in resolved.entities}
        t = tick(clock, "entities", t)
        resolvers = [Resolver(doc, resolved.indexes[aid]) for aid, doc in zip(ids, docs, strict=True)]
        holders = batch_role_holders(resolvers)
        for res in resolvers:
            res.batch_roles = holders
        for aid, doc, res in zip(ids, docs, resolvers, strict=True):
            quotes.extend(quote_rows(aid, extract_quotes(doc, res)))
        t = tick(clock, "quotes", t)
        for aid, doc, res, pub in zip(ids, docs, resolvers, published, strict=True):
            events.extend(event_rows(aid, extract_events(doc, res, pub)))
        t = tick(clock, "events", t)
        del docs, resolvers
    countries = country_entities()
    # "the Italian government said", "Cuban advisors": a country the text never named as such
    for eid in (*(q["speaker_entity_id"] for q in quotes),
                *(ev[c] for ev in events for c in ("actor_entity_id", "recipient_entity_id", "location_entity_id"))):
        if eid and eid not in entities and eid in countries:
            entities[eid] = countries[eid]
    out = {
        "entities": frame("entities", entity_rows(entities.values())),
        "entity_mentions": frame("entity_mentions",
                                 [r for aid in ids for r in mention_rows(aid, resolved.mentions[aid])]),
        "quotes": frame("quotes", quotes),
        "events": frame("events", events),
    }
    tick(clock, "frames", t)
    return out


def tick(clock: dict[str, float], stage: str, since: float) -> float:
    """Add the seconds since `since` to `clock[stage]`; returns now, the next stage's start."""
    now = time.perf_counter()
    clock[stage] = clock.get(stage, 0.0) + now - since
    return now


def quarantine_frame(rejected: Sequence[Rejected]) -> pl.DataFrame:
    return frame("quarantine", [
        {"quarantine_id": stable_hash("quarantine", r.source_uri, r.reason, r.raw or b""),
         "source_uri": r.source_uri, "reason": r.reason, "detail": r.detail, "raw": r.raw,
         "raw_size": len(r.raw) if r.raw is not None else None}
        for r in rejected
    ])
