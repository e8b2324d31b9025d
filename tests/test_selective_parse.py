"""Selective parsing (opt-in): the parser only where a rule reads it, the same NER and offsets everywhere."""

from __future__ import annotations

import pytest

from transforms.nlp import load_model, parse_texts
from transforms.parse_selection import is_mark, sentence_selector

TEXT = ("The committee room is small and painted green.\n\n"
        "Ana Costa said the plan would fail.\n\n"
        "The weather in Lisbon was mild and the streets were quiet.\n\n"
        "\"We will not give up,\" the minister told reporters.")


@pytest.fixture(scope="module")
def selective():
    return load_model(selective=True)


def test_the_selector_reads_the_rules_lexicons():
    sel = sentence_selector({"said": ["say"], "met": ["meet"]}, [("s", "")])
    assert sel.wants(["ana", "costa", "said", "the", "plan", "would", "fail", "."])  # a reporting verb, by its lemma
    assert sel.wants(["the", "leaders", "met", "in", "paris", "."])  # an event trigger
    assert sel.wants(['"', "no", '"'])  # a quotation mark
    assert not sel.wants(["the", "weather", "in", "lisbon", "was", "mild", "."])
    assert not is_mark("'s") and is_mark("'") and is_mark("“")


def test_only_cue_sentences_are_parsed_and_the_rest_keeps_ner_and_boundaries(selective):
    full = load_model(selective=False)
    doc = next(parse_texts(selective, [TEXT]))
    whole = next(parse_texts(full, [TEXT]))
    assert doc.text == TEXT
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        [(e.start_char, e.end_char, e.label_) for e in whole.ents]  # the NER reads every sentence alike
    parsed = {s.text.strip(): bool(s[0].tag_) for s in doc.sents if s.text.strip()}
    assert len(parsed) == 4  # a paragraph break ends a sentence
    assert parsed["Ana Costa said the plan would fail."]
    assert parsed["The weather in Lisbon was mild and the streets were quiet."] is False
    said = next(t for t in doc if t.text == "said")
    assert said.lemma_ == "say" and said.dep_ == "ROOT" and said.head == said
    assert next(t for t in doc if t.text == "Costa").dep_ == "nsubj"
    for s in doc.sents:  # every sentence one tree: its root inside it, every head inside it
        assert all(s.start <= t.head.i < s.end for t in s)
