"""The patterns of data/boilerplate.yaml, compiled once; the code of the other modules only applies them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from transforms.lexicon import lexicon


class _BoundaryRule:
    """A rule that opens with \\b, searched for only where the rule without it matches.

    The regex engine scans a line for a leading literal ("Photo", "(?:AFP|AP)") many times faster
    than it tries a \\b at every position; dropping a zero-width assertion can only add matches, so a
    line the quick pattern misses cannot match the rule.
    """

    __slots__ = ("_quick", "pattern")

    def __init__(self, pattern: re.Pattern[str], quick: re.Pattern[str]) -> None:
        self.pattern, self._quick = pattern, quick

    def search(self, line: str) -> re.Match[str] | None:
        return self.pattern.search(line) if self._quick.search(line) else None


Rule = re.Pattern[str] | _BoundaryRule


@dataclass(frozen=True)
class Rules:
    header: dict[str, re.Pattern[str]]  # "title", "date", "updated", "author", ... -> "Key:" at a line start
    byline: re.Pattern[str]
    particles: frozenset[str]
    copyright: tuple[Rule, ...]
    drop_line: tuple[Rule, ...]
    link_heading: tuple[Rule, ...]
    link_line: tuple[Rule, ...]
    caption_markers: tuple[Rule, ...]
    agency_credit: re.Pattern[str]
    caption_hints: tuple[Rule, ...]
    compound_modifiers: frozenset[str]


def compile_rule(source: str, flags: int) -> Rule:
    pattern = re.compile(source, flags)
    if not source.startswith("\\b"):
        return pattern
    try:
        quick = re.compile(source[2:], flags)
    except re.error:
        return pattern
    return _BoundaryRule(pattern, quick)


def _compile(patterns: Iterable[str], flags: int = re.IGNORECASE) -> tuple[Rule, ...]:
    return tuple(compile_rule(p, flags) for p in patterns)


@cache
def rules() -> Rules:
    raw = lexicon().boilerplate
    header = {
        key: re.compile(rf"^(?:{'|'.join(alts)})\s*(?P<colon>:)?\s*", re.IGNORECASE)
        for key, alts in raw["header_keys"].items()
    }
    agencies = "|".join(re.escape(a) for a in sorted(raw["photo_agencies"], key=len, reverse=True))
    # "(EFE)", "(Reuters/John Doe)", "(Courtesy of X)", or any credit ending in a slash "(PALACE /)".
    agency_credit = re.compile(rf"\((?:(?:{agencies})(?:\s*[/:]\s*[^()]*)?|[^()]*\s*/\s*|courtesy[^()]*)\)$")
    return Rules(
        header=header,
        byline=re.compile(rf"^{raw['byline_prefix']}\s+(?P<rest>.+)$", re.IGNORECASE),
        particles=lexicon().function_words.name_particles,
        copyright=_compile(raw["copyright"]),
        drop_line=_compile(raw["drop_line"]),
        link_heading=_compile(raw["link_list_heading"]),
        link_line=_compile(raw["link_line"]),
        caption_markers=_compile(raw["caption_markers_cs"], 0),
        agency_credit=agency_credit,
        caption_hints=_compile(raw["caption_hints"]),
        compound_modifiers=frozenset(raw["compound_modifiers"]),
    )


def match_any(patterns: Iterable[Rule], line: str) -> re.Match[str] | None:
    """The first of `patterns` found in `line`, or None."""
    for p in patterns:
        m = p.search(line)
        if m:
            return m
    return None
