"""The entities of one article, looked up by character span.

The resolver (transforms/resolve.py) reads this index; quotes and events ask the resolver, so they
never depend on how entity resolution works inside.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntityRef:
    entity_id: str
    canonical_name: str
    entity_type: str  # PERSON, ORG, GPE, LOC, NORP, FAC, ...
    country_code: str | None = None
    name_key: str = ""  # the accent-, case- and punctuation-free key its id hashes


@dataclass(frozen=True)
class Mention:
    start_char: int
    end_char: int
    text: str
    entity: EntityRef
    ner_label: str = ""  # the label the mention had in this article (the entity's type may differ)


@dataclass
class MentionIndex:
    """Mentions of one article sorted by start offset, plus a country lookup for demonyms."""

    mentions: list[Mention]
    countries: dict[str, EntityRef] = field(default_factory=dict)  # normalised name/demonym -> GPE entity

    def __post_init__(self) -> None:
        self.mentions = sorted(self.mentions, key=lambda m: (m.start_char, -m.end_char))
        self._starts = [m.start_char for m in self.mentions]

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions lying wholly inside [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start_char < end:
            if self.mentions[i].end_char <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """Mentions sharing at least one character with [start, end)."""
        i = bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[:i] if m.end_char > start]

    def best_mention(self, start: int, end: int, types: Iterable[str] | None = None) -> Mention | None:
        """The mention a phrase at [start, end) belongs to: the longest overlapping one, then the first."""
        cands = [m for m in self.overlapping(start, end) if types is None or m.entity.entity_type in types]
        if not cands:
            return None
        return max(cands, key=lambda m: (m.end_char - m.start_char, -m.start_char))

    def best(self, start: int, end: int, types: Iterable[str] | None = None) -> EntityRef | None:
        """The entity of best_mention."""
        m = self.best_mention(start, end, types)
        return m.entity if m is not None else None

    def last_before(self, pos: int, types: set[str] | None = None,
                    keep: Callable[[Mention], bool] | None = None) -> Mention | None:
        """The nearest mention ending at or before pos (for pronoun and description resolution), of
        `types`, and one `keep` accepts."""
        i = bisect.bisect_right(self._starts, pos)
        for m in reversed(self.mentions[:i]):
            if m.end_char <= pos and (types is None or m.entity.entity_type in types) and (keep is None or keep(m)):
                return m
        return None

    def country(self, word: str) -> EntityRef | None:
        """The country a name, demonym or capital stands for ("Cuban", "Havana" -> Cuba), if known."""
        return self.countries.get(word.casefold().strip())
