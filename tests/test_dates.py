"""resolve_date: news date phrases read against the publication date."""

from datetime import date, datetime

import pytest

from transforms.dates import resolve_date

PUB = date(2023, 8, 9)  # a Wednesday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Monday (7)", (date(2023, 8, 7), "day")),
        ("on Friday (28)", (date(2023, 7, 28), "day")),  # the 28th is still to come in August: July
        ("Monday", (date(2023, 8, 7), "day")),
        ("Wednesday", (date(2023, 8, 9), "day")),
        ("next Monday", (date(2023, 8, 14), "day")),
        ("On April 18", (date(2023, 4, 18), "day")),
        ("18 April", (date(2023, 4, 18), "day")),
        ("last March", (date(2023, 3, 1), "month")),
        ("in early January", (date(2023, 1, 1), "month")),
        ("mid-December", (date(2022, 12, 1), "month")),
        ("next March", (date(2024, 3, 1), "month")),
        ("in 2007", (date(2007, 1, 1), "year")),
        ("May 2018", (date(2018, 5, 1), "month")),
        ("March 27, 2023", (date(2023, 3, 27), "day")),
        ("27 March 2023", (date(2023, 3, 27), "day")),
        ("2023-03-27", (date(2023, 3, 27), "day")),
        ("yesterday", (date(2023, 8, 8), "day")),
        ("three days ago", (date(2023, 8, 6), "day")),
        ("last year", (date(2022, 1, 1), "year")),
        ("this month", (date(2023, 8, 1), "month")),
    ],
)
def test_resolves_against_publication(phrase, expected):
    assert resolve_date(phrase, PUB) == expected


@pytest.mark.parametrize("phrase", ["Monday (7)", "On April 18", "last March", "yesterday", "January 3"])
def test_relative_phrases_need_a_publication_date(phrase):
    assert resolve_date(phrase, None) == (None, None)


@pytest.mark.parametrize(("phrase", "expected"), [
    ("in 2007", (date(2007, 1, 1), "year")),
    ("August 2017", (date(2017, 8, 1), "month")),
    ("March 27, 2023", (date(2023, 3, 27), "day")),
])
def test_absolute_phrases_need_none(phrase, expected):
    assert resolve_date(phrase, None) == expected


@pytest.mark.parametrize("phrase", ["the 1990s", "recent weeks", "a decade", "for years", "", "the month of"])
def test_unresolvable_is_null(phrase):
    assert resolve_date(phrase, PUB) == (None, None)


def test_day_and_month_far_ahead_of_publication_is_last_year():
    assert resolve_date("December 28", date(2024, 1, 5)) == (date(2023, 12, 28), "day")
    assert resolve_date("January 3", date(2024, 1, 5)) == (date(2024, 1, 3), "day")


def test_words_containing_month_names_are_not_months():
    assert resolve_date("decades of marching", PUB) == (None, None)


def test_far_back_ago_is_null_not_an_error():
    assert resolve_date("3000 years ago", PUB) == (None, None)
    assert resolve_date("99999999999 days ago", PUB) == (None, None)
    assert resolve_date("2 years ago", PUB) == (date(2021, 1, 1), "year")


# --------------------------------------------------------------------------- one grammar, two readers


@pytest.mark.parametrize("text", ["March 27, 2023", "Mar. 27 2023", "27 March 2023", "27th of March, 2023",
                                  "Monday, March 27, 2023", "2023-03-27"])
def test_a_header_and_a_sentence_read_a_full_date_alike(text):
    """The header reader (match_date) and the sentence reader (resolve_date) share the forms."""
    from transforms.dates import match_date

    assert match_date(text).value == date(2023, 3, 27)
    assert resolve_date(text, None) == (date(2023, 3, 27), "day")


def test_every_calendar_word_of_the_lexicon_reads_in_both():
    from transforms.dates import match_date
    from transforms.lexicon import lexicon

    cal = lexicon().calendar
    assert len(cal.months) == 24 and len(cal.weekdays) == 14  # names, abbreviations and "sept"
    for word, month in cal.months.items():
        expected = date(2024, month, 5)
        assert match_date(f"{word.title()} 5, 2024").value == expected, word
        assert resolve_date(f"on {word} 5, 2024", None) == (expected, "day"), word
    for word, weekday in cal.weekdays.items():
        assert match_date(f"{word.title()}, 5 March 2024 10:30").value == datetime(2024, 3, 5, 10, 30), word
        got, precision = resolve_date(f"on {word}", PUB)
        assert precision == "day" and got.weekday() == weekday and 0 <= (PUB - got).days < 7, word


def test_a_number_after_a_day_and_month_is_a_year_only_when_it_can_be_one():
    """"March 3, 1500 protesters": 1500 is a count; a header holds no such date either."""
    from transforms.dates import match_date

    assert resolve_date("on March 3, 1500 protesters", PUB) == (date(2023, 3, 3), "day")
    assert resolve_date("on March 3, 1999", PUB) == (date(1999, 3, 3), "day")
    assert match_date("March 3, 1500 protesters") is None
    assert match_date("March 3, 1999 protesters").value == date(1999, 3, 3)


def test_a_header_date_ends_where_its_time_ends():
    from transforms.dates import match_date

    text = "Wednesday, July 24, 2024, 3:05 pm (GMT) | By Jane Doe"
    found = match_date(text)
    assert found.value == datetime(2024, 7, 24, 15, 5)
    assert text[found.end:] == " | By Jane Doe"
    assert match_date("February 30, 2021").value is None  # the form, but no such day
    assert match_date("The council met on July 24, 2024") is None  # only a date that opens the text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-04", date(2021, 3, 4)),
        ("2021-03-04T22:15:00", datetime(2021, 3, 4, 22, 15)),  # naive: kept as written
        ("2021-03-04T22:15:00Z", datetime(2021, 3, 4, 22, 15)),
        ("2021-03-04T22:15:00-05:00", datetime(2021, 3, 5, 3, 15)),  # an offset: converted to UTC
        ("2024-01-01T10:00:00+05:00", datetime(2024, 1, 1, 5, 0)),
        ("Thursday, March 4, 2021", date(2021, 3, 4)),
        ("4 March 2021", date(2021, 3, 4)),
        ("Sept. 9, 2019 3:05 pm", datetime(2019, 9, 9, 15, 5)),
        ("March 2021", None),
        ("February 30, 2021", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    from transforms.dates import parse_date

    assert parse_date(value) == expected
