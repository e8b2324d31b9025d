"""The lines of a cricket scorecard, from the ways out in `data/scorecards.yaml`: a batting line is a
row of a table (no title), and the names in it are people."""

from __future__ import annotations

import re
from functools import cache

from transforms.lexicon import lexicon


@cache
def _name() -> str:
    """A player's name as a scorecard writes it: initials, a particle, one to three capitalised words."""
    particle = "|".join(sorted(map(re.escape, lexicon().function_words.name_particles)))
    word = r"[A-Z][\w'’-]*"
    return rf"(?:[A-Z]\. ?){{0,2}}(?:(?:{particle}) ?)?{word}(?: (?:(?:{particle}) )?{word}){{0,2}}"


def _alternatives(words: frozenset[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


@cache
def batting_line() -> re.Pattern:
    """A whole batting line: "K. Ferris c Orme b Tennant 21", "Ann Ferris lbw b Tennant 0", "Ann Ferris
    not out 14", with the groups batsman, fielder and bowler."""
    cues, name = lexicon().scorecards, _name()
    bowled = rf"(?:{_alternatives(cues.bowled)})\s+(?P<bowler>{name})"
    fielded = rf"(?:{_alternatives(cues.fielded)})\s+(?:and\s+|(?P<fielder>{name})\s+)"
    return re.compile(
        rf"^(?P<batsman>{name})\s+(?:(?:{fielded}|(?:{_alternatives(cues.before_bowled)})\s+)?{bowled}"
        rf"|(?:{_alternatives(cues.unbowled)}))\s+\d{{1,3}}\*?$")


@cache
def bowling_figures() -> re.Pattern:
    """A bowler and his overs, maidens, runs and wickets ("Tennant 10-1-38-3"), the figures perhaps on
    the next line."""
    return re.compile(rf"(?P<bowler>{_name()})\s+\d{{1,2}}(?:\.\d)?-\d{{1,2}}-\d{{1,3}}-\d{{1,2}}\b")
