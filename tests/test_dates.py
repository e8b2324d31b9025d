"""resolve_date: news date phrases read against the publication date."""

from datetime import date

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
