"""The NLP frames of one load reference only entities the load itself carries (or earlier loads hold)."""

from __future__ import annotations

import pytest

from transforms import pipeline
from transforms.ingest import RawRecord

pytestmark = pytest.mark.slow

TEXT = (
    "Rome rejects new fishing quotas\n\n"
    "Both the Italian government and the fishing unions said on Monday that the new quotas would ruin "
    "small harbours along the coast.\n\n"
    "\u201cWe will not accept these terms,\u201d the Italian government said in a statement. Officials in "
    "Brussels declined to comment on the dispute.\n"
)


def test_quote_speakers_resolved_to_a_country_bring_the_country_entity(nlp):
    articles, rejected = pipeline.build_articles([RawRecord("mem://quotas.txt", "txt", TEXT)])
    assert not rejected
    frames = pipeline.annotate(articles, nlp)
    speakers = {s for s in frames["quotes"]["speaker_entity_id"].to_list() if s}
    assert speakers, "the government quote has a resolved speaker"
    carried = set(frames["entities"]["entity_id"].to_list())
    assert speakers <= carried, speakers - carried
    referenced = set(frames["entity_mentions"]["entity_id"].to_list())
    for col in ("actor_entity_id", "recipient_entity_id", "location_entity_id"):
        referenced |= {e for e in frames["events"][col].to_list() if e}
    assert referenced <= carried


def test_word_budget_batches_keep_order_and_bound_words():
    texts = ["a " * 100, "b " * 5000, "c " * 2000, "d " * 9000, "e " * 10, "f " * 10, "g " * 10]
    groups = list(pipeline.word_budget_batches(texts, batch_size=2, budget=6000))
    assert [t for g in groups for t in g] == texts
    assert all(len(g) <= 2 for g in groups)
    assert all(sum(t.count(" ") + 1 for t in g) <= 6000 or len(g) == 1 for g in groups)
    assert [len(g) for g in groups] == [2, 1, 1, 2, 1]
