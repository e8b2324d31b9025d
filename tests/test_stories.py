"""Near-duplicates and same-story groups on texts written for these tests."""

from __future__ import annotations

import datetime as dt

from transforms.stories import (
    StoryCandidate,
    assign_stories,
    cosine,
    minhash_signature,
    near_duplicates,
    story_terms,
)

BASE = ("The foreign ministers of Chile and Peru met in Arica on Tuesday to settle a dispute over fishing "
        "quotas in the Pacific. After six hours of talks they signed a memorandum that caps anchovy catches "
        "for two seasons and creates a joint inspection commission based in Tacna. Fishermen's unions on both "
        "sides of the border welcomed the deal but warned that enforcement would decide its fate. ")


def test_a_copy_with_a_changed_byline_is_a_near_duplicate_and_a_new_story_is_not():
    edited = "By Ana Ruiz. " + BASE + "Updated at noon."
    other = ("Bolivia's president opened a lithium plant near Uyuni on Friday, promising that the state "
             "company would keep a majority stake in every new mine and that profits would fund schools. ")
    earlier = [("orig", minhash_signature(BASE))]
    found = near_duplicates([("copy", minhash_signature(edited)), ("other", minhash_signature(other))], earlier)
    assert found == {"copy": "orig"}


def test_near_duplicates_within_one_load_point_at_the_first():
    found = near_duplicates([("a", minhash_signature(BASE)), ("b", minhash_signature(BASE + " Reuters"))], [])
    assert found == {"b": "a"}


def test_story_terms_prefer_rare_words():
    terms = story_terms(BASE)
    assert "anchovy" in terms and "the" not in terms and "after" not in terms
    assert abs(sum(v * v for v in terms.values()) - 1) < 1e-9


def cand(aid, text, events=(), published=None):
    return StoryCandidate(aid, aid, story_terms(text), frozenset(events), published)


RETELLING = ("Peru and Chile's top diplomats, meeting in the border town of Arica, agreed on Tuesday to cap "
             "anchovy fishing for two seasons under a memorandum that also sets up a joint inspection body in "
             "Tacna. Unions of fishermen in both countries praised the agreement, though they said enforcement "
             "will be the real test.")
SAME_TOPIC = ("Anchovy stocks off Peru and Chile fell again this year, scientists in Tacna and Arica said, "
              "blaming warm currents. Fishermen's unions asked both governments for compensation and stricter "
              "inspection of foreign trawlers in the Pacific.")
AGREE = ("AGREE", "chile", "peru")


def test_the_same_event_told_in_other_words_is_one_story():
    out = assign_stories([cand("b", RETELLING, [AGREE])], [cand("a", BASE, [AGREE])])
    assert out == {"b": "a"}


def test_same_topic_without_a_shared_event_stays_apart():
    a, c = cand("a", BASE, [AGREE]), cand("c", SAME_TOPIC, [("REQUEST", "unions", "peru")])
    assert cosine(a.terms, c.terms) > 0.2  # they do share a topic
    assert assign_stories([c], [a]) == {"c": "c"}


def test_dates_far_apart_are_different_stories():
    a = cand("a", BASE, [AGREE], dt.date(2024, 3, 5))
    b = cand("b", RETELLING, [AGREE], dt.date(2024, 9, 5))
    assert assign_stories([b], [a]) == {"b": "b"}


def test_only_events_in_the_lead_define_the_story():
    import polars as pl

    from transforms.pipeline import FINGERPRINTS, story_candidates

    body = "Lead sentence about the deal. " + "Background filler sentence. " * 30
    articles = pl.DataFrame({"article_id": ["a"], "story_id": ["a"], "published_at": [None], "title": ["A b c"],
                             "body": [body]})
    prints = pl.DataFrame({"article_id": ["a"], "minhash": [[1]], "terms": [["deal"]], "term_weights": [[1.0]]},
                          schema=FINGERPRINTS)
    events = pl.DataFrame({"article_id": ["a", "a"], "event_type": ["AGREE", "ACCUSE"],
                           "actor_entity_id": ["x", "x"], "recipient_entity_id": ["y", "y"],
                           "start_char": [0, len(body) - 30]})
    [c] = story_candidates(articles, prints, events)
    assert c.events == frozenset({("AGREE", "x", "y")})
    assert c.title_key == "a b c"


def _datasketch_signature(text):
    """The signature as datasketch computes it: the reference stored signatures were made with."""
    import zlib

    import numpy as np
    from datasketch import MinHash

    from transforms.ids import normalise_text
    from transforms.stories import NUM_PERM, SCHEME, SHINGLE

    words = normalise_text(text).split()
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32)
    mh.update_batch({" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE + 1))})
    return mh.hashvalues.astype(np.uint64)


def test_minhash_signature_is_datasketchs():
    import numpy as np

    texts = [BASE, RETELLING, SAME_TOPIC, BASE + BASE, "", "   ", "one", "one two three four",
             "one two three four five", "Straße  İstanbul\u00a0TAB\there\nnew line ÉCOLE école", "the " * 40]
    for text in texts:
        sig = minhash_signature(text)
        assert sig.dtype == np.uint64 and np.array_equal(sig, _datasketch_signature(text)), text


def _reference_terms(text, k=40):
    """story_terms as first written: one pass per token."""
    import math
    from collections import Counter

    from wordfreq import zipf_frequency

    from transforms.stories import _WORD

    counts = Counter(w.casefold().replace("’", "'") for w in _WORD.findall(text) if len(w) > 2)
    rarity = {w: max(0.0, 7.0 - zipf_frequency(w, "en")) for w in counts}
    weights = {w: (1 + math.log(n)) * rarity[w] for w, n in counts.items() if rarity[w] > 1.5}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {w: v / norm for w, v in top}


def test_story_terms_are_the_reference_ones():
    texts = [BASE, RETELLING, SAME_TOPIC, BASE + RETELLING + SAME_TOPIC, "",
             "Ana’s ANA’S ana's co-operation Co-Operation", "Straße STRASSE straße İstanbul"]
    for text in texts:
        assert list(story_terms(text).items()) == list(_reference_terms(text).items()), text


def test_the_columnar_story_index_gives_back_each_candidate_as_it_was_added():
    from transforms.stories import StoryCandidate, StoryIndex, cosine, story_terms

    a = story_terms("Parliament debated the fishing quotas while trawler crews protested at the harbour gates "
                    "and ministers promised compensation for the harbour towns.")
    b = story_terms("Trawler crews protested at the harbour as parliament debated fishing quotas and "
                    "compensation.")
    first = StoryCandidate("a1", "a1", a, frozenset({("PROTEST", "crews", "parliament")}),
                           dt.datetime(2024, 3, 5, 14, 30), "fishing quota row")
    second = StoryCandidate("b1", "s9", b, frozenset(), None, None)
    index = StoryIndex([first, second])
    got_a, got_b = index.candidate(0), index.candidate(1)
    assert list(got_a.terms.items()) == list(a.items()), "terms keep their order and exact weights"
    assert cosine(b, got_a.terms) == cosine(b, a) > 0
    assert (got_a.article_id, got_a.story_id, got_a.events, got_a.title_key) == (
        "a1", "a1", first.events, "fishing quota row")
    assert got_a.published == dt.date(2024, 3, 5), "a date is what same_story compares"
    assert (got_b.story_id, got_b.published, got_b.events) == ("s9", None, frozenset())
    assert list(index.positions("trawler")) == [0, 1] and list(index.positions("zzz-not-a-term")) == []


def test_near_duplicate_index_finds_what_datasketch_lsh_finds():
    """Same candidates as datasketch's MinHashLSH at the threshold, then the exact Jaccard decides."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from transforms.stories import NUM_PERM, NearDuplicateIndex, lsh_params

    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, size=(40, NUM_PERM), dtype=np.uint64)
    sigs = []
    for i, row in enumerate(base):  # near copies: some share 90% of values, some 60%
        sigs.append((f"a{i}", row))
        copy = row.copy()
        k = 12 if i % 2 else 50
        copy[rng.choice(NUM_PERM, k, replace=False)] = rng.integers(0, 2**32, size=k, dtype=np.uint64)
        sigs.append((f"b{i}", copy))
    ours = NearDuplicateIndex()
    b, r = lsh_params(0.8)
    lsh = MinHashLSH(threshold=0.8, num_perm=NUM_PERM, params=(b, r))
    order, matched = {}, 0

    def minhash(values):
        return MinHash(num_perm=NUM_PERM, hashvalues=values, scheme="affine32")

    for aid, sig in sigs:
        mh = minhash(sig)
        expected = sorted((h for h in lsh.query(mh) if minhash(dict(sigs)[h]).jaccard(mh) >= 0.8), key=order.get)
        found = ours.earliest_match(aid, sig)
        assert found == (expected[0] if expected else None)
        matched += found is not None
        ours.add(aid, sig)
        lsh.insert(aid, mh)
        order[aid] = len(order)
    assert matched == 20, "the 90% copies are found, the 60% ones are not"


def test_a_kept_story_index_answers_like_the_list_and_keeps_no_trace_of_a_load():
    from transforms.stories import StoryIndex

    earlier = [cand("a", BASE, [AGREE])]
    index = StoryIndex(earlier)
    new = [cand("b", RETELLING, [AGREE]), cand("c", RETELLING, [AGREE])]
    assert assign_stories(new, index) == assign_stories(new, earlier) == {"b": "a", "c": "a"}
    assert len(index) == 1, "the load's candidates went to an overlay, not into the kept index"
    index.add(new[0])
    assert assign_stories([cand("d", RETELLING, [AGREE])], index) == {"d": "a"}


def rule(a, b):
    """The same-story rule as the module states it, written out over whole candidates."""
    from transforms.stories import STORY_COSINE_ALONE, STORY_COSINE_WITH_EVENT, STORY_MAX_DAYS_APART

    def day(v):
        return v.date() if isinstance(v, dt.datetime) else v

    if a.published and b.published and abs((day(a.published) - day(b.published)).days) > STORY_MAX_DAYS_APART:
        return False
    sim = cosine(a.terms, b.terms)
    headline = a.title_key is not None and a.title_key == b.title_key
    return sim >= STORY_COSINE_ALONE or (sim >= STORY_COSINE_WITH_EVENT and (headline or bool(a.events & b.events)))


def test_one_story_rule_each_branch():
    """Each branch of the rule, through same_story and through the index a load uses."""
    from transforms.stories import StoryIndex, same_story

    day = dt.date(2024, 3, 5)
    terms = {"anchovy": 0.6, "quota": 0.8}
    near = {"anchovy": 0.8, "quota": 0.6}  # cosine 0.96: one report
    partly = {"anchovy": 1.0}  # cosine 0.6: needs a headline or an event
    apart = {"trawler": 1.0}  # cosine 0
    assert cosine(terms, near) >= 0.95 and 0.45 <= cosine(terms, partly) < 0.95

    def c(aid, t, events=(), published=day, title=None):
        return StoryCandidate(aid, aid, t, frozenset(events), published, title)

    cases = [
        (c("a", terms), c("b", near), True),  # terms alone
        (c("a", terms), c("b", near, published=day + dt.timedelta(days=4)), False),  # too far apart
        (c("a", terms), c("b", near, published=dt.datetime(2024, 3, 8, 23)), True),  # 3 days: allowed
        (c("a", terms, published=None), c("b", near, published=dt.date(2001, 1, 1)), True),  # undated: no limit
        (c("a", terms), c("b", partly), False),  # topic only
        (c("a", terms, [AGREE]), c("b", partly, [AGREE]), True),  # + shared lead event
        (c("a", terms, [AGREE]), c("b", partly, [("AGREE", "peru", "chile")]), False),  # another event
        (c("a", terms, title="quota deal signed"), c("b", partly, title="quota deal signed"), True),  # + headline
        (c("a", terms, title=None), c("b", partly, title=None), False),  # no headline is no shared headline
        (c("a", terms, [AGREE], title="quota deal"), c("b", apart, [AGREE], title="quota deal"), False),  # no terms
    ]
    for a, b, expected in cases:
        index = StoryIndex([b])
        assert same_story(a, b) == index.same_story(0, index.probe(a)) == rule(a, b) == expected, (a, b)


def test_the_index_decides_like_the_rule_on_every_pair():
    """StoryIndex.same_story reads the columns; it must agree with the rule written out over the rebuilt
    candidates, and assign_stories with a plain scan over every earlier candidate."""
    import random

    from transforms.stories import StoryCandidate, StoryIndex, same_story

    rng = random.Random(3)
    vocab = [f"term{i}" for i in range(60)]
    titles = ["minister visits the border", "talks on the dam resume", None]
    events = [frozenset(), frozenset({("AGREE", "x", "y")}), frozenset({("ACCUSE", "y", "x")})]

    def make(aid):
        words = rng.sample(vocab, rng.randint(5, 40))
        raw = [rng.random() + 0.05 for _ in words]
        norm = sum(v * v for v in raw) ** 0.5
        day = rng.choice([None, dt.date(2024, 5, 1) + dt.timedelta(days=rng.randint(0, 8))])
        published = dt.datetime.combine(day, dt.time(9)) if day and rng.random() < 0.5 else day
        return StoryCandidate(aid, aid, {w: v / norm for w, v in zip(words, raw, strict=True)},
                              rng.choice(events), published, rng.choice(titles))

    earlier = [make(f"e{i}") for i in range(120)]
    new = [make(f"n{i}") for i in range(80)]
    index = StoryIndex(earlier)
    for c in new:
        probe = index.probe(c)
        for i, e in enumerate(earlier):
            assert index.same_story(i, probe) == rule(c, e) == same_story(c, e), (c.article_id, e.article_id)

    def plain(new, earlier, min_shared_terms=4):
        seen, out = list(earlier), {}
        for c in new:
            story = c.story_id
            for e in seen:
                if len(set(c.terms) & set(e.terms)) >= min_shared_terms and e.article_id != c.article_id \
                        and rule(c, e):
                    story = e.story_id
                    break
            out[c.article_id] = story
            seen.append(StoryCandidate(c.article_id, story, c.terms, c.events, c.published, c.title_key))
        return out

    got = assign_stories(new, index)
    assert got == plain(new, earlier)
    assert sum(1 for k, v in got.items() if k != v) > 5, "the random set does group some articles"


def test_copies_differing_in_case_spacing_or_unicode_form_have_one_signature():
    import numpy as np

    assert np.array_equal(minhash_signature("Cafe\u0301  owner\u00a0SAID the bridge would open next spring"),
                          minhash_signature("café owner said the bridge would open next\nspring"))
    assert not np.array_equal(minhash_signature("café owner said the bridge would open next spring"),
                              minhash_signature("cafe owner said the bridge would open next spring"))
