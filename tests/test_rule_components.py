"""The attribute ruler and lemmatizer over arrays give spaCy's own values (transforms/rule_components.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from transforms.nlp import load_model
from transforms.rule_components import ArrayAttributeRuler, CachedLemmatizer, Unsupported, compile_rules

# every kind of rule in the model's attribute ruler: tag rules, words with tags, pronouns by their
# dependency, two-word rules ("gonna", "let's", "y'all", "ain't"), regular expressions ("nothin'"),
# auxiliaries and copulas after an expletive, and whitespace tokens
TEXTS = [
    "I told you it was gonna rain, y'all. Let's go, c'mon!",
    "He ain't nothin' like her, but he gets it and she got ta leave.",
    "There is a problem and there were two.  Did you do it? We have had enough of it.",
    "They gave it to me.\n\n  The minister, who had resigned, said the talks would resume on Monday.",
    "WHAT IS IT? Ana Costa met the Tarrow delegation in Lisbon; nobody knew whether they'd agree.",
]


def _arrays(nlp, texts):
    return [doc.to_array([TAG, POS, MORPH, LEMMA, DEP, HEAD]).tolist() for doc in nlp.pipe(texts)]


def test_the_array_components_replace_spacys_and_give_the_same_values():
    array, stock = load_model(array_rules=True), load_model(array_rules=False)
    assert isinstance(array.get_pipe("attribute_ruler"), ArrayAttributeRuler)
    assert isinstance(array.get_pipe("lemmatizer"), CachedLemmatizer)
    assert not isinstance(stock.get_pipe("attribute_ruler"), ArrayAttributeRuler)
    assert array.pipe_names == stock.pipe_names
    want = _arrays(stock, TEXTS)
    assert _arrays(array, TEXTS) == want
    assert _arrays(array, TEXTS) == want  # again, from the lemma cache
    docs = list(array.pipe(TEXTS[:2]))
    assert [t.lemma_ for t in docs[0] if t.lower_ in ("gon", "na", "'s")] == ["go", "to", "us"]
    assert {t.lemma_ for t in docs[1] if t.lower_ == "nothin'"} == {"nothing"}


def test_a_rule_the_masks_cannot_read_keeps_spacys_component():
    def ruler(pattern):
        return SimpleNamespace(patterns=[{"patterns": [pattern], "attrs": {}, "index": 0}], attrs=[{}], indices=[0])

    assert compile_rules(ruler([{"LOWER": "a"}, {"TAG": {"IN": ["NN"]}}]))
    for pattern in ([{"LOWER": "a", "OP": "+"}], [{"SHAPE": "Xx"}], [{"TAG": {"REGEX": "^N"}}],
                    [{"LOWER": {">=": 3}}]):
        with pytest.raises(Unsupported):
            compile_rules(ruler(pattern))
