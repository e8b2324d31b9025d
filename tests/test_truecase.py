"""Truecasing of all-capital lines: same length, names kept as names, everyday words lowered."""

from __future__ import annotations

import pytest

from transforms.truecase import caps_lines, truecase


def test_all_capital_lines_take_their_likely_case_and_keep_their_length():
    text = ("SOCCER - JAPAN GET LUCKY WIN , MILLER SAYS EU DEAL NEAR\n"
            "Japan began the defence of their title with a lucky win on Friday.")
    out = truecase(text)
    assert len(out) == len(text)
    first = out.split("\n")[0]
    assert first.startswith("Soccer - Japan get lucky win")  # seen in the text / everyday / a country
    assert "EU" in first  # an acronym the alias file knows stays in capitals
    assert out.split("\n")[1] == text.split("\n")[1]  # other lines are untouched


def test_lines_in_mixed_case_are_left_alone():
    text = "The UN and NATO met in Brussels.\nUS officials said so."
    assert caps_lines(text) == []
    assert truecase(text) is text


@pytest.mark.slow
def test_a_truecased_doc_keeps_the_original_words(nlp):
    from transforms.nlp import parse_texts

    text = "ELECTION - BLAIR WINS THIRD TERM\nTony Blair won a third term on Thursday."
    doc = next(parse_texts(nlp, [text]))
    assert doc.text == text
    assert [t.text for t in doc][:3] == ["ELECTION", "-", "BLAIR"]
    wins = doc[3]
    assert wins.text == "WINS" and wins.lemma_ == "win" and wins.pos_ == "VERB"  # read as "wins"
