"""transforms.articles: metadata from plain text, boilerplate removal, glued-word repair.

Every snippet here is invented for the tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.articles import (
    ParsedArticle,
    detect_language,
    name_vocabulary,
    normalise,
    normalise_unicode,
    normalise_whitespace,
    parse_date,
    parse_html,
    parse_record,
    parse_text,
    repair_glued_words,
)

STORY_1 = (
    "The regional council approved a plan on Monday to rebuild the old river bridge, ending a dispute "
    "that had lasted for almost a decade."
)
STORY_2 = (
    "Engineers said the work would begin in the spring and take about two years, during which a "
    "temporary crossing would carry traffic."
)
STORY_3 = (
    "Shop owners on both banks said they hoped the new bridge would bring back visitors who had stayed away."
)


def article(*paragraphs: str, sep: str = "\n\n") -> str:
    return sep.join(paragraphs)


# --------------------------------------------------------------------------- normalisation


def test_normalise_composes_unicode_and_keeps_curly_quotes() -> None:
    decomposed = "Cafe\u0301 owner said \u201cno\u201d"
    out = normalise_unicode(decomposed)
    assert out == "Café owner said “no”"
    assert len(out) == len("Café owner said “no”")


def test_normalise_drops_invisible_characters_and_decodes_entities() -> None:
    assert normalise_unicode("co\u00adoperate\u200b now &amp; then &#163;5") == "cooperate now & then £5"


def test_normalise_whitespace_collapses_spaces_and_blank_lines() -> None:
    text = "  First\u00a0 line\t here \r\n\r\n\r\n\r\nSecond   line  "
    assert normalise(text) == "First line here\n\nSecond line"
    assert normalise_whitespace("a  b\n\n\n\nc") == "a b\n\nc"


# --------------------------------------------------------------------------- dates


def test_record_dates_are_read_by_the_one_date_grammar() -> None:
    from transforms import dates

    assert parse_date is dates.parse_date  # tests/test_dates.py holds its cases
    rec = parse_record({"text": STORY_1, "published": "2024-01-01T10:00:00+05:00"})
    assert rec.published_at == dt.datetime(2024, 1, 1, 5, 0), "an offset-aware time is stored in UTC"
    assert parse_record({"text": STORY_1, "published": "2024-01-01T10:00:00"}).published_at == dt.datetime(
        2024, 1, 1, 10, 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-04", dt.date(2021, 3, 4)),
        ("2021-03-04T22:15:00Z", dt.datetime(2021, 3, 4, 22, 15)),
        ("2021-03-04T22:15:00-05:00", dt.datetime(2021, 3, 5, 3, 15)),  # stored in UTC, as every time is
        ("2024-01-01T10:00:00+05:00", dt.datetime(2024, 1, 1, 5, 0)),
        ("0001-01-01T00:00:00+05:00", dt.datetime(1, 1, 1, 0, 0)),  # in UTC it would be year 0: as written
        ("Thursday, March 4, 2021", dt.date(2021, 3, 4)),
        ("4 March 2021", dt.date(2021, 3, 4)),
        ("Sept. 9, 2019 3:05 pm", dt.datetime(2019, 9, 9, 15, 5)),
        ("March 2021", None),
        ("February 30, 2021", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


# --------------------------------------------------------------------------- metadata from text


def test_full_header_masthead_headline_dateline_byline_and_copyright() -> None:
    text = article(
        "RiverLedger",
        "Council Backs New Bridge: \u201cA Crossing for Everyone\u201d",
        "Tuesday, March 9, 2021 by Maria Ostrander",
        "Council Backs New Bridge: \u201cA Crossing for Everyone\u201d",
        "Engineers at the old bridge (second from left) - Image by \u00a9 Riverside Archive",
        STORY_1,
        STORY_2,
        "\u00a9 RiverLedger 2021",
    )
    a = parse_text(text)
    assert a.title == "Council Backs New Bridge: “A Crossing for Everyone”"
    assert a.published_at == dt.date(2021, 3, 9)
    assert a.author == "Maria Ostrander"
    assert a.publisher == "RiverLedger"
    assert a.body == article(STORY_1, STORY_2)
    assert a.language == "en"


def test_short_first_line_is_the_title_and_its_repeat_goes() -> None:
    title = "Regional council approves plan to rebuild river bridge"
    a = parse_text(article(title, STORY_1, title, STORY_2))
    assert a.title == title
    assert title not in a.body
    assert a.body == article(STORY_1, STORY_2)
    assert (a.published_at, a.author, a.publisher) == (None, None, None)


@pytest.mark.parametrize("row", ["4. Maria Lopez ( Spain ) 11.52", "KT 3 SK 1",
                                 "Anna Berg ( Norway ) beat Eva Lind ( Sweden ) 6-3 4-6 7-5 6-2"])
def test_a_row_of_results_is_not_a_title(row: str) -> None:
    a = parse_text(article(row, STORY_1, sep="\n"))
    assert a.title is None
    assert a.body.startswith(row)


@pytest.mark.parametrize("title", ["Chinese exports rise 25% in 2004", "G8 leaders meet in 2005"])
def test_a_headline_with_figures_is_a_title(title: str) -> None:
    assert parse_text(article(title, STORY_1, sep="\n")).title == title


def test_long_first_sentence_is_not_a_title() -> None:
    a = parse_text(article(STORY_1, STORY_2, sep="\n"))
    assert a.title is None
    assert a.body.startswith(STORY_1)


def test_short_sentence_with_full_stop_is_not_a_title() -> None:
    a = parse_text(article("The bridge will be rebuilt.", STORY_1))
    assert a.title is None
    assert a.body.startswith("The bridge will be rebuilt.")


def test_lede_repeated_later_is_not_a_title_and_is_kept_once() -> None:
    lede = "The regional council approved a plan on Monday to rebuild the old river bridge."
    later = lede + " The vote was eleven to four after a long debate."
    a = parse_text(article(lede, STORY_2, later, STORY_3, sep="\n"))
    assert a.title is None
    assert a.body.count(lede) == 1
    assert later in a.body and STORY_2 in a.body


def test_glued_date_header_is_read_and_removed() -> None:
    a = parse_text(" date 2022-11-30 " + STORY_1 + "\n\n" + STORY_2)
    assert a.published_at == dt.date(2022, 11, 30)
    assert a.body.startswith("The regional council approved")
    assert "2022-11-30" not in a.body


def test_key_value_header_fields() -> None:
    text = article(
        "Title: Bridge plan approved",
        "Author: Tomas Brevik",
        "Published: 2020-06-01 08:30",
        "Source: Valley Courier",
        STORY_1,
    )
    a = parse_text(text)
    assert a.title == "Bridge plan approved"
    assert a.author == "Tomas Brevik"
    assert a.published_at == dt.datetime(2020, 6, 1, 8, 30)
    assert a.publisher == "Valley Courier"
    assert a.body == STORY_1


def test_byline_line_with_role() -> None:
    a = parse_text(article("Bridge plan approved", "By Ines Halvorsen, Staff Writer", STORY_1))
    assert a.author == "Ines Halvorsen"
    assert "Staff Writer" not in a.body


def test_title_case_headline_with_abbreviation_is_a_title() -> None:
    a = parse_text(article("U.S. Envoy Visits Lowton Bridge Site", STORY_1))
    assert a.title == "U.S. Envoy Visits Lowton Bridge Site"


def test_byline_after_standfirst_and_sentences_starting_with_by_are_not_bylines() -> None:
    standfirst = "The vote ends a decade of argument over the crossing, which floods every winter."
    by_sentence = "By Monday, the council had voted to go ahead"
    a = parse_text(article("Bridge plan approved", standfirst, "By JONAS EKLUND", by_sentence, STORY_2))
    assert a.author == "Jonas Eklund"
    assert a.body == article(standfirst, by_sentence, STORY_2)
    b = parse_text(article("Bridge plan approved", "By Monday, the council had voted", STORY_2))
    assert b.author is None


def test_byline_and_date_on_one_line_with_separators() -> None:
    a = parse_text(
        article("Bridge plan approved", "By Ines Halvorsen | 14 February 2023, 09:12 GMT", STORY_1)
    )
    assert a.author == "Ines Halvorsen"
    assert a.published_at == dt.datetime(2023, 2, 14, 9, 12)
    assert a.body == STORY_1


@pytest.mark.parametrize(("line", "expected"), [
    ("Published: Mon., 27th of March, 2023 | By Jane Doe", dt.date(2023, 3, 27)),
    ("Sept. 9 , 2019 at 3:05 p.m. | By Jane Doe", dt.datetime(2019, 9, 9, 15, 5)),
])
def test_datelines_are_read_by_the_date_grammar(line: str, expected: dt.date) -> None:
    a = parse_text(article("Bridge plan approved", line, STORY_1))
    assert (a.published_at, a.author, a.body) == (expected, "Jane Doe", STORY_1)


def test_a_byline_never_opens_with_a_calendar_word() -> None:
    for word in ("Monday", "March", "Tonight", "Yesterday"):
        a = parse_text(article("Bridge plan approved", f"By {word} Evening Council", STORY_1))
        assert a.author is None, word
    assert parse_text(article("Bridge plan approved", "By Sun Li", STORY_1)).author == "Sun Li"


def test_standfirst_repeated_by_the_lede_after_a_wire_dateline_is_kept_once() -> None:
    standfirst = "Dock workers stayed off the job for a fifth day on Friday."
    lede = "PORTVILLE (AP) — Dock workers stayed off the job for a fifth day on Friday, as talks broke down."
    a = parse_text(article("Port strike goes on", standfirst, lede, STORY_2))
    assert a.body == article(lede.split("— ", 1)[1], STORY_2)


def test_dates_in_story_or_caption_are_never_the_publication_date() -> None:
    text = article(
        "Bridge plan approved",
        "Workers inspect the old bridge in Lowton, March 3, 2019. Photo by Ana Ruiz/Reuters (ARCHIVE /)",
        "On March 3, 2019, the council first discussed the bridge, and on 5 May 2020 it voted to repair it.",
        STORY_2,
    )
    a = parse_text(text)
    assert a.published_at is None
    assert "Photo by" not in a.body
    assert "On March 3, 2019, the council first discussed the bridge" in a.body


def test_updated_line_is_removed_but_not_taken_as_publication_date() -> None:
    a = parse_text(article("Bridge plan approved", "Updated: 2021-05-05", STORY_1))
    assert a.published_at is None
    assert a.body == STORY_1


def test_nothing_said_stays_null() -> None:
    a = parse_text(article(STORY_1, STORY_2, STORY_3))
    assert (a.title, a.published_at, a.author, a.publisher) == (None, None, None, None)


# --------------------------------------------------------------------------- boilerplate


def test_captions_with_agency_credits_go_story_paragraphs_about_photos_stay() -> None:
    photo_story = (
        "A photograph of the flooded bridge, taken by a resident in 2019, was shown to councillors "
        "before the vote."
    )
    text = article(
        "Bridge plan approved",
        "Councillors leave the town hall (AFP)",
        "Councillors leave the town hall (AFP) (Town Press /)",
        STORY_1,
        photo_story,
        "The mayor said the vote was historic. (EFE)",
    )
    a = parse_text(text)
    assert "Councillors leave the town hall" not in a.body
    assert photo_story in a.body
    assert "The mayor said the vote was historic." in a.body


def test_keep_reading_list_goes_and_story_after_it_stays() -> None:
    text = article(
        STORY_1,
        "Keep reading:",
        "Five bridges that changed their towns",
        "Why ferry prices rose again this winter",
        "Mayor on the bridge vote: \u201cWe waited long enough\u201d",
        STORY_3,
    )
    a = parse_text(text)
    assert "Keep reading" not in a.body
    assert "Five bridges" not in a.body and "ferry prices" not in a.body and "waited long" not in a.body
    assert a.body == article(STORY_1, STORY_3)


def test_link_list_at_the_end_may_hold_headlines_with_full_stops() -> None:
    text = article(STORY_1, STORY_2, "Read more:", "Ferry fares rise again.", "Town plans new cycle lanes.")
    assert parse_text(text).body == article(STORY_1, STORY_2)


def test_promo_lines_counters_share_prompts_and_credits_go() -> None:
    text = article(
        STORY_1,
        "*Read also: Ferry operator cuts winter timetable",
        "Related: Town plans new cycle lanes",
        STORY_2,
        "Share this article",
        "Post Views: 1,482",
        "2.3K views",
        "(With information from AFP)",
        "Advertisement",
        STORY_3,
        "Copyright 2021 Valley Courier. All rights reserved.",
    )
    a = parse_text(text)
    assert a.body == article(STORY_1, STORY_2, STORY_3)
    assert a.publisher == "Valley Courier"


def test_sentence_starting_with_copyright_is_kept() -> None:
    sentence = "Copyright law has changed a great deal since the council first published its plans in print."
    a = parse_text(article(STORY_1, sentence))
    assert sentence in a.body
    assert a.publisher is None


def test_wire_dateline_prefix_is_removed() -> None:
    a = parse_text("LOWTON, Westshire (Reuters) - " + STORY_1)
    assert a.body == STORY_1
    b = parse_text("Lowton, March 9 (EFE).- " + STORY_1)
    assert b.body == STORY_1
    c = parse_text("NASA - the agency said it would look again at the bridge design next year.")
    assert c.body.startswith("NASA - the agency")


def test_hard_wrapped_paragraph_is_joined() -> None:
    a = parse_text(
        "The council approved a plan on Monday to rebuild the\nold river bridge after years of debate."
    )
    assert (
        a.body
        == "The council approved a plan on Monday to rebuild the old river bridge after years of debate."
    )


# --------------------------------------------------------------------------- language


def test_language() -> None:
    assert detect_language(STORY_1) == "en"
    assert (
        detect_language("El consejo regional aprobó el lunes un plan para reconstruir el viejo puente.")
        == "es"
    )
    assert detect_language("Bridge plan") is None
    assert parse_text("Short text here").language is None


def test_language_is_told_by_the_prose_not_by_a_table_of_names() -> None:
    table = "\n".join(f"{i}. {name} ( Nigeria ) 5{i}.31" for i, name in
                      enumerate(["Ade Okoro", "Bisi Alabi", "Chidi Eze", "Dayo Ojo", "Emeka Nwosu", "Funmi Bello",
                                 "Gbenga Ade", "Hauwa Musa", "Ibe Obi", "Jide Sowore", "Kemi Ayo", "Lola Uche"]))
    assert detect_language(table) is None  # names and figures tell no language: the model reads it
    assert detect_language(table + "\n" + STORY_1) == "en"


def test_plain_english_skips_the_classifier_only_where_it_would_say_english() -> None:
    from transforms.articles.language import LANGUAGE_SAMPLE_CHARS, _identifier, _obviously_english

    english = " ".join([STORY_1, STORY_2, STORY_3])[:LANGUAGE_SAMPLE_CHARS]
    assert _obviously_english(english)
    assert _identifier().classify(english)[0] == "en"
    assert detect_language(english) == "en"
    half_spanish = (STORY_1 + " El consejo regional aprobó el lunes un plan para reconstruir el viejo puente "
                    "del río, poniendo fin a una disputa que había durado casi una década.")
    pidgin = ("Di council don approve plan on Monday to rebuild di old bridge for di river, wey end one wahala "
              "wey don last almost ten years. Di mayor talk say di work go start for rainy season.")
    polish = (STORY_1 + " Rada regionalna zatwierdziła w poniedziałek plan odbudowy starego mostu, kończąc spór, "
              "który trwał prawie dekadę.")
    for text in (half_spanish, pidgin, polish, "Bridge plan approved by the council at last"):
        assert not _obviously_english(text[:LANGUAGE_SAMPLE_CHARS]), text


# --------------------------------------------------------------------------- glued words


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        (
            "the People's Front (PFX)who leads the coalition",
            "the People's Front (PFX) who leads the coalition",
        ),
        (
            "talks with premier Mao Zhenpingfor the second time",
            "talks with premier Mao Zhenping for the second time",
        ),
        ("deputy minister Tomas Pena indicated", "deputy minister Tomas Pena indicated"),
        (
            "the minister, Rauno Penaindicated, in a statement",
            "the minister, Rauno Pena indicated, in a statement",
        ),
        ("more than 100 staff in the last yearaccording to two people", None),
        ("the central purpose ofLabour policy", "the central purpose of Labour policy"),
    ],
)
def test_repair_splits_clear_glue(glued: str, fixed: str | None) -> None:
    expected = fixed if fixed is not None else glued.replace("yearaccording", "year according")
    assert repair_glued_words(glued) == expected


def test_repair_uses_names_known_to_the_corpus() -> None:
    text = "the vice president, marta velasquezmet with the envoy"
    assert repair_glued_words(text) == text  # "velasquez" is not known: left alone
    names = name_vocabulary(["Talks were led by Marta Velasquez on Friday."])
    assert "velasquez" in names
    assert repair_glued_words(text, names) == "the vice president, marta velasquez met with the envoy"
    assert (
        repair_glued_words(text, {"Marta Velásquez"})
        == "the vice president, marta velasquez met with the envoy"
    )


@pytest.mark.parametrize(
    "clean",
    [
        "They worked together with another team, Reuters reported.",
        "Shares in Bloomvale rose. Bloomvale said its Bloomvale Plus service grew.",  # repeated: a real name
        "Visit bridgeforall.org or write to info@bridgeforall.org today.",
        "Each (s)he must sign the form.",
        "Director Annika Lindqvistson Berg spoke.",  # capitalised word follows: inside a name
        "The carmaking and filmmaking industries lobbied the council.",
        "The town's outjumped rivals complained.",
        "Fans bought the song on iTunes and eBay.",
        "",
    ],
)
def test_repair_leaves_clean_text_alone(clean: str) -> None:
    assert repair_glued_words(clean) == clean


def test_repair_is_idempotent_and_only_inserts_spaces() -> None:
    text = "The envoy Mao Zhenpingfor years, the group (PFX)who met last yearaccording to aides."
    once = repair_glued_words(text)
    assert repair_glued_words(once) == once
    assert once.replace(" ", "") == text.replace(" ", "")
    assert once != text


def test_non_english_text_is_not_repaired() -> None:
    text = "El consejo regional aprobó el lunes un plan para reconstruir el puente, dijo Zhenpingfor."
    assert parse_text(text).body == text


def test_source_credit_inside_the_story_is_dropped_but_names_no_publisher() -> None:
    a = parse_text(article(STORY_1, "Source: regional council budget papers", STORY_2))
    assert a.publisher is None
    assert a.body == article(STORY_1, STORY_2)


def test_parse_text_body_is_the_repaired_text() -> None:
    a = parse_text(
        article("Envoy visits capital", "The envoy met premier Mao Zhenpingfor talks on trade and shipping.")
    )
    assert "Mao Zhenping for talks" in a.body


# --------------------------------------------------------------------------- records and HTML


def test_record_fields_win_and_missing_ones_come_from_text() -> None:
    text = article("Bridge plan approved", "By Ines Halvorsen", STORY_1, "\u00a9 Valley Courier 2021")
    a = parse_record(
        {"text": text, "title": "Council says yes to bridge", "published": "2021-04-02T10:00:00Z"}
    )
    assert a.title == "Council says yes to bridge"
    assert a.published_at == dt.datetime(2021, 4, 2, 10, 0)
    assert a.author == "Ines Halvorsen"
    assert a.publisher == "Valley Courier"
    assert a.body == STORY_1


def test_record_title_repeated_at_top_of_text_is_removed() -> None:
    a = parse_record(
        {"text": article("Council says yes to bridge", STORY_1), "title": "Council says yes to bridge"}
    )
    assert a.body == STORY_1


def test_record_with_bad_or_empty_fields_falls_back_to_text() -> None:
    text = article("Bridge plan approved", "March 9, 2021", STORY_1)
    a = parse_record({"text": text, "published": "not a date", "author": "", "url": "https://example.org/x"})
    assert a.published_at == dt.date(2021, 3, 9)
    assert a.author is None
    assert a.title == "Bridge plan approved"


PAGE = """<html><head><title>Ferry terminal opens | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta name="author" content="Mara Quill">
<meta property="article:published_time" content="2022-05-17T08:30:00+02:00">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry terminal opens</h1>
<p>The harbour town of Westerby opened its new ferry terminal on Tuesday after years of building work.</p>
<p>The mayor told a crowd of several hundred people that crossings to the islands would double.</p>
<p>Local traders welcomed the opening but warned that parking near the quay remained a problem.</p>
<p>Read also: Council approves new budget for coastal roads</p>
<p>Post Views: 1,204</p>
</article><footer>&copy; 2022 The Harbour Gazette. All rights reserved.</footer></body></html>"""


def test_parse_html_extracts_metadata_and_clean_body() -> None:
    a = parse_html(PAGE, url="https://example.org/news/ferry")
    assert isinstance(a, ParsedArticle)
    assert a.title == "Ferry terminal opens"
    assert a.published_at == dt.date(2022, 5, 17)
    assert a.author == "Mara Quill"
    assert a.publisher == "The Harbour Gazette"
    assert a.body.startswith("The harbour town of Westerby opened")
    assert "Read also" not in a.body and "Post Views" not in a.body and "Home" not in a.body


def test_parse_html_without_article_text_is_none() -> None:
    assert parse_html("<html><body><nav><a href='/'>Home</a></nav></body></html>") is None
    assert parse_html("") is None


# --------------------------------------------------------------------------- shortcuts that must not change results


def test_english_zipf_is_wordfreqs_value() -> None:
    from wordfreq import get_frequency_list, zipf_frequency

    from transforms.articles import english_zipf

    listed = [w for bucket in get_frequency_list("en") for w in bucket]
    unlisted = ["qzxvbnt", "rodriguezmet", "yearaccording", "zhenpingfor", "bridgeforall"]
    other = ["year-old", "it's", "it’s", "Reuters", "café", "São", "x²", "", "MAKING"]
    for word in listed[::97] + unlisted + other:
        assert english_zipf(word) == zipf_frequency(word, "en"), word


def test_no_word_below_the_compound_cutoff_is_frequent_enough_to_count() -> None:
    from wordfreq import cB_to_zipf, get_frequency_list, zipf_frequency

    from transforms.articles.repair import COMPOUND_MIN_ZIPF

    buckets = get_frequency_list("en")
    cut = next(i for i in range(len(buckets)) if cB_to_zipf(-i) < COMPOUND_MIN_ZIPF - 0.005)
    beyond = [w for bucket in buckets[cut:] for w in bucket if w.isalpha()]
    sample = [w for w in beyond if not (w.isascii() and w.islower())] + beyond[::53]
    assert all(zipf_frequency(w, "en") < COMPOUND_MIN_ZIPF for w in sample)


def test_compound_heads_are_those_a_scan_of_the_whole_wordlist_finds() -> None:
    from wordfreq import iter_wordlist

    from transforms.articles.repair import _heads_compounds, english_zipf

    words = [w for w in iter_wordlist("en") if w.isalpha()]

    def scan(word: str) -> bool:
        n = len(word)
        return sum(
            1 for w in words
            if w.endswith(word) and len(w) - n >= 3 and english_zipf(w[:-n]) >= 3.0 and english_zipf(w) >= 2.0
        ) >= 3

    for word in ["making", "shot", "weight", "according", "met", "who", "for", "indicated", "ship", "work", "ng"]:
        assert _heads_compounds(word) == scan(word), word


def test_rules_opening_with_a_word_boundary_still_need_it() -> None:
    import re

    from transforms.articles.rules import compile_rule

    rule = compile_rule(r"\bPhoto ?credit\b", 0)
    assert rule.search("Photo credit: Ana Ruiz") and rule.search("(Photocredit) the mayor")
    assert rule.search("TelePhoto credit") is None  # the quick pattern matches, the boundary does not
    assert rule.search("Telephoto") is None
    assert isinstance(compile_rule(r"^Photo\b", 0), re.Pattern)


def test_repair_finds_glued_words_at_either_end_of_the_text() -> None:
    assert repair_glued_words("Zhenpingfor the second time") == "Zhenpingfor the second time"  # no name before
    assert repair_glued_words("premier Mao Zhenpingfor") == "premier Mao Zhenping for"
    assert repair_glued_words("(PFX)who") == "(PFX) who"


def test_a_date_header_under_the_headline_is_not_glued_to_it():
    """A lowercase "date YYYY-MM-DD" line after a headline is a header field, not the headline's wrapped tail."""
    from transforms.articles import parse_text

    text = ("Ministers agree on river treaty after long talks\n"
            "date 2025-02-11\n"
            "The two ministers signed the treaty in the capital on Tuesday after a week of talks.\n\n"
            "Officials said the text would go to both parliaments next month for approval.\n")
    parsed = parse_text(text)
    assert parsed.title == "Ministers agree on river treaty after long talks"
    assert str(parsed.published_at)[:10] == "2025-02-11"
    assert "2025-02-11" not in parsed.body and parsed.body.startswith("The two ministers")
